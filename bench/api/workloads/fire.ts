// fire: N timeouts with random whole-millisecond delays over a span are
// scheduled from inside the loop, and the loop runs until every one has
// fired. Reported in CPU per timer: scheduling, waiting, firing and calling.
//
// Real time, not a VirtualClock: the host's timers cannot run on a virtual
// clock, and the loop under test would pay for one a cost that no peer pays
// (VirtualClock finds its next timer by a scan, and settles every step
// through host tasks), so every peer waits for real, over a span long enough
// that scheduling takes a small part of it (about 3 µs per timer: 300 ms at
// 1e5, 3 s at 1e6). Waiting costs no CPU, so CPU time is what is compared:
// process.cpuUsage() in Node (the whole process, so a GC thread counts), the
// main thread's task time from DevTools in the page (env.cpuMs either way).
// Wall time would count the span.

import { interleave, ownCopy, type Env, type Row } from "../../harness";
import type { TimerLoop, TimerPeer } from "../peers/peer";
import { BEST_JS } from "../peers/timers";
import { wholeDelays } from "./memory";

const MS_PER_TIMER = 0.003;
const MIN_SPAN_MS = 50;
/** No round starts after this long (the first always runs): a round at 1e6
 *  takes over 20 s on a loaded machine, longer in a page. */
const BUDGET_MS = 120_000;

/** The timed part (see ownCopy: it uses only its arguments). */
function fireKernel(timers: TimerLoop, delays: Float64Array): Promise<number> {
  return timers.run(() => new Promise<number>((resolve) => {
    const n = delays.length;
    let fired = 0;
    const fn = (): void => { if (++fired === n) resolve(fired); };
    for (let i = 0; i < n; i++) timers.callLater(delays[i], fn);
  }));
}

export async function fire(env: Env, peers: TimerPeer[], sizes: number[], rounds: number): Promise<Row[]> {
  if (!env.cpuMs) return [];
  const rows: Row[] = [];
  for (const n of sizes) {
    const span = Math.max(MIN_SPAN_MS, Math.round(n * MS_PER_TIMER));
    env.log(`fire N=${n} over ${span} ms`);
    const delays = wholeDelays(n, span, 0xf1e + n);
    const values = await interleave(env, rounds, peers, async (peer) => {
      const timers = await peer.create();
      const run = ownCopy(fireKernel, peer.name);
      const before = await env.cpuMs!();
      const fired = await run(timers, delays);
      const cpu = (await env.cpuMs!()) - before;
      timers.close();
      if (fired !== n) throw new Error(`fire: ${peer.name} fired ${fired} of ${n}`);
      return (cpu * 1e6) / n;
    }, BUDGET_MS);
    rows.push({ workload: "fire", param: `N=${n.toExponential(0)}`, unit: "ns CPU/timer", better: "lower", baseline: BEST_JS, values });
  }
  return rows;
}
