// The event loop: the public API and its state machine. User code is called
// only by the dispatch (dispatch.ts).
//
// One iteration (iterate):
//   1. the core decides everything that will run: the callbacks queued so far
//      (a snapshot), the timeouts due at the iteration's time in (deadline,
//      sequence) order, and the ready sources with their merged events;
//   2. the dispatch runs that list where the core wrote it: callbacks, then
//      timeouts, then handlers, each checked just before its call, so that
//      one cancelled, refreshed or removed by anything earlier in the
//      iteration is skipped. With sliceMs, the list may be run in slices,
//      yielding to the host in between; nothing new is decided until it ends;
//   3. the next wake-up is chosen (wakeups.ts): a macrotask at once if
//      callbacks or ready sources remain, else one host timer for the
//      earliest deadline, else nothing.
//
// A timer is a number: the core's id (see assembly/timers.ts), valid in this
// loop only. The host keeps, by the id's slot, only the function to call.

import { Core, loadCoreModule } from "../core.js";
import { hostScheduler, isSchedulingClock, systemClock, type Clock } from "../time/clock.js";
import { LoopFailedError, TimeoutError } from "../errors.js";
import { callOf, type AnyFunction } from "./call-table.js";
import { Dispatch, whenSettled } from "./dispatch.js";
import type { HandlerEntry, Handler } from "./handlers.js";
import { sourceHooks, type SourceHooks } from "./source-hooks.js";
import { WakeUps } from "./wakeups.js";
import {
  checkLoopOptions, defaultSliceMs, type CloseReport, type ErrorKind, type IOLoopOptions, type LoopStats,
} from "./options.js";
import { checkBoolean, checkEvents, checkFunction, checkOptions, checkSource, checkTime, describe, reasonOf } from "../validate.js";

declare const timeoutBrand: unique symbol;
/** A scheduled timeout: a number, as setTimeout returns one, valid in the
 *  loop that returned it. */
export type Timeout = number & { readonly [timeoutBrand]: "Timeout" };

const RUNNING = 0, STOPPED = 1, CLOSED = 2, FAILED = 3;
type LoopState = typeof RUNNING | typeof STOPPED | typeof CLOSED | typeof FAILED;

export class IOLoop {
  readonly #core: Core;
  #state: LoopState = STOPPED;
  #stopRequested = false;
  #resolveStart: (() => void) | undefined;
  #rejectStart: ((error: unknown) => void) | undefined;
  #failure: LoopFailedError | undefined;
  /** What the failure dropped, for the close() that follows it. */
  #droppedByFailure: CloseReport | undefined;
  #failureListeners = new Set<(error: LoopFailedError) => void>();

  /** True while a slice of the list runs (user code may be on the stack). */
  #inIteration = false;
  #iterationNow = 0;
  #iterationCount = 0;
  #lastTime: number;

  readonly #wakeUps: WakeUps;
  readonly #dispatch: Dispatch;

  /** Loads the core (once per runtime) and makes a loop. Nothing runs until
   *  start() or run(), and no host timer is touched until then. */
  static async create(options: IOLoopOptions = {}): Promise<IOLoop> {
    const startTime = checkLoopOptions(options);
    const core = await Core.acquire(options.module ?? await loadCoreModule(), options.maxMemoryBytes);
    const loop = new IOLoop(core, options, startTime);
    core.watch(loop);
    return loop;
  }

