// start, stop, run and close: when the loop runs at all,
// and what survives a stop or a close.
import { describe, expect, it } from "vitest";
import { READ, TimeoutError } from "../../src/index.js";
import { runningLoop, virtualLoop } from "./helpers.js";

describe("start and stop", () => {
  it("nothing runs before start(), and no host timer is armed", async () => {
    const { loop, clock } = await virtualLoop();
    const ran: string[] = [];
    loop.addCallback(() => ran.push("callback"));
    loop.callLater(5, () => ran.push("timeout"));
    loop.addHandler(1, () => ran.push("handler"), READ);
    loop.setReady(1, READ);
    await clock.advance(1000);
    expect(ran).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    expect(loop.stats().hostTimers).toBe(0);
    expect(loop.stats().iterations).toBe(0);
    void loop.start();
    await clock.advance(0);
    expect(ran.slice(0, 3)).toEqual(["callback", "timeout", "handler"]);
  });

  it("nothing runs before run()", async () => {
    const { loop, clock } = await virtualLoop();
    const ran: string[] = [];
    loop.addCallback(() => ran.push("callback"));
    await clock.advance(100);
    expect(ran).toEqual([]);
    await expect(loop.run(() => ran.length)).resolves.toBe(1);
  });

  it("start() while running throws, and the loop keeps running", async () => {
    const { loop, clock } = await runningLoop();
    expect(() => loop.start()).toThrow(/already running/);
    expect(loop.running).toBe(true);
    let ran = false;
    loop.callLater(1, () => { ran = true; });
    await clock.advance(1);
    expect(ran).toBe(true);
  });

  it("start() from inside an iteration throws", async () => {
    const { loop, clock, errors } = await runningLoop();
    loop.addCallback(() => loop.start());
    await clock.advance(0);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/already running/);
  });

  it("start() settles when stop() is called, and the loop then runs nothing", async () => {
    const { loop, clock, stopped } = await runningLoop();
    let ran = false;
    loop.callLater(10, () => { ran = true; });
    loop.stop();
    await stopped;
    expect(loop.running).toBe(false);
    await clock.advance(100);
    expect(ran).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    expect(loop.stats().pendingTimeouts).toBe(1);
  });

  it("stop() inside an iteration lets the rest of that iteration run", async () => {
    const { loop, stopped } = await runningLoop();
    const ran: string[] = [];
    loop.addCallback(() => { ran.push("a"); loop.stop(); });
    loop.addCallback(() => ran.push("b"));
    await stopped;
    expect(ran).toEqual(["a", "b"]);
  });

  it("stop() before start() makes the next start() run one pass that does not wait, and return", async () => {
    const { loop, clock } = await virtualLoop();
    const ran: string[] = [];
    loop.addCallback(() => {
      ran.push("queued");
      loop.addCallback(() => ran.push("added during the pass"));
    });
    loop.callLater(50, () => ran.push("later"));
    loop.stop();
    let returned = false;
    const started = loop.start().then(() => { returned = true; });
    await clock.advance(0); // no time passes
    expect(returned).toBe(true);
    await started;
    expect(ran).toEqual(["queued"]);
    expect(loop.running).toBe(false);
    expect(clock.now()).toBe(0);
  });

  it("the pass after stop()-before-start() loses nothing: the next start() runs what was left", async () => {
    const { loop, clock } = await virtualLoop();
    const ran: string[] = [];
    loop.addCallback(() => loop.addCallback(() => ran.push("added during the pass")));
    loop.callLater(50, () => ran.push("later"));
    loop.stop();
    await loop.start();
    expect(loop.stats()).toMatchObject({ queuedCallbacks: 1, pendingTimeouts: 1 });
    void loop.start();
    await clock.advance(50);
    expect(ran).toEqual(["added during the pass", "later"]);
    loop.checkInvariants();
  });

  it("a stopped loop can be started again and runs what was pending", async () => {
    const { loop, clock, stopped } = await runningLoop();
    let ran = 0;
    loop.callLater(10, () => ran++);
    loop.stop();
    await stopped;
    await clock.advance(20);
    expect(ran).toBe(0);
    void loop.start();
    await clock.advance(0);
    expect(ran).toBe(1);
  });
});

