// An indexed 4-ary min-heap of slots, ordered by (key, tie).
//
// The heap knows nothing of time: `key` and `tie` are numbers chosen by its
// user (timers.ts passes the deadline and a sequence number). A slot is any
// non-negative i32 below the slot capacity; the heap keeps, per slot, its
// position, so a slot can be removed or re-keyed in O(log n) without a search.
//
// Invariants (checked by heapCheck):
//   - for every position i > 0: entry(parent(i)) <= entry(i) in (key, tie) order;
//   - positionOf(slotAt(i)) == i for every i < size;
//   - positionOf(s) == -1 for every slot s not in the heap.
//
// Four children per node: half the depth of a binary heap and the four
// children share a cache line, which is what makes sift-down cheap.

import { growBlock, nextCapacity } from "./memory";

const NOT_IN_HEAP: i32 = -1;

let keys: usize = 0;      // f64 per position
let ties: usize = 0;      // f64 per position
let slots: usize = 0;     // i32 per position
let positions: usize = 0; // i32 per slot
let capacity: i32 = 0;
let slotCapacity: i32 = 0;
let size: i32 = 0;

@inline function keyAt(i: i32): f64 { return load<f64>(keys + (<usize>i << 3)); }
@inline function tieAt(i: i32): f64 { return load<f64>(ties + (<usize>i << 3)); }
@inline function slotAt(i: i32): i32 { return load<i32>(slots + (<usize>i << 2)); }
@inline function setPosition(slot: i32, i: i32): void { store<i32>(positions + (<usize>slot << 2), i); }

@inline function place(i: i32, key: f64, tie: f64, slot: i32): void {
  store<f64>(keys + (<usize>i << 3), key);
  store<f64>(ties + (<usize>i << 3), tie);
  store<i32>(slots + (<usize>i << 2), slot);
  setPosition(slot, i);
}

@inline function before(key: f64, tie: f64, i: i32): bool {
  const other = keyAt(i);
  return key < other || (key == other && tie < tieAt(i));
}

/** Moves the entry (key, tie, slot) up from hole `i` to where it belongs. */
function siftUp(i: i32, key: f64, tie: f64, slot: i32): void {
  while (i > 0) {
    const parent = (i - 1) >> 2;
    if (!before(key, tie, parent)) break;
    place(i, keyAt(parent), tieAt(parent), slotAt(parent));
    i = parent;
  }
  place(i, key, tie, slot);
}

/** Moves the entry (key, tie, slot) down from hole `i` to where it belongs. */
function siftDown(i: i32, key: f64, tie: f64, slot: i32): void {
  const n = size;
  while (true) {
    const first = (i << 2) + 1;
    if (first >= n) break;
    let best = first;
    const last = first + 4 < n ? first + 4 : n;
    for (let c = first + 1; c < last; c++) {
      if (before(keyAt(c), tieAt(c), best)) best = c;
    }
    // Compare with the moving entry, not with the stale contents of the hole.
    const bk = keyAt(best);
    if (key < bk || (key == bk && tie <= tieAt(best))) break;
    place(i, bk, tieAt(best), slotAt(best));
    i = best;
  }
  place(i, key, tie, slot);
}

/** Makes room for slots below `slotLimit`; called by the slot allocator. */
export function heapReserveSlots(slotLimit: i32): void {
  if (slotLimit <= slotCapacity) return;
  const grown = nextCapacity(slotCapacity, slotLimit);
  positions = growBlock(positions, grown, 4);
  for (let s = slotCapacity; s < grown; s++) setPosition(s, NOT_IN_HEAP);
  slotCapacity = grown;
}

/** Inserts `slot`, which must not be in the heap and must be below the
 *  reserved slot limit. */
export function heapPush(slot: i32, key: f64, tie: f64): void {
  if (size == capacity) {
    const grown = nextCapacity(capacity, size + 1);
    keys = growBlock(keys, grown, 8);
    ties = growBlock(ties, grown, 8);
    slots = growBlock(slots, grown, 4);
    capacity = grown;
  }
  siftUp(size++, key, tie, slot);
}

/** Removes `slot` from the heap; returns false if it was not in it. */
export function heapRemove(slot: i32): bool {
  if (<u32>slot >= <u32>slotCapacity) return false;
  const i = heapPositionOf(slot);
  if (i == NOT_IN_HEAP) return false;
  setPosition(slot, NOT_IN_HEAP);
  const lastIndex = --size;
  if (i == lastIndex) return true;
  // Refill the hole with the last entry, which may belong above or below it.
  const key = keyAt(lastIndex), tie = tieAt(lastIndex), moved = slotAt(lastIndex);
  if (i > 0 && before(key, tie, (i - 1) >> 2)) siftUp(i, key, tie, moved);
  else siftDown(i, key, tie, moved);
  return true;
}

/** Gives `slot`, which must be in the heap, a new (key, tie). */
export function heapUpdate(slot: i32, key: f64, tie: f64): void {
  const i = heapPositionOf(slot);
  if (i > 0 && before(key, tie, (i - 1) >> 2)) siftUp(i, key, tie, slot);
  else siftDown(i, key, tie, slot);
}

/** Removes and returns the least slot; the heap must not be empty. */
export function heapPop(): i32 {
  const top = slotAt(0);
  setPosition(top, NOT_IN_HEAP);
  const lastIndex = --size;
  if (lastIndex > 0) siftDown(0, keyAt(lastIndex), tieAt(lastIndex), slotAt(lastIndex));
  return top;
}

@inline export function heapSize(): i32 { return size; }

/** The least key, or +Infinity when the heap is empty. */
@inline export function heapMinKey(): f64 { return size > 0 ? keyAt(0) : Infinity; }

/** The position of `slot`, or -1; `slot` must be below the reserved limit. */
@inline export function heapPositionOf(slot: i32): i32 {
  return load<i32>(positions + (<usize>slot << 2));
}

/** The key of `slot`, which must be in the heap. */
export function heapKeyOf(slot: i32): f64 { return keyAt(heapPositionOf(slot)); }

/** The tie of `slot`, which must be in the heap. */
export function heapTieOf(slot: i32): f64 { return tieAt(heapPositionOf(slot)); }

/** Empties the heap, keeping its memory for reuse. */
export function heapClear(): void {
  for (let i = 0; i < size; i++) setPosition(slotAt(i), NOT_IN_HEAP);
  size = 0;
}

/** Returns 0 when every invariant above holds, else a positive code. */
export function heapCheck(): i32 {
  let counted = 0;
  for (let s = 0; s < slotCapacity; s++) {
    const i = heapPositionOf(s);
    if (i == NOT_IN_HEAP) continue;
    if (i < 0 || i >= size || slotAt(i) != s) return 1;
    counted++;
  }
  if (counted != size) return 2;
  for (let i = 1; i < size; i++) {
    if (before(keyAt(i), tieAt(i), (i - 1) >> 2)) return 3;
  }
  return 0;
}
