// A timer store that cancels by lazy deletion, as Tornado's IOLoop does: the
// heap holds one object per timeout; cancel only marks it, and a marked entry
// is dropped when it reaches the top, or when more than 512 entries and more
// than half the heap are marked, by rebuilding the heap from the live ones.
// (Tornado checks that rule once per loop iteration; a store has no
// iteration, so it is checked on each cancel, which keeps the same bound.)
//
// The heap itself is a library (lazy-heaps.ts), so that flatqueue, tinyqueue,
// heap-js and fastpriorityqueue are measured doing the same job. Ids follow
// the core's layout through a slot table; a slot is reused only once its
// entry has left the heap.

import { MAX_GENERATION, SLOT_SCALE, type TimerStore } from "./store";

/** One pending or cancelled timeout, as Tornado's _Timeout. */
export interface Entry {
  deadline: number;
  sequence: number;
  slot: number;
  cancelled: boolean;
}

/** What a heap library must do for LazyStore. */
export interface EntryHeap {
  readonly length: number;
  push(entry: Entry): void;
  /** The least entry; the heap must not be empty. */
  peek(): Entry;
  pop(): void;
  /** Replaces the contents with `entries`, in any order, and re-heapifies. */
  rebuild(entries: Entry[]): void;
  entries(): Entry[];
}

/** The (deadline, sequence) order, for heaps that take a comparator. */
export function entryOrder(a: Entry, b: Entry): number {
  return a.deadline - b.deadline || a.sequence - b.sequence;
}

const COMPACT_MIN = 512;
const NONE = -1;

export class LazyStore implements TimerStore {
  private readonly bySlot: (Entry | undefined)[] = [];
  private readonly generations: number[] = [];
  private readonly freeSlots: number[] = [];
  private cancellations = 0;
  private sequence = 0;

  constructor(private readonly heap: EntryHeap) {}

  get size(): number { return this.heap.length; }

  schedule(deadline: number): number {
    if (deadline !== deadline) return -1;
    let slot: number;
    if (this.freeSlots.length > 0) {
      slot = this.freeSlots.pop()!;
    } else {
      slot = this.generations.length;
      if (slot === SLOT_SCALE) return -2;
      this.generations.push(1);
      this.bySlot.push(undefined);
    }
    const entry: Entry = { deadline, sequence: this.sequence++, slot, cancelled: false };
    this.bySlot[slot] = entry;
    this.heap.push(entry);
    return this.generations[slot] * SLOT_SCALE + slot;
  }

  cancel(id: number): boolean {
    const entry = this.pending(id);
    if (!entry) return false;
    entry.cancelled = true;
    this.bumpGeneration(entry.slot); // the id is stale now; the slot is not free yet
    if (++this.cancellations > COMPACT_MIN && this.cancellations > this.heap.length >> 1) this.compact();
    return true;
  }

  /** Lazy stores have no move: the old entry is cancelled and a new one
   *  pushed, which is what Tornado does for a re-armed timeout. */
  move(id: number, deadline: number): boolean {
    const entry = this.pending(id);
    if (!entry || deadline !== deadline) return false;
    this.cancel(id);
    this.schedule(deadline);
    return true;
  }

  popDue(now: number): number {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap.peek();
      if (top.cancelled) {
        heap.pop();
        this.cancellations--;
        this.freeSlot(top.slot);
        continue;
      }
      if (top.deadline > now) return NONE;
      heap.pop();
      this.bumpGeneration(top.slot);
      this.freeSlot(top.slot);
      return top.slot;
    }
    return NONE;
  }

  nextDeadline(): number {
    this.popDue(-Infinity); // drops cancelled entries from the top
    return this.heap.length > 0 ? this.heap.peek().deadline : Infinity;
  }

  private pending(id: number): Entry | undefined {
    const slot = id % SLOT_SCALE;
    if (!(slot >= 0 && slot < this.generations.length)) return undefined;
    if (this.generations[slot] !== (id - slot) / SLOT_SCALE) return undefined;
    const entry = this.bySlot[slot];
    return entry && !entry.cancelled ? entry : undefined;
  }

  private compact(): void {
    const live: Entry[] = [];
    for (const entry of this.heap.entries()) {
      if (entry.cancelled) this.freeSlot(entry.slot);
      else live.push(entry);
    }
    this.heap.rebuild(live);
    this.cancellations = 0;
  }

  private bumpGeneration(slot: number): void {
    const g = this.generations[slot];
    this.generations[slot] = g === MAX_GENERATION ? g : g + 1;
  }

  private freeSlot(slot: number): void {
    this.bySlot[slot] = undefined;
    if (this.generations[slot] !== MAX_GENERATION) this.freeSlots.push(slot);
  }
}
