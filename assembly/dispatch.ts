// The dispatch list: everything one iteration will run, decided before any of
// it runs, written into linear memory for the host.
//
// Layout, in i32 words from the address runIteration returns:
//   [0] C, the number of callbacks   [1] T, the number of timeouts
//   [2] S, the number of sources
//   then C callback slots, in the order they were added;
//   then T timer slots, in (deadline, sequence) order;
//   then S pairs (source slot, events), in the order the sources became ready.
//
// Callbacks are a snapshot: those added while the host runs this list are
// queued for the next iteration. Every slot the list names stays reserved
// until the next runIteration (or reset) releases it, so the host reads the
// list where it lies and resolves each slot just before its call: nothing the
// list's calls do can make a slot in it stand for something else.

import { callbackCount, callbackTake, callbackRelease } from "./callbacks";
import { timerPopDue, timerRelease, timerClaim } from "./timers";
import { sourceListedCount, sourceListHead, sourceListNext, sourceEvents, sourceReleaseRemoved } from "./sources";
import { growBlock, nextCapacity } from "./memory";

export const LIST_HEADER_WORDS: i32 = 3;

let list: usize = 0;
let listCapacity: i32 = 0; // in words
let length: i32 = LIST_HEADER_WORDS;

@inline function append(word: i32): void {
  if (length == listCapacity) {
    const grown = nextCapacity(listCapacity, length + 1);
    list = growBlock(list, grown, 4);
    listCapacity = grown;
  }
  store<i32>(list + (<usize>length << 2), word);
  length++;
}

@inline function word(i: i32): i32 { return load<i32>(list + (<usize>i << 2)); }

/** Releases every slot the last list named: its callbacks, its timeouts
 *  (unless refreshed back into the store) and the sources removed since. */
export function releaseList(): void {
  timerClaim(-1);
  if (listCapacity == 0) return;
  const callbacks = word(0), timeouts = word(1);
  let w = LIST_HEADER_WORDS;
  for (let i = 0; i < callbacks; i++) callbackRelease(word(w++));
  for (let i = 0; i < timeouts; i++) timerRelease(word(w++));
  store<i32>(list, 0);
  store<i32>(list, 0, 4);
  store<i32>(list, 0, 8);
  sourceReleaseRemoved();
}

/** Called by the host once per iteration, with the loop's time. Returns the
 *  address of the list, valid until the next runIteration or reset (memory
 *  may grow meanwhile: the address stays, the host's view must not). */
export function runIteration(now: f64): usize {
  if (listCapacity == 0) list = growBlock(0, listCapacity = 64, 4);
  releaseList();
  length = LIST_HEADER_WORDS;

  const callbacks = callbackCount();
  for (let i = 0; i < callbacks; i++) append(callbackTake());

  let timeouts = 0;
  for (let slot = timerPopDue(now); slot >= 0; slot = timerPopDue(now)) {
    append(slot);
    timeouts++;
  }

  const sources = sourceListedCount();
  for (let slot = sourceListHead(); slot >= 0; slot = sourceListNext(slot)) {
    append(slot);
    append(sourceEvents(slot));
  }

  store<i32>(list, callbacks);
  store<i32>(list, timeouts, 4);
  store<i32>(list, sources, 8);
  return list;
}
