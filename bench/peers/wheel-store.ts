// A plain TypeScript port of the core's timer store (assembly/records.ts,
// assembly/wheel.ts, assembly/heap.ts, assembly/timers.ts): a hierarchical
// timing wheel of 1 ms ticks for the timers not yet due, feeding an indexed
// 4-ary heap on (deadline, sequence) for those whose tick has come, so that
// timers fire in exact (deadline, sequence) order at the wheel's speed.
//
// It exists to show what WebAssembly itself adds: the algorithm, the memory
// layout (one 24-byte record per slot in one buffer, the wheel's list heads
// as records before record 0, heap positions kept in the records, the heap's
// 16-byte entries in one buffer, each wheel list four chains walked side by
// side), the u32 sequence numbers renumbered before they wrap, and the
// contract are the core's; only the language differs. The one part not
// ported is assembly/memory.ts's arena: the record buffer grows as JS buffers
// do, by doubling into a new one. The invariants are those stated in the
// assembly/ files; see there for the reasons.
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
const IN_HEAP = 0x7fffffff;
const DETACHED = 0x7ffffffe;
const SEQUENCE_LIMIT = 0xffffffff;
const LEAD = 3; // heap entries before position 0

const LEVELS = 6;
const OVERFLOW = LEVELS * 64;
const CHAINS = 4; // per list, as in assembly/wheel.ts
const HEADS = (OVERFLOW + 1) * CHAINS;
const WHEEL_SPAN = 2 ** 36;
const TICK_LIMIT = 2 ** 52; // ticks stay exact doubles; past it, one overflow tick
// A list ending at most SLACK ticks past the limit it is detached by, with at
// most FEW_PER_CHAIN timers per chain, moves out whole (assembly/wheel.ts).
const SLACK = 63;
const FEW_PER_CHAIN = 16;

