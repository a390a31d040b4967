// What the two JavaScript loop designs share, so that they differ only in
// their timer store: a callback queue, loop time read once per task (as
// libuv and the loop under test do), one try/catch per call, and one host
// setTimeout armed for the earliest deadline (a host task at once while
// callbacks are queued). Each store runs its own due timers (runDue), so
// that the per-timer calls are in code that sees one class.

import { hostTaskQueuer } from "./host-task";
import type { Fn } from "./peer";

export abstract class HostLoop {
  /** Loop time: read at the start of each task, and by a call from outside one. */
  protected now = 0;
  private inTask = false;
  private callbacks: Fn[] = [];
  private spare: Fn[] = [];
  private readonly queueTask = hostTaskQueuer();
  private taskQueued = false;
  private hostTimer: ReturnType<typeof setTimeout> | undefined;
  private armedFor = Infinity;
  private closed = false;

  /** Decides which timers are due at `now`, then calls each (this.call)
   *  that nothing called before it has cancelled, earliest first. */
  protected abstract runDue(now: number): void;
  /** The earliest pending deadline, Infinity for none. */
  protected abstract earliest(): number;

  protected time(): number {
    return this.inTask ? this.now : performance.now();
  }

  /** After a timer is scheduled or moved: from outside a task, arm now; a
   *  task arms once at its end. */
  protected scheduled(deadline: number): void {
    if (!this.inTask && deadline < this.armedFor) this.arm();
  }

  addCallback(fn: Fn): void {
    this.callbacks.push(fn);
    if (!this.inTask && !this.taskQueued) { this.taskQueued = true; this.queueTask(this.task); }
  }

  run<T>(body: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.addCallback(() => {
        let result: T | Promise<T>;
        try { result = body(); } catch (error) { reject(error); return; }
        Promise.resolve(result).then(resolve, reject);
      });
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.hostTimer);
    this.callbacks.length = 0;
  }

  private readonly task = (): void => {
    this.taskQueued = false;
    this.runTask(performance.now());
  };

  private readonly timerFired = (): void => {
    // A host timer may fire a little before the deadline by the clock (Node
    // counts whole milliseconds): its firing proves the deadline has passed.
    const armed = this.armedFor;
    this.armedFor = Infinity;
    this.hostTimer = undefined;
    this.runTask(Math.max(performance.now(), armed));
  };

  private runTask(now: number): void {
    if (this.closed) return;
    this.now = now;
    this.inTask = true;
    const batch = this.callbacks; // a snapshot: callbacks added now run next task
    this.callbacks = this.spare;
    for (let i = 0; i < batch.length; i++) this.call(batch[i]);
    batch.length = 0;
    this.spare = batch;
    this.runDue(now);
    this.inTask = false;
    if (this.callbacks.length > 0) {
      if (!this.taskQueued) { this.taskQueued = true; this.queueTask(this.task); }
    } else {
      this.arm();
    }
  }

  protected call(fn: Fn): void {
    try { fn(); } catch (error) { console.error(error); }
  }

  private arm(): void {
    const deadline = this.earliest();
    if (deadline === this.armedFor || this.closed) return;
    clearTimeout(this.hostTimer);
    this.armedFor = deadline;
    this.hostTimer = deadline === Infinity ? undefined
      : setTimeout(this.timerFired, Math.max(0, deadline - performance.now()));
  }
}
