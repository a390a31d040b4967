// PeriodicCallback: Tornado's grid, skipping, jitter,
// and no overlap of an async callback with itself.
import { afterEach, describe, expect, it, vi } from "vitest";
import { PeriodicCallback } from "../../src/index.js";
import { runningLoop } from "./helpers.js";

afterEach(() => { vi.restoreAllMocks(); });

describe("PeriodicCallback", () => {
  it("calls land on start + n * period", async () => {
    const { loop, clock } = await runningLoop();
    await clock.advance(3);
    const calls: number[] = [];
    const pc = new PeriodicCallback(loop, () => calls.push(loop.time()), 10);
    pc.start();
    expect(pc.isRunning()).toBe(true);
    await clock.advance(45);
    expect(calls).toEqual([13, 23, 33, 43]);
    pc.stop();
  });

  it("a slow call skips the whole periods it missed instead of bursting", async () => {
    const { loop, clock } = await runningLoop();
    const calls: number[] = [];
    const pc = new PeriodicCallback(loop, () => {
      calls.push(loop.time());
      if (calls.length === 2) clock.set(clock.now() + 25); // overruns into the 3rd period
    }, 10);
    pc.start();
    await clock.advance(60);
    // 10, then 20 runs until 45: 30 and 40 are skipped, the grid resumes at 50.
    expect(calls).toEqual([10, 20, 50, 60]);
    pc.stop();
  });

  it("a call that lands exactly on a later grid point still moves to the next one", async () => {
    const { loop, clock } = await runningLoop();
    const calls: number[] = [];
    const pc = new PeriodicCallback(loop, () => {
      calls.push(loop.time());
      if (calls.length === 1) clock.set(clock.now() + 20); // ends at 30, a grid point
    }, 10);
    pc.start();
    await clock.advance(40);
    expect(calls).toEqual([10, 40]);
    pc.stop();
  });

  it("with jitter, each period is scaled by a factor in [1 - jitter/2, 1 + jitter/2]", async () => {
    const { loop, clock } = await runningLoop();
    const randoms = [0, 0.999999, 0.5];
    vi.spyOn(Math, "random").mockImplementation(() => randoms.shift() ?? 0.5);
    const calls: number[] = [];
    const pc = new PeriodicCallback(loop, () => calls.push(loop.time()), 100, { jitter: 0.5 });
    pc.start();
    await clock.advance(400);
    // periods 75 (factor 0.75), ~125 (factor ~1.25), then 100
    expect(calls).toHaveLength(4);
    expect(calls[0]).toBe(75);
    expect(calls[1]).toBeCloseTo(200, 3);
    expect(calls[2]).toBeCloseTo(300, 3);
    pc.stop();
  });

  it("with jitter, every period stays within its bounds over many calls", async () => {
    const { loop, clock } = await runningLoop();
    const calls: number[] = [];
    const pc = new PeriodicCallback(loop, () => calls.push(loop.time()), 10, { jitter: 0.4 });
    pc.start();
    await clock.advance(1000);
    pc.stop();
    const periods = calls.map((t, i) => t - (i === 0 ? 0 : calls[i - 1]));
    expect(periods.length).toBeGreaterThan(50);
    for (const p of periods) {
      expect(p).toBeGreaterThanOrEqual(8 - 1e-9);
      expect(p).toBeLessThanOrEqual(12 + 1e-9);
    }
    expect(new Set(periods.map((p) => p.toFixed(6))).size).toBeGreaterThan(1);
  });

  it("an async callback is never overlapped with itself", async () => {
    const { loop, clock } = await runningLoop();
    let inFlight = 0, most = 0, calls = 0;
    const pc = new PeriodicCallback(loop, () => {
      calls++;
      inFlight++;
      most = Math.max(most, inFlight);
      // Settles 25 ms later: past two more grid points.
      return new Promise<void>((resolve) => loop.callLater(25, () => { inFlight--; resolve(); }));
    }, 10);
    pc.start();
    await clock.advance(200);
    pc.stop();
    expect(most).toBe(1);
    expect(calls).toBeGreaterThan(3);
  });

  it("an async callback is not overlapped even when stopped and started again while it runs", async () => {
    const { loop, clock } = await runningLoop();
    let inFlight = 0, most = 0, calls = 0;
    let pc: PeriodicCallback | undefined;
    pc = new PeriodicCallback(loop, () => {
      calls++;
      inFlight++;
      most = Math.max(most, inFlight);
      if (calls === 1) { pc!.stop(); pc!.start(); }
      return new Promise<void>((resolve) => loop.callLater(25, () => { inFlight--; resolve(); }));
    }, 10);
    pc.start();
    await clock.advance(200);
    pc.stop();
    expect(most).toBe(1);
    expect(calls).toBeGreaterThan(3);
  });

  it("stopped and started again from inside a sync call, it keeps one schedule, not two", async () => {
    const { loop, clock } = await runningLoop();
    const calls: number[] = [];
    const pc = new PeriodicCallback(loop, () => {
      calls.push(loop.time());
      if (calls.length === 1) { pc.stop(); pc.start(); }
    }, 10);
    pc.start();
    await clock.advance(45);
    expect(loop.stats().pendingTimeouts).toBe(1);
    expect(calls).toEqual([10, 20, 30, 40]);
    pc.stop();
  });

  it("a callback that throws is reported as a timeout and the calls go on", async () => {
    const { loop, clock, reports } = await runningLoop();
    let calls = 0;
    const failing = () => { calls++; throw new Error("tick"); };
    const pc = new PeriodicCallback(loop, failing, 10);
    pc.start();
    await clock.advance(30);
    pc.stop();
    expect(calls).toBe(3);
    expect(reports.map((r) => [r.kind, r.fn])).toEqual([["timeout", failing], ["timeout", failing], ["timeout", failing]]);
  });

  it("a slow callback is reported once, as itself", async () => {
    const slow: { kind: string; fn: Function }[] = [];
    const { loop, clock } = await runningLoop({ slowCallbackMs: 5, onSlowCallback: (c) => slow.push(c) });
    const lingering = () => clock.set(clock.now() + 8);
    const pc = new PeriodicCallback(loop, lingering, 100);
    pc.start();
    await clock.advance(100);
    pc.stop();
    expect(slow).toEqual([{ kind: "timeout", fn: lingering, durationMs: 8 }]);
  });

  it("stop() stops the calls and leaves no timeout pending; start() twice schedules once", async () => {
    const { loop, clock } = await runningLoop();
    let calls = 0;
    const pc = new PeriodicCallback(loop, () => calls++, 10);
    pc.start();
    pc.start();
    expect(loop.stats().pendingTimeouts).toBe(1);
    await clock.advance(25);
    expect(calls).toBe(2);
    pc.stop();
    expect(pc.isRunning()).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(0);
    await clock.advance(100);
    expect(calls).toBe(2);
  });
});
