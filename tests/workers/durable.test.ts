// wasm-ioloop/durable in real workerd: the probe Worker's Timers object
// (probe/durable/index.ts) under wrangler's test harness, which can evict
// the object between two requests. An evicted object starts again from its
// constructor; module scope survives in local workerd, so each test shows
// the runs were made by a new instance (a per-instance id), not by the old.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./durable-harness.js";

interface Run { timeout: number; label: string | null; deadline: number; ran_at: number; attempt: number; instance: string }
interface State {
  instance: string; instancesMade: number; loadedRows: number; stored: number; appRows: number; errors: string[];
  timeouts: { pending: number; rowsWritten: number; alarmWrites: number; running: number };
  loop: { pendingTimeouts: number };
  runs: Run[]; alarms: Array<{ retry_count: number; outcome: string; instance: string }>;
}

let server: Harness;
beforeAll(async () => { server = await startHarness("tests/workers/probe/durable/wrangler.jsonc"); });
afterAll(async () => { await server?.close(); });

async function call<T>(object: string, operation: string, body: unknown = {}): Promise<T> {
  const response = await server.fetch(`/${object}/${operation}`, { method: "POST", body: JSON.stringify(body) });
  return response.json() as Promise<T>;
}
const state = (object: string) => call<State>(object, "state");
const evict = (name: string) => server.getWorker().evictDurableObject("Timers", { name });

async function until(object: string, done: (s: State) => boolean, timeoutMs = 20_000): Promise<State> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await state(object);
    if (done(s) || Date.now() > deadline) return s;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function objectName(test: string): string {
  return `${test}-${Math.random().toString(36).slice(2, 10)}`;
}

