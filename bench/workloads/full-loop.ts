// full loop: N timeouts with random delays of 1..1000 ms, through IOLoop (one
// host timer for all of them) and through the host's setTimeout (one host
// timer each). Reported: CPU per timer (scheduling, waiting and firing: Node's
// process.cpuUsage, all threads; Chromium's main-thread task time) and how
// late they fired (fire time minus the time scheduling began plus the delay).
// Rounds stop once a minute has passed at one N (see the JSON's runs).

import { IOLoop } from "../../src/index";
import { interleave, quantile, randoms, type Env, type Row } from "../harness";

const MAX_DELAY_MS = 1000;
/** No new round starts after this long at one N: a million setTimeouts can
 *  take minutes in a browser on a loaded machine. */
const ROUNDS_BUDGET_MS = 60_000;

interface FullLoopPeer { name: string; schedule(delays: Float64Array, onFire: (i: number) => void): Promise<void> }

type Outcome = { cpuUs: number; wallMs: number; p50: number; p99: number };

async function measure(env: Env, peer: FullLoopPeer, delays: Float64Array): Promise<Outcome> {
  const n = delays.length;
  const late = new Float64Array(n);
  let fired = 0;
  let t0 = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => { done = resolve; });
  const onFire = (i: number): void => {
    late[i] = env.now() - (t0 + delays[i]);
    if (++fired === n) done();
  };
  const cpu0 = await env.cpuMs!();
  const wall0 = env.now();
  t0 = env.now();
  await peer.schedule(delays, onFire);
  await finished;
  const wallMs = env.now() - wall0;
  const cpuUs = ((await env.cpuMs!()) - cpu0) * 1000 / n;
  return { cpuUs, wallMs, p50: quantile(late, 0.5), p99: quantile(late, 0.99) };
}

function loopPeer(module: WebAssembly.Module): FullLoopPeer {
  return {
    name: "IOLoop (wasm core)",
    async schedule(delays, onFire) {
      const loop = await IOLoop.create({ module });
      let left = delays.length;
      await loop.run(() => new Promise<void>((resolve) => {
        const fire = (i: number): void => { onFire(i); if (--left === 0) resolve(); };
        for (let i = 0; i < delays.length; i++) loop.callLater(delays[i], fire, i);
      }));
      loop.close();
    },
  };
}

const setTimeoutPeer: FullLoopPeer = {
  name: "setTimeout",
  async schedule(delays, onFire) {
    for (let i = 0; i < delays.length; i++) setTimeout(onFire, delays[i], i);
  },
};

export async function fullLoop(env: Env, module: WebAssembly.Module, sizes: number[], rounds: number): Promise<Row[]> {
  if (!env.cpuMs) return [];
  const rows: Row[] = [];
  const peers = [loopPeer(module), setTimeoutPeer];
  for (const n of sizes) {
    env.log(`full loop N=${n}`);
    const delays = randoms(n, 0xf00 + n).map((x) => 1 + Math.floor(x * MAX_DELAY_MS));
    const extra: Record<string, Record<string, number>> = {
      "wall ms": {}, "late p50 ms": {}, "late p99 ms": {},
    };
    const outcomes: Record<string, Outcome[]> = {};
    const values = await interleave(env, rounds, peers, async (peer) => {
      const outcome = await measure(env, peer, delays);
      (outcomes[peer.name] ??= []).push(outcome);
      return outcome.cpuUs;
    }, ROUNDS_BUDGET_MS);
    for (const peer of peers) {
      const list = outcomes[peer.name].sort((a, b) => a.cpuUs - b.cpuUs);
      const mid = list[list.length >> 1]; // the run whose CPU is the median's
      extra["wall ms"][peer.name] = mid.wallMs;
      extra["late p50 ms"][peer.name] = mid.p50;
      extra["late p99 ms"][peer.name] = mid.p99;
    }
    rows.push({ workload: "full loop", param: `N=${n.toExponential(0)}`, unit: "µs CPU/timer", better: "lower", baseline: "setTimeout", values, extra });
  }
  return rows;
}
