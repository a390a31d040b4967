import {
  timerSchedule, timerCancel, timerMove, timerPopDue, timerNextDeadline,
  timerPendingCount, timerClear, timersCheck, timersSkipSequence, MAX_SLOTS,
} from "../../assembly/timers";
import { timerRelease } from "../../assembly/timers";

/** Pops the earliest due timer, as an iteration does, and releases its slot
 *  at once, as the next iteration would (the store's own tests do not run
 *  dispatch lists). */
function popDue(now: f64): i32 {
  const slot = timerPopDue(now);
  if (slot >= 0) timerRelease(slot);
  return slot;
}

const SLOT_MASK: u64 = <u64>(MAX_SLOTS - 1);
function slotOf(id: f64): i32 { return <i32>(<u64>id & SLOT_MASK); }

/** Pops everything due at `now`, checking the invariants after each pop. */
function popAll(now: f64): i32[] {
  const popped: i32[] = [];
  for (let slot = popDue(now); slot >= 0; slot = popDue(now)) {
    popped.push(slot);
    expect(timersCheck()).toBe(0);
  }
  return popped;
}

describe("timer store: wheel feeding the exact heap", () => {
  beforeEach(() => { timerClear(); });

  it("fires equal deadlines in scheduling order across wheel levels", () => {
    // Scheduled while the deadline is far (high level), then while it is
    // near: cascading must not put the later one first.
    const first = timerSchedule(300000, 0);
    expect(popDue(299990)).toBe(-1); // the wheel catches up to 299990
    const second = timerSchedule(300000, 0);
    const third = timerSchedule(299999.5, 0);
    expect(timersCheck()).toBe(0);
    const popped = popAll(300000);
    expect(popped.length).toBe(3);
    expect(popped[0]).toBe(slotOf(third));
    expect(popped[1]).toBe(slotOf(first));
    expect(popped[2]).toBe(slotOf(second));
  });

  it("orders fractional deadlines within one tick exactly", () => {
    const base: f64 = 1000;
    const a = timerSchedule(base + 5.75, 0);
    const b = timerSchedule(base + 5.25, 0);
    const c = timerSchedule(base + 5.5, 0);
    expect(timerNextDeadline()).toBe(base + 5.25);
    expect(popDue(base + 5.4)).toBe(slotOf(b));
    expect(popDue(base + 5.4)).toBe(-1);
    const popped = popAll(base + 6);
    expect(popped[0]).toBe(slotOf(c));
    expect(popped[1]).toBe(slotOf(a));
  });

  it("cancels a timer from every level, the overflow list and the heap", () => {
    const ids: f64[] = [];
    let d: f64 = 2000000.5;
    for (let level = 0; level < 8; level++) { ids.push(timerSchedule(d, 0)); d = d * 64 + 3; }
    ids.push(timerSchedule(-5, 0));
    ids.push(timerSchedule(Infinity, 0));
    expect(timerPendingCount()).toBe(ids.length);
    for (let i = 0; i < ids.length; i++) {
      expect(timerCancel(ids[i])).toBe(1);
      expect(timerCancel(ids[i])).toBe(0);
      expect(timersCheck()).toBe(0);
    }
    expect(timerPendingCount()).toBe(0);
    expect(timerNextDeadline()).toBe(Infinity);
  });

  it("fires past deadlines at once, in deadline order", () => {
    const late = timerSchedule(-1, 0);
    const later = timerSchedule(-2, 0);
    expect(timerNextDeadline()).toBe(-2);
    const popped = popAll(-1);
    expect(popped.length).toBe(2);
    expect(popped[0]).toBe(slotOf(later));
    expect(popped[1]).toBe(slotOf(late));
  });

  it("keeps huge and Infinity deadlines, in order, and never fires Infinity before the end of time", () => {
    const inf = timerSchedule(Infinity, 0);
    const huge = timerSchedule(1e300, 0);
    const far = timerSchedule(1e15, 0);
    expect(timerNextDeadline()).toBe(1e15);
    expect(popDue(1e14)).toBe(-1);
    expect(popDue(1e15)).toBe(slotOf(far));
    expect(timerNextDeadline()).toBe(1e300);
    expect(popDue(1e299)).toBe(-1);
    expect(popDue(1e300)).toBe(slotOf(huge));
    expect(popDue(1.7976931348623157e308)).toBe(-1);
    expect(timerNextDeadline()).toBe(Infinity);
    expect(timerPendingCount()).toBe(1);
    expect(timerCancel(inf)).toBe(1);
    expect(timersCheck()).toBe(0);
  });

  it("rejects NaN deadlines and malformed ids", () => {
    expect(timerSchedule(NaN, 0)).toBe(-1);
    const id = timerSchedule(5, 0);
    expect(timerMove(id, NaN)).toBe(0);
    expect(timerCancel(NaN)).toBe(0);
    expect(timerCancel(-1)).toBe(0);
    expect(timerCancel(id + 0.5)).toBe(0);
    expect(timerCancel(Infinity)).toBe(0);
    expect(timerPendingCount()).toBe(1);
  });

  it("moves a timer in place, after those already due at its new deadline", () => {
    const now: f64 = 2e9;
    const a = timerSchedule(now + 100, 0);
    const b = timerSchedule(now + 5000000, 0);
    expect(timerMove(b, now + 100)).toBe(1);
    expect(timerMove(a, now + 100)).toBe(1);
    expect(timersCheck()).toBe(0);
    const popped = popAll(now + 100);
    expect(popped.length).toBe(2);
    expect(popped[0]).toBe(slotOf(b));
    expect(popped[1]).toBe(slotOf(a));
    expect(timerMove(a, now + 200)).toBe(0); // fired: stale
  });

  it("never lets a stale id touch the timer that reuses its slot", () => {
    const old = timerSchedule(10, 0);
    expect(timerCancel(old)).toBe(1);
    const fresh = timerSchedule(20, 0);
    expect(slotOf(fresh)).toBe(slotOf(old));
    expect(timerCancel(old)).toBe(0);
    expect(timerMove(old, 30)).toBe(0);
    expect(timerPendingCount()).toBe(1);
    expect(timerCancel(fresh)).toBe(1);
  });

  it("clears timers from the heap and every level, and is usable after", () => {
    for (let i = 0; i < 200; i++) timerSchedule(<f64>(i * i * i * 97) - 50, 0);
    expect(popDue(-10)).toBeGreaterThanOrEqual(0);
    timerClear();
    expect(timerPendingCount()).toBe(0);
    expect(timersCheck()).toBe(0);
    expect(timerNextDeadline()).toBe(Infinity);
    const id = timerSchedule(1, 0);
    expect(popDue(1e12)).toBe(slotOf(id));
  });

  it("keeps (deadline, sequence) order against a sorted reference over a long random run", () => {
    randomRun(2500, 0);
  });

  it("renumbers sequence numbers before they wrap, keeping the order of equal deadlines", () => {
    const a = timerSchedule(5.5, 0);
    const b = timerSchedule(1e5, 0);
    const c = timerSchedule(5.5, 0);
    const d = timerSchedule(1e5, 0);
    expect(timerCancel(timerSchedule(7, 0))).toBe(1); // a free slot
    expect(popDue(5)).toBe(-1); // a and c are now in the near heap, b and d in the wheel
    timersSkipSequence(0xffffffff); // the next number would be the last
    const e = timerSchedule(5.5, 0); // renumbers first
    const f = timerSchedule(1e5, 0);
    expect(timersCheck()).toBe(0);
    timersSkipSequence(0xffffffff);
    expect(timerMove(a, 1e5)).toBe(1); // renumbers again: a is now the last of 1e5
    expect(timersCheck()).toBe(0);
    const order = popAll(1e6);
    expect(order.length).toBe(6);
    expect(order[0]).toBe(slotOf(c));
    expect(order[1]).toBe(slotOf(e));
    expect(order[2]).toBe(slotOf(b));
    expect(order[3]).toBe(slotOf(d));
    expect(order[4]).toBe(slotOf(f));
    expect(order[5]).toBe(slotOf(a));
  });

  it("keeps the order over a long random run with the sequence numbers renumbered every 200 steps", () => {
    randomRun(1000, 200);
  });
});

