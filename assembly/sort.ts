// In-place sorting of u64 values in linear memory, for the rare renumbering
// of timer sequences (timers.ts). Heapsort: O(n log n) time, no extra memory.

@inline function at(block: usize, i: i32): u64 { return load<u64>(block + (<usize>i << 3)); }
@inline function put(block: usize, i: i32, v: u64): void { store<u64>(block + (<usize>i << 3), v); }

/** Moves the value at `i` down the max-heap of the first `n` values. */
function siftDown(block: usize, i: i32, n: i32): void {
  const v = at(block, i);
  while (true) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && at(block, child + 1) > at(block, child)) child++;
    const c = at(block, child);
    if (c <= v) break;
    put(block, i, c);
    i = child;
  }
  put(block, i, v);
}

/** Sorts the `n` u64 values at `block` in ascending order. */
export function sortU64(block: usize, n: i32): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(block, i, n);
  for (let end = n - 1; end > 0; end--) {
    const top = at(block, 0);
    put(block, 0, at(block, end));
    put(block, end, top);
    siftDown(block, 0, end);
  }
}
