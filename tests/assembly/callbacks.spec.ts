import { callbackAdd, callbackTake, callbackCount, callbackClear, callbacksCheck } from "../../assembly/callbacks";
import { callbackRelease } from "../../assembly/callbacks";

/** Takes the oldest callback and releases its slot at once, as the next
 *  iteration would. */
function take(): i32 {
  const slot = callbackTake();
  callbackRelease(slot);
  return slot;
}

describe("callbacks", () => {
  beforeEach(() => { callbackClear(); expect(callbacksCheck()).toBe(0); });

  it("takes callbacks in the order they were added (FIFO)", () => {
    const a = callbackAdd(), b = callbackAdd(), c = callbackAdd();
    expect(callbackCount()).toBe(3);
    expect(callbacksCheck()).toBe(0);
    expect(take()).toBe(a);
    expect(take()).toBe(b);
    expect(take()).toBe(c);
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
    expect(take()).toBe(a);
    const c = callbackAdd();
    expect(c).toBe(a);        // the released slot comes back
    expect(c).not.toBe(b);    // the queued one does not
    expect(callbacksCheck()).toBe(0);
    expect(take()).toBe(b);
    expect(take()).toBe(c);
  });

  it("slots stay bounded by the most ever queued at once, however many pass through", () => {
    let highest = 0;
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 5; i++) { const s = callbackAdd(); if (s > highest) highest = s; }
      for (let i = 0; i < 5; i++) take();
    }
    expect(highest).toBeLessThan(5);
    expect(callbacksCheck()).toBe(0);
  });

  it("grows past its first capacity, keeping FIFO order across the wrap of the ring", () => {
    // Offset the ring's head first, so that growth has to unwrap it.
    for (let i = 0; i < 10; i++) callbackAdd();
    for (let i = 0; i < 10; i++) take();
    const slots: i32[] = [];
    for (let i = 0; i < 1000; i++) slots.push(callbackAdd());
    expect(callbackCount()).toBe(1000);
    expect(callbacksCheck()).toBe(0);
    let outOfOrder = 0;
    for (let i = 0; i < 1000; i++) if (take() != slots[i]) outOfOrder++;
    expect(outOfOrder).toBe(0);
    expect(callbacksCheck()).toBe(0);
  });

  it("interleaved adds and takes stay FIFO", () => {
    const expected: i32[] = [];
    let outOfOrder = 0;
    for (let i = 0; i < 2000; i++) {
      expected.push(callbackAdd());
      if (i % 3 == 2) { if (take() != expected.shift()) outOfOrder++; }
      if (callbacksCheck() != 0) outOfOrder++;
    }
    while (expected.length > 0) if (take() != expected.shift()) outOfOrder++;
    expect(outOfOrder).toBe(0);
  });

  it("the check passes again and again on a healthy queue (its marks are undone)", () => {
    callbackAdd(); callbackAdd(); callbackAdd();
    take();
    let failures = 0;
    for (let i = 0; i < 5; i++) if (callbacksCheck() != 0) failures++;
    expect(failures).toBe(0);
    take();
    callbackAdd();
    expect(callbacksCheck()).toBe(0);
  });

  it("clear drops every queued callback and releases its slot", () => {
    callbackAdd(); callbackAdd();
    callbackClear();
    expect(callbackCount()).toBe(0);
    expect(callbacksCheck()).toBe(0);
  });
});
