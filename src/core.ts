// The only file that touches the WebAssembly core: its exports, its memory,
// and the dispatch list it writes there.
//
// Boundary rules kept here:
//   - only numbers cross: i32 slots and masks, f64 ids, deadlines and times;
//   - every number both sides share (event bits, return codes, the id layout,
//     the list header) is exported by the core and read here when the module
//     is instantiated (readConstants); nothing of it is written twice;
//   - no view of wasm memory is kept across a call into the core that can
//     grow memory: the dispatch list is read where it lies, through a view
//     made again whenever memory has grown (listWord);
//   - the core returns codes and never throws, but it can trap (memory that
//     cannot grow). A trap leaves the instance in an unknown state: the first
//     one marks this Core failed, its loop fails with it and never calls it
//     again (the loop's state machine keeps that: src/loop/ioloop.ts), and
//     the core is never pooled.
//
// Cores are pooled: each instance has a lane, its number among the cores of
// the process, which the core puts in every timer id, so that no two loops
// alive at once ever issue the same id. A closed loop's core goes back to
// the pool with its lane and its timers' generations, so that a later loop
// reusing it issues none of the ids the closed one did; that also saves a
// new loop the instantiation.

import { ERROR, READ, WRITE } from "./events.js";
import { messageOf } from "./errors.js";
import { checkFunction, checkModule } from "./validate.js";

type Global = { value: number };

/** The release core's exports (assembly/index.ts). A test holds this type
 *  against the module's real export list. */
export interface CoreExports {
  memory?: WebAssembly.Memory;
  READ: Global; WRITE: Global; ERROR: Global;
  ERR_BAD_DEADLINE: Global; ERR_TOO_MANY_TIMERS: Global; ERR_BAD_SOURCE: Global; ERR_BAD_EVENTS: Global;
  SLOT_BITS: Global; LANE_BITS: Global; LIST_HEADER_WORDS: Global;
  timerSetLane(lane: number, firstGeneration: number): number;
  timerLaneHandover(): number;
  timerSchedule(deadline: number, delay: number): number;
  timerCancel(id: number): number;
  timerRefresh(id: number, now: number): number;
  timerDeadline(id: number): number;
  timerClaim(slot: number): number;
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
  runIteration(now: number, limit: number): number;
  continueIteration(limit: number): number;
  reset(): void;
  /** In the debug build only (assembly/debug.ts). */
  checkInvariants?(): number;
}

/** The shared numbers, as the module defines them. */
interface CoreConstants {
  errBadDeadline: number;
  errTooManyTimers: number;
  errBadSource: number;
  errBadEvents: number;
  slotScale: number;
  lanes: number;
  headerWords: number;
}

/** Loads the compiled core for the current runtime. */
export type CoreLoader = () => Promise<WebAssembly.Module>;

let defaultLoader: CoreLoader | undefined;
let defaultModule: Promise<WebAssembly.Module> | undefined;

/** Called once by each of the package's runtime entries to say how its
 *  runtime finds core.wasm; a call of your own replaces that loader for
 *  every loop created after it. The module is compiled once and shared. */
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
  // Called from a promise: a loader that throws, or returns a thenable of
  // any behaviour, rejects the create() instead of throwing out of it.
  defaultModule ??= Promise.resolve().then(defaultLoader).then((module) => {
    checkModule(module, " from the core loader (setCoreLoader)");
    return module;
  }).catch((error) => {
    defaultModule = undefined; // let a later create() try again
    throw error;
  });
  return defaultModule;
}

const WASM_PAGE = 65536;

/** Raised when the core has trapped; the loop that owned it has failed. */
export class CoreTrap extends Error {
  constructor(cause: unknown, why = messageOf(cause)) {
    super(`wasm-ioloop: the WebAssembly core trapped: ${why}`, { cause });
    this.name = "CoreTrap";
  }
}


/** Reads the shared numbers from a module's exports, and refuses a module
 *  whose event bits are not the ones this host exports to users (READ,
 *  WRITE, ERROR must be known before any core is loaded). */
function readConstants(exports: CoreExports): CoreConstants {
  const value = (name: keyof CoreExports): number => {
    const global = exports[name] as Global | undefined;
    if (!(global instanceof WebAssembly.Global)) throw new TypeError(`IOLoop.create: module is not wasm-ioloop's core (no ${name})`);
    return global.value;
  };
  if (value("READ") !== READ || value("WRITE") !== WRITE || value("ERROR") !== ERROR) {
    throw new TypeError("IOLoop.create: module is not wasm-ioloop's core (its event bits differ)");
  }
  return {
    errBadDeadline: value("ERR_BAD_DEADLINE"),
    errTooManyTimers: value("ERR_TOO_MANY_TIMERS"),
    errBadSource: value("ERR_BAD_SOURCE"),
    errBadEvents: value("ERR_BAD_EVENTS"),
    slotScale: 2 ** value("SLOT_BITS"),
    lanes: 2 ** value("LANE_BITS"),
    headerWords: value("LIST_HEADER_WORDS"),
  };
}

