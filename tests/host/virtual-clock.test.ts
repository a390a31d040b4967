// VirtualClock: time that tests move by hand.
import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../../src/index.js";
import { runningLoop } from "./helpers.js";

afterEach(() => { vi.restoreAllMocks(); });

describe("VirtualClock", () => {
  it("starts at startMs and moves only when told", async () => {
    const clock = new VirtualClock(500);
    expect(clock.now()).toBe(500);
    await clock.advance(20);
    expect(clock.now()).toBe(520);
    clock.set(10);
    expect(clock.now()).toBe(10);
  });

  it("runs its timers in order of time, then of arming, each at its own time", async () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    clock.setTimer(() => ran.push(`b@${clock.now()}`), 20);
    clock.setTimer(() => ran.push(`a@${clock.now()}`), 10);
    clock.setTimer(() => ran.push(`c@${clock.now()}`), 20);
    const cleared = clock.setTimer(() => ran.push("cleared"), 5);
    clock.clearTimer(cleared);
    expect(clock.pendingTimers).toBe(3);
    await clock.advance(15);
    expect(ran).toEqual(["a@10"]);
    expect(clock.now()).toBe(15);
    await clock.advance(100);
    expect(ran).toEqual(["a@10", "b@20", "c@20"]);
    expect(clock.now()).toBe(115);
    expect(clock.pendingTimers).toBe(0);
  });

  it("runs a timer armed by a timer during the same advance, if it falls due", async () => {
    const clock = new VirtualClock();
    const ran: number[] = [];
    clock.setTimer(() => { ran.push(clock.now()); clock.setTimer(() => ran.push(clock.now()), 5); }, 10);
    await clock.advance(15);
    expect(ran).toEqual([10, 15]);
  });

  it("advancing runs every loop iteration that falls due, in order, without real timers", async () => {
    const { loop, clock } = await runningLoop();
    const realTimeout = vi.spyOn(globalThis, "setTimeout");
    const ran: number[] = [];
    for (let i = 1; i <= 100; i++) loop.callLater(i * 36_000, () => ran.push(loop.time()));
    await clock.advance(3_600_000); // an hour
    expect(ran).toHaveLength(100);
    expect(ran).toEqual([...ran].sort((a, b) => a - b));
    expect(ran[99]).toBe(3_600_000);
    expect(realTimeout).not.toHaveBeenCalled();
  });

  it("lets promise chains started by a timeout settle before the next timer runs", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    loop.callLater(10, async () => {
      await null;
      await null;
      ran.push("continuation");
    });
    loop.callLater(11, () => ran.push("next"));
    await clock.advance(11);
    expect(ran).toEqual(["continuation", "next"]);
  });

  it("a negative advance moves time back and runs nothing", async () => {
    const clock = new VirtualClock(100);
    let ran = false;
    clock.setTimer(() => { ran = true; }, 1);
    await clock.advance(-50);
    expect(clock.now()).toBe(50);
    expect(ran).toBe(false);
  });

  it("refuses a non-finite start or set, and a NaN advance", async () => {
    expect(() => new VirtualClock(NaN)).toThrow(RangeError);
    expect(() => new VirtualClock(Infinity)).toThrow(RangeError);
    expect(() => new VirtualClock().set(NaN)).toThrow(RangeError);
    await expect(new VirtualClock().advance(NaN)).rejects.toThrow(RangeError);
  });
});
