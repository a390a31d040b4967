// Whole-core operations: the host's close(), and the invariant check that the
// tests call after every step.

import { timerClear, timersCheck } from "./timers";
import { callbackClear, callbacksCheck } from "./callbacks";
import { sourceClear, sourcesCheck } from "./sources";
import { releaseList } from "./dispatch";

/** Called by the host's close(): drops every pending timeout, callback and
 *  source. Memory is kept for reuse, and so are the timers' generations and
 *  lane: ids issued before the reset stay refused after it. */
export function reset(): void {
  releaseList();
  timerClear();
  callbackClear();
  sourceClear();
}

/** Called by tests: 0 when every internal invariant holds, else the code of
 *  the first that does not (10..19 timers, 20..29 callbacks, 30..39 sources). */
export function checkInvariants(): i32 {
  let code = timersCheck();
  if (code == 0) code = callbacksCheck();
  if (code == 0) code = sourcesCheck();
  return code;
}
