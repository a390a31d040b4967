import { callbackAdd, callbackTake, callbackCount, callbackClear, callbacksCheck } from "../../assembly/callbacks";

describe("callbacks", () => {
  beforeEach(() => { callbackClear(); expect(callbacksCheck()).toBe(0); });

  it("takes callbacks in the order they were added (FIFO)", () => {
    const a = callbackAdd(), b = callbackAdd(), c = callbackAdd();
    expect(callbackCount()).toBe(3);
    expect(callbacksCheck()).toBe(0);
    expect(callbackTake()).toBe(a);
    expect(callbackTake()).toBe(b);
    expect(callbackTake()).toBe(c);
    expect(callbackCount()).toBe(0);
    expect(callbacksCheck()).toBe(0);
  });

  it("hands out distinct slots to queued callbacks", () => {
    const a = callbackAdd(), b = callbackAdd(), c = callbackAdd();
    expect(a).not.toBe(b);
    expect(b).not.toBe(c);
    expect(a).not.toBe(c);
  });

  it("reuses a slot once it has been taken, and no sooner", () => {
    const a = callbackAdd();
    const b = callbackAdd();
    expect(callbackTake()).toBe(a);
    const c = callbackAdd();
    expect(c).toBe(a);        // the released slot comes back
    expect(c).not.toBe(b);    // the queued one does not
    expect(callbacksCheck()).toBe(0);
    expect(callbackTake()).toBe(b);
    expect(callbackTake()).toBe(c);
  });

  it("slots stay bounded by the most ever queued at once, however many pass through", () => {
    let highest = 0;
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 5; i++) { const s = callbackAdd(); if (s > highest) highest = s; }
      for (let i = 0; i < 5; i++) callbackTake();
    }
    expect(highest).toBeLessThan(5);
    expect(callbacksCheck()).toBe(0);
  });

  it("grows past its first capacity, keeping FIFO order across the wrap of the ring", () => {
    // Offset the ring's head first, so that growth has to unwrap it.
    for (let i = 0; i < 10; i++) callbackAdd();
    for (let i = 0; i < 10; i++) callbackTake();
    const slots: i32[] = [];
    for (let i = 0; i < 1000; i++) slots.push(callbackAdd());
    expect(callbackCount()).toBe(1000);
    expect(callbacksCheck()).toBe(0);
    let outOfOrder = 0;
    for (let i = 0; i < 1000; i++) if (callbackTake() != slots[i]) outOfOrder++;
    expect(outOfOrder).toBe(0);
    expect(callbacksCheck()).toBe(0);
  });

  it("interleaved adds and takes stay FIFO", () => {
    const expected: i32[] = [];
    let outOfOrder = 0;
    for (let i = 0; i < 2000; i++) {
      expected.push(callbackAdd());
      if (i % 3 == 2) { if (callbackTake() != expected.shift()) outOfOrder++; }
      if (callbacksCheck() != 0) outOfOrder++;
    }
    while (expected.length > 0) if (callbackTake() != expected.shift()) outOfOrder++;
    expect(outOfOrder).toBe(0);
  });

  it("clear drops every queued callback and releases its slot", () => {
    callbackAdd(); callbackAdd();
    callbackClear();
    expect(callbackCount()).toBe(0);
    expect(callbacksCheck()).toBe(0);
  });
});
