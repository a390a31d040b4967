// The JavaScript loop designs the public-API benchmark compares the loop
// with: a figure means nothing unless they do the work a timer loop must.
import { describe, expect, it } from "vitest";
import { FlatHeapLoop } from "../../bench/api/peers/best-js";
import { HandleHeapLoop } from "../../bench/api/peers/handle-heap";

type Design = FlatHeapLoop | HandleHeapLoop;
type Handle = ReturnType<Design["callLater"]>;

/** The two calls the tests make, typed for either design's handles. */
function timers(loop: Design) {
  return {
    later: (delayMs: number, fn: () => void): Handle => loop.callLater(delayMs, fn),
    remove: (handle: Handle): boolean => (loop.removeTimeout as (h: Handle) => boolean).call(loop, handle),
  };
}

const designs: [string, () => Design][] = [
  ["the best JS design (flat heap)", () => new FlatHeapLoop()],
  ["Tornado's design (tinyqueue + handles)", () => new HandleHeapLoop()],
];

function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

describe.each(designs)("%s", (_, make) => {
  it("fires in (deadline, scheduling) order and never a cancelled timeout, rebuilding its heap on the way", async () => {
    const loop = make();
    const { later, remove } = timers(loop);
    const next = random(7);
    const fired: number[] = [];
    const expected: { delay: number; order: number }[] = [];
    await loop.run(() => new Promise<void>((resolve) => {
      const handles: Handle[] = [];
      const n = 3000;
      for (let i = 0; i < n; i++) {
        const delay = 1 + Math.floor(next() * 20); // many equal delays
        handles.push(later(delay, () => {
          fired.push(i);
          if (fired.length === expected.length) resolve();
        }));
        expected.push({ delay, order: i });
      }
      // Cancel two thirds: enough for both designs to rebuild their heaps.
      for (let i = 0; i < n; i++) {
        if (i % 3 !== 0) {
          expect(remove(handles[i])).toBe(true);
          expect(remove(handles[i])).toBe(false);
        }
      }
      expected.splice(0, n, ...expected.filter((e) => e.order % 3 === 0));
    }));
    expected.sort((a, b) => a.delay - b.delay || a.order - b.order);
    expect(fired).toEqual(expected.map((e) => e.order));
    loop.close();
  });

  it("skips a due timeout cancelled by an earlier one in the same task", async () => {
    const loop = make();
    const { later, remove } = timers(loop);
    const calls: string[] = [];
    await loop.run(() => new Promise<void>((resolve) => {
      let second: Handle;
      later(5, () => { calls.push("first"); remove(second); });
      second = later(5, () => calls.push("second"));
      later(5, () => { calls.push("third"); resolve(); });
    }));
    expect(calls).toEqual(["first", "third"]);
    loop.close();
  });
});

describe("the best JS design's ids", () => {
  it("refuses a spent id once its slot is reused, and any other number", () => {
    const loop = new FlatHeapLoop();
    const first = loop.callLater(1000, () => {});
    expect(loop.removeTimeout(first)).toBe(true);
    const second = loop.callLater(1000, () => {}); // the same slot, a new generation
    expect(second).not.toBe(first);
    expect(loop.removeTimeout(first)).toBe(false);
    for (const other of [-1, 0.5, NaN, 2 ** 29, second + 1]) expect(loop.removeTimeout(other)).toBe(false);
    expect(loop.removeTimeout(second)).toBe(true);
    expect(Number.isInteger(second) && second < 2 ** 30).toBe(true);
    loop.close();
  });
});
