// Where the loop gets its time and its one host timer from.
//
// A Clock only has to say what time it is, in milliseconds. A clock may also
// bring its own timers (setTimer/clearTimer, and queueMacrotask), as
// VirtualClock does; the loop then uses them instead of the host's, which is
// how tests run hours of timeouts without waiting.

import { hasMethods } from "../validate.js";
import { hostTimer } from "./host-timer.js";
import { queueMacrotask } from "./macrotask.js";

export { queueMacrotask };

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
  /** Calls fn once, delayMs from now on this clock; returns a handle for
   *  clearTimer. The loop keeps at most one such timer armed. */
  setTimer(fn: () => void, delayMs: number): unknown;
  /** Cancels a timer that setTimer returned. */
  clearTimer(handle: unknown): void;
  /** Calls fn in a task of its own, soon (never a microtask). */
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
  setTimer: (fn: () => void, delayMs: number): unknown => hostTimer().setTimer(fn, delayMs),
  clearTimer: (handle: unknown): void => { hostTimer().clearTimer(handle); },
  queueMacrotask,
};
