// memory: bytes per pending timeout, through each design's public API. N
// timeouts with whole-millisecond delays over a minute (an hour ahead, so
// none fires) are scheduled on a fresh loop made beforehand (its fixed cost
// is not per timeout; a loop reusing a pooled core would not show the
// growth of a core's memory, which it keeps for reuse); the growth of the JS heap plus the memory outside it
// (ArrayBuffers and wasm memory: Node's process.memoryUsage().external),
// after full collections, is divided by N.
//
// "ids kept": the user keeps every id or handle in an array made before the
// first reading, so the row counts what keeping them adds beyond the
// array's own slots. The array holds any value, as an object's field does:
// a small integer is stored in place, a number past V8's small integers as
// a 16-byte heap number, and both are counted, as a handle object is. "ids dropped": the user keeps nothing and the loop
// alone holds its timers. The host's timers are not in the second row: a
// Node timer dropped by the user can no longer be cleared, and its list
// holds the same handle either way.
//
// "ids kept, warm loop": the loop first schedules and cancels N timeouts, so
// that its memory has grown and its slots have been used once; then what
// keeping N new ids costs is measured. The loop's ids carry a slot's
// generation from bit 29 up: a slot's first id is a small integer everywhere
// (below 2^30), and so are its second and third in Node (below 2^31); later
// ones are heap numbers wherever a plain array or an object field keeps them
// (16 B in Node, 12 B with pointer compression, as in pages; a Float64Array
// keeps them unboxed).

import { held } from "../../workloads/memory";
import { interleave, randoms, type Env, type Row } from "../../harness";
import type { Fn, TimerLoop, TimerPeer } from "../peers/peer";
import { BEST_JS, SET_TIMEOUT } from "../peers/timers";

const AHEAD_MS = 3_600_000;
const SPAN_MS = 60_000;

export function wholeDelays(count: number, span: number, seed: number, from = 0): Float64Array {
  const out = randoms(count, seed);
  for (let i = 0; i < count; i++) out[i] = from + 1 + Math.floor(out[i] * span);
  return out;
}

function fillKept(timers: TimerLoop, delays: Float64Array, fn: Fn, ids: unknown[]): void {
  for (let i = 0; i < delays.length; i++) ids[i] = timers.callLater(delays[i], fn);
}

function fillDropped(timers: TimerLoop, delays: Float64Array, fn: Fn): void {
  for (let i = 0; i < delays.length; i++) timers.callLater(delays[i], fn);
}

function warmUp(timers: TimerLoop, delays: Float64Array, fn: Fn): void {
  const ids: unknown[] = new Array(delays.length).fill(null);
  fillKept(timers, delays, fn, ids);
  for (let i = 0; i < ids.length; i++) timers.remove(ids[i]);
}

async function bytesPerTimeout(env: Env, peer: TimerPeer, delays: Float64Array, keep: boolean, warm = false): Promise<number> {
  const n = delays.length;
  const timers = await peer.create({ fresh: true });
  const fn = (): void => {};
  if (warm) warmUp(timers, delays, fn);
  const ids: unknown[] = keep ? new Array(n).fill(null) : [];
  const before = await held(env);
  if (keep) fillKept(timers, delays, fn, ids);
  else fillDropped(timers, delays, fn);
  const bytes = ((await held(env)) - before) / n;
  for (let i = 0; i < ids.length; i++) timers.remove(ids[i]);
  timers.close();
  return bytes;
}

export async function memory(env: Env, peers: TimerPeer[], sizes: number[], rounds: number): Promise<Row[]> {
  if (!env.memory || !env.gc) return [];
  const rows: Row[] = [];
  for (const keep of [true, false]) {
    const measured = keep ? peers : peers.filter((p) => p.name !== SET_TIMEOUT);
    for (const n of sizes) {
      env.log(`memory N=${n}, ids ${keep ? "kept" : "dropped"}`);
      const delays = wholeDelays(n, SPAN_MS, 0x3e3 + n, AHEAD_MS);
      const values = await interleave(env, rounds, measured, (peer) => bytesPerTimeout(env, peer, delays, keep));
      rows.push({
        workload: "memory", param: `N=${n.toExponential(0)}, ids ${keep ? "kept" : "dropped"}`,
        unit: "bytes/timeout", better: "lower", baseline: BEST_JS, values,
      });
    }
  }
  const n = sizes[0];
  env.log(`memory N=${n}, ids kept, warm loop`);
  const delays = wholeDelays(n, SPAN_MS, 0x3e3 + n, AHEAD_MS);
  const values = await interleave(env, rounds, peers, (peer) => bytesPerTimeout(env, peer, delays, true, true));
  rows.push({
    workload: "memory", param: `N=${n.toExponential(0)}, ids kept, warm loop`,
    unit: "bytes/timeout", better: "lower", baseline: BEST_JS, values,
  });
  return rows;
}
