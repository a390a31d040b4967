// A quick, standalone comparison of timer stores, for working on the core's
// store: the wasm store (build/core.wasm, through its exports), its plain
// TypeScript port (bench/peers/wheel-store.ts) and a flatqueue-style heap in
// plain arrays with integer ids and a slot table (the best JavaScript design
// we know). bench/run.js is the full benchmark; this one only prints
// ns/operation, medians of interleaved runs in one process.
//
//   npm run build:core && node --experimental-strip-types bench/store-quick.js [runs] [workload] [store]
//
// Times are CPU time of this process (process.cpuUsage), so that other work
// on a shared machine inflates them less than wall-clock time would.
//
// Every store sees the same random numbers (drawn before timing) and the same
// id layout: slot = id % 2^22, so the harness's slot table works for all.

import { readFileSync } from "node:fs";
import { WheelStore } from "./peers/wheel-store.ts";

const SLOT_SCALE = 2 ** 22;
const RUNS = Number(process.argv[2] ?? 5);
const FILTER = process.argv[3] ?? "";
const ONLY = process.argv[4]; // one store's name, for profiling

/** CPU milliseconds used by this process so far. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
const module = new WebAssembly.Module(readFileSync(new URL("../build/core.bench.wasm", import.meta.url)));

function wasmStore() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const abort = () => { throw new Error("abort"); };
  const core = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
  return {
    schedule: (d) => core.timerSchedule(d, 0),
    cancel: (id) => core.timerCancel(id) === 1,
    move: (id, d) => core.timerMove(id, d) === 1,
    popDue: (now) => { const slot = core.timerPopDue(now); if (slot >= 0) core.timerRelease(slot); return slot; },
    nextDeadline: () => core.timerNextDeadline(),
    get size() { return core.timerPendingCount(); },
  };
}

/** A binary heap in parallel plain arrays, as flatqueue keeps it, plus a
 *  sequence per entry (exact order), a position per slot (cancel in place)
 *  and a generation per slot (stale ids). */
class FlatSlotQueue {
  slots = []; deadlines = []; sequences = []; length = 0;
  positions = []; generations = []; free = []; sequence = 0;
  get size() { return this.length; }
  schedule(d) {
    let slot;
    if (this.free.length > 0) slot = this.free.pop();
    else { slot = this.generations.length; this.generations.push(1); this.positions.push(-1); }
    this.up(this.length++, slot, d, this.sequence++);
    return this.generations[slot] * SLOT_SCALE + slot;
  }
  cancel(id) {
    const slot = id % SLOT_SCALE;
    if (!(slot < this.generations.length) || this.generations[slot] !== (id - slot) / SLOT_SCALE) return false;
    const i = this.positions[slot];
    if (i < 0) return false;
    this.release(slot);
    const last = --this.length;
    if (i !== last) {
      const s = this.slots[last], d = this.deadlines[last], q = this.sequences[last];
      const p = (i - 1) >> 1;
      if (i > 0 && (d < this.deadlines[p] || (d === this.deadlines[p] && q < this.sequences[p]))) this.up(i, s, d, q);
      else this.down(i, s, d, q);
    }
    return true;
  }
  popDue(now) {
    if (this.length === 0 || this.deadlines[0] > now) return -1;
    const top = this.slots[0];
    this.release(top);
    const last = --this.length;
    if (last > 0) this.down(0, this.slots[last], this.deadlines[last], this.sequences[last]);
    return top;
  }
  nextDeadline() { return this.length > 0 ? this.deadlines[0] : Infinity; }
  release(slot) { this.positions[slot] = -1; this.generations[slot]++; this.free.push(slot); }
  up(i, slot, d, q) {
    const slots = this.slots, ds = this.deadlines, qs = this.sequences, pos = this.positions;
    while (i > 0) {
      const p = (i - 1) >> 1, pd = ds[p];
      if (d > pd || (d === pd && q > qs[p])) break;
      slots[i] = slots[p]; ds[i] = pd; qs[i] = qs[p]; pos[slots[i]] = i;
      i = p;
    }
    slots[i] = slot; ds[i] = d; qs[i] = q; pos[slot] = i;
  }
  down(i, slot, d, q) {
    const slots = this.slots, ds = this.deadlines, qs = this.sequences, pos = this.positions;
    const n = this.length, half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (r < n && (ds[r] < ds[c] || (ds[r] === ds[c] && qs[r] < qs[c]))) c = r;
      const cd = ds[c];
      if (d < cd || (d === cd && q < qs[c])) break;
      slots[i] = slots[c]; ds[i] = cd; qs[i] = qs[c]; pos[slots[i]] = i;
      i = c;
    }
    slots[i] = slot; ds[i] = d; qs[i] = q; pos[slot] = i;
  }
}

const STORES = {
  "wasm (wheel + heap)": wasmStore,
  "TS port of it": () => new WheelStore(),
  "flatqueue + ids + slot table": () => new FlatSlotQueue(),
};

function randoms(n, seed) {
  const out = new Float64Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; out[i] = x / 2 ** 32; }
  return out;
}

