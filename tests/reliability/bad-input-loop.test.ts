// Backs the README's "Bad input" table, loop half: for every public function
// of the loop, its timeouts, PeriodicCallback, VirtualClock and
// setCoreLoader, what it accepts and what it does with everything else.
// Each `describe` is one row of the table.

import { describe, expect, it } from "vitest";
import { IOLoop, PeriodicCallback, VirtualClock, setCoreLoader } from "../../src/index.js";
import { createLoop, freshDebugModule } from "../host/helpers.js";
import { revoked } from "./revoked.js";

async function loop() {
  const clock = new VirtualClock();
  return { loop: await createLoop({ clock }), clock };
}

const notNumbers = ["5", 5n, new Number(5), null, undefined, {}, [], true];

describe("IOLoop.create(options)", () => {
  it("refuses options that are not an object, and each option of the wrong kind, naming it", async () => {
    for (const options of [null, 5, "x", true]) {
      await expect(IOLoop.create(options as never)).rejects.toThrow(/IOLoop.create: options must be an object/);
    }
    await expect(createLoop({ clock: {} as never })).rejects.toThrow(TypeError);
    await expect(createLoop({ onError: 5 as never })).rejects.toThrow(/onError must be a function/);
    await expect(createLoop({ onSlowCallback: "x" as never })).rejects.toThrow(/onSlowCallback must be a function/);
    for (const bad of [0, -1, NaN, Infinity, "5"]) {
      await expect(createLoop({ slowCallbackMs: bad as never })).rejects.toThrow(/slowCallbackMs must be a positive finite number of milliseconds/);
      await expect(createLoop({ maxMemoryBytes: bad as never })).rejects.toThrow(/maxMemoryBytes must be a positive finite number of bytes/);
    }
    await expect(IOLoop.create({ module: new ArrayBuffer(8) as never })).rejects.toThrow(/module must be a WebAssembly.Module/);
  });

  it("refuses option names it does not know, naming them", async () => {
    await expect(createLoop({ colour: "blue" } as never)).rejects.toThrow(/IOLoop.create: unknown option "colour"/);
  });

  it("refuses a clock whose now() is not a finite number, and ignores such readings later (time stands still)", async () => {
    for (const now of [NaN, Infinity, "5", undefined]) {
      await expect(createLoop({ clock: { now: () => now as never } })).rejects.toThrow(/clock.now\(\) must return a finite number of milliseconds/);
    }
    let reading: unknown = 100;
    const made = await createLoop({ clock: { now: () => reading as number } });
    reading = NaN;
    expect(made.time()).toBe(100);
    reading = "500";
    expect(made.time()).toBe(100);
    expect(made.deadlineOf(made.callLater(5, () => {}))).toBe(105);
    reading = 200;
    expect(made.time()).toBe(200);
  });
});

describe("loop.addCallback(fn, ...args)", () => {
  it("refuses a non-function with a TypeError naming fn, and queues nothing", async () => {
    const { loop: l } = await loop();
    for (const fn of [undefined, null, 5, "f", {}]) expect(() => l.addCallback(fn as never)).toThrow(/addCallback: fn must be a function/);
    expect(l.stats().queuedCallbacks).toBe(0);
  });
});

describe("loop.callLater(delayMs, fn) and loop.callAt(deadlineMs, fn)", () => {
  it("refuses a delay or deadline that is not a number (TypeError) or is NaN (RangeError), and schedules nothing", async () => {
    const { loop: l } = await loop();
    for (const bad of notNumbers) {
      expect(() => l.callLater(bad as never, () => {})).toThrow(/callLater: delayMs must be a number of milliseconds/);
      expect(() => l.callAt(bad as never, () => {})).toThrow(/callAt: deadlineMs must be a number of milliseconds/);
    }
    expect(() => l.callLater(NaN, () => {})).toThrow(new RangeError("callLater: delayMs must not be NaN"));
    expect(() => l.callAt(NaN, () => {})).toThrow(new RangeError("callAt: deadlineMs must not be NaN"));
    expect(() => l.callLater(1, 5 as never)).toThrow(/callLater: fn must be a function/);
    expect(l.stats().pendingTimeouts).toBe(0);
  });

  it("takes negative and -0 delays as deadlines in the past (next iteration, in deadline order), and Infinity as never, arming no host timer", async () => {
    const { loop: l, clock } = await loop();
    const ran: string[] = [];
    l.callLater(Infinity, () => ran.push("never"));
    void l.start();
    await clock.advance(0);
    expect(clock.pendingTimers).toBe(0);
    l.callLater(-1, () => ran.push("-1"));
    l.callLater(-0, () => ran.push("-0"));
    l.callLater(-2, () => ran.push("-2"));
    l.callAt(-Infinity, () => ran.push("-Infinity"));
    await clock.advance(0);
    expect(ran).toEqual(["-Infinity", "-2", "-1", "-0"]);
    await clock.advance(1e12);
    expect(ran).not.toContain("never");
  });
});

