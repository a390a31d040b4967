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
// Sequence numbers are u32, to keep a record at 28 bytes. Before they would
// wrap (after 2^32 - 1 schedules and moves) the pending timers are renumbered
// 0, 1, ... in the order of their numbers (renumber), which changes no
// comparison between them.
//
// An id is the integer  tag * 2^21 + slot,  carried as an f64 (exact below
// 2^53). 21 bits of slot allow 2M pending timeouts. The tag tells the
// slot's generation and the instance's lane apart. The lane (8 bits) is this
// instance's number among the cores alive in the process, given by the host
// once (timerSetLane), so that no two live loops issue the same id. When
// every lane is taken, an idle core can hand its lane to a new core, whose
// slots then start past every generation the old one issued
// (timerLaneHandover): a lane never issues an id twice, whichever core has
// it. The 23-bit generation would take 2^23 reuses of one slot to wrap; a
// slot whose generation is exhausted is retired (generation 0, which no id
// carries) rather than wrapped, so no id is ever issued twice.
//
// The tags (tagOf): lane l > 0 issues  g * 256 + l  for generation g; lane 0
// issues  g  while g < 256, then  (g - 255) * 256. No two (lane, generation)
// pairs share a tag, every tag is at least 1 (so no id is below 2^21: a small
// number, an index, is never one) and below 2^31. Why this layout: an id
// below 2^30 (a tag below 512) is a small integer in every V8 (Node's reach
// 2^31), which an array, a field or an argument holds in place; a larger
// one is a heap number of its own, 16 bytes more when kept and an
// allocation whenever a call passes it. Every
// lane's first generation is small; the first lane, the one a process with a
// single loop has, keeps a slot's first 256 small: the 511 small tags are
// all used.
//
// A timer's life: pending (in the heap or the wheel) -> DUE (taken for the
// iteration's dispatch list) -> SPENT (claimed by the host to run, or
// cancelled while due) -> free. A due timer that is refreshed is pending
// again. The slot of a DUE or SPENT timer stays reserved until the next
// iteration (timerRelease), so that the host can read the dispatch list
// where it lies and resolve each slot just before its call: no slot in the
// list is handed out again while the list is being run.
//
// Invariants (checked by timersCheck, with heapCheck and wheelCheck):
//   - a slot below slotsUsed is exactly one of: pending (in the heap, its
//     record's next == IN_HEAP, or in a wheel list), reserved (DUE or SPENT),
//     free (on the free list), or retired;
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
  IN_HEAP, DUE, SPENT, deadlineOf, setDeadline, sequenceOf, setSequence, nextOf, setNext,
  generationOf, setGeneration, delayOf, setDelay, recordsReserve, recordsCapacity,
} from "./records";
import { growBlock, nextCapacity } from "./memory";
import { sortU64 } from "./sort";
import {
  CHAINS, tickOf, wheelPlace, wheelUnlink, wheelDetach, wheelAdvance, wheelNearEnd, wheelChain,
  wheelEarliestDeadline, wheelDetachAny, wheelPostpone, wheelReset, wheelElapsed, wheelCheck,
} from "./wheel";

export const SLOT_BITS: i32 = 21;
export const LANE_BITS: i32 = 8;
export const MAX_SLOTS: i32 = 1 << SLOT_BITS;
const LANES: u32 = 1 << LANE_BITS;
const SLOT_SCALE: f64 = <f64>MAX_SLOTS;
const MAX_GENERATION: u32 = (1 << 23) - 1;
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
let reserved: i32 = 0;     // DUE or SPENT slots
let lane: u32 = 0;
/** The generation a slot starts at: 1, or, on a lane an earlier core gave
 *  up, past every generation that core issued (timerSetLane). */
let firstGeneration: u32 = 1;
let firing: i32 = NO_SLOT; // the SPENT slot whose call is running, if any
let scratch: usize = 0; // u64 per pending timer, for renumber
let scratchCapacity: i32 = 0;
/** The sequence number at which the current iteration's decision began:
 *  timers scheduled or moved since are not that iteration's. */
let decisionStart: u32 = 0;
let aside: usize = 0; // i32 per timer timerNextDecided set aside in one step
let asideCount: i32 = 0;
let asideCapacity: i32 = 0;

