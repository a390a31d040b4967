// How many loops a page can hold open at once. Each loop's core has its own
// WebAssembly memory, and each memory reserves gigabytes of address space:
// a Chromium page runs out of room for them (125 in headless Chromium 156)
// before the 256 lanes a process has. Past that, IOLoop.create must
// refuse with an error that names it and says what to do, and lose nothing:
// the loops already open keep running, and a closed loop makes room.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../chromium.js";
import { launchChromium, serveBuiltPages } from "./chromium-page.js";

const chromium = findChromium();

/** Makes loops until IOLoop.create refuses (or 300 are open), then runs a
 *  timeout on the first and the last loop made, closes the first, makes one
 *  more in its place, and leaves what happened in window.loops. */
const PAGE = `
import { IOLoop } from "./browser.js";

const module = await WebAssembly.compileStreaming(fetch("./core.wasm"));
const loops = [];
let refusal;
while (loops.length < 300) {
  try { loops.push(await IOLoop.create({ module })); } catch (error) { refusal = error; break; }
}
const fires = (loop) => loop.run(() => new Promise((resolve) => loop.callLater(1, () => resolve(true))));
const first = await fires(loops[0]);
const last = await fires(loops.at(-1));
loops[0].close();
let again;
try { again = await fires(loops[0] = await IOLoop.create({ module })); } catch (error) { again = String(error); }
for (const loop of loops) loop.close();
window.loops = {
  opened: loops.length,
  refusal: refusal && { name: refusal.name, message: refusal.message, cause: String(refusal.cause ?? "") },
  first, last, again,
};
`;

describe.skipIf(!chromium)("many loops in one Chromium page", () => {
  let site: Awaited<ReturnType<typeof serveBuiltPages>>;
  let browser: Browser;

  beforeAll(async () => {
    site = await serveBuiltPages({ loops: PAGE });
    browser = await launchChromium(chromium!);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it("refuses the loop one too many with a RangeError from IOLoop.create, keeps the open ones running, and takes a new loop once one is closed", async () => {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${site.origin}/loops`);
      await page.waitForFunction(() => "loops" in window, undefined, { timeout: 20_000 });
      const result = await page.evaluate(() => (window as unknown as { loops: Record<string, any> }).loops);
      // The limit is the runtime's (the memories) or the lanes', whichever
      // comes first; either way the refusal comes before 300.
      expect(result.refusal, `opened ${result.opened} without a refusal`).toBeDefined();
      expect(result.refusal.name).toBe("RangeError");
      expect(result.refusal.message).toBe(`IOLoop.create: ${result.opened} loops are open, the most this runtime can hold; close() some`);
      expect(result.opened).toBeGreaterThan(1);
      expect(result.opened).toBeLessThanOrEqual(256);
      expect(result).toMatchObject({ first: true, last: true, again: true });
    } finally {
      await page.close();
    }
  });
});
