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
//
// The timeouts may be decided in steps (runIteration, then continueIteration
// until it returns the list), so that a page is not held for the whole of a
// burst of due timeouts before its first call: each step takes at most
// `limit` of them. Nothing on the list runs before the last step, and a timer
// scheduled or moved between steps is left for the next iteration
// (timerNextDecided), so a list decided in steps is the list decided at once.
// The header's counts are kept current after every step, so that a reset
// between steps releases what the steps took.

import { callbackCount, callbackTake, callbackRelease } from "./callbacks";
import { timerRelease, timerClaim, timerDecisionBegin, timerNextDecided, timerDecisionPause } from "./timers";
import { sourceListedCount, sourceListHead, sourceListNext, sourceEvents, sourceReleaseRemoved } from "./sources";
import { growBlock, nextCapacity } from "./memory";

export const LIST_HEADER_WORDS: i32 = 3;

let list: usize = 0;
let listCapacity: i32 = 0; // in words
let length: i32 = LIST_HEADER_WORDS;
let deciding: bool = false;
let decisionNow: f64 = 0;

function append(word: i32): void {
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
  deciding = false;
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

/** Called by the host once per iteration, with the loop's time: starts
 *  deciding the iteration, taking at most `limit` timeouts (see above).
 *  Returns the address of the list once it is decided, valid until the next
 *  runIteration or reset (memory may grow meanwhile: the address stays, the
 *  host's view must not); 0 while timeouts remain to take. */
export function runIteration(now: f64, limit: i32): usize {
  if (listCapacity == 0) list = growBlock(0, listCapacity = 64, 4);
  releaseList();
  length = LIST_HEADER_WORDS;
  const callbacks = callbackCount();
  for (let i = 0; i < callbacks; i++) append(callbackTake());
  store<i32>(list, callbacks);
  deciding = true;
  decisionNow = now;
  timerDecisionBegin();
  return continueIteration(limit);
}

/** Called by the host after runIteration returned 0: the next step of the
 *  decision, as runIteration. After the last step, returns the list again. */
export function continueIteration(limit: i32): usize {
  if (!deciding) return list;
  let timeouts = word(1);
  let taken = 0;
  for (; taken < limit; taken++) {
    const slot = timerNextDecided(decisionNow);
    if (slot < 0) break;
    append(slot);
    timeouts++;
  }
  timerDecisionPause();
  store<i32>(list, timeouts, 4);
  if (taken == limit) return 0; // perhaps more: the next step will tell

  deciding = false;
  const sources = sourceListedCount();
  for (let slot = sourceListHead(); slot >= 0; slot = sourceListNext(slot)) {
    append(slot);
    append(sourceEvents(slot));
  }
  store<i32>(list, sources, 8);
  return list;
}
