// The debug build of the core (build/core.debug.wasm, assertions on): the
// release exports, and the check of every internal invariant, which the
// tests call after every step (IOLoop.checkInvariants).

export * from "./index";
export { checkInvariants } from "./lifecycle";
