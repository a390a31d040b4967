// Faults of time: a clock that goes backwards, one that
// stands still while code runs (as Workers' clock does), and one that jumps
// far ahead. The loop's time never goes back, no timeout fires early or is
// lost, and nothing spins.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PeriodicCallback, type ErrorContext, type Timeout } from "../../src/index.js";
import { VirtualClock } from "../../src/time/virtual-clock.js";
import { createLoop } from "../host/helpers.js";

async function running(startMs = 1000) {
  const clock = new VirtualClock(startMs);
  const loop = await createLoop({ clock, onError: ({ error }) => { throw error; } });
  void loop.start();
  await clock.advance(0);
  return { loop, clock };
}

describe("a clock that goes backwards", () => {
  it("never moves the loop's time back, and counts new delays from the loop's time", async () => {
    const { loop, clock } = await running(1000);
    const fired: number[] = [];
    loop.callLater(50, () => fired.push(loop.time()));
    clock.set(400); // 600 ms back
    expect(loop.time()).toBe(1000);
    const later = loop.callLater(10, () => fired.push(loop.time()));
    expect(loop.deadlineOf(later)).toBe(1010);
    await clock.advance(700); // the clock reaches 1100
    expect(fired).toEqual([1010, 1050]);
    loop.checkInvariants();
  });

  it("loses no pending timeout and fires none early when it goes back repeatedly", async () => {
    const { loop, clock } = await running(0);
    const fired: Array<[number, number]> = [];
    for (let d = 1; d <= 40; d++) {
      const deadline = loop.time() + d;
      loop.callLater(d, () => { fired.push([deadline, loop.time()]); });
    }
    for (let step = 0; step < 40; step++) {
      await clock.advance(3);
      clock.set(clock.now() - 2); // a net second forward per step, with a jump back each time
    }
    await clock.advance(100);
    expect(fired.map(([deadline]) => deadline)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const [deadline, at] of fired) expect(at).toBeGreaterThanOrEqual(deadline);
  });
});

describe("a clock that stands still while code runs (Workers)", () => {
  it("still fires timeouts in order: a host timer that fired moves the loop's time to its deadline", async () => {
    // A frozen clock with no timers of its own: the loop uses real host
    // timers, as it does on Workers. No assertion on how long it takes.
    const frozen = { now: () => 5000 };
    const loop = await createLoop({ clock: frozen });
    const fired: Array<[string, number]> = [];
    const result = await loop.run(() => new Promise<string>((resolve) => {
      loop.callLater(30, () => { fired.push(["30", loop.time()]); resolve("done"); });
      loop.callLater(10, () => fired.push(["10", loop.time()]));
      loop.callLater(20, () => fired.push(["20", loop.time()]));
    }));
    expect(result).toBe("done");
    expect(fired.map(([name]) => name)).toEqual(["10", "20", "30"]);
    for (const [name, at] of fired) expect(at).toBeGreaterThanOrEqual(5000 + Number(name));
    expect(loop.stats().iterations).toBeLessThan(20); // no spinning on a clock that never moves
    loop.close();
  });
});

