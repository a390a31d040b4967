// npm run bench:api: the public-API workloads in this Node process, printed
// as tables with the targets' verdicts and written to
// bench/results/api-node.json. Needs --expose-gc (the npm script passes it).
// BENCH_QUICK=1 runs tiny sizes once, to check that the suite works, and
// writes bench/results/api-node.quick.tmp instead.
import { EventEmitter } from "node:events";
import { cpus, loadavg } from "node:os";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { bundleApiSuite } from "../bundle.js";
import { header, renderTables } from "../table.js";
import { renderApiTargets } from "./targets.js";

if (typeof globalThis.gc !== "function") {
  console.error("bench/api/run.js: run with node --expose-gc (npm run bench:api does)");
  process.exit(1);
}
const quick = process.env.BENCH_QUICK === "1";
const { runApiSuite } = await import(await bundleApiSuite("node"));

const started = performance.now();
const env = {
  now: () => performance.now(),
  gc: () => globalThis.gc(),
  cpuMs: async () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; },
  memory: () => { const m = process.memoryUsage(); return { heap: m.heapUsed, external: m.external }; },
  log: (line) => console.error(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}`),
};
const meta = {
  date: new Date().toISOString(),
  cpu: cpus()[0].model,
  cores: cpus().length,
  runtime: `Node ${process.version}, V8 ${process.versions.v8}`,
  quick,
  note: process.env.BENCH_NOTE,
  loadBefore: loadavg()[0],
};
console.log(header(meta));
const rows = await runApiSuite(env, new Uint8Array(readFileSync("build/core.wasm")), { quick, EventEmitter });
meta.seconds = Math.round((performance.now() - started) / 1000);
meta.loadAfter = loadavg()[0];
console.log(renderTables(rows));
console.log(`\ntargets, this run:\n${renderApiTargets({ Node: { rows } })}`);
console.log(`\n${meta.seconds} s; load average (1 min) at the end: ${meta.loadAfter.toFixed(1)}`);
mkdirSync("bench/results", { recursive: true });
writeFileSync(quick ? "bench/results/api-node.quick.tmp" : "bench/results/api-node.json", JSON.stringify({ meta, rows }, null, 2) + "\n");
