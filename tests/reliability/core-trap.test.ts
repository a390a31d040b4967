// Faults: the core traps because its memory cannot grow past maxMemoryBytes.
// The loop must say it failed and why, reject what is
// waiting on it, refuse further calls with that cause, run no more user code,
// report what it dropped, and leave nothing hanging.

import { describe, expect, it } from "vitest";
import { LoopFailedError, PeriodicCallback, type IOLoop } from "../../src/index.js";
import { VirtualClock } from "../../src/time/virtual-clock.js";
import { createLoop } from "../host/helpers.js";

const ONE_PAGE = 65536;

/** Schedules timeouts until the core runs out of memory; returns how many
 *  were accepted and the error the failing call threw. */
function fillUntilTrap(loop: IOLoop): { accepted: number; error: unknown } {
  let accepted = 0;
  try {
    for (;;) { loop.callLater(1000, () => {}); accepted++; }
  } catch (error) {
    return { accepted, error };
  }
}

async function cappedLoop() {
  const clock = new VirtualClock();
  const errors: unknown[] = [];
  const loop = await createLoop({ clock, maxMemoryBytes: ONE_PAGE, onError: ({ error }) => errors.push(error) });
  return { loop, clock, errors };
}

describe("a core that traps (memory capped by maxMemoryBytes)", () => {
  it("marks the loop failed with a cause that says the memory is exhausted", async () => {
    const { loop } = await cappedLoop();
    const { accepted, error } = fillUntilTrap(loop);
    expect(accepted).toBeGreaterThan(100);
    expect(error).toBeInstanceOf(LoopFailedError);
    expect(loop.failed).toBe(error);
    expect(loop.failed!.message).toMatch(/out of memory: its linear memory is at maxMemoryBytes \(65536 bytes\)/);
    expect((loop.failed!.cause as Error).name).toBe("CoreTrap");
  });

  it("rounds maxMemoryBytes down to whole 64 KiB pages", async () => {
    const loop = await createLoop({ maxMemoryBytes: ONE_PAGE + 1000 });
    fillUntilTrap(loop);
    expect(loop.failed!.message).toMatch(/at maxMemoryBytes \(65536 bytes\)/);
  });

  it("throws the same failure from every later call, and never calls the core again", async () => {
    const { loop } = await cappedLoop();
    const { error } = fillUntilTrap(loop);
    const calls: Array<() => unknown> = [
      () => loop.addCallback(() => {}),
      () => loop.callLater(1, () => {}),
      () => loop.callAt(1, () => {}),
      () => loop.addHandler(1, () => {}, 1),
      () => loop.setReady(1, 1),
      () => loop.clearReady(1, 1),
      () => loop.updateHandler(1, 1),
      () => loop.start(),
      () => loop.run(() => 1),
      () => new PeriodicCallback(loop, () => {}, 10).start(),
    ];
    for (const call of calls) expect(call).toThrow(error as Error);
    expect(loop.removeTimeout(null)).toBe(false);
    expect(loop.removeHandler(1)).toBe(false);
    expect(() => loop.stop()).not.toThrow();
    expect(loop.stats()).toMatchObject({ pendingTimeouts: 0, queuedCallbacks: 0, handlers: 0, hostTimers: 0 });
  });

  it("reports, on close(), everything the failure dropped", async () => {
    const { loop } = await cappedLoop();
    loop.addCallback(() => {});
    loop.addHandler(7, () => {}, 1);
    const { accepted } = fillUntilTrap(loop);
    expect(loop.close()).toEqual({ callbacks: 1, timeouts: accepted, handlers: 1 });
    expect(loop.close()).toEqual({ callbacks: 0, timeouts: 0, handlers: 0 });
  });

  it("rejects a pending run() with the failure when user code makes the core trap mid-iteration", async () => {
    const { loop, errors } = await cappedLoop();
    const result = loop.run(() => new Promise(() => { fillUntilTrap(loop); })); // never settles by itself
    const settled = await result.then(() => "resolved", (error: unknown) => error);
    expect(settled).toBeInstanceOf(LoopFailedError);
    expect(settled).toBe(loop.failed);
    expect(loop.running).toBe(false);
    expect(errors).toEqual([]); // fillUntilTrap caught it; nothing else was reported
  });

  it("rejects the start() promise when the core traps while the loop runs", async () => {
    const { loop, clock } = await cappedLoop();
    const stopped = loop.start().then(() => "resolved", (error: unknown) => error);
    loop.callLater(5, () => { fillUntilTrap(loop); });
    await clock.advance(5);
    expect(await stopped).toBe(loop.failed);
  });

  it("runs nothing more of the iteration in which it failed, and counts it as dropped", async () => {
    const { loop, clock } = await cappedLoop();
    const ran: string[] = [];
    loop.addCallback(() => { ran.push("fills"); fillUntilTrap(loop); });
    loop.addCallback(() => ran.push("second callback"));
    const due = loop.callLater(0, () => ran.push("due timeout"));
    void loop.start().catch(() => {});
    await clock.advance(1);
    expect(ran).toEqual(["fills"]);
    expect(loop.deadlineOf(due)).toBeUndefined();
    const report = loop.close();
    expect(report.callbacks).toBe(1); // the second callback
    expect(report.timeouts).toBeGreaterThanOrEqual(1); // the due one, and what fillUntilTrap scheduled
  });

  it("arms no host timer and queues no wake-up once failed, so nothing hangs or spins", async () => {
    const { loop, clock } = await cappedLoop();
    void loop.start().catch(() => {});
    loop.callLater(1, () => { fillUntilTrap(loop); });
    await clock.advance(1);
    expect(loop.failed).toBeInstanceOf(LoopFailedError);
    expect(clock.pendingTimers).toBe(0);
    expect(loop.stats().hostTimers).toBe(0);
  });

  it("leaves other loops working", async () => {
    const { loop } = await cappedLoop();
    fillUntilTrap(loop);
    const healthy = await createLoop();
    expect(await healthy.run(() => 42)).toBe(42);
    healthy.close();
  });
});