describe("a clock that jumps far ahead", () => {
  it("runs every timeout that fell due in one iteration, in deadline order, and none that did not", async () => {
    const { loop, clock } = await running(0);
    const fired: string[] = [];
    loop.callLater(3e9, () => fired.push("3e9"));
    loop.callLater(1e9, () => fired.push("1e9"));
    loop.callLater(2 ** 31 - 1, () => fired.push("2^31-1"));
    loop.callLater(Infinity, () => fired.push("never"));
    loop.callLater(2e10, () => fired.push("not yet"));
    const before = loop.stats().iterations;
    clock.set(1e10); // a jump, with no host timer firing on the way
    loop.addCallback(() => {}); // wakes the loop once
    await clock.advance(0);
    expect(fired).toEqual(["1e9", "2^31-1", "3e9"]);
    expect(loop.stats().iterations - before).toBeLessThanOrEqual(2);
    expect(loop.stats().pendingTimeouts).toBe(2);
  });

  it("fires a timeout far past the host's 2^31-1 ms timer limit at its deadline, re-arming in steps", async () => {
    const { loop, clock } = await running(0);
    let firedAt: number | undefined;
    const t = loop.callLater(3 * 2 ** 31, () => { firedAt = loop.time(); });
    const deadline = loop.deadlineOf(t);
    await clock.advance(3 * 2 ** 31 - 1);
    expect(firedAt).toBeUndefined();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(firedAt).toBe(deadline);
  });

  it("a PeriodicCallback skips the periods a jump missed instead of bursting", async () => {
    const { loop, clock } = await running(0);
    let calls = 0;
    const periodic = new PeriodicCallback(loop, () => { calls++; }, 10);
    periodic.start();
    await clock.advance(10);
    expect(calls).toBe(1);
    clock.set(1e6); // a jump of ~100,000 periods
    await clock.advance(0);
    await clock.advance(10);
    expect(calls).toBeLessThanOrEqual(3);
    periodic.stop();
  });
});

