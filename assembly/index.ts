// The release core's exports: the only functions the host (src/core.ts)
// calls, and every number both sides share, exported as constants that the
// host reads when it instantiates the module. Every function takes and
// returns numbers; none throws: failures are codes. What only tests need
// (the invariant checks) is exported by the debug build (assembly/debug.ts),
// what only benchmarks need by assembly/bench.ts.

export { READ, WRITE, ERROR } from "./events";
export {
  timerSetLane, timerLaneHandover, timerSchedule, timerCancel, timerRefresh, timerDeadline, timerClaim,
  timerNextDeadline, timerPendingCount,
  ERR_BAD_DEADLINE, ERR_TOO_MANY_TIMERS, SLOT_BITS, LANE_BITS,
} from "./timers";
export { callbackAdd, callbackCount } from "./callbacks";
export {
  sourceAdd, sourceRemove, sourceSetInterest, sourceSetReady, sourceClearReady,
  sourceListedCount, ERR_BAD_SOURCE, ERR_BAD_EVENTS,
} from "./sources";
export { runIteration, continueIteration, LIST_HEADER_WORDS } from "./dispatch";
export { reset } from "./lifecycle";
