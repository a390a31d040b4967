// Growable unmanaged arrays in linear memory.
//
// The core keeps every table as a raw block from the allocator, indexed with
// load/store: no bounds checks and no GC headers on the hot paths. Every index
// used with these helpers has been checked against the table's capacity by the
// caller, which is the only thing that makes the unchecked access safe.
//
// Growing may call memory.grow, so the host must never keep a view of memory
// across a call into the core (see src/core.ts).

/** Returns a block for `count` elements of `size` bytes, keeping the first
 *  `used` elements of `block` (which may be 0, meaning no block yet). Traps
 *  when memory cannot grow: the host treats a trap as a failed loop. */
export function growBlock(block: usize, used: i32, count: i32, size: i32): usize {
  const bytes = <usize>count * <usize>size;
  if (block == 0) return heap.alloc(bytes);
  const grown = heap.alloc(bytes);
  memory.copy(grown, block, <usize>used * <usize>size);
  heap.free(block);
  return grown;
}

/** The capacity to grow to so that `needed` elements fit: doubling, so that the
 *  cost of growth is amortised to O(1) per insertion. */
@inline export function nextCapacity(current: i32, needed: i32): i32 {
  let capacity = current < 16 ? 16 : current;
  while (capacity < needed) capacity <<= 1;
  return capacity;
}
