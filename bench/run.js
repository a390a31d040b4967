// npm run bench: every workload in this Node process, printed as tables and
// written to bench/results/node.json. Needs --expose-gc (the npm script passes
// it). BENCH_QUICK=1 runs small sizes once, to check that the suite works.
import { cpus, loadavg } from "node:os";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { bundleSuite } from "./bundle.js";
import { sizeRows } from "./size.js";
import { header, renderTables } from "./table.js";
import { renderTargets } from "./targets.js";

if (typeof globalThis.gc !== "function") {
  console.error("bench/run.js: run with node --expose-gc (npm run bench does)");
  process.exit(1);
}
const quick = process.env.BENCH_QUICK === "1";
const { runSuite } = await import(await bundleSuite("node"));

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
const started = performance.now();
console.log(header(meta));
const rows = await runSuite(env, new Uint8Array(readFileSync("build/core.bench.wasm")), { quick });
rows.push(...sizeRows());
meta.seconds = Math.round((performance.now() - started) / 1000);
meta.loadAfter = loadavg()[0];
console.log(renderTables(rows));
console.log(`\nthe store's targets, this run:\n${renderTargets({ Node: { rows } })}`);
console.log(`\n${meta.seconds} s; load average (1 min) at the end: ${meta.loadAfter.toFixed(1)}`);
mkdirSync("bench/results", { recursive: true });
writeFileSync(quick ? "bench/results/node.quick.tmp" : "bench/results/node.json", JSON.stringify({ meta, rows }, null, 2) + "\n");
