// Operations on a loop holding K live timeouts (random whole-millisecond
// delays over a minute, an hour ahead, so none fires), run from inside the
// loop as an application's code runs; each is wall time per operation of a
// synchronous loop, so no waiting is in it.
//
// cancel + schedule: a random live timeout is cancelled and a replacement
// scheduled in its place (a request finishing and the next one arming its
// deadline). re-arm: a random live timeout is re-armed for now plus its own
// delay (an idle timeout pushed back on activity): refreshTimeout for the
// loop, refresh() for Node's timers, cancel + schedule for the designs that
// have no re-arm (the browser's setTimeout among them).

import { interleave, randoms, ownCopy, type Env, type Row } from "../../harness";
import type { Fn, TimerLoop, TimerPeer } from "../peers/peer";
import { BEST_JS } from "../peers/timers";
import { wholeDelays } from "./memory";

const AHEAD_MS = 3_600_000;
const SPAN_MS = 60_000;

function replaceKernel(timers: TimerLoop, ids: unknown[], picks: Float64Array, delays: Float64Array, fn: Fn, now: () => number): number {
  const k = ids.length;
  const start = now();
  for (let j = 0; j < picks.length; j++) {
    const i = (picks[j] * k) | 0;
    timers.remove(ids[i]);
    ids[i] = timers.callLater(delays[j], fn);
  }
  return now() - start;
}

function rearmKernel(timers: TimerLoop, ids: unknown[], picks: Float64Array, delays: Float64Array, fn: Fn, now: () => number): number {
  const k = ids.length;
  const start = now();
  for (let j = 0; j < picks.length; j++) {
    const i = (picks[j] * k) | 0;
    ids[i] = timers.rearm(ids[i], delays[i], fn);
  }
  return now() - start;
}

const KERNELS = { "cancel + schedule": replaceKernel, "re-arm": rearmKernel };

/** A peer's array of ids, made by a copy of this function of the peer's own
 *  (ownCopy): V8 picks how an array holds its elements by where it was made,
 *  from what arrays made there held before, so one place shared by every peer
 *  would hold the loop's numeric ids boxed because another peer's ids are
 *  objects. (The memory rows keep ids in a tagged array on purpose: an
 *  object's field.) */
function newIds(k: number): unknown[] {
  return new Array(k);
}

/** Each workload at each K in `ks`: the working set of a random operation
 *  (the timeout's record, its neighbours', the function slot) fits the CPU's
 *  caches at 1e4 and not at 1e5, so the two sizes tell the cost of the path
 *  from the cost of the misses. */
export async function liveOperations(env: Env, peers: TimerPeer[], ks: number[], ops: number, rounds: number): Promise<Row[]> {
  const rows: Row[] = [];
  const replacements = wholeDelays(ops, SPAN_MS, 0x11f, AHEAD_MS);
  const picks = randoms(ops, 0x120);
  // Each size's initial delays, made once: both workloads start from them.
  const initials = new Map(ks.map((k) => [k, wholeDelays(k, SPAN_MS, 0x11e, AHEAD_MS)]));
  for (const [workload, kernel] of Object.entries(KERNELS)) {
    for (const k of ks) {
      const initial = initials.get(k)!;
      env.log(`${workload} at K=${k} live, ${ops} operations`);
      const delays = kernel === rearmKernel ? initial : replacements;
      const values = await interleave(env, rounds, peers, async (peer) => {
        const timers = await peer.create();
        const fn = (): void => {};
        const ids = ownCopy(newIds, peer.name)(k);
        const run = ownCopy(kernel, peer.name);
        const elapsed = await timers.run(() => {
          for (let i = 0; i < k; i++) ids[i] = timers.callLater(initial[i], fn);
          return run(timers, ids, picks, delays, fn, env.now);
        });
        for (let i = 0; i < k; i++) timers.remove(ids[i]);
        timers.close();
        return (elapsed * 1e6) / ops;
      });
      rows.push({ workload, param: `K=${k.toExponential(0)} live`, unit: "ns/operation", better: "lower", baseline: BEST_JS, values });
    }
  }
  return rows;
}
