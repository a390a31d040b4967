// The dispatch: the only place that calls user code, and the runner of an
// iteration's list.
//
// Every touch of a value that comes from the user goes through this file's
// guards: the functions queued, the values they return (a thenable's `then`
// is user code too, and so is a getter that throws or a revoked Proxy), a
// clock's now(), a source's hooks and close(). A throw or a rejection is
// reported (onError, else console.error) and the loop goes on: no user value
// can make an exception leave the loop's own task.
//
// The list is read where the core wrote it (src/core.ts, listWord) and each
// slot is resolved to its function just before its call: the core keeps
// every slot the list names reserved until the next iteration, so nothing a
// call does can make a later entry stand for something else. Before each
// call the entry is checked: a timeout cancelled or refreshed, or a handler
// removed, by anything earlier in the iteration is skipped.
//
// A list may be run in slices (sliceMs): the runner stops between two
// entries once the slice is spent and goes on from the same entry when the
// loop calls it again, before anything new is decided.

import type { Core } from "../core.js";
import { ERROR } from "../events.js";
import { isReading, type Clock } from "../time/clock.js";
import { CallTable, type AnyFunction, type Call } from "./call-table.js";
import { HandlerTable } from "./handlers.js";
import type { ErrorContext, ErrorKind, SlowCallbackContext } from "./options.js";

export interface DispatchOptions {
  clock: Clock;
  onError: ((context: ErrorContext) => void) | undefined;
  slowCallbackMs: number | undefined;
  onSlowCallback: ((context: SlowCallbackContext) => void) | undefined;
  sliceMs: number;
}

export const noop = (): void => {};
/** The due timeouts one step of a decision takes: all of them (the core's
 *  i32 maximum), or, in a sliced loop, a number that takes about a
 *  millisecond to decide in a page (a step and the slice after it then fit
 *  well within twice the slice). */
const ALL = 0x7fffffff, STEP = 2048;

/** Calls onValue with a plain value now, or with what a thenable settles
 *  to; onError with its rejection, or with what reading or calling its
 *  `then` threw. Exactly one of them is called, at most once. Never throws. */
export function whenSettled(value: unknown, onValue: (value: unknown) => void, onError: (error: unknown) => void): void {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return onValue(value);
  let then: unknown;
  try {
    then = (value as { then?: unknown }).then;
  } catch (error) {
    return onError(error);
  }
  if (typeof then !== "function") return onValue(value);
  let settled = false;
  try {
    then.call(
      value,
      (result: unknown) => { if (!settled) { settled = true; onValue(result); } },
      (error: unknown) => { if (!settled) { settled = true; onError(error); } },
    );
  } catch (error) {
    if (!settled) { settled = true; onError(error); }
  }
}

/** A function's name for a report, whatever the function is (a revoked
 *  Proxy throws on every property read). */
function nameOf(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === "string" && name !== "" ? name : "(anonymous)";
  } catch {
    return "(unnamed)";
  }
}

/** Says on the console that a report's listener failed. Never throws. */
function listenerFailed(secondary: unknown): void {
  try { console.error("wasm-ioloop: a report's listener (onError, onSlowCallback) threw", secondary); } catch { /* nowhere left to say it */ }
}

/** Gives a report to the user's listener, or else to the console; a
 *  listener that throws, or an async one that rejects, is itself reported
 *  to the console. Never throws. */
function tell<C>(listener: ((context: C) => unknown) | undefined, context: C, fallback: () => void): void {
  try {
    if (listener) whenSettled(listener(context), noop, listenerFailed);
    else fallback();
  } catch (secondary) {
    listenerFailed(secondary);
  }
}

export class Dispatch {
  readonly #core: Core;
  readonly #options: DispatchOptions;
  // The JS half of the slot tables: the core orders slots, these hold what
  // each slot stands for.
  readonly callbackTable = new CallTable();
  readonly timeoutTable = new CallTable();
  readonly handlerTable = new HandlerTable();
  /** Times a list was cut at the end of a slice. */
  sliceCount = 0;

  /** The timeout whose call is running (-1: none), so that refreshing it
   *  from inside its own call puts its entry back. */
  firingSlot = -1;
  #firingCall: Call | undefined;
  /** The next entry of the current list, and the number of entries. */
  #cursor = 0;
  #total = 0;
  /** True while the core decides a list in steps (a sliced loop). */
  #deciding = false;
  readonly #handlerArgs: [unknown, number] = [undefined, 0];
  /** Counts timed calls, so that a call can tell a nested one ran. */
  #timedCalls = 0;

