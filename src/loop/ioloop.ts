// The event loop. The only file that calls user code (see invoke()).
//
// One iteration (runIteration):
//   1. the core decides everything that will run: the callbacks queued so far
//      (a snapshot), the timeouts due at the iteration's time in (deadline,
//      sequence) order, and the ready sources with their merged events;
//   2. that list is resolved to this loop's own handles before anything runs,
//      then run: callbacks, then timeouts, then handlers, each checked just
//      before its call, so that one cancelled, refreshed or removed by
//      anything earlier in the iteration is skipped;
//   3. the next wake-up is chosen (src/loop/wakeups.ts): a macrotask at once if
//      callbacks or ready sources remain, else one host timer for the
//      earliest deadline, else nothing.
//
// The core orders slots; what each slot stands for is kept in the JS slot
// tables (callback-table.ts, timeout-table.ts, handlers.ts). The options and
// the types the user sees are in loop-options.ts.

import { Core, loadCoreModule } from "../core.js";
import { hostScheduler, isReading, isSchedulingClock, systemClock, type Clock } from "../time/clock.js";
import { ERROR } from "../events.js";
import { LoopFailedError, TimeoutError } from "../errors.js";
import { HandlerTable, type HandlerEntry, type Handler } from "./handlers.js";
import { CallbackTable } from "./callback-table.js";
import { TimeoutTable } from "./timeout-table.js";
import { dropTimeout, Timeout, TimeoutState } from "./timeout.js";
import { WakeUps } from "./wakeups.js";
import {
  checkLoopOptions, type CloseReport, type ErrorContext, type ErrorKind, type IOLoopOptions, type LoopStats,
  type SlowCallbackContext,
} from "./options.js";
import {
  checkBoolean, checkEvents, checkFunction, checkOptions, checkSource, checkTime, describe, hasMethods, isThenable,
} from "../validate.js";

type AnyFunction = (...args: never[]) => unknown;

/** A built-in source learns which loop it reports to when it is added and,
 *  if it asks, what its handler wants: a condition with no platform event
 *  (a WebSocket's bufferedAmount falling) is polled only while wanted. */
interface LoopAware {
  attach(loop: IOLoop): void;
  detach(loop: IOLoop): void;
  interestChanged?(loop: IOLoop, events: number): void;
}

/** What a callback keeps of its extra arguments: nothing when there are none,
 *  so that calling it needs no spread. A rest parameter, not `arguments`:
 *  V8 builds the `arguments` object on every call that reads it (measured:
 *  17 bytes more per callLater without extra arguments, 62 with one). */
function extraArgs(args: unknown[]): unknown[] | undefined {
  return args.length > 0 ? args : undefined;
}

const RUNNING = 0, STOPPED = 1, CLOSED = 2, FAILED = 3;
type LoopState = typeof RUNNING | typeof STOPPED | typeof CLOSED | typeof FAILED;

export class IOLoop {
  private state: LoopState = STOPPED;
  private stopRequested = false;
  private resolveStart: (() => void) | undefined;
  private rejectStart: ((error: unknown) => void) | undefined;
  private failure: LoopFailedError | undefined;
  /** What the failure dropped, for the close() that follows it. */
  private droppedByFailure: CloseReport | undefined;
  private failureListeners = new Set<(error: LoopFailedError) => void>();

  private inIteration = false;
  private iterationNow = 0;
  private iterations = 0;
  private lastTime: number;

  private readonly wakeUps: WakeUps;

  // The JS half of the slot tables: the core orders slots, these hold what
  // each slot stands for.
  private readonly callbacks = new CallbackTable();
  private readonly timeouts = new TimeoutTable();
  private readonly handlers = new HandlerTable();

  // The current iteration's list, resolved to handles (reused, never shrunk).
  private dueFns: (AnyFunction | undefined)[] = [];
  private dueArgs: (unknown[] | undefined)[] = [];
  private dueTimeouts: (Timeout | undefined)[] = [];
  private dueHandlers: (HandlerEntry | undefined)[] = [];
  private dueEvents: number[] = [];
  private readonly handlerArgs: [unknown, number] = [undefined, 0];

