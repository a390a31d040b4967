// The built bundle (dist/, from `npm run build`) as a user's Vite app sees
// it: a page importing "wasm-ioloop" is built by Vite, served by `vite
// preview`, and opened in Chromium, where it loads core.wasm, runs timeouts
// and a WebSocket round trip against the local server.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../demo/server.js";
import { findChromium } from "../chromium.js";
import { fixtureResult, launchChromium, openPage } from "./chromium-page.js";

const chromium = findChromium();
const fixture = fileURLToPath(new URL("./fixture", import.meta.url));
const bundle = fileURLToPath(new URL("../../dist/runtime/browser.js", import.meta.url));

describe.skipIf(!chromium)("the built bundle in a Vite app, in Chromium", () => {
  let outDir: string;
  let site: PreviewServer;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let pageUrl: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "wasm-ioloop-fixture-"));
    const config = {
      root: fixture,
      configFile: false as const,
      logLevel: "warn" as const,
      resolve: { alias: { "wasm-ioloop": bundle } },
      build: { outDir, emptyOutDir: true },
      preview: { host: "127.0.0.1", port: 0 },
    };
    await build(config);
    site = await preview(config);
    server = await startServer();
    browser = await launchChromium(chromium!);
    pageUrl = `${site.resolvedUrls!.local[0]}?ws=${server.url.replace("http", "ws")}/ws`;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await site?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("emits core.wasm as its own asset of the app, not inlined into the JS", () => {
    const assets = readdirSync(join(outDir, "assets"));
    expect(assets.filter((name) => name.endsWith(".wasm"))).toHaveLength(1);
  });

  it("loads core.wasm, fires timeouts in deadline order and echoes a WebSocket message", async () => {
    const { page, problems } = await openPage(browser, pageUrl);
    const result = await fixtureResult(page);
    expect(result, problems.join("\n")).toMatchObject({ ok: true, fired: [10, 20, 30], echo: { reply: { id: "fixture", delayMs: 5 } } });
    expect(result.wasm).toHaveLength(1);
    expect(result.wasm[0]).toMatch(new RegExp(`^${site.resolvedUrls!.local[0]}assets/.*\\.wasm$`));
    await page.close();
  });

  it("still loads core.wasm when the server sends it with the wrong MIME type", async () => {
    const page = await browser.newPage();
    const sentTypes: string[] = [];
    await page.route("**/*.wasm", async (route) => {
      const response = await route.fetch();
      sentTypes.push("application/octet-stream");
      await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
    });
    await page.goto(pageUrl);
    const result = await fixtureResult(page);
    expect(sentTypes).toEqual(["application/octet-stream"]);
    expect(result).toMatchObject({ ok: true, fired: [10, 20, 30] });
    await page.close();
  });
});
