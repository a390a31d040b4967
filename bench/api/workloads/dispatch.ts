// readiness dispatch: S sources, each with a handler (a listener), get an
// event each per round; every round starts in a host task. Wall time per
// handler call, the host tasks and the loop's iterations included.

import { interleave, type Env, type Row } from "../../harness";
import type { DispatchPeer } from "../peers/peer";

export async function dispatch(env: Env, peers: DispatchPeer[], sourceCounts: number[], events: number, rounds: number): Promise<Row[]> {
  const rows: Row[] = [];
  const baseline = peers.some((p) => p.name === "EventEmitter") ? "EventEmitter" : "EventTarget";
  for (const sources of sourceCounts) {
    const perRun = Math.max(1, Math.round(events / sources));
    env.log(`dispatch, S=${sources} sources, ${perRun} rounds`);
    const values = await interleave(env, rounds, peers, async (peer) => {
      const deliver = await peer.prepare(sources, perRun);
      const start = env.now();
      const calls = await deliver();
      const elapsed = env.now() - start;
      if (calls !== sources * perRun) throw new Error(`dispatch: ${peer.name} made ${calls} of ${sources * perRun} calls`);
      return (elapsed * 1e6) / calls;
    });
    rows.push({ workload: "readiness dispatch", param: `S=${sources} sources`, unit: "ns/event", better: "lower", baseline, values });
  }
  return rows;
}
