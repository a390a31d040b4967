// npm run bench:browser: the same suite in headless Chromium (bench/page.js),
// printed as tables and written to bench/results/browser.json. CPU per timer
// is the main thread's task time from the DevTools protocol; memory is not
// measured here (a page cannot see memory outside its JS heap).
import { cpus, loadavg } from "node:os";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { bundleSuite } from "./bundle.js";
import { withBenchPage } from "./page.js";
import { sizeRows } from "./size.js";
import { header, renderTables } from "./table.js";
import { renderTargets } from "./targets.js";

const quick = process.env.BENCH_QUICK === "1";

const files = {
  "/suite.js": { type: "text/javascript", body: readFileSync(await bundleSuite("browser")) },
  "/core.wasm": { type: "application/wasm", body: readFileSync("build/core.bench.wasm") },
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
    const { runSuite } = await import("/suite.js");
    const wasm = new Uint8Array(await (await fetch("/core.wasm")).arrayBuffer());
    const env = {
      now: () => performance.now(),
      gc: typeof gc === "function" ? () => gc() : undefined,
      cpuMs: () => benchTaskMs(),
      log: (line) => console.log(line),
    };
    return runSuite(env, wasm, { quick });
  }, quick);
  rows.push(...sizeRows());
  meta.seconds = Math.round((performance.now() - started) / 1000);
  meta.loadAfter = loadavg()[0];
  console.log(renderTables(rows));
  console.log(`\nthe store's targets, this run:\n${renderTargets({ Chromium: { rows } })}`);
  console.log(`\n${meta.seconds} s; load average (1 min) at the end: ${meta.loadAfter.toFixed(1)}`);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(quick ? "bench/results/browser.quick.tmp" : "bench/results/browser.json", JSON.stringify({ meta, rows }, null, 2) + "\n");
});
