// The JS half of the source table: for each source with a handler, the
// handler, the interest the core was told, and the core's slot for it.
// Sources are looked up by identity (a Map), slots by index (an array).

/** What a handler is called with: the source it was added for, and the
 *  events that are ready (a mask of READ, WRITE and ERROR). */
export type Handler<S> = (source: S, events: number) => unknown;

export interface HandlerEntry {
  readonly source: unknown;
  readonly handler: Handler<unknown>;
  interest: number;
  readonly slot: number;
  /** False once removed: an iteration that listed it skips it. */
  live: boolean;
}

export class HandlerTable {
  readonly #bySource = new Map<unknown, HandlerEntry>();
  #bySlot: (HandlerEntry | undefined)[] = [];

  get size(): number { return this.#bySource.size; }

  /** Length of the by-slot table: the most slots the core has handed out. */
  get slotCount(): number { return this.#bySlot.length; }

  get(source: unknown): HandlerEntry | undefined { return this.#bySource.get(source); }

  atSlot(slot: number): HandlerEntry | undefined { return this.#bySlot[slot]; }

  add(source: unknown, handler: Handler<unknown>, interest: number, slot: number): HandlerEntry {
    const entry: HandlerEntry = { source, handler, interest, slot, live: true };
    this.#bySource.set(source, entry);
    this.#bySlot[slot] = entry;
    return entry;
  }

  remove(entry: HandlerEntry): void {
    entry.live = false;
    this.#bySource.delete(entry.source);
    if (this.#bySlot[entry.slot] === entry) this.#bySlot[entry.slot] = undefined;
  }

  /** Empties the table and returns what it held. */
  removeAll(): HandlerEntry[] {
    const entries = [...this.#bySource.values()];
    for (const entry of entries) entry.live = false;
    this.#bySource.clear();
    this.#bySlot = [];
    return entries;
  }
}
