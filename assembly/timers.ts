// The timer store: pending timeouts, fired in exact (deadline, sequence) order.
//
// Two structures share the work (one file each):
//   - wheel.ts, a hierarchical timing wheel of 1 ms ticks, holds every timer
//     whose tick is after the wheel's `elapsed`: O(1) to place and to cancel;
//   - heap.ts, an exact heap on (deadline, sequence), holds the rest: the
//     timers whose tick has come (due, nearly due, or in the past).
// Every heap timer has a tick at or before `elapsed` and every wheel timer one
// after it, so every heap timer comes before every wheel timer and the heap's
// least entry, when there is one, is the earliest timer of all. When the heap
// runs empty, the wheel's earliest list is moved out (wheelDetach) and its
// timers placed again: those of the list's first tick into the heap, the
// others into lower levels; a list of few timers that ends within 64 ticks
// of the time asked about goes into the heap whole (wheel.ts, FEW_PER_CHAIN).
// Timers thus reach the heap a tick's worth (or a few) at a time, and the
// heap stays small whatever the number pending.
//
// This file adds what makes the entries timers: slots handed out from a free
// list, a sequence number that breaks ties so that equal deadlines fire in the
// order they were scheduled (or moved), and ids that carry a generation so
// that a stale id never touches the timer that reuses its slot.
//
// Sequence numbers are u32, to keep a record at 24 bytes. Before they would
// wrap (after 2^32 - 1 schedules and moves) the pending timers are renumbered
// 0, 1, ... in the order of their numbers (renumber), which changes no
// comparison between them.
//
// An id is the integer  generation * 2^22 + slot,  carried as an f64 (exact
// below 2^53). 22 bits of slot allow 4M pending timeouts; the 31-bit
// generation would take 2^31 reuses of one slot to wrap, and a slot whose
// generation is exhausted is retired (generation 0, which no id carries)
// rather than wrapped, so no id is ever issued twice.
//
// Invariants (checked by timersCheck, with heapCheck and wheelCheck):
//   - a slot below slotsUsed is exactly one of: pending (in the heap, its
//     record's next == IN_HEAP, or in a wheel list), free (on the free list),
//     or retired;
//   - a pending slot's generation is that of its id, >= 1; a heap entry's
//     (key, tie) are its record's (deadline, sequence); every pending
//     sequence is below `sequence`;
//   - every heap timer's tick is at or before the wheel's elapsed tick;
//   - pending == heapSize() + the timers in the wheel.
// Cancelling removes the timer at once: no tombstones, so memory is
// proportional to the pending timers however many were cancelled.

import {
  heapPush, heapRemove, heapPop, heapSize, heapUpdate,
  heapMinKey, heapClear, heapCheck, heapPositionOf, heapKeyOf, heapTieOf,
} from "./heap";
import {
  IN_HEAP, deadlineOf, setDeadline, sequenceOf, setSequence, nextOf, setNext,
  generationOf, setGeneration, recordsReserve, recordsCapacity,
} from "./records";
import { growBlock } from "./memory";
import { sortU64 } from "./sort";
import {
  CHAINS, tickOf, wheelPlace, wheelUnlink, wheelDetach, wheelAdvance, wheelNearEnd, wheelChain,
  wheelEarliestDeadline, wheelDetachAny, wheelReset, wheelElapsed, wheelCheck,
} from "./wheel";

export const SLOT_BITS: i32 = 22;
export const MAX_SLOTS: i32 = 1 << SLOT_BITS;
const SLOT_SCALE: f64 = <f64>MAX_SLOTS;
const MAX_GENERATION: u32 = 0x7fffffff;
const RETIRED: u32 = 0;
const NO_SLOT: i32 = -1;
/** No pending timer has this sequence number: the count stops below it. */
const SEQUENCE_LIMIT: u32 = 0xffffffff;

/** Returned by timerSchedule instead of an id. */
export const ERR_BAD_DEADLINE: f64 = -1;
export const ERR_TOO_MANY_TIMERS: f64 = -2;

let slotCapacity: i32 = 0;
let slotsUsed: i32 = 0;      // slots ever handed out: [0, slotsUsed)
let freeHead: i32 = NO_SLOT; // free slots are linked through their record's next
let sequence: u32 = 0;
let pending: i32 = 0;
let scratch: usize = 0; // u64 per pending timer, for renumber
let scratchCapacity: i32 = 0;

@inline function idOf(slot: i32): f64 {
  return <f64>generationOf(slot) * SLOT_SCALE + <f64>slot;
}

/** The slot of a pending timer with this id, or -1 for anything else:
 *  a fired, cancelled, stale, unknown or malformed id. A free or retired
 *  slot's generation matches no id that is out, so the generation decides. */
