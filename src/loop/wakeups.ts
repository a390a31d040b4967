// When a running loop wakes next: the wake-up policy, with at most one host
// timer per loop whatever the number of pending timeouts.
//
// After each iteration, and after anything scheduled from outside one, the
// loop asks for the next wake-up (arm):
//   - a macrotask at once if callbacks or ready sources remain (never a
//     microtask: callbacks that re-add themselves must still let the host's
//     timers and I/O run in between), queued at most once;
//   - else the one host timer, for the earliest deadline (the host's own is
//     armed free of the browsers' nesting clamp: src/time/host-timer.ts);
//   - else nothing (no deadline, or only Infinity, which never fires).
// Both call back into the loop, which runs an iteration if it is still
// running. This file knows when to wake, never what runs.
//
// A clock of the user's own may bring its scheduler (a VirtualClock or an
// AlarmClock does). The first of its calls that throws is reported, and the
// host's scheduler takes over for good: a timer the clock armed is forgotten
// (ignored if it fires after all: each scheduler gets its own callback) and
// the next wake-up is armed on the host, so none is lost.

import { hostScheduler, type SchedulingClock } from "../time/clock.js";
import type { Core } from "../core.js";
import { noop, whenSettled } from "./dispatch.js";

/** setTimeout's largest delay (2^31-1 ms, ~24.8 days): longer waits are
 *  re-armed in steps. */
const MAX_HOST_DELAY = 2 ** 31 - 1;

/** Where the timer and the macrotask come from: the host's (which can also
 *  yield), or the clock's own. */
export type Scheduler = Pick<SchedulingClock, "setTimer" | "clearTimer" | "queueMacrotask"> & {
  yieldTask?: (fn: () => void) => void;
};

export class WakeUps {
  #scheduler: Scheduler;
  readonly #core: Pick<Core, "hasImmediateWork" | "nextDeadline">;
  readonly #time: () => number;
  readonly #onWake: () => void;
  readonly #onHostTimer: (deadline: number) => void;
  readonly #onSchedulerError: (error: unknown, method: Function) => void;
  #hostTimer: unknown = undefined;
  /** What the armed host timer was armed for, on the loop's time. */
  #hostTimerDeadline = Infinity;
  #wakeQueued = false;

  /** Both callbacks are made once per loop, so arming allocates nothing. */
  constructor(
    scheduler: Scheduler,
    core: Pick<Core, "hasImmediateWork" | "nextDeadline">,
    /** The loop's time, which the host timer's delay counts from. */
    time: () => number,
    /** Called when the queued macrotask runs. */
    onWake: () => void,
    /** Called when the host timer fires, with the deadline it was armed for:
     *  that much time has passed, whatever the clock says (see the loop's
     *  time()). */
    onHostTimer: (deadline: number) => void,
    /** Called with what a clock's own scheduler threw, and the method. */
    onSchedulerError: (error: unknown, method: Function) => void,
  ) {
    this.#scheduler = scheduler;
    this.#core = core;
    this.#time = time;
    this.#onWake = onWake;
    this.#onHostTimer = onHostTimer;
    this.#onSchedulerError = onSchedulerError;
  }

