// Bad input at the TypeScript boundary: a TypeError or
// RangeError that names the function and the argument, and nothing enqueued.
import { describe, expect, it } from "vitest";
import { IOLoop, PeriodicCallback, READ, type IOLoop as Loop } from "../../src/index.js";
import { createLoop, runningLoop } from "./helpers.js";

/** Asserts that nothing reached the loop: no queued callback, no timeout,
 *  no handler, and nothing runs when time passes. */
async function expectNothingEnqueued(loop: Loop, advance: (ms: number) => Promise<void>) {
  expect(loop.stats()).toMatchObject({ pendingTimeouts: 0, queuedCallbacks: 0, handlers: 0, readySources: 0 });
  loop.checkInvariants();
  const before = loop.stats().iterations;
  await advance(1e6);
  expect(loop.stats().iterations).toBe(before);
}

const notFunctions: unknown[] = [undefined, null, 1, "fn", {}, [], Symbol("s")];

describe("bad input", () => {
  it("addCallback with a non-function throws a TypeError naming fn, and enqueues nothing", async () => {
    const { loop, clock } = await runningLoop();
    for (const bad of notFunctions) {
      expect(() => loop.addCallback(bad as never)).toThrow(TypeError);
      expect(() => loop.addCallback(bad as never)).toThrow(/addCallback: fn must be a function/);
    }
    await expectNothingEnqueued(loop, (ms) => clock.advance(ms));
  });

  it("callLater and callAt with a non-function throw a TypeError naming fn, and enqueue nothing", async () => {
    const { loop, clock } = await runningLoop();
    for (const bad of notFunctions) {
      expect(() => loop.callLater(1, bad as never)).toThrow(/callLater: fn must be a function/);
      expect(() => loop.callAt(1, bad as never)).toThrow(TypeError);
      expect(() => loop.callAt(1, bad as never)).toThrow(/callAt: fn must be a function/);
    }
    await expectNothingEnqueued(loop, (ms) => clock.advance(ms));
  });

  it("a NaN delay or deadline throws a RangeError naming it, and enqueues nothing", async () => {
    const { loop, clock } = await runningLoop();
    expect(() => loop.callLater(NaN, () => {})).toThrow(RangeError);
    expect(() => loop.callLater(NaN, () => {})).toThrow(/callLater: delayMs/);
    expect(() => loop.callAt(NaN, () => {})).toThrow(RangeError);
    expect(() => loop.callAt(NaN, () => {})).toThrow(/callAt: deadlineMs/);
    await expectNothingEnqueued(loop, (ms) => clock.advance(ms));
  });

  it("a delay or deadline that is not a number throws a TypeError naming it, and enqueues nothing", async () => {
    const { loop, clock } = await runningLoop();
    for (const bad of ["5", undefined, null, 5n, {}]) {
      expect(() => loop.callLater(bad as never, () => {})).toThrow(/callLater: delayMs must be a number/);
      expect(() => loop.callAt(bad as never, () => {})).toThrow(TypeError);
    }
    await expectNothingEnqueued(loop, (ms) => clock.advance(ms));
  });

  it("addHandler with a non-function handler throws a TypeError naming handler, and adds nothing", async () => {
    const { loop, clock } = await runningLoop();
    for (const bad of notFunctions) {
      expect(() => loop.addHandler(1, bad as never, READ)).toThrow(/addHandler: handler must be a function/);
    }
    expect(() => loop.setReady(1, READ)).toThrow(/no handler/);
    await expectNothingEnqueued(loop, (ms) => clock.advance(ms));
  });

  it("addHandler with a bad source throws a TypeError naming source, and adds nothing", async () => {
    const { loop, clock } = await runningLoop();
    for (const bad of [-1, 1.5, NaN, "s", null, undefined]) {
      expect(() => loop.addHandler(bad, () => {}, READ)).toThrow(/addHandler: source/);
    }
    await expectNothingEnqueued(loop, (ms) => clock.advance(ms));
  });

  it("an events mask other than READ, WRITE and ERROR bits throws a RangeError naming events", async () => {
    const { loop, clock } = await runningLoop();
    for (const bad of [0x2, 0x10, -1, 1.5, NaN, 2 ** 32 + 1, 2 ** 33, "1"]) {
      expect(() => loop.addHandler(1, () => {}, bad as never)).toThrow(/addHandler: events/);
    }
    await expectNothingEnqueued(loop, (ms) => clock.advance(ms));
    loop.addHandler(1, () => {}, READ);
    for (const bad of [0x2, 2 ** 32 + 1]) {
      expect(() => loop.updateHandler(1, bad)).toThrow(/updateHandler: events/);
      expect(() => loop.setReady(1, bad)).toThrow(/setReady: events/);
      expect(() => loop.clearReady(1, bad)).toThrow(/clearReady: events/);
    }
    expect(loop.stats().readySources).toBe(0);
    loop.checkInvariants();
  });

  it("run with a non-function or a NaN timeoutMs throws, names the argument, and queues nothing", async () => {
    const loop = await createLoop();
    expect(() => loop.run(1 as never)).toThrow(TypeError);
    expect(() => loop.run(1 as never)).toThrow(/run: fn must be a function/);
    expect(() => loop.run(() => 1, { timeoutMs: NaN })).toThrow(RangeError);
    expect(() => loop.run(() => 1, { timeoutMs: NaN })).toThrow(/run: timeoutMs/);
    expect(loop.stats()).toMatchObject({ pendingTimeouts: 0, queuedCallbacks: 0 });
    expect(loop.running).toBe(false);
  });

  it("PeriodicCallback with a period that is not positive throws a RangeError naming periodMs", async () => {
    const loop = await createLoop();
    for (const bad of [0, -1, -0, NaN, Infinity, -Infinity]) {
      expect(() => new PeriodicCallback(loop, () => {}, bad)).toThrow(RangeError);
      expect(() => new PeriodicCallback(loop, () => {}, bad)).toThrow(/PeriodicCallback: periodMs/);
    }
    expect(() => new PeriodicCallback(loop, () => {}, "5" as never)).toThrow(/periodMs/);
    expect(loop.stats().pendingTimeouts).toBe(0);
  });

  it("PeriodicCallback with jitter outside 0..1 throws a RangeError naming jitter", async () => {
    const loop = await createLoop();
    for (const bad of [-0.01, 1.01, NaN, Infinity, "0.5"]) {
      expect(() => new PeriodicCallback(loop, () => {}, 10, { jitter: bad as never })).toThrow(RangeError);
      expect(() => new PeriodicCallback(loop, () => {}, 10, { jitter: bad as never })).toThrow(/PeriodicCallback: jitter/);
    }
    for (const good of [0, 0.5, 1]) {
      expect(() => new PeriodicCallback(loop, () => {}, 10, { jitter: good })).not.toThrow();
    }
  });

  it("PeriodicCallback with a non-function or a non-loop throws a TypeError naming it", async () => {
    const loop = await createLoop();
    expect(() => new PeriodicCallback(loop, 1 as never, 10)).toThrow(/PeriodicCallback: fn must be a function/);
    expect(() => new PeriodicCallback({} as never, () => {}, 10)).toThrow(/PeriodicCallback: loop/);
  });

  it("IOLoop.create with bad options throws, naming the option", async () => {
    await expect(IOLoop.create({ clock: {} as never })).rejects.toThrow(/IOLoop.create: clock/);
    await expect(IOLoop.create({ onError: 1 as never })).rejects.toThrow(/IOLoop.create: onError/);
    await expect(IOLoop.create({ slowCallbackMs: NaN })).rejects.toThrow(/IOLoop.create: slowCallbackMs/);
    await expect(IOLoop.create({ slowCallbackMs: -5 })).rejects.toThrow(RangeError);
    await expect(IOLoop.create(5 as never)).rejects.toThrow(/IOLoop.create: options/);
  });
});
