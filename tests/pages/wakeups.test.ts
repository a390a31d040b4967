// The loop's wake-ups in real Chromium are free of the timer nesting clamp:
// a 1 ms timeout that re-arms itself, run through the loop, hops about every
// millisecond, while the same chain through plain nested setTimeout is held
// to at least 4 ms per hop. The built browser entry (dist/) is served as is,
// with core.wasm beside it, and imported by the page.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../chromium.js";
import { launchChromium, serveBuiltPages } from "./chromium-page.js";

const chromium = findChromium();

const HOPS = 150;

/** The page: times a chain of `HOPS` 1 ms timeouts, each armed from inside
 *  the one before, through the loop and then through plain setTimeout, and
 *  leaves the time between successive hops in window.hops. With ?postTask=no
 *  it hides scheduler.postTask first (the loop picks its host timer when it
 *  first arms one), as on a browser without it. */
const PAGE = `
import { IOLoop } from "./browser.js";

if (location.search.includes("postTask=no")) window.scheduler.postTask = undefined;

function hopIntervals(callLater) {
  return new Promise((resolve) => {
    const intervals = [];
    let last = performance.now();
    const hop = () => {
      const now = performance.now();
      intervals.push(now - last);
      last = now;
      if (intervals.length === ${HOPS}) resolve(intervals);
      else callLater(1, hop);
    };
    callLater(1, hop);
  });
}

const ioloop = await IOLoop.create();
const loop = await ioloop.run(() => hopIntervals((delay, fn) => { ioloop.callLater(delay, fn); }));
ioloop.close();
const plain = await hopIntervals((delay, fn) => { setTimeout(fn, delay); });
window.hops = { loop, plain };
`;

/** The page of the sliced iteration: counts the calls of scheduler.yield
 *  (Chromium's; the loop yields through it between slices, so that its
 *  continuation runs before other queued tasks), then runs 3,000 callbacks
 *  of about 20 µs each (some 60 ms of work, several 8 ms slices) and leaves
 *  the counts in window.slices. */
const SLICES_PAGE = `
import { IOLoop } from "./browser.js";

const original = window.scheduler.yield.bind(window.scheduler);
let yields = 0;
window.scheduler.yield = () => { yields++; return original(); };

const loop = await IOLoop.create();
let sum = 0;
await loop.run(() => new Promise((resolve) => {
  for (let i = 0; i < 3000; i++) loop.addCallback(() => { for (let j = 0; j < 20000; j++) sum += j; });
  loop.addCallback(resolve);
}));
window.slices = { yields, slices: loop.stats().slices, sum };
loop.close();
`;

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe.skipIf(!chromium)("wake-ups in Chromium", () => {
  let site: Awaited<ReturnType<typeof serveBuiltPages>>;
  let browser: Browser;

  /** Opens the page and returns the hop intervals it measured. */
  async function hops(query = ""): Promise<Record<"loop" | "plain", number[]>> {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${site.origin}/hops${query}`);
      await page.waitForFunction(() => "hops" in window, undefined, { timeout: 20_000 });
      return await page.evaluate(() => (window as unknown as { hops: Record<"loop" | "plain", number[]> }).hops);
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    site = await serveBuiltPages({ hops: PAGE, slices: SLICES_PAGE });
    browser = await launchChromium(chromium!);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it("runs a chain of 1 ms timeouts through the loop unclamped, where nested setTimeout is clamped to 4 ms", async () => {
    const { loop, plain } = await hops();

    // The clamp is a floor: past the fifth nested level Chromium never fires
    // such a timer sooner than 4 ms after it was armed, however idle the
    // machine. So the plain chain's median hop is at least 4 ms (3.5 leaves
    // room for the page clock's 0.1 ms coarsening), which shows this browser
    // clamps and the loop's result below means something.
    expect(median(plain)).toBeGreaterThanOrEqual(3.5);
    // Unclamped, a hop takes about 1.2 ms (1 ms plus the wake-up). A loaded
    // machine makes some hops late, but a median at or above 3.5 ms would need
    // more than half of them delayed by over 2 ms each, while a clamped chain
    // could never get below it: the bound tells the two apart without timing
    // anything tightly.
    expect(median(loop)).toBeLessThan(3.5);
  });

  it("yields between the slices of a long iteration through scheduler.yield, the browser's own (the built bundle keeps its name)", async () => {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${site.origin}/slices`);
      await page.waitForFunction(() => "slices" in window, undefined, { timeout: 20_000 });
      const { yields, slices } = await page.evaluate(() => (window as unknown as { slices: Record<string, number> }).slices);
      expect(slices).toBeGreaterThan(0);
      expect(yields).toBe(slices);
    } finally {
      await page.close();
    }
  });

  it("stays unclamped without scheduler.postTask, through a setTimeout armed from a message task", async () => {
    const { loop, plain } = await hops("?postTask=no");
    expect(median(plain)).toBeGreaterThanOrEqual(3.5); // the same floor as above
    expect(median(loop)).toBeLessThan(3.5); // and the same margin
  });
});
