// The only file that touches the WebAssembly core: its exports, its memory,
// and the dispatch list it writes there.
//
// Boundary rules kept here:
//   - only numbers cross: i32 slots and masks, f64 ids, deadlines and times;
//   - no view of wasm memory is kept across a call into the core, since any
//     call that allocates may grow memory and detach old views: the dispatch
//     list is copied out into a JS-owned array right after runIteration;
//   - the core returns codes and never throws, but it can trap (memory that
//     cannot grow). A trap leaves the instance in an unknown state, so the
//     first one marks this Core failed and every later call throws the cause.

import { checkFunction } from "./validate.js";

export interface CoreExports {
  memory?: WebAssembly.Memory;
  timerSchedule(deadline: number): number;
  timerCancel(id: number): number;
  timerMove(id: number, deadline: number): number;
  timerNextDeadline(): number;
  timerPendingCount(): number;
  callbackAdd(): number;
  callbackCount(): number;
  sourceAdd(interest: number): number;
  sourceRemove(slot: number): number;
  sourceSetInterest(slot: number, interest: number): number;
  sourceSetReady(slot: number, events: number): number;
  sourceClearReady(slot: number, events: number): number;
  sourceListedCount(): number;
  runIteration(now: number): number;
  reset(): void;
  checkInvariants(): number;
}

/** Loads the compiled core for the current runtime (see src/runtime/). */
export type CoreLoader = () => Promise<WebAssembly.Module>;

let defaultLoader: CoreLoader | undefined;
let defaultModule: Promise<WebAssembly.Module> | undefined;

/** Called once by each runtime entry (src/runtime/*.ts) to say how its
 *  runtime finds core.wasm. The module is compiled once and shared. */
export function setCoreLoader(loader: CoreLoader): void {
  checkFunction("setCoreLoader", "loader", loader);
  defaultLoader = loader;
  defaultModule = undefined;
}

/** The shared compiled module, loading it on first use. */
export function loadCoreModule(): Promise<WebAssembly.Module> {
  if (!defaultLoader) {
    return Promise.reject(new Error("wasm-ioloop: no core loader for this runtime; import the package by name, or pass { module } to IOLoop.create"));
  }
  defaultModule ??= defaultLoader().catch((error) => {
    defaultModule = undefined; // let a later create() try again
    throw error;
  });
  return defaultModule;
}

/** Ids returned by timerSchedule below this value are error codes. */
const ERR_TOO_MANY_TIMERS = -2;
/** The low bits of a timer id are its slot (see assembly/timers.ts). */
const TIMER_SLOT_SCALE = 2 ** 22;
const HEADER_WORDS = 3;
const WASM_PAGE = 65536;

