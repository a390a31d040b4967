// Opens pages in headless Chromium through playwright-core (which never
// downloads a browser: it drives the one tests/chromium.ts finds).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS } from "../chromium.js";

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Opens `url` in a fresh page; console errors and page errors are kept in
 *  `problems`, so a test can show them when the page does not behave. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 900 }) {
  const page: Page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.goto(url);
  return { page, problems };
}

/** What the fixture page (fixture/main.js) reported in #result. */
export async function fixtureResult(page: Page): Promise<Record<string, any>> {
  await page.waitForSelector("#result[data-done]", { timeout: 20_000 });
  return JSON.parse(await page.textContent("#result") ?? "null");
}

/** Serves the built browser entry and core.wasm (dist/, from `npm run
 *  build`) on 127.0.0.1, with `pages`: for each name, an HTML page at
 *  /name that runs the module at /name.js, whose code is given. */
export async function serveBuiltPages(pages: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }> {
  const dist = (name: string) => readFileSync(fileURLToPath(new URL(`../../dist/runtime/${name}`, import.meta.url)));
  const files = new Map<string, [string, Buffer]>([
    ["/browser.js", ["text/javascript", dist("browser.js")]],
    ["/core.wasm", ["application/wasm", dist("core.wasm")]],
  ]);
  for (const [name, code] of Object.entries(pages)) {
    files.set(`/${name}`, ["text/html", Buffer.from(`<!doctype html><title>${name}</title><script type="module" src="./${name}.js"></script>`)]);
    files.set(`/${name}.js`, ["text/javascript", Buffer.from(code)]);
  }
  const server = createServer((request, response) => {
    const file = files.get((request.url ?? "").split("?")[0]);
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
