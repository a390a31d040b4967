// npm run bench:api:allocations: bytes allocated per call of the hot paths,
// through the built package (dist/runtime/node.js) in Node. Measured with
// V8's sampling heap profiler, told to count objects a young or a full
// collection freed as well (so garbage counts too), sampling about every 32
// bytes: the sum of its samples over a run of calls, less what the
// profiler's own calls allocate, is what the calls allocated. Each path runs
// a few times first, so that it is optimized as an application's would be.
// Needs --expose-gc and a build.
//
// Ids are kept in a plain array (as an application keeps them in objects) or
// dropped; the loop's ids carry a slot's generation above bit 30, so once a
// slot is used again its ids are heap numbers wherever a tagged slot keeps
// them, as the rows show.
import { Session } from "node:inspector";
import { IOLoop } from "../../dist/runtime/node.js";

if (typeof globalThis.gc !== "function") {
  console.error("bench/api/allocations.js: run with node --expose-gc (npm run bench:api:allocations does)");
  process.exit(1);
}

const CALLS = 20_000;
const fn = () => {};
const session = new Session();
session.connect();

/** Calls the inspector; a session in this thread answers at once. */
function post(method, params) {
  let result;
  session.post(method, params, (error, answer) => { if (error) throw error; result = answer; });
  return result;
}

/** Starts counting what is allocated (after a full collection). */
function startCounting() {
  globalThis.gc();
  post("HeapProfiler.startSampling", {
    samplingInterval: 32, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true,
  });
}

/** Stops counting: the bytes sampled since startCounting, outside the
 *  profiler's own frames. */
function stopCounting() {
  const { profile } = post("HeapProfiler.stopSampling");
  let bytes = 0;
  const walk = (node, ours) => {
    const inside = ours && !node.callFrame.url.startsWith("node:inspector");
    if (inside) bytes += node.selfSize;
    for (const child of node.children) walk(child, inside);
  };
  walk(profile.head, true);
  return bytes;
}

/** Bytes allocated while `body` ran (synchronously: inside an iteration,
 *  the loop's time stays the iteration's). */
function allocated(body) {
  startCounting();
  body();
  return stopCounting();
}

/** Bytes allocated per call by `run` (which makes CALLS calls); `after`
 *  undoes what it did, outside the measured part. */
function perCall(run, after = () => {}) {
  for (let i = 0; i < 20; i++) { run(); after(); }
  const bytes = allocated(run);
  after();
  return bytes / CALLS;
}

const rows = [];
const ids = new Array(CALLS).fill(null);

/** Measures the calls of `measure(loop)` on a loop of its own, inside an
 *  iteration (as an application's code runs), and closes the loop: the
 *  timeouts dropped by one row do not stay pending under the next. */
async function onOwnLoop(measure) {
  const loop = await IOLoop.create();
  await loop.run(() => measure(loop));
  loop.close();
}

await onOwnLoop((loop) => rows.push(["callLater, id dropped", perCall(() => { for (let i = 0; i < CALLS; i++) loop.callLater(1e6 + i, fn); })]));
await onOwnLoop((loop) => rows.push(["callLater, id kept in an array", perCall(
  () => { for (let i = 0; i < CALLS; i++) ids[i] = loop.callLater(1e6 + i, fn); },
  () => { for (let i = 0; i < CALLS; i++) loop.removeTimeout(ids[i]); },
)]));
await onOwnLoop((loop) => rows.push(["callAt, id dropped", perCall(() => { for (let i = 0; i < CALLS; i++) loop.callAt(1e9 + i, fn); })]));
await onOwnLoop((loop) => {
  for (let i = 0; i < CALLS; i++) ids[i] = loop.callLater(1e6 + i, fn);
  rows.push(["refreshTimeout", perCall(() => { for (let i = 0; i < CALLS; i++) loop.refreshTimeout(ids[i]); })]);
  rows.push(["removeTimeout", perCall(
    () => { for (let i = 0; i < CALLS; i++) loop.removeTimeout(ids[i]); },
    () => { for (let i = 0; i < CALLS; i++) ids[i] = loop.callLater(1e6 + i, fn); },
  )]);
});
await onOwnLoop((loop) => rows.push(["addCallback", perCall(() => { for (let i = 0; i < CALLS; i++) loop.addCallback(fn); })]));
// Outside an iteration a call reads the clock: Node's performance.now()
// allocates its result.
const outside = await IOLoop.create();
rows.push(["callLater outside an iteration, id dropped", perCall(() => { for (let i = 0; i < CALLS; i++) outside.callLater(1e6 + i, fn); })]);
outside.close();

// Firing: n timeouts due at once, run by one iteration; per timeout, on
// slots used before and on new ones, the firing path warmed first as a busy
// loop's is. What run() itself allocates (a few promises) is counted too,
// spread over the n.
const loop = await IOLoop.create();
let fired = 0;
const count = () => { fired++; };
for (let round = 0; round < 20; round++) {
  for (let i = 0; i < CALLS; i++) loop.callLater(0, count);
  await loop.run(() => {});
}
for (const slots of ["slots used before", "new slots"]) {
  const n = slots === "new slots" ? 2 * CALLS : CALLS; // the first CALLS slots were used above
  for (let i = 0; i < n; i++) loop.callLater(0, count);
  startCounting();
  await loop.run(() => {});
  rows.push([`firing, ${slots} (run() included)`, stopCounting() / n]);
}
loop.close();
session.disconnect();
if (fired !== 23 * CALLS) throw new Error(`bench/api/allocations.js: ${fired} of ${23 * CALLS} timeouts fired`);
console.log(`bytes allocated per call (${CALLS} calls; V8's sampling heap profiler; Node ${process.version}):`);
for (const [what, bytes] of rows) console.log(`  ${what.padEnd(40)} ${bytes.toFixed(1)}`);
