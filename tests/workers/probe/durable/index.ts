// Timers: a Durable Object whose durable timeouts the workerd tests schedule,
// evict and watch. Every run of a task is written to its `runs` table with
// the instance that ran it, so a test can see which runs happened after an
// eviction, and that none ran twice.
//
// Routes (POST, JSON in and out): /<object>/<operation>; see `operations`.
import { DurableObject } from "cloudflare:workers";
import { IOLoop } from "wasm-ioloop";
import { AlarmClock, DurableTimeouts, type DurableTimeout, type DurableTimeoutInfo, type JsonValue } from "wasm-ioloop/durable";

interface Env { TIMERS: DurableObjectNamespace<Timers> }

/** A schedule request: `at` wall-clock ms, or `after` ms from now. */
interface Plan { at?: number; after?: number; task?: string; payload?: unknown; periodMs?: number }

/** Counts this module's Timers instances: module scope outlives an eviction
 *  in local workerd, so only a per-instance id proves a new instance. */
let instancesMade = 0;

export class Timers extends DurableObject<Env> {
  /** Made in the constructor: a fresh one means the constructor ran again. */
  readonly instance = crypto.randomUUID();
  private loop!: IOLoop;
  private timeouts!: DurableTimeouts;
  private loadedRows = 0;
  private readonly errors: string[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    instancesMade++;
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS runs (n INTEGER PRIMARY KEY AUTOINCREMENT, timeout INTEGER, label TEXT,
      deadline REAL, ran_at REAL, attempt INTEGER, instance TEXT)`);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS alarms (n INTEGER PRIMARY KEY AUTOINCREMENT, retry_count INTEGER, outcome TEXT, instance TEXT)");
    void ctx.blockConcurrencyWhile(async () => {
      const clock = new AlarmClock(ctx.storage);
      this.loop = await IOLoop.create({
        clock,
        onError: ({ error }) => { this.errors.push(String(error)); },
      });
      this.timeouts = new DurableTimeouts(ctx, {
        loop: this.loop, clock, retryDelayMs: 300,
        tasks: { record: this.record, flaky: this.flaky, hostile: this.hostile },
      });
      this.loadedRows = this.timeouts.stats().pending;
      void this.loop.start();
    });
  }

  /** Writes the run. */
  private readonly record = (payload: JsonValue | undefined, info: DurableTimeoutInfo): void => {
    const label = typeof payload === "object" && payload !== null && "label" in payload ? String(payload.label) : null;
    this.ctx.storage.sql.exec("INSERT INTO runs (timeout, label, deadline, ran_at, attempt, instance) VALUES (?, ?, ?, ?, ?, ?)",
      info.id, label, info.deadline, Date.now(), info.attempt, this.instance);
  };

  /** Fails its first attempt (after writing it), succeeds after. */
  private readonly flaky = (payload: JsonValue | undefined, info: DurableTimeoutInfo): void => {
    this.record(payload, info);
    if (info.attempt === 1) throw new Error(`flaky: attempt ${info.attempt} fails`);
  };

  /** Returns what a task should never return: a revoked Proxy on its first
   *  attempt, a thenable whose `then` throws on its second; nothing after. */
  private readonly hostile = (payload: JsonValue | undefined, info: DurableTimeoutInfo): unknown => {
    this.record(payload, info);
    if (info.attempt === 1) {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }
    if (info.attempt === 2) return { then() { throw new Error("hostile: then threw"); } };
    return undefined;
  };

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    try {
      await this.timeouts.alarm();
      this.logAlarm(info, "ok");
    } catch (error) {
      this.logAlarm(info, "threw");
      throw error;
    }
  }

  private logAlarm(info: AlarmInvocationInfo | undefined, outcome: string): void {
    this.ctx.storage.sql.exec("INSERT INTO alarms (retry_count, outcome, instance) VALUES (?, ?, ?)", info?.retryCount ?? -1, outcome, this.instance);
  }

  private counts(): { stored: number; armed: number; rowsWritten: number } {
    return {
      stored: this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM ioloop_durable_timeouts").one().n,
      armed: this.loop.stats().pendingTimeouts,
      rowsWritten: this.timeouts.stats().rowsWritten,
    };
  }

  override async fetch(request: Request): Promise<Response> {
    const operation = new URL(request.url).pathname.split("/")[2] as keyof typeof this.operations;
    const body: any = request.method === "POST" ? await request.json() : {};
    const run = this.operations[operation];
    if (run === undefined) return new Response(`no operation ${operation}`, { status: 404 });
    try {
      return Response.json(await run(body));
    } catch (error) {
      return Response.json({ thrown: { name: (error as Error).name, message: (error as Error).message } }, { status: 500 });
    }
  }

  private readonly operations = {
    /** Schedules each plan; all in one transaction when `together`. */
    schedule: ({ plans, together }: { plans: Plan[]; together?: boolean }) => {
      const one = (plan: Plan): DurableTimeout => {
        const options = plan.periodMs === undefined ? undefined : { periodMs: plan.periodMs };
        return plan.at !== undefined
          ? this.timeouts.scheduleAt(plan.at, plan.task ?? "record", plan.payload, options)
          : this.timeouts.scheduleAfter(plan.after ?? 0, plan.task ?? "record", plan.payload, options);
      };
      const ids = together ? this.ctx.storage.transactionSync(() => plans.map(one)) : plans.map(one);
      return { ids, deadlines: ids.map((id) => this.timeouts.deadlineOf(id)) };
    },
    cancel: ({ ids }: { ids: number[] }) => ids.map((id) => this.timeouts.cancel(id as DurableTimeout)),
    refresh: ({ ids, lazy }: { ids: number[]; lazy?: boolean }) => ids.map((id) => this.timeouts.refresh(id as DurableTimeout, { lazy })),
    reschedule: ({ id, at }: { id: number; at: number }) => this.timeouts.reschedule(id as DurableTimeout, at),
    /** Refuses writes to the timeouts' table from now on, as a failing disk would. */
    breakStorage: () => {
      this.ctx.storage.sql.exec(`CREATE TRIGGER IF NOT EXISTS refuse_insert BEFORE INSERT ON ioloop_durable_timeouts
        BEGIN SELECT RAISE(ABORT, 'storage refused the write'); END`);
      return true;
    },
    /** Schedules one plan inside a transaction that also writes a row of its
     *  own and then throws, as an application's would. */
    scheduleThenThrow: ({ plan }: { plan: Plan }) => {
      this.ctx.storage.transactionSync(() => {
        this.ctx.storage.sql.exec("INSERT INTO runs (label) VALUES ('written before the throw')");
        this.timeouts.scheduleAfter(plan.after ?? 0, plan.task ?? "record", plan.payload);
        throw new Error("the application's transaction failed");
      });
    },
    /** Makes one bad call, in here where a function or a Date can be passed,
     *  and says what it threw and whether anything was stored or armed. */
    refuse: ({ kind }: { kind: keyof typeof badCalls }) => {
      const before = this.counts();
      let thrown: { name: string; message: string } | undefined;
      try {
        badCalls[kind](this.timeouts);
      } catch (error) {
        thrown = { name: (error as Error).name, message: (error as Error).message };
      }
      return { thrown, before, after: this.counts() };
    },
    state: () => ({
      instance: this.instance,
      instancesMade,
      loadedRows: this.loadedRows,
      timeouts: this.timeouts.stats(),
      loop: this.loop.stats(),
      errors: this.errors,
      stored: this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM ioloop_durable_timeouts").one().n,
      runs: this.ctx.storage.sql.exec("SELECT timeout, label, deadline, ran_at, attempt, instance FROM runs WHERE timeout IS NOT NULL ORDER BY n").toArray(),
      appRows: this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM runs WHERE timeout IS NULL").one().n,
      alarms: this.ctx.storage.sql.exec("SELECT retry_count, outcome, instance FROM alarms ORDER BY n").toArray(),
      alarmAt: null as number | null,
    }),
    alarmAt: async () => ({ alarmAt: await this.ctx.storage.getAlarm() }),
  };
}

const cycle: Record<string, unknown> = {};
cycle.self = cycle;

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** One bad call of each kind the API must refuse before storing anything. */
const badCalls = {
  unknownTask: (t: DurableTimeouts) => t.scheduleAfter(10, "no-such-task"),
  functionPayload: (t: DurableTimeouts) => t.scheduleAfter(10, "record", { run: () => 1 }),
  cyclicPayload: (t: DurableTimeouts) => t.scheduleAfter(10, "record", cycle),
  datePayload: (t: DurableTimeouts) => t.scheduleAfter(10, "record", new Date()),
  oversizePayload: (t: DurableTimeouts) => t.scheduleAfter(10, "record", "x".repeat(20_000)),
  nanDate: (t: DurableTimeouts) => t.scheduleAt(NaN, "record"),
  invalidDate: (t: DurableTimeouts) => t.scheduleAt(new Date("not a date"), "record"),
  infiniteDate: (t: DurableTimeouts) => t.scheduleAt(Infinity, "record"),
  stringDate: (t: DurableTimeouts) => t.scheduleAt("tomorrow" as unknown as number, "record"),
  infiniteDelay: (t: DurableTimeouts) => t.scheduleAfter(Infinity, "record"),
  zeroPeriod: (t: DurableTimeouts) => t.scheduleAfter(10, "record", null, { periodMs: 0 }),
  rescheduleToNaN: (t: DurableTimeouts) => t.reschedule(1 as DurableTimeout, NaN),
  revokedPayload: (t: DurableTimeouts) => t.scheduleAfter(10, "record", { inner: revoked() }),
  throwingGetterPayload: (t: DurableTimeouts) => t.scheduleAfter(10, "record", { get boom() { throw new Error("getter threw"); } }),
};

export default {
  fetch(request, env): Promise<Response> {
    const name = new URL(request.url).pathname.split("/")[1];
    return env.TIMERS.getByName(name).fetch(request);
  },
} satisfies ExportedHandler<Env>;
