// memory: bytes per pending timeout, and entries held under churn.
//
// Bytes: N timeouts are scheduled on a fresh store, each with a JS slot table
// entry pointing at its callback (what IOLoop keeps beside the core), and the
// growth of the JS heap plus the memory outside it (ArrayBuffers and wasm
// linear memory: Node's process.memoryUsage().external) is divided by N,
// after a full GC on both sides. Through IOLoop, the growth also holds each
// function in the host's slot table.
//
// Entries: under churn at K live, the most entries the store ever held; a
// store that deletes lazily holds cancelled entries until it compacts.

import { IOLoop } from "../../src/index";
import { breathe, deadlines, randoms, type Env, type Row } from "../harness";
import { slotOf } from "../peers/store";
import type { StorePeer } from "../stores";

const SPAN_MS = 60_000;

/** Bytes held after full collections. Memory outside the JS heap (wasm
 *  memory, typed arrays) is given back after the GC that found it dead, so
 *  collect, let the host run, and collect again. */
export async function held(env: Env): Promise<number> {
  env.gc!();
  await breathe();
  env.gc!();
  const { heap, external } = await env.memory!();
  return heap + external;
}

/** Bytes per timeout for `n` timeouts held by what `fill` returns. Each
 *  measurement runs in its own call, so that nothing of the previous one is
 *  still held by a variable of this frame when `before` is taken. */
async function bytesFor(env: Env, n: number, fill: () => { held: number }): Promise<number> {
  const before = await held(env);
  const kept = fill();
  const bytes = ((await held(env)) - before) / n;
  if (kept.held !== n) throw new Error(`memory: ${kept.held} of ${n} timeouts held`);
  return bytes;
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
      const bytes = await bytesFor(env, n, () => {
        const store = peer.make();
        const fns: (typeof callback | undefined)[] = [];
        for (let i = 0; i < n; i++) fns[slotOf(store.schedule(input[i]))] = callback;
        return { held: store.size, store, fns };
      });
      values[peer.name] = { median: bytes, runs: [bytes] };
    }
    const loop = await IOLoop.create({ module }); // its own fixed cost is not per timeout
    const bytes = await bytesFor(env, n, () => {
      for (let i = 0; i < n; i++) loop.callAt(input[i], callback);
      return { held: loop.stats().pendingTimeouts };
    });
    loop.close();
    values["IOLoop (ids kept)"] = { median: bytes, runs: [bytes] };
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