describe("close", () => {
  it("close() while running throws, and the loop keeps running", async () => {
    const { loop, clock } = await runningLoop();
    expect(() => loop.close()).toThrow(/running/);
    expect(loop.closed).toBe(false);
    let ran = false;
    loop.addCallback(() => { ran = true; });
    await clock.advance(0);
    expect(ran).toBe(true);
  });

  it("close() on a stopped loop drops everything pending: none of it ever runs", async () => {
    const { loop, clock, stopped } = await runningLoop();
    const ran: string[] = [];
    loop.stop();
    await stopped;
    loop.addCallback(() => ran.push("callback"));
    const timeout = loop.callLater(5, () => ran.push("timeout"));
    loop.addHandler(1, () => ran.push("handler"), READ);
    loop.setReady(1, READ);
    expect(loop.close()).toEqual({ callbacks: 1, timeouts: 1, handlers: 1 });
    await clock.advance(1000);
    expect(ran).toEqual([]);
    expect(loop.deadlineOf(timeout)).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it("close() may be called twice", async () => {
    const { loop } = await virtualLoop();
    loop.addCallback(() => {});
    expect(loop.close()).toEqual({ callbacks: 1, timeouts: 0, handlers: 0 });
    expect(loop.close()).toEqual({ callbacks: 0, timeouts: 0, handlers: 0 });
    expect(loop.closed).toBe(true);
  });

  it("scheduling after close() throws", async () => {
    const { loop } = await virtualLoop();
    loop.close();
    expect(() => loop.addCallback(() => {})).toThrow(/closed/);
    expect(() => loop.callLater(1, () => {})).toThrow(/closed/);
    expect(() => loop.callAt(1, () => {})).toThrow(/closed/);
    expect(() => loop.addHandler(1, () => {}, READ)).toThrow(/closed/);
  });

  it("start() and run() after close() throw", async () => {
    const { loop } = await virtualLoop();
    loop.close();
    expect(() => loop.start()).toThrow(/closed/);
    expect(() => loop.run(() => 1)).toThrow(/closed/);
  });

  it("a timeout id from before close() cannot be cancelled or refreshed back to life", async () => {
    const { loop } = await virtualLoop();
    const timeout = loop.callLater(5, () => {});
    loop.close();
    expect(loop.removeTimeout(timeout)).toBe(false);
    expect(loop.refreshTimeout(timeout)).toBe(false);
    expect(loop.deadlineOf(timeout)).toBeUndefined();
  });

  it("close({ closeSources: true }) closes every source with a close() method, a function with one too", async () => {
    const { loop, reports } = await virtualLoop();
    let closed = 0;
    loop.addHandler({ close: () => closed++ }, () => {}, READ);
    loop.addHandler(Object.assign(() => {}, { close: () => closed++ }), () => {}, READ);
    loop.addHandler(3, () => {}, READ);
    loop.addHandler({}, () => {}, READ);
    loop.close({ closeSources: true });
    expect(closed).toBe(2);
    expect(reports).toEqual([]);
  });
});

describe("run", () => {
  it("run(fn) resolves with fn's result, sync or async, and stops the loop", async () => {
    const { loop, clock } = await virtualLoop();
    await expect(loop.run(() => 42)).resolves.toBe(42);
    expect(loop.running).toBe(false);
    const pending = loop.run(() => new Promise((resolve) => loop.callLater(30, () => resolve("late"))));
    await clock.advance(30);
    await expect(pending).resolves.toBe("late");
    expect(loop.running).toBe(false);
  });

  it("run(fn) rejects with the error fn throws or rejects with", async () => {
    const { loop } = await virtualLoop();
    const thrown = new Error("thrown");
    await expect(loop.run(() => { throw thrown; })).rejects.toBe(thrown);
    const rejected = new Error("rejected");
    await expect(loop.run(async () => { throw rejected; })).rejects.toBe(rejected);
    expect(loop.running).toBe(false);
  });

  it("run(fn, { timeoutMs }) rejects with a TimeoutError when fn has not settled in time", async () => {
    const { loop, clock } = await virtualLoop();
    const outcome = loop.run(() => new Promise(() => {}), { timeoutMs: 100 });
    const settled = outcome.then(() => "resolved", (e: unknown) => e);
    await clock.advance(99);
    await clock.advance(1);
    const error = await settled;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(clock.now()).toBe(100);
    expect(loop.running).toBe(false);
  });

  it("run(fn, { timeoutMs }) resolves when fn settles first, and leaves no timeout behind", async () => {
    const { loop, clock } = await virtualLoop();
    const outcome = loop.run(() => new Promise((resolve) => loop.callLater(10, () => resolve("ok"))), { timeoutMs: 100 });
    await clock.advance(10);
    await expect(outcome).resolves.toBe("ok");
    expect(loop.stats().pendingTimeouts).toBe(0);
  });

  it("a stop() before run() is forgotten: run() runs until an async fn settles", async () => {
    const { loop, clock } = await virtualLoop();
    loop.stop();
    const outcome = loop.run(() => new Promise((resolve) => loop.callLater(30, () => resolve("settled"))));
    await clock.advance(30);
    await expect(outcome).resolves.toBe("settled");
    expect(loop.running).toBe(false);
    expect(clock.now()).toBe(30);
  });

  it("run() while running throws", async () => {
    const { loop } = await runningLoop();
    expect(() => loop.run(() => 1)).toThrow(/already running/);
    expect(loop.stats().queuedCallbacks).toBe(0);
  });
});