describe("durable timeouts", () => {
  it("1,000 timeouts scheduled, the object evicted: each fires once after it, in (deadline, sequence) order, none early", async () => {
    const name = objectName("thousand");
    const start = Date.now() + 2500;
    // Deadlines in a scrambled order, 50 timeouts on each of 20 instants, so
    // the order depends on the sequence tie-break as much as on the deadline.
    const plans = Array.from({ length: 1000 }, (_, i) => ({ at: start + ((i * 7) % 20) * 25, payload: { label: `t${i}` } }));
    const { ids, deadlines } = await call<{ ids: number[]; deadlines: number[] }>(name, "schedule", { plans, together: true });
    const before = await state(name);
    expect(before).toMatchObject({ stored: 1000, timeouts: { pending: 1000 }, loop: { pendingTimeouts: 1000 } });

    await evict(name);
    const after = await until(name, (s) => s.runs.length >= 1000 && s.stored === 0);
    // A new instance loaded all 1,000 rows back and ran every one.
    expect(after.instance).not.toBe(before.instance);
    expect(after.loadedRows).toBe(1000);
    expect(after.runs).toHaveLength(1000);
    for (const run of after.runs) expect(run.instance).toBe(after.instance);
    // Exactly once each, in (deadline, id) order (ids follow scheduling order).
    const expected = ids.map((id, i) => ({ id, deadline: deadlines[i] }))
      .sort((a, b) => a.deadline - b.deadline || a.id - b.id).map((t) => t.id);
    expect(after.runs.map((run) => run.timeout)).toEqual(expected);
    for (const run of after.runs) expect(run.ran_at).toBeGreaterThanOrEqual(run.deadline);
    expect(after.errors).toEqual([]);
    // Nothing is left armed once all have run.
    expect(after).toMatchObject({ stored: 0, timeouts: { pending: 0 }, loop: { pendingTimeouts: 0 } });
  });

  it("an alarm whose task throws half-way is retried, and no completed timeout runs twice", async () => {
    const name = objectName("retried");
    const start = Date.now() + 1500;
    const plans = Array.from({ length: 10 }, (_, i) => ({ at: start + i, task: i === 4 ? "flaky" : "record", payload: { label: `t${i}` } }));
    const { ids } = await call<{ ids: number[] }>(name, "schedule", { plans });
    const first = await state(name);
    await evict(name);

    const after = await until(name, (s) => s.stored === 0 && s.runs.length >= 11);
    expect(after.instance).not.toBe(first.instance);
    // The flaky task's first attempt failed; its alarm handler threw and a
    // later alarm ran it again (retryDelayMs 300 in the probe).
    expect(after.alarms.some((alarm) => alarm.outcome === "threw")).toBe(true);
    const threw = after.alarms.findIndex((alarm) => alarm.outcome === "threw");
    expect(after.alarms.slice(threw + 1).some((alarm) => alarm.outcome === "ok")).toBe(true);
    expect(after.errors).toHaveLength(1);
    expect(after.errors[0]).toMatch(/durable task "flaky".*attempt 1.*runs again/);
    // Every timeout completed once; only the one that failed ran twice.
    const runsOf = (id: number) => after.runs.filter((run) => run.timeout === id);
    for (const [i, id] of ids.entries()) {
      expect(runsOf(id).map((run) => run.attempt)).toEqual(i === 4 ? [1, 2] : [1]);
    }
    // The nine that completed ran before the retry, in order.
    expect(after.runs.slice(0, 10).map((run) => run.timeout)).toEqual(ids);
  });

  it("a task that returns a revoked Proxy, then a thenable whose then throws, fails those attempts and is retried until it completes", async () => {
    const name = objectName("hostile");
    const { ids } = await call<{ ids: number[] }>(name, "schedule", { plans: [{ at: Date.now() + 200, task: "hostile", payload: { label: "h" } }] });
    const after = await until(name, (s) => s.stored === 0 && s.runs.length >= 3);
    expect(after.runs.map((run) => [run.timeout, run.attempt])).toEqual([[ids[0], 1], [ids[0], 2], [ids[0], 3]]);
    expect(after.errors).toHaveLength(2);
    for (const error of after.errors) expect(error).toMatch(/durable task "hostile".*runs again/);
    expect(after).toMatchObject({ stored: 0, timeouts: { pending: 0 } });
  });

  it("a recurring timeout runs on its period's grid until cancelled; reschedule moves a timeout in place; a spent one cannot be refreshed", async () => {
    const name = objectName("recurring");
    const { ids: [tick] } = await call<{ ids: number[] }>(name, "schedule", { plans: [{ after: 200, periodMs: 200, payload: { label: "tick" } }] });
    const { ids: [moved, pushed] } = await call<{ ids: number[] }>(name, "schedule", {
      plans: [{ after: 300, payload: { label: "moved" } }, { after: 400, payload: { label: "pushed" } }],
    });
    const at = Date.now() + 1500;
    expect(await call(name, "reschedule", { id: moved, at })).toBe(true);
    const ticked = await until(name, (s) => s.runs.filter((run) => run.label === "tick").length >= 3);
    expect(await call(name, "cancel", { ids: [tick, tick] })).toEqual([true, false]);
    expect(await call(name, "refresh", { ids: [pushed] })).toEqual([false]); // it already ran
    const ticks = ticked.runs.filter((run) => run.label === "tick");
    // Each tick on the period's grid from the first deadline.
    for (const run of ticks) expect((run.deadline - ticks[0].deadline) % 200).toBe(0);
    const after = await until(name, (s) => s.runs.some((run) => run.label === "moved"));
    const movedRun = after.runs.find((run) => run.label === "moved")!;
    expect(movedRun.timeout).toBe(moved);
    expect(movedRun.ran_at).toBeGreaterThanOrEqual(at);
    // No tick after the cancel was written.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const final = await state(name);
    expect(final.runs.filter((run) => run.label === "tick").length).toBeLessThanOrEqual(ticks.length + 1);
    expect(final).toMatchObject({ stored: 0, timeouts: { pending: 0 } });
  });

  describe("bad input is refused before anything is stored", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["unknownTask", "TypeError", /no task named "no-such-task"/],
      ["functionPayload", "TypeError", /payload\.run must be JSON/],
      ["cyclicPayload", "TypeError", /cycle/],
      ["datePayload", "TypeError", /payload must be JSON \(plain objects and arrays\)/],
      ["oversizePayload", "RangeError", /over maxPayloadBytes/],
      ["nanDate", "RangeError", /when must be a finite time, got NaN/],
      ["invalidDate", "RangeError", /invalid Date/],
      ["infiniteDate", "RangeError", /finite/],
      ["stringDate", "TypeError", /when must be a Date or a number/],
      ["infiniteDelay", "RangeError", /delayMs must be finite/],
      ["zeroPeriod", "RangeError", /periodMs must be a positive/],
      ["rescheduleToNaN", "RangeError", /reschedule: when must be a finite time/],
      ["revokedPayload", "TypeError", /^DurableTimeouts\.scheduleAfter: payload\.inner could not be read as JSON \(.*revoked.*\)$/],
      ["throwingGetterPayload", "TypeError", /^DurableTimeouts\.scheduleAfter: payload\.boom could not be read as JSON \(getter threw\)$/],
    ];
    it.each(cases)("%s: a %s, nothing stored or armed", async (kind, errorName, message) => {
      const name = objectName(kind);
      const result = await call<{ thrown?: { name: string; message: string }; before: object; after: object }>(name, "refuse", { kind });
      expect(result.thrown?.name).toBe(errorName);
      expect(result.thrown?.message).toMatch(message);
      expect(result.after).toEqual(result.before);
    });
  });

  it("a storage write that fails throws, and nothing of its transaction is stored or runs", async () => {
    const name = objectName("faulty");
    expect(await call(name, "breakStorage")).toBe(true);
    const soon = Date.now() + 300;
    const failed = await call<{ thrown: { message: string } }>(name, "schedule", {
      plans: [{ at: soon, payload: { label: "a" } }, { at: soon, payload: { label: "b" } }], together: true,
    });
    expect(failed.thrown.message).toMatch(/storage refused the write/);
    const s = await state(name);
    expect(s).toMatchObject({ stored: 0, timeouts: { pending: 0 }, loop: { pendingTimeouts: 0 } });
  });

  it("a schedule inside the application's transaction that rolls back leaves nothing stored and never runs", async () => {
    const name = objectName("rolled-back");
    const result = await call<{ thrown: { message: string } }>(name, "scheduleThenThrow", { plan: { after: 200, payload: { label: "ghost" } } });
    expect(result.thrown.message).toBe("the application's transaction failed");
    await new Promise((resolve) => setTimeout(resolve, 800));
    const s = await state(name);
    expect(s).toMatchObject({ stored: 0, appRows: 0, runs: [], errors: [] });
  });
});
