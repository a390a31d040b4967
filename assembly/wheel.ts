// A hierarchical timing wheel of 1 ms ticks: where timers wait until they are
// nearly due. It keeps no order inside a list; timers.ts moves a list into the
// exact near heap when its time comes.
//
// A deadline d has the tick floor(d). `elapsed` is the wheel's current tick.
// A timer with tick t > elapsed sits in one list, chosen from t XOR elapsed:
//   - level L (0..5) when the highest differing bit is in bits [6L, 6L+6):
//     list L*64 + ((t >> 6L) & 63). So a level-L list covers 64^L ticks,
//     starting at  (elapsed with bits below 6L+6 cleared) | slot << 6L;
//   - the overflow list when they differ at bit 36 or above (2^36 ms is
//     about 795 days), or when t is past the range of ticks (huge, Infinity).
// A timer with t <= elapsed is never in the wheel: wheelPlace refuses it.
//
// A timer whose deadline moves later may stay where it is (wheelPostpone):
// it is placed again, by its new deadline, when its list moves out. This is
// what makes refreshing an idle timeout touch one record only, instead of
// unlinking it (two more records) and linking it elsewhere (one more).
//
// Invariants (checked by wheelCheck):
//   - every timer in a list is in the list its tick and `elapsed` choose, or
//     was postponed and is in a list that ends before its tick. Lists chosen
//     for ticks are ordered: every level-L list holds later ticks than every
//     level-(L-1) list, and within a level a higher slot holds later ticks.
//     So the earliest non-empty list holds the earliest timers, unless every
//     timer in it was postponed past its end;
//   - timer slot s is in chain s & (CHAINS - 1) of its list;
//   - bit s of occupied[L] is set iff list L*64 + s is not empty;
//   - `elapsed` only grows (but for wheelReset, on an empty wheel), and only
//     to a tick before the start of every non-empty list (wheelDetach takes
//     the earliest list away and moves `elapsed` to its start, or to its end
//     when it moves out whole; wheelAdvance stops before the earliest list),
//     so the first invariant survives every move of `elapsed` without
//     touching any other list: every tick from `elapsed` to just before a
//     level-L list's start has that list's bits above its level's slot and a
//     lower slot, so a timer of the list still chooses it;
//   - when minValid, minDeadline is the least deadline in the wheel
//     (+Infinity when empty): placing lowers it, removing that deadline
//     clears minValid, and so does detaching a list.
// A list is CHAINS chains, each circular and doubly linked through the
// records (records.ts) with a head node, so that unlinking is O(1) and needs
// no search. A list is split in chains because walking a linked chain is one
// cache miss after another (each next is in the record just loaded): a list
// that moves out is walked chain by chain side by side (timers.ts, refill),
// so that the misses of the chains overlap.

import {
  deadlineOf, nextOf, prevOf, setNext, setPrev, recordsCapacity,
} from "./records";

const LEVELS: i32 = 6;
const SLOT_BITS: i32 = 6;
const WHEEL_BITS: i64 = 36;
const OVERFLOW: i32 = LEVELS << SLOT_BITS;
/** Each list is CHAINS circular chains, timer slot s in chain s & (CHAINS - 1),
 *  so that a detached list can be walked CHAINS records at a time. */
export const CHAINS: i32 = 4;
/** Ticks at or past this are all the same overflow tick (exact order among
 *  them is the near heap's job, by deadline). */
const TICK_LIMIT: f64 = 4611686018427387904.0; // 2^62
/** A list that ends at most SLACK ticks after the limit it is detached by,
 *  with at most FEW_PER_CHAIN timers in each chain, moves out whole: all of
 *  its timers go to the near heap at once, instead of down the levels one
 *  level at a time (with N = 1e3 timers over a minute, each would otherwise
 *  be placed again at level 1 and at level 0 before it reached the heap).
 *  SLACK keeps `elapsed` less than 64 ticks ahead of the limit, so the near
 *  heap takes no more new timers than a level-1 list would hold; FEW keeps
 *  the heap small (moving 1,000 timers at once measured slower than sending
 *  them down a level). */
const SLACK: i64 = 63;
const FEW_PER_CHAIN: i32 = 16;

const occupied = memory.data(LEVELS * 8); // u64 per level
const chains = memory.data(CHAINS * 4);   // i32 per chain of the last detached list
let elapsed: i64 = 0;
let minDeadline: f64 = Infinity;
let minValid: bool = true;

@inline function headOf(list: i32, chain: i32): i32 { return -1 - (list * CHAINS + chain); }

/** Whether every chain of `list` is empty. */
function listEmpty(list: i32): bool {
  for (let k = 0; k < CHAINS; k++) {
    const head = headOf(list, k);
    if (nextOf(head) != head) return false;
  }
  return true;
}
@inline function occupancy(level: i32): u64 { return load<u64>(occupied + (<usize>level << 3)); }
@inline function setOccupancy(level: i32, bits: u64): void { store<u64>(occupied + (<usize>level << 3), bits); }