  /** Host timers armed: 0 or 1. */
  get hostTimers(): number { return this.#hostTimer === undefined ? 0 : 1; }

  /** Something was scheduled from outside an iteration of a running loop,
   *  needing the loop awake by `deadline` (a timeout's), or at once when no
   *  deadline is given (a callback, a ready source). A queued macrotask arms
   *  after its iteration, and a host timer armed to fire no later already
   *  covers the deadline: only otherwise is the wake-up chosen now, so most
   *  schedules make no call into the core. */
  poke(deadline = -Infinity): void {
    if (this.#wakeQueued || (this.#hostTimer !== undefined && this.#hostTimerDeadline <= deadline)) return;
    this.arm();
  }

  /** Chooses the next wake-up from what the core holds. */
  arm(): void {
    if (this.#core.hasImmediateWork()) return this.queueWake();
    const deadline = this.#core.nextDeadline();
    if (deadline === Infinity) return this.disarm(); // Infinity never fires
    // An armed timer that fires no later than needed is kept: at worst it
    // fires early, finds nothing due and re-arms (cheaper than clearing on
    // every cancel).
    if (this.#hostTimer !== undefined && this.#hostTimerDeadline <= deadline) return;
    this.disarm();
    const now = this.#time();
    const delay = Math.min(Math.max(deadline - now, 0), MAX_HOST_DELAY);
    this.#hostTimerDeadline = now + delay;
    this.#hostTimer = this.#call("setTimer", delay);
  }

  /** Lets the host run (input, rendering, the loop's own I/O) before the
   *  next slice of a list: scheduler.yield() where the host has it, which
   *  resumes ahead of other tasks, else a macrotask. */
  queueSlice(): void {
    this.#queue(this.#scheduler === hostScheduler ? "yieldTask" : "queueMacrotask");
  }

  /** Wakes the loop in a macrotask, once however often it is asked. */
  queueWake(): void {
    this.#queue("queueMacrotask");
  }

  #queue(method: "yieldTask" | "queueMacrotask"): void {
    if (this.#wakeQueued) return;
    this.#call(method);
    // After the call: if the clock's scheduler broke, the call cleared the
    // flag (a wake that clock queued is not waited for) and queued this one
    // on the host's.
    this.#wakeQueued = true;
  }

  /** Clears the host timer, if one is armed. A queued macrotask still runs;
   *  the loop ignores it unless it is running again by then. */
  disarm(): void {
    if (this.#hostTimer === undefined) return;
    this.#call("clearTimer");
    this.#hostTimer = undefined;
    this.#hostTimerDeadline = Infinity;
  }

  readonly #wake = (): void => {
    this.#wakeQueued = false;
    this.#onWake();
  };

  /** The armed timer's callback, one per scheduler. */
  #fire = this.#timerCallback();

  #timerCallback(): () => void {
    const fire = (): void => {
      if (fire !== this.#fire) return; // armed by a clock that broke since
      const deadline = this.#hostTimerDeadline;
      this.#hostTimer = undefined;
      this.#hostTimerDeadline = Infinity;
      this.#onHostTimer(deadline);
    };
    return fire;
  }

  /** An async scheduler method's rejection, reported as its throw would be
   *  (apart from #call, so that #call makes no closure on every wake-up). */
  #whenRejected(fn: Function, result: unknown): void {
    whenSettled(result, noop, (error) => this.#onSchedulerError(error, fn));
  }

  /** Calls the scheduler's `method` with what it takes: the timer callback
   *  and a delay, the armed timer, or the wake. If a clock's own scheduler
   *  throws, that is reported, the host's takes over (see above), and the
   *  call is made again on it; the host's own throws are not caught. */
  #call(method: "setTimer" | "clearTimer" | "queueMacrotask" | "yieldTask", delay?: number): unknown {
    const scheduler = this.#scheduler;
    let fn: unknown;
    try {
      fn = scheduler[method];
      const result = (fn as (a: unknown, b?: number) => unknown).call(scheduler,
        method === "setTimer" ? this.#fire : method === "clearTimer" ? this.#hostTimer : this.#wake, delay);
      // setTimer's result is its handle; the others' is nothing, unless the
      // method is async: its rejection is reported as a throw is.
      if (method !== "setTimer" && result !== undefined) this.#whenRejected(fn as Function, result);
      return result;
    } catch (error) {
      if (scheduler === hostScheduler) throw error;
      this.#onSchedulerError(error, typeof fn === "function" ? fn : this.#call);
      this.#scheduler = hostScheduler;
      this.#fire = this.#timerCallback();
      if (method !== "setTimer") { // (setTimer is called with none armed, its deadline set)
        this.#hostTimer = undefined;
        this.#hostTimerDeadline = Infinity;
      }
      this.#wakeQueued = false;
      return method === "clearTimer" ? undefined : this.#call(method, delay);
    }
  }
}
