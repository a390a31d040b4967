// Tornado's PeriodicCallback: fn every periodMs, on the grid start + n*period.
//
// A call that overruns skips the periods it missed instead of bursting to
// catch up; an async fn is never overlapped with itself (the next call is
// scheduled when its promise settles). With jitter j, each period is scaled
// by a random factor in [1 - j/2, 1 + j/2], as Tornado does, so that many
// periodic callbacks started together spread out.

import type { IOLoop, Timeout } from "./ioloop.js";
import { checkFunction, checkOptions, checkPositive, describe, hasMethods } from "../validate.js";

export interface PeriodicCallbackOptions {
  /** From 0 (the default) to 1: each period is scaled by a random factor
   *  in [1 - jitter/2, 1 + jitter/2], so that callbacks started together
   *  spread out. */
  jitter?: number;
}

/** Calls fn every periodMs on the loop, on the grid start + n * period,
 *  skipping missed periods instead of bursting to catch up; an async fn is
 *  never overlapped with itself. Nothing runs until start(). */
export class PeriodicCallback {
  readonly #loop: IOLoop;
  readonly #fn: () => unknown;
  readonly #periodMs: number;
  readonly #jitter: number;
  #running = false;
  /** True from a call's start until it returns or its promise settles: the
   *  next call is scheduled only then, whatever stop()/start() did meanwhile. */
  #calling = false;
  #nextDeadline = 0;
  #timeout: Timeout | undefined;

  constructor(
    loop: IOLoop,
    fn: () => unknown,
    periodMs: number,
    options: PeriodicCallbackOptions = {},
  ) {
    this.#loop = loop;
    this.#fn = fn;
    this.#periodMs = periodMs;
    if (!hasMethods(loop, "callAt")) {
      throw new TypeError(`PeriodicCallback: loop must be an IOLoop, got ${describe(loop)}`);
    }
    checkFunction("PeriodicCallback", "fn", fn);
    checkPositive("PeriodicCallback", "periodMs", periodMs);
    checkOptions<PeriodicCallbackOptions>("PeriodicCallback", options, { jitter: true });
    const jitter = options.jitter ?? 0;
    if (typeof jitter !== "number" || !(jitter >= 0 && jitter <= 1)) {
      throw new RangeError(`PeriodicCallback: jitter must be a number from 0 to 1, got ${describe(jitter)}`);
    }
    this.#jitter = jitter;
  }

  /** Starts calling fn; the first call is one period from now. Started
   *  again while a call is still running (after a stop()), it waits for that
   *  call to finish, so that fn never overlaps itself. */
  start(): void {
    if (this.#loop.closed) throw new Error("PeriodicCallback.start: the loop is closed");
    if (this.#loop.failed) throw this.#loop.failed;
    if (this.#running) return;
    this.#running = true;
    this.#nextDeadline = this.#loop.time();
    if (!this.#calling) this.#scheduleNext();
  }

  /** Stops calling fn; a call in progress finishes, and no other follows. */
  stop(): void {
    this.#running = false;
    if (this.#timeout !== undefined) this.#loop.removeTimeout(this.#timeout);
    this.#timeout = undefined;
  }

  isRunning(): boolean { return this.#running; }

  readonly #tick = (): void => {
    this.#timeout = undefined;
    if (!this.#running) return;
    this.#calling = true;
    this.#loop.invoke("timeout", this.#fn, this.#afterCall);
  };

  readonly #afterCall = (): void => {
    this.#calling = false;
    if (this.#running && !this.#loop.closed && !this.#loop.failed) this.#scheduleNext();
  };

  #scheduleNext(): void {
    const now = this.#loop.time();
    const period = this.#jitter === 0 ? this.#periodMs : this.#periodMs * (1 + this.#jitter * (Math.random() - 0.5));
    if (this.#nextDeadline <= now) {
      // Skip every whole period already missed, landing on the grid.
      this.#nextDeadline += (Math.floor((now - this.#nextDeadline) / period) + 1) * period;
    } else {
      this.#nextDeadline += period;
    }
    this.#timeout = this.#loop.callAt(this.#nextDeadline, this.#tick);
  }
}