describe("loop.removeTimeout(id)", () => {
  it("returns false, and changes nothing, for anything but this loop's pending timeout", async () => {
    const { loop: l } = await loop();
    const { loop: other } = await loop();
    const kept = l.callLater(5, () => {});
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const x of [null, undefined, 5, "t", {}, other.callLater(1, () => {}), kept + 1, -kept, revoked.proxy]) {
      expect(l.removeTimeout(x as never)).toBe(false);
    }
    expect(l.removeTimeout(kept)).toBe(true);
    expect(l.removeTimeout(kept)).toBe(false);
    expect(l.stats().pendingTimeouts).toBe(0);
  });
});

describe("loop.refreshTimeout(id)", () => {
  it("returns false and does nothing for a cancelled id, a fired one, and any id once the loop is closed", async () => {
    const { loop: l, clock } = await loop();
    const cancelled = l.callLater(5, () => {});
    l.removeTimeout(cancelled);
    expect(l.refreshTimeout(cancelled)).toBe(false);
    expect(l.deadlineOf(cancelled)).toBeUndefined();
    const fired = l.callLater(0, () => {});
    const dropped = l.callLater(50, () => {});
    void l.start();
    await clock.advance(1);
    expect(l.refreshTimeout(fired)).toBe(false);
    l.stop();
    l.close();
    expect(l.refreshTimeout(dropped)).toBe(false);
    expect(l.deadlineOf(dropped)).toBeUndefined();
  });
});

describe("loop.addHandler(source, handler, events)", () => {
  it("refuses a source that is not a non-negative integer or an object, a non-function handler (TypeError), and a bad mask (RangeError)", async () => {
    const { loop: l } = await loop();
    for (const source of ["1", Symbol("s"), -1, 1.5, NaN, Infinity, null, undefined, true]) {
      expect(() => l.addHandler(source as never, () => {}, 1)).toThrow(/addHandler: source must be a non-negative integer or an object/);
    }
    expect(() => l.addHandler(1, "h" as never, 1)).toThrow(/addHandler: handler must be a function/);
    for (const events of [2, 16, -1, 1.5, NaN, 2 ** 32 + 1, "1", undefined]) {
      expect(() => l.addHandler(1, () => {}, events as never)).toThrow(/addHandler: events must be a mask of READ, WRITE and ERROR/);
    }
    expect(l.stats().handlers).toBe(0);
  });

  it("takes -0 as source 0, and refuses a second handler for the same source, keeping the first", async () => {
    const { loop: l } = await loop();
    l.addHandler(-0, () => {}, 1);
    expect(() => l.addHandler(0, () => {}, 1)).toThrow(/already has a handler/);
    expect(l.removeHandler(0)).toBe(true);
  });
});

describe("loop.updateHandler, loop.setReady, loop.clearReady (source, events)", () => {
  it("refuse a bad mask with a RangeError, and a source without a handler with an Error that names it", async () => {
    const { loop: l } = await loop();
    for (const call of [l.updateHandler, l.setReady, l.clearReady]) {
      expect(() => call.call(l, 3, 2)).toThrow(RangeError);
      expect(() => call.call(l, 3, 1)).toThrow(/no handler is registered for source 3/);
    }
  });
});

describe("loop.removeHandler(source)", () => {
  it("returns false for anything without a handler, and never throws", async () => {
    const { loop: l } = await loop();
    for (const x of [undefined, null, -1, "1", {}, Symbol("s")]) expect(l.removeHandler(x)).toBe(false);
  });
});

