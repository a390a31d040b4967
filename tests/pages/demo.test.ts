// The demo (`npm start`) in headless Chromium: it opens, connects, its
// numbers move, and the timeouts race runs to the end on both sides (with
// 20,000 timeouts rather than 100,000, to keep this suite quick on a busy
// machine), as do the lateness measurements and the burst of timeouts due
// at once, with slicing off and on. The screenshot goes to test-results/demo.png.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemo } from "../../demo/serve.js";
import { startServer } from "../../demo/server.js";
import { findChromium } from "../chromium.js";
import { launchChromium, openPage } from "./chromium-page.js";

const chromium = findChromium();
const RACE_TIMEOUTS = 20_000;
const BURST_TIMEOUTS = 20_000;
const resultsDir = fileURLToPath(new URL("../../test-results", import.meta.url));

/** A number shown on the page, commas and units dropped. */
async function shownNumber(page: Page, selector: string): Promise<number> {
  const text = (await page.textContent(selector)) ?? "";
  return Number(text.replace(/[^0-9.]/g, ""));
}

async function waitForNumber(page: Page, selector: string, atLeast: number): Promise<void> {
  await page.waitForFunction(
    ([selector, atLeast]) => Number(document.querySelector(selector as string)?.textContent?.replace(/[^0-9.]/g, "")) >= (atLeast as number),
    [selector, atLeast] as const,
    { timeout: 20_000 },
  );
}

describe.skipIf(!chromium)("the demo page, in Chromium", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    server = await startServer({ staticDir: await buildDemo() });
    browser = await launchChromium(chromium!);
    ({ page, problems } = await openPage(browser, `${server.url}/?timeouts=${RACE_TIMEOUTS}&burst=${BURST_TIMEOUTS}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("connects its WebSocket and gets replies, each message under its own timeout", async () => {
    await waitForNumber(page, "#websocket [data-field=answered]", 3);
    expect(await page.textContent("#websocket [data-field=state]")).toBe("open");
    expect(await shownNumber(page, "#websocket [data-field=sent]")).toBeGreaterThanOrEqual(3);
  });

  it("reads the fetch stream line by line", async () => {
    await waitForNumber(page, "#stream [data-field=lines]", 5);
    const lines = (await page.textContent("#stream [data-field=terminal]"))!.split("\n");
    for (const line of lines) expect(line).toMatch(/^line \d+ of 60: \d{4}-\d\d-\d\dT/);
  });

  it("shows the loop's iteration count moving", async () => {
    const before = await shownNumber(page, "[data-stat=iterations]");
    await waitForNumber(page, "[data-stat=iterations]", before + 5);
  });

  it("measures how late timeouts fire on the loop and on setTimeout, and shows both", async () => {
    await page.click("#punctuality [data-field=start]");
    await page.waitForFunction(() => document.querySelector("#punctuality [data-field=start]")?.textContent === "Measure again",
      undefined, { timeout: 60_000 });
    for (const cell of ["chain-loop", "chain-plain", "spread-loop", "spread-plain"]) {
      expect(await page.textContent(`#punctuality [data-field=${cell}]`)).toMatch(/^-?[\d.,]+ ms \/ -?[\d.,]+ ms$/);
    }
  });

  it("bursts timeouts due at once through a loop without slicing and one with it, and meters both", async () => {
    await page.click("#burst [data-field=start]");
    await page.waitForFunction(() => document.querySelector("#burst [data-field=start]")?.textContent?.endsWith("again"),
      undefined, { timeout: 60_000 });
    expect(await page.textContent("#burst [data-field=error]")).toBe("");
    for (const side of ["unsliced", "sliced"]) {
      expect(await page.textContent(`#burst [data-field=${side}-took]`)).toMatch(/ms$/);
      expect(await page.textContent(`#burst [data-field=${side}-frame]`)).toMatch(/ms$/);
    }
    // Counts, not timings: without slicing the list is never cut; with it,
    // the loop says how often it yielded (how often depends on the machine).
    expect(await shownNumber(page, "#burst [data-field=unsliced-slices]")).toBe(0);
    expect(await page.textContent("#burst [data-field=sliced-slices]")).toMatch(/^[\d,]+$/);
  });

  it("runs the timeouts on the loop and on setTimeout, and shows both results", async () => {
    expect(await page.textContent("#timeouts [data-field=start]")).toBe("Schedule 20,000 timeouts");
    await page.click("#timeouts [data-field=start]");
    for (const side of ["loop", "plain"]) {
      await page.waitForFunction(
        (side) => document.querySelector(`[data-side=${side}] [data-field=total]`)?.textContent?.endsWith("ms"),
        side,
        { timeout: 60_000 },
      );
      expect(await page.textContent(`[data-side=${side}] [data-field=pending]`)).toBe("0");
      expect(await page.textContent(`[data-side=${side}] [data-field=median]`)).toMatch(/ms$/);
    }
    // Each timer callback was one host task: the average rate is positive.
    expect(await shownNumber(page, "[data-side=plain] [data-field=rate]")).toBeGreaterThan(0);
    // The loop holds at most one host timer; setTimeout held one per timeout.
    expect(await shownNumber(page, "[data-side=loop] [data-field=hostTimers]")).toBeLessThanOrEqual(1);
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: `${resultsDir}/demo.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
