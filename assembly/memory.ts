// Growable unmanaged arrays in linear memory.
//
// The core keeps every table as a raw block from the allocator, indexed with
// load/store: no bounds checks and no GC headers on the hot paths. Every index
// used with these helpers has been checked against the table's capacity by the
// caller, which is the only thing that makes the unchecked access safe.
//
// Growing may call memory.grow, so the host must never keep a view of memory
// across a call into the core (see src/core.ts).

/** Returns a block for `count` elements of `size` bytes, keeping what
 *  `block` held (which may be 0, meaning no block yet). realloc extends the
 *  block in place when the allocator can, which takes less linear memory
 *  than a new block and a copy, and copies otherwise. Traps when memory
 *  cannot grow: the host treats a trap as a failed loop. */
export function growBlock(block: usize, count: i32, size: i32): usize {
  const bytes = <usize>count * <usize>size;
  return block == 0 ? heap.alloc(bytes) : heap.realloc(block, bytes);
}

/** The capacity to grow to so that `needed` elements fit: doubling, so that the
 *  cost of growth is amortised to O(1) per insertion. */
@inline export function nextCapacity(current: i32, needed: i32): i32 {
  let capacity = current < 16 ? 16 : current;
  while (capacity < needed) capacity <<= 1;
  return capacity;
}