/** IOLoop.create's refusal of one loop too many: past the lanes (256 per
 *  process), or past the WebAssembly memories the runtime can reserve
 *  (each reserves gigabytes of address space: a Chromium page gave 125).
 *  A closed loop's core goes back to the pool and the next loop takes it,
 *  so closing loops makes room. */
function tooManyLoops(cause?: unknown): RangeError {
  return new RangeError(`IOLoop.create: ${lanesTaken - idleCores.length} loops are open, the most this runtime can hold; close() some`, { cause });
}

/** Cores of closed loops, ready for reuse; and how many lanes were handed
 *  out (a lane stays with its core in the pool, until the core hands it
 *  over to a new one). */
const idleCores: Core[] = [];
let lanesTaken = 0;

/** A dropped loop that was never closed gives its core back when it is
 *  collected (the core holds nothing of the loop's). */
const abandoned = new FinalizationRegistry<Core>((core) => core.release());

/** One instance of the core, owned by one IOLoop at a time. */
export class Core {
  readonly #core: CoreExports;
  readonly #memory: WebAssembly.Memory;
  readonly #module: WebAssembly.Module;
  readonly #maxBytes: number | undefined;
  /** The lane its ids carry: no other core alive has it. */
  #lane = 0;
  /** Set when the core trapped; every later call throws it. */
  failure: CoreTrap | undefined;
  /** The dispatch list of the current iteration: its address in memory and
   *  its counts (see assembly/dispatch.ts). */
  listCallbacks = 0;
  listTimeouts = 0;
  listSources = 0;
  #listAddress = 0;
  #words: Int32Array;
  readonly #constants: CoreConstants;
  #inUse = true;

  private constructor(
    core: CoreExports,
    memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    maxBytes: number | undefined,
  ) {
    this.#core = core;
    this.#memory = memory;
    this.#module = module;
    this.#maxBytes = maxBytes;
    this.#constants = readConstants(core);
    this.#words = new Int32Array(memory.buffer);
  }

