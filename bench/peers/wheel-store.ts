// A plain TypeScript port of the core's timer store (assembly/records.ts,
// assembly/wheel.ts, assembly/heap.ts, assembly/timers.ts): a hierarchical
// timing wheel of 1 ms ticks for the timers not yet due, feeding an indexed
// 4-ary heap on (deadline, sequence) for those whose tick has come, so that
// timers fire in exact (deadline, sequence) order at the wheel's speed.
//
// It exists to show what WebAssembly itself adds: the algorithm, the memory
// layout (one 32-byte record per slot in one buffer, the wheel's list heads
// as records before record 0, typed arrays for the heap) and the contract are
// the core's; only the language differs. The invariants are those stated in
// the assembly/ files; see there for the reasons.
//
//   schedule(deadline) -> id     id = generation * 2^22 + slot (-1: NaN)
//   cancel(id)         -> true if it was pending
//   move(id, deadline) -> true if it was pending (then last among equals)
//   popDue(now)        -> the slot of the earliest timer due at `now`, or -1
//   nextDeadline()     -> the earliest deadline, +Infinity when empty
//   size               -> timers pending

const SLOT_SCALE = 2 ** 22;
const MAX_GENERATION = 0x7fffffff;
const RETIRED = 0;
const NO_SLOT = -1;
const NOT_IN_HEAP = -1;
const IN_HEAP = 0x7fffffff;

const LEVELS = 6;
const OVERFLOW = LEVELS * 64;
const HEADS = OVERFLOW + 1;
const WHEEL_SPAN = 2 ** 36;
const TICK_LIMIT = 2 ** 52; // ticks stay exact doubles; past it, one overflow tick

// Record layout, in 4-byte words (8 words = 32 bytes per record):
// deadline f64 [0,1], sequence f64 [2,3], next [4], prev [5], generation [6].
const NEXT = 4, PREV = 5, GENERATION = 6;

function tickOf(d: number): number {
  if (d < 0) return -1;
  return d < TICK_LIMIT ? Math.floor(d) : TICK_LIMIT;
}

function nextCapacity(current: number, needed: number): number {
  let capacity = current < 16 ? 16 : current;
  while (capacity < needed) capacity *= 2;
  return capacity;
}

export class WheelStore {
  // Records: node n (timer slot n >= 0, list head -1-b) at word (n + HEADS) * 8.
  private words = new Int32Array(0);
  private floats = new Float64Array(0);
  private capacity = 0;
  // Wheel.
  private occupied = new Uint32Array(LEVELS * 2); // 64 bits per level as two words
  private elapsed = 0;
  private minDeadline = Infinity;
  private minValid = true;
  // Heap, per position and per slot.
  private keys = new Float64Array(0);
  private ties = new Float64Array(0);
  private heapSlots = new Int32Array(0);
  private positions = new Int32Array(0);
  private heapCount = 0;
  // Slots.
  private slotsUsed = 0;
  private freeHead = NO_SLOT;
  private sequence = 0;
  private pending = 0;

  constructor() { this.reserve(1); }

  get size(): number { return this.pending; }

  schedule(deadline: number): number {
    if (deadline !== deadline) return -1;
    const slot = this.takeSlot();
    const f = (slot + HEADS) * 4;
    this.floats[f] = deadline;
    this.floats[f + 1] = this.sequence++;
    this.place(slot);
    this.pending++;
    return this.words[(slot + HEADS) * 8 + GENERATION] * SLOT_SCALE + slot;
  }

  cancel(id: number): boolean {
    const slot = this.pendingSlot(id);
    if (slot === NO_SLOT) return false;
    this.unplace(slot);
    this.release(slot);
    return true;
  }

  move(id: number, deadline: number): boolean {
    if (deadline !== deadline) return false;
    const slot = this.pendingSlot(id);
    if (slot === NO_SLOT) return false;
    this.unplace(slot);
    const f = (slot + HEADS) * 4;
    this.floats[f] = deadline;
    this.floats[f + 1] = this.sequence++;
    this.place(slot);
    return true;
  }

  popDue(now: number): number {
    if (this.heapCount === 0) {
      if (now !== now) return NO_SLOT;
      const limit = tickOf(now);
      while (this.heapCount === 0) {
        if (!this.refill(limit)) {
          if (limit > this.elapsed) this.elapsed = limit;
          return NO_SLOT;
        }
      }
    }
    if (!(this.keys[0] <= now)) return NO_SLOT;
    const top = this.heapSlots[0];
    this.positions[top] = NOT_IN_HEAP;
    const last = --this.heapCount;
    if (last > 0) this.siftDown(0, this.keys[last], this.ties[last], this.heapSlots[last]);
    this.release(top);
    return top;
  }

