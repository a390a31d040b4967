// callbacks: a batch (N added at once, from inside the loop) and a chain
// (each callback adds the next), until the last has run. Wall time per
// callback: the host tasks between them are part of what a chain costs.

import { interleave, ownCopy, type Env, type Row } from "../../harness";
import type { CallbackPeer, CallbackQueue } from "../peers/peer";
import { BEST_JS } from "../peers/timers";

function batchKernel(queue: CallbackQueue, n: number): Promise<number> {
  return queue.run(() => new Promise<number>((resolve) => {
    let called = 0;
    const fn = (): void => { if (++called === n) resolve(called); };
    for (let i = 0; i < n; i++) queue.add(fn);
  }));
}

function chainKernel(queue: CallbackQueue, n: number): Promise<number> {
  return queue.run(() => new Promise<number>((resolve) => {
    let called = 0;
    const fn = (): void => { if (++called === n) resolve(called); else queue.add(fn); };
    queue.add(fn);
  }));
}

const KERNELS = { batch: batchKernel, chain: chainKernel };

export async function callbacks(env: Env, peers: CallbackPeer[], sizes: { batch: number; chain: number }, rounds: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [shape, kernel] of Object.entries(KERNELS)) {
    const n = sizes[shape as keyof typeof sizes];
    env.log(`callbacks, a ${shape} of ${n}`);
    const values = await interleave(env, rounds, peers, async (peer) => {
      const queue = await peer.create();
      const run = ownCopy(kernel, peer.name);
      const start = env.now();
      const called = await run(queue, n);
      const elapsed = env.now() - start;
      queue.close();
      if (called !== n) throw new Error(`callbacks: ${peer.name} called ${called} of ${n}`);
      return (elapsed * 1e6) / n;
    });
    rows.push({ workload: "callbacks", param: `a ${shape} of ${n.toExponential(0)}`, unit: "ns/callback", better: "lower", baseline: BEST_JS, values });
  }
  return rows;
}
