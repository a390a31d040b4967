// npm run bench:api:allocations: bytes allocated per call of the hot paths,
// through the built package (dist/runtime/node.js) in Node, beside the best
// JavaScript design. What a call allocates lands in V8's young generation
// (new space) until the next scavenge, so its growth over a run of calls,
// taken right after a full collection and short enough that no scavenge
// falls inside it (a few hundred KiB against a new space of MiBs), is what
// the calls allocated. Each path runs a few times first, so that it is
// optimized as an application's would be. Needs --expose-gc and a build.
//
// Ids are kept in a plain array (as an application keeps them in objects) or
// dropped; the loop's ids carry a slot's generation above bit 30, so once a
// slot is used again its ids are heap numbers wherever a tagged slot keeps
// them, as the rows show.
import v8 from "node:v8";
import { IOLoop } from "../../dist/runtime/node.js";

if (typeof globalThis.gc !== "function") {
  console.error("bench/api/allocations.js: run with node --expose-gc (npm run bench:api:allocations does)");
  process.exit(1);
}

const CALLS = 20_000;
const fn = () => {};

function youngBytes() {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_used_size;
}

/** Bytes allocated per call by `run` (which makes CALLS calls); `after`
 *  undoes what it did, outside the measured part. */
function perCall(run, after = () => {}) {
  for (let i = 0; i < 5; i++) { run(); after(); }
  globalThis.gc();
  const before = youngBytes();
  run();
  const bytes = (youngBytes() - before) / CALLS;
  after();
  return bytes;
}

const loop = await IOLoop.create();
const ids = new Array(CALLS).fill(null);
const removeAll = () => { for (let i = 0; i < CALLS; i++) loop.removeTimeout(ids[i]); };
let fired = 0;
const count = () => { fired++; };
const rows = await loop.run(() => [
  ["callLater, id dropped", perCall(() => { for (let i = 0; i < CALLS; i++) loop.callLater(1e6 + i, fn); })],
  ["callLater, id kept in an array", perCall(() => { for (let i = 0; i < CALLS; i++) ids[i] = loop.callLater(1e6 + i, fn); }, removeAll)],
  ["callAt, id dropped", perCall(() => { for (let i = 0; i < CALLS; i++) loop.callAt(1e9 + i, fn); })],
  ["refreshTimeout", (() => {
    for (let i = 0; i < CALLS; i++) ids[i] = loop.callLater(1e6 + i, fn);
    const bytes = perCall(() => { for (let i = 0; i < CALLS; i++) loop.refreshTimeout(ids[i]); });
    removeAll();
    return bytes;
  })()],
  ["removeTimeout", perCall(removeAll, () => { for (let i = 0; i < CALLS; i++) ids[i] = loop.callLater(1e6 + i, fn); })],
  ["addCallback", perCall(() => { for (let i = 0; i < CALLS; i++) loop.addCallback(fn); })],
]);
// Firing: CALLS timeouts due at once, run by one iteration; per timeout.
for (let i = 0; i < CALLS; i++) loop.callLater(0, count);
globalThis.gc();
const before = youngBytes();
await loop.run(() => new Promise((resolve) => setTimeout(resolve, 5)));
rows.push(["firing (one iteration; run() included)", (youngBytes() - before) / CALLS]);
loop.close();
if (fired !== CALLS) throw new Error(`bench/api/allocations.js: ${fired} of ${CALLS} timeouts fired`);
console.log(`bytes allocated per call (${CALLS} calls after a full GC; Node ${process.version}):`);
for (const [what, bytes] of rows) console.log(`  ${what.padEnd(40)} ${bytes.toFixed(1)}`);
