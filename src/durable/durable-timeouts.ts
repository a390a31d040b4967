// DurableTimeouts: timeouts that outlive the Durable Object's instance.
//
// Functions cannot be stored, so tasks are registered by name when the
// object is constructed, and a durable timeout is a row (timeout-rows.ts)
// naming its task, with a JSON payload. The loop keeps the order: each row
// has one in-memory timeout on the loop (its "mirror", made with callAt),
// and the loop, created with an AlarmClock, keeps the object's one alarm at
// its earliest deadline. When the object starts again, the constructor loads
// every row back into the loop in (deadline, seq) order, so equal deadlines
// fire in the order they were armed, across restarts too.
//
// Invariants:
//   - every row of a registered task has exactly one entry here, and the
//     entry has a pending mirror unless its task is running;
//   - storage is written first, in a transactionSync that nests in the
//     caller's own; memory changes only after the write succeeded, so a
//     failed write leaves both as they were;
//   - a run that completed deletes its row (or moves a recurring one to its
//     next period) before anything else runs after it: a completed timeout
//     is never run again, whatever the alarm's retries do. Delivery is at
//     least once: a run whose completion was never written (the object was
//     evicted or crashed meanwhile) runs again.
//   - a task that throws or rejects is reported (DurableTaskError, to the
//     loop's onError) and retried: its row stays, re-armed retryDelayMs
//     later, doubling per attempt, up to maxAttempts runs; then a one-shot
//     timeout is dropped and a recurring one goes on to its next period. A
//     failure does not hold back the timeouts after it.

import { checkFunction, checkOptions, checkPositive, describe, hasMethods, isInstance } from "../validate.js";
import type { AlarmClock } from "./alarm-clock.js";
import { DurableTaskError, type DurableTimeoutInfo } from "./errors.js";
import type { DurableObjectStateLike, DurableStorageLike, LoopLike } from "./host.js";
import { DEFAULT_MAX_PAYLOAD_BYTES, decodePayload, encodePayload, type JsonValue } from "./payload.js";
import { TimeoutRows, type TimeoutRow } from "./timeout-rows.js";

declare const brand: unique symbol;
/** A durable timeout's handle: its row id, never reused in this object. */
export type DurableTimeout = number & { readonly [brand]: "DurableTimeout" };

/** A task: called with the timeout's payload. A returned promise is waited
 *  for; the run completes when it fulfils. */
export type DurableTask = (payload: JsonValue | undefined, timeout: DurableTimeoutInfo) => unknown;

export interface DurableTimeoutsOptions {
  /** The loop that runs the timeouts, created with `clock`. */
  loop: LoopLike;
  /** The AlarmClock the loop was created with: its timer is the alarm. */
  clock: AlarmClock;
  /** Every task a timeout may name, by name. */
  tasks: Record<string, DurableTask>;
  /** The largest payload, in bytes of JSON. Default 16 KiB. */
  maxPayloadBytes?: number;
  /** Runs of a failing task before it is given up. Default 6 (as the
   *  platform retries a failing alarm). */
  maxAttempts?: number;
  /** The wait before the first retry, doubled for each further one.
   *  Default 2000 ms. */
  retryDelayMs?: number;
  /** The SQL table the rows live in. Default "ioloop_durable_timeouts". */
  table?: string;
}

export interface ScheduleOptions {
  /** Runs again every periodMs after each run, skipping missed periods. */
  periodMs?: number;
}

export interface RefreshOptions {
  /** Re-arm in memory only; the row is written when its stored deadline
   *  comes, or at flush(). A busy connection's idle timeout then costs one
   *  row write per idle period, not one per message. After an eviction the
   *  refreshes not yet written are lost and the task runs at the stored
   *  deadline: a task that must not run early checks its own record. */
  lazy?: boolean;
}