  private constructor(core: Core, options: IOLoopOptions, startTime: number) {
    this.#core = core;
    this.#lastTime = startTime;
    const clock: Clock = options.clock ?? systemClock;
    this.#dispatch = new Dispatch(core, {
      clock,
      onError: options.onError,
      slowCallbackMs: options.slowCallbackMs,
      onSlowCallback: options.onSlowCallback,
      sliceMs: options.sliceMs ?? defaultSliceMs(),
    });
    this.#wakeUps = new WakeUps(
      isSchedulingClock(clock) ? clock : hostScheduler, core, () => this.time(),
      () => this.#woken(), (deadline) => this.#hostTimerFired(deadline),
      (error, method) => this.#dispatch.report(error, "clock", method),
    );
  }

  // ---- time ---------------------------------------------------------------

  /** The loop's time in milliseconds: the clock's, but never going backwards,
   *  and never behind a host timer that has fired (on Workers the clock
   *  stands still while code runs; a timer firing proves the time passed).
   *  A clock that throws is reported and the time stands still. */
  time(): number {
    const now = this.#dispatch.readClock();
    if (now !== undefined && now > this.#lastTime) this.#lastTime = now;
    return this.#lastTime;
  }

  /** The time new timeouts count from: inside an iteration, the time read at
   *  its start (as libuv and Node cache loop time); outside, the clock. */
  #scheduleTime(): number {
    return this.#inIteration ? this.#iterationNow : this.time();
  }

  // ---- callbacks and timeouts ---------------------------------------------

  /** Runs fn(...args) in the next iteration, after those already queued. */
  addCallback<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void;
  addCallback(fn: AnyFunction, ...args: unknown[]): void {
    this.#checkOpen("addCallback");
    checkFunction("addCallback", "fn", fn);
    let slot: number;
    try { slot = this.#core.queueCallback(); } catch (error) { throw this.#coreError(error); }
    this.#dispatch.callbackTable.set(slot, callOf(fn, args));
    this.#poke();
  }

  /** Runs fn(...args) once, delayMs from now (Tornado's call_later). A
   *  negative delay is a deadline in the past; Infinity never fires. */
  callLater<A extends unknown[]>(delayMs: number, fn: (...args: A) => unknown, ...args: A): Timeout;
  callLater(delayMs: number, fn: AnyFunction, ...args: unknown[]): Timeout {
    this.#checkOpen("callLater");
    checkTime("callLater", "delayMs", delayMs);
    checkFunction("callLater", "fn", fn);
    return this.#schedule("callLater", this.#scheduleTime() + delayMs, delayMs, fn, args);
  }

  /** Runs fn(...args) once at deadlineMs on the loop's clock (Tornado's
   *  call_at). refreshTimeout re-arms it with deadlineMs minus the time it
   *  was scheduled at. */
  callAt<A extends unknown[]>(deadlineMs: number, fn: (...args: A) => unknown, ...args: A): Timeout;
  callAt(deadlineMs: number, fn: AnyFunction, ...args: unknown[]): Timeout {
    this.#checkOpen("callAt");
    checkTime("callAt", "deadlineMs", deadlineMs);
    checkFunction("callAt", "fn", fn);
    return this.#schedule("callAt", deadlineMs, deadlineMs - this.#scheduleTime(), fn, args);
  }

  #schedule(where: string, deadline: number, delay: number, fn: AnyFunction, args: unknown[]): Timeout {
    let id: number;
    try { id = this.#core.schedule(where, deadline, delay); } catch (error) { throw this.#coreError(error); }
    this.#dispatch.timeoutTable.set(this.#core.slotOf(id), callOf(fn, args));
    this.#poke(deadline);
    return id as Timeout;
  }

  /** Cancels a timeout; true only if it was pending. Any other value (a
   *  spent id, another loop's, any number, null) is refused: false. */
  removeTimeout(id: Timeout | null | undefined): boolean {
    if (typeof id !== "number" || !this.#usable()) return false;
    if (!this.#core.cancelTimer(id)) return false;
    this.#dispatch.timeoutTable.take(this.#core.slotOf(id));
    return true;
  }

  /** Re-arms a pending timeout in place, for now plus the delay it was
   *  scheduled with, keeping its id: the idle-timeout pattern, with no new
   *  entry. Also from inside the timeout's own call, which makes it run
   *  again. False once the id is spent (the call returned, or it was
   *  cancelled) or was never this loop's. */
  refreshTimeout(id: Timeout | null | undefined): boolean {
    if (typeof id !== "number" || !this.#usable()) return false;
    const deadline = this.#core.refreshTimer(id, this.#scheduleTime());
    if (Number.isNaN(deadline)) return false;
    if (this.#dispatch.firingSlot >= 0) this.#dispatch.refreshed(this.#core.slotOf(id));
    this.#poke(deadline);
    return true;
  }

  /** A pending timeout's deadline on the loop's clock; undefined for an id
   *  that is not pending in this loop. */
  deadlineOf(id: Timeout | null | undefined): number | undefined {
    if (typeof id !== "number" || !this.#usable()) return undefined;
    const deadline = this.#core.deadline(id);
    return Number.isNaN(deadline) ? undefined : deadline;
  }

  // ---- handlers and readiness ---------------------------------------------

  /** Calls handler(source, events) in each iteration where the source is
   *  ready for any of `events` (ERROR is always delivered). */
  addHandler<S>(source: S, handler: Handler<S>, events: number): void {
    this.#checkOpen("addHandler");
    checkSource("addHandler", source);
    checkFunction("addHandler", "handler", handler);
    checkEvents("addHandler", "events", events);
    const handlers = this.#dispatch.handlerTable;
    if (handlers.get(source)) throw new Error("addHandler: this source already has a handler; use updateHandler");
    let slot: number;
    try { slot = this.#core.addSource(events); } catch (error) { throw this.#coreError(error); }
    const entry = handlers.add(source, handler as Handler<unknown>, events, slot);
    const hooks = this.#hooksOf(source);
    if (hooks === undefined) return;
    let attach: unknown, attached: unknown;
    try {
      attach = hooks.attach;
      attached = (attach as SourceHooks["attach"]).call(hooks, this);
    } catch (error) {
      // Refused (whatever was thrown, undefined included): nothing of the
      // source stays, neither its entry nor the core's slot. The error is
      // addHandler's, the call the user made, with the hook's reason; a
      // loop that failed meanwhile (the hook's setReady met a core trap)
      // throws its failure, as every call does.
      this.#removeEntry(entry);
      throw this.#failure ?? new Error(`addHandler: ${reasonOf(error)}`, { cause: error });
    }
    // An async attach cannot refuse the source any more: its rejection is reported.
    this.#dispatch.settle("source", attach, attached);
    this.#dispatch.touch("source", hooks, "interestChanged", this, events);
  }

  /** Changes the events a source's handler wants. */
  updateHandler(source: unknown, events: number): void {
    this.#checkOpen("updateHandler");
    checkEvents("updateHandler", "events", events);
    const entry = this.#entryFor("updateHandler", source);
    entry.interest = events;
    this.#core.setInterest(entry.slot, events);
    const hooks = this.#hooksOf(source);
    if (hooks !== undefined) this.#dispatch.touch("source", hooks, "interestChanged", this, events);
    this.#poke();
  }

  /** Removes a source's handler; false if it had none. A handler removed by
   *  something earlier in the same iteration is not called. */
  removeHandler(source: unknown): boolean {
    const entry = this.#dispatch.handlerTable.get(source);
    if (!entry) return false;
    this.#removeEntry(entry);
    return true;
  }

  #removeEntry(entry: HandlerEntry): void {
    this.#dispatch.handlerTable.remove(entry);
    if (this.#usable()) this.#core.removeSource(entry.slot);
    const hooks = this.#hooksOf(entry.source);
    if (hooks !== undefined) this.#dispatch.touch("source", hooks, "detach", this);
  }

  /** A source's hooks, if it has them (read through the guard: a source may
   *  be any object, a revoked Proxy included). */
  #hooksOf(source: unknown): SourceHooks | undefined {
    if (source === null || (typeof source !== "object" && typeof source !== "function")) return undefined;
    let hooks: unknown;
    try { hooks = (source as { [sourceHooks]?: unknown })[sourceHooks]; } catch { return undefined; }
    return hooks !== null && typeof hooks === "object" ? hooks as SourceHooks : undefined;
  }

  /** Reports that a source is ready for `events`, until clearReady. */
  setReady(source: unknown, events: number): void {
    this.#checkOpen("setReady");
    checkEvents("setReady", "events", events);
    this.#core.setReady(this.#entryFor("setReady", source).slot, events);
    this.#poke();
  }

  /** Reports that a source is no longer ready for `events`. */
  clearReady(source: unknown, events: number): void {
    this.#checkOpen("clearReady");
    checkEvents("clearReady", "events", events);
    this.#core.clearReady(this.#entryFor("clearReady", source).slot, events);
  }

  #entryFor(where: string, source: unknown): HandlerEntry {
    const entry = this.#dispatch.handlerTable.get(source);
    if (!entry) throw new Error(`${where}: no handler is registered for source ${describe(source)}`);
    return entry;
  }

  // ---- running ------------------------------------------------------------

  /** Runs the loop until stop(); the promise settles then. After a stop()
   *  that came before start(), runs one iteration without waiting. */
  start(): Promise<void> {
    this.#checkOpen("start");
    if (this.#state === RUNNING) throw new Error("start: the loop is already running");
    this.#state = RUNNING;
    const stopped = new Promise<void>((resolve, reject) => {
      this.#resolveStart = resolve;
      this.#rejectStart = reject;
    });
    this.#wakeUps.queueWake();
    return stopped;
  }

  /** Stops the loop after the iteration that is running, if any. Before
   *  start(), makes the next start() run one iteration and return. */
  stop(): void {
    if (this.#state === STOPPED) this.#stopRequested = true;
    if (this.#state !== RUNNING) return;
    this.#stopRequested = true;
    if (!this.#inIteration && !this.#dispatch.listOpen) this.#finishStop();
  }

  /** Tornado's run_sync: starts the loop, runs fn in it, stops when fn's
   *  result settles, and settles the same way; with timeoutMs, rejects with
   *  TimeoutError if fn has not settled by then. A stop() before run() is
   *  forgotten. */
  run<T>(fn: () => T | PromiseLike<T>, options: { timeoutMs?: number } = {}): Promise<Awaited<T>> {
    this.#checkOpen("run");
    checkFunction("run", "fn", fn);
    checkOptions<typeof options>("run", options, { timeoutMs: true });
    const { timeoutMs } = options;
    if (timeoutMs !== undefined) checkTime("run", "timeoutMs", timeoutMs);
    if (this.#state === RUNNING) throw new Error("run: the loop is already running");
    // run() runs until fn settles, as run_sync does: a stop() that came
    // before it would end it after one pass, so it is forgotten.
    this.#stopRequested = false;

    let outcome: { ok: true; value: Awaited<T> } | { ok: false; error: unknown } | undefined;
    const settle = (result: typeof outcome): void => {
      if (outcome) return;
      outcome = result;
      if (timer !== undefined) this.removeTimeout(timer);
      this.stop();
    };
    const timer = timeoutMs === undefined ? undefined : this.callLater(timeoutMs, () => {
      settle({ ok: false, error: new TimeoutError(`run: fn did not settle within ${timeoutMs} ms`) });
    });
    this.addCallback(() => {
      let result: unknown;
      try {
        result = fn();
      } catch (error) {
        settle({ ok: false, error });
        return;
      }
      // A plain value settles now, so that a due timeoutMs timer later in
      // this iteration cannot beat a fn that has already returned; a
      // thenable settles run() however it behaves (a `then` that throws
      // rejects it).
      whenSettled(result,
        (value) => settle({ ok: true, value: value as Awaited<T> }),
        (error) => settle({ ok: false, error }));
    });
    return this.start().then(() => {
      if (!outcome) throw new Error("run: the loop was stopped before fn settled");
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    });
  }

  /** Drops everything pending (nothing of it ever runs) and gives the core
   *  back. Throws while running; a second call does nothing. With
   *  closeSources, closes every source that has a close() method: one that
   *  throws is reported, and the others are still closed. */
  close(options: { closeSources?: boolean } = {}): CloseReport {
    checkOptions<typeof options>("close", options, { closeSources: true });
    if (options.closeSources !== undefined) checkBoolean("close", "closeSources", options.closeSources);
    if (this.#state === RUNNING) throw new Error("close: the loop is running; stop() it first");
    if (this.#state === CLOSED) return { callbacks: 0, timeouts: 0, handlers: 0 };
    const report = this.#droppedByFailure ?? this.#pending();
    this.#state = CLOSED;
    this.#dropEverything(options.closeSources === true);
    this.#core.release();
    return report;
  }

  /** Counts what is pending: what close() or a failure drops. */
  #pending(): CloseReport {
    return {
      callbacks: this.#dispatch.callbackTable.count(),
      timeouts: this.#dispatch.timeoutTable.count(),
      handlers: this.#dispatch.handlerTable.size,
    };
  }

  /** True once close() has been called. */
  get closed(): boolean { return this.#state === CLOSED; }

  /** True while the loop is between start() and its stop. */
  get running(): boolean { return this.#state === RUNNING; }

  /** The cause, if the core trapped and the loop has failed. */
  get failed(): LoopFailedError | undefined { return this.#failure; }

  stats(): LoopStats {
    const usable = this.#usable();
    const dispatch = this.#dispatch;
    return {
      pendingTimeouts: usable ? this.#core.timerCount() : 0,
      queuedCallbacks: usable ? this.#core.callbackQueueLength() : 0,
      handlers: dispatch.handlerTable.size,
      readySources: usable ? this.#core.readySourceCount() : 0,
      hostTimers: this.#wakeUps.hostTimers,
      iterations: this.#iterationCount,
      slices: dispatch.sliceCount,
      wasmMemoryBytes: this.#core.memoryBytes,
      hostSlots: dispatch.callbackTable.slotCount + dispatch.timeoutTable.slotCount + dispatch.handlerTable.slotCount,
    };
  }

  /** Throws if the slot tables and the core disagree, or (with the debug
   *  core, which a clone of the repository builds as build/core.debug.wasm,
   *  passed as `module`) if any of the core's own invariants is broken: a
   *  diagnostic, which the tests call after every step. */
  checkInvariants(): void {
    if (!this.#usable()) return;
    const code = this.#core.invariantCode();
    if (code !== undefined && code !== 0) throw new Error(`wasm-ioloop: core invariant ${code} violated`);
    // Outside an iteration, every timeout function held is a pending timer's.
    if (this.#dispatch.listOpen || this.#inIteration) return;
    const timeouts = this.#dispatch.timeoutTable.count(), callbacks = this.#dispatch.callbackTable.count();
    if (timeouts !== this.#core.timerCount() || callbacks !== this.#core.callbackQueueLength()) {
      throw new Error(`wasm-ioloop: host and core differ: ${timeouts}/${this.#core.timerCount()} timeouts, ${callbacks}/${this.#core.callbackQueueLength()} callbacks`);
    }
  }

  /** @internal Streams reject their pending promises when the loop fails. */
  onFailure(listener: (error: LoopFailedError) => void): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  /** @internal Calls target.close() if it has one (for close({ closeSources:
   *  true }), and for a stream closing what it owns; none for undefined): a
   *  throw is reported (kind "source") and never stops the caller from
   *  finishing. */
  closeSource(target: unknown): void {
    if (target != null) this.#dispatch.touch("source", target, "close");
  }

  /** @internal The one guarded call of user code, for PeriodicCallback. */
  invoke(kind: ErrorKind, fn: AnyFunction, after?: () => void): void {
    this.#dispatch.invoke(kind, fn, undefined, after);
  }

  // ---- wake-ups: wakeups.ts chooses when, these run what is due -----------

  /** Chooses the next wake-up after something was scheduled from outside an
   *  iteration (inside one, or while a sliced list is open, the list's end
   *  arms once); a timeout passes its deadline (see WakeUps.poke). */
  #poke(deadline?: number): void {
    if (this.#state === RUNNING && !this.#inIteration && !this.#dispatch.listOpen) this.#wakeUps.poke(deadline);
  }

  /** The macrotask wake ran. */
  #woken(): void {
    if (this.#state === RUNNING) this.#iterate();
  }

  /** The host timer fired: the deadline it was armed for has passed, so the
   *  loop's time moves to at least that, whatever the clock says. */
  #hostTimerFired(deadline: number): void {
    if (deadline > this.#lastTime) this.#lastTime = deadline;
    if (this.#state === RUNNING) this.#iterate();
  }

  // ---- the iteration ------------------------------------------------------

  /** Decides a list (unless a sliced one is still open) and runs it, or its
   *  next slice; then stops, or arms the next wake-up. A sliced loop may
   *  decide a list in steps, a task each, before it runs any of it. */
  #iterate(): void {
    const dispatch = this.#dispatch;
    this.#iterationNow = this.time();
    try {
      if (!dispatch.listOpen) this.#iterationCount++;
      if ((!dispatch.listOpen || dispatch.deciding) && !dispatch.decide(this.#iterationNow)) {
        return this.#wakeUps.queueSlice(); // the next step in a task of its own
      }
      this.#inIteration = true;
      const done = dispatch.runSlice();
      this.#inIteration = false;
      if (this.#core.failure) return this.#fail(this.#core.failure);
      if (!done) return this.#wakeUps.queueSlice();
    } catch (error) {
      // Only the core can throw here (user code is called under guard): a
      // trap fails the loop; anything else is a bug, reported, and the loop
      // goes on with the rest of the list at the next wake-up.
      this.#inIteration = false;
      if (this.#core.failure) return this.#fail(this.#core.failure);
      this.#dispatch.report(error, "callback", this.#iterate);
    }
    if (this.#stopRequested) return this.#finishStop();
    if (dispatch.listOpen) return this.#wakeUps.queueSlice();
    this.#wakeUps.arm();
  }

  // ---- state changes ------------------------------------------------------

  #finishStop(): void {
    this.#stopRequested = false;
    this.#state = STOPPED;
    this.#wakeUps.disarm();
    const resolve = this.#resolveStart;
    this.#resolveStart = this.#rejectStart = undefined;
    resolve?.();
  }

  #fail(cause: unknown): void {
    if (this.#state === FAILED) return;
    const wasRunning = this.#state === RUNNING;
    this.#failure = new LoopFailedError(cause);
    this.#droppedByFailure = this.#pending();
    this.#state = FAILED;
    this.#dropEverything(false);
    this.#core.release();
    const reject = this.#rejectStart;
    this.#resolveStart = this.#rejectStart = undefined;
    if (wasRunning) reject?.(this.#failure);
    for (const listener of this.#failureListeners) {
      try { listener(this.#failure); } catch (error) { this.#dispatch.report(error, "callback", listener); }
    }
    this.#failureListeners.clear();
  }

  /** Forgets every entry, detaches every source (and closes it, if asked),
   *  whatever any of them throws: each failure is reported, none stops the
   *  others. */
  #dropEverything(closeSources: boolean): void {
    const dispatch = this.#dispatch;
    this.#wakeUps.disarm();
    dispatch.abandon();
    dispatch.timeoutTable.clear();
    dispatch.callbackTable.clear();
    for (const entry of dispatch.handlerTable.removeAll()) {
      const hooks = this.#hooksOf(entry.source);
      if (hooks !== undefined) dispatch.touch("source", hooks, "detach", this);
      if (closeSources) this.closeSource(entry.source);
    }
  }

  /** What to throw for an error from a core call: if the core trapped, the
   *  loop fails and the caller gets the LoopFailedError. */
  #coreError(error: unknown): unknown {
    if (!this.#core.failure) return error;
    this.#fail(this.#core.failure);
    return this.#failure;
  }

  /** True while the core is this loop's to call. */
  #usable(): boolean {
    return this.#state === RUNNING || this.#state === STOPPED;
  }

  #checkOpen(where: string): void {
    if (this.#state === CLOSED) throw new Error(`${where}: the loop is closed`);
    if (this.#state === FAILED) throw this.#failure!;
  }
}
