// scaling: the churn operation (cancel one, schedule one) as the live count
// grows by 10x steps. A store whose cost per operation grows by a constant
// per 10x step is O(log n); one that stays flat is O(1).

import type { Env, Row } from "../harness";
import type { StorePeer } from "../stores";
import { churnAt, storeChurnPeers } from "./churn";

export async function scaling(env: Env, peers: StorePeer[], sizes: number[], ops: number, rounds: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const k of sizes) {
    env.log(`scaling K=${k}`);
    const row = await churnAt(env, storeChurnPeers(peers), k, ops, rounds);
    rows.push({ ...row, workload: "scaling (churn)", param: `K=${k.toExponential(0)}` });
  }
  return rows;
}
