import { runIteration, continueIteration } from "../../assembly/dispatch";
import { callbackAdd, callbackCount } from "../../assembly/callbacks";
import {
  timerSchedule, timerCancel, timerPendingCount, timerClaim, timerMove, timerRefresh, timerDeadline, timerSetLane,
  timersSkipSequence, SLOT_BITS, LANE_BITS,
} from "../../assembly/timers";
import { sourceAdd, sourceSetReady, sourceClearReady, sourceRemove, sourceSetInterest } from "../../assembly/sources";
import { READ, WRITE, ERROR } from "../../assembly/events";
import { reset, checkInvariants } from "../../assembly/lifecycle";

function slotOf(id: f64): i32 { return <i32>(<u64>id & <u64>((1 << SLOT_BITS) - 1)); }

/** The dispatch list's words after the header: word(list, i). */
function word(list: usize, i: i32): i32 { return load<i32>(list + (<usize>(3 + i) << 2)); }
function callbacksIn(list: usize): i32 { return load<i32>(list); }
function timeoutsIn(list: usize): i32 { return load<i32>(list, 4); }
function sourcesIn(list: usize): i32 { return load<i32>(list, 8); }

/** The model of the stepped decisions' test: every timer's id, deadline and
 *  order (its sequence), whether it is alive (pending, or listed and not yet
 *  run), whether it is on the list being decided, and whether it was moved
 *  after it was listed. */
class StepModel {
  ids: f64[] = [];
  deadlines: f64[] = [];
  orders: i32[] = [];
  alive: bool[] = [];
  listed: bool[] = [];
  movedAfter: bool[] = [];
  order: i32 = 0;
  now: f64 = 0;
  seed: u32 = 0x9e3779b9;

  random(bound: i32): i32 {
    this.seed ^= this.seed << 13; this.seed ^= this.seed >> 17; this.seed ^= this.seed << 5;
    return <i32>(this.seed % <u32>bound);
  }

  add(deadline: f64): void {
    this.ids.push(timerSchedule(deadline, 0)); this.deadlines.push(deadline); this.orders.push(this.order++);
    this.alive.push(true); this.listed.push(false); this.movedAfter.push(false);
  }

  before(a: i32, b: i32): bool {
    return this.deadlines[a] < this.deadlines[b] || (this.deadlines[a] == this.deadlines[b] && this.orders[a] < this.orders[b]);
  }

  /** The least timer the decision that began at order `start` has yet to take, or -1. */
  leastCandidate(start: i32): i32 {
    let best = -1;
    for (let i = 0; i < this.ids.length; i++) {
      if (this.alive[i] && !this.listed[i] && this.deadlines[i] <= this.now && this.orders[i] < start
        && (best < 0 || this.before(i, best))) best = i;
    }
    return best;
  }

  /** Between two steps: schedules (some already due), cancels and moves;
   *  returns how many the store refused. */
  between(): i32 {
    let refused = 0;
    for (let n = this.random(4); n > 0; n--) {
      const op = this.random(3), i = this.random(this.ids.length);
      if (op == 0) this.add(this.now + <f64>this.random(20) - 15);
      else if (op == 1 && this.alive[i]) {
        if (timerCancel(this.ids[i]) != 1) refused++;
        this.alive[i] = false;
      } else if (op == 2 && this.alive[i]) {
        const deadline = this.now + <f64>this.random(30) - 20;
        if (timerMove(this.ids[i], deadline) != 1) refused++;
        this.deadlines[i] = deadline; this.orders[i] = this.order++;
        if (this.listed[i]) this.movedAfter[i] = true;
      }
    }
    return refused;
  }
}