// Record layout, in 4-byte words (6 words = 24 bytes per record):
// deadline f64 [0,1], next [2], prev [3] (heap timer: its heap position),
// generation [4], sequence u32 [5].
const NEXT = 2, PREV = 3, GENERATION = 4, SEQUENCE = 5;

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
  // Records: node n (timer slot n >= 0, head of chain k of list b
  // -1-(b*CHAINS+k)) at word (n + HEADS) * 6.
  private words = new Int32Array(0);
  private unsigned = new Uint32Array(0);
  private floats = new Float64Array(0);
  private capacity = 0;
  // Wheel.
  private occupied = new Uint32Array(LEVELS * 2); // 64 bits per level as two words
  private elapsed = 0;
  private minDeadline = Infinity;
  private minValid = true;
  private chains = new Int32Array(CHAINS); // of the list last detached
  // Heap: one buffer of 16-byte entries (key f64, tie u32, slot i32), position p
  // at entry p + LEAD, as assembly/heap.ts lays it out (JS cannot align the
  // buffer to a cache line, as the core does).
  private heapFloats = new Float64Array(0);
  private heapWords = new Uint32Array(0);
  private heapInts = new Int32Array(0);
  private heapCapacity = 0;
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
    const order = this.nextSequence(); // before takeSlot: renumber counts pending slots only
    const slot = this.takeSlot();
    const w = (slot + HEADS) * 6;
    this.floats[w >> 1] = deadline;
    this.unsigned[w + SEQUENCE] = order;
    this.place(slot);
    this.pending++;
    return this.words[w + GENERATION] * SLOT_SCALE + slot;
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
    const w = (slot + HEADS) * 6;
    this.floats[w >> 1] = deadline;
    this.unsigned[w + SEQUENCE] = this.nextSequence();
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
    if (!(this.heapFloats[LEAD * 2] <= now)) return NO_SLOT;
    const top = this.heapInts[LEAD * 4 + 3];
    this.words[(top + HEADS) * 6 + NEXT] = DETACHED;
    const last = --this.heapCount;
    if (last > 0) this.siftDown(0, this.heapFloats[(last + LEAD) * 2], this.heapWords[(last + LEAD) * 4 + 2], this.heapInts[(last + LEAD) * 4 + 3]);
    this.release(top);
    return top;
  }

  nextDeadline(): number {
    while (this.heapCount === 0 && this.refill(this.elapsed - (this.elapsed % 64) + 127)) { /* down the levels */ }
    return this.heapCount > 0 ? this.heapFloats[LEAD * 2] : this.wheelEarliestDeadline();
  }

  // ---- slots -------------------------------------------------------------

  private pendingSlot(id: number): number {
    if (!(id >= 0 && id < 2 ** 53) || Math.floor(id) !== id) return NO_SLOT;
    const slot = id % SLOT_SCALE;
    if (slot >= this.slotsUsed) return NO_SLOT;
    if (this.words[(slot + HEADS) * 6 + GENERATION] !== (id - slot) / SLOT_SCALE) return NO_SLOT;
    return slot;
  }

  private takeSlot(): number {
    if (this.freeHead !== NO_SLOT) {
      const slot = this.freeHead;
      this.freeHead = this.words[(slot + HEADS) * 6 + NEXT];
      return slot;
    }
    if (this.slotsUsed === SLOT_SCALE) throw new RangeError("too many timers");
    if (this.slotsUsed === this.capacity) this.reserve(this.slotsUsed + 1);
    const slot = this.slotsUsed++;
    this.words[(slot + HEADS) * 6 + GENERATION] = 1;
    return slot;
  }

  private release(slot: number): void {
    this.pending--;
    const w = (slot + HEADS) * 6;
    const g = this.words[w + GENERATION];
    if (g === MAX_GENERATION) { this.words[w + GENERATION] = RETIRED; return; }
    this.words[w + GENERATION] = g + 1;
    this.words[w + NEXT] = this.freeHead;
    this.freeHead = slot;
  }

  private reserve(limit: number): void {
    const grown = nextCapacity(this.capacity, limit);
    const buffer = new ArrayBuffer((HEADS + grown) * 24);
    const words = new Int32Array(buffer);
    words.set(this.words);
    if (this.capacity === 0) {
      for (let h = -HEADS; h < 0; h++) { words[(h + HEADS) * 6 + NEXT] = h; words[(h + HEADS) * 6 + PREV] = h; }
    }
    this.words = words;
    this.unsigned = new Uint32Array(buffer);
    this.floats = new Float64Array(buffer);
    this.capacity = grown;
  }

  private nextSequence(): number {
    if (this.sequence === SEQUENCE_LIMIT) this.renumber();
    return this.sequence++;
  }

  /** assembly/timers.ts's renumber: the pending timers get 0..n-1 in the
   *  order of their sequence numbers, which changes no comparison. */
  private renumber(): void {
    const u = this.unsigned;
    for (let s = this.freeHead; s !== NO_SLOT; s = this.words[(s + HEADS) * 6 + NEXT]) u[(s + HEADS) * 6 + SEQUENCE] = SEQUENCE_LIMIT;
    const pending: number[] = [];
    for (let s = 0; s < this.slotsUsed; s++) {
      const w = (s + HEADS) * 6;
      if (u[w + GENERATION] !== RETIRED && u[w + SEQUENCE] !== SEQUENCE_LIMIT) pending.push(s);
    }
    pending.sort((a, b) => u[(a + HEADS) * 6 + SEQUENCE] - u[(b + HEADS) * 6 + SEQUENCE]);
    for (let i = 0; i < pending.length; i++) {
      const w = (pending[i] + HEADS) * 6;
      u[w + SEQUENCE] = i;
      if (this.words[w + NEXT] === IN_HEAP) this.heapWords[(this.words[w + PREV] + LEAD) * 4 + 2] = i;
    }
    this.sequence = pending.length;
  }

  /** For tests: as assembly/timers.ts's timersSkipSequence. */
  skipSequence(count: number): void {
    this.sequence = Math.min(SEQUENCE_LIMIT, this.sequence + count);
  }

  // ---- the two structures -------------------------------------------------

  private place(slot: number): void {
    const d = this.floats[(slot + HEADS) * 3];
    if (!this.wheelPlace(slot, d)) this.heapPush(slot, d, this.unsigned[(slot + HEADS) * 6 + SEQUENCE]);
  }

  private unplace(slot: number): void {
    if (this.words[(slot + HEADS) * 6 + NEXT] === IN_HEAP) this.heapRemove(slot);
    else this.wheelUnlink(slot);
  }

  /** assembly/timers.ts's refill: the four chains walked side by side. */
  private refill(limit: number): boolean {
    if (!this.wheelDetach(limit)) return false;
    const words = this.words, chains = this.chains;
    let a = chains[0], b = chains[1], c = chains[2], d = chains[3];
    while ((a & b & c & d) >= 0) {
      const na = a >= 0 ? words[(a + HEADS) * 6 + NEXT] : a, nb = b >= 0 ? words[(b + HEADS) * 6 + NEXT] : b;
      const nc = c >= 0 ? words[(c + HEADS) * 6 + NEXT] : c, nd = d >= 0 ? words[(d + HEADS) * 6 + NEXT] : d;
      if (a >= 0) this.place(a);
      if (b >= 0) this.place(b);
      if (c >= 0) this.place(c);
      if (d >= 0) this.place(d);
      a = na; b = nb; c = nc; d = nd;
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
    return this.listEmpty(OVERFLOW) ? -1 : OVERFLOW;
  }

  /** Whether every chain of `list` holds at most FEW_PER_CHAIN timers,
   *  walked side by side as refill walks them. */
  private fewIn(list: number): boolean {
    const words = this.words;
    const next = (node: number): number => words[(node + HEADS) * 6 + NEXT];
    const base = -1 - list * CHAINS;
    let a = next(base), b = next(base - 1), c = next(base - 2), d = next(base - 3);
    for (let i = 0; i < FEW_PER_CHAIN; i++) {
      if ((a & b & c & d) < 0) return true;
      if (a >= 0) a = next(a);
      if (b >= 0) b = next(b);
      if (c >= 0) c = next(c);
      if (d >= 0) d = next(d);
    }
    return (a & b & c & d) < 0;
  }

  private listEmpty(list: number): boolean {
    for (let k = 0; k < CHAINS; k++) {
      const head = -1 - (list * CHAINS + k);
      if (this.words[(head + HEADS) * 6 + NEXT] !== head) return false;
    }
    return true;
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
    const head = -1 - (list * CHAINS + (node & (CHAINS - 1)));
    const tail = words[(head + HEADS) * 6 + PREV];
    words[(tail + HEADS) * 6 + NEXT] = node;
    words[(node + HEADS) * 6 + PREV] = tail;
    words[(node + HEADS) * 6 + NEXT] = head;
    words[(head + HEADS) * 6 + PREV] = node;
    if (d < this.minDeadline) this.minDeadline = d;
    return true;
  }

  private wheelUnlink(node: number): void {
    const words = this.words;
    const w = (node + HEADS) * 6;
    const prev = words[w + PREV], next = words[w + NEXT];
    words[(prev + HEADS) * 6 + NEXT] = next;
    words[(next + HEADS) * 6 + PREV] = prev;
    if (prev === next) {
      const list = ((-1 - prev) / CHAINS) | 0;
      if (this.listEmpty(list)) this.setOccupied(list, false);
    }
    const d = this.floats[(node + HEADS) * 3];
    if (d === this.minDeadline && d !== Infinity) this.minValid = false;
  }

  private wheelDetach(limit: number): boolean {
    const list = this.earliestList();
    if (list < 0) return false;
    const start = this.listStart(list);
    if (start > limit) return false;
    let to = start;
    if (list >= 64 && list !== OVERFLOW) { // a level-0 list is one tick: its start is its end
      const end = start + 2 ** (6 * ((list / 64) | 0)) - 1;
      if (end <= limit + SLACK && this.fewIn(list)) to = end;
    }
    if (to > this.elapsed) this.elapsed = to;
    const words = this.words;
    for (let k = 0; k < CHAINS; k++) {
      const head = -1 - (list * CHAINS + k), h = (head + HEADS) * 6;
      this.chains[k] = words[h + NEXT];
      words[(words[h + PREV] + HEADS) * 6 + NEXT] = head;
      words[h + NEXT] = head;
      words[h + PREV] = head;
    }
    this.setOccupied(list, false);
    this.minValid = false;
    return true;
  }

  private wheelEarliestDeadline(): number {
    if (this.minValid) return this.minDeadline;
    let least = Infinity;
    const list = this.earliestList();
    for (let k = 0; list >= 0 && k < CHAINS; k++) {
      for (let node = this.words[(-1 - (list * CHAINS + k) + HEADS) * 6 + NEXT]; node >= 0; node = this.words[(node + HEADS) * 6 + NEXT]) {
        const d = this.floats[(node + HEADS) * 3];
        if (d < least) least = d;
      }
    }
    this.minDeadline = least;
    this.minValid = true;
    return least;
  }

  // ---- heap ------------------------------------------------------------------

  private heapPush(slot: number, key: number, tie: number): void {
    if (this.heapCount === this.heapCapacity) {
      const grown = nextCapacity(this.heapCapacity, this.heapCount + 1);
      const buffer = new ArrayBuffer((grown + LEAD) * 16);
      new Uint32Array(buffer).set(this.heapWords);
      this.heapFloats = new Float64Array(buffer);
      this.heapWords = new Uint32Array(buffer);
      this.heapInts = new Int32Array(buffer);
      this.heapCapacity = grown;
    }
    this.words[(slot + HEADS) * 6 + NEXT] = IN_HEAP;
    this.siftUp(this.heapCount++, key, tie, slot);
  }

  private heapRemove(slot: number): void {
    const w = (slot + HEADS) * 6;
    const i = this.words[w + PREV];
    this.words[w + NEXT] = DETACHED;
    const last = --this.heapCount;
    if (i === last) return;
    const key = this.heapFloats[(last + LEAD) * 2], tie = this.heapWords[(last + LEAD) * 4 + 2], moved = this.heapInts[(last + LEAD) * 4 + 3];
    if (i > 0 && this.before(key, tie, (i - 1) >> 2)) this.siftUp(i, key, tie, moved);
    else this.siftDown(i, key, tie, moved);
  }

  private before(key: number, tie: number, i: number): boolean {
    const other = this.heapFloats[(i + LEAD) * 2];
    return key < other || (key === other && tie < this.heapWords[(i + LEAD) * 4 + 2]);
  }

  private put(i: number, key: number, tie: number, slot: number): void {
    this.heapFloats[(i + LEAD) * 2] = key;
    this.heapWords[(i + LEAD) * 4 + 2] = tie;
    this.heapInts[(i + LEAD) * 4 + 3] = slot;
    this.words[(slot + HEADS) * 6 + PREV] = i;
  }

  private siftUp(i: number, key: number, tie: number, slot: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 2;
      if (!this.before(key, tie, parent)) break;
      this.put(i, this.heapFloats[(parent + LEAD) * 2], this.heapWords[(parent + LEAD) * 4 + 2], this.heapInts[(parent + LEAD) * 4 + 3]);
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
        if (this.before(this.heapFloats[(c + LEAD) * 2], this.heapWords[(c + LEAD) * 4 + 2], best)) best = c;
      }
      const bk = this.heapFloats[(best + LEAD) * 2];
      if (key < bk || (key === bk && tie <= this.heapWords[(best + LEAD) * 4 + 2])) break;
      this.put(i, bk, this.heapWords[(best + LEAD) * 4 + 2], this.heapInts[(best + LEAD) * 4 + 3]);
      i = best;
    }
    this.put(i, key, tie, slot);
  }
}