@inline function pendingSlot(id: f64): i32 {
  if (!(id >= 0 && id < 9007199254740992.0)) return NO_SLOT; // also rejects NaN
  const whole = <u64>id;
  if (<f64>whole != id) return NO_SLOT;
  const slot = <i32>(whole & <u64>(MAX_SLOTS - 1));
  const generation = <u32>(whole >> <u64>SLOT_BITS);
  if (slot >= slotsUsed || generationOf(slot) != generation) return NO_SLOT;
  return slot;
}

function takeSlot(): i32 {
  if (freeHead != NO_SLOT) {
    const slot = freeHead;
    freeHead = nextOf(slot);
    return slot;
  }
  if (slotsUsed == MAX_SLOTS) return NO_SLOT;
  if (slotsUsed == slotCapacity) {
    recordsReserve(slotsUsed + 1);
    slotCapacity = recordsCapacity();
  }
  const slot = slotsUsed++;
  setGeneration(slot, 1);
  return slot;
}

/** Makes `slot` reusable under a new generation, so its old id goes stale. */
@inline function releaseSlot(slot: i32): void {
  pending--;
  const g = generationOf(slot);
  if (g == MAX_GENERATION) { setGeneration(slot, RETIRED); return; }
  setGeneration(slot, g + 1);
  setNext(slot, freeHead);
  freeHead = slot;
}

/** Puts a timer that is in neither structure where its deadline belongs. */
@inline function place(slot: i32): void {
  const d = deadlineOf(slot);
  if (!wheelPlace(slot, d)) heapPush(slot, d, sequenceOf(slot));
}

/** Gives the pending timers the sequence numbers 0 .. pending-1 in the order
 *  of their present ones, and continues the count after them. Free slots are
 *  marked with SEQUENCE_LIMIT first, which no pending timer has. O(n log n),
 *  once per 2^32 - pending schedules. */
function renumber(): void {
  for (let s = freeHead; s != NO_SLOT; s = nextOf(s)) setSequence(s, SEQUENCE_LIMIT);
  if (scratchCapacity < pending) {
    scratch = growBlock(scratch, pending, 8);
    scratchCapacity = pending;
  }
  let n = 0;
  for (let s = 0; s < slotsUsed; s++) {
    if (generationOf(s) == RETIRED || sequenceOf(s) == SEQUENCE_LIMIT) continue;
    store<u64>(scratch + (<usize>n << 3), (<u64>sequenceOf(s) << 32) | <u64>s);
    n++;
  }
  sortU64(scratch, n);
  for (let i = 0; i < n; i++) {
    const slot = <i32>load<u32>(scratch + (<usize>i << 3));
    setSequence(slot, <u32>i);
    // Same order as before: the heap only takes the new tie.
    if (heapPositionOf(slot) >= 0) heapUpdate(slot, deadlineOf(slot), <u32>i);
  }
  sequence = <u32>n;
}

/** The next sequence number. */
@inline function nextSequence(): u32 {
  if (sequence == SEQUENCE_LIMIT) renumber();
  return sequence++;
}

/** For tests: moves the count of sequence numbers on by `count` (at most up
 *  to the limit), as that many schedules would, so that a test reaches the
 *  renumbering without 2^32 of them. */
export function timersSkipSequence(count: u32): void {
  sequence = count > SEQUENCE_LIMIT - sequence ? SEQUENCE_LIMIT : sequence + count;
}

@inline function unplace(slot: i32): void {
  if (nextOf(slot) == IN_HEAP) heapRemove(slot);
  else wheelUnlink(slot);
}

/** Called only while the heap is empty: moves the wheel's earliest list out
 *  if it starts at or before tick `limit`, placing its timers again.
 *  Returns false when there was no such list. */
function refill(limit: i64): bool {
  if (!wheelDetach(limit)) return false;
  // The list's four chains (wheel.ts's CHAINS) are walked side by side: the
  // next records of the four are loaded together, so that their cache
  // misses overlap instead of following one another down one chain.
  let a = wheelChain(0), b = wheelChain(1), c = wheelChain(2), d = wheelChain(3);
  while ((a & b & c & d) >= 0) { // some chain goes on: not all four negative
    // Read before place() relinks them.
    const na = a >= 0 ? nextOf(a) : a, nb = b >= 0 ? nextOf(b) : b;
    const nc = c >= 0 ? nextOf(c) : c, nd = d >= 0 ? nextOf(d) : d;
    if (a >= 0) place(a);
    if (b >= 0) place(b);
    if (c >= 0) place(c);
    if (d >= 0) place(d);
    a = na; b = nb; c = nc; d = nd;
  }
  return true;
}

