// A headless Chromium page for benchmarks: /usr/bin/chromium through
// playwright-core, with a fresh profile, serving `files` from 127.0.0.1 with
// cross-origin isolation (which gives performance.now() 5 µs resolution
// instead of 100 µs) and window.gc (--expose-gc). The page can call, through
// the DevTools protocol, benchTaskMs(): the main thread's task time so far
// (Performance.getMetrics TaskDuration), its CPU time as near as a page can
// read it; and benchHeapUsage(): the bytes its JS heap and Blink's heap use,
// and those of the ArrayBuffers outside them (Runtime.getHeapUsage; wasm
// memory is not among them). Console lines go to stderr.
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Calls use(page, runtime) on a page open at "/", where `files` (path ->
 *  { type, body }) are served; closes everything after, whatever happens. */
export async function withBenchPage(files, use) {
  const served = {
    "/": { type: "text/html", body: Buffer.from("<!doctype html><title>wasm-ioloop bench</title>") },
    "/favicon.ico": { type: "image/x-icon", body: Buffer.alloc(0) },
    ...files,
  };
  const server = createServer((request, response) => {
    const file = served[request.url];
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
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic",
        "--js-flags=--expose-gc", // window.gc, so that runs start from a collected heap
      ],
    });
    const page = context.pages()[0] ?? await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.exposeFunction("benchTaskMs", async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      return metrics.find((m) => m.name === "TaskDuration").value * 1000;
    });
    await page.exposeFunction("benchHeapUsage", async () => {
      const { usedSize, embedderHeapUsedSize, backingStorageSize } = await cdp.send("Runtime.getHeapUsage");
      // The embedder's heap holds Blink's objects: a setTimeout's timer is one (about 330 B).
      return { heap: usedSize + embedderHeapUsedSize, external: backingStorageSize };
    });
    page.on("console", (message) => console.error(`  ${message.text()}`));
    page.on("pageerror", (error) => console.error("page error:", error));
    await page.goto(`${origin}/`);
    const runtime = `Chromium ${context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent))} (headless)`;
    return await use(page, runtime);
  } finally {
    await context?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
