// new loop: what making a loop costs, as a Worker that makes one per object
// or per request pays it. Each loop is created, schedules one timeout, and
// is closed; wall time per loop.
//
// "one at a time": each loop is closed before the next is made, so the loop
// under test takes the core the last one gave back to its pool. "100 open
// at once": 100 loops are made before any is closed, so each gets a new
// core (a WebAssembly instance and its memory): the peers passed in use a
// module of their own, whose pool is empty. That row is one round: a core
// keeps its lane (one of 256 per process) in the pool for good, so a second
// round would find the first round's cores there. The module is compiled
// once, before, as an application compiles it once per process.

import { interleave, type Env, type Row } from "../../harness";
import type { TimerLoop, TimerPeer } from "../peers/peer";
import { BEST_JS, SET_TIMEOUT } from "../peers/timers";

async function oneAtATime(peer: TimerPeer, loops: number, env: Env): Promise<number> {
  const fn = (): void => {};
  const start = env.now();
  for (let i = 0; i < loops; i++) {
    const timers = await peer.create();
    timers.remove(timers.callLater(1000, fn));
    timers.close();
  }
  return ((env.now() - start) * 1e3) / loops;
}

async function openAtOnce(peer: TimerPeer, loops: number, env: Env): Promise<number> {
  const fn = (): void => {};
  const open: TimerLoop[] = [];
  const start = env.now();
  for (let i = 0; i < loops; i++) {
    const timers = await peer.create();
    timers.remove(timers.callLater(1000, fn));
    open.push(timers);
  }
  const elapsed = env.now() - start;
  for (const timers of open) timers.close();
  return (elapsed * 1e3) / loops;
}

export async function newLoop(env: Env, peers: TimerPeer[], loops: number, rounds: number): Promise<Row[]> {
  const measured = peers.filter((p) => p.name !== SET_TIMEOUT); // the host's timers are no loop
  const rows: Row[] = [];
  for (const [param, measure, times] of [[`${loops} open at once`, openAtOnce, 1], ["one at a time", oneAtATime, rounds]] as const) {
    env.log(`new loop, ${param}`);
    const values = await interleave(env, times, measured, (peer) => measure(peer, loops, env));
    rows.push({ workload: "new loop", param, unit: "µs/loop", better: "lower", baseline: BEST_JS, values });
  }
  return rows;
}