/** The tick of a deadline: floor(d), -1 for any negative d, TICK_LIMIT for
 *  d past it (+Infinity included). d is never NaN. */
@inline export function tickOf(d: f64): i64 {
  if (d < 0) return -1;
  return d < TICK_LIMIT ? <i64>Math.floor(d) : <i64>TICK_LIMIT;
}

/** The list a tick later than `elapsed` belongs in. */
@inline function listFor(tick: i64): i32 {
  const differing = tick ^ elapsed;
  if (differing >> WHEEL_BITS != 0) return OVERFLOW;
  const level = <i32>(63 - clz(differing)) / SLOT_BITS;
  return (level << SLOT_BITS) | <i32>((tick >> <i64>(level * SLOT_BITS)) & 63);
}

/** The first tick a list covers. */
function listStart(list: i32): i64 {
  if (list == OVERFLOW) return ((elapsed >> WHEEL_BITS) + 1) << WHEEL_BITS;
  const shift = <i64>((list >> SLOT_BITS) * SLOT_BITS);
  const above = (elapsed >> (shift + SLOT_BITS)) << (shift + SLOT_BITS);
  return above | (<i64>(list & 63) << shift);
}

/** The last tick a list of a level below LEVELS covers. */
@inline function listEnd(list: i32, start: i64): i64 {
  return start + (<i64>1 << <i64>((list >> SLOT_BITS) * SLOT_BITS)) - 1;
}

/** Whether every chain of `list` holds at most FEW_PER_CHAIN timers. Each
 *  chain is walked no further than that: a list of many timers is told from
 *  its first chain. */
function fewIn(list: i32): bool {
  for (let k = 0; k < CHAINS; k++) {
    let node = nextOf(headOf(list, k));
    for (let i = 0; i < FEW_PER_CHAIN && node >= 0; i++) node = nextOf(node);
    if (node >= 0) return false;
  }
  return true;
}

/** The earliest non-empty list, or -1. */
function earliestList(): i32 {
  for (let level = 0; level < LEVELS; level++) {
    const bits = occupancy(level);
    if (bits != 0) return (level << SLOT_BITS) | <i32>ctz(bits);
  }
  return listEmpty(OVERFLOW) ? -1 : OVERFLOW;
}

/** Called by timers.ts for a timer not in any list: links it into the list
 *  for deadline `d` and returns true, or returns false when d's tick is at or
 *  before `elapsed` (the caller puts it in the near heap instead). */
export function wheelPlace(node: i32, d: f64): bool {
  const tick = tickOf(d);
  if (tick <= elapsed) return false;
  const list = listFor(tick);
  if (list != OVERFLOW) {
    const level = list >> SLOT_BITS;
    setOccupancy(level, occupancy(level) | (<u64>1 << <u64>(list & 63)));
  }
  const head = headOf(list, node & (CHAINS - 1));
  const tail = prevOf(head);
  setNext(tail, node);
  setPrev(node, tail);
  setNext(node, head);
  setPrev(head, node);
  if (d < minDeadline) minDeadline = d; // exact when minValid, harmless when not
  return true;
}

/** Called by timers.ts to take a timer that is in a list out of it. */
export function wheelUnlink(node: i32): void {
  const prev = prevOf(node), next = nextOf(node);
  setNext(prev, next);
  setPrev(next, prev);
  // Only a chain's head is both neighbours of its last timer.
  if (prev == next) {
    const list = (-1 - prev) / CHAINS;
    if (list != OVERFLOW && listEmpty(list)) {
      const level = list >> SLOT_BITS;
      setOccupancy(level, occupancy(level) & ~(<u64>1 << <u64>(list & 63)));
    }
  }
  forget(deadlineOf(node));
}

/** Called by timers.ts for a timer in a list whose deadline moves from
 *  `from` to a later one: it stays in its list (see above). */
export function wheelPostpone(from: f64): void {
  forget(from);
}

/** A timer with deadline d left the wheel or moved later. */
@inline function forget(d: f64): void {
  // Removing an Infinity leaves the least deadline Infinity (or nothing).
  if (d == minDeadline && d != Infinity) minValid = false;
}

/** Empties `list`, leaving the start of each of its chains for wheelChain;
 *  a chain is followed with nextOf and ends at a negative node. */
function takeList(list: i32): void {
  for (let k = 0; k < CHAINS; k++) {
    const head = headOf(list, k);
    store<i32>(chains + (<usize>k << 2), nextOf(head));
    setNext(prevOf(head), head); // the chain ends at the head (negative)
    setNext(head, head);
    setPrev(head, head);
  }
  if (list != OVERFLOW) {
    const level = list >> SLOT_BITS;
    setOccupancy(level, occupancy(level) & ~(<u64>1 << <u64>(list & 63)));
  }
  minValid = false;
}