describe("dispatch", () => {
  beforeEach(() => { reset(); expect(checkInvariants()).toBe(0); });

  it("an empty iteration writes a header of zeros", () => {
    const list = runIteration(0, 0x7fffffff);
    expect(callbacksIn(list)).toBe(0);
    expect(timeoutsIn(list)).toBe(0);
    expect(sourcesIn(list)).toBe(0);
    expect(checkInvariants()).toBe(0);
  });

  it("writes callbacks, then due timeouts in (deadline, sequence) order, then sources with their events", () => {
    const c1 = callbackAdd(), c2 = callbackAdd();
    const t10a = timerSchedule(10, 0), t5 = timerSchedule(5, 0), t10b = timerSchedule(10, 0);
    timerSchedule(11, 0); // not due
    const r = sourceAdd(READ), w = sourceAdd(READ | WRITE);
    sourceSetReady(w, WRITE);
    sourceSetReady(r, READ | WRITE); // WRITE is outside r's interest
    sourceSetReady(w, READ);
    expect(checkInvariants()).toBe(0);

    const list = runIteration(10, 0x7fffffff);
    expect(callbacksIn(list)).toBe(2);
    expect(timeoutsIn(list)).toBe(3);
    expect(sourcesIn(list)).toBe(2);
    expect(word(list, 0)).toBe(c1);
    expect(word(list, 1)).toBe(c2);
    expect(word(list, 2)).toBe(slotOf(t5));
    expect(word(list, 3)).toBe(slotOf(t10a));
    expect(word(list, 4)).toBe(slotOf(t10b));
    expect(word(list, 5)).toBe(w);          // ready first
    expect(word(list, 6)).toBe(READ | WRITE); // merged
    expect(word(list, 7)).toBe(r);
    expect(word(list, 8)).toBe(READ);
    expect(timerPendingCount()).toBe(1);
    expect(checkInvariants()).toBe(0);
  });

  it("decided in steps of `limit` timeouts, the list is the one decided at once, and nothing shows before the last step", () => {
    const ids: f64[] = [];
    for (let i = 0; i < 50; i++) ids.push(timerSchedule(<f64>((i * 37) % 50), 0));
    callbackAdd();
    const r = sourceAdd(READ);
    sourceSetReady(r, READ);
    let list = runIteration(100, 7);
    let steps = 1;
    while (list == 0) {
      expect(checkInvariants()).toBe(0);
      list = continueIteration(7);
      steps++;
    }
    expect(steps).toBe(8); // 50 timeouts, 7 a step, and the step that finds none left
    expect(callbacksIn(list)).toBe(1);
    expect(timeoutsIn(list)).toBe(50);
    expect(sourcesIn(list)).toBe(1);
    // deadline k is the timer i with (i * 37) % 50 == k: the list is in deadline order
    for (let k = 0; k < 50; k++) expect(word(list, 1 + k)).toBe(slotOf(ids[(k * 23) % 50])); // 23 is 37's inverse mod 50
    expect(continueIteration(7)).toBe(list); // decided: asking again changes nothing
    expect(checkInvariants()).toBe(0);
  });

  it("a timeout scheduled or moved between the steps of a decision waits for the next iteration, whatever its deadline", () => {
    const a = timerSchedule(1, 0), b = timerSchedule(2, 0), c = timerSchedule(3, 0), d = timerSchedule(4, 0);
    expect(runIteration(10, 2)).toBe(0); // took a and b
    const late = timerSchedule(0, 0);    // due, but scheduled after the decision began
    expect(timerMove(d, 0)).toBe(1);     // moved after it began: not this iteration's either
    expect(timerCancel(c)).toBe(1);      // cancelled before it was taken
    expect(checkInvariants()).toBe(0);
    let list = continueIteration(2);
    while (list == 0) list = continueIteration(2);
    expect(timeoutsIn(list)).toBe(2);
    expect(word(list, 0)).toBe(slotOf(a));
    expect(word(list, 1)).toBe(slotOf(b));
    expect(checkInvariants()).toBe(0);
    const next = runIteration(10, 0x7fffffff);
    expect(timeoutsIn(next)).toBe(2);
    expect(word(next, 0)).toBe(slotOf(late)); // (0, its sequence) before (0, d's later one)
    expect(word(next, 1)).toBe(slotOf(d));
    expect(checkInvariants()).toBe(0);
  });

  it("the sequence numbers renumbered between two steps still tell which timeouts came after the decision began", () => {
    const a = timerSchedule(1, 0), b = timerSchedule(2, 0), c = timerSchedule(3, 0);
    expect(runIteration(10, 1)).toBe(0); // took a
    timersSkipSequence(0xffffffff);
    const late = timerSchedule(0, 0);    // renumbers b, c (and the decision's start) first
    let list = continueIteration(1);
    while (list == 0) list = continueIteration(1);
    expect(timeoutsIn(list)).toBe(3);
    expect(word(list, 0)).toBe(slotOf(a));
    expect(word(list, 1)).toBe(slotOf(b));
    expect(word(list, 2)).toBe(slotOf(c));
    const next = runIteration(10, 0x7fffffff);
    expect(timeoutsIn(next)).toBe(1);
    expect(word(next, 0)).toBe(slotOf(late));
    expect(checkInvariants()).toBe(0);
  });

  it("decided in random steps, with random schedules, cancels and moves between them, each list agrees with a model", () => {
    const m = new StepModel();
    let failures = 0, steps = 0;
    for (let iteration = 0; iteration < 300 && failures == 0; iteration++) {
      m.now += <f64>m.random(20);
      for (let n = m.random(30); n > 0; n--) m.add(m.now + <f64>m.random(40) - 10);
      const start = m.order;
      const expected: i32[] = [];
      const limit = 1 + m.random(6);
      let list = runIteration(m.now, limit);
      while (true) {
        // What the step just made took: the `limit` least of the candidates.
        for (let taken = 0; taken < limit; taken++) {
          const best = m.leastCandidate(start);
          if (best < 0) break;
          m.listed[best] = true;
          expected.push(best);
        }
        if (checkInvariants() != 0) failures++;
        if (list != 0) break;
        steps++;
        failures += m.between();
        list = continueIteration(limit);
      }
      if (timeoutsIn(list) != expected.length) { failures++; break; }
      // Run the list: a listed timer still due runs (its claim succeeds);
      // one cancelled or moved since it was listed does not.
      for (let k = 0; k < expected.length; k++) {
        const i = expected[k];
        if (word(list, callbacksIn(list) + k) != slotOf(m.ids[i])) failures++;
        const runs = m.alive[i] && !m.movedAfter[i];
        if ((timerClaim(slotOf(m.ids[i])) == 1) != runs) failures++;
        if (runs) m.alive[i] = false;
        m.listed[i] = false;
        m.movedAfter[i] = false;
      }
      timerClaim(-1);
      if (checkInvariants() != 0) failures++;
    }
    expect(failures).toBe(0);
    expect(steps).toBeGreaterThan(100); // decisions did take several steps
  });

  it("a reset between the steps of a decision releases what the steps took", () => {
    for (let i = 0; i < 10; i++) timerSchedule(<f64>i, 0);
    expect(runIteration(100, 3)).toBe(0);
    reset();
    expect(checkInvariants()).toBe(0);
    expect(timerPendingCount()).toBe(0);
    const list = runIteration(100, 0x7fffffff);
    expect(timeoutsIn(list)).toBe(0);
  });

  it("snapshots the callbacks: those added after the list was written wait for the next iteration", () => {
    callbackAdd();
    const first = runIteration(0, 0x7fffffff);
    expect(callbacksIn(first)).toBe(1);
    const late = callbackAdd(); // as the host does while running the list
    expect(callbackCount()).toBe(1);
    const second = runIteration(0, 0x7fffffff);
    expect(callbacksIn(second)).toBe(1);
    expect(word(second, 0)).toBe(late);
    expect(checkInvariants()).toBe(0);
  });

  it("a timeout is listed once: it is removed from the store when it is written", () => {
    timerSchedule(1, 0);
    expect(timeoutsIn(runIteration(1, 0x7fffffff))).toBe(1);
    expect(timeoutsIn(runIteration(2, 0x7fffffff))).toBe(0);
    expect(checkInvariants()).toBe(0);
  });

  it("a timeout scheduled after the list was written, even already due, waits for the next iteration", () => {
    timerSchedule(0, 0);
    const list = runIteration(5, 0x7fffffff);
    expect(timeoutsIn(list)).toBe(1);
    timerSchedule(0, 0); // as a firing timeout scheduling another with delay 0
    expect(timerPendingCount()).toBe(1);
    expect(timeoutsIn(runIteration(5, 0x7fffffff))).toBe(1);
  });

  it("a cancelled timeout is never listed", () => {
    const a = timerSchedule(1, 0);
    const b = timerSchedule(1, 0);
    timerCancel(a);
    const list = runIteration(1, 0x7fffffff);
    expect(timeoutsIn(list)).toBe(1);
    expect(word(list, 0)).toBe(slotOf(b));
  });

  it("a level-ready source is listed in every iteration until its readiness is cleared", () => {
    const s = sourceAdd(READ);
    sourceSetReady(s, READ);
    expect(sourcesIn(runIteration(0, 0x7fffffff))).toBe(1);
    expect(sourcesIn(runIteration(0, 0x7fffffff))).toBe(1);
    sourceClearReady(s, READ);
    expect(sourcesIn(runIteration(0, 0x7fffffff))).toBe(0);
    expect(checkInvariants()).toBe(0);
  });

  it("lists ERROR for a source whatever its interest, and nothing for a removed source", () => {
    const a = sourceAdd(READ), b = sourceAdd(READ);
    sourceSetReady(a, ERROR);
    sourceSetReady(b, READ);
    sourceRemove(b);
    const list = runIteration(0, 0x7fffffff);
    expect(sourcesIn(list)).toBe(1);
    expect(word(list, 0)).toBe(a);
    expect(word(list, 1)).toBe(ERROR);
    sourceSetInterest(a, 0);
    expect(sourcesIn(runIteration(0, 0x7fffffff))).toBe(1);
  });

  it("grows the list past its first capacity, keeping every section in order", () => {
    const callbacks: i32[] = [];
    for (let i = 0; i < 500; i++) callbacks.push(callbackAdd());
    const ids: f64[] = [];
    for (let i = 0; i < 500; i++) ids.push(timerSchedule(<f64>(i % 7), 0));
    const list = runIteration(10, 0x7fffffff);
    expect(callbacksIn(list)).toBe(500);
    expect(timeoutsIn(list)).toBe(500);
    let outOfOrder = 0;
    for (let i = 0; i < 500; i++) if (word(list, i) != callbacks[i]) outOfOrder++;
    // (deadline, sequence) order: deadline i % 7 first, then i.
    let at = 500;
    for (let d = 0; d < 7; d++) {
      for (let i = d; i < 500; i += 7) if (word(list, at++) != slotOf(ids[i])) outOfOrder++;
    }
    expect(outOfOrder).toBe(0);
    expect(checkInvariants()).toBe(0);
  });

  it("reset drops every pending callback, timeout and source", () => {
    callbackAdd();
    timerSchedule(0, 0);
    const s = sourceAdd(READ);
    sourceSetReady(s, READ);
    reset();
    const list = runIteration(100, 0x7fffffff);
    expect(callbacksIn(list)).toBe(0);
    expect(timeoutsIn(list)).toBe(0);
    expect(sourcesIn(list)).toBe(0);
    expect(checkInvariants()).toBe(0);
  });

  it("keeps every slot the list names reserved until the next iteration: nothing added meanwhile reuses one", () => {
    const c = callbackAdd();
    const t = timerSchedule(0, 0);
    const s = sourceAdd(READ);
    sourceSetReady(s, READ);
    const list = runIteration(0, 0x7fffffff);
    expect(timerClaim(word(list, 1))).toBe(1);
    expect(sourceRemove(s)).toBe(1);
    // As the calls of the list would: add one of each kind.
    const c2 = callbackAdd(), t2 = timerSchedule(100, 0), s2 = sourceAdd(READ);
    expect(c2).not.toBe(c);
    expect(slotOf(t2)).not.toBe(slotOf(t));
    expect(s2).not.toBe(s);
    expect(checkInvariants()).toBe(0);
    runIteration(0, 0x7fffffff); // releases the first list's slots
    expect(checkInvariants()).toBe(0);
    expect(slotOf(timerSchedule(100, 0))).toBe(slotOf(t));
  });

  it("a due timeout cancelled before its turn is not claimed, and its id is spent", () => {
    const a = timerSchedule(1, 1), b = timerSchedule(1, 1);
    const list = runIteration(1, 0x7fffffff);
    expect(timerClaim(word(list, 0))).toBe(1);
    expect(timerCancel(b)).toBe(1);  // as a's call would
    expect(timerClaim(word(list, 1))).toBe(0);
    expect(timerCancel(b)).toBe(0);
    expect(timerCancel(a)).toBe(0);  // a's call is running: not pending
    expect(timerPendingCount()).toBe(0);
    expect(checkInvariants()).toBe(0);
  });

  it("a due timeout refreshed before its turn is pending again, not claimed; the running one re-arms itself", () => {
    const a = timerSchedule(5, 5), b = timerSchedule(5, 5);
    const list = runIteration(5, 0x7fffffff);
    expect(timerClaim(word(list, 0))).toBe(1);
    expect(timerRefresh(b, 5)).toBe(10);  // an earlier entry defers b
    expect(timerClaim(word(list, 1))).toBe(0);
    expect(timerDeadline(b)).toBe(10);
    expect(timerClaim(word(list, 0))).toBe(0); // a was claimed already
    expect(timerClaim(-1)).toBe(0);
    expect(isNaN(timerRefresh(a, 5))).toBe(true); // a's call has returned: spent
    expect(timerPendingCount()).toBe(1);
    expect(checkInvariants()).toBe(0);
  });

  it("the timeout whose call is running may refresh itself, keeping its id", () => {
    const a = timerSchedule(5, 5);
    const list = runIteration(5, 0x7fffffff);
    expect(timerClaim(word(list, 0))).toBe(1);
    expect(isNaN(timerDeadline(a))).toBe(true);
    expect(timerRefresh(a, 5)).toBe(10);
    expect(timerDeadline(a)).toBe(10);
    expect(timerPendingCount()).toBe(1);
    runIteration(6, 0x7fffffff);
    expect(checkInvariants()).toBe(0);
    expect(timerMove(a, 7)).toBe(1); // still the same pending timer after the release
  });

  it("ids carry the lane: an id of another lane is refused", () => {
    expect(timerSetLane(3, 1)).toBe(1);
    const id = timerSchedule(5, 5);
    const lane = <i32>(<u64>(id / <f64>(1 << SLOT_BITS)) & <u64>((1 << LANE_BITS) - 1));
    expect(lane).toBe(3);
    expect(timerSetLane(4, 1)).toBe(1);
    expect(timerCancel(id)).toBe(0);
    expect(timerSetLane(3, 1)).toBe(1);
    expect(timerCancel(id)).toBe(1);
    expect(timerSetLane(1 << LANE_BITS, 1)).toBe(0);
    expect(timerSetLane(-1, 1)).toBe(0);
    timerSetLane(0, 1);
  });
});
