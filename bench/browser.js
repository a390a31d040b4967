// npm run bench:browser: the same suite in headless Chromium (bench/runner.js),
// printed as tables and written to bench/results/browser.json (BENCH_QUICK=1:
// small sizes once, to bench/results/browser.quick.tmp). CPU per timer is the
// main thread's task time from the DevTools protocol; memory, the heaps and
// buffers DevTools reports plus the wasm memories (bench/runner.js).
import { bundleSuite } from "./bundle.js";
import { runInChromium } from "./runner.js";
import { sizeRows } from "./size.js";
import { renderTargets } from "./targets.js";

await runInChromium({
  bundle: bundleSuite, exportName: "runSuite", wasm: "build/core.bench.wasm", file: "browser",
  extraRows: sizeRows,
  targets: (rows) => `the store's targets, this run:\n${renderTargets({ Chromium: { rows } })}`,
});