  private readonly clock: Clock;
  private readonly onError: ((context: ErrorContext) => void) | undefined;
  private readonly slowCallbackMs: number | undefined;
  private readonly onSlowCallback: ((context: SlowCallbackContext) => void) | undefined;
  /** Counts timed invoke() calls, so that a call can tell a nested one ran. */
  private timedCalls = 0;

  /** Loads the core (once per runtime) and makes a loop. Nothing runs until
   *  start() or run(), and no host timer is touched until then. */
  static async create(options: IOLoopOptions = {}): Promise<IOLoop> {
    const startTime = checkLoopOptions(options);
    const core = await Core.instantiate(options.module ?? await loadCoreModule(), options.maxMemoryBytes);
    return new IOLoop(core, options, startTime);
  }

  private constructor(private readonly core: Core, options: IOLoopOptions, startTime: number) {
    this.lastTime = startTime;
    this.clock = options.clock ?? systemClock;
    this.wakeUps = new WakeUps(
      isSchedulingClock(this.clock) ? this.clock : hostScheduler, core, () => this.time(),
      () => this.woken(), (deadline) => this.hostTimerFired(deadline),
    );
    this.onError = options.onError;
    this.slowCallbackMs = options.slowCallbackMs;
    this.onSlowCallback = options.onSlowCallback;
  }

  // ---- time ---------------------------------------------------------------

  /** The loop's time in milliseconds: the clock's, but never going backwards,
   *  and never behind a host timer that has fired (on Workers the clock
   *  stands still while code runs; a timer firing proves the time passed). */
  time(): number {
    // A reading that is not a finite number (a broken clock) never reaches a
    // deadline or the core.
    const now = this.clock.now();
    if (now > this.lastTime && isReading(now)) this.lastTime = now;
    return this.lastTime;
  }

  /** The time new timeouts count from: inside an iteration, the time read at
   *  its start (as libuv and Node cache loop time); outside, the clock. */
  private scheduleTime(): number {
    return this.inIteration ? this.iterationNow : this.time();
  }

  // ---- callbacks and timeouts ---------------------------------------------

  /** Runs fn(...args) in the next iteration, after those already queued. */
  addCallback<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void;
  addCallback(fn: AnyFunction, ...args: unknown[]): void {
    this.checkOpen("addCallback");
    checkFunction("addCallback", "fn", fn);
    let slot: number;
    try { slot = this.core.addCallback(); } catch (error) { throw this.coreError(error); }
    this.callbacks.add(slot, fn, extraArgs(args));
    this.poke();
  }

  /** Runs fn(...args) once, delayMs from now (Tornado's call_later). A
   *  negative delay is a deadline in the past; Infinity never fires. */
  callLater<A extends unknown[]>(delayMs: number, fn: (...args: A) => unknown, ...args: A): Timeout;
  callLater(delayMs: number, fn: AnyFunction, ...args: unknown[]): Timeout {
    this.checkOpen("callLater");
    checkTime("callLater", "delayMs", delayMs);
    checkFunction("callLater", "fn", fn);
    return this.schedule(new Timeout(this, fn, extraArgs(args), this.scheduleTime() + delayMs, delayMs));
  }

  /** Runs fn(...args) once at deadlineMs on the loop's clock (Tornado's
   *  call_at). refresh() re-arms it with the delay it had when scheduled. */
  callAt<A extends unknown[]>(deadlineMs: number, fn: (...args: A) => unknown, ...args: A): Timeout;
  callAt(deadlineMs: number, fn: AnyFunction, ...args: unknown[]): Timeout {
    this.checkOpen("callAt");
    checkTime("callAt", "deadlineMs", deadlineMs);
    checkFunction("callAt", "fn", fn);
    return this.schedule(new Timeout(this, fn, extraArgs(args), deadlineMs, deadlineMs - this.scheduleTime()));
  }

  private schedule(timeout: Timeout): Timeout {
    try { timeout.id = this.core.schedule(timeout.deadline); } catch (error) { throw this.coreError(error); }
    timeout.state = TimeoutState.Pending;
    this.timeouts.add(timeout);
    this.poke(timeout.deadline);
    return timeout;
  }

