// The best JavaScript design we know for a loop's timers: a binary heap in
// parallel plain arrays as flatqueue keeps it (deadline, sequence and id per
// entry: no object per timer), integer ids (slot and generation, below 2^30
// so that V8 keeps them as small integers), a slot table of functions, and
// one host setTimeout (HostLoop). Cancel is lazy: the slot is freed at once
// (its generation moves on, so the old id is refused) and the heap entry is
// skipped when it surfaces; the heap is rebuilt without dead entries once
// they outnumber the live ones, so memory stays bounded under churn. There
// is no refresh: re-arming is cancel + schedule.

import { HostLoop } from "./host-loop";
import type { Fn } from "./peer";

const SLOT_BITS = 21; // 2M slots
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const MAX_GENERATION = (1 << (30 - SLOT_BITS)) - 1; // a slot this old is retired, never reissued
const MIN_REBUILD = 1024;

export class FlatHeapLoop extends HostLoop {
  // Per heap position.
  private ids: number[] = [];
  private deadlines: number[] = [];
  private sequences: number[] = [];
  private length = 0;
  private sequence = 0;
  // Per slot.
  private fns: (Fn | undefined)[] = [];
  private generations: number[] = [];
  private freeSlots: number[] = [];
  private live = 0;
  private readonly due: number[] = [];

  callLater(delayMs: number, fn: Fn): number {
    const deadline = this.time() + delayMs;
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop()!;
    else { slot = this.generations.length; this.generations.push(1); }
    this.fns[slot] = fn;
    const id = (this.generations[slot] << SLOT_BITS) | slot;
    this.up(this.length++, id, deadline, this.sequence++);
    this.live++;
    this.scheduled(deadline);
    return id;
  }

  removeTimeout(id: number): boolean {
    const slot = id & SLOT_MASK;
    if (!this.pending(id, slot)) return false;
    this.release(slot);
    if (this.length - this.live > this.live && this.length > MIN_REBUILD) this.rebuild();
    return true;
  }

  protected earliest(): number {
    while (this.length > 0 && !this.pending(this.ids[0], this.ids[0] & SLOT_MASK)) this.pop();
    return this.length > 0 ? this.deadlines[0] : Infinity;
  }

  protected runDue(now: number): void {
    const due = this.due;
    while (this.length > 0 && this.deadlines[0] <= now) {
      const id = this.ids[0];
      this.pop();
      if (this.pending(id, id & SLOT_MASK)) due.push(id);
    }
    for (let i = 0; i < due.length; i++) {
      const id = due[i], slot = id & SLOT_MASK;
      if (!this.pending(id, slot)) continue; // cancelled by an earlier call
      const fn = this.fns[slot]!;
      this.release(slot);
      this.call(fn);
    }
    due.length = 0;
  }

  override close(): void {
    super.close();
    this.ids = []; this.deadlines = []; this.sequences = []; this.fns = []; this.length = 0;
  }

  private pending(id: number, slot: number): boolean {
    return slot < this.generations.length && (this.generations[slot] << SLOT_BITS | slot) === id
      && this.fns[slot] !== undefined;
  }

  private release(slot: number): void {
    this.fns[slot] = undefined;
    this.live--;
    const generation = this.generations[slot];
    if (generation === MAX_GENERATION) return;
    this.generations[slot] = generation + 1;
    this.freeSlots.push(slot);
  }

  /** Keeps the live entries and re-heapifies them (Floyd's, O(n)). */
  private rebuild(): void {
    let n = 0;
    for (let i = 0; i < this.length; i++) {
      const id = this.ids[i];
      if (!this.pending(id, id & SLOT_MASK)) continue;
      this.ids[n] = id; this.deadlines[n] = this.deadlines[i]; this.sequences[n] = this.sequences[i]; n++;
    }
    this.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i, this.ids[i], this.deadlines[i], this.sequences[i]);
  }

  private pop(): void {
    const last = --this.length;
    if (last > 0) this.down(0, this.ids[last], this.deadlines[last], this.sequences[last]);
  }

  private up(i: number, id: number, deadline: number, sequence: number): void {
    const ids = this.ids, deadlines = this.deadlines, sequences = this.sequences;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const d = deadlines[parent];
      if (deadline > d || (deadline === d && sequence > sequences[parent])) break;
      ids[i] = ids[parent]; deadlines[i] = d; sequences[i] = sequences[parent];
      i = parent;
    }
    ids[i] = id; deadlines[i] = deadline; sequences[i] = sequence;
  }

  private down(i: number, id: number, deadline: number, sequence: number): void {
    const ids = this.ids, deadlines = this.deadlines, sequences = this.sequences;
    const length = this.length, half = length >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < length && (deadlines[right] < deadlines[child]
          || (deadlines[right] === deadlines[child] && sequences[right] < sequences[child]))) child = right;
      const d = deadlines[child];
      if (deadline < d || (deadline === d && sequence < sequences[child])) break;
      ids[i] = ids[child]; deadlines[i] = d; sequences[i] = sequences[child];
      i = child;
    }
    ids[i] = id; deadlines[i] = deadline; sequences[i] = sequence;
  }
}
