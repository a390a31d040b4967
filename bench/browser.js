// npm run bench:browser: the same suite in headless Chromium (/usr/bin/chromium
// through playwright-core), printed as tables and written to
// bench/results/browser.json. The page is served from 127.0.0.1 with
// cross-origin isolation, which gives performance.now() 5 µs resolution
// instead of 100 µs. CPU per timer is the main thread's task time from the
// DevTools protocol (Performance.getMetrics TaskDuration); memory is not
// measured here (a page cannot see memory outside its JS heap).
import { createServer } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { bundleSuite } from "./bundle.js";
import { sizeRows } from "./size.js";
import { header, renderTables } from "./table.js";
import { renderTargets } from "./targets.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const quick = process.env.BENCH_QUICK === "1";

const files = {
  "/": { type: "text/html", body: Buffer.from("<!doctype html><title>wasm-ioloop bench</title>") },
  "/suite.js": { type: "text/javascript", body: readFileSync(await bundleSuite("browser")) },
  "/core.wasm": { type: "application/wasm", body: readFileSync("build/core.bench.wasm") },
  "/favicon.ico": { type: "image/x-icon", body: Buffer.alloc(0) },
};
const server = createServer((request, response) => {
  const file = files[request.url];
  if (!file) return response.writeHead(404).end();
  response.writeHead(200, {
    "content-type": file.type,
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
  }).end(file.body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const profile = mkdtempSync(join(tmpdir(), "wasm-ioloop-bench-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
    "--js-flags=--expose-gc", // window.gc, so that runs start from a collected heap
  ],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.exposeFunction("benchTaskMs", async () => {
    const { metrics } = await cdp.send("Performance.getMetrics");
    return metrics.find((m) => m.name === "TaskDuration").value * 1000;
  });
  page.on("console", (message) => console.error(`  ${message.text()}`));
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(`${origin}/`);

  const meta = {
    date: new Date().toISOString(),
    cpu: cpus()[0].model,
    cores: cpus().length,
    runtime: `Chromium ${context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent))} (headless)`,
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
  console.log(`\ntargets (issue 6), this run:\n${renderTargets({ Chromium: { rows } })}`);
  console.log(`\n${meta.seconds} s; load average (1 min) at the end: ${meta.loadAfter.toFixed(1)}`);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(quick ? "bench/results/browser.quick.tmp" : "bench/results/browser.json", JSON.stringify({ meta, rows }, null, 2) + "\n");
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
