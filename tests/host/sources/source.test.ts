// The Source contract's shared bookkeeping (BaseSource), through a minimal
// source that reports what a test tells it to.
import { describe, expect, it } from "vitest";
import { ERROR, READ, WRITE } from "../../../src/index.js";
import { BaseSource } from "../../../src/sources/source.js";
import { virtualLoop } from "../helpers.js";

class ScriptedSource extends BaseSource {
  constructor() { super("ScriptedSource"); }
  items: string[] = [];
  ended = false;
  push(item: string): void { this.items.push(item); this.markReady(READ); }
  end(): void { this.ended = true; if (this.items.length === 0) this.reportError(); }
  read(): string | undefined {
    const item = this.items.shift();
    if (this.items.length === 0) {
      this.unmarkReady(READ);
      if (this.ended) this.reportError();
    }
    return item;
  }
  writable(on: boolean): void { if (on) this.markReady(WRITE); else this.unmarkReady(WRITE); }
  close(): void { this.unmarkAll(); }
}

describe("BaseSource", () => {
  it("delivers ERROR exactly once, after the data that came before it", async () => {
    const { loop, clock } = await virtualLoop();
    const source = new ScriptedSource();
    const seen: string[] = [];
    loop.addHandler(source, (s, events) => {
      if (events & READ) seen.push(`read ${s.read()}`);
      if (events & ERROR) seen.push("error");
    }, READ);
    source.push("a");
    source.push("b");
    source.end();
    void loop.start();
    await clock.advance(100);
    expect(seen).toEqual(["read a", "read b", "error"]);
    expect(loop.stats().readySources).toBe(0);
    loop.stop();
  });

  it("delivers ERROR to a handler whose interest is 0", async () => {
    const { loop, clock } = await virtualLoop();
    const source = new ScriptedSource();
    let errors = 0;
    loop.addHandler(source, (_s, events) => { if (events & ERROR) errors++; }, 0);
    source.end();
    void loop.start();
    await clock.advance(100);
    expect(errors).toBe(1);
    loop.stop();
  });

  it("keeps readiness that arose while detached and reports it on attach", async () => {
    const { loop, clock } = await virtualLoop();
    const source = new ScriptedSource();
    source.push("early");
    source.end();
    const seen: string[] = [];
    void loop.start();
    await clock.advance(10);
    loop.addHandler(source, (s, events) => {
      if (events & READ) seen.push(`read ${s.read()}`);
      if (events & ERROR) seen.push("error");
    }, READ);
    await clock.advance(10);
    expect(seen).toEqual(["read early", "error"]);
    loop.stop();
  });

  it("reports ERROR again to a new handler if the first was removed before it ran", async () => {
    const { loop, clock } = await virtualLoop();
    const source = new ScriptedSource();
    const first: number[] = [], second: number[] = [];
    loop.addHandler(source, (_s, events) => first.push(events), 0);
    source.end();
    loop.removeHandler(source);
    loop.addHandler(source, (_s, events) => second.push(events), 0);
    void loop.start();
    await clock.advance(10);
    expect(first).toEqual([]);
    expect(second).toEqual([ERROR]);
    loop.stop();
  });

  it("is level-triggered: WRITE is delivered every iteration until withdrawn", async () => {
    const { loop, clock } = await virtualLoop();
    const source = new ScriptedSource();
    let calls = 0;
    loop.addHandler(source, () => { if (++calls === 3) source.writable(false); }, WRITE);
    source.writable(true);
    void loop.start();
    await clock.advance(10);
    expect(calls).toBe(3);
    expect(source.readyEvents).toBe(0);
    loop.stop();
  });

  it("refuses to be added to a second loop while on the first", async () => {
    const { loop: one } = await virtualLoop();
    const { loop: two } = await virtualLoop();
    const source = new ScriptedSource();
    one.addHandler(source, () => {}, READ);
    expect(() => two.addHandler(source, () => {}, READ)).toThrow(/^addHandler: this ScriptedSource is already attached to another loop/);
    expect(two.stats().handlers).toBe(0);
    one.removeHandler(source);
    two.addHandler(source, () => {}, READ);
    expect(two.stats().handlers).toBe(1);
  });

  it("close() withdraws every readiness and reports nothing more", async () => {
    const { loop, clock } = await virtualLoop();
    const source = new ScriptedSource();
    let calls = 0;
    loop.addHandler(source, () => { calls++; }, READ | WRITE);
    source.push("x");
    source.writable(true);
    source.close();
    void loop.start();
    await clock.advance(10);
    expect(calls).toBe(0);
    expect(loop.stats().readySources).toBe(0);
    loop.stop();
  });
});
