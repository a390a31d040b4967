// A first-in first-out queue of items that each have a size in bytes: the
// receive buffer of a source. shift() is O(1) amortized (Array.prototype.shift
// moves every element once the array is large).

export class SizedQueue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  /** The sum of the sizes of the items held. */
  bytes = 0;

  get length(): number { return this.#items.length - this.#head; }

  push(item: T, size: number): void {
    this.#items.push(item);
    this.bytes += size;
  }

  /** Removes and returns the oldest item, or undefined if there is none. */
  shift(sizeOf: (item: T) => number): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined;
    this.bytes -= sizeOf(item);
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.bytes = 0;
  }
}
