// npm run bench:api:browser: the public-API workloads in headless Chromium
// (bench/page.js), printed as tables with the targets' verdicts and written
// to bench/results/api-browser.json (BENCH_QUICK=1: tiny sizes once, to
// bench/results/api-browser.quick.tmp). Fire's CPU is the main thread's task
// time from DevTools; memory is not measured (a page cannot see memory
// outside its JS heap); readiness dispatch has no EventEmitter (the page has
// none), so its row is compared with EventTarget.
import { cpus, loadavg } from "node:os";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { bundleApiSuite } from "../bundle.js";
import { withBenchPage } from "../page.js";
import { header, renderTables } from "../table.js";
import { renderApiTargets } from "./targets.js";

const quick = process.env.BENCH_QUICK === "1";
const files = {
  "/api.js": { type: "text/javascript", body: readFileSync(await bundleApiSuite("browser")) },
  "/core.wasm": { type: "application/wasm", body: readFileSync("build/core.wasm") },
};
await withBenchPage(files, async (page, runtime) => {
  const meta = {
    date: new Date().toISOString(),
    cpu: cpus()[0].model,
    cores: cpus().length,
    runtime,
    quick,
    note: process.env.BENCH_NOTE,
    loadBefore: loadavg()[0],
  };
  console.log(header(meta));
  const started = performance.now();
  const rows = await page.evaluate(async (quick) => {
    if (!crossOriginIsolated) throw new Error("bench page is not cross-origin isolated");
    const { runApiSuite } = await import("/api.js");
    const wasm = new Uint8Array(await (await fetch("/core.wasm")).arrayBuffer());
    const env = {
      now: () => performance.now(),
      gc: typeof gc === "function" ? () => gc() : undefined,
      cpuMs: () => benchTaskMs(),
      log: (line) => console.log(line),
    };
    return runApiSuite(env, wasm, { quick });
  }, quick);
  meta.seconds = Math.round((performance.now() - started) / 1000);
  meta.loadAfter = loadavg()[0];
  console.log(renderTables(rows));
  console.log(`\ntargets, this run:\n${renderApiTargets({ Chromium: { rows } })}`);
  console.log(`\n${meta.seconds} s; load average (1 min) at the end: ${meta.loadAfter.toFixed(1)}`);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(quick ? "bench/results/api-browser.quick.tmp" : "bench/results/api-browser.json", JSON.stringify({ meta, rows }, null, 2) + "\n");
});