/** Random schedules, cancels, moves, next-deadline queries and pops against
 *  the reference, checking every invariant after each step; every
 *  `renumberEvery` steps (0: never) the sequence count jumps to its limit, so
 *  that the next schedule or move renumbers the pending timers. */
function randomRun(steps: i32, renumberEvery: i32): void {
  const reference = new Reference();
  let seed: u32 = 12345;
  let now: f64 = 5e11;
  for (let step = 0; step < steps; step++) {
    if (renumberEvery > 0 && step % renumberEvery == renumberEvery - 1) timersSkipSequence(0xffffffff);
    seed = seed * 1664525 + 1013904223;
    const op = (seed >> 24) % 16;
    if (op < 7) {
      const d = randomDeadline(seed, now, reference);
      reference.add(timerSchedule(d, 0), d);
    } else if (op < 9 && reference.size() > 0) {
      const id = reference.ids[<i32>((seed >> 3) % <u32>reference.size())];
      expect(timerCancel(id)).toBe(1);
      reference.remove(id);
    } else if (op < 11 && reference.size() > 0) {
      const id = reference.ids[<i32>((seed >> 3) % <u32>reference.size())];
      seed = seed * 1664525 + 1013904223;
      const d = randomDeadline(seed, now, reference);
      expect(timerMove(id, d)).toBe(1);
      reference.remove(id);
      reference.add(id, d);
    } else if (op < 12) {
      expect(timerNextDeadline()).toBe(reference.least());
    } else {
      // Time stands still, creeps, or jumps far.
      const kind = (seed >> 5) % 8;
      if (kind >= 2) now += kind == 7 ? <f64>((seed >> 8) % 1000000) * 977 : <f64>((seed >> 8) % 300) / 4;
      for (let slot = popDue(now); slot >= 0; slot = popDue(now)) {
        expect(slot).toBe(slotOf(reference.popLeast()));
      }
      expect(reference.least() > now).toBe(true);
    }
    expect(timersCheck()).toBe(0);
    expect(timerPendingCount()).toBe(reference.size());
  }
}

