// The JS half of the core's callback queue and timer store: what each slot
// stands for. The core orders slots; this table holds, by slot, the function
// to call, in one flat array: no object per callback or per timer. Only a
// call with extra arguments costs an object (a BoundCall), since it has an
// array of them to keep. Indexed by the core's slots, which are reused, so
// the table grows to the most entries live at once and no further.

export type AnyFunction = (...args: never[]) => unknown;

/** A function with the extra arguments it was scheduled with. */
export class BoundCall {
  constructor(readonly fn: AnyFunction, readonly args: unknown[]) {}
}

/** What a slot holds: the function alone, or the function and arguments. */
export type Call = AnyFunction | BoundCall;

/** A function and its extra arguments as one entry: the function itself
 *  when there are none, so that most calls allocate nothing. */
export function callOf(fn: AnyFunction, args: unknown[]): Call {
  return args.length === 0 ? fn : new BoundCall(fn, args);
}

export class CallTable {
  #calls: (Call | undefined)[] = [];

  /** Length of the by-slot table: the most slots the core has handed out. */
  get slotCount(): number { return this.#calls.length; }

  set(slot: number, call: Call): void { this.#calls[slot] = call; }

  at(slot: number): Call | undefined { return this.#calls[slot]; }

  /** Returns the slot's entry and forgets it (the closure is freed now, not
   *  when the slot is reused). */
  take(slot: number): Call | undefined {
    const call = this.#calls[slot];
    this.#calls[slot] = undefined;
    return call;
  }

  /** The entries held, by walking the table: for close(), a failure and the
   *  invariant check, never a hot path. */
  count(): number {
    let n = 0;
    for (const call of this.#calls) if (call !== undefined) n++;
    return n;
  }

  clear(): void { this.#calls = []; }
}