describe("loop.start(), loop.stop(), loop.run(fn, options)", () => {
  it("start() and run() throw while running and after close(); stop() never throws", async () => {
    const { loop: l, clock } = await loop();
    expect(() => l.stop()).not.toThrow();
    const stopped = l.start();
    expect(() => l.start()).toThrow(/start: the loop is already running/);
    expect(() => l.run(() => 1)).toThrow(/run: the loop is already running/);
    l.stop();
    await stopped;
    await clock.advance(0);
    l.close();
    expect(() => l.start()).toThrow(/start: the loop is closed/);
    expect(() => l.run(() => 1)).toThrow(/run: the loop is closed/);
    expect(() => l.stop()).not.toThrow();
  });

  it("run() refuses a non-function, options that are not an object, and a timeoutMs that is not a number or is NaN", async () => {
    const { loop: l } = await loop();
    expect(() => l.run(5 as never)).toThrow(/run: fn must be a function/);
    expect(() => l.run(() => 1, null as never)).toThrow(/run: options must be an object/);
    expect(() => l.run(() => 1, { timeoutMs: "5" as never })).toThrow(TypeError);
    expect(() => l.run(() => 1, { timeoutMs: NaN })).toThrow(RangeError);
    expect(l.stats()).toMatchObject({ queuedCallbacks: 0, pendingTimeouts: 0 });
  });

  it("run() with timeoutMs 0 or negative still resolves a fn that returns a plain value, and times out one that does not settle", async () => {
    const { loop: l } = await loop();
    expect(await l.run(() => 7, { timeoutMs: 0 })).toBe(7);
    expect(await l.run(() => 8, { timeoutMs: -5 })).toBe(8);
    await expect(l.run(() => new Promise(() => {}), { timeoutMs: 0 })).rejects.toThrow(/did not settle within 0 ms/);
  });
});

describe("loop.close(options)", () => {
  it("refuses options that are not an object and a closeSources that is not a boolean; throws while running; a second call returns zeros", async () => {
    const { loop: l } = await loop();
    expect(() => l.close(5 as never)).toThrow(/close: options must be an object/);
    expect(() => l.close({ closeSources: "yes" as never })).toThrow(/close: closeSources must be a boolean/);
    void l.start();
    expect(() => l.close()).toThrow(/close: the loop is running/);
    l.stop();
    l.addCallback(() => {});
    expect(l.close()).toEqual({ callbacks: 1, timeouts: 0, handlers: 0 });
    expect(l.close()).toEqual({ callbacks: 0, timeouts: 0, handlers: 0 });
  });

  it("after close(), every call that would schedule throws an Error saying the loop is closed; the rest still answer", async () => {
    const { loop: l } = await loop();
    const t = l.callLater(5, () => {});
    l.addHandler(1, () => {}, 1);
    l.close();
    expect(l.removeTimeout(t)).toBe(false);
    expect(l.removeHandler(1)).toBe(false);
    expect(l.time()).toBe(0);
    expect(l.stats()).toMatchObject({ pendingTimeouts: 0, queuedCallbacks: 0, handlers: 0 });
    expect(() => l.addCallback(() => {})).toThrow(/addCallback: the loop is closed/);
    expect(() => l.callLater(1, () => {})).toThrow(/callLater: the loop is closed/);
    expect(() => l.callAt(1, () => {})).toThrow(/callAt: the loop is closed/);
    expect(() => l.addHandler(1, () => {}, 1)).toThrow(/addHandler: the loop is closed/);
    expect(() => l.setReady(1, 1)).toThrow(/setReady: the loop is closed/);
  });
});

describe("new PeriodicCallback(loop, fn, periodMs, { jitter })", () => {
  it("refuses a non-loop and a non-function (TypeError), a period that is not positive and finite and a jitter outside 0..1 (RangeError)", async () => {
    const { loop: l } = await loop();
    expect(() => new PeriodicCallback({} as never, () => {}, 10)).toThrow(/PeriodicCallback: loop must be an IOLoop/);
    expect(() => new PeriodicCallback(l, 5 as never, 10)).toThrow(/PeriodicCallback: fn must be a function/);
    for (const period of [0, -1, NaN, Infinity, "10"]) {
      expect(() => new PeriodicCallback(l, () => {}, period as never)).toThrow(/periodMs must be a positive finite number of milliseconds/);
    }
    for (const jitter of [-0.1, 1.1, NaN, "0.5"]) {
      expect(() => new PeriodicCallback(l, () => {}, 10, { jitter: jitter as never })).toThrow(/jitter must be a number from 0 to 1/);
    }
  });
});

describe("new VirtualClock(startMs), clock.set(timeMs), clock.advance(ms)", () => {
  it("refuse a value that is not a number (TypeError) or not finite (RangeError)", async () => {
    const clock = new VirtualClock();
    for (const bad of ["5", null, {}]) {
      expect(() => new VirtualClock(bad as never)).toThrow(/VirtualClock: startMs must be a number of milliseconds/);
      expect(() => clock.set(bad as never)).toThrow(TypeError);
      await expect(clock.advance(bad as never)).rejects.toThrow(TypeError);
    }
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => new VirtualClock(bad)).toThrow(RangeError);
      expect(() => clock.set(bad)).toThrow(RangeError);
      await expect(clock.advance(bad)).rejects.toThrow(RangeError);
    }
    expect(clock.now()).toBe(0);
  });
});

