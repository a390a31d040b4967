// Timers are numbers: callLater/callAt return an id, and the loop takes it
// back in removeTimeout, refreshTimeout and deadlineOf.
import { describe, expect, it } from "vitest";
import type { Timeout } from "../../src/index.js";
import { VirtualClock } from "../../src/time/virtual-clock.js";
import { createLoop, freshDebugModule, runningLoop } from "./helpers.js";

describe("timeout ids", () => {
  it("an id is a plain number, and distinct for every timeout scheduled", async () => {
    const { loop } = await runningLoop();
    const ids = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const id = loop.callLater(i % 7, () => {});
      expect(typeof id).toBe("number");
      expect(Number.isSafeInteger(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(1000);
  });

  it("removeTimeout returns true when it removed a pending timeout, which then never runs", async () => {
    const { loop, clock } = await runningLoop();
    let ran = false;
    const t = loop.callLater(5, () => { ran = true; });
    expect(loop.deadlineOf(t)).toBe(5);
    expect(loop.removeTimeout(t)).toBe(true);
    expect(loop.deadlineOf(t)).toBeUndefined();
    expect(loop.stats().pendingTimeouts).toBe(0);
    await clock.advance(10);
    expect(ran).toBe(false);
    loop.checkInvariants();
  });

  it("removeTimeout and refreshTimeout return false for an id already cancelled or already fired", async () => {
    const { loop, clock } = await runningLoop();
    const cancelled = loop.callLater(5, () => {});
    loop.removeTimeout(cancelled);
    expect(loop.removeTimeout(cancelled)).toBe(false);
    expect(loop.refreshTimeout(cancelled)).toBe(false);
    const fired = loop.callLater(1, () => {});
    await clock.advance(1);
    expect(loop.removeTimeout(fired)).toBe(false);
    expect(loop.refreshTimeout(fired)).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(0);
  });

  it("removeTimeout from the timeout's own call returns false: it is no longer pending", async () => {
    const { loop, clock } = await runningLoop();
    let result: boolean | undefined;
    const t = loop.callLater(1, () => { result = loop.removeTimeout(t); });
    await clock.advance(1);
    expect(result).toBe(false);
  });

  it("refreshTimeout moves the deadline to now plus the original delay and keeps the id", async () => {
    const { loop, clock } = await runningLoop();
    const firedAt: number[] = [];
    const t = loop.callLater(10, () => firedAt.push(loop.time()));
    await clock.advance(6);
    expect(loop.refreshTimeout(t)).toBe(true);
    expect(loop.deadlineOf(t)).toBe(16);
    await clock.advance(9); // now 15: the old deadline, 10, has passed
    expect(firedAt).toEqual([]);
    await clock.advance(1);
    expect(firedAt).toEqual([16]);
    loop.checkInvariants();
  });

  it("refreshTimeout of a pending timeout leaves one entry, however often it is refreshed", async () => {
    const { loop, clock } = await runningLoop();
    let fired = 0;
    const t = loop.callLater(10, () => fired++);
    for (let i = 0; i < 1000; i++) {
      await clock.advance(1);
      loop.refreshTimeout(t);
      expect(loop.stats().pendingTimeouts).toBe(1);
    }
    loop.checkInvariants();
    expect(fired).toBe(0);
    await clock.advance(10);
    expect(fired).toBe(1);
  });

  it("a refreshed timeout is ordered after those already scheduled for its new deadline", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    const x = loop.callLater(10, () => ran.push("x"));
    await clock.advance(2);
    loop.callAt(12, () => ran.push("y"));
    loop.refreshTimeout(x); // deadline 12, like y, but refreshed after y was scheduled
    await clock.advance(10);
    expect(ran).toEqual(["y", "x"]);
  });

  it("refreshTimeout from the timeout's own call makes it run again, keeping the id (the repeating-timer idiom)", async () => {
    const { loop, clock } = await runningLoop();
    const firedAt: number[] = [];
    const t = loop.callLater(10, () => {
      firedAt.push(loop.time());
      if (firedAt.length < 3) expect(loop.refreshTimeout(t)).toBe(true);
    });
    await clock.advance(100);
    expect(firedAt).toEqual([10, 20, 30]);
    expect(loop.refreshTimeout(t)).toBe(false);
    loop.checkInvariants();
  });

  it("once its call has returned, the id of a timeout is spent: refreshTimeout from a later callback is refused", async () => {
    const { loop, clock } = await runningLoop();
    let fired = 0, later: boolean | undefined;
    const t = loop.callLater(1, () => { fired++; });
    loop.callLater(1, () => { later = loop.refreshTimeout(t); });
    await clock.advance(20);
    expect(later).toBe(false);
    expect(fired).toBe(1);
  });

  it("refreshTimeout by an earlier entry of the iteration in which the timeout is due defers it", async () => {
    const { loop, clock, errors } = await runningLoop();
    const ran: string[] = [];
    let late: Timeout | undefined;
    loop.callLater(5, () => { ran.push("first"); loop.refreshTimeout(late); });
    late = loop.callLater(5, () => ran.push(`late@${loop.time()}`));
    await clock.advance(5);
    expect(ran).toEqual(["first"]);
    await clock.advance(5);
    expect(ran).toEqual(["first", "late@10"]);
    expect(errors).toEqual([]);
    loop.checkInvariants();
  });

  it("refreshTimeout keeps the arguments the timeout was scheduled with", async () => {
    const { loop, clock } = await runningLoop();
    const seen: unknown[][] = [];
    const t = loop.callLater(1, (...args: unknown[]) => {
      seen.push(args);
      if (seen.length === 1) loop.refreshTimeout(t);
    }, "a", 2);
    await clock.advance(5);
    expect(seen).toEqual([["a", 2], ["a", 2]]);
  });

  it("refreshTimeout of a callAt timeout re-arms with the delay it had when scheduled", async () => {
    const { loop, clock } = await runningLoop();
    await clock.advance(3);
    const t = loop.callAt(10, () => {}); // delay 7
    await clock.advance(2);
    loop.refreshTimeout(t);
    expect(loop.deadlineOf(t)).toBe(12);
  });
});

describe("an id is valid in its own loop only", () => {
  it("ids of a second loop never touch the first loop's timeouts, whatever their slots", async () => {
    const a = await runningLoop(), b = await runningLoop();
    let firedA = 0;
    const idsA = Array.from({ length: 100 }, () => a.loop.callLater(10, () => { firedA++; }));
    const idsB = Array.from({ length: 100 }, () => b.loop.callLater(10, () => {}));
    for (const id of idsB) {
      expect(a.loop.removeTimeout(id)).toBe(false);
      expect(a.loop.refreshTimeout(id)).toBe(false);
      expect(a.loop.deadlineOf(id)).toBeUndefined();
    }
    for (const id of idsA) expect(b.loop.removeTimeout(id)).toBe(false);
    expect(a.loop.stats().pendingTimeouts).toBe(100);
    expect(b.loop.stats().pendingTimeouts).toBe(100);
    await a.clock.advance(10);
    expect(firedA).toBe(100);
  });

  it("a spent id whose slot was reused never touches the timeout that reuses it", async () => {
    const { loop, clock } = await runningLoop();
    const spent: Timeout[] = [];
    for (let round = 0; round < 50; round++) {
      const id = loop.callLater(1, () => {});
      if (round % 2 === 0) loop.removeTimeout(id); else await clock.advance(1);
      spent.push(id);
    }
    let fired = 0;
    const live = Array.from({ length: 10 }, () => loop.callLater(5, () => { fired++; }));
    for (const id of spent) {
      expect(loop.removeTimeout(id)).toBe(false);
      expect(loop.refreshTimeout(id)).toBe(false);
      expect(loop.deadlineOf(id)).toBeUndefined();
    }
    expect(live.every((id) => loop.deadlineOf(id) !== undefined)).toBe(true);
    await clock.advance(5);
    expect(fired).toBe(10);
  });

  it("ids of a closed loop are refused by the loop that reuses its core", async () => {
    const first = await createLoop();
    const old = Array.from({ length: 20 }, () => first.callLater(5, () => {}));
    first.close();
    expect(first.removeTimeout(old[0]!)).toBe(false);
    const { loop, clock } = await runningLoop();
    let fired = 0;
    const fresh = Array.from({ length: 20 }, () => loop.callLater(5, () => { fired++; }));
    for (const id of old) expect(loop.removeTimeout(id)).toBe(false);
    expect(fresh.some((id) => old.includes(id))).toBe(false);
    await clock.advance(5);
    expect(fired).toBe(20);
  });

  it("100,000 random numbers touch none of 1,000 live timeouts", async () => {
    const { loop, clock } = await runningLoop();
    let fired = 0;
    const live = new Set<number>(Array.from({ length: 1000 }, () => loop.callLater(5, () => { fired++; })));
    let seed = 0x2545f491;
    const random = (): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 2 ** 32; };
    const near = [...live][500]!;
    for (let i = 0; i < 100_000; i++) {
      // Integers of every size, near a live id, fractions, negatives, edges.
      const kind = i % 5;
      const n = kind === 0 ? Math.floor(random() * 2 ** 53)
        : kind === 1 ? near + Math.floor(random() * 2 ** 24) - 2 ** 23
          : kind === 2 ? Math.floor(random() * 2 ** 32)
            : kind === 3 ? -Math.floor(random() * 2 ** 40)
              : [NaN, Infinity, -Infinity, 0.5, near + 0.5, 2 ** 53, -0][i % 7]!;
      if (live.has(n)) continue;
      expect(loop.removeTimeout(n as Timeout)).toBe(false);
      expect(loop.refreshTimeout(n as Timeout)).toBe(false);
    }
    expect(loop.stats().pendingTimeouts).toBe(1000);
    await clock.advance(5);
    expect(fired).toBe(1000);
    loop.checkInvariants();
  });

  it("null, undefined, strings and objects are refused without a throw", async () => {
    const { loop } = await runningLoop();
    loop.callLater(5, () => {});
    for (const value of [null, undefined, "1", {}, [], () => 1, 1n] as never[]) {
      expect(loop.removeTimeout(value)).toBe(false);
      expect(loop.refreshTimeout(value)).toBe(false);
      expect(loop.deadlineOf(value)).toBeUndefined();
    }
    expect(loop.stats().pendingTimeouts).toBe(1);
  });
});
