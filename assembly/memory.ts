// The core's linear memory: every table is a raw block indexed with
// load/store, with no bounds checks and no GC headers on the hot paths. Every
// index used with a block has been checked against its table's capacity by
// the caller, which is the only thing that makes the unchecked access safe.
//
// The core keeps its own arena at the end of linear memory, so that memory
// grows by what the tables need rather than by doubling (the allocators of
// AssemblyScript's runtimes double the whole memory when they grow it):
//
//   [zoneStart, zoneTop)     the blocks of the small tables (near heap,
//                            callbacks, sources, dispatch list), allocated
//                            upwards, 64-byte aligned, each after an 8-byte
//                            header holding its size; a block that grows is extended in place
//                            when it is the last one, else copied to the top
//                            and its old bytes are left unused. Tables only
//                            grow, by doubling, so what is left behind is
//                            less than what they hold;
//   [zoneTop, zoneEnd)       free;
//   [recordsStart, memoryEnd) the timer records (records.ts): the one table
//                            that grows with the number of pending timers. It
//                            is grown in place at the end of memory by whole
//                            pages (at least a sixteenth of it at a time), so
//                            it never leaves a copy behind.
//
// Invariants: zoneStart <= zoneTop <= zoneEnd <= recordsStart <= memoryEnd;
// when nothing else grows memory, zoneEnd == recordsStart and memoryEnd is
// the end of memory. When the zone is full the records move up to make room
// (the zone doubles). When something else has grown memory after the arena
// (a runtime's allocator, as in the as-pect tests), the records move to the
// new end and the zone continues in their old place or at the end.
//
// Growing moves the records and may call memory.grow, so the host must never
// keep a view of memory across a call into the core (see src/core.ts), nor
// the core an address of a record across a growth (records.ts reads
// recordsStart on every access).

const PAGE_BITS: usize = 16;
const HEADER: usize = 8;
const FIRST_ZONE: usize = 4096;
const STUB_RUNTIME: i32 = 0; // ASC_RUNTIME's value for --runtime stub

/** Where the arena may start. With the stub runtime nothing else allocates,
 *  so everything after the static data is the core's. Any other runtime's
 *  allocator takes all the memory there is when it first allocates, so it is
 *  made to do that first; the arena then starts at the end of memory. */
function arenaBase(): usize {
  if (ASC_RUNTIME == STUB_RUNTIME) return (__heap_base + 63) & ~<usize>63;
  heap.free(heap.alloc(16));
  return memoryBytes();
}

let zoneStart: usize = 0;
let zoneTop: usize = 0;
let zoneEnd: usize = 0;
export let recordsStart: usize = 0;
let memoryEnd: usize = 0;

@inline function memoryBytes(): usize { return <usize>memory.size() << PAGE_BITS; }

@inline function align(bytes: usize): usize { return (bytes + 63) & ~<usize>63; }

/** Makes memory reach at least `end`, growing it by whole pages and, when
 *  `extra` is set, by that many bytes more. Traps when it cannot grow: the
 *  host treats a trap as a failed loop. */
function reach(end: usize, extra: usize): void {
  const have = memoryBytes();
  if (end > have) {
    const wanted = end + extra;
    const pages = <i32>((wanted - have + (1 << PAGE_BITS) - 1) >> PAGE_BITS);
    if (memory.grow(pages) < 0) {
      const needed = <i32>((end - have + (1 << PAGE_BITS) - 1) >> PAGE_BITS);
      if (memory.grow(needed) < 0) unreachable();
    }
  }
  memoryEnd = memoryBytes();
}

@inline function ownsEnd(): bool { return memoryEnd != 0 && memoryBytes() == memoryEnd; }

/** Moves the `kept` bytes of records to `to`, with room for `room` bytes. */
function moveRecords(to: usize, kept: usize, room: usize): void {
  reach(to + room, 0);
  memory.copy(to, recordsStart, kept);
  recordsStart = to;
}

/** The bytes of room the records have. */
@inline export function recordsRoom(): usize { return memoryEnd - recordsStart; }

/** Makes room for `bytes` of records, keeping those there; returns the room
 *  now available (>= bytes). The first call places the arena. */
export function growRecords(bytes: usize): usize {
  if (memoryEnd == 0) {
    zoneStart = zoneTop = arenaBase();
    zoneEnd = recordsStart = zoneStart + FIRST_ZONE;
    reach(zoneEnd, 0);
  }
  const kept = recordsRoom();
  if (!ownsEnd()) {
    // Memory grew after the arena: the records go to the new end, and the
    // zone takes their old place when it ends where they began.
    const old = recordsStart, end = memoryEnd;
    moveRecords(memoryBytes(), kept, max(bytes, kept));
    if (zoneEnd == old) zoneEnd = end;
  }
  if (bytes > recordsRoom()) reach(recordsStart + bytes, recordsRoom() >> 4);
  return recordsRoom();
}

/** Makes the zone reach `top`: moves the records up when they follow it at
 *  the end of memory, else starts a new zone at the end, the records after it. */
function growZone(top: usize, bytes: usize): void {
  const size = zoneEnd - zoneStart;
  const kept = recordsRoom();
  if (ownsEnd() && zoneEnd == recordsStart) {
    const delta = align(max(top - zoneEnd, size));
    moveRecords(recordsStart + delta, kept, kept);
    zoneEnd += delta;
  } else {
    zoneStart = zoneTop = memoryBytes();
    zoneEnd = zoneStart + align(max(bytes + 64, size << 1));
    moveRecords(zoneEnd, kept, kept);
  }
}

/** Returns a block for `count` elements of `size` bytes, keeping what
 *  `block` held (which may be 0, meaning no block yet): in place when it is
 *  the zone's last block, else copied. 64-byte aligned (a cache line). */
export function growBlock(block: usize, count: i32, size: i32): usize {
  if (memoryEnd == 0) growRecords(0);
  const bytes = (<usize>count * <usize>size + 7) & ~<usize>7;
  const old: usize = block == 0 ? 0 : load<usize>(block - HEADER);
  if (block != 0 && block + old == zoneTop) {
    if (block + bytes > zoneEnd) growZone(block + bytes, bytes);
    // The zone may have restarted elsewhere: then the block is no longer last.
    if (block + old == zoneTop) {
      zoneTop = block + bytes;
      store<usize>(block - HEADER, bytes);
      return block;
    }
  }
  if (align(zoneTop + HEADER) + bytes > zoneEnd) growZone(align(zoneTop + HEADER) + bytes, bytes);
  const fresh = align(zoneTop + HEADER);
  zoneTop = fresh + bytes;
  store<usize>(fresh - HEADER, bytes);
  if (old != 0) memory.copy(fresh, block, old);
  return fresh;
}

/** The capacity to grow to so that `needed` elements fit: doubling, so that the
 *  cost of growth is amortised to O(1) per insertion. */
@inline export function nextCapacity(current: i32, needed: i32): i32 {
  let capacity = current < 16 ? 16 : current;
  while (capacity < needed) capacity <<= 1;
  return capacity;
}
