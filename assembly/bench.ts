// The benchmarks' build of the core (build/core.bench.wasm): the release
// exports, and the timer store's own pop, which bench/ drives directly to
// measure the store without the loop around it.

export * from "./index";
export { timerPopDue, timerRelease } from "./timers";
