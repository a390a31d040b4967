// Opens pages in headless Chromium through playwright-core (which never
// downloads a browser: it drives the one tests/chromium.ts finds).
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
