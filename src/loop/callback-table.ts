// The JS half of the callback queue: the core orders the slots (its queue
// is FIFO, with Tornado's snapshot), this table holds the function and the
// arguments each queued slot stands for. Indexed by the core's slots, which
// are reused, so it grows to the most callbacks queued at once and no
// further.

type AnyFunction = (...args: never[]) => unknown;

export class CallbackTable {
  private fns: (AnyFunction | undefined)[] = [];
  private args: (unknown[] | undefined)[] = [];

  /** Length of the by-slot table: the most slots the core has handed out. */
  get slotCount(): number { return this.fns.length; }

  /** Called with a slot the core has just queued. `args` is undefined for a
   *  callback that takes none, so that most calls allocate no array. */
  add(slot: number, fn: AnyFunction, args: unknown[] | undefined): void {
    this.fns[slot] = fn;
    this.args[slot] = args;
  }

  fnAt(slot: number): AnyFunction | undefined { return this.fns[slot]; }

  argsAt(slot: number): unknown[] | undefined { return this.args[slot]; }

  /** Forgets the slot, once the core has handed it out in an iteration's
   *  list (the core has freed it, and may queue it again). */
  release(slot: number): void {
    this.fns[slot] = undefined;
    this.args[slot] = undefined;
  }

  /** The callbacks queued, by walking the table: for close(), a failure and
   *  the invariant check (which compares it with the core's own count), never
   *  a hot path. */
  count(): number {
    return this.fns.reduce((n, fn) => (fn ? n + 1 : n), 0);
  }

  removeAll(): void {
    this.fns = [];
    this.args = [];
  }
}
