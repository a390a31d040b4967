import { recordsReserve } from "../../assembly/records";
import {
  heapPush, heapPop, heapRemove, heapUpdate, heapSize, heapMinKey, heapKeyOf,
  heapPositionOf, heapCheck, heapClear,
} from "../../assembly/heap";

// A small deterministic PRNG (xorshift32), so that a failure reproduces.
let seed: u32 = 0x9e3779b9;
function random(bound: i32): i32 {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return <i32>(seed % <u32>bound);
}

describe("heap", () => {
  beforeEach(() => { heapClear(); recordsReserve(64); });

  it("pops in (key, tie) order", () => {
    heapPush(0, 5, 2);
    heapPush(1, 5, 1);
    heapPush(2, 1, 9);
    heapPush(3, 7, 0);
    expect(heapCheck()).toBe(0);
    expect(heapPop()).toBe(2);
    expect(heapPop()).toBe(1);
    expect(heapPop()).toBe(0);
    expect(heapPop()).toBe(3);
    expect(heapSize()).toBe(0);
    expect(heapMinKey()).toBe(Infinity);
  });

  it("removes an entry from the middle and keeps the order", () => {
    for (let s = 0; s < 40; s++) heapPush(s, <f64>((s * 17) % 40), <u32>s);
    expect(heapRemove(13)).toBe(true);
    expect(heapRemove(13)).toBe(false);
    expect(heapCheck()).toBe(0);
    let last: f64 = -1;
    while (heapSize() > 0) {
      const key = heapMinKey();
      expect(key >= last).toBe(true);
      last = key;
      expect(heapPop()).not.toBe(13);
    }
  });

  it("removes the root, the last entry and the only entry", () => {
    heapPush(7, 1, 0);
    expect(heapRemove(7)).toBe(true);
    expect(heapSize()).toBe(0);
    expect(heapCheck()).toBe(0);
    for (let s = 0; s < 10; s++) heapPush(s, <f64>s, 0);
    expect(heapRemove(0)).toBe(true); // the root
    expect(heapMinKey()).toBe(1);
    expect(heapRemove(9)).toBe(true); // the last position
    expect(heapCheck()).toBe(0);
    expect(heapSize()).toBe(8);
  });

  it("refills a removed hole with a last entry that belongs above it", () => {
    // A removed entry deep in one subtree, refilled by the last entry of
    // another subtree whose key is smaller than the hole's parent: it must
    // sift up, not down.
    const keys: f64[] = [0, 100, 10, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 11, 12, 13, 14, 1];
    for (let s = 0; s < keys.length; s++) heapPush(s, keys[s], <u32>s);
    expect(heapCheck()).toBe(0);
    expect(heapRemove(5)).toBe(true);
    expect(heapCheck()).toBe(0);
    expect(heapPop()).toBe(0);
    expect(heapPop()).toBe(18);
  });

  it("does not remove a slot that is not in it, or beyond the reserved slots", () => {
    heapPush(3, 1, 0);
    expect(heapRemove(4)).toBe(false);
    expect(heapRemove(-1)).toBe(false);
    expect(heapRemove(1 << 20)).toBe(false);
    expect(heapSize()).toBe(1);
    expect(heapCheck()).toBe(0);
  });

  it("re-keys an entry upwards and downwards in place", () => {
    for (let s = 0; s < 20; s++) heapPush(s, <f64>(s * 10), <u32>s);
    heapUpdate(19, -5, 100);
    expect(heapCheck()).toBe(0);
    expect(heapPop()).toBe(19);
    heapUpdate(0, 1000, 101);
    expect(heapCheck()).toBe(0);
    expect(heapKeyOf(0)).toBe(1000);
    let last = -1;
    while (heapSize() > 0) last = heapPop();
    expect(last).toBe(0);
  });

  it("breaks equal keys by tie, whatever the insertion order", () => {
    const ties: u32[] = [5, 3, 9, 1, 7, 2, 8, 0, 6, 4];
    for (let s = 0; s < ties.length; s++) heapPush(s, 42, ties[s]);
    for (let expectedTie = 0; expectedTie < 10; expectedTie++) {
      const slot = heapPop();
      expect(ties[slot]).toBe(<u32>expectedTie);
    }
  });

  it("keeps -Infinity and +Infinity keys in order", () => {
    heapPush(0, Infinity, 0);
    heapPush(1, 3, 1);
    heapPush(2, -Infinity, 2);
    expect(heapMinKey()).toBe(-Infinity);
    expect(heapPop()).toBe(2);
    expect(heapPop()).toBe(1);
    expect(heapPop()).toBe(0);
  });

  it("clear empties it and forgets every position", () => {
    for (let s = 0; s < 30; s++) heapPush(s, <f64>s, 0);
    heapClear();
    expect(heapSize()).toBe(0);
    expect(heapCheck()).toBe(0);
    for (let s = 0; s < 30; s++) expect(heapPositionOf(s)).toBe(-1);
  });

  it("agrees with a sorted model over random push, remove, update and pop", () => {
    const SLOTS = 300;
    recordsReserve(SLOTS);
    // model: per slot, in the heap or not, and its (key, tie)
    const inHeap = new StaticArray<bool>(SLOTS);
    const keyOf = new StaticArray<f64>(SLOTS);
    const tieOf = new StaticArray<u32>(SLOTS);
    let tie: u32 = 0;
    let count = 0;
    // Counted, not expected, inside the loop: expect() is slow in as-pect.
    let disagreements = 0;
    for (let step = 0; step < 10000; step++) {
      const op = random(10);
      const slot = random(SLOTS);
      if (op < 4) {
        if (!inHeap[slot]) {
          const key = <f64>random(50);
          heapPush(slot, key, tie);
          inHeap[slot] = true; keyOf[slot] = key; tieOf[slot] = tie++;
          count++;
        }
      } else if (op < 6) {
        if (heapRemove(slot) != inHeap[slot]) disagreements++;
        if (inHeap[slot]) { inHeap[slot] = false; count--; }
      } else if (op < 8) {
        if (inHeap[slot]) {
          const key = <f64>random(50);
          heapUpdate(slot, key, tie);
          keyOf[slot] = key; tieOf[slot] = tie++;
        }
      } else if (count > 0) {
        // the model's least (key, tie)
        let best = -1;
        for (let s = 0; s < SLOTS; s++) {
          if (!inHeap[s]) continue;
          if (best < 0 || keyOf[s] < keyOf[best] || (keyOf[s] == keyOf[best] && tieOf[s] < tieOf[best])) best = s;
        }
        if (heapMinKey() != keyOf[best]) disagreements++;
        if (heapPop() != best) disagreements++;
        inHeap[best] = false;
        count--;
      }
      // Stop at the first disagreement: a broken heap can send later
      // operations anywhere in memory.
      if (heapSize() != count || heapCheck() != 0) { disagreements++; break; }
    }
    expect(disagreements).toBe(0);
    expect(count).toBeGreaterThan(0);
  });
});
