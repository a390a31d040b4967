// Every workload, in order, with the sizes and rounds of a full run. The same
// module runs in Node (bench/run.js) and in Chromium (bench/browser.js); the
// runner passes the core's bytes and what its runtime can measure.

import type { Env, Row } from "./harness";
import { breathe } from "./harness";
import { HostTimers } from "./peers/host-timers";
import { mainPeers, storePeers } from "./stores";
import { verifyStores } from "./verify";
import { fire } from "./workloads/fire";
import { churn, hostTimerPeer, storeChurnPeers } from "./workloads/churn";
import { mixed } from "./workloads/mixed";
import { fullLoop } from "./workloads/full-loop";
import { dispatch } from "./workloads/dispatch";
import { scaling } from "./workloads/scaling";
import { bytesPerTimeout, peakEntries } from "./workloads/memory";
import { startup } from "./workloads/startup";

export interface SuiteOptions {
  /** Smaller sizes and single rounds: for checking that the suite works. */
  quick?: boolean;
}

export async function runSuite(env: Env, wasm: Uint8Array<ArrayBuffer>, options: SuiteOptions): Promise<Row[]> {
  const quick = options.quick === true;
  const module = await WebAssembly.compile(wasm);
  const peers = storePeers(module);
  verifyStores(peers);
  const rows: Row[] = [];
  const step = async (made: Row | Row[]): Promise<void> => {
    rows.push(...(Array.isArray(made) ? made : [made]));
    await breathe();
  };

  const fireSizes = quick ? [1e3, 1e5] : [1e3, 1e4, 1e5, 1e6];
  await step(await fire(env, peers, fireSizes, (n) => (quick ? 1 : n >= 1e6 ? 3 : 5)));

  const churnPeers = [...storeChurnPeers(peers), hostTimerPeer("setTimeout", () => new HostTimers())];
  await step(await churn(env, churnPeers, quick ? [1e4] : [1e4, 1e5], quick ? 5e4 : 3e5, quick ? 1 : 5));

  await step(await mixed(env, peers, quick ? 1e4 : 1e5, quick ? 2e4 : 1e5, quick ? 1 : 5));

  await step(await scaling(env, mainPeers(peers), quick ? [1e3, 1e5] : [1e3, 1e4, 1e5, 1e6], quick ? 5e4 : 2e5, quick ? 1 : 3));

  await step(await fullLoop(env, module, quick ? [1e4] : [1e5, 1e6], quick ? 1 : 3));

  await step(await dispatch(env, module, quick ? [100] : [10, 1000], quick ? 1e5 : 1e6, quick ? 1 : 5));

  await step(await bytesPerTimeout(env, peers, module, quick ? [1e4] : [1e5, 1e6]));
  await step(peakEntries(env, peers, quick ? 1e4 : 1e5, quick ? 5e4 : 3e5));

  await step(await startup(env, wasm, module, quick ? 3 : 15));
  return rows;
}