/** Deadlines of every kind: past, this tick, each level's range, overflow,
 *  huge, Infinity, and exact copies of pending deadlines (ties). */
function randomDeadline(seed: u32, now: f64, reference: Reference): f64 {
  const kind = (seed >> 12) % 12;
  const r = <f64>((seed >> 4) & 0xffff) / 65536.0;
  if (kind == 0) return now - r * 1e4;
  if (kind == 1) return Infinity;
  if (kind == 2) return 1e200 * r;
  if (kind == 3 && reference.size() > 0) return reference.deadlines[<i32>((seed >> 2) % <u32>reference.size())];
  if (kind == 4) return Math.floor(now) + <f64>((seed >> 6) % 4);
  return now + r * Math.pow(64, <f64>(kind - 4)) * 1.5; // up to ~64^7
}

/** The simplest correct store: parallel arrays in scheduling order, the
 *  least found by a scan (a strict < keeps the earliest scheduled first). */
class Reference {
  ids: f64[] = [];
  deadlines: f64[] = [];

  size(): i32 { return this.ids.length; }

  add(id: f64, d: f64): void { this.ids.push(id); this.deadlines.push(d); }

  remove(id: f64): void {
    const i = this.ids.indexOf(id);
    this.ids.splice(i, 1);
    this.deadlines.splice(i, 1);
  }

  leastIndex(): i32 {
    let best = -1;
    for (let i = 0; i < this.ids.length; i++) {
      if (best < 0 || this.deadlines[i] < this.deadlines[best]) best = i;
    }
    return best;
  }

  least(): f64 {
    const i = this.leastIndex();
    return i < 0 ? Infinity : this.deadlines[i];
  }

  popLeast(): f64 {
    const i = this.leastIndex();
    const id = this.ids[i];
    this.remove(id);
    return id;
  }
}