/** The tag of this lane's ids of generation g (>= 1): see "The tags" above. */
function tagOf(g: u32): u32 {
  return lane != 0 ? g * LANES + lane : g < LANES ? g : (g - (LANES - 1)) * LANES;
}

@inline function idOf(slot: i32): f64 {
  return <f64>tagOf(generationOf(slot)) * SLOT_SCALE + <f64>slot;
}

/** The slot this id was issued for, if that slot still holds it (pending,
 *  DUE or SPENT), or -1 for anything else: an id of another lane, a stale,
 *  unknown or malformed id. A free or retired slot's generation matches no id
 *  that is out, so the lane and the generation decide. */
function slotOfId(id: f64): i32 {
  if (!(id >= 0 && id < 9007199254740992.0)) return NO_SLOT; // also rejects NaN
  const whole = <u64>id;
  if (<f64>whole != id) return NO_SLOT;
  const slot = <i32>(whole & <u64>(MAX_SLOTS - 1));
  if (slot >= slotsUsed) return NO_SLOT;
  const g = generationOf(slot);
  if (g == RETIRED || tagOf(g) != <u32>(whole >> <u64>SLOT_BITS)) return NO_SLOT; // (below 2^32: whole is below 2^53)
  return slot;
}

@inline function isPlaced(slot: i32): bool {
  const next = nextOf(slot);
  return next != DUE && next != SPENT;
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
  setGeneration(slot, firstGeneration);
  return slot;
}

/** Makes `slot` reusable under a new generation, so its old id goes stale. */
@inline function releaseSlot(slot: i32): void {
  const g = generationOf(slot);
  if (g == MAX_GENERATION) { setGeneration(slot, RETIRED); return; }
  setGeneration(slot, g + 1);
  setNext(slot, freeHead);
  freeHead = slot;
}

/** Puts a timer that is in neither structure where its deadline belongs. */
function place(slot: i32): void {
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
    if (generationOf(s) == RETIRED || sequenceOf(s) == SEQUENCE_LIMIT || !isPlaced(s)) continue;
    assert(n < pending, "renumber: more placed timers than pending ones (a free slot unmarked)");
    store<u64>(scratch + (<usize>n << 3), (<u64>sequenceOf(s) << 32) | <u64>s);
    n++;
  }
  sortU64(scratch, n);
  let start: u32 = 0; // the decision's start, in the new numbers
  for (let i = 0; i < n; i++) {
    if (<u32>(load<u64>(scratch + (<usize>i << 3)) >> 32) < decisionStart) start = <u32>(i + 1);
    const slot = <i32>load<u32>(scratch + (<usize>i << 3));
    setSequence(slot, <u32>i);
    // Same order as before: the heap only takes the new tie.
    if (heapPositionOf(slot) >= 0) heapUpdate(slot, deadlineOf(slot), <u32>i);
  }
  sequence = <u32>n;
  decisionStart = start;
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
  placeDetached();
  return true;
}

/** Places every timer of the list the wheel last detached again. Its four
 *  chains (wheel.ts's CHAINS) are walked side by side: the next records of
 *  the four are loaded together, so that their cache misses overlap instead
 *  of following one another down one chain. */
function placeDetached(): void {
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
}

/** Called by the host once, before anything else: this instance's lane
 *  among the cores alive in the process (0 .. 2^LANE_BITS - 1), and the
 *  generation its slots start at: 1 on a new lane, timerLaneHandover() of
 *  the core that had the lane before. */
export function timerSetLane(value: i32, first: i32): i32 {
  if (value < 0 || value >= <i32>LANES || first < 1 || <u32>first > MAX_GENERATION) return 0;
  lane = <u32>value;
  firstGeneration = <u32>first;
  return 1;
}

/** Called by the host on an idle core (reset: every slot free) that gives
 *  its lane to a new core: the generation the new core's slots must start
 *  at so that it never issues an id this core issued (a free slot's
 *  generation is the next it would issue, so none issued reaches the
 *  largest), or 0 when a slot was retired: its last generation was the
 *  largest, and the lane has none left. */
export function timerLaneHandover(): i32 {
  let next = firstGeneration;
  for (let s = 0; s < slotsUsed; s++) {
    const g = generationOf(s);
    if (g == RETIRED) return 0;
    if (g > next) next = g;
  }
  return <i32>next;
}

