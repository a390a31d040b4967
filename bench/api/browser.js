// npm run bench:api:browser: the public-API workloads in headless Chromium
// (bench/runner.js), printed as tables with the targets' verdicts and written
// to bench/results/api-browser.json (BENCH_QUICK=1: tiny sizes once, to
// bench/results/api-browser.quick.tmp). Fire's CPU is the main thread's task
// time from DevTools, memory the heaps and buffers DevTools reports plus the
// wasm memories (bench/runner.js); readiness dispatch compares with the
// `events` package's EventEmitter (the page has no EventEmitter of its own).
import { bundleApiSuite } from "../bundle.js";
import { runInChromium } from "../runner.js";
import { renderApiTargets } from "./targets.js";

await runInChromium({
  bundle: bundleApiSuite, exportName: "runApiSuite", wasm: "build/core.wasm", file: "api-browser",
  targets: (rows) => `targets, this run:\n${renderApiTargets({ Chromium: { rows } })}`,
});
