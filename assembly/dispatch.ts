// The dispatch list: everything one iteration will run, decided before any of
// it runs, written into linear memory for the host.
//
// Layout, in i32 words from dispatchList():
//   [0] C, the number of callbacks   [1] T, the number of timeouts
//   [2] S, the number of sources
//   then C callback slots, in the order they were added;
//   then T timer slots, in (deadline, sequence) order;
//   then S pairs (source slot, events), in the order the sources became ready.
//
// Callbacks are a snapshot: those added while the host runs this list are
// queued for the next iteration. Timer and callback slots in the list are
// already released; the host resolves them to its own handles first.

import { callbackCount, callbackTake } from "./callbacks";
import { timerPopDue } from "./timers";
import { sourceListedCount, sourceListHead, sourceListNext, sourceEvents } from "./sources";
import { growBlock, nextCapacity } from "./memory";

const HEADER_WORDS: i32 = 3;

let list: usize = 0;
let listCapacity: i32 = 0; // in words
let length: i32 = HEADER_WORDS;

@inline function append(word: i32): void {
  if (length == listCapacity) {
    const grown = nextCapacity(listCapacity, length + 1);
    list = growBlock(list, grown, 4);
    listCapacity = grown;
  }
  store<i32>(list + (<usize>length << 2), word);
  length++;
}

/** Called by the host once per iteration, with the loop's time. Returns the
 *  address of the list, valid until the next call into the core. */
export function runIteration(now: f64): usize {
  if (listCapacity == 0) list = growBlock(0, listCapacity = 64, 4);
  length = HEADER_WORDS;

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