  /** A core for a new loop: an idle one made from `module` with the same
   *  memory cap, else a new instance on a new lane. `maxMemoryBytes` caps
   *  the linear memory; the core traps when it needs more, and the loop
   *  reports itself failed. */
  static async acquire(module: WebAssembly.Module, maxMemoryBytes?: number): Promise<Core> {
    const maximum = maxMemoryBytes === undefined ? undefined : Math.max(1, Math.floor(maxMemoryBytes / WASM_PAGE));
    const maxBytes = maximum === undefined ? undefined : maximum * WASM_PAGE;
    const idle = idleCores.findIndex((core) => core.#module === module && core.#maxBytes === maxBytes);
    if (idle >= 0) {
      const core = idleCores.splice(idle, 1)[0]!;
      core.#inUse = true;
      return core;
    }
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory(maximum === undefined ? { initial: 1 } : { initial: 1, maximum });
    } catch (error) {
      throw tooManyLoops(error);
    }
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
    const core = new Core(instance.exports as unknown as CoreExports, memory, module, maxBytes);
    let first = 1;
    if (lanesTaken < core.#constants.lanes) core.#lane = lanesTaken++;
    else {
      // Every lane is taken: an idle core (kept for loops of another module
      // or memory cap) hands its lane over and goes, and the new core's ids
      // start past every one it issued.
      const giver = idleCores.findIndex((idle) => (first = idle.#core.timerLaneHandover()) > 0);
      if (giver < 0) throw tooManyLoops();
      core.#lane = idleCores.splice(giver, 1)[0]!.#lane;
    }
    if (core.#core.timerSetLane(core.#lane, first) !== 1) {
      throw new Error("IOLoop.create: the core refused its lane: a bug in wasm-ioloop");
    }
    return core;
  }

  /** Ties this core's return to the pool to `owner` being collected. */
  watch(owner: object): void { abandoned.register(owner, this, this); }

  /** Drops everything pending and puts the core back in the pool. A core
   *  that trapped is never used again (its lane goes with it). */
  release(): void {
    if (!this.#inUse) return;
    this.#inUse = false;
    abandoned.unregister(this);
    if (this.failure) return;
    try { this.#core.reset(); } catch (e) { this.failure = new CoreTrap(e); return; }
    this.listCallbacks = this.listTimeouts = this.listSources = 0;
    // The first lane's core is taken first: its ids stay small the longest
    // (assembly/timers.ts, "The tags").
    if (this.#lane === 0) idleCores.unshift(this); else idleCores.push(this);
  }

  /** Bytes of linear memory in use by this instance. */
  get memoryBytes(): number { return this.#memory.buffer.byteLength; }

  #trap(cause: unknown): never {
    if (cause instanceof CoreTrap) throw cause;
    // The allocator traps with a bare "unreachable" when memory.grow fails:
    // say what that means when the memory is at its cap.
    const full = this.#maxBytes !== undefined && this.#memory.buffer.byteLength + WASM_PAGE > this.#maxBytes;
    this.failure = full
      ? new CoreTrap(cause, `out of memory: its linear memory is at maxMemoryBytes (${this.#maxBytes} bytes) (${messageOf(cause)})`)
      : new CoreTrap(cause);
    throw this.failure;
  }

  /** A new timer id, or throws RangeError when 2M timers are pending. */
  schedule(where: string, deadline: number, delay: number): number {
    let id: number;
    try { id = this.#core.timerSchedule(deadline, delay); } catch (e) { this.#trap(e); }
    if (id < 0) {
      throw id === this.#constants.errTooManyTimers
        ? new RangeError(`${where}: too many pending timeouts (the limit is ${this.#constants.slotScale})`)
        : new RangeError(`${where}: invalid deadline ${deadline}`);
    }
    return id;
  }

  /** The slot of a timer id: where the host keeps its function. Floor and
   *  multiply, not %: V8 computes a double's remainder with a call to fmod,
   *  and the scale is a power of two, so every step here is exact. */
  slotOf(id: number): number {
    const scale = this.#constants.slotScale;
    return id - Math.floor(id / scale) * scale;
  }

  /** True if the timer was pending (or due and not yet run) and is now
   *  removed. Any number is safe to pass: the core refuses what it did not
   *  issue. */
  cancelTimer(id: number): boolean { return this.#core.timerCancel(id) === 1; }


  /** Re-arms the timer for now + its delay, keeping its id: the new
   *  deadline, or NaN if the id is not one it can re-arm. */
  refreshTimer(id: number, now: number): number { return this.#core.timerRefresh(id, now); }

  /** A pending timer's deadline, or NaN. */
  deadline(id: number): number { return this.#core.timerDeadline(id); }

  /** Before running the timeout of list entry `slot`: true if it is still
   *  due; it is then the one running. claim(-1) when none runs any more. */
  claim(slot: number): boolean { return this.#core.timerClaim(slot) === 1; }

  nextDeadline(): number { return this.#core.timerNextDeadline(); }
  timerCount(): number { return this.#core.timerPendingCount(); }
  callbackQueueLength(): number { return this.#core.callbackCount(); }
  readySourceCount(): number { return this.#core.sourceListedCount(); }

  /** True if the next iteration should start at once, not at a deadline. */
  hasImmediateWork(): boolean {
    return this.#core.callbackCount() > 0 || this.#core.sourceListedCount() > 0;
  }

  /** Queues a callback slot. */
  queueCallback(): number {
    try { return this.#core.callbackAdd(); } catch (e) { this.#trap(e); }
  }

  addSource(interest: number): number {
    let slot: number;
    try { slot = this.#core.sourceAdd(interest); } catch (e) { this.#trap(e); }
    this.#check(slot, "addHandler");
    return slot;
  }

  removeSource(slot: number): void { this.#check(this.#core.sourceRemove(slot), "removeHandler"); }
  setInterest(slot: number, interest: number): void {
    this.#check(this.#core.sourceSetInterest(slot, interest), "updateHandler");
  }
  setReady(slot: number, events: number): void { this.#check(this.#core.sourceSetReady(slot, events), "setReady"); }
  clearReady(slot: number, events: number): void { this.#check(this.#core.sourceClearReady(slot, events), "clearReady"); }

  /** Every source code is checked: the host validates first, so an error
   *  code here means the two halves disagree, which must not pass silently. */
  #check(code: number, where: string): void {
    if (code === this.#constants.errBadEvents || code === this.#constants.errBadSource) {
      throw new Error(`${where}: the core refused the call (code ${code}): a bug in wasm-ioloop`);
    }
  }

  /** Decides the iteration at `now` (or, with `more`, takes the next step
   *  of the decision begun last), taking at most `limit` due timeouts in
   *  this step. True once the list is decided: its counts are then in
   *  listCallbacks, listTimeouts and listSources, its entries in listWord. */
  decideIteration(now: number, limit: number, more: boolean): boolean {
    let address: number;
    try {
      address = more ? this.#core.continueIteration(limit) : this.#core.runIteration(now, limit);
    } catch (e) { this.#trap(e); }
    if (address === 0) return false;
    this.#listAddress = (address >> 2) + this.#constants.headerWords;
    const words = this.#view();
    this.listCallbacks = words[address >> 2]!;
    this.listTimeouts = words[(address >> 2) + 1]!;
    this.listSources = words[(address >> 2) + 2]!;
    return true;
  }

  /** Word i of the current list's entries (after the header): callback
   *  slots, then timer slots, then (source slot, events) pairs. */
  listWord(i: number): number { return this.#view()[this.#listAddress + i]!; }

  /** A view of memory as it is now: the old one is detached (length 0) once
   *  memory has grown. */
  #view(): Int32Array {
    if (this.#words.length === 0) this.#words = new Int32Array(this.#memory.buffer);
    return this.#words;
  }

  /** 0 when the core's internal invariants hold, else a code (see
   *  assembly/lifecycle.ts); undefined for a core built without the check
   *  (the release build). */
  invariantCode(): number | undefined { return this.#core.checkInvariants?.(); }
}
