// churn: K timeouts live; each operation cancels a random one and schedules a
// replacement, so the live count stays K. Reported in ns per operation (one
// cancel and one schedule). Also run by scaling, over more K.

import { deadlines, interleave, ownCopy, randoms, type Env, type Row } from "../harness";
import type { StorePeer } from "../stores";
import { BEST_JS } from "../stores";

const SPAN_MS = 60_000;

/** Anything with schedule/cancel: a timer store, or the host's timers. */
export interface Churnable {
  schedule(deadline: number): unknown;
  cancel(id: never): boolean;
}

export interface ChurnPeer { name: string; make(): Churnable; dispose?(store: Churnable, live: unknown[]): void }

/** The timed loop (see ownCopy: it uses only its arguments). */
function churnKernel(store: Churnable, live: unknown[], replacements: Float64Array, picks: Float64Array): void {
  const k = live.length;
  for (let j = 0; j < replacements.length; j++) {
    const r = (picks[j] * k) | 0;
    store.cancel(live[r] as never);
    live[r] = store.schedule(replacements[j]);
  }
}

/** ns per churn operation for each peer at K live, medians of `rounds`. */
export async function churnAt(env: Env, peers: ChurnPeer[], k: number, ops: number, rounds: number): Promise<Row> {
  const initial = deadlines(k, SPAN_MS, 0xc0de + k);
  const replacements = deadlines(ops, SPAN_MS, 0xbeef + k);
  const picks = randoms(ops, 0xfeed + k);
  const values = await interleave(env, rounds, peers, (peer) => {
    const store = peer.make();
    const live: unknown[] = [];
    for (let i = 0; i < k; i++) live.push(store.schedule(initial[i]));
    const run = ownCopy(churnKernel, `${peer.name}`);
    const start = env.now();
    run(store, live, replacements, picks);
    const elapsed = env.now() - start;
    peer.dispose?.(store, live);
    return (elapsed * 1e6) / ops;
  });
  return { workload: "churn", param: `K=${k.toExponential(0)}`, unit: "ns/op", better: "lower", baseline: BEST_JS, values };
}

export async function churn(env: Env, peers: ChurnPeer[], sizes: number[], ops: number, rounds: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const k of sizes) {
    env.log(`churn K=${k}`);
    rows.push(await churnAt(env, peers, k, ops, rounds));
  }
  return rows;
}

/** Host timers as a churn peer: every timer left is cleared after the run. */
export function hostTimerPeer(name: string, make: () => Churnable): ChurnPeer {
  return {
    name,
    make,
    dispose: (store, live) => { for (const handle of live) store.cancel(handle as never); },
  };
}

/** Stores as churn peers. */
export function storeChurnPeers(peers: StorePeer[]): ChurnPeer[] {
  return peers.map((p) => ({ name: p.name, make: p.make }));
}
