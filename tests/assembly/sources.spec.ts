import {
  sourceAdd, sourceRemove, sourceSetInterest, sourceSetReady, sourceClearReady, sourceListedCount,
  sourceListHead, sourceListNext, sourceEvents, sourceClear, sourcesCheck, ERR_BAD_SOURCE, ERR_BAD_EVENTS,
} from "../../assembly/sources";
import { READ, WRITE, ERROR } from "../../assembly/events";
import { sourceReleaseRemoved } from "../../assembly/sources";

/** Removes a source and releases its slot at once, as the next iteration
 *  would. */
function removeNow(slot: i32): i32 {
  const code = sourceRemove(slot);
  sourceReleaseRemoved();
  return code;
}

/** The ready list, head first. */
function listed(): i32[] {
  const slots: i32[] = [];
  for (let s = sourceListHead(); s >= 0; s = sourceListNext(s)) slots.push(s);
  return slots;
}

describe("sources", () => {
  beforeEach(() => { sourceClear(); expect(sourcesCheck()).toBe(0); });

  it("a new source has its interest and is not ready", () => {
    const s = sourceAdd(READ | WRITE);
    expect(s).toBeGreaterThanOrEqual(0);
    expect(sourceListedCount()).toBe(0);
    expect(sourcesCheck()).toBe(0);
  });

  it("a source ready for an event it is interested in is listed, with that event", () => {
    const s = sourceAdd(READ);
    expect(sourceSetReady(s, READ)).toBe(1);
    expect(sourceListedCount()).toBe(1);
    expect(sourceListHead()).toBe(s);
    expect(sourceEvents(s)).toBe(READ);
    expect(sourcesCheck()).toBe(0);
  });

  it("a source ready only for events outside its interest is not listed", () => {
    const s = sourceAdd(READ);
    sourceSetReady(s, WRITE);
    expect(sourceListedCount()).toBe(0);
    expect(sourcesCheck()).toBe(0);
  });

  it("a READ-only source ready for READ and WRITE is given READ alone", () => {
    const s = sourceAdd(READ);
    sourceSetReady(s, READ | WRITE);
    expect(sourceEvents(s)).toBe(READ);
  });

  it("ERROR is listed whatever the interest, even none", () => {
    const s = sourceAdd(0);
    sourceSetReady(s, ERROR);
    expect(sourceListedCount()).toBe(1);
    expect(sourceEvents(s)).toBe(ERROR);
    const t = sourceAdd(WRITE);
    sourceSetReady(t, ERROR | READ);
    expect(sourceEvents(t)).toBe(ERROR);
    expect(sourcesCheck()).toBe(0);
  });

  it("readiness is level-triggered: a listed source stays listed until its ready bits are cleared", () => {
    const s = sourceAdd(READ);
    sourceSetReady(s, READ);
    // Reading the list (what a dispatch does) does not unlist it.
    expect(listed().length).toBe(1);
    expect(listed().length).toBe(1);
    expect(sourceClearReady(s, READ)).toBe(1);
    expect(sourceListedCount()).toBe(0);
    expect(sourcesCheck()).toBe(0);
  });

  it("events are merged into one entry per source", () => {
    const s = sourceAdd(READ | WRITE);
    sourceSetReady(s, READ);
    sourceSetReady(s, WRITE);
    sourceSetReady(s, READ);
    expect(sourceListedCount()).toBe(1);
    expect(sourceEvents(s)).toBe(READ | WRITE);
    sourceClearReady(s, READ);
    expect(sourceEvents(s)).toBe(WRITE);
    expect(sourceListedCount()).toBe(1);
    expect(sourcesCheck()).toBe(0);
  });

  it("the ready list is FIFO in the order sources became ready, and keeps a place when more events arrive", () => {
    const a = sourceAdd(READ | WRITE), b = sourceAdd(READ), c = sourceAdd(READ);
    sourceSetReady(c, READ);
    sourceSetReady(a, READ);
    sourceSetReady(b, READ);
    sourceSetReady(c, READ);   // already listed: stays first
    sourceSetReady(a, WRITE);  // already listed: stays second
    const order = listed();
    expect(order.length).toBe(3);
    expect(order[0]).toBe(c);
    expect(order[1]).toBe(a);
    expect(order[2]).toBe(b);
    sourceClearReady(c, READ);
    sourceSetReady(c, READ);   // unlisted then listed again: goes last
    const again = listed();
    expect(again[0]).toBe(a);
    expect(again[2]).toBe(c);
    expect(sourcesCheck()).toBe(0);
  });

  it("narrowing the interest unlists a source ready only for what it dropped; widening lists it again", () => {
    const s = sourceAdd(READ | WRITE);
    sourceSetReady(s, WRITE);
    expect(sourceListedCount()).toBe(1);
    expect(sourceSetInterest(s, READ)).toBe(1);
    expect(sourceListedCount()).toBe(0);
    expect(sourcesCheck()).toBe(0);
    sourceSetInterest(s, WRITE);
    expect(sourceListedCount()).toBe(1);
    expect(sourceEvents(s)).toBe(WRITE);
    expect(sourcesCheck()).toBe(0);
  });

  it("removing a source unlists it and frees its slot for the next source, which starts not ready", () => {
    const a = sourceAdd(READ), b = sourceAdd(READ);
    sourceSetReady(a, READ);
    sourceSetReady(b, READ);
    expect(removeNow(a)).toBe(1);
    expect(sourceListedCount()).toBe(1);
    expect(sourceListHead()).toBe(b);
    expect(sourcesCheck()).toBe(0);
    const c = sourceAdd(WRITE);
    expect(c).toBe(a);
    expect(sourceListedCount()).toBe(1);
    expect(sourcesCheck()).toBe(0);
  });

  it("operations on a removed or unknown slot return ERR_BAD_SOURCE and change nothing", () => {
    const a = sourceAdd(READ);
    removeNow(a);
    expect(removeNow(a)).toBe(ERR_BAD_SOURCE);
    expect(sourceSetReady(a, READ)).toBe(ERR_BAD_SOURCE);
    expect(sourceClearReady(a, READ)).toBe(ERR_BAD_SOURCE);
    expect(sourceSetInterest(a, READ)).toBe(ERR_BAD_SOURCE);
    expect(sourceSetReady(-1, READ)).toBe(ERR_BAD_SOURCE);
    expect(sourceSetReady(1000000, READ)).toBe(ERR_BAD_SOURCE);
    expect(sourceListedCount()).toBe(0);
    expect(sourcesCheck()).toBe(0);
  });

  it("masks with bits other than READ, WRITE and ERROR are refused with ERR_BAD_EVENTS", () => {
    expect(sourceAdd(0x2)).toBe(ERR_BAD_EVENTS);
    expect(sourceAdd(-1)).toBe(ERR_BAD_EVENTS);
    const s = sourceAdd(READ);
    expect(sourceSetReady(s, 0x10)).toBe(ERR_BAD_EVENTS);
    expect(sourceSetInterest(s, 0x100)).toBe(ERR_BAD_EVENTS);
    expect(sourceClearReady(s, 0x2)).toBe(ERR_BAD_EVENTS);
    expect(sourceListedCount()).toBe(0);
    expect(sourcesCheck()).toBe(0);
  });

  it("grows past its first capacity with a ready list that stays consistent", () => {
    const slots: i32[] = [];
    for (let i = 0; i < 200; i++) {
      const s = sourceAdd(READ);
      slots.push(s);
      if (i % 2 == 0) sourceSetReady(s, READ);
    }
    expect(sourceListedCount()).toBe(100);
    expect(sourcesCheck()).toBe(0);
    const order = listed();
    let outOfOrder = 0;
    for (let i = 0; i < 100; i++) if (order[i] != slots[2 * i]) outOfOrder++;
    expect(outOfOrder).toBe(0);
  });

  it("clear removes every source", () => {
    const a = sourceAdd(READ);
    sourceSetReady(a, READ);
    sourceAdd(WRITE);
    sourceClear();
    expect(sourceListedCount()).toBe(0);
    expect(sourceSetReady(a, READ)).toBe(ERR_BAD_SOURCE);
    expect(sourcesCheck()).toBe(0);
  });
});