export interface DurableTimeoutsStats {
  /** Durable timeouts stored and armed. */
  pending: number;
  /** Rows written by this instance (SQLite's count: row, counter, indexes). */
  rowsWritten: number;
  /** setAlarm/deleteAlarm calls made by this instance. */
  alarmWrites: number;
  /** Runs now in progress. */
  running: number;
}

interface Entry {
  readonly task: string;
  deadline: number;
  seq: number;
  readonly delay: number;
  readonly period: number | null;
  attempts: number;
  /** The loop's timeout id while pending, undefined while its task runs. */
  mirror: number | undefined;
  /** A lazy refresh's deadline, not yet written (0: none). */
  lazyDeadline: number;
}

const DEFAULT_MAX_ATTEMPTS = 6;
const DEFAULT_RETRY_DELAY_MS = 2000;
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export class DurableTimeouts {
  readonly #loop: LoopLike;
  readonly #clock: AlarmClock;
  readonly #storage: DurableStorageLike;
  readonly #rows: TimeoutRows;
  readonly #tasks: ReadonlyMap<string, DurableTask>;
  readonly #maxPayloadBytes: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #entries = new Map<number, Entry>();
  #nextSeq = 1;
  /** Runs in progress that returned a promise. */
  readonly #running = new Set<Promise<void>>();
  /** Failures since the current alarm() began. */
  #failures: unknown[] = [];

  /** Loads every stored timeout into the loop. Call it in the object's
   *  constructor, inside ctx.blockConcurrencyWhile, once the loop exists. */
  constructor(ctx: DurableObjectStateLike, options: DurableTimeoutsOptions) {
    checkOptions<DurableTimeoutsOptions>("DurableTimeouts", options, {
      loop: true, clock: true, tasks: true, maxPayloadBytes: true, maxAttempts: true, retryDelayMs: true, table: true,
    });
    const { loop, clock, tasks, maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES, maxAttempts = DEFAULT_MAX_ATTEMPTS,
      retryDelayMs = DEFAULT_RETRY_DELAY_MS, table = "ioloop_durable_timeouts" } = options;
    if (!hasMethods(loop, "callAt")) {
      throw new TypeError(`DurableTimeouts: loop must be an IOLoop, got ${describe(loop)}`);
    }
    if (!hasMethods(clock, "fire")) {
      throw new TypeError(`DurableTimeouts: clock must be the AlarmClock the loop was created with, got ${describe(clock)}`);
    }
    let names: string[] | undefined;
    try { names = typeof tasks === "object" && tasks !== null ? Object.keys(tasks) : undefined; } catch { /* a revoked Proxy */ }
    if (names === undefined) throw new TypeError(`DurableTimeouts: tasks must be an object of functions, got ${describe(tasks)}`);
    const named = new Map<string, DurableTask>();
    for (const name of names) {
      checkFunction("DurableTimeouts", `tasks.${name}`, tasks[name]);
      named.set(name, tasks[name]);
    }
    checkPositive("DurableTimeouts", "maxPayloadBytes", maxPayloadBytes, "bytes");
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`DurableTimeouts: maxAttempts must be a positive integer, got ${describe(maxAttempts)}`);
    }
    checkPositive("DurableTimeouts", "retryDelayMs", retryDelayMs);
    if (typeof table !== "string" || !TABLE_NAME.test(table)) {
      throw new TypeError(`DurableTimeouts: table must be a SQL name (a letter, then letters, digits, _), got ${describe(table)}`);
    }
    // The storage of a SQLite-backed object: a key-value one has no `sql`.
    let storage: DurableStorageLike | undefined;
    try {
      storage = ctx.storage;
      if (!hasMethods(storage, "transactionSync") || !hasMethods(storage.sql, "exec")) storage = undefined;
    } catch { /* a revoked Proxy, a getter that throws: refused below */ }
    if (storage === undefined) {
      throw new TypeError(`DurableTimeouts: ctx must be the state of a SQLite-backed Durable Object (ctx.storage.sql, ctx.storage.transactionSync), got ${describe(ctx)}`);
    }
    this.#loop = loop;
    this.#clock = clock;
    this.#storage = storage;
    this.#tasks = named;
    this.#maxPayloadBytes = maxPayloadBytes;
    this.#maxAttempts = maxAttempts;
    this.#retryDelayMs = retryDelayMs;
    this.#rows = new TimeoutRows(storage.sql, table);
    this.#load();
  }

  #load(): void {
    this.#rows.create();
    for (const row of this.#rows.all()) {
      if (row.seq >= this.#nextSeq) this.#nextSeq = row.seq + 1;
      // A row whose task is no longer registered (renamed in a new version)
      // stays stored, unarmed, until a version that knows it starts.
      if (!this.#tasks.has(row.task)) {
        console.error(`DurableTimeouts: timeout ${row.id} names task "${row.task}", which is not registered; it stays stored and does not run`);
        continue;
      }
      this.#entries.set(row.id, this.#entryOf(row));
    }
  }

  #entryOf(row: TimeoutRow): Entry {
    return {
      task: row.task, deadline: row.deadline, seq: row.seq, delay: row.delay, period: row.period,
      attempts: row.attempts, lazyDeadline: 0, mirror: this.#loop.callAt(row.deadline, this.#fire, row.id),
    };
  }

  /** Runs tasks[task](payload) delayMs from now. */
  scheduleAfter(delayMs: number, task: string, payload?: unknown, options?: ScheduleOptions): DurableTimeout {
    if (typeof delayMs !== "number") throw new TypeError(`DurableTimeouts.scheduleAfter: delayMs must be a number of milliseconds, got ${describe(delayMs)}`);
    if (!Number.isFinite(delayMs)) throw new RangeError(`DurableTimeouts.scheduleAfter: delayMs must be finite, got ${delayMs}`);
    return this.#insert("DurableTimeouts.scheduleAfter", Date.now() + delayMs, Math.max(delayMs, 0), task, payload, options);
  }

  /** Runs tasks[task](payload) at `when`: a Date or wall-clock milliseconds. */
  scheduleAt(when: Date | number, task: string, payload?: unknown, options?: ScheduleOptions): DurableTimeout {
    const deadline = checkWhen("DurableTimeouts.scheduleAt", when);
    return this.#insert("DurableTimeouts.scheduleAt", deadline, Math.max(deadline - Date.now(), 0), task, payload, options);
  }

  #insert(where: string, deadline: number, delay: number, task: string, payload: unknown, options: ScheduleOptions = {}): DurableTimeout {
    if (typeof task !== "string") throw new TypeError(`${where}: task must be the name of a registered task, got ${describe(task)}`);
    if (!this.#tasks.has(task)) throw new TypeError(`${where}: no task named ${describe(task)} is registered`);
    checkOptions<ScheduleOptions>(where, options, { periodMs: true });
    const { periodMs } = options;
    if (periodMs !== undefined) checkPositive(where, "periodMs", periodMs);
    const text = encodePayload(where, payload, this.#maxPayloadBytes);
    const seq = this.#nextSeq++;
    const period = periodMs ?? null;
    const id = this.#storage.transactionSync(() => this.#rows.insert({ seq, task, deadline, delay, period }, text));
    this.#entries.set(id, this.#entryOf({ id, seq, task, deadline, delay, period, attempts: 0 }));
    return id as DurableTimeout;
  }

  /** Cancels a durable timeout: its row is deleted. True only if it was
   *  pending or running (a running task finishes, and does not recur). */
  cancel(id: DurableTimeout): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#storage.transactionSync(() => this.#rows.delete(id));
    this.#entries.delete(id);
    if (entry.mirror !== undefined) this.#loop.removeTimeout(entry.mirror);
    return true;
  }

  /** Re-arms a durable timeout in place for now plus the delay it was
   *  scheduled with (same id, same row). Also from inside its own task: it
   *  then runs again instead of completing. False if it is not pending. */
  refresh(id: DurableTimeout, options: RefreshOptions = {}): boolean {
    checkOptions<RefreshOptions>("DurableTimeouts.refresh", options, { lazy: true });
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    const deadline = Date.now() + entry.delay;
    if (options.lazy === true && entry.mirror !== undefined) {
      entry.lazyDeadline = deadline;
      return true;
    }
    this.#rearm(id, entry, deadline, entry.attempts);
    return true;
  }

  /** Moves a durable timeout to `when` (a Date or wall-clock ms), in place. */
  reschedule(id: DurableTimeout, when: Date | number): boolean {
    const deadline = checkWhen("DurableTimeouts.reschedule", when);
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#rearm(id, entry, deadline, entry.attempts);
    return true;
  }

  /** Writes every lazy refresh now, in one transaction. */
  flush(): void {
    const due: Array<{ id: number; entry: Entry; seq: number }> = [];
    for (const [id, entry] of this.#entries) {
      if (entry.lazyDeadline > entry.deadline) due.push({ id, entry, seq: this.#nextSeq + due.length });
    }
    if (due.length === 0) return;
    this.#storage.transactionSync(() => {
      for (const { id, entry, seq } of due) this.#rows.rearm(id, entry.lazyDeadline, seq, entry.attempts);
    });
    this.#nextSeq += due.length;
    for (const { id, entry, seq } of due) this.#moved(id, entry, entry.lazyDeadline, seq, entry.attempts);
  }

  /** A pending durable timeout's deadline (wall-clock ms; a lazy refresh
   *  included), else undefined. */
  deadlineOf(id: DurableTimeout): number | undefined {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : Math.max(entry.deadline, entry.lazyDeadline);
  }

  stats(): DurableTimeoutsStats {
    return { pending: this.#entries.size, rowsWritten: this.#rows.rowsWritten, alarmWrites: this.#clock.alarmWrites, running: this.#running.size };
  }

  /** Call from the object's alarm(): runs every durable timeout due now and
   *  waits until each has completed or failed. Rejects with the failures
   *  (an AggregateError of DurableTaskError) if any task failed, after
   *  re-arming them, so the platform logs a failed alarm; the alarm is set
   *  for what remains either way. */
  async alarm(): Promise<void> {
    if (!this.#loop.running) throw new Error("DurableTimeouts.alarm: the loop is not running; call loop.start() in the constructor");
    const start = Date.now();
    this.#failures = [];
    this.#clock.fire();
    for (;;) {
      if (this.#running.size > 0) {
        await Promise.all(this.#running);
        continue;
      }
      // Let the loop run what the fired timer queued (callbacks, sources).
      await new Promise<void>((resolve) => this.#clock.queueMacrotask(resolve));
      if (this.#running.size > 0) continue;
      const at = this.#clock.armedAt;
      if (at === undefined || at > start) break;
      this.#clock.fire(); // armed for a time already past: fire it again
    }
    const failures = this.#failures;
    this.#failures = [];
    if (failures.length > 0) throw new AggregateError(failures, `DurableTimeouts.alarm: ${failures.length} task run(s) failed`);
  }

  /** The mirror's function: one run of a durable timeout. */
  readonly #fire = (id: number): unknown => {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    entry.mirror = undefined;
    if (entry.lazyDeadline > Date.now()) {
      this.#rearm(id, entry, entry.lazyDeadline, entry.attempts);
      return undefined;
    }
    const text = this.#rows.payload(id);
    // No row: the transaction that wrote it was rolled back by its caller.
    if (text === undefined) {
      this.#entries.delete(id);
      return undefined;
    }
    const info: DurableTimeoutInfo = {
      id, task: entry.task, deadline: entry.deadline, attempt: entry.attempts + 1, periodMs: entry.period ?? undefined,
    };
    let result: unknown;
    try {
      result = this.#tasks.get(entry.task)!(decodePayload(text), info);
    } catch (error) {
      throw this.#failed(id, entry, info, error);
    }
    // Any object may be a thenable, a hostile one too (a revoked Proxy throws
    // even on `"then" in it`): Promise.resolve reads its `then` once, under
    // guard, and a throw there fails the task like a rejection.
    if ((typeof result === "object" || typeof result === "function") && result !== null) {
      const run = Promise.resolve(result).then(
        () => { this.#completed(id, entry); },
        (error: unknown) => { throw this.#failed(id, entry, info, error); },
      );
      const tracked = run.then(() => undefined, () => undefined).finally(() => this.#running.delete(tracked));
      this.#running.add(tracked);
      return run; // the loop reports a rejection to onError
    }
    this.#completed(id, entry);
    return undefined;
  };

  #completed(id: number, entry: Entry): void {
    // Cancelled or re-armed while it ran: that call already wrote the row.
    if (this.#entries.get(id) !== entry || entry.mirror !== undefined) return;
    if (entry.period === null) {
      this.#storage.transactionSync(() => this.#rows.delete(id));
      this.#entries.delete(id);
      return;
    }
    this.#rearm(id, entry, nextPeriod(entry.deadline, entry.period, Date.now()), 0);
  }

  /** Re-arms a failed run for its retry, or gives it up; returns what the
   *  loop reports. */
  #failed(id: number, entry: Entry, info: DurableTimeoutInfo, cause: unknown): DurableTaskError {
    let retryAt: number | undefined;
    if (this.#entries.get(id) === entry && entry.mirror === undefined) {
      const attempts = entry.attempts + 1;
      const now = Date.now();
      if (attempts < this.#maxAttempts) {
        retryAt = now + this.#retryDelayMs * 2 ** (attempts - 1);
        this.#rearm(id, entry, retryAt, attempts);
      } else if (entry.period !== null) {
        retryAt = nextPeriod(entry.deadline, entry.period, now);
        this.#rearm(id, entry, retryAt, 0);
      } else {
        this.#storage.transactionSync(() => this.#rows.delete(id));
        this.#entries.delete(id);
      }
    }
    const error = new DurableTaskError(info, retryAt, cause);
    this.#failures.push(error);
    return error;
  }

  /** Writes a new deadline, then moves the mirror to it. */
  #rearm(id: number, entry: Entry, deadline: number, attempts: number): void {
    const seq = this.#nextSeq++;
    this.#storage.transactionSync(() => this.#rows.rearm(id, deadline, seq, attempts));
    this.#moved(id, entry, deadline, seq, attempts);
  }

  #moved(id: number, entry: Entry, deadline: number, seq: number, attempts: number): void {
    entry.deadline = deadline;
    entry.seq = seq;
    entry.attempts = attempts;
    entry.lazyDeadline = 0;
    if (entry.mirror !== undefined) this.#loop.removeTimeout(entry.mirror);
    entry.mirror = this.#loop.callAt(deadline, this.#fire, id);
  }
}

/** The first deadline after `now` on the period's grid from `deadline`:
 *  missed periods are skipped, as PeriodicCallback does. */
function nextPeriod(deadline: number, period: number, now: number): number {
  const next = deadline + period;
  return next > now ? next : next + Math.ceil((now - next + 1e-9) / period) * period;
}

function checkWhen(where: string, when: unknown): number {
  const isDate = isInstance(when, Date);
  let time = when;
  // A Proxy of a Date passes instanceof, and its getTime() throws: no Date.
  if (isDate) try { time = when.getTime(); } catch { time = undefined; }
  if (typeof time !== "number") throw new TypeError(`${where}: when must be a Date or a number of milliseconds since the epoch, got ${describe(when)}`);
  if (!Number.isFinite(time)) throw new RangeError(`${where}: when must be a finite time, got ${isDate ? "an invalid Date" : time}`);
  return time;
}