describe("setCoreLoader(loader)", () => {
  it("refuses a loader that is not a function, and keeps the one it had", async () => {
    expect(() => setCoreLoader(5 as never)).toThrow(/setCoreLoader: loader must be a function/);
    expect(() => setCoreLoader(null as never)).toThrow(TypeError);
  });

  it("rejects IOLoop.create when the loader throws, rejects, or gives anything but a WebAssembly.Module (a hostile thenable included), and tries the loader again on the next create()", async () => {
    const failing: [() => unknown, string | RegExp][] = [
      [() => { throw new Error("boom"); }, "boom"],
      [() => Promise.reject(new Error("nope")), "nope"],
      [() => ({ then() { throw new Error("then threw"); } }), "then threw"],
      [() => Promise.resolve(5), "IOLoop.create: module must be a WebAssembly.Module, got 5 from the core loader (setCoreLoader)"],
      [() => ({}), "IOLoop.create: module must be a WebAssembly.Module, got an object (Object) from the core loader (setCoreLoader)"],
      [() => new Uint8Array(8), /^IOLoop\.create: module must be a WebAssembly\.Module, got an object \(Uint8Array\) from the core loader \(setCoreLoader\)$/],
    ];
    for (const [loader, message] of failing) {
      setCoreLoader(loader as never);
      await expect(IOLoop.create()).rejects.toThrow(message);
    }
    let calls = 0;
    const module = await freshDebugModule();
    setCoreLoader(async () => { if (++calls === 1) throw new Error("not yet"); return module; });
    await expect(IOLoop.create()).rejects.toThrow("not yet");
    const loop = await IOLoop.create();
    expect(calls).toBe(2);
    loop.close();
  });
});

describe("a revoked Proxy given to any call of the loop", () => {

  it("as a delay, deadline, handler, events mask, options or clock gets the call's own message naming the argument, never the engine's", async () => {
    const { loop: l } = await loop();
    const cases: [() => unknown, RegExp][] = [
      [() => l.callLater(revoked() as never, () => {}), /^callLater: delayMs must be a number of milliseconds, got a revoked Proxy$/],
      [() => l.callAt(revoked() as never, () => {}), /^callAt: deadlineMs must be a number of milliseconds, got a revoked Proxy$/],
      [() => l.addCallback(revoked() as never), /^addCallback: fn must be a function, got a revoked Proxy$/],
      [() => l.addHandler(1, revoked() as never, 1), /^addHandler: handler must be a function, got a revoked Proxy$/],
      [() => l.addHandler(1, () => {}, revoked() as never), /^addHandler: events must be a mask of READ, WRITE and ERROR, got a revoked Proxy$/],
      [() => l.run(() => {}, revoked() as never), /^run: options must be an object, got a revoked Proxy$/],
      [() => l.close(revoked() as never), /^close: options must be an object, got a revoked Proxy$/],
      [() => new PeriodicCallback(revoked() as never, () => {}, 10), /^PeriodicCallback: loop must be an IOLoop, got a revoked Proxy$/],
      [() => new PeriodicCallback(l, () => {}, 10, revoked() as never), /^PeriodicCallback: options must be an object, got a revoked Proxy$/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
    await expect(IOLoop.create(revoked() as never)).rejects.toThrow(/^IOLoop.create: options must be an object, got a revoked Proxy$/);
    await expect(IOLoop.create({ clock: revoked() as never })).rejects.toThrow(/^IOLoop.create: clock must be an object with a now\(\) method, got a revoked Proxy$/);
    expect(l.stats().pendingTimeouts + l.stats().queuedCallbacks + l.stats().handlers).toBe(0);
  });

  it("as a timeout id or a source to remove is simply not one: removeTimeout, refreshTimeout return false, deadlineOf undefined", async () => {
    const { loop: l } = await loop();
    expect(l.removeTimeout(revoked() as never)).toBe(false);
    expect(l.refreshTimeout(revoked() as never)).toBe(false);
    expect(l.deadlineOf(revoked() as never)).toBeUndefined();
    expect(l.removeHandler(revoked())).toBe(false);
  });
});
