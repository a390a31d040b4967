// The soak: millions of mixed operations on one loop, with
// the live count held steady, measuring the core's linear memory and the
// host's slot tables as it goes, and checking on the way that every timeout
// runs at most once and never early, that callbacks run exactly once in FIFO
// order, and that the counts add up.
//
// Driven by a ManualClock, synchronously: no real time passes, so the run is
// as fast as the loop and the result depends only on the seed.

import type { IOLoop, Timeout } from "../../src/index.js";
import { createLoop } from "../host/helpers.js";
import { ManualClock } from "./manual-clock.js";

/** Live timeouts are held at this count: once reached, a new one is only
 *  scheduled after one has fired or been cancelled. */
const LIVE_TIMEOUTS = 2000;
const SOURCES = 32;
/** The host gets a turn (the clock moves 1 ms, due wake-ups run) at least
 *  this often, so that the callback queue stays bounded too. */
const MAX_OPS_BETWEEN_TURNS = 16;
const CHECKPOINTS = 10;

export interface SoakRow {
  ops: number;
  iterations: number;
  liveTimeouts: number;
  queuedCallbacks: number;
  handlers: number;
  wasmMemoryBytes: number;
  hostSlots: number;
  /** The most timeouts, callbacks and handlers that were live at once so far:
   *  what the slot tables may need, whatever the number of operations. */
  peakLive: number;
  jsHeapMB: number;
}

export interface SoakResult {
  rows: SoakRow[];
  violations: string[];
  counts: { armed: number; fired: number; cancelled: number; callbacksAdded: number; callbacksRan: number; handlerCalls: number };
  closeReport: { callbacks: number; timeouts: number; handlers: number };
  pendingAtClose: { timeouts: number; callbacks: number; handlers: number };
}

interface LiveTimeout { handle: Timeout; deadline: number; index: number; state: "pending" | "fired" | "cancelled" }

