// The dispatch: every touch of a user value is guarded, and an iteration's
// list is run whatever the user code in it returns or throws; lists may be
// run in slices.
import { describe, expect, it, vi } from "vitest";
import { PeriodicCallback, READ, sourceHooks, type ErrorContext } from "../../src/index.js";
import { VirtualClock } from "../../src/time/virtual-clock.js";
import { RecordingClock, createLoop, runningLoop, virtualLoop } from "./helpers.js";

function revokedFunction(): () => void {
  const { proxy, revoke } = Proxy.revocable(() => {}, {});
  revoke();
  return proxy;
}

function revokedObject(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const throwingThenable = { then() { throw new Error("then threw"); } };
const thenGetterThrows = { get then(): never { throw new Error("then getter threw"); } };

describe("hostile values returned by user code", () => {
  for (const [what, value] of [
    ["an object whose then() throws", throwingThenable],
    ["an object whose then getter throws", thenGetterThrows],
    ["a revoked Proxy", revokedObject()],
  ] as const) {
    it(`a callback returning ${what} is reported, and the rest of its iteration runs`, async () => {
      const { loop, clock, reports } = await runningLoop();
      const ran: string[] = [];
      loop.callLater(0, () => ran.push("timeout taken with it"));
      loop.addCallback(() => value);
      loop.addCallback(() => ran.push("next callback"));
      await clock.advance(0);
      expect(ran).toEqual(["next callback", "timeout taken with it"]);
      expect(reports.map((r) => r.kind)).toEqual(["callback"]);
      expect(loop.stats().pendingTimeouts).toBe(0);
      // The loop still runs and arms its host timer.
      loop.callLater(5, () => ran.push("later"));
      await clock.advance(5);
      expect(ran.at(-1)).toBe("later");
      loop.checkInvariants();
    });
  }

  it("a function that is a revoked Proxy is reported without onError, by console.error, and the loop goes on", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const clock = new RecordingClock();
      const loop = await createLoop({ clock });
      void loop.start();
      const ran: string[] = [];
      loop.addCallback(revokedFunction());
      loop.callLater(1, () => ran.push("after"));
      await clock.advance(1);
      expect(ran).toEqual(["after"]);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]![0])).toMatch(/wasm-ioloop: callback \(unnamed\) failed/);
    } finally {
      errors.mockRestore();
    }
  });

  it("run(fn) rejects with the error when fn returns a thenable whose then() throws", async () => {
    const { loop } = await virtualLoop();
    await expect(loop.run(() => throwingThenable)).rejects.toThrow("then threw");
    await expect(loop.run(() => thenGetterThrows, { timeoutMs: 1000 })).rejects.toThrow("then getter threw");
    expect(loop.running).toBe(false);
  });

  it("run(fn) settles with a revoked Proxy's TypeError, not a timeout", async () => {
    const { loop } = await virtualLoop();
    await expect(loop.run(() => revokedObject(), { timeoutMs: 10 })).rejects.toBeInstanceOf(TypeError);
  });
});

describe("a clock that throws", () => {
  it("is reported as a clock failure; the loop's time stands still and pending timeouts still fire on the host timer", async () => {
    class FlakyClock extends RecordingClock {
      broken = false;
      override now(): number {
        if (this.broken) throw new Error("clock broke");
        return super.now();
      }
    }
    const clock = new FlakyClock();
    const reports: ErrorContext[] = [];
    const loop = await createLoop({ clock, onError: (context) => reports.push(context) });
    const stopped = loop.start();
    const fired: number[] = [];
    for (const delay of [5, 10, 20]) loop.callLater(delay, () => fired.push(delay));
    await clock.advance(1);
    clock.broken = true;
    await clock.advance(30);
    expect(fired).toEqual([5, 10, 20]);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((r) => r.kind === "clock" && (r.error as Error).message === "clock broke")).toBe(true);
    clock.broken = false;
    loop.stop();
    await stopped;
  });
});

describe("close({ closeSources: true })", () => {
  it("a source whose close() throws is reported; every other source is still detached and closed", async () => {
    const { loop, reports } = await virtualLoop();
    const closed: string[] = [];
    const sources = ["a", "b", "c"].map((name) => ({
      name,
      close() { closed.push(name); if (name === "b") throw new Error("b cannot close"); },
    }));
    for (const source of sources) loop.addHandler(source, () => {}, READ);
    expect(loop.close({ closeSources: true })).toEqual({ callbacks: 0, timeouts: 0, handlers: 3 });
    expect(closed).toEqual(["a", "b", "c"]);
    expect(reports.map((r) => [r.kind, (r.error as Error).message])).toEqual([["source", "b cannot close"]]);
    expect(loop.closed).toBe(true);
  });

  it("an async close(), and async hooks, that reject are reported once each as kind \"source\", never left an unhandled rejection", async () => {
    const { loop, reports } = await virtualLoop();
    const failing = (what: string) => async (): Promise<void> => { throw new Error(what); };
    const hooked = { [sourceHooks]: { attach: failing("attach"), detach: failing("detach"), interestChanged: failing("interest") } };
    const plain = { close: failing("close") };
    loop.addHandler(hooked, () => {}, READ);   // attach, then interestChanged
    loop.updateHandler(hooked, 0);             // interestChanged
    loop.removeHandler(hooked);                // detach
    loop.addHandler(plain, () => {}, READ);
    loop.close({ closeSources: true });        // close
    // The rejections are reported when they settle, a microtask or two on.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reports.map((r) => [r.kind, (r.error as Error).message])).toEqual([
      ["source", "attach"], ["source", "interest"], ["source", "interest"], ["source", "detach"], ["source", "close"],
    ]);
  });
});

