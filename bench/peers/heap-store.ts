// A plain TypeScript port of the core's first timer store (assembly/heap.ts
// and assembly/timers.ts as of the project's first commit, before the wheel): an
// indexed 4-ary min-heap ordered by (deadline, sequence), slots from a free
// list, ids that carry a generation.
//
// The algorithm, the memory layout (parallel typed arrays, no objects) and
// the contract are that store's, line for line: beside the wheel port it shows
// what the wheel adds, beside the flatqueue-style baseline what a 4-ary
// indexed heap in typed arrays is worth in plain JavaScript.
//
// The shape every store in bench/ has:
//   schedule(deadline) -> id     id = generation * 2^22 + slot
//   cancel(id)         -> true if it was pending
//   move(id, deadline) -> true if it was pending (it is then ordered last
//                         among equal deadlines)
//   popDue(now)        -> the slot of the earliest timer due at `now`, or -1
//   nextDeadline()     -> the earliest deadline, +Infinity when empty
//   size               -> entries held

const SLOT_BITS = 22;
const SLOT_SCALE = 2 ** SLOT_BITS;
const MAX_SLOTS = SLOT_SCALE;
const MAX_GENERATION = 0x7fffffff;
const NOT_IN_HEAP = -1;
const NO_SLOT = -1;

function grownFloat64(block: Float64Array<ArrayBuffer>, needed: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(nextCapacity(block.length, needed));
  grown.set(block);
  return grown;
}

function grownInt32(block: Int32Array<ArrayBuffer>, needed: number, fill: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(nextCapacity(block.length, needed));
  grown.set(block);
  if (fill !== 0) grown.fill(fill, block.length);
  return grown;
}

/** Doubling, as assembly/memory.ts does. */
function nextCapacity(current: number, needed: number): number {
  let capacity = current < 16 ? 16 : current;
  while (capacity < needed) capacity *= 2;
  return capacity;
}

export class HeapStore {
  // Per heap position.
  private keys = new Float64Array(0);
  private ties = new Float64Array(0);
  private slots = new Int32Array(0);
  private count = 0;
  // Per slot.
  private positions = new Int32Array(0);
  private generations = new Int32Array(0);
  private nextFree = new Int32Array(0);
  private slotsUsed = 0;
  private freeHead = NO_SLOT;
  private sequence = 0;

  get size(): number { return this.count; }

  schedule(deadline: number): number {
    if (deadline !== deadline) return -1;
    const slot = this.takeSlot();
    if (slot === NO_SLOT) return -2;
    if (this.count === this.keys.length) {
      this.keys = grownFloat64(this.keys, this.count + 1);
      this.ties = grownFloat64(this.ties, this.count + 1);
      this.slots = grownInt32(this.slots, this.count + 1, 0);
    }
    this.siftUp(this.count++, deadline, this.sequence++, slot);
    return this.generations[slot] * SLOT_SCALE + slot;
  }

  cancel(id: number): boolean {
    const slot = this.pendingSlot(id);
    if (slot === NO_SLOT) return false;
    this.remove(slot);
    this.releaseSlot(slot);
    return true;
  }

  move(id: number, deadline: number): boolean {
    if (deadline !== deadline) return false;
    const slot = this.pendingSlot(id);
    if (slot === NO_SLOT) return false;
    const i = this.positions[slot];
    const tie = this.sequence++;
    if (i > 0 && this.before(deadline, tie, (i - 1) >> 2)) this.siftUp(i, deadline, tie, slot);
    else this.siftDown(i, deadline, tie, slot);
    return true;
  }

  popDue(now: number): number {
    if (!(this.count > 0 && this.keys[0] <= now)) return NO_SLOT;
    const top = this.slots[0];
    this.positions[top] = NOT_IN_HEAP;
    const last = --this.count;
    if (last > 0) this.siftDown(0, this.keys[last], this.ties[last], this.slots[last]);
    this.releaseSlot(top);
    return top;
  }

  nextDeadline(): number { return this.count > 0 ? this.keys[0] : Infinity; }

  private before(key: number, tie: number, i: number): boolean {
    const other = this.keys[i];
    return key < other || (key === other && tie < this.ties[i]);
  }

  private place(i: number, key: number, tie: number, slot: number): void {
    this.keys[i] = key;
    this.ties[i] = tie;
    this.slots[i] = slot;
    this.positions[slot] = i;
  }

  private siftUp(i: number, key: number, tie: number, slot: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 2;
      if (!this.before(key, tie, parent)) break;
      this.place(i, this.keys[parent], this.ties[parent], this.slots[parent]);
      i = parent;
    }
    this.place(i, key, tie, slot);
  }

  private siftDown(i: number, key: number, tie: number, slot: number): void {
    const n = this.count;
    while (true) {
      const first = (i << 2) + 1;
      if (first >= n) break;
      let best = first;
      const last = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < last; c++) {
        if (this.before(this.keys[c], this.ties[c], best)) best = c;
      }
      const bk = this.keys[best];
      if (key < bk || (key === bk && tie <= this.ties[best])) break;
      this.place(i, bk, this.ties[best], this.slots[best]);
      i = best;
    }
    this.place(i, key, tie, slot);
  }

  private remove(slot: number): void {
    const i = this.positions[slot];
    this.positions[slot] = NOT_IN_HEAP;
    const last = --this.count;
    if (i === last) return;
    const key = this.keys[last], tie = this.ties[last], moved = this.slots[last];
    if (i > 0 && this.before(key, tie, (i - 1) >> 2)) this.siftUp(i, key, tie, moved);
    else this.siftDown(i, key, tie, moved);
  }

  private pendingSlot(id: number): number {
    if (!(id >= 0 && id < Number.MAX_SAFE_INTEGER) || id !== Math.floor(id)) return NO_SLOT;
    const slot = id % SLOT_SCALE;
    const generation = (id - slot) / SLOT_SCALE;
    if (slot >= this.slotsUsed || this.generations[slot] !== generation) return NO_SLOT;
    return this.positions[slot] < 0 ? NO_SLOT : slot;
  }

  private takeSlot(): number {
    if (this.freeHead !== NO_SLOT) {
      const slot = this.freeHead;
      this.freeHead = this.nextFree[slot];
      return slot;
    }
    if (this.slotsUsed === MAX_SLOTS) return NO_SLOT;
    if (this.slotsUsed === this.generations.length) {
      this.generations = grownInt32(this.generations, this.slotsUsed + 1, 0);
      this.nextFree = grownInt32(this.nextFree, this.slotsUsed + 1, 0);
      this.positions = grownInt32(this.positions, this.slotsUsed + 1, NOT_IN_HEAP);
    }
    const slot = this.slotsUsed++;
    this.generations[slot] = 1;
    return slot;
  }

  private releaseSlot(slot: number): void {
    const g = this.generations[slot];
    if (g === MAX_GENERATION) return;
    this.generations[slot] = g + 1;
    this.nextFree[slot] = this.freeHead;
    this.freeHead = slot;
  }
}
