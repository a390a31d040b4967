// Where the loop gets its time and its one host timer from.
//
// A Clock only has to say what time it is, in milliseconds. A clock may also
// bring its own timers (setTimer/clearTimer, and queueMacrotask), as
// VirtualClock does; the loop then uses them instead of the host's, which is
// how tests run hours of timeouts without waiting.

import { hasMethods } from "../validate.js";

export interface Clock {
  /** Milliseconds; need not be monotonic (the loop makes its own time so). */
  now(): number;
}

/** A clock reading the loop can use: a finite number. Any other reading (a
 *  broken clock) is ignored, as if time stood still. */
export function isReading(now: unknown): now is number {
  return typeof now === "number" && Number.isFinite(now);
}

/** A clock that also schedules the loop's wake-ups. */
export interface SchedulingClock extends Clock {
  setTimer(fn: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
  queueMacrotask(fn: () => void): void;
}

export function isSchedulingClock(clock: Clock): clock is SchedulingClock {
  return hasMethods(clock, "setTimer", "clearTimer", "queueMacrotask");
}

/** The host's monotonic clock: performance.now() where it exists. On Workers
 *  it stands still while code runs and moves across I/O (see the README). */
export const systemClock: Clock = typeof performance === "object" && typeof performance.now === "function"
  ? { now: () => performance.now() }
  : { now: () => Date.now() };

/** Runs `fn` as a macrotask, never as a microtask: a loop whose callbacks
 *  re-add themselves still lets the host's timers and I/O run in between.
 *  setImmediate where there is one (Node), else a MessageChannel (browsers,
 *  Workers: no 4 ms clamping as nested setTimeout(0) has), else setTimeout. */
export function queueMacrotask(fn: () => void): void {
  macrotaskQueuer ??= chooseMacrotaskQueuer();
  macrotaskQueuer(fn);
}

let macrotaskQueuer: ((fn: () => void) => void) | undefined;

function chooseMacrotaskQueuer(): (fn: () => void) => void {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return (fn) => { setImmediate(fn); };
  }
  if (typeof MessageChannel === "function") {
    // Created on first use, not at module scope: Workers allow no I/O objects
    // outside a request.
    const pending: Array<() => void> = [];
    const channel = new MessageChannel();
    channel.port1.onmessage = () => pending.shift()?.();
    return (fn) => { pending.push(fn); channel.port2.postMessage(0); };
  }
  return (fn) => { setTimeout(fn, 0); };
}

interface YieldingScheduler { yield(): Promise<void> }

/** Runs `fn` after yielding to the host: scheduler.yield() where there is
 *  one (Chromium), whose continuation runs before other queued tasks, else a
 *  macrotask. */
export function yieldTask(fn: () => void): void {
  const scheduler = (globalThis as { scheduler?: Partial<YieldingScheduler> }).scheduler;
  if (typeof scheduler?.yield === "function") {
    scheduler.yield().then(fn, fn);
    return;
  }
  queueMacrotask(fn);
}

/** The host's timers and macrotasks, for clocks that bring none. */
export const hostScheduler = {
  yieldTask,
  setTimer: (fn: () => void, delayMs: number): unknown => setTimeout(fn, delayMs),
  clearTimer: (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>),
  queueMacrotask,
};