describe("PeriodicCallback on a loop that cannot run", () => {
  it("start() on a closed loop throws, naming PeriodicCallback.start, and it does not count as running", async () => {
    const { loop } = await virtualLoop();
    const periodic = new PeriodicCallback(loop, () => {}, 10);
    loop.close();
    expect(() => periodic.start()).toThrow("PeriodicCallback.start: the loop is closed");
    expect(periodic.isRunning()).toBe(false);
  });
});

describe("the source protocol", () => {
  it("an object with attach and detach methods but no sourceHooks is a plain source: neither is called", async () => {
    const { loop } = await virtualLoop();
    const calls: string[] = [];
    const source = { attach: () => calls.push("attach"), detach: () => calls.push("detach") };
    loop.addHandler(source, () => {}, READ);
    loop.removeHandler(source);
    expect(calls).toEqual([]);
  });

  it("a source with sourceHooks is told when it is added, when its interest changes and when it is removed", async () => {
    const { loop } = await virtualLoop();
    const calls: string[] = [];
    const source = {
      [sourceHooks]: {
        attach: (l: unknown) => calls.push(`attach:${l === loop}`),
        detach: () => calls.push("detach"),
        interestChanged: (_: unknown, events: number) => calls.push(`interest:${events}`),
      },
    };
    loop.addHandler(source, () => {}, READ);
    loop.updateHandler(source, 0);
    loop.removeHandler(source);
    expect(calls).toEqual(["attach:true", `interest:${READ}`, "interest:0", "detach"]);
  });

  it("a source whose attach hook throws is refused with addHandler's error (the hook's as cause), and nothing of it stays registered", async () => {
    const { loop } = await virtualLoop();
    const refusal = new Error("no");
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    // What a hook may throw: an Error (its message is the reason), a
    // revoked Proxy, an object whose message getter throws, even undefined.
    const cases: [unknown, string][] = [
      [refusal, "addHandler: no"],
      [proxy, "addHandler: a revoked Proxy"],
      [{ get message() { throw new Error("getter"); } }, "addHandler: an object (Object)"],
      [undefined, "addHandler: undefined"],
    ];
    for (const [thrown, message] of cases) {
      const source = { [sourceHooks]: { attach() { throw thrown; }, detach() {} } };
      let caught: unknown;
      try {
        loop.addHandler(source, () => {}, READ);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Error);
      expect((caught as Error).message).toBe(message);
      expect((caught as Error).cause).toBe(thrown);
      expect(loop.stats().handlers).toBe(0);
      expect(loop.removeHandler(source)).toBe(false);
      loop.checkInvariants();
    }
  });
});

/** A clock that moves `step` ms each time it is read, and schedules on a
 *  RecordingClock: so that time passes while a list runs. */
class TickingClock extends RecordingClock {
  step = 0;
  override now(): number {
    const now = super.now();
    if (this.step > 0) this.set(now + this.step);
    return now;
  }
}

/** A loop on `clock` with `options` (sliceMs...), started, its first
 *  iteration run: the setup of the slice tests. */
async function startedOn(clock: VirtualClock, options: Parameters<typeof createLoop>[0]) {
  const loop = await createLoop({ clock, ...options });
  const stopped = loop.start();
  await clock.advance(0);
  return { loop, stopped };
}