  /** Cancels a timeout. False for one that fired, was cancelled, belongs to
   *  another loop, or is not a Timeout at all (null, undefined). */
  removeTimeout(timeout: Timeout | null | undefined): boolean {
    if (!(timeout instanceof Timeout) || !this.owns(timeout)) return false;
    if (timeout.state === TimeoutState.Pending) {
      this.core.cancel(timeout.id);
      this.timeouts.remove(timeout);
    } else if (timeout.state !== TimeoutState.Due) {
      return false;
    }
    dropTimeout(timeout);
    return true;
  }

  /** @internal Timeout.refresh(). */
  refreshTimeout(timeout: Timeout): void {
    if (timeout.state === TimeoutState.Cancelled) return;
    this.checkOpen("Timeout.refresh");
    timeout.deadline = this.scheduleTime() + timeout.delay;
    if (timeout.state === TimeoutState.Pending && this.core.move(timeout.id, timeout.deadline)) {
      this.poke(timeout.deadline);
      return;
    }
    this.schedule(timeout); // it was due or had fired: a new entry, same handle
  }

  private owns(timeout: Timeout): boolean {
    return timeout.loop === this;
  }

  // ---- handlers and readiness ---------------------------------------------

  /** Calls handler(source, events) in each iteration where the source is
   *  ready for any of `events` (ERROR is always delivered). */
  addHandler<S>(source: S, handler: Handler<S>, events: number): void {
    this.checkOpen("addHandler");
    checkSource("addHandler", source);
    checkFunction("addHandler", "handler", handler);
    checkEvents("addHandler", "events", events);
    if (this.handlers.get(source)) throw new Error("addHandler: this source already has a handler; use updateHandler");
    let slot: number;
    try { slot = this.core.addSource(events); } catch (error) { throw this.coreError(error); }
    const entry = this.handlers.add(source, handler as Handler<unknown>, events, slot);
    if (isLoopAware(source)) {
      try {
        source.attach(this);
      } catch (error) {
        this.removeEntry(entry);
        throw error;
      }
      source.interestChanged?.(this, events);
    }
  }

  /** Changes the events a source's handler wants. */
  updateHandler(source: unknown, events: number): void {
    this.checkOpen("updateHandler");
    checkEvents("updateHandler", "events", events);
    const entry = this.entryFor("updateHandler", source);
    entry.interest = events;
    this.core.setInterest(entry.slot, events);
    if (isLoopAware(source)) source.interestChanged?.(this, events);
    this.poke();
  }

  /** Removes a source's handler; false if it had none. A handler removed by
   *  something earlier in the same iteration is not called. */
  removeHandler(source: unknown): boolean {
    const entry = this.handlers.get(source);
    if (!entry) return false;
    this.removeEntry(entry);
    return true;
  }

  private removeEntry(entry: HandlerEntry): void {
    this.handlers.remove(entry);
    if (this.state !== CLOSED && this.state !== FAILED) this.core.removeSource(entry.slot);
    if (isLoopAware(entry.source)) entry.source.detach(this);
  }

  /** Reports that a source is ready for `events`, until clearReady. */
  setReady(source: unknown, events: number): void {
    this.checkOpen("setReady");
    checkEvents("setReady", "events", events);
    this.core.setReady(this.entryFor("setReady", source).slot, events);
    this.poke();
  }

  /** Reports that a source is no longer ready for `events`. */
  clearReady(source: unknown, events: number): void {
    this.checkOpen("clearReady");
    checkEvents("clearReady", "events", events);
    this.core.clearReady(this.entryFor("clearReady", source).slot, events);
  }

  private entryFor(where: string, source: unknown): HandlerEntry {
    const entry = this.handlers.get(source);
    if (!entry) throw new Error(`${where}: no handler is registered for source ${describe(source)}`);
    return entry;
  }

  // ---- running ------------------------------------------------------------

  /** Runs the loop until stop(); the promise settles then. After a stop()
   *  that came before start(), runs one iteration without waiting. */
  start(): Promise<void> {
    this.checkOpen("start");
    if (this.state === RUNNING) throw new Error("start: the loop is already running");
    this.state = RUNNING;
    const stopped = new Promise<void>((resolve, reject) => {
      this.resolveStart = resolve;
      this.rejectStart = reject;
    });
    this.wakeUps.queueWake();
    return stopped;
  }

