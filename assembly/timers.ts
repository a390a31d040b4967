// The timer store: pending timeouts ordered by (deadline, sequence).
//
// heap.ts does the ordering; this file adds what makes its entries timers:
// slots handed out from a free list, a sequence number that breaks ties so that
// equal deadlines fire in the order they were scheduled, and ids that carry a
// generation so that a stale id never touches the timer that reuses its slot.
//
// An id is the integer  generation * 2^22 + slot,  carried as an f64 (exact
// below 2^53). 22 bits of slot allow 4M pending timeouts; the 31-bit
// generation would take 2^31 reuses of one slot to wrap, and a slot whose
// generation is exhausted is retired rather than wrapped, so no id is ever
// issued twice. (Squeezing both into an i32 would leave ~10 bits of
// generation, which a busy slot wraps in a second.)
//
// Invariants (checked by timersCheck):
//   - a slot is exactly one of: pending (in the heap), free (on the free list),
//     or retired (generation exhausted);
//   - pendingCount == heapSize().
// Cancelling removes the entry from the heap at once: no tombstones, so memory
// is proportional to the pending timers however many were cancelled.

import {
  heapReserveSlots, heapPush, heapRemove, heapUpdate, heapPop, heapSize,
  heapMinKey, heapPositionOf, heapClear, heapCheck,
} from "./heap";
import { growBlock, nextCapacity } from "./memory";

export const SLOT_BITS: i32 = 22;
export const MAX_SLOTS: i32 = 1 << SLOT_BITS;
const SLOT_SCALE: f64 = <f64>MAX_SLOTS;
const MAX_GENERATION: u32 = 0x7fffffff;
const NO_SLOT: i32 = -1;

/** Returned by timerSchedule instead of an id. */
export const ERR_BAD_DEADLINE: f64 = -1;
export const ERR_TOO_MANY_TIMERS: f64 = -2;

let generations: usize = 0; // u32 per slot
let nextFree: usize = 0;     // i32 per slot: the next free slot, for free slots
let slotCapacity: i32 = 0;
let slotsUsed: i32 = 0;      // slots ever handed out: [0, slotsUsed)
let freeHead: i32 = NO_SLOT;
let sequence: f64 = 0;

@inline function generationOf(slot: i32): u32 { return load<u32>(generations + (<usize>slot << 2)); }
@inline function setGeneration(slot: i32, g: u32): void { store<u32>(generations + (<usize>slot << 2), g); }
@inline function nextFreeOf(slot: i32): i32 { return load<i32>(nextFree + (<usize>slot << 2)); }
@inline function setNextFree(slot: i32, next: i32): void { store<i32>(nextFree + (<usize>slot << 2), next); }

@inline function idOf(slot: i32): f64 {
  return <f64>generationOf(slot) * SLOT_SCALE + <f64>slot;
}

/** The slot of a pending timer with this id, or -1 for anything else:
 *  a fired, cancelled, stale, unknown or malformed id. */
function pendingSlot(id: f64): i32 {
  if (!(id >= 0 && id < 9007199254740992.0)) return NO_SLOT; // also rejects NaN
  const whole = <u64>id;
  if (<f64>whole != id) return NO_SLOT;
  const slot = <i32>(whole & <u64>(MAX_SLOTS - 1));
  const generation = <u32>(whole >> <u64>SLOT_BITS);
  if (slot >= slotsUsed || generationOf(slot) != generation) return NO_SLOT;
  return heapPositionOf(slot) < 0 ? NO_SLOT : slot;
}

function takeSlot(): i32 {
  if (freeHead != NO_SLOT) {
    const slot = freeHead;
    freeHead = nextFreeOf(slot);
    return slot;
  }
  if (slotsUsed == MAX_SLOTS) return NO_SLOT;
  if (slotsUsed == slotCapacity) {
    const grown = nextCapacity(slotCapacity, slotsUsed + 1);
    generations = growBlock(generations, slotsUsed, grown, 4);
    nextFree = growBlock(nextFree, slotsUsed, grown, 4);
    slotCapacity = grown;
    heapReserveSlots(grown);
  }
  const slot = slotsUsed++;
  setGeneration(slot, 1);
  return slot;
}

/** Makes `slot` reusable under a new generation, so its old id goes stale.
 *  A slot reaching MAX_GENERATION is retired instead: that generation is
 *  never issued, so retired and free slots never overlap. */
function releaseSlot(slot: i32): void {
  const g = generationOf(slot) + 1;
  setGeneration(slot, g);
  if (g == MAX_GENERATION) return;
  setNextFree(slot, freeHead);
  freeHead = slot;
}

/** Schedules a timeout; returns its id, or a negative ERR_ code. */
export function timerSchedule(deadline: f64): f64 {
  if (isNaN(deadline)) return ERR_BAD_DEADLINE;
  const slot = takeSlot();
  if (slot == NO_SLOT) return ERR_TOO_MANY_TIMERS;
  heapPush(slot, deadline, sequence++);
  return idOf(slot);
}

/** Removes a pending timeout; returns 1 if it was pending, else 0. */
export function timerCancel(id: f64): i32 {
  const slot = pendingSlot(id);
  if (slot == NO_SLOT) return 0;
  heapRemove(slot);
  releaseSlot(slot);
  return 1;
}

/** Moves a pending timeout to a new deadline in place, keeping its id; it is
 *  ordered after timeouts already scheduled for that deadline. Returns 1 if
 *  it was pending, else 0 (the host then schedules it anew). */
export function timerMove(id: f64, deadline: f64): i32 {
  if (isNaN(deadline)) return 0;
  const slot = pendingSlot(id);
  if (slot == NO_SLOT) return 0;
  heapUpdate(slot, deadline, sequence++);
  return 1;
}

/** Removes and returns the slot of the earliest timeout if its deadline is at
 *  or before `now`, else -1. Its slot is released at once: the host resolves
 *  the dispatch list to its own handles before running anything. */
export function timerPopDue(now: f64): i32 {
  if (!(heapMinKey() <= now)) return NO_SLOT;
  const slot = heapPop();
  releaseSlot(slot);
  return slot;
}

/** The earliest deadline, or +Infinity when nothing is pending. */
export function timerNextDeadline(): f64 { return heapMinKey(); }

export function timerPendingCount(): i32 { return heapSize(); }

/** Cancels everything pending, keeping memory for reuse. */
export function timerClear(): void {
  while (heapSize() > 0) releaseSlot(heapPop());
  heapClear();
}

/** Returns 0 when the invariants hold, else a code in 10..19. */
export function timersCheck(): i32 {
  const heapCode = heapCheck();
  if (heapCode != 0) return 10 + heapCode;
  let free = 0;
  for (let s = freeHead; s != NO_SLOT; s = nextFreeOf(s)) {
    if (s < 0 || s >= slotsUsed || heapPositionOf(s) >= 0) return 14;
    if (++free > slotsUsed) return 15; // a cycle in the free list
  }
  let pending = 0, retired = 0;
  for (let s = 0; s < slotsUsed; s++) {
    if (heapPositionOf(s) >= 0) pending++;
    else if (generationOf(s) == MAX_GENERATION) retired++;
  }
  if (pending != heapSize()) return 16;
  if (pending + free + retired != slotsUsed) return 17;
  return 0;
}
