// Callbacks and timeouts: what an iteration runs, in what
// order, and what an earlier entry of the same iteration can prevent.
import { describe, expect, it } from "vitest";
import { createLoop, runningLoop, virtualLoop } from "./helpers.js";

describe("callbacks", () => {
  it("runs callbacks in FIFO order", async () => {
    const { loop, clock } = await runningLoop();
    const ran: number[] = [];
    for (let i = 0; i < 50; i++) loop.addCallback(() => ran.push(i));
    loop.checkInvariants();
    await clock.advance(0);
    expect(ran).toEqual([...Array(50).keys()]);
    loop.checkInvariants();
  });

  it("a callback added from a callback runs in the next iteration, not the current one", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    loop.addCallback(() => {
      ran.push(`first@${loop.stats().iterations}`);
      loop.addCallback(() => ran.push(`added@${loop.stats().iterations}`));
    });
    loop.addCallback(() => ran.push(`second@${loop.stats().iterations}`));
    await clock.advance(0);
    const n = Number(ran[0].split("@")[1]);
    expect(ran).toEqual([`first@${n}`, `second@${n}`, `added@${n + 1}`]);
    loop.checkInvariants();
  });

  it("a callback added from a callback wakes the loop at once, without waiting for a timeout", async () => {
    const { loop, clock } = await runningLoop();
    loop.callLater(1000, () => {});
    const ranAt: number[] = [];
    loop.addCallback(() => loop.addCallback(() => ranAt.push(loop.time())));
    await clock.advance(0);
    expect(ranAt).toEqual([0]);
    loop.checkInvariants();
  });

  it("a callback added from a timeout runs in the next iteration and wakes the loop at once", async () => {
    const { loop, clock } = await runningLoop();
    loop.callLater(1000, () => {});
    const ran: string[] = [];
    loop.callLater(10, () => {
      ran.push(`timeout@${loop.stats().iterations}`);
      loop.addCallback(() => ran.push(`callback@${loop.stats().iterations}@${loop.time()}`));
    });
    loop.callLater(10, () => ran.push(`timeout2@${loop.stats().iterations}`));
    await clock.advance(10);
    const n = Number(ran[0].split("@")[1]);
    expect(ran).toEqual([`timeout@${n}`, `timeout2@${n}`, `callback@${n + 1}@10`]);
  });

  it("extra arguments reach a callback unchanged, however many, including undefined", async () => {
    const { loop, clock } = await runningLoop();
    const object = { a: 1 };
    const seen: unknown[][] = [];
    loop.addCallback((...args: unknown[]) => seen.push(args), object, undefined, "x", 0, null);
    loop.addCallback((...args: unknown[]) => seen.push(args));
    loop.addCallback((...args: unknown[]) => seen.push(args), undefined);
    await clock.advance(0);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toHaveLength(5);
    expect(seen[0][0]).toBe(object);
    expect(seen[0]).toEqual([object, undefined, "x", 0, null]);
    expect(seen[1]).toEqual([]);
    expect(seen[2]).toHaveLength(1);
  });
});

