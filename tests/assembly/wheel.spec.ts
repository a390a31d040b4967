import { recordsReserve, setDeadline, nextOf } from "../../assembly/records";
import {
  CHAINS, tickOf, wheelPlace, wheelUnlink, wheelDetach, wheelAdvance, wheelNearEnd, wheelChain,
  wheelEarliestDeadline, wheelDetachAny, wheelReset, wheelElapsed, wheelCheck,
} from "../../assembly/wheel";

/** Places node `node` with deadline `d`; true if the wheel took it. */
function put(node: i32, d: f64): bool {
  setDeadline(node, d);
  return wheelPlace(node, d);
}

/** The nodes of the list wheelDetach(limit) moves out, chain by chain, or
 *  none when it moves nothing out. */
function detach(limit: i64): i32[] {
  const nodes: i32[] = [];
  if (!wheelDetach(limit)) return nodes;
  for (let k = 0; k < CHAINS; k++) {
    for (let node = wheelChain(k); node >= 0; node = nextOf(node)) nodes.push(node);
  }
  return nodes;
}

function empty(): void {
  while (wheelDetachAny()) { /* drop every list */ }
  wheelReset();
}

describe("wheel", () => {
  beforeEach(() => { recordsReserve(64); empty(); });

  it("maps deadlines to ticks: floor, -1 for the past, one tick past 2^62", () => {
    expect(tickOf(5.9)).toBe(5);
    expect(tickOf(0)).toBe(0);
    expect(tickOf(-0.5)).toBe(-1);
    expect(tickOf(-1e300)).toBe(-1);
    expect(tickOf(1e300)).toBe(tickOf(Infinity));
  });

  it("refuses a deadline at or before the elapsed tick", () => {
    wheelAdvance(100);
    expect(put(0, 100.9)).toBe(false);
    expect(put(1, -3)).toBe(false);
    expect(put(2, 101)).toBe(true);
    expect(wheelCheck(1)).toBe(0);
  });

  it("detaches lists earliest first, moving elapsed to each list's start", () => {
    // One timer per level: ticks 1 (level 0), 100 (1), 5000 (2), 300000 (3),
    // 2^24 + 1 (4), 2^30 + 1 (5), 2^40 (overflow).
    const ticks: f64[] = [2 ** 40, 1073741825, 16777217, 300000, 5000, 100, 1];
    for (let i = 0; i < ticks.length; i++) expect(put(i, ticks[i])).toBe(true);
    expect(wheelCheck(7)).toBe(0);
    expect(wheelEarliestDeadline()).toBe(1);

    const level0 = detach(1);
    expect(level0.length).toBe(1);
    expect(level0[0]).toBe(6);
    expect(wheelElapsed()).toBe(1);
    expect(wheelCheck(6)).toBe(0);

    // Level 1's list for tick 100 starts at 64: nothing starts by 63.
    expect(wheelDetach(63)).toBe(false);
    // Level 2's list for tick 5000 covers 4096..8191 and ends more than 63
    // ticks past the limit, so elapsed stops at its start.
    const level1 = detach(1000);
    expect(level1.length).toBe(1);
    expect(level1[0]).toBe(5);
    expect(wheelElapsed()).toBe(127); // a level-1 list of one moves out whole
    expect(wheelCheck(5)).toBe(0);
    const level2 = detach(5000);
    expect(level2.length).toBe(1);
    expect(level2[0]).toBe(4);
    expect(wheelElapsed()).toBe(4096);
    expect(wheelCheck(4)).toBe(0);
  });

  it("moves a list out whole only when it is few and ends within 63 ticks of the limit", () => {
    recordsReserve(128);
    // Chain 0 of level 1's list 64..127: 16 timers are few, 17 are not.
    for (let i = 0; i < 16; i++) expect(put(i * CHAINS, 100)).toBe(true);
    expect(detach(1000).length).toBe(16);
    expect(wheelElapsed()).toBe(127); // its end: every timer is at or before it
    for (let i = 0; i < 17; i++) expect(put(i * CHAINS, 150)).toBe(true);
    expect(detach(1000).length).toBe(17);
    expect(wheelElapsed()).toBe(128); // its start: the timers go down a level
    empty();
    // Level 2's list 4096..8191: whole only once the limit is within 63 of 8191.
    expect(put(0, 5000)).toBe(true);
    expect(wheelDetach(8127)).toBe(true);
    expect(wheelElapsed()).toBe(4096);
    empty();
    expect(put(0, 5000)).toBe(true);
    expect(detach(8128).length).toBe(1);
    expect(wheelElapsed()).toBe(8191);
    expect(wheelCheck(0)).toBe(0);
  });

  it("cascades a high list into lower ones as elapsed reaches it", () => {
    expect(put(0, 300000)).toBe(true);
    expect(put(1, 300001)).toBe(true);
    let nodes = detach(300000); // level 3's list starting at 262144
    expect(wheelElapsed()).toBe(262144);
    expect(nodes.length).toBe(2);
    // Both go back in, lower down, and the wheel is whole again.
    expect(wheelPlace(nodes[0], 300000)).toBe(true);
    expect(wheelPlace(nodes[1], 300001)).toBe(true);
    expect(wheelCheck(2)).toBe(0);
    // Level 2's list ends far past the limit: down a level from its start.
    nodes = detach(300000);
    expect(wheelElapsed()).toBe(299008);
    expect(nodes.length).toBe(2);
    for (let i = 0; i < nodes.length; i++) expect(wheelPlace(nodes[i], 300000 + <f64>nodes[i])).toBe(true);
    expect(wheelCheck(2)).toBe(0);
    // Level 1's list 299968..300031 is few and ends within 63 ticks of the
    // limit: it moves out whole, and the wheel refuses both timers back.
    nodes = detach(300000);
    expect(wheelElapsed()).toBe(300031);
    expect(nodes.length).toBe(2);
    for (let i = 0; i < nodes.length; i++) expect(wheelPlace(nodes[i], 300000 + <f64>nodes[i])).toBe(false);
    expect(wheelCheck(0)).toBe(0);
  });

  it("unlinks from every level and the overflow list in O(1), clearing occupancy", () => {
    const ticks: f64[] = [1, 100, 5000, 300000, 16777217, 1073741825, 2 ** 40, Infinity];
    for (let i = 0; i < ticks.length; i++) expect(put(i, ticks[i])).toBe(true);
    for (let i = ticks.length - 1; i >= 0; i--) {
      wheelUnlink(i);
      expect(wheelCheck(i)).toBe(0);
    }
    expect(wheelDetachAny()).toBe(false);
    expect(wheelEarliestDeadline()).toBe(Infinity);
  });

  it("spreads a list over its chains, keeping it occupied until its last chain empties", () => {
    for (let node = 0; node < 8; node++) expect(put(node, 5000.5)).toBe(true);
    expect(wheelCheck(8)).toBe(0);
    // Every chain of the list but one emptied, then that one too.
    const order: i32[] = [0, 4, 1, 5, 2, 6, 3];
    for (let i = 0; i < order.length; i++) {
      wheelUnlink(order[i]);
      expect(wheelCheck(7 - i)).toBe(0);
    }
    expect(wheelEarliestDeadline()).toBe(5000.5);
    const rest = detach(5000);
    expect(rest.length).toBe(1);
    expect(rest[0]).toBe(7);
    expect(wheelCheck(0)).toBe(0);
    expect(wheelDetachAny()).toBe(false);
  });

  it("knows the least deadline after the least is unlinked, by scanning the earliest list", () => {
    expect(put(0, 5000.75)).toBe(true);
    expect(put(1, 5000.25)).toBe(true);
    expect(put(2, 5001.5)).toBe(true);
    expect(wheelEarliestDeadline()).toBe(5000.25);
    wheelUnlink(1);
    expect(wheelEarliestDeadline()).toBe(5000.75);
    expect(wheelCheck(2)).toBe(0);
  });

  it("advances elapsed only forward, and only before the earliest list", () => {
    expect(put(0, 200)).toBe(true); // level 1, list starting at 192
    wheelAdvance(150);
    expect(wheelElapsed()).toBe(150);
    wheelAdvance(20);
    expect(wheelElapsed()).toBe(150);
    expect(wheelNearEnd()).toBe(255);
    expect(wheelCheck(1)).toBe(0);
  });

  it("brings overflow timers into the wheel when elapsed enters their span", () => {
    const far: f64 = 2 ** 36 + 10;
    expect(put(0, far)).toBe(true);
    expect(put(1, Infinity)).toBe(true);
    const nodes = detach(<i64>far);
    expect(wheelElapsed()).toBe(<i64>(2 ** 36));
    expect(nodes.length).toBe(2);
    expect(wheelPlace(0, far)).toBe(true);
    expect(wheelPlace(1, Infinity)).toBe(true); // still overflow
    expect(wheelCheck(2)).toBe(0);
    expect(wheelEarliestDeadline()).toBe(far);
  });
});