/** mulberry32: a small seeded PRNG, so that a soak can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function soak(totalOps: number, seed = 1): Promise<SoakResult> {
  const rnd = random(seed);
  const clock = new ManualClock(0);
  const violations: string[] = [];
  const loop: IOLoop = await createLoop({ clock, onError: ({ error }) => violations.push(`reported: ${String(error)}`) });
  const counts = { armed: 0, fired: 0, cancelled: 0, callbacksAdded: 0, callbacksRan: 0, handlerCalls: 0 };
  const live: LiveTimeout[] = [];
  const sources = Array.from({ length: SOURCES }, (_, i) => ({ id: i, hasHandler: false }));
  let nextCallbackToken = 0, expectedCallbackToken = 0;
  const peak = { timeouts: 0, callbacks: 0, handlers: 0 };

  const removeLive = (t: LiveTimeout): void => {
    const last = live.pop()!;
    if (last !== t) { live[t.index] = last; last.index = t.index; }
  };
  const onCallback = (token: number): void => {
    if (token !== expectedCallbackToken) violations.push(`callback ${token} ran, expected ${expectedCallbackToken}`);
    expectedCallbackToken = token + 1;
    counts.callbacksRan++;
  };
  const addCallback = (): void => {
    loop.addCallback(onCallback, nextCallbackToken++);
    counts.callbacksAdded++;
    peak.callbacks = Math.max(peak.callbacks, loop.stats().queuedCallbacks);
  };
  const schedule = (): void => {
    const r = rnd();
    const delay = r < 0.01 ? Infinity : r < 0.05 ? -rnd() * 10 : Math.floor(rnd() * 5000);
    const t: LiveTimeout = { handle: undefined!, deadline: 0, index: live.length, state: "pending" };
    t.handle = loop.callLater(delay, () => {
      if (t.state !== "pending") violations.push(`a ${t.state} timeout ran`);
      if (loop.time() < t.deadline) violations.push(`a timeout ran early: ${loop.time()} < ${t.deadline}`);
      t.state = "fired";
      removeLive(t);
      counts.fired++;
      if (rnd() < 0.1) addCallback(); // work added from inside an iteration
    });
    t.deadline = loop.deadlineOf(t.handle)!;
    live.push(t);
    counts.armed++;
    peak.timeouts = Math.max(peak.timeouts, live.length);
  };
  const handler = (source: { id: number }, events: number): void => {
    counts.handlerCalls++;
    if (events === 0) violations.push(`source ${source.id} handled with no events`);
    if (rnd() < 0.7) loop.clearReady(source, events); // drained; else level-triggered again next time
  };
  const hostTurn = (): void => {
    clock.set(clock.now() + 1);
    for (let i = 0; i < 100; i++) {
      const timer = clock.dueTimer();
      if (timer) clock.fire(timer);
      else if (!clock.turn()) break;
    }
  };
  const row = (ops: number): SoakRow => {
    const stats = loop.stats();
    return {
      ops, iterations: stats.iterations, liveTimeouts: stats.pendingTimeouts, queuedCallbacks: stats.queuedCallbacks,
      handlers: stats.handlers, wasmMemoryBytes: stats.wasmMemoryBytes, hostSlots: stats.hostSlots,
      peakLive: peak.timeouts + peak.callbacks + peak.handlers,
      jsHeapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    };
  };

  void loop.start();
  const rows: SoakRow[] = [];
  let sinceTurn = 0;
  for (let ops = 1; ops <= totalOps; ops++) {
    const r = rnd();
    if (r < 0.35) {
      if (live.length < LIVE_TIMEOUTS) schedule();
      else hostTurn();
    } else if (r < 0.5) {
      if (live.length > 0) {
        const t = live[Math.floor(rnd() * live.length)];
        if (!loop.removeTimeout(t.handle)) violations.push("cancel of a live timeout returned false");
        t.state = "cancelled";
        removeLive(t);
        counts.cancelled++;
      }
    } else if (r < 0.6) {
      if (live.length > 0) {
        const t = live[Math.floor(rnd() * live.length)];
        if (!loop.refreshTimeout(t.handle)) violations.push("refresh of a live timeout returned false");
        t.deadline = loop.deadlineOf(t.handle)!;
      }
    } else if (r < 0.7) {
      addCallback();
    } else if (r < 0.82) {
      const s = sources[Math.floor(rnd() * SOURCES)];
      if (s.hasHandler) loop.setReady(s, rnd() < 0.9 ? 1 : 5);
    } else if (r < 0.86) {
      const s = sources[Math.floor(rnd() * SOURCES)];
      if (s.hasHandler) loop.removeHandler(s);
      else loop.addHandler(s, handler, rnd() < 0.8 ? 1 : 5);
      s.hasHandler = !s.hasHandler;
      peak.handlers = Math.max(peak.handlers, loop.stats().handlers);
    } else {
      hostTurn();
      sinceTurn = 0;
    }
    if (++sinceTurn >= MAX_OPS_BETWEEN_TURNS) { hostTurn(); sinceTurn = 0; }
    if (ops % Math.max(1, Math.floor(totalOps / CHECKPOINTS)) === 0) {
      try { loop.checkInvariants(); } catch (error) { violations.push(String(error)); }
      rows.push(row(ops));
    }
  }

  loop.stop();
  try { loop.checkInvariants(); } catch (error) { violations.push(String(error)); }
  const stats = loop.stats();
  if (counts.armed !== counts.fired + counts.cancelled + stats.pendingTimeouts) {
    violations.push(`conservation: ${counts.armed} armed != ${counts.fired} fired + ${counts.cancelled} cancelled + ${stats.pendingTimeouts} pending`);
  }
  if (counts.callbacksAdded !== counts.callbacksRan + stats.queuedCallbacks) {
    violations.push(`conservation: ${counts.callbacksAdded} callbacks added != ${counts.callbacksRan} ran + ${stats.queuedCallbacks} queued`);
  }
  if (stats.pendingTimeouts !== live.length) violations.push(`${stats.pendingTimeouts} pending in the loop, ${live.length} live in the test`);
  const pendingAtClose = { timeouts: stats.pendingTimeouts, callbacks: stats.queuedCallbacks, handlers: stats.handlers };
  const closeReport = loop.close();
  return { rows, violations, counts, closeReport, pendingAtClose };
}

export function formatTable(rows: SoakRow[]): string {
  const header = ["ops", "iterations", "live timeouts", "queued cbs", "handlers", "wasm bytes", "host slots", "peak live", "JS heap MB"];
  const lines = rows.map((r) => [r.ops, r.iterations, r.liveTimeouts, r.queuedCallbacks, r.handlers, r.wasmMemoryBytes, r.hostSlots, r.peakLive, r.jsHeapMB].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => "| " + cells.map((c, i) => c.padStart(widths[i])).join(" | ") + " |";
  return [format(header), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...lines.map(format)].join("\n");
}
