// The source table: per source an interest mask and a level-triggered ready
// mask, and a FIFO list of the sources that have something to deliver.
//
// A source is listed while  ready & (interest | ERROR)  is not zero: ERROR is
// delivered whatever the interest, and a source that is ready only for events
// nobody asked for is not listed, so it never causes a wake-up. Readiness is
// level-triggered: a listed source stays listed, and is dispatched once per
// iteration, until its ready bits are cleared (by the host, when the source's
// buffer drains) or its interest changes.
//
// Invariants (checked by sourcesCheck):
//   - a slot is live (interest >= 0) or free (interest == FREE);
//   - the ready list holds exactly the live slots that should be listed, each
//     once, and its prev/next links agree.
//
// A removed slot is not handed out again before the next iteration
// (sourceReleaseRemoved): the dispatch list may still name it, and the host
// resolves each slot just before its call.

import { ERROR, ALL_EVENTS } from "./events";
import { growBlock, nextCapacity } from "./memory";

export const ERR_BAD_SOURCE: i32 = -1;
export const ERR_BAD_EVENTS: i32 = -2;

const FREE: i32 = -1;
const NONE: i32 = -1;       // end of the ready list
const NOT_LISTED: i32 = -2; // in `next`: the slot is not in the ready list
const STRIDE: i32 = 16;     // bytes per slot: interest, ready, prev, next

let table: usize = 0;
let slotCapacity: i32 = 0;
let slotsUsed: i32 = 0;
let freeHead: i32 = NONE; // free slots are chained through `next`
let removedHead: i32 = NONE; // removed since the last iteration, chained the same way
let listHead: i32 = NONE;
let listTail: i32 = NONE;
let listed: i32 = 0;

@inline function field(slot: i32, offset: i32): usize { return table + <usize>slot * STRIDE + offset; }
@inline export function interestOf(slot: i32): i32 { return load<i32>(field(slot, 0)); }
@inline export function readyOf(slot: i32): i32 { return load<i32>(field(slot, 4)); }
@inline function prevOf(slot: i32): i32 { return load<i32>(field(slot, 8)); }
@inline function nextOf(slot: i32): i32 { return load<i32>(field(slot, 12)); }
@inline function setInterest(slot: i32, v: i32): void { store<i32>(field(slot, 0), v); }
@inline function setReadyBits(slot: i32, v: i32): void { store<i32>(field(slot, 4), v); }
@inline function setPrev(slot: i32, v: i32): void { store<i32>(field(slot, 8), v); }
@inline function setNext(slot: i32, v: i32): void { store<i32>(field(slot, 12), v); }

@inline function isLive(slot: i32): bool {
  return <u32>slot < <u32>slotsUsed && interestOf(slot) != FREE;
}
@inline function shouldBeListed(slot: i32): bool {
  return (readyOf(slot) & (interestOf(slot) | ERROR)) != 0;
}

function link(slot: i32): void {
  setPrev(slot, listTail);
  setNext(slot, NONE);
  if (listTail == NONE) listHead = slot; else setNext(listTail, slot);
  listTail = slot;
  listed++;
}

function unlink(slot: i32): void {
  const prev = prevOf(slot), next = nextOf(slot);
  if (prev == NONE) listHead = next; else setNext(prev, next);
  if (next == NONE) listTail = prev; else setPrev(next, prev);
  setNext(slot, NOT_LISTED);
  listed--;
}

/** Lists or unlists `slot` after its masks changed; keeps its place in the
 *  FIFO if it stays listed. */
function relist(slot: i32): void {
  const isListed = nextOf(slot) != NOT_LISTED;
  const should = shouldBeListed(slot);
  if (should && !isListed) link(slot);
  else if (!should && isListed) unlink(slot);
}