describe("timeouts", () => {
  it("due timeouts run in (deadline, sequence) order", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    loop.callLater(10, () => ran.push("10a"));
    loop.callLater(5, () => ran.push("5a"));
    loop.callAt(10, () => ran.push("10b"));
    loop.callLater(5, () => ran.push("5b"));
    loop.callLater(7.5, () => ran.push("7.5"));
    loop.callLater(10, () => ran.push("10c"));
    loop.checkInvariants();
    await clock.advance(10);
    expect(ran).toEqual(["5a", "5b", "7.5", "10a", "10b", "10c"]);
    loop.checkInvariants();
  });

  it("many timeouts with equal deadlines fire in the order they were scheduled", async () => {
    const { loop, clock } = await runningLoop();
    const ran: number[] = [];
    const handles = [];
    for (let i = 0; i < 300; i++) handles.push(loop.callLater([30, 10, 20][i % 3], () => ran.push(i)));
    for (let i = 0; i < 300; i += 7) loop.removeTimeout(handles[i]!);
    await clock.advance(30);
    const expected = [1, 2, 0].flatMap((r) => [...Array(300).keys()].filter((i) => i % 3 === r && i % 7 !== 0));
    expect(ran).toEqual(expected);
    loop.checkInvariants();
  });

  it("timeouts due in the same iteration run in (deadline, sequence) order, after the callbacks", async () => {
    const { loop, errors } = await virtualLoop();
    const ran: string[] = [];
    loop.callLater(-1, () => ran.push("-1"));
    loop.callLater(-3, () => ran.push("-3"));
    loop.callLater(-1, () => ran.push("-1b"));
    loop.addCallback(() => ran.push("callback"));
    loop.stop();
    await loop.start(); // one iteration: everything above is due in it
    expect(ran).toEqual(["callback", "-3", "-1", "-1b"]);
    expect(errors).toEqual([]);
  });

  it("extra arguments reach timeouts unchanged, from callLater and callAt", async () => {
    const { loop, clock } = await runningLoop();
    const object = {};
    const seen: unknown[][] = [];
    loop.callLater(1, (...args: unknown[]) => seen.push(args), object, undefined, 2);
    loop.callAt(2, (...args: unknown[]) => seen.push(args), "at", object);
    loop.callLater(3, (...args: unknown[]) => seen.push(args));
    await clock.advance(3);
    expect(seen).toEqual([[object, undefined, 2], ["at", object], []]);
    expect(seen[0][0]).toBe(object);
  });

  it("a timeout never runs before its deadline on the loop's clock", async () => {
    const { loop, clock } = await runningLoop();
    const early: string[] = [];
    let fired = 0;
    for (let i = 0; i < 200; i++) {
      const deadline = (i * 7.31) % 97;
      loop.callAt(deadline, () => {
        fired++;
        if (loop.time() < deadline) early.push(`${deadline} at ${loop.time()}`);
      });
    }
    for (let t = 0; t < 100; t += 3.7) await clock.advance(3.7);
    expect(fired).toBe(200);
    expect(early).toEqual([]);
  });

  it("a timeout is not run while its deadline is still ahead", async () => {
    const { loop, clock } = await runningLoop();
    let fired = false;
    loop.callLater(10, () => { fired = true; });
    await clock.advance(9.999);
    expect(fired).toBe(false);
    await clock.advance(0.001);
    expect(fired).toBe(true);
  });

  it("a timeout scheduled from a firing timeout, even with delay 0, does not run in the same pass", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    loop.callLater(5, () => {
      ran.push(`outer@${loop.stats().iterations}`);
      loop.callLater(0, () => ran.push(`inner@${loop.stats().iterations}`));
      loop.callLater(-5, () => ran.push(`past@${loop.stats().iterations}`));
    });
    loop.callLater(5, () => ran.push(`sibling@${loop.stats().iterations}`));
    await clock.advance(5);
    const n = Number(ran[0].split("@")[1]);
    expect(ran).toEqual([`outer@${n}`, `sibling@${n}`, `past@${n + 1}`, `inner@${n + 1}`]);
    loop.checkInvariants();
  });

  it("a timeout cancelled by a callback earlier in the same iteration never fires", async () => {
    const { loop, errors } = await virtualLoop();
    const ran: string[] = [];
    const victim = loop.callLater(-1, () => ran.push("victim"));
    loop.addCallback(() => ran.push(`cancel:${loop.removeTimeout(victim)}`));
    loop.stop();
    await loop.start(); // both are in one iteration
    expect(ran).toEqual(["cancel:true"]);
    expect(errors).toEqual([]); // skipped, not called with a cleared function
    loop.checkInvariants();
  });

  it("a timeout cancelled by a timeout earlier in the same iteration never fires", async () => {
    const { loop, clock, errors } = await runningLoop();
    const ran: string[] = [];
    let victim: ReturnType<typeof loop.callLater> | undefined;
    loop.callLater(5, () => ran.push(`cancel:${loop.removeTimeout(victim)}`));
    victim = loop.callLater(5, () => ran.push("victim"));
    loop.callLater(5, () => ran.push("after"));
    await clock.advance(10);
    expect(ran).toEqual(["cancel:true", "after"]);
    expect(errors).toEqual([]);
    expect(loop.stats().pendingTimeouts).toBe(0);
    loop.checkInvariants();
  });

  it("cancelling removes the timeout at once: pending count and memory follow the live timeouts only", async () => {
    const { loop } = await runningLoop();
    const live = [];
    for (let i = 0; i < 100; i++) live.push(loop.callLater(1000 + i, () => {}));
    const memoryBefore = loop.stats().wasmMemoryBytes;
    let cancelled = 0;
    for (let i = 0; i < 20_000; i++) {
      const replacement = loop.callLater(2000 + (i % 500), () => {});
      if (loop.removeTimeout(live[i % 100]!)) cancelled++;
      live[i % 100] = replacement;
    }
    expect(cancelled).toBe(20_000);
    expect(loop.stats().pendingTimeouts).toBe(100);
    expect(loop.stats().wasmMemoryBytes).toBe(memoryBefore);
    loop.checkInvariants();
  });

  it("removeTimeout returns false for a timeout that fired, and changes nothing", async () => {
    const { loop, clock } = await runningLoop();
    const fired = loop.callLater(1, () => {});
    await clock.advance(1);
    const other = loop.callLater(5, () => {});
    expect(loop.removeTimeout(fired)).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(1);
    expect(loop.deadlineOf(other)).toBe(6);
    loop.checkInvariants();
  });

  it("removeTimeout returns false for a timeout already cancelled, and changes nothing", async () => {
    const { loop } = await runningLoop();
    const t = loop.callLater(1, () => {});
    loop.callLater(2, () => {});
    expect(loop.removeTimeout(t)).toBe(true);
    expect(loop.removeTimeout(t)).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(1);
    loop.checkInvariants();
  });

  it("removeTimeout returns false for null, undefined, a non-timeout and another loop's timeout", async () => {
    const { loop, clock } = await runningLoop();
    const other = await createLoop({ clock });
    const foreign = other.callLater(1, () => {});
    let fired = 0;
    loop.callLater(1, () => fired++);
    expect(loop.removeTimeout(null)).toBe(false);
    expect(loop.removeTimeout(undefined)).toBe(false);
    expect(loop.removeTimeout({ id: 0 } as never)).toBe(false);
    expect(loop.removeTimeout(foreign)).toBe(false);
    expect(other.deadlineOf(foreign)).toBe(1);
    expect(other.stats().pendingTimeouts).toBe(1);
    expect(loop.stats().pendingTimeouts).toBe(1);
    await clock.advance(1);
    expect(fired).toBe(1);
    loop.checkInvariants();
    other.checkInvariants();
  });
});