const NOW = 1_000_000;      // a loop that has run for a while
const WINDOW = 60_000;      // timeouts up to a minute ahead

/** churn: K live; each op cancels a live timer and schedules a replacement.
 *  The victim is a random live timer, or with `oldest` the one scheduled
 *  longest ago (request timeouts, which mostly end in the order they
 *  started). Time does not move. */
function churn(store, K = 100_000, oldest = false, ops = 1_000_000) {
  const r = randoms(K + 2 * ops, 1);
  const ids = new Float64Array(K);
  for (let i = 0; i < K; i++) ids[i] = store.schedule(NOW + r[i] * WINDOW);
  const t0 = cpuMs();
  for (let op = 0, j = K; op < ops; op++, j += 2) {
    const i = oldest ? op % K : (r[j] * K) | 0;
    store.cancel(ids[i]);
    ids[i] = store.schedule(NOW + r[j + 1] * WINDOW);
  }
  const t1 = cpuMs();
  if (store.size !== K) throw new Error("churn lost timers");
  return ((t1 - t0) * 1e6) / ops;
}

/** mixed loop: ~100k live; per iteration 4 schedules, 2 cancels of random
 *  live timers, time moves 1 ms, and each due timer's JS callback is called
 *  through the slot table. ns per iteration. */
function mixed(store, iterations = 300_000) {
  const r = randoms(8 * iterations + 300_000, 2);
  let k = 0;
  const live = new Float64Array(1 << 20); // ids of live timers
  const liveIndex = new Int32Array(SLOT_SCALE >> 2); // slot -> index in live
  const callbacks = [];
  let count = 0, fired = 0;
  const callback = () => { fired++; };
  const add = (d) => {
    const id = store.schedule(d);
    const slot = id % SLOT_SCALE;
    callbacks[slot] = callback;
    liveIndex[slot] = count;
    live[count++] = id;
  };
  const drop = (i) => {
    const last = live[--count];
    live[i] = last;
    liveIndex[last % SLOT_SCALE] = i;
  };
  // Delays up to 100 s: it starts at 100k live and ends near 126k, firing
  // about 1.9 timers per iteration.
  const DELAY = 100_000;
  let now = NOW;
  while (count < 100_000) add(now + r[k++] * DELAY);
  const t0 = cpuMs();
  for (let it = 0; it < iterations; it++) {
    for (let s = 0; s < 4; s++) add(now + r[k++] * DELAY);
    for (let c = 0; c < 2; c++) {
      const i = (r[k++] * count) | 0;
      store.cancel(live[i]);
      drop(i);
    }
    now += 1;
    for (let slot = store.popDue(now); slot >= 0; slot = store.popDue(now)) {
      const fn = callbacks[slot];
      callbacks[slot] = undefined;
      drop(liveIndex[slot]);
      fn();
    }
    store.nextDeadline();
  }
  const t1 = cpuMs();
  if (store.size !== count) throw new Error(`mixed: ${store.size} pending, ${count} live`);
  return { ns: ((t1 - t0) * 1e6) / iterations, live: count, fired };
}

/** fire: schedule N random deadlines, then pop them all in order. ns per
 *  timer (schedule + pop). */
function fire(store, N = 1_000_000, window = WINDOW) {
  const r = randoms(N, 3);
  const t0 = cpuMs();
  for (let i = 0; i < N; i++) store.schedule(NOW + r[i] * window);
  let popped = 0;
  for (let slot = store.popDue(Infinity); slot >= 0; slot = store.popDue(Infinity)) popped++;
  const t1 = cpuMs();
  if (popped !== N) throw new Error(`fire popped ${popped} of ${N}`);
  return ((t1 - t0) * 1e6) / N;
}

const WORKLOADS = {
  "churn, 1k live, random victim (ns/op)": (s) => churn(s, 1000),
  "churn, 100k live, random victim (ns/op)": (s) => churn(s),
  "churn, 100k live, oldest victim (ns/op)": (s) => churn(s, 100_000, true),
  "mixed loop, ~100k live (ns/iteration)": (s) => mixed(s).ns,
  "fire 1M, deadlines over 60 s (ns/timer)": (s) => fire(s),
  "fire 1M, deadlines over 1 s (ns/timer)": (s) => fire(s, 1_000_000, 1000),
  "fire 1M, deadlines over 1000 s (ns/timer)": (s) => fire(s, 1_000_000, 1_000_000),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`node ${process.version}, ${RUNS} interleaved runs, medians`);
for (const [workload, run] of Object.entries(WORKLOADS)) {
  if (!workload.includes(FILTER)) continue;
  const times = Object.fromEntries(Object.keys(STORES).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, make] of Object.entries(STORES)) {
      if (ONLY === undefined || name.startsWith(ONLY)) times[name].push(run(make()));
    }
  }
  const best = median(times["flatqueue + ids + slot table"]);
  console.log(`\n${workload}`);
  for (const name of Object.keys(STORES)) {
    if (times[name].length === 0) continue;
    const m = median(times[name]);
    console.log(`  ${name.padEnd(30)} ${m.toFixed(1).padStart(8)}   x${(best / m).toFixed(2)} vs flatqueue`);
  }
}