  /** Stops the loop after the iteration that is running, if any. Before
   *  start(), makes the next start() run one iteration and return. */
  stop(): void {
    if (this.state === STOPPED) this.stopRequested = true;
    if (this.state !== RUNNING) return;
    this.stopRequested = true;
    if (!this.inIteration) this.finishStop();
  }

  /** Tornado's run_sync: starts the loop, runs fn in it, stops when fn's
   *  result settles, and settles the same way; with timeoutMs, rejects with
   *  TimeoutError if fn has not settled by then. A stop() before run() is
   *  forgotten. */
  run<T>(fn: () => T | PromiseLike<T>, options: { timeoutMs?: number } = {}): Promise<Awaited<T>> {
    this.checkOpen("run");
    checkFunction("run", "fn", fn);
    checkOptions("run", options);
    const { timeoutMs } = options;
    if (timeoutMs !== undefined) checkTime("run", "timeoutMs", timeoutMs);
    if (this.state === RUNNING) throw new Error("run: the loop is already running");
    // run() runs until fn settles, as run_sync does: a stop() that came
    // before it would end it after one pass, so it is forgotten.
    this.stopRequested = false;

    let outcome: { ok: true; value: Awaited<T> } | { ok: false; error: unknown } | undefined;
    const settle = (result: typeof outcome): void => {
      if (outcome) return;
      outcome = result;
      timer?.cancel();
      this.stop();
    };
    const timer = timeoutMs === undefined ? undefined : this.callLater(timeoutMs, () => {
      settle({ ok: false, error: new TimeoutError(`run: fn did not settle within ${timeoutMs} ms`) });
    });
    this.addCallback(() => {
      let result: T | PromiseLike<T>;
      try {
        result = fn();
      } catch (error) {
        settle({ ok: false, error });
        return;
      }
      // A plain value settles now, so that a due timeoutMs timer later in
      // this iteration cannot beat a fn that has already returned.
      if (!isThenable(result)) return settle({ ok: true, value: result as Awaited<T> });
      result.then(
        (value) => settle({ ok: true, value: value as Awaited<T> }),
        (error: unknown) => settle({ ok: false, error }),
      );
    });
    return this.start().then(() => {
      if (!outcome) throw new Error("run: the loop was stopped before fn settled");
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    });
  }

  /** Drops everything pending (nothing of it ever runs) and releases the
   *  core. Throws while running; a second call does nothing. With
   *  closeSources, closes every source that has a close() method. */
  close(options: { closeSources?: boolean } = {}): CloseReport {
    checkOptions("close", options);
    if (options.closeSources !== undefined) checkBoolean("close", "closeSources", options.closeSources);
    if (this.state === RUNNING) throw new Error("close: the loop is running; stop() it first");
    if (this.state === CLOSED) return { callbacks: 0, timeouts: 0, handlers: 0 };
    const report = this.droppedByFailure ?? this.pending();
    if (this.state !== FAILED) this.core.reset();
    this.state = CLOSED;
    this.dropEverything(options.closeSources === true);
    return report;
  }

  /** Counts what is pending: what close() or a failure drops. */
  private pending(): CloseReport {
    return {
      callbacks: this.callbacks.count(),
      timeouts: this.timeouts.count(),
      handlers: this.handlers.size,
    };
  }

  /** True once close() has been called. */
  get closed(): boolean { return this.state === CLOSED; }

  /** True while the loop is between start() and its stop. */
  get running(): boolean { return this.state === RUNNING; }

  /** The cause, if the core trapped and the loop has failed. */
  get failed(): LoopFailedError | undefined { return this.failure; }

  stats(): LoopStats {
    const usable = this.state !== FAILED;
    return {
      pendingTimeouts: usable ? this.core.pendingTimers() : 0,
      queuedCallbacks: usable ? this.core.queuedCallbacks() : 0,
      handlers: this.handlers.size,
      readySources: usable ? this.core.readySources() : 0,
      hostTimers: this.wakeUps.hostTimers,
      iterations: this.iterations,
      wasmMemoryBytes: this.core.memoryBytes,
      hostSlots: this.callbacks.slotCount + this.timeouts.slotCount + this.handlers.slotCount,
    };
  }

