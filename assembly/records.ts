// The timer records: one 32-byte record per timer slot, in one block of
// linear memory, so that everything a cancel or a move touches (generation,
// links, deadline) is on one cache line.
//
// Layout of a record (byte offsets):
//    0 deadline    f64  milliseconds, any f64 but NaN
//    8 sequence    f64  order of scheduling: the tie-break between equal deadlines
//   16 next        i32  the next node of the wheel list holding it, or IN_HEAP
//   20 prev        i32  the previous node of that list
//   24 generation  u32  of the slot's current id (0: retired, matches no id)
//   28 (unused)
//
// Nodes are what the wheel's lists link: a timer slot s is node s, and the
// head of wheel list b is node -1-b, a record placed before record 0 in the
// same block (only its links are used). So one unlink serves every list and
// needs no branch on "is this the head".
//
// Invariant: the block holds HEADS head records and recordCapacity timer
// records; every node index used is in [-HEADS, recordCapacity), which the
// callers keep by reserving (recordsReserve) before they hand out a slot.
// That is what makes the unchecked loads and stores below safe.

import { growBlock, nextCapacity } from "./memory";

/** Wheel lists: 6 levels of 64 slots, and one overflow list. */
export const HEADS: i32 = 6 * 64 + 1;
/** The `next` of a timer that is in the near heap, not in a wheel list. */
export const IN_HEAP: i32 = 0x7fffffff;

const RECORD_SHIFT: usize = 5;

let block: usize = 0;
let base: usize = 0; // the address of record 0
let recordCapacity: i32 = 0;

@inline function at(node: i32): usize { return base + (<usize>node << RECORD_SHIFT); }

@inline export function deadlineOf(node: i32): f64 { return load<f64>(at(node)); }
@inline export function setDeadline(node: i32, d: f64): void { store<f64>(at(node), d); }
@inline export function sequenceOf(node: i32): f64 { return load<f64>(at(node), 8); }
@inline export function setSequence(node: i32, s: f64): void { store<f64>(at(node), s, 8); }
@inline export function nextOf(node: i32): i32 { return load<i32>(at(node), 16); }
@inline export function setNext(node: i32, n: i32): void { store<i32>(at(node), n, 16); }
@inline export function prevOf(node: i32): i32 { return load<i32>(at(node), 20); }
@inline export function setPrev(node: i32, p: i32): void { store<i32>(at(node), p, 20); }
@inline export function generationOf(node: i32): u32 { return load<u32>(at(node), 24); }
@inline export function setGeneration(node: i32, g: u32): void { store<u32>(at(node), g, 24); }

@inline export function recordsCapacity(): i32 { return recordCapacity; }

/** Makes room for timer records below `limit`, keeping every record (heads
 *  included). Called by the slot allocator before it hands out a new slot.
 *  A new block starts with every head an empty list (linked to itself). */
export function recordsReserve(limit: i32): void {
  if (limit <= recordCapacity) return;
  const grown = nextCapacity(recordCapacity, limit);
  const first = block == 0;
  block = growBlock(block, HEADS + grown, 1 << <i32>RECORD_SHIFT);
  base = block + (<usize>HEADS << RECORD_SHIFT);
  recordCapacity = grown;
  if (first) {
    for (let h = -HEADS; h < 0; h++) { setNext(h, h); setPrev(h, h); }
  }
}

// The heads exist from the start, so the wheel can look at its lists before
// the first timer is scheduled.
recordsReserve(1);
