// The shape every timer store in bench/ has, so that one workload drives them
// all: the core (through its wasm exports), the plain TypeScript ports of the
// core's stores, and the JavaScript peers.
//
//   schedule(deadline) -> id     id = generation * 2^22 + slot
//   cancel(id)         -> true if it was pending
//   move(id, deadline) -> true if it was pending
//   popDue(now)        -> the slot of the earliest timer due at `now`, or -1
//   nextDeadline()     -> the earliest deadline, +Infinity when empty
//   size               -> entries held: the live count, plus cancelled
//                         entries not yet dropped for a lazily-deleting store
//
// Every store's slot is its id modulo 2^22, so that a workload finds the slot
// of an id, and the JS slot table entry of a popped slot, the same way for
// all. The core's ids are (generation * 2^8 + lane) * 2^21 + slot, and the
// benchmarks' cores keep lane 0: its ids are a slot plus a multiple of 2^29.

export interface TimerStore {
  schedule(deadline: number): number;
  cancel(id: number): boolean;
  move(id: number, deadline: number): boolean;
  popDue(now: number): number;
  nextDeadline(): number;
  readonly size: number;
}

export const SLOT_SCALE = 2 ** 22;
export const MAX_GENERATION = 0x7fffffff;

/** The slot of an id in the layout above. */
export function slotOf(id: number): number {
  return id % SLOT_SCALE;
}
