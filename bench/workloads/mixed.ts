// mixed loop: what a busy loop does to its store. ~100k timeouts live; each
// iteration moves time on, schedules 4 timeouts, cancels 2 random live ones,
// and fires what is due, calling each one's JS callback through a slot table
// (as IOLoop does: the store gives a slot, the host looks up the function).
// Time moves so that ~2 fire per iteration, which keeps the live count
// steady. Reported in ns per iteration.

import { deadlines, interleave, ownCopy, randoms, type Env, type Row } from "../harness";
import type { TimerStore } from "../peers/store";
import { slotOf } from "../peers/store";
import type { StorePeer } from "../stores";
import { BEST_JS } from "../stores";

const SPAN_MS = 10_000;
const SCHEDULES = 4;
const CANCELS = 2;

type Callback = (slot: number) => void;

/** The timed loop (see ownCopy: it uses only its arguments). `live` holds the
 *  ids of live timeouts in [0, count), `positions` each slot's index in it. */
function mixedKernel(
  store: TimerStore, fns: (Callback | undefined)[], live: Float64Array, positions: Int32Array, count: number,
  delays: Float64Array, picks: Float64Array, iterations: number, start: number, step: number, callback: Callback,
): number {
  const SLOTS = 4194304; // the id layout of bench/peers/store.ts
  let now = start, n = count, d = 0, p = 0, fired = 0;
  for (let it = 0; it < iterations; it++) {
    now += step;
    for (let j = 0; j < 4; j++) {
      const id = store.schedule(now + delays[d++]);
      const slot = id % SLOTS;
      fns[slot] = callback;
      positions[slot] = n;
      live[n++] = id;
    }
    for (let j = 0; j < 2; j++) {
      const r = (picks[p++] * n) | 0;
      const id = live[r];
      store.cancel(id);
      fns[id % SLOTS] = undefined;
      const last = live[--n];
      live[r] = last;
      positions[last % SLOTS] = r;
    }
    for (let slot = store.popDue(now); slot >= 0; slot = store.popDue(now)) {
      const fn = fns[slot]!;
      fns[slot] = undefined;
      const r = positions[slot];
      const last = live[--n];
      live[r] = last;
      positions[last % SLOTS] = r;
      fn(slot);
      fired++;
    }
  }
  return fired * 4294967296 + n;
}

export async function mixed(env: Env, peers: StorePeer[], liveTarget: number, iterations: number, rounds: number): Promise<Row> {
  env.log(`mixed loop ~${liveTarget} live, ${iterations} iterations`);
  const initial = deadlines(liveTarget, SPAN_MS, 0xa11);
  const delays = deadlines(iterations * SCHEDULES, SPAN_MS, 0xa12);
  const picks = randoms(iterations * CANCELS, 0xa13);
  // Live timeouts are spread over SPAN_MS: liveTarget / SPAN_MS fall due per
  // ms, and SCHEDULES - CANCELS must fall due per iteration to hold steady.
  const step = ((SCHEDULES - CANCELS) * SPAN_MS) / liveTarget;
  let calls = 0;
  const callback: Callback = () => { calls++; };
  const extra: Record<string, Record<string, number>> = { "live at end": {}, "fired per iteration": {} };
  const values = await interleave(env, rounds, peers, (peer) => {
    const store = peer.make();
    const capacity = liveTarget + iterations * SCHEDULES;
    const live = new Float64Array(capacity);
    const positions = new Int32Array(capacity);
    const fns: (Callback | undefined)[] = [];
    for (let i = 0; i < liveTarget; i++) {
      const id = store.schedule(initial[i]);
      live[i] = id;
      positions[slotOf(id)] = i;
      fns[slotOf(id)] = callback;
    }
    const run = ownCopy(mixedKernel, peer.name);
    calls = 0;
    const start = env.now();
    const result = run(store, fns, live, positions, liveTarget, delays, picks, iterations, 0, step, callback);
    const elapsed = env.now() - start;
    const fired = Math.floor(result / 4294967296);
    if (fired !== calls) throw new Error(`mixed: ${peer.name} fired ${fired} but ${calls} callbacks ran`);
    extra["live at end"][peer.name] = result % 4294967296;
    extra["fired per iteration"][peer.name] = fired / iterations;
    return (elapsed * 1e6) / iterations;
  });
  return { workload: "mixed loop", param: `~${liveTarget.toExponential(0)} live`, unit: "ns/iteration", better: "lower", baseline: BEST_JS, values, extra };
}