describe("a clock whose own scheduler throws (setTimer, clearTimer, queueMacrotask)", () => {
  type Method = "setTimer" | "clearTimer" | "queueMacrotask";

  /** A scheduling clock that stands still at 0. Its timers fire only when
   *  the test calls them; its macrotasks are the host's. The methods named
   *  in `broken` throw. */
  function brokenClock() {
    const timers: Array<() => void> = [];
    const broken = new Set<Method>();
    const clock = {
      broken,
      timers,
      now: () => 0,
      setTimer(fn: () => void): unknown {
        if (broken.has("setTimer")) throw new Error("setTimer broke");
        return timers.push(fn);
      },
      clearTimer(): void {
        if (broken.has("clearTimer")) throw new Error("clearTimer broke");
      },
      queueMacrotask(fn: () => void): void {
        if (broken.has("queueMacrotask")) throw new Error("queueMacrotask broke");
        setTimeout(fn, 0);
      },
    };
    return clock;
  }

  async function loopOn(clock: ReturnType<typeof brokenClock>) {
    const reports: ErrorContext[] = [];
    const loop = await createLoop({ clock, onError: (context) => { reports.push(context); } });
    return { loop, reports };
  }

  it("setTimer: reported once, and every timeout still fires in order, on the host's timer", async () => {
    const clock = brokenClock();
    clock.broken.add("setTimer");
    const { loop, reports } = await loopOn(clock);
    const fired: number[] = [];
    const result = await loop.run(() => new Promise<string>((resolve) => {
      loop.callLater(30, () => { fired.push(loop.time()); resolve("done"); });
      loop.callLater(10, () => fired.push(loop.time()));
      loop.callLater(20, () => fired.push(loop.time()));
    }));
    expect(result).toBe("done");
    expect(fired).toEqual([10, 20, 30]); // the host timer that fired moves the loop's time to its deadline
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ kind: "clock", fn: clock.setTimer });
    expect(String(reports[0]!.error)).toContain("setTimer broke");
    expect(clock.timers).toHaveLength(0);
  });

  it("queueMacrotask: reported once, and the loop still starts, runs callbacks and stops", async () => {
    const clock = brokenClock();
    clock.broken.add("queueMacrotask");
    const { loop, reports } = await loopOn(clock);
    let ran = 0;
    expect(await loop.run(() => { loop.addCallback(() => { ran++; }); return 42; })).toBe(42);
    loop.addCallback(() => { ran++; });
    await loop.run(() => new Promise<void>((resolve) => loop.callLater(5, resolve)));
    expect(ran).toBe(2);
    expect(reports.map(({ kind, fn }) => [kind, fn])).toEqual([["clock", clock.queueMacrotask]]);
  });

  it("clearTimer: reported once; the clock's timer it could not clear is ignored when it fires", async () => {
    const clock = brokenClock();
    const { loop, reports } = await loopOn(clock);
    const fired: string[] = [];
    void loop.start();
    loop.callLater(1000, () => fired.push("late"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.timers).toHaveLength(1); // the clock's timer, armed for 1000
    clock.broken.add("clearTimer");
    // An earlier deadline replaces the armed timer: clearTimer throws, and
    // the host's scheduler takes over.
    await new Promise<void>((resolve) => loop.callLater(20, () => { fired.push("early"); resolve(); }));
    expect(reports.map(({ kind, fn }) => [kind, fn])).toEqual([["clock", clock.clearTimer]]);
    expect(loop.time()).toBe(20);
    expect(loop.stats().hostTimers).toBe(1); // the host's, for "late"
    // The clock fires its stale timer after all: were it taken for the
    // host's, the loop's time would jump to 1000 and "late" would run now.
    clock.timers[0]!();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toEqual(["early"]);
    expect(loop.time()).toBe(20);
    expect(loop.stats().hostTimers).toBe(1);
    expect(reports).toHaveLength(1);
    loop.stop();
  });

  it("whichever method breaks, and whenever: every timeout kept fires once, in (deadline, order), never early; one report", async () => {
    /** Polls with the host's own timer: the loop's wake-ups are what is tested. */
    const until = async (done: () => boolean, ms: number): Promise<void> => {
      for (const end = performance.now() + ms; !done() && performance.now() < end;) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    await fc.assert(fc.asyncProperty(
      fc.constantFrom<Method>("setTimer", "clearTimer", "queueMacrotask"),
      fc.nat({ max: 6 }),
      fc.array(fc.record({ delay: fc.nat({ max: 12 }), then: fc.constantFrom("keep", "cancel", "refresh"), pause: fc.boolean() }),
        { minLength: 1, maxLength: 20 }),
      async (method, breakAfter, plan) => {
        // A real-time clock with real timers, whose `method` throws from its
        // (breakAfter + 1)th call on.
        let calls = 0;
        const count = (name: Method): void => {
          if (name === method && ++calls > breakAfter) throw new Error(`${name} broke`);
        };
        const clock = {
          now: () => performance.now(),
          setTimer: (fn: () => void, ms: number): unknown => { count("setTimer"); return setTimeout(fn, ms); },
          clearTimer: (handle: unknown): void => { count("clearTimer"); clearTimeout(handle as ReturnType<typeof setTimeout>); },
          queueMacrotask: (fn: () => void): void => { count("queueMacrotask"); setTimeout(fn, 0); },
        };
        const reports: ErrorContext[] = [];
        const loop = await createLoop({ clock, onError: (context) => { reports.push(context); } });
        const fired: Array<{ i: number; at: number }> = [];
        const kept: Array<{ i: number; deadline: number }> = [];
        void loop.start();
        for (const [i, step] of plan.entries()) {
          const id = loop.callLater(step.delay, () => { fired.push({ i, at: loop.time() }); });
          if (step.then === "cancel") loop.removeTimeout(id);
          else {
            if (step.then === "refresh") loop.refreshTimeout(id);
            kept.push({ i, deadline: loop.deadlineOf(id)! });
          }
          if (step.pause) await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
        }
        await until(() => fired.length >= kept.length, 2000);
        loop.stop();
        kept.sort((a, b) => a.deadline - b.deadline || a.i - b.i);
        expect(fired.map(({ i }) => i)).toEqual(kept.map(({ i }) => i));
        for (const [n, { at }] of fired.entries()) expect(at).toBeGreaterThanOrEqual(kept[n]!.deadline);
        expect(reports.map(({ kind }) => kind)).toEqual(calls > breakAfter ? ["clock"] : []);
      },
    ), { numRuns: 40 });
  });
});
