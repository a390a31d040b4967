// The ready-callback queue: a FIFO of callback slots.
//
// The host keeps each callback's function and arguments in its own table under
// the slot this queue hands out; the core only orders them. A slot taken for
// an iteration's dispatch list stays reserved until the next iteration
// (callbackRelease), so a callback added while the list runs never reuses a
// slot the list still names: the host resolves each slot just before its call.
//
// Invariants (checked by callbacksCheck):
//   - the queue holds `queued` distinct slots, none of them on the free list;
//   - queued + reserved + free == slotsUsed.

import { growBlock, nextCapacity } from "./memory";

const NO_SLOT: i32 = -1;
const QUEUED: i32 = -2; // callbacksCheck's mark, in nextFree, for a queued slot

let ring: usize = 0;     // i32 per ring position: the queued slots, FIFO
let ringCapacity: i32 = 0; // a power of two
let head: i32 = 0;       // position of the oldest queued slot
let queued: i32 = 0;
let nextFree: usize = 0; // i32 per slot
let slotCapacity: i32 = 0;
let slotsUsed: i32 = 0;
let freeHead: i32 = NO_SLOT;
let reserved: i32 = 0;  // taken for the dispatch list, not yet released

@inline function ringAt(i: i32): i32 { return load<i32>(ring + (<usize>((head + i) & (ringCapacity - 1)) << 2)); }
@inline function nextFreeOf(slot: i32): i32 { return load<i32>(nextFree + (<usize>slot << 2)); }

/** Called when the ring is full: doubles it. The queue wrapped at the old
 *  capacity, so its part before `head` moves to just past it. */
function growRing(): void {
  const old = ringCapacity;
  const grown = nextCapacity(old, queued + 1);
  ring = growBlock(ring, grown, 4);
  memory.copy(ring + (<usize>old << 2), ring, <usize>head << 2);
  ringCapacity = grown;
}

function takeSlot(): i32 {
  if (freeHead != NO_SLOT) {
    const slot = freeHead;
    freeHead = nextFreeOf(slot);
    return slot;
  }
  if (slotsUsed == slotCapacity) {
    const grown = nextCapacity(slotCapacity, slotsUsed + 1);
    nextFree = growBlock(nextFree, grown, 4);
    slotCapacity = grown;
  }
  return slotsUsed++;
}

/** Called by the host's addCallback: queues a new slot and returns it. */
export function callbackAdd(): i32 {
  if (queued == ringCapacity) growRing();
  const slot = takeSlot();
  store<i32>(ring + (<usize>((head + queued) & (ringCapacity - 1)) << 2), slot);
  queued++;
  return slot;
}

/** Removes the oldest queued slot and returns it, reserved until
 *  callbackRelease; the queue must not be empty. */
export function callbackTake(): i32 {
  const slot = ringAt(0);
  head = (head + 1) & (ringCapacity - 1);
  queued--;
  reserved++;
  return slot;
}

/** Called by runIteration and reset for each callback slot of the previous
 *  dispatch list: the slot may be handed out again. */
export function callbackRelease(slot: i32): void {
  store<i32>(nextFree + (<usize>slot << 2), freeHead);
  freeHead = slot;
  reserved--;
}

@inline export function callbackCount(): i32 { return queued; }

/** Drops every queued callback (the host's close()). */
export function callbackClear(): void {
  while (queued > 0) callbackRelease(callbackTake());
}

/** Returns 0 when the invariants hold, else a code in 20..29. */
export function callbacksCheck(): i32 {
  // Mark each queued slot in its nextFree entry, unused while it is queued: a
  // slot queued twice meets its own mark, and a queued slot that is also on
  // the free list breaks the walk below (it leads to QUEUED, not a slot).
  for (let i = 0; i < queued; i++) {
    const s = ringAt(i);
    if (s < 0 || s >= slotsUsed) return 24;
    if (nextFreeOf(s) == QUEUED) return 25;
    store<i32>(nextFree + (<usize>s << 2), QUEUED);
  }
  let code = 0, free = 0;
  for (let s = freeHead; s != NO_SLOT; s = nextFreeOf(s)) {
    if (s < 0 || s >= slotsUsed) { code = 21; break; }
    if (++free > slotsUsed) { code = 22; break; }
  }
  if (code == 0 && queued + reserved + free != slotsUsed) code = 23;
  // Unmark, so that the next check starts clean.
  for (let i = 0; i < queued; i++) store<i32>(nextFree + (<usize>ringAt(i) << 2), NO_SLOT);
  return code;
}