  /** Throws if the core's internal invariants or the slot tables disagree:
   *  for tests, after every step. */
  checkInvariants(): void {
    if (this.state === FAILED || this.state === CLOSED) return;
    const code = this.core.checkInvariants();
    if (code !== 0) throw new Error(`wasm-ioloop: core invariant ${code} violated`);
    const pending = this.timeouts.count();
    if (pending !== this.core.pendingTimers()) {
      throw new Error(`wasm-ioloop: ${pending} timeout handles for ${this.core.pendingTimers()} pending timers`);
    }
    const queued = this.callbacks.count();
    if (queued !== this.core.queuedCallbacks()) {
      throw new Error(`wasm-ioloop: ${queued} callback functions for ${this.core.queuedCallbacks()} queued callbacks`);
    }
  }

  /** @internal Streams reject their pending promises when the loop fails. */
  onFailure(listener: (error: LoopFailedError) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  // ---- wake-ups: src/loop/wakeups.ts chooses when, these run what is due ------

  /** Chooses the next wake-up after something was scheduled from outside an
   *  iteration (inside one, iterate() arms once at its end); a timeout passes
   *  its deadline (see WakeUps.poke). */
  private poke(deadline?: number): void {
    if (this.state === RUNNING && !this.inIteration) this.wakeUps.poke(deadline);
  }

  /** The macrotask wake ran. */
  private woken(): void {
    if (this.state === RUNNING) this.iterate();
  }

  /** The host timer fired: the deadline it was armed for has passed, so the
   *  loop's time moves to at least that, whatever the clock says. */
  private hostTimerFired(deadline: number): void {
    if (deadline > this.lastTime) this.lastTime = deadline;
    if (this.state === RUNNING) this.iterate();
  }

  // ---- the iteration ------------------------------------------------------

  private iterate(): void {
    try {
      this.runIteration();
    } catch (error) {
      if (this.core.failure) return this.fail(this.core.failure);
      throw error;
    }
    if (this.core.failure) return this.fail(this.core.failure);
    if (this.stopRequested) return this.finishStop();
    this.wakeUps.arm();
  }

  private runIteration(): void {
    const now = this.time();
    this.iterationNow = now;
    this.iterations++;
    this.core.runIteration(now);
    const list = this.core.list;
    const callbackCount = list[0], timeoutCount = list[1], sourceCount = list[2];
    let w = 3;

    // Resolve the list to handles first: slots in it are already free in the
    // core, and anything run below may reuse them.
    for (let i = 0; i < callbackCount; i++) {
      const slot = list[w++];
      this.dueFns[i] = this.callbacks.fnAt(slot);
      this.dueArgs[i] = this.callbacks.argsAt(slot);
      this.callbacks.release(slot);
    }
    for (let i = 0; i < timeoutCount; i++) {
      const timeout = this.timeouts.take(list[w++]);
      timeout.state = TimeoutState.Due;
      this.dueTimeouts[i] = timeout;
    }
    for (let i = 0; i < sourceCount; i++) {
      this.dueHandlers[i] = this.handlers.atSlot(list[w++]);
      this.dueEvents[i] = list[w++];
    }

    this.inIteration = true;
    try {
      // Once the loop has failed (a call from user code made the core
      // trap), nothing more of the list runs: it is counted as dropped.
      for (let i = 0; i < callbackCount; i++) {
        const fn = this.dueFns[i]!, args = this.dueArgs[i];
        this.dueFns[i] = undefined;
        this.dueArgs[i] = undefined;
        if (this.droppedByFailure) this.droppedByFailure.callbacks++;
        else this.invoke("callback", fn, args);
      }
      for (let i = 0; i < timeoutCount; i++) {
        const timeout = this.dueTimeouts[i]!;
        this.dueTimeouts[i] = undefined;
        if (timeout.state !== TimeoutState.Due) continue; // cancelled or refreshed earlier
        if (this.droppedByFailure) {
          this.droppedByFailure.timeouts++;
          dropTimeout(timeout);
          continue;
        }
        timeout.state = TimeoutState.Fired;
        this.invoke("timeout", timeout.fn!, timeout.args);
      }
      for (let i = 0; i < sourceCount; i++) {
        const entry = this.dueHandlers[i];
        this.dueHandlers[i] = undefined;
        if (!entry || !entry.live) continue; // removed earlier in this iteration
        const events = this.dueEvents[i] & (entry.interest | ERROR);
        if (events === 0) continue; // interest narrowed earlier in this iteration
        this.handlerArgs[0] = entry.source;
        this.handlerArgs[1] = events;
        this.invoke("handler", entry.handler as AnyFunction, this.handlerArgs);
      }
    } finally {
      this.inIteration = false;
      this.handlerArgs[0] = undefined;
    }
  }

  /** @internal The one place user code is called. A throw or a rejected
   *  promise goes to onError and the loop goes on; returns fn's result. */
  invoke(kind: ErrorKind, fn: AnyFunction, args: unknown[] | undefined): unknown {
    const timed = this.slowCallbackMs !== undefined;
    const started = timed ? this.clock.now() : 0;
    const call = timed ? ++this.timedCalls : 0;
    let result: unknown;
    try {
      result = args === undefined ? fn() : (fn as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      this.report(error, kind, fn);
    }
    // A wrapper whose user code ran through a nested invoke (PeriodicCallback's
    // tick) is not reported slow: the user's function already was.
    if (timed && call === this.timedCalls) {
      const durationMs = this.clock.now() - started;
      if (durationMs > this.slowCallbackMs!) this.reportSlow(kind, fn, durationMs);
    }
    if (isThenable(result)) result.then(undefined, (error: unknown) => this.report(error, kind, fn));
    return result;
  }

  private report(error: unknown, kind: ErrorKind, fn: Function): void {
    if (!this.onError) {
      console.error(`wasm-ioloop: ${kind} ${fn.name || "(anonymous)"} failed:`, error);
      return;
    }
    try {
      this.onError({ error, kind, fn });
    } catch (secondary) {
      console.error("wasm-ioloop: onError threw while reporting", error, secondary);
    }
  }

  private reportSlow(kind: ErrorKind, fn: Function, durationMs: number): void {
    if (!this.onSlowCallback) {
      console.warn(`wasm-ioloop: ${kind} ${fn.name || "(anonymous)"} ran ${durationMs.toFixed(1)} ms (slowCallbackMs is ${this.slowCallbackMs})`);
      return;
    }
    try {
      this.onSlowCallback({ kind, fn, durationMs });
    } catch (secondary) {
      console.error("wasm-ioloop: onSlowCallback threw", secondary);
    }
  }

  // ---- state changes ------------------------------------------------------

  private finishStop(): void {
    this.stopRequested = false;
    this.state = STOPPED;
    this.wakeUps.disarm();
    const resolve = this.resolveStart;
    this.resolveStart = this.rejectStart = undefined;
    resolve?.();
  }

  private fail(cause: unknown): void {
    if (this.state === FAILED) return;
    const wasRunning = this.state === RUNNING;
    this.failure = new LoopFailedError(cause);
    this.droppedByFailure = this.pending();
    this.state = FAILED;
    this.wakeUps.disarm();
    this.dropEverything(false);
    const reject = this.rejectStart;
    this.resolveStart = this.rejectStart = undefined;
    if (wasRunning) reject?.(this.failure);
    for (const listener of this.failureListeners) listener(this.failure);
    this.failureListeners.clear();
  }

  private dropEverything(closeSources: boolean): void {
    this.wakeUps.disarm();
    this.timeouts.dropAll();
    this.callbacks.removeAll();
    for (const entry of this.handlers.removeAll()) {
      if (isLoopAware(entry.source)) entry.source.detach(this);
      const source = entry.source as { close?: () => void } | null;
      if (closeSources && source !== null && typeof source === "object" && typeof source.close === "function") {
        source.close();
      }
    }
  }

  /** What to throw for an error from a core call: if the core trapped, the
   *  loop fails and the caller gets the LoopFailedError. */
  private coreError(error: unknown): unknown {
    if (!this.core.failure) return error;
    this.fail(this.core.failure);
    return this.failure;
  }

  private checkOpen(where: string): void {
    if (this.state === CLOSED) throw new Error(`${where}: the loop is closed`);
    if (this.state === FAILED) throw this.failure!;
  }
}


function isLoopAware(source: unknown): source is LoopAware {
  return hasMethods(source, "attach", "detach");
}