/** Raised when the core has trapped; the loop that owned it has failed. */
export class CoreTrap extends Error {
  constructor(cause: unknown, why = describe(cause)) {
    super(`wasm-ioloop: the WebAssembly core trapped: ${why}`, { cause });
    this.name = "CoreTrap";
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** One instance of the core, owned by one IOLoop. */
export class Core {
  /** The dispatch list of the last iteration, copied out of wasm memory:
   *  [callbacks, timeouts, sources, ...slots, ...(slot, events) pairs]. */
  list = new Int32Array(256);
  /** Set when the core trapped; every later call throws it. */
  failure: CoreTrap | undefined;
  private readonly core: CoreExports;
  private readonly memory: WebAssembly.Memory;

  private constructor(exports: CoreExports, memory: WebAssembly.Memory, private readonly maxBytes: number | undefined) {
    this.core = exports;
    this.memory = memory;
  }

  /** Instantiates `module`. `maxMemoryBytes` caps the linear memory; the
   *  core traps when it needs more, and the loop reports itself failed. */
  static async instantiate(module: WebAssembly.Module, maxMemoryBytes?: number): Promise<Core> {
    const maximum = maxMemoryBytes === undefined ? undefined : Math.max(1, Math.floor(maxMemoryBytes / WASM_PAGE));
    const memory = new WebAssembly.Memory(maximum === undefined ? { initial: 1 } : { initial: 1, maximum });
    const imports = {
      env: {
        memory,
        abort(): never {
          // Only the debug build imports abort: AssemblyScript calls it on a
          // failed assertion before it traps. Running out of memory is a bare
          // trap from the core's own allocator (assembly/memory.ts; see trap()).
          throw new Error("abort: an assertion in the core failed");
        },
      },
    };
    const instance = await WebAssembly.instantiate(module, imports);
    return new Core(instance.exports as unknown as CoreExports, memory, maximum === undefined ? undefined : maximum * WASM_PAGE);
  }

  /** Bytes of linear memory in use by this instance. */
  get memoryBytes(): number { return this.memory.buffer.byteLength; }

  private trap(cause: unknown): never {
    if (cause instanceof CoreTrap) throw cause;
    // The allocator traps with a bare "unreachable" when memory.grow fails:
    // say what that means when the memory is at its cap.
    const full = this.maxBytes !== undefined && this.memory.buffer.byteLength + WASM_PAGE > this.maxBytes;
    this.failure = full
      ? new CoreTrap(cause, `out of memory: its linear memory is at maxMemoryBytes (${this.maxBytes} bytes) (${describe(cause)})`)
      : new CoreTrap(cause);
    throw this.failure;
  }

  private guard(): void {
    if (this.failure) throw this.failure;
  }

  /** A new timer id, or throws RangeError when 4M timers are pending. */
  schedule(deadline: number): number {
    this.guard();
    let id: number;
    try { id = this.core.timerSchedule(deadline); } catch (e) { this.trap(e); }
    if (id < 0) {
      throw id === ERR_TOO_MANY_TIMERS
        ? new RangeError("wasm-ioloop: too many pending timeouts (the limit is 4,194,304)")
        : new RangeError(`wasm-ioloop: invalid deadline ${deadline}`);
    }
    return id;
  }

  /** True if the timer was pending and is now removed. */
  cancel(id: number): boolean {
    this.guard();
    return this.core.timerCancel(id) === 1;
  }

  /** True if the pending timer was moved to `deadline`, keeping its id. */
  move(id: number, deadline: number): boolean {
    this.guard();
    return this.core.timerMove(id, deadline) === 1;
  }

  nextDeadline(): number { this.guard(); return this.core.timerNextDeadline(); }
  pendingTimers(): number { this.guard(); return this.core.timerPendingCount(); }
  queuedCallbacks(): number { this.guard(); return this.core.callbackCount(); }
  readySources(): number { this.guard(); return this.core.sourceListedCount(); }

  /** True if the next iteration should start at once, not at a deadline. */
  hasImmediateWork(): boolean {
    this.guard();
    return this.core.callbackCount() > 0 || this.core.sourceListedCount() > 0;
  }

  /** Queues a callback slot. */
  addCallback(): number {
    this.guard();
    try { return this.core.callbackAdd(); } catch (e) { this.trap(e); }
  }

  addSource(interest: number): number {
    this.guard();
    let slot: number;
    try { slot = this.core.sourceAdd(interest); } catch (e) { this.trap(e); }
    if (slot < 0) throw new RangeError(`wasm-ioloop: invalid interest mask ${interest}`);
    return slot;
  }

  removeSource(slot: number): void { this.guard(); this.core.sourceRemove(slot); }
  setInterest(slot: number, interest: number): void { this.guard(); this.core.sourceSetInterest(slot, interest); }
  setReady(slot: number, events: number): void { this.guard(); this.core.sourceSetReady(slot, events); }
  clearReady(slot: number, events: number): void { this.guard(); this.core.sourceClearReady(slot, events); }

  /** Decides the iteration at `now` and copies its dispatch list into
   *  `this.list`. Returns the list's length in words. */
  runIteration(now: number): number {
    this.guard();
    let address: number;
    try { address = this.core.runIteration(now); } catch (e) { this.trap(e); }
    const words = new Int32Array(this.memory.buffer, address, HEADER_WORDS);
    const length = HEADER_WORDS + words[0] + words[1] + 2 * words[2];
    if (this.list.length < length) {
      this.list = new Int32Array(Math.max(length, this.list.length * 2));
    }
    this.list.set(new Int32Array(this.memory.buffer, address, length));
    return length;
  }

  /** Drops everything pending; the instance stays usable. */
  reset(): void { this.guard(); this.core.reset(); }

  /** 0 when the core's internal invariants hold, else a code (see
   *  assembly/lifecycle.ts). For tests. */
  checkInvariants(): number { this.guard(); return this.core.checkInvariants(); }
}

/** The slot of a timer id (see assembly/timers.ts). */
export function timerSlot(id: number): number {
  return id % TIMER_SLOT_SCALE;
}
