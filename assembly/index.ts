// The core's exports: the only functions the host (src/core.ts) calls.
// Every one takes and returns numbers; none throws: failures are codes.
// timerPopDue is exported for bench/, which drives the timer store directly.

export { READ, WRITE, ERROR } from "./events";
export {
  timerSchedule, timerCancel, timerMove, timerPopDue, timerNextDeadline, timerPendingCount,
  ERR_BAD_DEADLINE, ERR_TOO_MANY_TIMERS,
} from "./timers";
export { callbackAdd, callbackCount } from "./callbacks";
export {
  sourceAdd, sourceRemove, sourceSetInterest, sourceSetReady, sourceClearReady,
  sourceListedCount, ERR_BAD_SOURCE, ERR_BAD_EVENTS,
} from "./sources";
export { runIteration } from "./dispatch";
export { reset, checkInvariants } from "./lifecycle";
