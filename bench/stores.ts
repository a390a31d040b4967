// The timer stores the store-level workloads compare, by name. "best JS" is
// the baseline of every ratio: the fastest design we know in JavaScript.
// The core is the wheel and exact heap (assembly/timers.ts); its two plain
// TypeScript ports are of that store ("wheel port") and of the indexed heap
// the core had before it ("heap port", bench/peers/heap-store.ts).

import type { TimerStore } from "./peers/store";
import { WasmStore } from "./peers/wasm-store";
import { HeapStore } from "./peers/heap-store";
import { WheelStore } from "./peers/wheel-store";
import { SlotQueue } from "./peers/slot-queue";
import { LazyStore } from "./peers/lazy-store";
import { FastPriorityQueueHeap, FlatQueueHeap, HeapJsHeap, TinyQueueHeap } from "./peers/lazy-heaps";

export type StoreKind = "wasm" | "port" | "js";

export interface StorePeer {
  name: string;
  kind: StoreKind;
  make(): TimerStore;
}

export const BEST_JS = "best JS (slot queue)";

export function storePeers(module: WebAssembly.Module): StorePeer[] {
  return [
    { name: "core (wasm)", kind: "wasm", make: () => WasmStore.create(module) },
    { name: "wheel port (TS)", kind: "port", make: () => new WheelStore() },
    { name: "heap port (TS)", kind: "port", make: () => new HeapStore() },
    { name: BEST_JS, kind: "js", make: () => new SlotQueue() },
    { name: "flatqueue (lazy)", kind: "js", make: () => new LazyStore(new FlatQueueHeap()) },
    { name: "tinyqueue (lazy)", kind: "js", make: () => new LazyStore(new TinyQueueHeap()) },
    { name: "heap-js (lazy)", kind: "js", make: () => new LazyStore(new HeapJsHeap()) },
    { name: "fastpriorityqueue (lazy)", kind: "js", make: () => new LazyStore(new FastPriorityQueueHeap()) },
  ];
}

/** The stores scaling and memory follow: the core, the ports and the baseline. */
export function mainPeers(peers: StorePeer[]): StorePeer[] {
  return peers.filter((p) => p.kind !== "js" || p.name === BEST_JS);
}
