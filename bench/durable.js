// npm run bench:durable: durable timeouts at scale in real (local) workerd.
// 100,000 durable timeouts in one Durable Object (the probe Worker's
// Timers, tests/workers/probe/durable/), then: the rows written per
// schedule, cancel, refresh and lazy refresh (SQLite's own count, from the
// cursors), and the time the object takes to start again with all of them
// (the first request after an eviction, less a warm request's time: workerd's
// clock stands still inside the object, so it is measured from outside).
// Prints a table; one run, on whatever machine this is.
import { createTestHarness } from "wrangler";

process.env.WRANGLER_SEND_METRICS = "false";
const COUNT = 100_000, BATCH = 10_000, SAMPLE = 1_000, STARTS = 5;
const repo = new URL("..", import.meta.url).pathname;
const server = createTestHarness({ root: repo, workers: [{ configPath: `${repo}tests/workers/probe/durable/wrangler.jsonc` }] });
await server.listen();
const name = `scale-${Date.now()}`;
const call = async (operation, body = {}) => {
  const response = await server.fetch(`/${name}/${operation}`, { method: "POST", body: JSON.stringify(body) });
  const json = await response.json();
  if (json?.thrown) throw new Error(`${operation}: ${json.thrown.message}`);
  return json;
};
const written = async () => (await call("state")).timeouts.rowsWritten;

const hour = Date.now() + 3_600_000;
let ids = [];
let before = await written();
let started = performance.now();
for (let i = 0; i < COUNT; i += BATCH) {
  const plans = Array.from({ length: BATCH }, (_, j) => ({ at: hour + ((i + j) * 37) % 600_000, payload: { n: i + j } }));
  ids.push(...(await call("schedule", { plans, together: true })).ids);
}
const scheduleMs = performance.now() - started;
const perSchedule = ((await written()) - before) / COUNT;

before = await written();
await call("refresh", { ids: ids.slice(0, SAMPLE) });
const perRefresh = ((await written()) - before) / SAMPLE;
before = await written();
await call("refresh", { ids: ids.slice(SAMPLE, 2 * SAMPLE), lazy: true });
const perLazy = ((await written()) - before) / SAMPLE;
before = await written();
await call("cancel", { ids: ids.slice(2 * SAMPLE, 3 * SAMPLE) });
const perCancel = ((await written()) - before) / SAMPLE;

const warm = [];
for (let i = 0; i < STARTS; i++) {
  const t = performance.now();
  await call("state");
  warm.push(performance.now() - t);
}
const cold = [];
let loaded = 0;
for (let i = 0; i < STARTS; i++) {
  await server.getWorker().evictDurableObject("Timers", { name });
  const t = performance.now();
  const state = await call("state");
  cold.push(performance.now() - t);
  loaded = state.loadedRows;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stored = (await call("state")).stored;
await server.close();

console.log(`durable timeouts in one object: ${stored} stored, ${loaded} loaded back at each start`);
console.log(`schedule ${COUNT} (in transactions of ${BATCH}): ${(scheduleMs / 1000).toFixed(1)} s over HTTP, ${(scheduleMs * 1000 / COUNT).toFixed(1)} us each`);
console.log("rows written per operation (SQLite's count):");
console.log(`  schedule        ${perSchedule.toFixed(2)}`);
console.log(`  refresh         ${perRefresh.toFixed(2)}`);
console.log(`  refresh (lazy)  ${perLazy.toFixed(2)}`);
console.log(`  cancel          ${perCancel.toFixed(2)}`);
console.log(`start with ${loaded} rows: first request after eviction ${median(cold).toFixed(0)} ms (median of ${STARTS}), warm request ${median(warm).toFixed(1)} ms: load ~${(median(cold) - median(warm)).toFixed(0)} ms`);
