// Measuring: seeded inputs, per-peer copies of the timed loops, interleaved
// rounds and medians. The same code runs in Node and in Chromium; what only
// one of them can do comes in through Env.

/** What the runtime provides; everything but now() may be missing. */
export interface Env {
  /** A monotonic clock in milliseconds. */
  now(): number;
  /** A full garbage collection (Node --expose-gc, Chromium --js-flags=--expose-gc). */
  gc?(): void;
  /** CPU (or main-thread busy) time of this process so far, in milliseconds. */
  cpuMs?(): Promise<number>;
  /** Bytes held: JS heap, and memory outside it (ArrayBuffers, wasm memory). */
  memory?(): MemoryReading | Promise<MemoryReading>;
  /** Called with a line of progress. */
  log(line: string): void;
}

export interface MemoryReading { heap: number; external: number }

/** One figure per peer, with the runs it is the median of. */
export interface Figure { median: number; runs: number[] }

/** One row of the results: a workload at one size. */
export interface Row {
  workload: string;
  param: string;
  unit: string;
  better: "lower" | "higher";
  /** The peer every ratio in this row is taken against. */
  baseline?: string;
  values: Record<string, Figure>;
  /** Anything else the row measured, per peer (lateness, live count...). */
  extra?: Record<string, Record<string, number>>;
}

/** xorshift32: the same inputs for every peer and every run. */
export function randoms(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  let x = seed | 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = (x >>> 0) / 4294967296;
  }
  return out;
}

/** `count` deadlines, uniform in [from, from + span). */
export function deadlines(count: number, span: number, seed: number, from = 0): Float64Array {
  const out = randoms(count, seed);
  for (let i = 0; i < count; i++) out[i] = from + out[i] * span;
  return out;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function quantile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

type Kernel = (...args: never[]) => unknown;
const copies = new Map<string, Kernel>();

/** A copy of `kernel` of its own for `peer`. A timed loop shared by all peers
 *  would see every peer's classes at its call sites (store.schedule(...)) and
 *  go megamorphic, so whichever peer ran first would get the best code; a
 *  program uses one store, so each peer gets a loop that sees only its own.
 *  Kernels therefore use nothing but their arguments. */
export function ownCopy<K extends Kernel>(kernel: K, peer: string): K {
  const key = `${kernel.name}\u0000${peer}`;
  let copy = copies.get(key);
  if (!copy) {
    copy = new Function(`return (${kernel.toString()})`)() as Kernel;
    copies.set(key, copy);
  }
  return copy as K;
}

/** Runs `measure` for every peer, `rounds` times, rotating the order each
 *  round so that no peer always runs first or right after a GC-heavy one;
 *  returns each peer's median and runs. With `budgetMs`, no round starts
 *  once that much time has passed (the first always runs): for workloads
 *  whose one run can take minutes on a loaded machine. */
export async function interleave<P extends { name: string }>(
  env: Env, rounds: number, peers: readonly P[], measure: (peer: P) => number | Promise<number>, budgetMs = Infinity,
): Promise<Record<string, Figure>> {
  const runs: Record<string, number[]> = {};
  for (const peer of peers) runs[peer.name] = [];
  const start = env.now();
  for (let round = 0; round < rounds && (round === 0 || env.now() - start < budgetMs); round++) {
    for (let k = 0; k < peers.length; k++) {
      const peer = peers[(k + round) % peers.length];
      env.gc?.();
      runs[peer.name].push(await measure(peer));
    }
  }
  const figures: Record<string, Figure> = {};
  for (const peer of peers) figures[peer.name] = { median: median(runs[peer.name]), runs: runs[peer.name] };
  return figures;
}

/** Yields to the host's event loop, so that a page stays responsive and a
 *  pending GC or timer runs between measurements. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
