// npm run bench: every workload in this Node process, printed as tables and
// written to bench/results/node.json (bench/runner.js). Needs --expose-gc
// (the npm script passes it). BENCH_QUICK=1 runs small sizes once, to check
// that the suite works, and writes bench/results/node.quick.tmp instead.
import { bundleSuite } from "./bundle.js";
import { runInNode } from "./runner.js";
import { sizeRows } from "./size.js";
import { renderTargets } from "./targets.js";

await runInNode({
  bundle: bundleSuite, exportName: "runSuite", wasm: "build/core.bench.wasm", file: "node",
  extraRows: sizeRows,
  targets: (rows) => `the store's targets, this run:\n${renderTargets({ Node: { rows } })}`,
}, { script: "bench/run.js", npmScript: "bench" });