  nextDeadline(): number {
    while (this.heapCount === 0 && this.refill(this.elapsed - (this.elapsed % 64) + 127)) { /* down the levels */ }
    return this.heapCount > 0 ? this.keys[0] : this.wheelEarliestDeadline();
  }

  // ---- slots -------------------------------------------------------------

  private pendingSlot(id: number): number {
    if (!(id >= 0 && id < 2 ** 53) || Math.floor(id) !== id) return NO_SLOT;
    const slot = id % SLOT_SCALE;
    if (slot >= this.slotsUsed) return NO_SLOT;
    if (this.words[(slot + HEADS) * 8 + GENERATION] !== (id - slot) / SLOT_SCALE) return NO_SLOT;
    return slot;
  }

  private takeSlot(): number {
    if (this.freeHead !== NO_SLOT) {
      const slot = this.freeHead;
      this.freeHead = this.words[(slot + HEADS) * 8 + NEXT];
      return slot;
    }
    if (this.slotsUsed === SLOT_SCALE) throw new RangeError("too many timers");
    if (this.slotsUsed === this.capacity) this.reserve(this.slotsUsed + 1);
    const slot = this.slotsUsed++;
    this.words[(slot + HEADS) * 8 + GENERATION] = 1;
    return slot;
  }

  private release(slot: number): void {
    this.pending--;
    const w = (slot + HEADS) * 8;
    const g = this.words[w + GENERATION];
    if (g === MAX_GENERATION) { this.words[w + GENERATION] = RETIRED; return; }
    this.words[w + GENERATION] = g + 1;
    this.words[w + NEXT] = this.freeHead;
    this.freeHead = slot;
  }

  private reserve(limit: number): void {
    const grown = nextCapacity(this.capacity, limit);
    const buffer = new ArrayBuffer((HEADS + grown) * 32);
    const words = new Int32Array(buffer);
    words.set(this.words);
    if (this.capacity === 0) {
      for (let h = -HEADS; h < 0; h++) { words[(h + HEADS) * 8 + NEXT] = h; words[(h + HEADS) * 8 + PREV] = h; }
    }
    this.words = words;
    this.floats = new Float64Array(buffer);
    const positions = new Int32Array(grown).fill(NOT_IN_HEAP);
    positions.set(this.positions);
    this.positions = positions;
    this.capacity = grown;
  }

  // ---- the two structures -------------------------------------------------

  private place(slot: number): void {
    const d = this.floats[(slot + HEADS) * 4];
    if (this.wheelPlace(slot, d)) return;
    this.words[(slot + HEADS) * 8 + NEXT] = IN_HEAP;
    this.heapPush(slot, d, this.floats[(slot + HEADS) * 4 + 1]);
  }

  private unplace(slot: number): void {
    if (this.words[(slot + HEADS) * 8 + NEXT] === IN_HEAP) this.heapRemove(slot);
    else this.wheelUnlink(slot);
  }

  private refill(limit: number): boolean {
    let node = this.wheelDetach(limit);
    if (node < 0) return false;
    while (node >= 0) {
      const next = this.words[(node + HEADS) * 8 + NEXT];
      this.place(node);
      node = next;
    }
    return true;
  }

  // ---- wheel ---------------------------------------------------------------

  /** The list for a tick after `elapsed`. Ticks are doubles below 2^52, so
   *  the XOR of assembly/wheel.ts is done on 18-bit halves of the 36 bits
   *  below the wheel's span (levels 0..2 and 3..5). */
  private listFor(tick: number): number {
    const elapsed = this.elapsed;
    if (Math.floor(tick / WHEEL_SPAN) !== Math.floor(elapsed / WHEEL_SPAN)) return OVERFLOW;
    const half = 2 ** 18;
    const highT = Math.floor(tick / half) % half, highE = Math.floor(elapsed / half) % half;
    if (highT !== highE) {
      const level = 3 + (((31 - Math.clz32(highT ^ highE)) / 6) | 0);
      return level * 64 + (Math.floor(tick / 2 ** (6 * level)) & 63);
    }
    const lowT = tick % half, lowE = elapsed % half;
    const level = ((31 - Math.clz32(lowT ^ lowE)) / 6) | 0;
    return level * 64 + ((lowT >>> (6 * level)) & 63);
  }

  private listStart(list: number): number {
    if (list === OVERFLOW) return (Math.floor(this.elapsed / WHEEL_SPAN) + 1) * WHEEL_SPAN;
    const level = (list / 64) | 0;
    const span = 2 ** (6 * level + 6);
    return Math.floor(this.elapsed / span) * span + (list & 63) * 2 ** (6 * level);
  }

