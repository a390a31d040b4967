// A VirtualClock whose wake-ups the test runs by hand, one at a time.
//
// VirtualClock.advance() runs every iteration that falls due until the loops
// go idle, which is right for behaviour tests but hides where one iteration
// ends and the next begins. The model-based test needs each step to be exact:
// `turn()` runs the one queued macrotask (one iteration), `fire()` the one
// host timer once the clock has reached it. The time itself is still the
// VirtualClock's: set() moves it forwards, backwards, or not at all.
//
// `fault` makes the loop's reading of it hostile (now() throws, or returns
// NaN or a string); the host side (timers, set(), hostNow()) keeps the true
// time, as a real host's timers keep running when a clock breaks.

import { VirtualClock } from "../../src/time/virtual-clock.js";

/** What now() does: "none" reads the time. */
export type ClockFault = "none" | "throw" | "NaN" | "string";

export class ClockBroke extends Error {
  constructor() { super("the clock broke"); }
}

export interface ManualTimer {
  handle: number;
  /** When it fires, on this clock. */
  at: number;
  /** The deadline on the loop's own time that the loop armed it for (see
   *  loopDeadlineFor). */
  loopDeadline: number;
  fn: () => void;
}

export class ManualClock extends VirtualClock {
  private macrotasks: Array<() => void> = [];
  private hostTimers: ManualTimer[] = [];
  private nextTimerHandle = 1;
  /** Says, when the loop arms a timer, which deadline on the loop's time
   *  that is (the loop moves its time to that deadline when it fires). */
  loopDeadlineFor: (delayMs: number) => number = (delayMs) => this.hostNow() + delayMs;
  fault: ClockFault = "none";

  /** The loop's reading. */
  override now(): number {
    switch (this.fault) {
      case "none": return super.now();
      case "throw": throw new ClockBroke();
      case "NaN": return NaN;
      case "string": return String(super.now()) as unknown as number;
    }
  }

  /** The true time, whatever the fault. */
  hostNow(): number { return super.now(); }

  override setTimer(fn: () => void, delayMs: number): unknown {
    const handle = this.nextTimerHandle++;
    this.hostTimers.push({ handle, at: this.hostNow() + Math.max(0, delayMs), loopDeadline: this.loopDeadlineFor(delayMs), fn });
    return handle;
  }

  override clearTimer(handle: unknown): void {
    this.hostTimers = this.hostTimers.filter((t) => t.handle !== handle);
  }

  override queueMacrotask(fn: () => void): void {
    this.macrotasks.push(fn);
  }

  get queuedMacrotasks(): number { return this.macrotasks.length; }
  get armedTimers(): number { return this.hostTimers.length; }

  /** Runs the oldest queued macrotask; false if there was none. */
  turn(): boolean {
    const fn = this.macrotasks.shift();
    if (!fn) return false;
    fn();
    return true;
  }

  /** The earliest timer whose time the clock has reached, if any. */
  dueTimer(): ManualTimer | undefined {
    let due: ManualTimer | undefined;
    for (const t of this.hostTimers) if (t.at <= this.hostNow() && (!due || t.at < due.at)) due = t;
    return due;
  }

  /** The armed timer (the loop arms at most one), if any. */
  get armedTimer(): ManualTimer | undefined { return this.hostTimers[0]; }

  fire(timer: ManualTimer): void {
    this.hostTimers = this.hostTimers.filter((t) => t !== timer);
    timer.fn();
  }
}