/** Called by the host: schedules a timeout; returns its id, or a negative
 *  ERR_ code. */
export function timerSchedule(deadline: f64): f64 {
  if (isNaN(deadline)) return ERR_BAD_DEADLINE;
  const order = nextSequence(); // before takeSlot: renumber counts pending slots only
  const slot = takeSlot();
  if (slot == NO_SLOT) return ERR_TOO_MANY_TIMERS;
  setDeadline(slot, deadline);
  setSequence(slot, order);
  place(slot);
  pending++;
  return idOf(slot);
}

/** Called by the host: removes a pending timeout; returns 1 if it was
 *  pending, else 0. */
export function timerCancel(id: f64): i32 {
  const slot = pendingSlot(id);
  if (slot == NO_SLOT) return 0;
  unplace(slot);
  releaseSlot(slot);
  return 1;
}

/** Called by the host: moves a pending timeout to a new deadline in place,
 *  keeping its id; it is ordered after timeouts already scheduled for that
 *  deadline. Returns 1 if it was pending, else 0 (the host then schedules it
 *  anew). */
export function timerMove(id: f64, deadline: f64): i32 {
  if (isNaN(deadline)) return 0;
  const slot = pendingSlot(id);
  if (slot == NO_SLOT) return 0;
  unplace(slot);
  setDeadline(slot, deadline);
  setSequence(slot, nextSequence());
  place(slot);
  return 1;
}

/** Called by runIteration: removes and returns the slot of the earliest
 *  timeout if its deadline is at or before `now`, else -1. Its slot is
 *  released at once: the host resolves the dispatch list to its own handles
 *  before running anything. */
export function timerPopDue(now: f64): i32 {
  if (heapSize() == 0) {
    if (isNaN(now)) return NO_SLOT;
    const limit = tickOf(now);
    while (heapSize() == 0) {
      if (!refill(limit)) {
        wheelAdvance(limit); // nothing starts by `now`: catch up with it
        return NO_SLOT;
      }
    }
  }
  if (!(heapMinKey() <= now)) return NO_SLOT;
  const slot = heapPop();
  releaseSlot(slot);
  return slot;
}

/** Called by the host to arm its timer: the earliest deadline, or +Infinity
 *  when nothing is pending. When the heap is empty and the wheel's earliest
 *  list starts within the next block of 64 ticks (wheelNearEnd), lists move
 *  out until the heap holds the earliest timer, which is then the answer: they
 *  would move out within 128 ms anyway. A farther list is scanned instead
 *  (wheelEarliestDeadline), so that `elapsed` never runs far ahead of the
 *  time the host reports. */
export function timerNextDeadline(): f64 {
  while (heapSize() == 0 && refill(wheelNearEnd())) { /* down the levels */ }
  return heapSize() > 0 ? heapMinKey() : wheelEarliestDeadline();
}

/** Called by the host (tests, stats): the number of pending timeouts. */
export function timerPendingCount(): i32 { return pending; }

/** Called by reset(): cancels everything pending, keeping memory for reuse. */
export function timerClear(): void {
  while (heapSize() > 0) releaseSlot(heapPop());
  heapClear();
  while (wheelDetachAny()) {
    for (let k = 0; k < CHAINS; k++) {
      for (let node = wheelChain(k); node >= 0;) {
        const next = nextOf(node);
        releaseSlot(node);
        node = next;
      }
    }
  }
  wheelReset();
}

/** Returns 0 when the invariants hold, else a code in 10..19 (11..13 from
 *  the heap, 18 from the wheel). */
export function timersCheck(): i32 {
  const heapCode = heapCheck();
  if (heapCode != 0) return 10 + heapCode;
  let inHeap = 0, free = 0, retired = 0;
  for (let s = freeHead; s != NO_SLOT; s = nextOf(s)) {
    if (s < 0 || s >= slotsUsed || heapPositionOf(s) >= 0) return 14;
    if (++free > slotsUsed) return 15; // a cycle in the free list
  }
  for (let s = 0; s < slotsUsed; s++) {
    if (generationOf(s) == RETIRED) { retired++; continue; }
    if (heapPositionOf(s) < 0) continue;
    inHeap++;
    if (nextOf(s) != IN_HEAP) return 16;
    if (heapKeyOf(s) != deadlineOf(s) || heapTieOf(s) != sequenceOf(s)) return 16;
    if (!(sequenceOf(s) < sequence) || tickOf(deadlineOf(s)) > wheelElapsed()) return 16;
  }
  if (inHeap != heapSize()) return 17;
  if (wheelCheck(pending - inHeap) != 0) return 18;
  if (pending + free + retired != slotsUsed) return 19;
  return 0;
}
