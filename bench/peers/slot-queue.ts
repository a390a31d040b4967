// The best timer store we know how to write in JavaScript: a binary heap in
// parallel plain arrays, as flatqueue keeps it (slots and deadlines side by
// side, no object per entry), plus what a timer store needs beyond a queue:
// a sequence number per entry for exact (deadline, sequence) order, a
// position per slot so that cancel removes the entry at once in O(log n), and
// a generation per slot so that a stale id never touches a reused slot.
//
// Written for bench/ from the description of that design; it is the
// baseline every figure is compared with ("best JS").

import { MAX_GENERATION, SLOT_SCALE, type TimerStore } from "./store";

const NONE = -1;

export class SlotQueue implements TimerStore {
  // Per heap position.
  private slots: number[] = [];
  private deadlines: number[] = [];
  private sequences: number[] = [];
  private length = 0;
  // Per slot.
  private positions: number[] = [];
  private generations: number[] = [];
  private freeSlots: number[] = [];
  private sequence = 0;

  get size(): number { return this.length; }

  schedule(deadline: number): number {
    if (deadline !== deadline) return -1;
    let slot: number;
    if (this.freeSlots.length > 0) {
      slot = this.freeSlots.pop()!;
    } else {
      slot = this.generations.length;
      if (slot === SLOT_SCALE) return -2;
      this.generations.push(1);
      this.positions.push(NONE);
    }
    this.up(this.length++, slot, deadline, this.sequence++);
    return this.generations[slot] * SLOT_SCALE + slot;
  }

  cancel(id: number): boolean {
    const slot = this.pendingSlot(id);
    if (slot === NONE) return false;
    const i = this.positions[slot];
    this.release(slot);
    const last = --this.length;
    if (i !== last) this.refill(i, this.slots[last], this.deadlines[last], this.sequences[last]);
    return true;
  }

  move(id: number, deadline: number): boolean {
    if (deadline !== deadline) return false;
    const slot = this.pendingSlot(id);
    if (slot === NONE) return false;
    this.refill(this.positions[slot], slot, deadline, this.sequence++);
    return true;
  }

  popDue(now: number): number {
    if (this.length === 0 || this.deadlines[0] > now) return NONE;
    const top = this.slots[0];
    this.release(top);
    const last = --this.length;
    if (last > 0) this.down(0, this.slots[last], this.deadlines[last], this.sequences[last]);
    return top;
  }

  nextDeadline(): number { return this.length > 0 ? this.deadlines[0] : Infinity; }

  /** Puts an entry into hole `i`, moving it up or down to where it belongs. */
  private refill(i: number, slot: number, deadline: number, sequence: number): void {
    const parent = (i - 1) >> 1;
    if (i > 0 && (deadline < this.deadlines[parent]
        || (deadline === this.deadlines[parent] && sequence < this.sequences[parent]))) {
      this.up(i, slot, deadline, sequence);
    } else {
      this.down(i, slot, deadline, sequence);
    }
  }

  private up(i: number, slot: number, deadline: number, sequence: number): void {
    const slots = this.slots, deadlines = this.deadlines, sequences = this.sequences;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const d = deadlines[parent];
      if (deadline > d || (deadline === d && sequence > sequences[parent])) break;
      slots[i] = slots[parent];
      deadlines[i] = d;
      sequences[i] = sequences[parent];
      this.positions[slots[i]] = i;
      i = parent;
    }
    slots[i] = slot;
    deadlines[i] = deadline;
    sequences[i] = sequence;
    this.positions[slot] = i;
  }

  private down(i: number, slot: number, deadline: number, sequence: number): void {
    const slots = this.slots, deadlines = this.deadlines, sequences = this.sequences;
    const half = this.length >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < this.length && (deadlines[right] < deadlines[child]
          || (deadlines[right] === deadlines[child] && sequences[right] < sequences[child]))) {
        child = right;
      }
      const d = deadlines[child];
      if (deadline < d || (deadline === d && sequence < sequences[child])) break;
      slots[i] = slots[child];
      deadlines[i] = d;
      sequences[i] = sequences[child];
      this.positions[slots[i]] = i;
      i = child;
    }
    slots[i] = slot;
    deadlines[i] = deadline;
    sequences[i] = sequence;
    this.positions[slot] = i;
  }

  private pendingSlot(id: number): number {
    const slot = id % SLOT_SCALE;
    if (!(slot >= 0 && slot < this.generations.length)) return NONE; // also NaN
    if (this.generations[slot] !== (id - slot) / SLOT_SCALE) return NONE;
    return this.positions[slot] === NONE ? NONE : slot;
  }

  /** The slot leaves the heap; its id goes stale at once. */
  private release(slot: number): void {
    this.positions[slot] = NONE;
    const g = this.generations[slot];
    if (g === MAX_GENERATION) return; // retired: never reissued
    this.generations[slot] = g + 1;
    this.freeSlots.push(slot);
  }
}
