// The loop's promises, checked from the outside after every step and at every
// call into user code. The checker knows nothing of the
// model (but for the open list's count, below): it only counts what the loop
// accepted, what ran, what was cancelled and what close() reported, and asks
// the loop for its stats.
//
//   exactly once   a callback runs once; a timeout runs at most once per time
//                  it was armed, and never after a cancel that returned true;
//   conservation   added = ran + queued + listed + dropped (callbacks) and
//                  armed = fired + cancelled + pending + listed + dropped
//                  (timeouts), where `listed` is what is still to run on a
//                  list left open between two slices (the harness says, from
//                  the model: the loop counts those neither queued nor
//                  pending), else 0;
//   never early    a timeout runs at or after its deadline, on the loop's time;
//   order          within an iteration, timeouts run in deadline order;
//   progress       a callback runs in the iteration after the one it was
//                  added in (or the next one, if added outside);
//   handle safety  a cancel that returns false leaves the pending count alone;
//   monotonic time loop.time() never goes backwards;
//   the core       loop.checkInvariants(): heap, free lists, ready list and
//                  the JS slot table agree.

import type { CloseReport, IOLoop, Timeout } from "../../src/index.js";

export class InvariantChecker {
  readonly violations: string[] = [];
  private callbacksAdded = 0;
  private callbacksRan = 0;
  private callbacksDropped = 0;
  private readonly callbackIteration = new Map<string, number>();
  private armed = 0;
  private firedCount = 0;
  private cancelled = 0;
  private timeoutsDropped = 0;
  private readonly armingsOf = new Map<Timeout, number>();
  private readonly firesOf = new Map<Timeout, number>();
  private readonly cancelledHandles = new Set<Timeout>();
  /** Each timeout's deadline, as deadlineOf said when it was (re)armed. */
  private readonly deadlines = new Map<Timeout, number>();
  private lastFireIteration = -1;
  private lastFireDeadline = -Infinity;
  private lastTime = -Infinity;
  readonly startPromises: { settled: boolean; rejected: unknown }[] = [];

  constructor(private readonly loop: IOLoop) {}

  private violation(what: string): void { this.violations.push(what); }

  added(label: string): void {
    this.callbacksAdded++;
    this.callbackIteration.set(label, this.loop.stats().iterations + 1);
  }

  ran(label: string): void {
    const expected = this.callbackIteration.get(label);
    if (expected === undefined) return this.violation(`callback ${label} ran twice, or without being added`);
    this.callbackIteration.delete(label);
    this.callbacksRan++;
    const iteration = this.loop.stats().iterations;
    if (iteration !== expected) this.violation(`callback ${label} ran in iteration ${iteration}, expected ${expected}`);
  }

  scheduled(_label: string, handle: Timeout): void {
    this.deadlines.set(handle, this.loop.deadlineOf(handle)!);
    this.armed++;
    this.armingsOf.set(handle, 1);
  }

  /** refreshTimeout(handle) returned true: its deadline moved, and if its
   *  call was running (it had fired as often as it was armed), it is armed
   *  again. */
  refreshed(handle: Timeout): void {
    this.deadlines.set(handle, this.loop.deadlineOf(handle)!);
    if ((this.firesOf.get(handle) ?? 0) < (this.armingsOf.get(handle) ?? 0)) return;
    this.armed++;
    this.armingsOf.set(handle, (this.armingsOf.get(handle) ?? 0) + 1);
  }

  fired(label: string, handle: Timeout): void {
    this.firedCount++;
    const fires = (this.firesOf.get(handle) ?? 0) + 1;
    this.firesOf.set(handle, fires);
    if (fires > (this.armingsOf.get(handle) ?? 0)) this.violation(`timeout ${label} ran more often than it was armed`);
    if (this.cancelledHandles.has(handle)) this.violation(`timeout ${label} ran after it was cancelled`);
    const now = this.loop.time();
    const deadline = this.deadlines.get(handle)!;
    if (now < deadline) this.violation(`timeout ${label} ran early: at ${now}, deadline ${deadline}`);
    const iteration = this.loop.stats().iterations;
    if (iteration === this.lastFireIteration && deadline < this.lastFireDeadline) {
      this.violation(`timeout ${label} (deadline ${deadline}) ran after one with deadline ${this.lastFireDeadline}`);
    }
    this.lastFireIteration = iteration;
    this.lastFireDeadline = deadline;
  }

  pendingBefore(): number { return this.loop.closed ? 0 : this.loop.stats().pendingTimeouts; }

  cancelResult(handle: Timeout | undefined, cancelled: boolean, pendingBefore: number): void {
    if (cancelled) {
      this.cancelled++;
      this.cancelledHandles.add(handle!);
    } else if (this.pendingBefore() !== pendingBefore) {
      this.violation("a cancel that returned false changed the pending timeouts");
    }
  }

  handled(_source: number, events: number): void {
    if (!(events > 0 && (events & ~13) === 0)) this.violation(`a handler got events ${events}`);
  }

  started(stopped: Promise<void>): void {
    const record = { settled: false, rejected: undefined as unknown };
    this.startPromises.push(record);
    stopped.then(() => { record.settled = true; }, (error: unknown) => { record.settled = true; record.rejected = error; });
  }

  closed(report: CloseReport): void {
    const queued = this.callbacksAdded - this.callbacksRan - this.callbacksDropped;
    const pending = this.armed - this.firedCount - this.cancelled - this.timeoutsDropped;
    if (report.callbacks !== queued) this.violation(`close() reported ${report.callbacks} callbacks dropped, ${queued} were queued`);
    if (report.timeouts !== pending) this.violation(`close() reported ${report.timeouts} timeouts dropped, ${pending} were pending`);
    this.callbacksDropped += report.callbacks;
    this.timeoutsDropped += report.timeouts;
  }

  /** Between steps: no slice is running; `listed` counts the entries a list
   *  left open between two slices has still to run (see conservation). */
  afterStep(listed: { callbacks: number; timeouts: number } = { callbacks: 0, timeouts: 0 }): void {
    const time = this.loop.time();
    if (time < this.lastTime) this.violation(`loop.time() went back from ${this.lastTime} to ${time}`);
    this.lastTime = time;
    if (this.loop.closed) return;
    try {
      this.loop.checkInvariants();
    } catch (error) {
      this.violation(String(error));
    }
    const stats = this.loop.stats();
    const callbacks = this.callbacksRan + stats.queuedCallbacks + listed.callbacks + this.callbacksDropped;
    if (this.callbacksAdded !== callbacks) {
      this.violation(`conservation: ${this.callbacksAdded} callbacks added, ${callbacks} ran, queued, listed or dropped`);
    }
    const timeouts = this.firedCount + this.cancelled + stats.pendingTimeouts + listed.timeouts + this.timeoutsDropped;
    if (this.armed !== timeouts) {
      this.violation(`conservation: ${this.armed} timeouts armed, ${timeouts} fired, cancelled, pending, listed or dropped`);
    }
    if (stats.hostTimers > 1) this.violation(`${stats.hostTimers} host timers armed`);
  }
}
