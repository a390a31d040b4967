// An indexed 4-ary min-heap of timer slots, ordered by (key, tie).
//
// The heap knows nothing of time: `key` and `tie` are numbers chosen by its
// user (timers.ts passes the deadline and the sequence number). A slot is a
// timer record (records.ts) below the reserved capacity; the heap keeps each
// entry's position in its record (next == IN_HEAP, prev == position), so a
// slot can be removed or re-keyed in O(log n) without a search, and no table
// per slot is needed. The keys and ties are also kept per position, so that
// sifting reads only the heap's own array.
//
// Invariants (checked by heapCheck):
//   - for every position i > 0: entry(parent(i)) <= entry(i) in (key, tie) order;
//   - heapPositionOf(slotAt(i)) == i for every i < size;
//   - heapPositionOf(s) == -1 for every slot s not in the heap (its record's
//     next is not IN_HEAP: a slot leaving the heap is marked DETACHED).
//
// Four children per node: half the depth of a binary heap. An entry is 16
// bytes (key, tie, slot) and the array starts 48 bytes into a 64-byte aligned
// block, so the four children of any node (positions 4i+1 .. 4i+4) are one
// cache line: a level of sift-down reads one line.

import { growBlock, nextCapacity } from "./memory";
import { IN_HEAP, DETACHED, nextOf, setNext, prevOf, setPrev, recordsCapacity } from "./records";

const NOT_IN_HEAP: i32 = -1;

const ENTRY_BYTES: i32 = 16; // key f64, tie u32, slot i32
const LEAD: i32 = 3;         // unused entries before position 0

let block: usize = 0;
let entries: usize = 0;      // position 0: block + LEAD entries
let capacity: i32 = 0;
let size: i32 = 0;

@inline function entryAt(i: i32): usize { return entries + (<usize>i << 4); }
@inline function keyAt(i: i32): f64 { return load<f64>(entryAt(i)); }
@inline function tieAt(i: i32): u32 { return load<u32>(entryAt(i), 8); }
@inline function slotAt(i: i32): i32 { return load<i32>(entryAt(i), 12); }
@inline function setPosition(slot: i32, i: i32): void { setPrev(slot, i); }

@inline function place(i: i32, key: f64, tie: u32, slot: i32): void {
  const at = entryAt(i);
  store<f64>(at, key);
  store<u32>(at, tie, 8);
  store<i32>(at, slot, 12);
  setPosition(slot, i);
}

@inline function before(key: f64, tie: u32, i: i32): bool {
  const other = keyAt(i);
  return key < other || (key == other && tie < tieAt(i));
}

/** Moves the entry (key, tie, slot) up from hole `i` to where it belongs. */
function siftUp(i: i32, key: f64, tie: u32, slot: i32): void {
  while (i > 0) {
    const parent = (i - 1) >> 2;
    if (!before(key, tie, parent)) break;
    place(i, keyAt(parent), tieAt(parent), slotAt(parent));
    i = parent;
  }
  place(i, key, tie, slot);
}

/** Moves the entry (key, tie, slot) down from hole `i` to where it belongs. */
function siftDown(i: i32, key: f64, tie: u32, slot: i32): void {
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

/** Inserts `slot`, which must not be in the heap and must be below the
 *  reserved slot limit. */
export function heapPush(slot: i32, key: f64, tie: u32): void {
  if (size == capacity) {
    const grown = nextCapacity(capacity, size + 1);
    block = growBlock(block, grown + LEAD, ENTRY_BYTES);
    entries = block + <usize>(LEAD * ENTRY_BYTES);
    capacity = grown;
  }
  setNext(slot, IN_HEAP);
  siftUp(size++, key, tie, slot);
}

/** Removes `slot` from the heap; returns false if it was not in it. */
export function heapRemove(slot: i32): bool {
  if (<u32>slot >= <u32>recordsCapacity()) return false;
  const i = heapPositionOf(slot);
  if (i == NOT_IN_HEAP) return false;
  setNext(slot, DETACHED);
  const lastIndex = --size;
  if (i == lastIndex) return true;
  // Refill the hole with the last entry, which may belong above or below it.
  const key = keyAt(lastIndex), tie = tieAt(lastIndex), moved = slotAt(lastIndex);
  if (i > 0 && before(key, tie, (i - 1) >> 2)) siftUp(i, key, tie, moved);
  else siftDown(i, key, tie, moved);
  return true;
}

/** Gives `slot`, which must be in the heap, a new (key, tie). Taken out and
 *  put back, in O(log n) as a sift would be: its one caller renumbers the
 *  heap once per 2^32 schedules, and this is the least code. */
export function heapUpdate(slot: i32, key: f64, tie: u32): void {
  heapRemove(slot);
  heapPush(slot, key, tie);
}

/** Removes and returns the least slot; the heap must not be empty. */
export function heapPop(): i32 {
  const top = slotAt(0), topKey = keyAt(0);
  setNext(top, DETACHED);
  const lastIndex = --size;
  if (lastIndex > 0) siftDown(0, keyAt(lastIndex), tieAt(lastIndex), slotAt(lastIndex));
  assert(size == 0 || keyAt(0) >= topKey, "heap order: an entry above the least one");
  return top;
}

@inline export function heapSize(): i32 { return size; }

/** The least key, or +Infinity when the heap is empty. */
@inline export function heapMinKey(): f64 { return size > 0 ? keyAt(0) : Infinity; }

/** The position of `slot`, or -1; `slot` must be below the reserved limit. */
@inline export function heapPositionOf(slot: i32): i32 {
  return nextOf(slot) == IN_HEAP ? prevOf(slot) : NOT_IN_HEAP;
}

/** The key of `slot`, which must be in the heap. */
export function heapKeyOf(slot: i32): f64 { return keyAt(heapPositionOf(slot)); }

/** The tie of `slot`, which must be in the heap. */
export function heapTieOf(slot: i32): u32 { return tieAt(heapPositionOf(slot)); }

/** Empties the heap, keeping its memory for reuse. */
export function heapClear(): void {
  for (let i = 0; i < size; i++) setNext(slotAt(i), DETACHED);
  size = 0;
}

/** Returns 0 when every invariant above holds, else a positive code. */
export function heapCheck(): i32 {
  let counted = 0;
  const slotCapacity = recordsCapacity();
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