/** Called by the host: schedules a timeout for `deadline`, remembering
 *  `delay` for refreshes; returns its id, or a negative ERR_ code. */
export function timerSchedule(deadline: f64, delay: f64): f64 {
  if (isNaN(deadline)) return ERR_BAD_DEADLINE;
  const order = nextSequence(); // before takeSlot: renumber counts pending slots only
  const slot = takeSlot();
  if (slot == NO_SLOT) return ERR_TOO_MANY_TIMERS;
  setDeadline(slot, deadline);
  setDelay(slot, delay);
  setSequence(slot, order);
  place(slot);
  pending++;
  return idOf(slot);
}

/** Called by the host: removes a pending timeout, or one that is due in the
 *  running iteration and has not run; returns 1 if so, else 0. */
export function timerCancel(id: f64): i32 {
  const slot = slotOfId(id);
  if (slot == NO_SLOT) return 0;
  const next = nextOf(slot);
  if (next == SPENT) return 0;
  if (next == DUE) { setNext(slot, SPENT); return 1; }
  unplace(slot);
  releaseSlot(slot);
  pending--;
  return 1;
}

/** Called by the host: moves a timeout to a new deadline, keeping its id;
 *  it is ordered after timeouts already scheduled for that deadline. Works
 *  for a pending timeout, a due one that has not run (it then runs at the new
 *  deadline instead), and the one whose call is running (it runs again).
 *  Returns 1 if so, else 0. */
export function timerMove(id: f64, deadline: f64): i32 {
  if (isNaN(deadline)) return 0;
  const slot = slotOfId(id);
  if (slot == NO_SLOT) return 0;
  const next = nextOf(slot);
  if (next == SPENT && slot != firing) return 0;
  // Later, in the wheel: it stays in its list (wheel.ts, wheelPostpone).
  const stays = next != DUE && next != SPENT && next != IN_HEAP && deadline >= deadlineOf(slot);
  if (next == DUE || next == SPENT) {
    reserved--;
    pending++;
    if (slot == firing) firing = NO_SLOT;
  } else if (stays) {
    wheelPostpone(deadlineOf(slot));
  } else {
    unplace(slot);
  }
  setDeadline(slot, deadline);
  setSequence(slot, nextSequence());
  if (!stays) place(slot);
  return 1;
}

/** Called by the host's refreshTimeout: moves the timeout to `now` plus the
 *  delay it was scheduled with (see timerMove). Returns the new deadline,
 *  or NaN if the id is not one timerMove accepts. */
export function timerRefresh(id: f64, now: f64): f64 {
  const slot = slotOfId(id);
  if (slot == NO_SLOT) return NaN;
  const deadline = now + delayOf(slot);
  return timerMove(id, deadline) == 1 ? deadline : NaN;
}

/** Called by the host: the deadline of a pending timeout, or NaN for any
 *  other id (due, spent, stale, unknown). */
export function timerDeadline(id: f64): f64 {
  const slot = slotOfId(id);
  return slot != NO_SLOT && isPlaced(slot) ? deadlineOf(slot) : NaN;
}

/** Called by runIteration: takes the earliest timeout out of the store if
 *  its deadline is at or before `now`, marks it DUE and returns its slot,
 *  else -1. The slot stays reserved until timerRelease. */
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
  setNext(slot, DUE);
  pending--;
  reserved++;
  return slot;
}

/** Called by runIteration when it starts deciding an iteration. */
export function timerDecisionBegin(): void {
  decisionStart = sequence;
}

/** Called by runIteration: like timerPopDue, but only for timers scheduled
 *  (or last moved) before the decision began. A decision made in steps lets
 *  the host run between them, and what it schedules then, even with a
 *  deadline already past, is the next iteration's, as it would be had the
 *  whole decision been made at once: such a timer is set aside until
 *  timerDecisionPause. */
export function timerNextDecided(now: f64): i32 {
  let slot = timerPopDue(now);
  while (slot >= 0 && sequenceOf(slot) >= decisionStart) {
    if (asideCount == asideCapacity) {
      asideCapacity = nextCapacity(asideCapacity, asideCount + 1);
      aside = growBlock(aside, asideCapacity, 4);
    }
    store<i32>(aside + (<usize>asideCount << 2), slot);
    asideCount++;
    slot = timerPopDue(now);
  }
  return slot;
}

