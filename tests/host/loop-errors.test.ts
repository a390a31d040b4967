// User code that throws, rejects or runs long:
// reported with what failed, and the loop goes on.
import { describe, expect, it, vi } from "vitest";
import { READ } from "../../src/index.js";
import { runningLoop } from "./helpers.js";

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

  it("slowCallbackMs reports no call whose start or end the clock gave no reading for (it threw), however long it ran", async () => {
    const slow: unknown[] = [];
    const clockErrors: unknown[] = [];
    let broken = false;
    const { loop, clock } = await runningLoop({
      slowCallbackMs: 10,
      onSlowCallback: (c) => slow.push(c),
      onError: (c) => { if (c.kind === "clock") clockErrors.push(c.error); },
    });
    const now = clock.now.bind(clock);
    clock.now = () => { if (broken) throw new Error("the clock broke"); return now(); };
    // Breaks the clock for its own start, then mends it and takes 25 ms.
    const startsBroken = () => { broken = false; clock.set(clock.now() + 25); };
    // Takes 25 ms, then breaks the clock for its own end.
    const endsBroken = () => { clock.set(clock.now() + 25); broken = true; };
    loop.addCallback(() => { broken = true; });
    loop.addCallback(startsBroken);
    loop.addCallback(endsBroken);
    loop.addCallback(() => { broken = false; });
    await clock.advance(0);
    expect(clockErrors.length).toBeGreaterThan(0);
    expect(slow).toEqual([]);
  });
});
