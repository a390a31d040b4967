import { growBlock } from "../../assembly/memory";
import { recordsReserve, recordsCapacity, setDeadline, deadlineOf, setGeneration, generationOf } from "../../assembly/records";

/** Fills `count` i32s of `block` with a pattern of `seed`. */
function fill(block: usize, count: i32, seed: i32): void {
  for (let i = 0; i < count; i++) store<i32>(block + (<usize>i << 2), seed * 1000003 + i);
}

/** How many of the first `count` i32s of `block` differ from the pattern. */
function damaged(block: usize, count: i32, seed: i32): i32 {
  let bad = 0;
  for (let i = 0; i < count; i++) if (load<i32>(block + (<usize>i << 2)) != seed * 1000003 + i) bad++;
  return bad;
}

function fillRecords(count: i32): void {
  for (let s = 0; s < count; s++) { setDeadline(s, <f64>s + 0.5); setGeneration(s, <u32>(s * 7 + 1)); }
}

function damagedRecords(count: i32): i32 {
  let bad = 0;
  for (let s = 0; s < count; s++) if (deadlineOf(s) != <f64>s + 0.5 || generationOf(s) != <u32>(s * 7 + 1)) bad++;
  return bad;
}

describe("memory: the core's arena", () => {
  it("keeps every block and every record through growth of both, and through memory grown by others", () => {
    let a = growBlock(0, 16, 4);
    let b = growBlock(0, 16, 4);
    let aCount = 16, bCount = 16, aSeed = 1, bSeed = 2;
    fill(a, aCount, aSeed);
    fill(b, bCount, bSeed);
    recordsReserve(100);
    let records = 100;
    fillRecords(records);
    for (let round = 0; round < 12; round++) {
      // a is followed by b, so it is copied; b is the zone's last block.
      a = growBlock(a, aCount * 2, 4);
      b = growBlock(b, bCount * 2, 4);
      expect(damaged(a, aCount, aSeed) + damaged(b, bCount, bSeed)).toBe(0);
      aCount *= 2; bCount *= 2; aSeed += 10; bSeed += 10;
      fill(a, aCount, aSeed);
      fill(b, bCount, bSeed);
      expect(damagedRecords(records)).toBe(0);
      // Something else grows memory after the arena, every other round.
      if (round % 2 == 1) expect(memory.grow(1)).toBeGreaterThan(0);
      const more = recordsCapacity() + 1 + round * 5000;
      recordsReserve(more);
      expect(recordsCapacity()).toBeGreaterThanOrEqual(more);
      expect(damagedRecords(records)).toBe(0);
      records = more;
      fillRecords(records);
      // Writing all the records left the blocks whole: they do not overlap.
      expect(damaged(a, aCount, aSeed) + damaged(b, bCount, bSeed)).toBe(0);
    }
  });

  it("returns 64-byte aligned blocks", () => {
    for (let i = 1; i < 20; i++) expect(growBlock(0, i, 4) & 63).toBe(0);
  });
});
