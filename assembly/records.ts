// The timer records: one 28-byte record per timer slot, in one table at the
// end of linear memory (memory.ts), so that everything a cancel, a move or a
// refresh touches (generation, links, deadline, delay) is in one or two cache
// lines and a pending timer costs 28 bytes of memory, plus less than a
// sixteenth for the table's growth.
//
// Layout of a record (byte offsets):
//    0 deadline    f64  milliseconds, any f64 but NaN
//    8 next        i32  wheel timer: the next node of its list; heap timer:
//                       IN_HEAP; free slot: the next free slot
//   12 prev        i32  wheel timer: the previous node of its list; heap
//                       timer: its position in the heap (heap.ts)
//   16 generation  u32  of the slot's current id (0: retired, matches no id)
//   20 sequence    u32  order of scheduling: the tie-break between equal
//                       deadlines (timers.ts renumbers before it wraps)
//   24 delay       f32  what refresh re-arms with: whole milliseconds up to
//                       2^24 (4.6 hours) and every binary fraction of them
//                       are exact; any other delay keeps 24 significant bits,
//                       and a finite one past f32's range is kept as the
//                       largest finite f32, so it stays finite (an f64 here
//                       would make the record 32 bytes)
//
// Nodes are what the wheel's chains link: a timer slot s is node s, and the
// head of chain k of wheel list b is node -1-(b*4+k), a record placed before
// record 0 in the same table (only its links are used). So one unlink serves
// every chain and needs no branch on "is this the head".
//
// Invariant: the table holds HEADS head records and recordCapacity timer
// records; every node index used is in [-HEADS, recordCapacity), which the
// callers keep by reserving (recordsReserve) before they hand out a slot.
// That is what makes the unchecked loads and stores below safe.

import { growRecords, recordsStart } from "./memory";

/** Chain heads: 4 per wheel list (wheel.ts's CHAINS), for 6 levels of 64
 *  lists and one overflow list. */
export const HEADS: i32 = (6 * 64 + 1) * 4;
/** The `next` of a timer that is in the near heap, not in a wheel list. */
export const IN_HEAP: i32 = 0x7fffffff;
/** The `next` of a timer that has just left the heap, until it is placed
 *  again or released: neither a node nor IN_HEAP. */
export const DETACHED: i32 = 0x7ffffffe;
/** The `next` of a timer in the iteration's dispatch list that has not run
 *  yet: taken from the heap, not pending, its slot still reserved. */
export const DUE: i32 = 0x7ffffffd;
/** The `next` of a timer of the dispatch list that ran or was cancelled
 *  while due: its slot stays reserved until the next iteration. */
export const SPENT: i32 = 0x7ffffffc;

const RECORD_BYTES: usize = 28;

let recordCapacity: i32 = 0;

// recordsStart is read on every access: the table moves when it grows.
@inline function at(node: i32): usize {
  assert(node >= -HEADS && node < recordCapacity, "record index out of range");
  return recordsStart + <usize>(node + HEADS) * RECORD_BYTES;
}

@inline export function deadlineOf(node: i32): f64 { return load<f64>(at(node)); }
@inline export function setDeadline(node: i32, d: f64): void { store<f64>(at(node), d); }
@inline export function nextOf(node: i32): i32 { return load<i32>(at(node), 8); }
@inline export function setNext(node: i32, n: i32): void { store<i32>(at(node), n, 8); }
@inline export function prevOf(node: i32): i32 { return load<i32>(at(node), 12); }
@inline export function setPrev(node: i32, p: i32): void { store<i32>(at(node), p, 12); }
@inline export function generationOf(node: i32): u32 { return load<u32>(at(node), 16); }
@inline export function setGeneration(node: i32, g: u32): void { store<u32>(at(node), g, 16); }
@inline export function sequenceOf(node: i32): u32 { return load<u32>(at(node), 20); }
@inline export function setSequence(node: i32, s: u32): void { store<u32>(at(node), s, 20); }

@inline export function delayOf(node: i32): f64 { return <f64>load<f32>(at(node), 24); }
@inline export function setDelay(node: i32, d: f64): void {
  const kept = abs(d) > <f64>F32.MAX_VALUE && d != Infinity && d != -Infinity
    ? <f32>copysign<f64>(<f64>F32.MAX_VALUE, d) : <f32>d;
  store<f32>(at(node), kept, 24);
}

@inline export function recordsCapacity(): i32 { return recordCapacity; }

/** Makes room for timer records below `limit`, keeping every record (heads
 *  included); the capacity becomes all the room the table has. Called by the
 *  slot allocator before it hands out a new slot. The first call makes every
 *  head an empty list (linked to itself). */
export function recordsReserve(limit: i32): void {
  if (limit <= recordCapacity) return;
  const first = recordCapacity == 0;
  const room = growRecords(<usize>(HEADS + limit) * RECORD_BYTES);
  recordCapacity = <i32>(room / RECORD_BYTES) - HEADS;
  if (first) {
    for (let h = -HEADS; h < 0; h++) { setNext(h, h); setPrev(h, h); }
  }
}

// The heads exist from the start, so the wheel can look at its lists before
// the first timer is scheduled.
recordsReserve(1);