/** Called by runIteration at the end of each step of a decision, before the
 *  host runs anything: the timers set aside are pending again, in the heap
 *  (their ticks have come). */
export function timerDecisionPause(): void {
  for (let i = 0; i < asideCount; i++) {
    const slot = load<i32>(aside + (<usize>i << 2));
    reserved--;
    pending++;
    place(slot);
  }
  asideCount = 0;
}

/** Called by the host just before it runs the timeout of a dispatch list
 *  entry: 1 if the timer is still DUE (nothing earlier in the iteration
 *  cancelled or refreshed it), which it marks SPENT and the one running;
 *  else 0. Called with -1 when no timeout's call is running any more. */
export function timerClaim(slot: i32): i32 {
  firing = NO_SLOT;
  if (slot < 0 || slot >= slotsUsed || nextOf(slot) != DUE) return 0;
  setNext(slot, SPENT);
  firing = slot;
  return 1;
}

/** Called by runIteration and reset for each timer slot of the previous
 *  dispatch list: frees it unless it was refreshed back into the store. */
export function timerRelease(slot: i32): void {
  if (isPlaced(slot)) return;
  releaseSlot(slot);
  reserved--;
  if (slot == firing) firing = NO_SLOT;
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
  if (heapSize() > 0) return heapMinKey();
  let least = wheelEarliestDeadline();
  // NaN: a list of postponed timers was detached; each goes to a later list.
  for (; isNaN(least); least = wheelEarliestDeadline()) placeDetached();
  return least;
}

/** Called by the host (tests, stats): the number of pending timeouts. */
export function timerPendingCount(): i32 { return pending; }

/** Called by reset(), after the reserved slots were released: cancels
 *  everything pending, keeping memory for reuse. */
export function timerClear(): void {
  while (heapSize() > 0) { releaseSlot(heapPop()); pending--; }
  heapClear();
  while (wheelDetachAny()) {
    for (let k = 0; k < CHAINS; k++) {
      for (let node = wheelChain(k); node >= 0;) {
        const next = nextOf(node);
        releaseSlot(node);
        pending--;
        node = next;
      }
    }
  }
  wheelReset();
  // Every slot that is not retired is free now: relink them in slot order,
  // so that the next timers take the lowest slots, side by side in the
  // record table, not wherever the last timers happened to be released (a
  // core reused after holding a million timers was twice as slow to churn
  // through a scattered free list).
  freeHead = NO_SLOT;
  for (let s = slotsUsed - 1; s >= 0; s--) {
    if (generationOf(s) == RETIRED) continue;
    setNext(s, freeHead);
    freeHead = s;
  }
}

/** Returns 0 when the invariants hold, else a code in 10..19 (11..13 from
 *  the heap, 18 from the wheel). */
export function timersCheck(): i32 {
  const heapCode = heapCheck();
  if (heapCode != 0) return 10 + heapCode;
  let inHeap = 0, free = 0, retired = 0, held = 0;
  for (let s = freeHead; s != NO_SLOT; s = nextOf(s)) {
    if (s < 0 || s >= slotsUsed || heapPositionOf(s) >= 0) return 14;
    if (++free > slotsUsed) return 15; // a cycle in the free list
  }
  for (let s = 0; s < slotsUsed; s++) {
    if (generationOf(s) == RETIRED) { retired++; continue; }
    if (!isPlaced(s)) { held++; continue; }
    if (heapPositionOf(s) < 0) continue;
    inHeap++;
    if (nextOf(s) != IN_HEAP) return 16;
    if (heapKeyOf(s) != deadlineOf(s) || heapTieOf(s) != sequenceOf(s)) return 16;
    if (!(sequenceOf(s) < sequence) || tickOf(deadlineOf(s)) > wheelElapsed()) return 16;
  }
  if (inHeap != heapSize()) return 17;
  if (wheelCheck(pending - inHeap) != 0) return 18;
  if (held != reserved || pending + free + retired + reserved != slotsUsed) return 19;
  return 0;
}
