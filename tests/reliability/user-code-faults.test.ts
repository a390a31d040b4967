// Faults in user code: a handler or callback that throws,
// removes itself, removes another, closes its own source, or stops the loop
// mid-iteration. Each must affect only itself; nothing else is lost, and the
// loop neither stalls nor spins.

import { describe, expect, it, vi } from "vitest";
import { ERROR, READ } from "../../src/index.js";
import { VirtualClock } from "../../src/time/virtual-clock.js";
import { createLoop } from "../host/helpers.js";

async function running() {
  const clock = new VirtualClock();
  const errors: unknown[] = [];
  const loop = await createLoop({ clock, onError: ({ error }) => errors.push(error) });
  const stopped = loop.start();
  await clock.advance(0);
  return { loop, clock, errors, stopped };
}

describe("user code that misbehaves", () => {
  it("a handler that throws on every call is reported each time, and the other handlers, callbacks and timeouts keep running", async () => {
    const { loop, clock, errors } = await running();
    const ran: string[] = [];
    // Both sources stay ready for three iterations, then drain.
    let thrown = 0, served = 0;
    loop.addHandler(1, () => {
      if (++thrown === 3) loop.clearReady(1, READ);
      ran.push("thrower");
      throw new Error("boom");
    }, READ);
    loop.addHandler(2, () => { if (++served === 3) loop.clearReady(2, READ); ran.push("good"); }, READ);
    loop.setReady(1, READ);
    loop.setReady(2, READ);
    loop.callLater(1, () => ran.push("timeout"));
    loop.addCallback(() => ran.push("callback"));
    await clock.advance(1);
    expect(ran).toEqual(["callback", "thrower", "good", "thrower", "good", "thrower", "good", "timeout"]);
    expect(errors).toHaveLength(3);
    loop.checkInvariants();
  });

  it("a handler that removes itself while its source is still ready is not called again, and the loop goes idle", async () => {
    const { loop, clock } = await running();
    let calls = 0;
    loop.addHandler(1, () => { calls++; loop.removeHandler(1); }, READ);
    loop.setReady(1, READ); // never cleared
    await clock.advance(10);
    const iterations = loop.stats().iterations;
    await clock.advance(10);
    expect(calls).toBe(1);
    expect(loop.stats()).toMatchObject({ handlers: 0, readySources: 0 });
    expect(loop.stats().iterations).toBe(iterations); // idle: no wake-ups without work
    loop.checkInvariants();
  });

  it("a handler that removes another ready handler, and adds a new one for that source, runs neither in the same iteration; the new one runs in the next", async () => {
    const { loop, clock } = await running();
    const ran: string[] = [];
    loop.addHandler(1, () => {
      ran.push("first");
      loop.removeHandler(1);
      loop.removeHandler(2);
      loop.addHandler(2, (_s, events) => { ran.push(`replacement ${events}`); loop.clearReady(2, READ); }, READ);
      loop.setReady(2, READ);
    }, READ);
    loop.addHandler(2, () => ran.push("removed"), READ);
    loop.setReady(1, READ);
    loop.setReady(2, READ);
    await clock.advance(0);
    expect(ran).toEqual(["first", "replacement 1"]);
    loop.checkInvariants();
  });

  it("a handler that closes its own source (which removes its handler) gets no further calls, and the other sources are served", async () => {
    const { loop, clock } = await running();
    const ran: string[] = [];
    const own = {
      closed: false,
      close() { this.closed = true; loop.removeHandler(this); },
    };
    loop.addHandler(own, (source) => { ran.push("own"); source.close(); }, READ);
    loop.addHandler(2, () => { ran.push("other"); loop.clearReady(2, READ); }, READ);
    loop.setReady(own, READ | ERROR);
    loop.setReady(2, READ);
    await clock.advance(5);
    expect(ran).toEqual(["own", "other"]);
    expect(own.closed).toBe(true);
    expect(loop.stats()).toMatchObject({ handlers: 1, readySources: 0 });
  });

  it("a callback that stops the loop lets the rest of its iteration run, then settles start(); later work waits for the next start()", async () => {
    const { loop, clock, stopped } = await running();
    const ran: string[] = [];
    loop.addHandler(1, () => { ran.push("handler"); loop.clearReady(1, READ); }, READ);
    loop.setReady(1, READ);
    loop.addCallback(() => { ran.push("stopper"); loop.stop(); loop.addCallback(() => ran.push("next iteration")); });
    loop.addCallback(() => ran.push("after stopper"));
    loop.callAt(loop.time(), () => ran.push("due timeout"));
    await clock.advance(0);
    await stopped;
    expect(ran).toEqual(["stopper", "after stopper", "due timeout", "handler"]);
    expect(loop.running).toBe(false);
    expect(loop.stats().queuedCallbacks).toBe(1); // kept, not lost
    const again = loop.start();
    await clock.advance(0);
    expect(ran.at(-1)).toBe("next iteration");
    loop.stop();
    await again;
  });

  it("a timeout that throws after cancelling a later one: the cancelled one never runs, the rest do", async () => {
    const { loop, clock, errors } = await running();
    const ran: string[] = [];
    const later = loop.callLater(2, () => ran.push("cancelled"));
    loop.callLater(1, () => { loop.removeTimeout(later); throw new Error("after cancelling"); });
    loop.callLater(2, () => ran.push("kept"));
    await clock.advance(2);
    expect(ran).toEqual(["kept"]);
    expect(errors).toHaveLength(1);
  });

  it("an onError that throws goes to console.error, and the loop goes on", async () => {
    const clock = new VirtualClock();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const loop = await createLoop({ clock, onError: () => { throw new Error("onError broke"); } });
      const ran: string[] = [];
      loop.addCallback(() => { throw new Error("first"); });
      loop.addCallback(() => ran.push("second"));
      void loop.start();
      await clock.advance(0);
      expect(ran).toEqual(["second"]);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0])).toMatch(/a report's listener \(onError, onSlowCallback\) threw/);
    } finally {
      logged.mockRestore();
    }
  });

  it("an async onError or onSlowCallback that rejects goes to console.error too, never an unhandled rejection, and the loop goes on", async () => {
    const clock = new VirtualClock();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const loop = await createLoop({
        clock,
        onError: async () => { throw new Error("onError broke"); },
        slowCallbackMs: 1,
        onSlowCallback: async () => { throw new Error("onSlowCallback broke"); },
      });
      const ran: string[] = [];
      loop.addCallback(() => { throw new Error("first"); });
      loop.addCallback(() => { clock.set(clock.now() + 5); }); // slow: 5 ms on the loop's clock
      loop.addCallback(() => ran.push("third"));
      void loop.start();
      await clock.advance(0);
      expect(ran).toEqual(["third"]);
      expect(logged.mock.calls.map((call) => `${String(call[0])} ${(call[1] as Error).message}`)).toEqual([
        "wasm-ioloop: a report's listener (onError, onSlowCallback) threw onError broke",
        "wasm-ioloop: a report's listener (onError, onSlowCallback) threw onSlowCallback broke",
      ]);
    } finally {
      logged.mockRestore();
    }
  });

  it("a callback that keeps re-adding itself does not starve timeouts or handlers", async () => {
    const { loop, clock } = await running();
    let spins = 0;
    const spin = () => { if (++spins < 100) loop.addCallback(spin); };
    loop.addCallback(spin);
    const ran: string[] = [];
    loop.callLater(1, () => ran.push("timeout"));
    loop.addHandler(1, () => { ran.push("handler"); loop.clearReady(1, READ); }, READ);
    loop.setReady(1, READ);
    await clock.advance(1);
    expect(ran).toEqual(["handler", "timeout"]);
    expect(spins).toBe(100);
  });
});
