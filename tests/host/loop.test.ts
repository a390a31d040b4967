// The iteration's guarantees (issue 2, section 4): what runs, in what order,
// and what an earlier entry of the same iteration can prevent.
import { describe, expect, it, vi } from "vitest";
import { READ, WRITE, ERROR } from "../../src/index.js";
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
    const { loop } = await virtualLoop();
    const ran: string[] = [];
    const victim = loop.callLater(-1, () => ran.push("victim"));
    loop.addCallback(() => ran.push(`cancel:${victim.cancel()}`));
    loop.stop();
    await loop.start(); // both are in one iteration
    expect(ran).toEqual(["cancel:true"]);
    loop.checkInvariants();
  });

  it("a timeout cancelled by a timeout earlier in the same iteration never fires", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    let victim: ReturnType<typeof loop.callLater> | undefined;
    loop.callLater(5, () => ran.push(`cancel:${loop.removeTimeout(victim)}`));
    victim = loop.callLater(5, () => ran.push("victim"));
    loop.callLater(5, () => ran.push("after"));
    await clock.advance(10);
    expect(ran).toEqual(["cancel:true", "after"]);
    expect(loop.stats().pendingTimeouts).toBe(0);
    loop.checkInvariants();
  });

  it("removeTimeout returns false for a timeout that fired, and changes nothing", async () => {
    const { loop, clock } = await runningLoop();
    const fired = loop.callLater(1, () => {});
    await clock.advance(1);
    const other = loop.callLater(5, () => {});
    expect(loop.removeTimeout(fired)).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(1);
    expect(other.pending).toBe(true);
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
    expect(foreign.pending).toBe(true);
    expect(other.stats().pendingTimeouts).toBe(1);
    expect(loop.stats().pendingTimeouts).toBe(1);
    await clock.advance(1);
    expect(fired).toBe(1);
    loop.checkInvariants();
    other.checkInvariants();
  });
});

describe("handlers", () => {
  it("a handler removed by an earlier handler in the same iteration is not called", async () => {
    const { loop, clock } = await runningLoop();
    const a = { name: "a" }, b = { name: "b" };
    const calls: string[] = [];
    loop.addHandler(a, () => { calls.push("a"); loop.removeHandler(b); }, READ);
    loop.addHandler(b, () => calls.push("b"), READ);
    loop.setReady(a, READ);
    loop.setReady(b, READ);
    await clock.advance(0);
    expect(calls[0]).toBe("a");
    expect(calls).not.toContain("b");
    loop.checkInvariants();
  });

  it("a handler removed by a callback or timeout earlier in the same iteration is not called", async () => {
    const { loop } = await virtualLoop();
    const calls: string[] = [];
    loop.addHandler(1, () => calls.push("one"), READ);
    loop.addHandler(2, () => calls.push("two"), READ);
    loop.setReady(1, READ);
    loop.setReady(2, READ);
    loop.addCallback(() => loop.removeHandler(1));
    loop.callLater(-1, () => loop.removeHandler(2));
    loop.stop();
    await loop.start();
    expect(calls).toEqual([]);
    loop.checkInvariants();
  });

  it("a READ-only handler never sees WRITE", async () => {
    const { loop, clock } = await runningLoop();
    const seen: number[] = [];
    loop.addHandler(7, (_source, events) => seen.push(events), READ);
    loop.setReady(7, WRITE);
    await clock.advance(0);
    expect(seen).toEqual([]);
    loop.setReady(7, READ);
    await clock.advance(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e === READ)).toBe(true);
    loop.checkInvariants();
  });

  it("a handler whose interest was narrowed earlier in the same iteration does not see the dropped event", async () => {
    const { loop } = await virtualLoop();
    const seen: number[] = [];
    loop.addHandler(3, (_s, events) => seen.push(events), READ | WRITE);
    loop.setReady(3, READ | WRITE);
    loop.addCallback(() => loop.updateHandler(3, READ));
    loop.stop();
    await loop.start();
    expect(seen).toEqual([READ]);
  });

  it("ERROR is delivered whatever the handler's interest", async () => {
    const { loop, clock } = await runningLoop();
    const seen: number[] = [];
    loop.addHandler(4, (_s, events) => { seen.push(events); loop.clearReady(4, ERROR); }, 0);
    loop.setReady(4, ERROR | READ);
    await clock.advance(0);
    expect(seen).toEqual([ERROR]);
  });

  it("a level-ready source's handler is called once per iteration until its readiness is cleared", async () => {
    const { loop, clock } = await runningLoop();
    const iterations: number[] = [];
    loop.addHandler(5, () => {
      iterations.push(loop.stats().iterations);
      if (iterations.length === 3) loop.clearReady(5, READ);
    }, READ);
    loop.setReady(5, READ);
    await clock.advance(0);
    expect(iterations).toHaveLength(3);
    expect(new Set(iterations).size).toBe(3);
    await clock.advance(100);
    expect(iterations).toHaveLength(3);
  });

  it("events reported separately are merged into one call per iteration", async () => {
    const { loop, clock } = await runningLoop();
    const seen: number[] = [];
    const source = {};
    loop.addHandler(source, (s, events) => { seen.push(events); loop.clearReady(s, READ | WRITE); }, READ | WRITE);
    loop.setReady(source, READ);
    loop.setReady(source, WRITE);
    await clock.advance(0);
    expect(seen).toEqual([READ | WRITE]);
  });

  it("the handler gets the source it was added for", async () => {
    const { loop, clock } = await runningLoop();
    const source = { kind: "mine" };
    let got: unknown;
    loop.addHandler(source, (s) => { got = s; loop.clearReady(s, READ); }, READ);
    loop.setReady(source, READ);
    await clock.advance(0);
    expect(got).toBe(source);
  });

  it("adding a handler for a source twice throws and keeps the first", async () => {
    const { loop, clock } = await runningLoop();
    const calls: string[] = [];
    loop.addHandler(9, () => { calls.push("first"); loop.clearReady(9, READ); }, READ);
    expect(() => loop.addHandler(9, () => calls.push("second"), READ)).toThrow(/already has a handler/);
    loop.setReady(9, READ);
    await clock.advance(0);
    expect(calls).toEqual(["first"]);
    expect(loop.stats().handlers).toBe(1);
    loop.checkInvariants();
  });

  it("removing a handler for an unknown source returns false", async () => {
    const { loop } = await virtualLoop();
    loop.addHandler(1, () => {}, READ);
    expect(loop.removeHandler(2)).toBe(false);
    expect(loop.removeHandler({})).toBe(false);
    expect(loop.removeHandler(1)).toBe(true);
    expect(loop.removeHandler(1)).toBe(false);
    expect(loop.stats().handlers).toBe(0);
  });

  it("handlers run after callbacks and timeouts, in the order their sources became ready", async () => {
    const { loop } = await virtualLoop();
    const ran: string[] = [];
    loop.addHandler(1, () => ran.push("h1"), READ);
    loop.addHandler(2, () => ran.push("h2"), READ);
    loop.setReady(2, READ);
    loop.setReady(1, READ);
    loop.callLater(-1, () => ran.push("timeout"));
    loop.addCallback(() => ran.push("callback"));
    loop.stop();
    await loop.start();
    expect(ran).toEqual(["callback", "timeout", "h2", "h1"]);
  });
});

