// npm run bench:api: the public-API workloads in this Node process, printed
// as tables with the targets' verdicts and written to
// bench/results/api-node.json (bench/runner.js). Needs --expose-gc (the npm
// script passes it). BENCH_QUICK=1 runs tiny sizes once, to check that the
// suite works, and writes bench/results/api-node.quick.tmp instead.
import { EventEmitter } from "node:events";
import { bundleApiSuite } from "../bundle.js";
import { runInNode } from "../runner.js";
import { renderApiTargets } from "./targets.js";

await runInNode({
  bundle: bundleApiSuite, exportName: "runApiSuite", wasm: "build/core.wasm", file: "api-node",
  options: { EventEmitter },
  targets: (rows) => `targets, this run:\n${renderApiTargets({ Node: { rows } })}`,
}, { script: "bench/api/run.js", npmScript: "bench:api" });
