// Every public-API workload, in order, with the sizes and rounds of a full
// run. The same module runs in Node (bench/api/run.js) and in Chromium
// (bench/api/browser.js); the runner passes the core's bytes, what its
// runtime can measure, and Node's EventEmitter where there is one. A page
// measures the `events` package instead: the port of Node's EventEmitter
// that bundlers give browser code importing "events".

import { EventEmitter as PortedEventEmitter } from "events";
import { IOLoop } from "../../src/index";
import { breathe, type Env, type Row } from "../harness";
import { timerPeers } from "./peers/timers";
import { callbackPeers } from "./peers/callbacks";
import { dispatchPeers, type EmitterLike } from "./peers/dispatch";
import { memory } from "./workloads/memory";
import { fire } from "./workloads/fire";
import { liveOperations } from "./workloads/live";
import { callbacks } from "./workloads/callbacks";
import { dispatch } from "./workloads/dispatch";
import { newLoop } from "./workloads/new-loop";

export interface ApiSuiteOptions {
  /** Tiny sizes, one round each: for checking that the suite works. */
  quick?: boolean;
  /** Only these workloads: memory, fire, live, callbacks, new-loop, dispatch. */
  only?: string[];
  /** Only these timer peers, by name (the loop under test among them). */
  peers?: string[];
  EventEmitter?: new () => EmitterLike;
}

export async function runApiSuite(env: Env, wasm: Uint8Array<ArrayBuffer>, options: ApiSuiteOptions): Promise<Row[]> {
  const quick = options.quick === true;
  const module = await WebAssembly.compile(wasm);
  // The loop under test's first core is the process's first, as in an app
  // that makes its loops from one module: it has the first lane, whose ids
  // stay small integers the longest (docs/reference.md). The memory rows'
  // fresh modules, made only to measure a new core, would take it otherwise.
  (await IOLoop.create({ module })).close();
  const timers = timerPeers(module, wasm).filter((peer) => !options.peers || options.peers.includes(peer.name));
  const rows: Row[] = [];
  const step = async (name: string, measure: () => Promise<Row[]>): Promise<void> => {
    if (options.only && !options.only.includes(name)) return;
    rows.push(...await measure());
    await breathe();
  };
  await step("memory", () => memory(env, timers, quick ? [1e3] : [1e5, 1e6], quick ? 1 : 3));
  await step("fire", () => fire(env, timers, quick ? [1e3] : [1e5, 1e6], quick ? 1 : 5));
  await step("live", () => liveOperations(env, timers, quick ? [1e3] : [1e4, 1e5], quick ? 1e3 : 3e5, quick ? 1 : 7));
  await step("callbacks", () => callbacks(env, callbackPeers(module), quick ? { batch: 1e3, chain: 1e2 } : { batch: 1e6, chain: 1e5 }, quick ? 1 : 5));
  // A module of its own: no core of it is pooled yet (see new-loop.ts).
  await step("new-loop", async () => newLoop(env, timerPeers(await WebAssembly.compile(wasm), wasm), quick ? 10 : 100, quick ? 1 : 5));
  await step("dispatch", () => dispatch(env, dispatchPeers(module, options.EventEmitter ?? PortedEventEmitter), quick ? [10] : [10, 1000], quick ? 1e3 : 1e6, quick ? 1 : 5));
  return rows;
}