describe("errors in user code", () => {
  it("a throwing callback is reported as kind 'callback' with its function, and the next one still runs", async () => {
    const { loop, clock, reports } = await runningLoop();
    const boom = new Error("boom");
    const bad = () => { throw boom; };
    let next = false;
    loop.addCallback(bad);
    loop.addCallback(() => { next = true; });
    await clock.advance(0);
    expect(reports).toEqual([{ error: boom, kind: "callback", fn: bad }]);
    expect(next).toBe(true);
  });

  it("a throwing timeout is reported as kind 'timeout' and the next one still runs", async () => {
    const { loop, clock, reports } = await runningLoop();
    const bad = () => { throw new TypeError("t"); };
    let next = false;
    loop.callLater(1, bad);
    loop.callLater(1, () => { next = true; });
    await clock.advance(1);
    expect(reports).toHaveLength(1);
    expect(reports[0].kind).toBe("timeout");
    expect(reports[0].fn).toBe(bad);
    expect(reports[0].error).toBeInstanceOf(TypeError);
    expect(next).toBe(true);
  });

  it("a throwing handler is reported as kind 'handler' and the next handler still runs", async () => {
    const { loop, clock, reports } = await runningLoop();
    const bad = () => { loop.clearReady(1, READ); throw new Error("h"); };
    let next = false;
    loop.addHandler(1, bad, READ);
    loop.addHandler(2, () => { next = true; loop.clearReady(2, READ); }, READ);
    loop.setReady(1, READ);
    loop.setReady(2, READ);
    await clock.advance(0);
    expect(reports.map((r) => [r.kind, r.fn])).toEqual([["handler", bad]]);
    expect(next).toBe(true);
  });

  it("a callback, timeout or handler returning a rejected promise is reported with its kind", async () => {
    const { loop, clock, reports } = await runningLoop();
    const cb = async () => { throw new Error("c"); };
    const to = () => Promise.reject(new Error("t"));
    const h = async () => { loop.clearReady(1, READ); throw new Error("h"); };
    loop.addCallback(cb);
    loop.callLater(1, to);
    loop.addHandler(1, h, READ);
    loop.setReady(1, READ);
    await clock.advance(1);
    expect(reports.map((r) => [r.kind, r.fn, (r.error as Error).message])).toEqual([
      ["callback", cb, "c"], ["handler", h, "h"], ["timeout", to, "t"],
    ]);
  });

  it("without onError, a throwing callback goes to console.error with what failed, and the loop goes on", async () => {
    const { loop, clock } = await runningLoop({ onError: undefined });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const boom = new Error("boom");
      let next = false;
      loop.addCallback(function failingCallback() { throw boom; });
      loop.addCallback(() => { next = true; });
      await clock.advance(0);
      expect(spy).toHaveBeenCalledTimes(1);
      const args = spy.mock.calls[0];
      expect(String(args[0])).toMatch(/callback/);
      expect(String(args[0])).toMatch(/failingCallback/);
      expect(args).toContain(boom);
      expect(next).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it("slowCallbackMs reports a callback or handler that ran longer, and not one that did not", async () => {
    const slow: { kind: string; fn: Function; durationMs: number }[] = [];
    const { loop, clock } = await runningLoop({ slowCallbackMs: 10, onSlowCallback: (c) => slow.push(c) });
    const lingering = () => clock.set(clock.now() + 25);
    const quick = () => {};
    const handler = () => { loop.clearReady(1, READ); clock.set(clock.now() + 11); };
    loop.addCallback(lingering);
    loop.addCallback(quick);
    loop.addHandler(1, handler, READ);
    loop.setReady(1, READ);
    await clock.advance(0);
    expect(slow).toEqual([
      { kind: "callback", fn: lingering, durationMs: 25 },
      { kind: "handler", fn: handler, durationMs: 11 },
    ]);
  });
});