describe("slices (sliceMs)", () => {
  it("a long list is cut into slices, runs in order, and the host runs between slices", async () => {
    const clock = new TickingClock();
    const { loop, stopped } = await startedOn(clock, { sliceMs: 5 });
    const ran: number[] = [];
    for (let i = 0; i < 100; i++) loop.callLater(0, () => ran.push(i));
    let between = 0;
    clock.step = 1;
    // A macrotask of the host's, queued while the list runs, runs before it ends.
    loop.addCallback(() => clock.queueMacrotask(() => { between = ran.length; }));
    for (let i = 0; i < 50 && ran.length < 100; i++) await clock.advance(0);
    clock.step = 0;
    expect(ran).toEqual([...Array(100).keys()]);
    expect(loop.stats().slices).toBeGreaterThan(5);
    expect(between).toBeGreaterThan(0);
    expect(between).toBeLessThan(100);
    loop.checkInvariants();
    loop.stop();
    await stopped;
  });

  it("a timeout cancelled, or a handler removed, in an earlier slice of the same list is never called", async () => {
    const clock = new TickingClock();
    const reports: ErrorContext[] = [];
    const { loop, stopped } = await startedOn(clock, { sliceMs: 2, onError: (c) => reports.push(c) });
    const ran: string[] = [];
    const source = { name: "s" };
    loop.addHandler(source, () => ran.push("handler"), READ);
    loop.setReady(source, READ);
    const victims: ReturnType<typeof loop.callLater>[] = [];
    loop.callLater(0, () => {
      ran.push("first");
      for (const v of victims) loop.removeTimeout(v);
      loop.removeHandler(source);
    });
    for (let i = 0; i < 20; i++) loop.callLater(0, () => ran.push(`filler${i}`));
    for (let i = 0; i < 5; i++) victims.push(loop.callLater(0, () => ran.push("victim")));
    clock.step = 1;
    for (let i = 0; i < 40; i++) await clock.advance(0);
    clock.step = 0;
    expect(ran[0]).toBe("first");
    expect(ran).not.toContain("victim");
    expect(ran).not.toContain("handler");
    expect(ran.filter((r) => r.startsWith("filler"))).toHaveLength(20);
    expect(loop.stats().slices).toBeGreaterThan(0);
    expect(reports).toEqual([]);
    loop.checkInvariants();
    loop.stop();
    await stopped;
  });

  it("stop() during a sliced list ends the loop once the list is done, not before", async () => {
    const clock = new TickingClock();
    const { loop, stopped } = await startedOn(clock, { sliceMs: 2 });
    let ran = 0;
    loop.callLater(0, () => { ran++; loop.stop(); });
    for (let i = 0; i < 30; i++) loop.callLater(0, () => { ran++; });
    clock.step = 1;
    for (let i = 0; i < 40 && loop.running; i++) await clock.advance(0);
    clock.step = 0;
    await stopped;
    expect(ran).toBe(31);
    expect(loop.stats().slices).toBeGreaterThan(0);
  });

  it("a burst of due timeouts is decided in steps, a task each: none runs before the last, and what the host does between steps waits for the list", async () => {
    const clock = new TickingClock();
    const { loop, stopped } = await startedOn(clock, { sliceMs: 2 });
    const ran: number[] = [];
    for (let i = 0; i < 5000; i++) loop.callLater(0, () => ran.push(i));
    let called = false;
    loop.addCallback(() => { called = true; }); // wakes the loop in a macrotask; first on the list
    // A host task queued after the loop's wake-up: it runs after the first
    // step of the decision (a step takes 2,048 timeouts).
    let calledBefore: boolean | undefined, late = false;
    clock.queueMacrotask(() => {
      calledBefore = called;
      loop.callLater(-1, () => { late = true; }); // due, but scheduled after the decision began
      loop.stop();                                // waits for the list
    });
    clock.step = 1;
    for (let i = 0; i < 200 && loop.running; i++) await clock.advance(0);
    clock.step = 0;
    await stopped;
    expect(calledBefore).toBe(false);
    expect(ran).toEqual([...Array(5000).keys()]);
    expect(late).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(1);
    expect(loop.stats().iterations).toBe(2); // the one at start, then the burst's
    loop.checkInvariants();
    await loop.run(() => {});
    expect(late).toBe(true);
  });

  for (const fault of ["throws", "reads NaN"] as const) {
    it(`a clock that ${fault} gives no reading, and cuts nothing: the list runs in one task`, async () => {
      class BrokenClock extends VirtualClock {
        broken = false;
        override now(): number {
          if (!this.broken) return super.now();
          if (fault === "throws") throw new Error("the clock broke");
          return NaN;
        }
      }
      const clock = new BrokenClock(100);
      const reports: ErrorContext[] = [];
      const { loop, stopped } = await startedOn(clock, { sliceMs: 2, onError: (c) => reports.push(c) });
      const ran: number[] = [];
      for (let i = 0; i < 10; i++) loop.callLater(0, () => ran.push(i));
      clock.broken = true;
      await clock.advance(0);
      expect(ran).toEqual([...Array(10).keys()]);
      expect(loop.stats().slices).toBe(0);
      expect(loop.stats().iterations).toBe(2);
      expect(reports.every((r) => r.kind === "clock")).toBe(true);
      expect(reports.length > 0).toBe(fault === "throws");
      clock.broken = false;
      loop.stop();
      await stopped;
    });
  }

  it("sliceMs must be a positive number of milliseconds, or Infinity", async () => {
    for (const bad of [0, -1, NaN, "8"]) {
      await expect(createLoop({ sliceMs: bad as number })).rejects.toThrow(/IOLoop.create: sliceMs must be a positive/);
    }
    await expect(createLoop({ sliceMs: Infinity })).resolves.toBeDefined();
  });
});