/** Called by the host's addHandler: returns the new source's slot. */
export function sourceAdd(interest: i32): i32 {
  if ((interest & ~ALL_EVENTS) != 0) return ERR_BAD_EVENTS;
  let slot = freeHead;
  if (slot != NONE) {
    freeHead = nextOf(slot);
  } else {
    if (slotsUsed == slotCapacity) {
      const grown = nextCapacity(slotCapacity, slotsUsed + 1);
      table = growBlock(table, grown, STRIDE);
      slotCapacity = grown;
    }
    slot = slotsUsed++;
  }
  setInterest(slot, interest);
  setReadyBits(slot, 0);
  setNext(slot, NOT_LISTED);
  return slot;
}

/** Called by the host's removeHandler: returns 1, or ERR_BAD_SOURCE. */
export function sourceRemove(slot: i32): i32 {
  if (!isLive(slot)) return ERR_BAD_SOURCE;
  if (nextOf(slot) != NOT_LISTED) unlink(slot);
  setInterest(slot, FREE);
  setReadyBits(slot, 0);
  setNext(slot, removedHead);
  removedHead = slot;
  return 1;
}

/** Called by runIteration and reset: the slots removed since the last
 *  iteration may be handed out again. */
export function sourceReleaseRemoved(): void {
  while (removedHead != NONE) {
    const slot = removedHead;
    removedHead = nextOf(slot);
    setNext(slot, freeHead);
    freeHead = slot;
  }
}

/** Called by the host's updateHandler. */
export function sourceSetInterest(slot: i32, interest: i32): i32 {
  if (!isLive(slot)) return ERR_BAD_SOURCE;
  if ((interest & ~ALL_EVENTS) != 0) return ERR_BAD_EVENTS;
  setInterest(slot, interest);
  relist(slot);
  return 1;
}

/** Called by the host's setReady: adds `events` to the ready mask. */
export function sourceSetReady(slot: i32, events: i32): i32 {
  if (!isLive(slot)) return ERR_BAD_SOURCE;
  if ((events & ~ALL_EVENTS) != 0) return ERR_BAD_EVENTS;
  setReadyBits(slot, readyOf(slot) | events);
  relist(slot);
  return 1;
}

/** Called by the host's clearReady: removes `events` from the ready mask. */
export function sourceClearReady(slot: i32, events: i32): i32 {
  if (!isLive(slot)) return ERR_BAD_SOURCE;
  if ((events & ~ALL_EVENTS) != 0) return ERR_BAD_EVENTS;
  setReadyBits(slot, readyOf(slot) & ~events);
  relist(slot);
  return 1;
}

@inline export function sourceListedCount(): i32 { return listed; }
@inline export function sourceListHead(): i32 { return listHead; }
@inline export function sourceListNext(slot: i32): i32 { return nextOf(slot); }

/** The events to deliver to a listed source: one merged mask. */
@inline export function sourceEvents(slot: i32): i32 {
  return readyOf(slot) & (interestOf(slot) | ERROR);
}

/** Removes every source and frees every slot (the host's close(), after
 *  the dispatch list was released). */
export function sourceClear(): void {
  for (let s = 0; s < slotsUsed; s++) {
    if (interestOf(s) != FREE) sourceRemove(s);
  }
  sourceReleaseRemoved();
}

/** Returns 0 when the invariants hold, else a code in 30..39. */
export function sourcesCheck(): i32 {
  let count = 0, prev = NONE;
  for (let s = listHead; s != NONE; s = nextOf(s)) {
    if (!isLive(s)) return 31;
    if (prevOf(s) != prev) return 32;
    if (!shouldBeListed(s)) return 33;
    if (++count > slotsUsed) return 34;
    prev = s;
  }
  if (prev != listTail || count != listed) return 35;
  let shouldCount = 0;
  for (let s = 0; s < slotsUsed; s++) {
    if (interestOf(s) == FREE) continue;
    if (interestOf(s) < 0 || (interestOf(s) & ~ALL_EVENTS) != 0) return 36;
    if (shouldBeListed(s)) shouldCount++;
    else if (nextOf(s) != NOT_LISTED) return 37;
  }
  if (shouldCount != listed) return 38;
  return 0;
}
