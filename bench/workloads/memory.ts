// memory: bytes per pending timeout, and entries held under churn.
//
// Bytes: N timeouts are scheduled on a fresh store, each with a JS slot table
// entry pointing at its callback (what IOLoop keeps beside the core), and the
// growth of the JS heap plus the memory outside it (ArrayBuffers and wasm
// linear memory: Node's process.memoryUsage().external) is divided by N,
// after a full GC on both sides. Through IOLoop, the growth also holds each
// Timeout handle, the one object a user gets per callLater.
//
// Entries: under churn at K live, the most entries the store ever held; a
// store that deletes lazily holds cancelled entries until it compacts.

import { IOLoop } from "../../src/index";
import { deadlines, randoms, type Env, type Row } from "../harness";
import { slotOf } from "../peers/store";
import type { StorePeer } from "../stores";

const SPAN_MS = 60_000;

function held(env: Env): number {
  env.gc!();
  const { heap, external } = env.memory!();
  return heap + external;
}

export async function bytesPerTimeout(env: Env, peers: StorePeer[], module: WebAssembly.Module, sizes: number[]): Promise<Row[]> {
  if (!env.memory || !env.gc) return [];
  const rows: Row[] = [];
  const callback = (): void => {};
  for (const n of sizes) {
    env.log(`memory N=${n}`);
    const input = deadlines(n, SPAN_MS, 0x3e3 + n);
    const values: Row["values"] = {};
    for (const peer of peers) {
      const before = held(env);
      const store = peer.make();
      const fns: (typeof callback | undefined)[] = [];
      for (let i = 0; i < n; i++) fns[slotOf(store.schedule(input[i]))] = callback;
      const bytes = (held(env) - before) / n;
      if (store.size !== n || fns.length === 0) throw new Error(`memory: ${peer.name} holds ${store.size}`);
      values[peer.name] = { median: bytes, runs: [bytes] };
    }
    const before = held(env);
    const loop = await IOLoop.create({ module });
    for (let i = 0; i < n; i++) loop.callAt(input[i], callback);
    const bytes = (held(env) - before) / n;
    if (loop.stats().pendingTimeouts !== n) throw new Error("memory: IOLoop lost timeouts");
    loop.close();
    values["IOLoop + Timeout handles"] = { median: bytes, runs: [bytes] };
    rows.push({ workload: "memory", param: `N=${n.toExponential(0)} pending`, unit: "bytes/timeout", better: "lower", values });
  }
  return rows;
}

export function peakEntries(env: Env, peers: StorePeer[], k: number, ops: number): Row {
  env.log(`peak entries under churn K=${k}`);
  const initial = deadlines(k, SPAN_MS, 0x9e1);
  const replacements = deadlines(ops, SPAN_MS, 0x9e2);
  const picks = randoms(ops, 0x9e3);
  const values: Row["values"] = {};
  for (const peer of peers) {
    const store = peer.make();
    const live = new Float64Array(k);
    for (let i = 0; i < k; i++) live[i] = store.schedule(initial[i]);
    let peak = store.size;
    for (let j = 0; j < ops; j++) {
      const r = (picks[j] * k) | 0;
      store.cancel(live[r]);
      live[r] = store.schedule(replacements[j]);
      if (store.size > peak) peak = store.size;
    }
    values[peer.name] = { median: peak / k, runs: [peak] };
  }
  return { workload: "peak entries", param: `churn, K=${k.toExponential(0)} live`, unit: "entries/live", better: "lower", values };
}
