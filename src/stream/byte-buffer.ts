// IOStream's read buffer: received bytes in one contiguous array, so that a
// delimiter is found with one indexOf() whatever the chunk boundaries.
// Appending is amortized O(1): the array doubles when full, and consumed
// bytes at the front are reclaimed by moving the rest down only when that
// frees at least half of it.

export class ByteBuffer {
  #bytes = new Uint8Array(0);
  #start = 0;
  #end = 0;

  get length(): number { return this.#end - this.#start; }

  append(chunk: Uint8Array): void {
    const n = chunk.byteLength;
    if (this.#end + n > this.#bytes.length) this.#makeRoom(n);
    this.#bytes.set(chunk, this.#end);
    this.#end += n;
  }

  /** The index (from the first unread byte) where `delimiter` starts, at or
   *  after `from`; -1 if it is not there. */
  indexOf(delimiter: Uint8Array, from: number): number {
    const unread = this.#bytes.subarray(0, this.#end); // never search stale bytes past the end
    const first = delimiter[0], last = this.#end - delimiter.length;
    for (let i = unread.indexOf(first, this.#start + from); i !== -1 && i <= last; i = unread.indexOf(first, i + 1)) {
      if (this.#matchesAt(delimiter, i)) return i - this.#start;
    }
    return -1;
  }

  /** Removes and returns (as a copy) the first n unread bytes. */
  take(n: number): Uint8Array {
    const taken = this.#bytes.slice(this.#start, this.#start + n);
    this.#start += n;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return taken;
  }

  clear(): void {
    this.#bytes = new Uint8Array(0);
    this.#start = this.#end = 0;
  }

  #matchesAt(delimiter: Uint8Array, at: number): boolean {
    for (let j = 1; j < delimiter.length; j++) {
      if (this.#bytes[at + j] !== delimiter[j]) return false;
    }
    return true;
  }

  #makeRoom(n: number): void {
    const length = this.length;
    if (length + n <= this.#bytes.length / 2) {
      this.#bytes.copyWithin(0, this.#start, this.#end);
    } else {
      const grown = new Uint8Array(Math.max(2 * this.#bytes.length, length + n, 4096));
      grown.set(this.#bytes.subarray(this.#start, this.#end));
      this.#bytes = grown;
    }
    this.#start = 0;
    this.#end = length;
  }
}