/** The first timer of chain `k` (< CHAINS) of the list last detached, or a
 *  negative node when that chain is empty. */
@inline export function wheelChain(k: i32): i32 { return load<i32>(chains + (<usize>k << 2)); }

/** Called by timers.ts when the near heap is empty: if the earliest list
 *  starts at or before `limit`, detaches it (its chains are then read with
 *  wheelChain) and returns true; the caller places every timer of it again:
 *  some go to the heap, the rest to lower levels. `elapsed` moves to the
 *  list's start, or, when the list is few and ends by limit + SLACK, to its
 *  end, so that all of its timers go to the heap. Every other list starts
 *  after that end (this one was the earliest), so `elapsed` stays before
 *  them. Else returns false and changes nothing. */
export function wheelDetach(limit: i64): bool {
  const list = earliestList();
  if (list < 0) return false;
  const start = listStart(list);
  if (start > limit) return false;
  let to = start;
  if (list >= 1 << SLOT_BITS && list != OVERFLOW) { // a level-0 list is one tick: its start is its end
    const end = listEnd(list, start);
    if (end <= limit + SLACK && fewIn(list)) to = end;
  }
  if (to > elapsed) elapsed = to;
  takeList(list);
  return true;
}

/** Called by timers.ts after wheelDetach(limit) returned false: moves `elapsed`
 *  up to `limit`, which is then before every list's start. */
export function wheelAdvance(limit: i64): void {
  if (limit > elapsed) elapsed = limit;
}

/** The last tick of the 64-tick block after `elapsed`'s: the lists that
 *  start by it are level-0 lists and the one list (of any level above) that
 *  starts where `elapsed`'s block ends. */
export function wheelNearEnd(): i64 { return (elapsed | 63) + 64; }

/** The least deadline in the wheel, +Infinity when it is empty; or NaN when
 *  the earliest list held only timers postponed past its end: that list is
 *  then detached (as by wheelDetach, but `elapsed` stays), the caller places
 *  its timers again (each goes to a later list) and asks again. O(1) while
 *  the cache holds; else a scan of the earliest list. */
export function wheelEarliestDeadline(): f64 {
  if (minValid) return minDeadline;
  let least = Infinity;
  const list = earliestList();
  if (list >= 0) {
    for (let k = 0; k < CHAINS; k++) {
      for (let node = nextOf(headOf(list, k)); node >= 0; node = nextOf(node)) {
        const d = deadlineOf(node);
        if (d < least) least = d;
      }
    }
    // A list whose least deadline is within it holds the earliest timer: any
    // later list holds ticks after its end (postponed timers, later still).
    if (list != OVERFLOW && tickOf(least) > listEnd(list, listStart(list))) {
      takeList(list);
      return NaN;
    }
  }
  minDeadline = least;
  minValid = true;
  return least;
}

/** Called by timerClear: detaches the earliest list without moving
 *  `elapsed` (its chains are then read with wheelChain) and returns true, or
 *  returns false when the wheel is empty. */
export function wheelDetachAny(): bool {
  const list = earliestList();
  if (list < 0) return false;
  takeList(list);
  return true;
}

/** Called by timerClear once every list is empty: back to tick 0. Any
 *  `elapsed` is consistent with an empty wheel. */
export function wheelReset(): void {
  elapsed = 0;
  minDeadline = Infinity;
  minValid = true;
}

@inline export function wheelElapsed(): i64 { return elapsed; }

/** Returns 0 when every invariant above holds and the lists hold `expected`
 *  timers (the caller's count), else a code in 1..9. */
export function wheelCheck(expected: i32): i32 {
  let found = 0;
  let least = Infinity;
  for (let list = 0; list <= OVERFLOW; list++) {
    for (let k = 0; k < CHAINS; k++) {
      const head = headOf(list, k);
      let prev = head;
      for (let node = nextOf(head); node != head; node = nextOf(node)) {
        if (node < 0 || node >= recordsCapacity()) return 1;
        if (prevOf(node) != prev || (node & (CHAINS - 1)) != k) return 2;
        const d = deadlineOf(node);
        const tick = tickOf(d);
        if (tick <= elapsed) return 3;
        if (listFor(tick) != list && (list == OVERFLOW || listEnd(list, listStart(list)) >= tick)) return 3;
        if (d < least) least = d;
        if (++found > expected) return 4; // also ends a cycle that skips the head
        prev = node;
      }
      if (prevOf(head) != prev) return 5;
    }
    if (list < OVERFLOW) {
      const bit = (occupancy(list >> SLOT_BITS) >> <u64>(list & 63)) & 1;
      if ((bit != 0) == listEmpty(list)) return 6;
    }
  }
  if (found != expected) return 7;
  if (minValid && minDeadline != least) return 8;
  return 0;
}
