// fire: schedule N random deadlines, then pop them all in order. Reported in
// ns per timer (one schedule and one pop). Small N is repeated on the same
// store, emptied each time, as a loop's store is reused; each repetition
// starts where the last one's clock ended, so that its deadlines lie ahead of
// the store's time, as a loop's new timeouts do (the same input at the same
// times would be all in the past from the second repetition on).

import { deadlines, interleave, ownCopy, type Env, type Row } from "../harness";
import type { TimerStore } from "../peers/store";
import type { StorePeer } from "../stores";
import { BEST_JS } from "../stores";

const SPAN_MS = 60_000;
const MIN_TIMERS_PER_RUN = 300_000;

/** The timed loop (see ownCopy: it uses only its arguments). */
function fireKernel(store: TimerStore, input: Float64Array, reps: number, span: number): number {
  let popped = 0;
  for (let r = 0; r < reps; r++) {
    const start = r * span;
    for (let i = 0; i < input.length; i++) store.schedule(start + input[i]);
    while (store.popDue(start + span) >= 0) popped++;
  }
  return popped;
}

export async function fire(env: Env, peers: StorePeer[], sizes: number[], rounds: (n: number) => number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of sizes) {
    const input = deadlines(n, SPAN_MS, 0x5eed + n);
    const reps = Math.max(1, Math.round(MIN_TIMERS_PER_RUN / n));
    env.log(`fire N=${n} (${reps} rep${reps > 1 ? "s" : ""} per run)`);
    const values = await interleave(env, rounds(n), peers, (peer) => {
      const store = peer.make();
      const run = ownCopy(fireKernel, peer.name);
      const start = env.now();
      const popped = run(store, input, reps, SPAN_MS);
      const elapsed = env.now() - start;
      if (popped !== n * reps) throw new Error(`fire: ${peer.name} popped ${popped} of ${n * reps}`);
      return (elapsed * 1e6) / (n * reps);
    });
    rows.push({ workload: "fire", param: `N=${n.toExponential(0)}`, unit: "ns/timer", better: "lower", baseline: BEST_JS, values });
  }
  return rows;
}
