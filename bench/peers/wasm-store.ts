// The core's timer store, driven through its wasm exports directly (no
// IOLoop, no Core wrapper), with the imports src/core.ts gives it. Each store
// is a fresh instance with its own linear memory.

import type { TimerStore } from "./store";

interface TimerExports {
  timerSchedule(deadline: number, delay: number): number;
  timerCancel(id: number): number;
  timerMove(id: number, deadline: number): number;
  timerPopDue(now: number): number;
  timerRelease(slot: number): void;
  timerNextDeadline(): number;
  timerPendingCount(): number;
}

export class WasmStore implements TimerStore {
  private constructor(private readonly core: TimerExports, readonly memory: WebAssembly.Memory) {}

  /** A store on a new instance of `module` (build/core.bench.wasm). */
  static create(module: WebAssembly.Module): WasmStore {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const abort = (): never => { throw new Error("abort: the core could not continue"); };
    const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
    const core = instance.exports as unknown as TimerExports;
    if (typeof core.timerPopDue !== "function") {
      throw new Error("bench: the module does not export timerPopDue: use build/core.bench.wasm (assembly/bench.ts)");
    }
    return new WasmStore(core, memory);
  }

  get size(): number { return this.core.timerPendingCount(); }
  schedule(deadline: number): number { return this.core.timerSchedule(deadline, 0); }
  cancel(id: number): boolean { return this.core.timerCancel(id) === 1; }
  move(id: number, deadline: number): boolean { return this.core.timerMove(id, deadline) === 1; }
  /** Pops and frees the slot at once: the store alone, with no dispatch
   *  list keeping popped slots reserved. */
  popDue(now: number): number {
    const slot = this.core.timerPopDue(now);
    if (slot >= 0) this.core.timerRelease(slot);
    return slot;
  }
  nextDeadline(): number { return this.core.timerNextDeadline(); }
}