  private earliestList(): number {
    const occupied = this.occupied;
    for (let level = 0; level < LEVELS; level++) {
      const low = occupied[level * 2], high = occupied[level * 2 + 1];
      if (low !== 0) return level * 64 + 31 - Math.clz32(low & -low);
      if (high !== 0) return level * 64 + 63 - Math.clz32(high & -high);
    }
    const head = -1 - OVERFLOW;
    return this.words[(head + HEADS) * 8 + NEXT] !== head ? OVERFLOW : -1;
  }

  private setOccupied(list: number, on: boolean): void {
    if (list === OVERFLOW) return;
    const word = ((list / 64) | 0) * 2 + ((list & 63) >> 5);
    const bit = 1 << (list & 31);
    if (on) this.occupied[word] |= bit;
    else this.occupied[word] &= ~bit;
  }

  private wheelPlace(node: number, d: number): boolean {
    const tick = tickOf(d);
    if (tick <= this.elapsed) return false;
    const list = this.listFor(tick);
    this.setOccupied(list, true);
    const words = this.words;
    const head = -1 - list;
    const tail = words[(head + HEADS) * 8 + PREV];
    words[(tail + HEADS) * 8 + NEXT] = node;
    words[(node + HEADS) * 8 + PREV] = tail;
    words[(node + HEADS) * 8 + NEXT] = head;
    words[(head + HEADS) * 8 + PREV] = node;
    if (d < this.minDeadline) this.minDeadline = d;
    return true;
  }

  private wheelUnlink(node: number): void {
    const words = this.words;
    const w = (node + HEADS) * 8;
    const prev = words[w + PREV], next = words[w + NEXT];
    words[(prev + HEADS) * 8 + NEXT] = next;
    words[(next + HEADS) * 8 + PREV] = prev;
    if (prev === next) this.setOccupied(-1 - prev, false);
    const d = this.floats[(node + HEADS) * 4];
    if (d === this.minDeadline && d !== Infinity) this.minValid = false;
  }

  private wheelDetach(limit: number): number {
    const list = this.earliestList();
    if (list < 0) return -1;
    const start = this.listStart(list);
    if (start > limit) return -1;
    if (start > this.elapsed) this.elapsed = start;
    const words = this.words;
    const head = -1 - list, h = (head + HEADS) * 8;
    const first = words[h + NEXT];
    words[(words[h + PREV] + HEADS) * 8 + NEXT] = head;
    words[h + NEXT] = head;
    words[h + PREV] = head;
    this.setOccupied(list, false);
    this.minValid = false;
    return first;
  }

  private wheelEarliestDeadline(): number {
    if (this.minValid) return this.minDeadline;
    let least = Infinity;
    const list = this.earliestList();
    if (list >= 0) {
      for (let node = this.words[(-1 - list + HEADS) * 8 + NEXT]; node >= 0; node = this.words[(node + HEADS) * 8 + NEXT]) {
        const d = this.floats[(node + HEADS) * 4];
        if (d < least) least = d;
      }
    }
    this.minDeadline = least;
    this.minValid = true;
    return least;
  }

  // ---- heap ------------------------------------------------------------------

  private heapPush(slot: number, key: number, tie: number): void {
    if (this.heapCount === this.keys.length) {
      const grown = nextCapacity(this.keys.length, this.heapCount + 1);
      const keys = new Float64Array(grown); keys.set(this.keys); this.keys = keys;
      const ties = new Float64Array(grown); ties.set(this.ties); this.ties = ties;
      const slots = new Int32Array(grown); slots.set(this.heapSlots); this.heapSlots = slots;
    }
    this.siftUp(this.heapCount++, key, tie, slot);
  }

  private heapRemove(slot: number): void {
    const i = this.positions[slot];
    this.positions[slot] = NOT_IN_HEAP;
    const last = --this.heapCount;
    if (i === last) return;
    const key = this.keys[last], tie = this.ties[last], moved = this.heapSlots[last];
    if (i > 0 && this.before(key, tie, (i - 1) >> 2)) this.siftUp(i, key, tie, moved);
    else this.siftDown(i, key, tie, moved);
  }

  private before(key: number, tie: number, i: number): boolean {
    const other = this.keys[i];
    return key < other || (key === other && tie < this.ties[i]);
  }

  private put(i: number, key: number, tie: number, slot: number): void {
    this.keys[i] = key;
    this.ties[i] = tie;
    this.heapSlots[i] = slot;
    this.positions[slot] = i;
  }

  private siftUp(i: number, key: number, tie: number, slot: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 2;
      if (!this.before(key, tie, parent)) break;
      this.put(i, this.keys[parent], this.ties[parent], this.heapSlots[parent]);
      i = parent;
    }
    this.put(i, key, tie, slot);
  }

  private siftDown(i: number, key: number, tie: number, slot: number): void {
    const n = this.heapCount;
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
      this.put(i, bk, this.ties[best], this.heapSlots[best]);
      i = best;
    }
    this.put(i, key, tie, slot);
  }
}
