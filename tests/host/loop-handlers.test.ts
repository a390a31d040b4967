// Handlers and readiness: which handler runs, with which
// events, and what an earlier entry of the same iteration can prevent.
import { describe, expect, it } from "vitest";
import { READ, WRITE, ERROR } from "../../src/index.js";
import { runningLoop, virtualLoop } from "./helpers.js";

describe("handlers", () => {
  it("a handler removed by an earlier handler in the same iteration is not called", async () => {
    const { loop, clock, errors } = await runningLoop();
    const a = { name: "a" }, b = { name: "b" };
    const calls: string[] = [];
    loop.addHandler(a, () => { calls.push("a"); loop.removeHandler(b); }, READ);
    loop.addHandler(b, () => calls.push("b"), READ);
    loop.setReady(a, READ);
    loop.setReady(b, READ);
    await clock.advance(0);
    expect(calls[0]).toBe("a");
    expect(calls).not.toContain("b");
    expect(errors).toEqual([]);
    loop.checkInvariants();
  });

  it("a handler removed by a callback or timeout earlier in the same iteration is not called", async () => {
    const { loop, errors } = await virtualLoop();
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
    expect(errors).toEqual([]);
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
