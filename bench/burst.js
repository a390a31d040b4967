// node bench/burst.js (after npm run build): 100,000 timeouts due at once,
// about 2 µs of work each, in headless Chromium, run by a loop without time
// slicing (sliceMs: Infinity) and one with the default slice; the longest
// main-thread task while the burst ran (from a DevTools trace: the
// renderer main thread's ThreadControllerImpl::RunTask events, and its
// microtask checkpoints (the continuation of scheduler.yield() runs in one
// of its own, outside any RunTask), overlapping the span from the burst's
// first callback to its last, so the task that runs the first callback
// counts whole, core work before it included)
// and the time from the moment the timeouts were due to the last one run.
// ROUNDS=n alternates the two n times; TASKS=1 lists the tasks.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const here = (path) => new URL(path, import.meta.url);

const files = {
  "/": ["text/html", '<!doctype html><title>burst</title><script type="module" src="./page.js"></script>'],
  "/page.js": ["text/javascript", readFileSync(here("./wakeups-page.js"))],
  "/browser.js": ["text/javascript", readFileSync(here("../dist/runtime/browser.js"))],
  "/core.wasm": ["application/wasm", readFileSync(here("../dist/runtime/core.wasm"))],
};
const server = createServer((request, response) => {
  const file = files[request.url.split("?")[0]];
  if (!file) return response.writeHead(404).end();
  response.writeHead(200, { "content-type": file[0] }).end(file[1]);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic"],
});

/** What blocks the main thread: a task, or a microtask checkpoint run at
 *  the top level (a checkpoint inside a task is shorter than the task). */
const TASK_EVENTS = new Set(["ThreadControllerImpl::RunTask", "BlinkScheduler_PerformMicrotaskCheckpoint"]);

/** The longest task on the thread that made the marks, overlapping the
 *  span between them, in ms. */
function longestTask(trace) {
  const events = JSON.parse(trace).traceEvents;
  const mark = (name) => events.find((e) => e.name === name && e.cat?.includes("blink.user_timing"));
  const start = mark("burst-start"), end = mark("burst-end");
  if (!start || !end) throw new Error("the trace holds no burst marks");
  const tasks = [];
  for (const e of events) {
    if (!TASK_EVENTS.has(e.name) || e.ph !== "X" || e.pid !== start.pid || e.tid !== start.tid) continue;
    if (e.ts + e.dur >= start.ts && e.ts <= end.ts) tasks.push(e.dur / 1000);
  }
  // TASKS=1: every task of 1 ms or more that ran the burst, in order.
  if (process.env.TASKS === "1") console.log(`  tasks >= 1 ms: ${tasks.filter((ms) => ms >= 1).map((ms) => ms.toFixed(1)).join(" ")}`);
  return Math.max(0, ...tasks);
}

try {
  const sides = { unsliced: { sliceMs: Infinity }, sliced: {} };
  const results = { unsliced: [], sliced: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [side, options] of Object.entries(sides)) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      await page.waitForFunction(() => typeof window.burst === "function");
      await browser.startTracing(page, { categories: ["toplevel", "devtools.timeline", "blink.user_timing"] });
      const run = await page.evaluate((options) => window.burst({ options }), options);
      const longest = longestTask((await browser.stopTracing()).toString());
      results[side].push({ ...run, longestTaskMs: longest });
      await page.close();
    }
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`Chromium ${browser.version()}, 100,000 timeouts due at once, ~2 µs each, ${ROUNDS} rounds`);
  for (const [side, runs] of Object.entries(results)) {
    console.log(`${side.padEnd(9)} longest task ${median(runs.map((r) => r.longestTaskMs)).toFixed(1)} ms, burst took ${median(runs.map((r) => r.tookMs)).toFixed(1)} ms, slices ${median(runs.map((r) => r.slices))}`
      + `  (each: ${runs.map((r) => `${r.longestTaskMs.toFixed(1)}/${r.tookMs.toFixed(1)}`).join(" ")})`);
  }
  // Each round's two runs are next to each other: the median of the rounds'
  // ratios is steadier than the ratio of the medians when the machine's
  // speed drifts between rounds (both are printed).
  const ratios = results.sliced.map((r, i) => r.tookMs / results.unsliced[i].tookMs);
  const ofMedians = median(results.sliced.map((r) => r.tookMs)) / median(results.unsliced.map((r) => r.tookMs));
  console.log(`sliced / unsliced burst time: ${median(ratios).toFixed(2)}x, median of the rounds' ratios`
    + ` (each: ${ratios.map((x) => x.toFixed(2)).join(" ")}); ratio of the medians ${ofMedians.toFixed(2)}x`);
} finally {
  await browser.close();
  server.close();
}
