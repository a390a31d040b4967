// The limits: 256 loops open at once in a process, one per lane, so that no
// two loops ever share an id (a page holds fewer: tests/pages/many-loops),
// and 2,097,152 pending timeouts a loop, the slots an id has room for. Past
// either the call refuses with an error that names it and says what is
// wrong, and loses nothing: what is already there keeps running, and taking
// one away makes room.
import { expect, it } from "vitest";
import { IOLoop, type Timeout } from "../../src/index.js";
import { freshDebugModule } from "./helpers.js";

/** Every id the first test's loops issued: none may ever be issued again. */
const issued: number[] = [];

/** Has `loop` issue a few ids, some from a reused slot, and keeps them. */
function issueSome(loop: IOLoop): void {
  for (let i = 0; i < 3; i++) {
    const id = loop.callLater(60_000, () => {});
    issued.push(id);
    if (i < 2) loop.removeTimeout(id);
  }
}

const fires = (loop: IOLoop) => loop.run(() => new Promise<boolean>((resolve) => { loop.callLater(1, () => resolve(true)); }));

it("refuses the 257th open loop with a RangeError from IOLoop.create, keeps the 256 running, and takes a new loop once one is closed", async () => {
  const module = await freshDebugModule();
  const loops: IOLoop[] = [];
  let refusal: unknown;
  try {
    while (loops.length < 300) {
      try { loops.push(await IOLoop.create({ module })); } catch (error) { refusal = error; break; }
      issueSome(loops.at(-1)!);
    }
    expect(loops).toHaveLength(256); // this file's module graph made no loop before
    expect(refusal).toBeInstanceOf(RangeError);
    expect((refusal as Error).message).toBe("IOLoop.create: 256 loops are open, the most this runtime can hold; close() some");

    expect(await fires(loops[0]!)).toBe(true);
    expect(await fires(loops[255]!)).toBe(true);
    loops[0]!.close();
    loops[0] = await IOLoop.create({ module });
    expect(await fires(loops[0])).toBe(true);
    await expect(IOLoop.create({ module })).rejects.toThrow(/^IOLoop\.create: 256 loops are open/);
  } finally {
    for (const loop of loops) loop.close();
  }
});

it("gives a loop of another module the lane of a closed loop's pooled core, once every lane is taken, and it never issues an id that core did", async () => {
  // Every lane is now held by a pooled core of the first test's module.
  const loop = await IOLoop.create({ module: await freshDebugModule() });
  try {
    const old = new Set(issued);
    const fresh: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = loop.callLater(60_000, () => {});
      fresh.push(id);
      if (i % 2 === 0) loop.removeTimeout(id); // reuse slots: later generations
    }
    expect(fresh.filter((id) => old.has(id))).toEqual([]);
    for (const id of issued) {
      expect(loop.deadlineOf(id as Timeout)).toBeUndefined();
      expect(loop.refreshTimeout(id as Timeout)).toBe(false);
      expect(loop.removeTimeout(id as Timeout)).toBe(false);
    }
    expect(loop.stats().pendingTimeouts).toBe(500);
  } finally {
    loop.close();
  }
});

it("refuses the 2,097,153rd pending timeout with a RangeError from callLater, and takes one again once a timeout is removed", async () => {
  const loop = await IOLoop.create({ module: await freshDebugModule() });
  try {
    const limit = 2 ** 21;
    const fn = (): void => {};
    let first: Timeout | undefined, last: Timeout | undefined;
    const lastFired = await loop.run(() => new Promise<boolean>((resolve) => {
      first = loop.callLater(60_000, fn);
      last = loop.callLater(1, () => resolve(true));
      // The rest, up to the limit (run's timeoutMs holds one slot too).
      for (let i = loop.stats().pendingTimeouts; i < limit; i++) loop.callLater(60_000 + (i % 1000), fn);
      expect(loop.stats().pendingTimeouts).toBe(limit);
      expect(() => loop.callLater(1, fn)).toThrow(new RangeError(`callLater: too many pending timeouts (the limit is ${limit})`));
      expect(() => loop.callAt(0, fn)).toThrow(/^callAt: too many pending timeouts/);
      expect(loop.removeTimeout(first)).toBe(true);
      expect(typeof loop.callLater(60_000, fn)).toBe("number");
    }), { timeoutMs: 10_000 });
    expect(lastFired).toBe(true); // the loop ran on at its limit
    expect(loop.deadlineOf(last)).toBeUndefined();
    expect(loop.stats().pendingTimeouts).toBe(limit - 2); // less the one that fired and run's own
  } finally {
    loop.close();
  }
});
