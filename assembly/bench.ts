// The benchmarks' build of the core (build/core.bench.wasm): the release
// exports, the timer store's own pop and move, which bench/ drives directly
// to measure the store without the loop around it, and the invariant check
// (the benchmarks verify the store they measured).

export * from "./index";
export { checkInvariants } from "./lifecycle";
export { timerPopDue, timerRelease, timerMove } from "./timers";