  constructor(core: Core, options: DispatchOptions) {
    this.#core = core;
    this.#options = options;
  }

  // ---- the list ------------------------------------------------------------

  /** True while a list is being decided, or has entries left to run (a
   *  sliced one, between two slices). */
  get listOpen(): boolean { return this.#deciding || this.#cursor < this.#total; }

  /** True while a list is decided in steps and the last has not been taken. */
  get deciding(): boolean { return this.#deciding; }

  /** Decides a new list at the loop's time `now`, or, while one is being
   *  decided, takes its next step (the core keeps `now`). A sliced loop
   *  takes a burst of due timeouts a step at a time, so that no task waits
   *  for the whole of it to be decided: nothing on the list runs until the
   *  last step (see assembly/dispatch.ts). True once the list is decided; it
   *  is then ready to run. */
  decide(now: number): boolean {
    const core = this.#core, limit = this.#options.sliceMs === Infinity ? ALL : STEP;
    const done = core.decideIteration(now, limit, this.#deciding);
    this.#deciding = !done;
    if (done) {
      this.#cursor = 0;
      this.#total = core.listCallbacks + core.listTimeouts + core.listSources;
    }
    return done;
  }

  /** Forgets the rest of the list (the loop failed: the tables are dropped
   *  and counted as such). */
  abandon(): void {
    this.#cursor = this.#total = 0;
    this.#deciding = false;
  }

  /** Runs entries of the list until it ends (true) or the slice is spent
   *  (false), and stops early once the core has failed. */
  runSlice(): boolean {
    const core = this.#core;
    const callbacksEnd = core.listCallbacks;
    const timeoutsEnd = callbacksEnd + core.listTimeouts;
    const sliceMs = this.#options.sliceMs, sliced = sliceMs !== Infinity;
    let lastCheck = sliced ? this.#now() : 0, stride = 1, nextCheck = this.#cursor + 1;
    const sliceEnd = lastCheck + sliceMs; // NaN if begun with no reading: it runs to the list's end
    try {
      while (this.#cursor < this.#total) {
        if (core.failure) return true;
        // The clock is read between entries, but not between every two: the
        // stride doubles while entries are short (a read costs about what a
        // short entry does) and halves when they are long.
        if (sliced && this.#cursor >= nextCheck) {
          const now = this.#now();
          if (now >= sliceEnd) {
            this.sliceCount++;
            return false;
          }
          stride = now - lastCheck < sliceMs / 16 ? Math.min(stride * 2, 32) : Math.max(stride >> 1, 1);
          lastCheck = now;
          nextCheck = this.#cursor + stride;
        }
        const i = this.#cursor++;
        if (i < callbacksEnd) {
          this.#runCall("callback", this.callbackTable.take(core.listWord(i)));
        } else if (i < timeoutsEnd) {
          this.#runTimeout(core.listWord(i));
        } else {
          if (i === timeoutsEnd) core.claim(-1); // no timeout's call runs from here on
          const word = timeoutsEnd + 2 * (i - timeoutsEnd);
          this.#runHandler(core.listWord(word), core.listWord(word + 1));
        }
      }
      return true;
    } finally {
      // No timeout's call runs between slices or after the timeouts: a
      // refresh from then on re-arms only a pending timeout.
      if (!core.failure) core.claim(-1);
    }
  }

  #runTimeout(slot: number): void {
    if (!this.#core.claim(slot)) return; // cancelled or refreshed earlier in this iteration
    const call = this.timeoutTable.take(slot);
    this.firingSlot = slot;
    this.#firingCall = call;
    this.#runCall("timeout", call);
    this.firingSlot = -1;
    this.#firingCall = undefined;
  }

  /** A timeout refreshed from inside its own call runs again: its entry,
   *  taken for this call, goes back. */
  refreshed(slot: number): void {
    if (slot === this.firingSlot && this.timeoutTable.at(slot) === undefined) {
      this.timeoutTable.set(slot, this.#firingCall!);
    }
  }

  #runHandler(slot: number, ready: number): void {
    const entry = this.handlerTable.atSlot(slot);
    if (!entry) return; // removed earlier in this iteration
    const events = ready & (entry.interest | ERROR);
    if (events === 0) return; // interest narrowed earlier in this iteration
    this.#handlerArgs[0] = entry.source;
    this.#handlerArgs[1] = events;
    this.invoke("handler", entry.handler as AnyFunction, this.#handlerArgs);
    this.#handlerArgs[0] = undefined;
  }

  #runCall(kind: ErrorKind, call: Call | undefined): void {
    if (call === undefined) return;
    // typeof, not instanceof: instanceof reads the prototype of what may be
    // a revoked Proxy.
    if (typeof call === "function") this.invoke(kind, call, undefined);
    else this.invoke(kind, call.fn, call.args);
  }

  // ---- calling user code -------------------------------------------------

  /** Calls fn(...args). A throw, or a returned promise that rejects, is
   *  reported as `kind` and the loop goes on. `after` (never user code) runs
   *  once the call has returned, or once what it returned has settled. */
  invoke(kind: ErrorKind, fn: AnyFunction, args: unknown[] | undefined, after?: () => void): void {
    const timed = this.#options.slowCallbackMs !== undefined;
    const started = timed ? this.#now() : 0;
    const call = timed ? ++this.#timedCalls : 0;
    let result: unknown;
    let threw = false;
    try {
      result = args === undefined ? fn()
        // A handler's two arguments are passed as such: a spread call costs
        // more than the rest of a readiness event's dispatch.
        : args.length === 2 ? (fn as (a: unknown, b: unknown) => unknown)(args[0], args[1])
        : (fn as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      threw = true;
      this.report(error, kind, fn);
    }
    // A wrapper whose user code ran through a nested invoke (PeriodicCallback's
    // tick) is not reported slow: the user's function already was.
    if (timed && call === this.#timedCalls) {
      const durationMs = this.#now() - started;
      if (durationMs > this.#options.slowCallbackMs!) this.#reportSlow(kind, fn, durationMs);
    }
    if (threw || result === null || (typeof result !== "object" && typeof result !== "function")) {
      after?.();
      return;
    }
    this.#whenSettled(kind, fn, result, after);
  }

  /** What invoke does with a returned object or function (it may be a
   *  thenable). Apart, so that invoke itself makes no closure: a function
   *  that makes one holds the variables it shares with it in an object made
   *  on every call, whichever way the call goes. */
  #whenSettled(kind: ErrorKind, fn: AnyFunction, result: unknown, after: (() => void) | undefined): void {
    whenSettled(result, after ?? noop, (error) => {
      this.report(error, kind, fn);
      after?.();
    });
  }

  /** What a user's function returned, when nothing waits for it: a thenable
   *  that rejects (an async close() that fails) is reported as `kind`,
   *  never left an unhandled rejection. */
  settle(kind: ErrorKind, fn: unknown, result: unknown): void {
    if (result !== null && (typeof result === "object" || typeof result === "function")) {
      this.#whenSettled(kind, fn as AnyFunction, result, undefined);
    }
  }

  /** Calls a user-supplied method (a source's hook or close()) for its
   *  effect; a throw, or a returned promise that rejects (an async close()),
   *  is reported as `kind`. Returns false if it threw. */
  touch(kind: ErrorKind, target: unknown, method: string, ...args: unknown[]): boolean {
    let fn: unknown;
    try {
      fn = (target as Record<string, unknown>)[method];
      if (typeof fn !== "function") return true;
      this.settle(kind, fn, (fn as (...a: unknown[]) => unknown).apply(target, args));
      return true;
    } catch (error) {
      this.report(error, kind, typeof fn === "function" ? fn as AnyFunction : noop);
      return false;
    }
  }

  /** The clock's reading, or undefined (reported) if now() threw; a reading
   *  that is not a finite number is undefined too, as if time stood still. */
  readClock(): number | undefined {
    const clock = this.#options.clock;
    let now: unknown, read: unknown;
    try {
      read = clock.now; // a getter may throw too
      now = (read as () => unknown).call(clock);
    } catch (error) {
      this.report(error, "clock", typeof read === "function" ? read : noop);
      return undefined;
    }
    if (isReading(now)) return now;
    this.settle("clock", read, now); // an async now() is no reading, and its rejection is reported
    return undefined;
  }

  /** Time for slices and slow calls: the clock, or NaN when it has no
   *  reading. Every comparison with NaN is false, so a missing reading, at
   *  either end, never cuts a slice and never makes a call slow. */
  #now(): number {
    return this.readClock() ?? NaN;
  }

  report(error: unknown, kind: ErrorKind, fn: Function): void {
    tell(this.#options.onError, { error, kind, fn },
      () => console.error(`wasm-ioloop: ${kind} ${nameOf(fn)} failed:`, error));
  }

  #reportSlow(kind: ErrorKind, fn: Function, durationMs: number): void {
    tell(this.#options.onSlowCallback, { kind, fn, durationMs },
      () => console.warn(`wasm-ioloop: ${kind} ${nameOf(fn)} ran ${durationMs.toFixed(1)} ms (slowCallbackMs is ${this.#options.slowCallbackMs})`));
  }
}
