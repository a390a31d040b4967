// What a user hands IOLoop.create and what the loop hands back: the options,
// the contexts onError and onSlowCallback receive, and the reports of
// close() and stats(). The options are checked here, before a core is
// loaded: a bad option never reaches the core.

import { isReading, systemClock, type Clock } from "../time/clock.js";
import { noop, whenSettled } from "./dispatch.js";
import { checkFunction, checkModule, checkOptions, checkPositive, describe, hasMethods, type OptionNames } from "../validate.js";

/** What failed: a callback, a timeout or a handler the user queued; the
 *  loop's clock (its now() threw); a source's hook or close(). */
export type ErrorKind = "callback" | "timeout" | "handler" | "clock" | "source";

/** What onError receives for a user function that threw or rejected. */
export interface ErrorContext { error: unknown; kind: ErrorKind; fn: Function }

/** What onSlowCallback receives for a call that ran past slowCallbackMs. */
export interface SlowCallbackContext { kind: ErrorKind; fn: Function; durationMs: number }

export interface IOLoopOptions {
  /** Where time comes from; default performance.now(). See VirtualClock. */
  clock?: Clock;
  /** Called for each user function that throws or returns a rejected
   *  promise; default console.error. The loop goes on either way. */
  onError?: (context: ErrorContext) => void;
  /** Report callbacks, timeouts and handlers that run longer than this. */
  slowCallbackMs?: number;
  /** Called for each slow call; default console.warn. */
  onSlowCallback?: (context: SlowCallbackContext) => void;
  /** A compiled core.wasm, instead of the runtime's default loader. */
  module?: WebAssembly.Module;
  /** Caps the core's linear memory; past it the loop fails (for tests of
   *  that path, and for hosts that must bound memory). Default: no cap. */
  maxMemoryBytes?: number;
  /** Run an iteration's list in slices of about this many milliseconds,
   *  yielding to the host in between (the list goes on from where it was cut,
   *  before anything new is decided). Default: 8 in a page (a burst of due
   *  work never blocks input for long), Infinity elsewhere (no slicing). */
  sliceMs?: number;
}

/** What close() dropped: pending work that will now never run. */
export interface CloseReport { callbacks: number; timeouts: number; handlers: number }

/** The counts a dashboard or a test wants to see. */
export interface LoopStats {
  pendingTimeouts: number;
  queuedCallbacks: number;
  handlers: number;
  readySources: number;
  /** Host timers armed by this loop: 0 or 1, whatever the pending count. */
  hostTimers: number;
  iterations: number;
  /** Times an iteration's list was cut to yield to the host (sliceMs). */
  slices: number;
  /** Bytes of the core's linear memory. */
  wasmMemoryBytes: number;
  /** Entries in the host's slot tables (callbacks, timeouts, handlers). They
   *  are indexed by the core's slots, which are reused, so they grow to the
   *  most entries live at once and no further. */
  hostSlots: number;
}

const LOOP_OPTIONS: OptionNames<IOLoopOptions> = {
  clock: true, onError: true, slowCallbackMs: true, onSlowCallback: true, module: true, maxMemoryBytes: true, sliceMs: true,
};

/** Checks IOLoop.create's options and returns the clock's first reading:
 *  the loop's time starts there, so a clock that cannot give one is refused
 *  now. */
export function checkLoopOptions(options: IOLoopOptions): number {
  checkOptions<IOLoopOptions>("IOLoop.create", options, LOOP_OPTIONS);
  const { clock, onError, slowCallbackMs, onSlowCallback, module, maxMemoryBytes, sliceMs } = options;
  if (clock !== undefined && !hasMethods(clock, "now")) {
    throw new TypeError(`IOLoop.create: clock must be an object with a now() method, got ${describe(clock)}`);
  }
  const startTime = (clock ?? systemClock).now();
  if (!isReading(startTime)) {
    whenSettled(startTime, noop, noop); // an async now(): refused below, its rejection with it
    throw new TypeError(`IOLoop.create: clock.now() must return a finite number of milliseconds, got ${describe(startTime)}`);
  }
  if (onError !== undefined) checkFunction("IOLoop.create", "onError", onError);
  if (onSlowCallback !== undefined) checkFunction("IOLoop.create", "onSlowCallback", onSlowCallback);
  if (slowCallbackMs !== undefined) checkPositive("IOLoop.create", "slowCallbackMs", slowCallbackMs);
  if (maxMemoryBytes !== undefined) checkPositive("IOLoop.create", "maxMemoryBytes", maxMemoryBytes, "bytes");
  if (sliceMs !== undefined && sliceMs !== Infinity) checkPositive("IOLoop.create", "sliceMs", sliceMs);
  if (module !== undefined) checkModule(module);
  return startTime;
}

/** sliceMs when none is given: 8 ms where there is a page to keep responsive
 *  (half a 60 Hz frame: input waits at most about that long behind a burst),
 *  Infinity elsewhere (Node, Workers: no input to starve, and a Worker's
 *  request is better served by finishing its work). */
export function defaultSliceMs(): number {
  return typeof document === "object" && document !== null ? 8 : Infinity;
}
