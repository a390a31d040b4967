import {
  timerSchedule, timerCancel, timerMove, timerPopDue, timerNextDeadline, timerPendingCount, timerClear,
  timersCheck, SLOT_BITS, LANE_BITS, ERR_BAD_DEADLINE,
} from "../../assembly/timers";
import { timerRelease, timerLaneHandover, timerSetLane } from "../../assembly/timers";
import { setGeneration } from "../../assembly/records";

/** Pops the earliest due timer, as an iteration does, and releases its slot
 *  at once, as the next iteration would (the store's own tests do not run
 *  dispatch lists). */
function popDue(now: f64): i32 {
  const slot = timerPopDue(now);
  if (slot >= 0) timerRelease(slot);
  return slot;
}

const SLOT_SCALE: f64 = <f64>(1 << SLOT_BITS);

function slotOf(id: f64): i32 { return <i32>(<u64>id & <u64>((1 << SLOT_BITS) - 1)); }
const LANES: f64 = <f64>(1 << LANE_BITS);

/** The generation an id carries, by the layout assembly/timers.ts gives
 *  (the bits above the slot, its tag): lane l > 0 issues tags g * 256 + l;
 *  lane 0 issues g while g < 256, then (g - 255) * 256. */
function generationOf(id: f64): f64 {
  const tag = Math.floor(id / SLOT_SCALE);
  if (tag < LANES) return tag;
  if (tag % LANES != 0) return Math.floor(tag / LANES);
  return tag / LANES + LANES - 1;
}

function laneOf(id: f64): i32 {
  const tag = Math.floor(id / SLOT_SCALE);
  return tag < LANES ? 0 : <i32>(tag % LANES);
}

/** Pops every timer due at `now` and returns their slots, checking the
 *  invariants after each pop. */
function popAll(now: f64): i32[] {
  const slots: i32[] = [];
  for (let s = popDue(now); s >= 0; s = popDue(now)) {
    slots.push(s);
    expect(timersCheck()).toBe(0);
  }
  return slots;
}

// A small deterministic PRNG (xorshift32), so that a failure reproduces.
let seed: u32 = 0x2545f491;
function random(bound: i32): i32 {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return <i32>(seed % <u32>bound);
}

describe("timers", () => {
  beforeEach(() => { timerClear(); expect(timersCheck()).toBe(0); });

  it("pops due timers in (deadline, sequence) order: equal deadlines in scheduling order", () => {
    const a = timerSchedule(10, 0);
    const b = timerSchedule(5, 0);
    const c = timerSchedule(10, 0);
    const d = timerSchedule(5, 0);
    expect(timersCheck()).toBe(0);
    const due = popAll(10);
    expect(due.length).toBe(4);
    expect(due[0]).toBe(slotOf(b));
    expect(due[1]).toBe(slotOf(d));
    expect(due[2]).toBe(slotOf(a));
    expect(due[3]).toBe(slotOf(c));
  });

  it("many timers with equal deadlines pop in the order they were scheduled", () => {
    const ids: f64[] = [];
    for (let i = 0; i < 90; i++) ids.push(timerSchedule(<f64>[30, 10, 20][i % 3], 0));
    const due = popAll(30);
    expect(due.length).toBe(90);
    let outOfOrder = 0, at = 0;
    const firstOfDeadline: i32[] = [1, 2, 0]; // deadlines 10, 20, 30
    for (let d = 0; d < 3; d++) {
      for (let i = firstOfDeadline[d]; i < 90; i += 3) if (due[at++] != slotOf(ids[i])) outOfOrder++;
    }
    expect(outOfOrder).toBe(0);
  });

  it("pops nothing before its deadline, and a deadline equal to now is due", () => {
    timerSchedule(10, 0);
    expect(popDue(9.999)).toBe(-1);
    expect(timerPendingCount()).toBe(1);
    expect(popDue(10)).toBeGreaterThanOrEqual(0);
    expect(timerPendingCount()).toBe(0);
    expect(timersCheck()).toBe(0);
  });

  it("cancel removes the timer at once: the pending count falls and it never pops", () => {
    const a = timerSchedule(1, 0);
    const b = timerSchedule(2, 0);
    expect(timerCancel(a)).toBe(1);
    expect(timerPendingCount()).toBe(1);
    expect(timersCheck()).toBe(0);
    expect(timerNextDeadline()).toBe(2);
    const due = popAll(100);
    expect(due.length).toBe(1);
    expect(due[0]).toBe(slotOf(b));
  });

  it("memory stays proportional to the live timers however many are cancelled", () => {
    // Warm up to 100 live timers, then churn: schedule one, cancel one.
    const live: f64[] = [];
    for (let i = 0; i < 100; i++) live.push(timerSchedule(<f64>i, 0));
    const pagesBefore = memory.size();
    let cancelled = 0;
    for (let i = 0; i < 200000; i++) {
      const id = timerSchedule(<f64>(i % 1000), 0);
      cancelled += timerCancel(live[i % 100]);
      live[i % 100] = id;
    }
    expect(cancelled).toBe(200000);
    expect(timerPendingCount()).toBe(100);
    expect(memory.size()).toBe(pagesBefore);
    expect(timersCheck()).toBe(0);
  });

  it("a cancelled timer's id cancels nothing the second time", () => {
    const a = timerSchedule(1, 0);
    expect(timerCancel(a)).toBe(1);
    expect(timerCancel(a)).toBe(0);
    expect(timersCheck()).toBe(0);
  });

  it("a fired timer's id cannot cancel or move the timer that reuses its slot", () => {
    const old = timerSchedule(1, 0);
    expect(popAll(1).length).toBe(1);
    const reuse = timerSchedule(50, 0);
    expect(slotOf(reuse)).toBe(slotOf(old)); // the slot was reused...
    expect(reuse).not.toBe(old);             // ...under a new generation
    expect(timerCancel(old)).toBe(0);
    expect(timerMove(old, 0)).toBe(0);
    expect(timerPendingCount()).toBe(1);
    expect(timerNextDeadline()).toBe(50);
    expect(timersCheck()).toBe(0);
  });

  it("a cancelled timer's id cannot cancel the timer that reuses its slot", () => {
    const old = timerSchedule(1, 0);
    timerCancel(old);
    const reuse = timerSchedule(2, 0);
    expect(slotOf(reuse)).toBe(slotOf(old));
    expect(timerCancel(old)).toBe(0);
    expect(timerPendingCount()).toBe(1);
    expect(timerCancel(reuse)).toBe(1);
  });

  it("ids carry a generation that grows with each reuse of a slot, past 1024 reuses", () => {
    const first = timerSchedule(0, 0);
    const slot = slotOf(first);
    let id = first;
    const stale: f64[] = [];
    let wrong = 0;
    for (let i = 0; i < 5000; i++) {
      stale.push(id);
      timerCancel(id);
      id = timerSchedule(0, 0);
      if (slotOf(id) != slot || generationOf(id) != generationOf(first) + <f64>(i + 1)) wrong++;
    }
    expect(wrong).toBe(0);
    // None of the 5000 stale ids touches the live timer (a 10-bit generation
    // would have wrapped four times and let ids 1024 reuses apart collide).
    let touched = 0;
    for (let i = 0; i < stale.length; i++) touched += timerCancel(stale[i]) + timerMove(stale[i], 99);
    expect(touched).toBe(0);
    expect(timerPendingCount()).toBe(1);
    expect(timerNextDeadline()).toBe(0);
    expect(timerCancel(id)).toBe(1);
  });

  it("ids that were never issued or are malformed cancel nothing", () => {
    const a = timerSchedule(3, 0);
    expect(timerCancel(-1)).toBe(0);
    expect(timerCancel(NaN)).toBe(0);
    expect(timerCancel(Infinity)).toBe(0);
    expect(timerCancel(a + 0.5)).toBe(0);
    expect(timerCancel(a + 1)).toBe(0);               // a slot never handed out
    expect(timerCancel(a + SLOT_SCALE)).toBe(0);      // a future generation
    expect(timerCancel(9007199254740992.0)).toBe(0);  // 2^53
    expect(timerCancel(0)).toBe(0);
    expect(timerPendingCount()).toBe(1);
    expect(timersCheck()).toBe(0);
  });

  it("timerMove re-keys a pending timer in place, keeping its id, after timers already at that deadline", () => {
    const a = timerSchedule(10, 0);
    const b = timerSchedule(20, 0);
    const c = timerSchedule(30, 0);
    expect(timerMove(a, 20)).toBe(1);
    expect(timersCheck()).toBe(0);
    expect(timerPendingCount()).toBe(3);
    const due = popAll(25);
    expect(due.length).toBe(2);
    expect(due[0]).toBe(slotOf(b));
    expect(due[1]).toBe(slotOf(a));
    expect(timerMove(c, 1)).toBe(1);
    expect(timerNextDeadline()).toBe(1);
    expect(timerCancel(c)).toBe(1); // the id survived the move
    expect(timerMove(c, 5)).toBe(0); // and a cancelled one is not moved
    expect(timersCheck()).toBe(0);
  });

  it("a timer moved later in the wheel fires at its new deadline, in order, and the next deadline skips a list it left", () => {
    // Both sit in the wheel's level-1 list for ticks 128..191 (the wheel is at 0).
    const a = timerSchedule(130, 0);
    const b = timerSchedule(140, 0);
    const c = timerSchedule(5000, 0);
    expect(timerMove(a, 3000)).toBe(1); // later: stays in its list
    expect(timerMove(b, 3000)).toBe(1); // the same deadline, moved after a
    expect(timersCheck()).toBe(0);
    // The list for 128..191 now holds only timers due later than its end.
    expect(timerNextDeadline()).toBe(3000);
    expect(timersCheck()).toBe(0);
    expect(popAll(2999).length).toBe(0);
    const due = popAll(5000);
    expect(due.length).toBe(3);
    expect(due[0]).toBe(slotOf(a));
    expect(due[1]).toBe(slotOf(b));
    expect(due[2]).toBe(slotOf(c));
    expect(timersCheck()).toBe(0);
  });

  it("a timer moved later, then earlier, fires at the earlier deadline", () => {
    const a = timerSchedule(300, 0);
    const b = timerSchedule(200, 0);
    expect(timerMove(a, 90000)).toBe(1);
    expect(timerMove(a, 100)).toBe(1);
    expect(timersCheck()).toBe(0);
    expect(timerNextDeadline()).toBe(100);
    const due = popAll(250);
    expect(due.length).toBe(2);
    expect(due[0]).toBe(slotOf(a));
    expect(due[1]).toBe(slotOf(b));
  });

  it("a NaN deadline is refused with ERR_BAD_DEADLINE and schedules nothing", () => {
    expect(timerSchedule(NaN, 0)).toBe(ERR_BAD_DEADLINE);
    expect(timerPendingCount()).toBe(0);
    const a = timerSchedule(4, 0);
    expect(timerMove(a, NaN)).toBe(0);
    expect(timerNextDeadline()).toBe(4);
    expect(timersCheck()).toBe(0);
  });

  it("an Infinity deadline is pending but never due at any finite time", () => {
    const a = timerSchedule(Infinity, 0);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(timerPendingCount()).toBe(1);
    expect(timerNextDeadline()).toBe(Infinity);
    expect(popDue(1.7e308)).toBe(-1);
    expect(timerCancel(a)).toBe(1);
  });

  it("a -Infinity or negative deadline is due at once, before later ones", () => {
    timerSchedule(-1, 0);
    const b = timerSchedule(-Infinity, 0);
    timerSchedule(-2, 0);
    const due = popAll(0);
    expect(due.length).toBe(3);
    expect(due[0]).toBe(slotOf(b));
  });

  it("the next deadline is the earliest pending, or Infinity when none", () => {
    expect(timerNextDeadline()).toBe(Infinity);
    const a = timerSchedule(7, 0);
    timerSchedule(9, 0);
    expect(timerNextDeadline()).toBe(7);
    timerCancel(a);
    expect(timerNextDeadline()).toBe(9);
  });

  it("clear drops every pending timer and makes their ids stale", () => {
    const a = timerSchedule(1, 0);
    const b = timerSchedule(2, 0);
    timerClear();
    expect(timerPendingCount()).toBe(0);
    expect(timersCheck()).toBe(0);
    expect(timerCancel(a)).toBe(0);
    expect(timerCancel(b)).toBe(0);
    expect(popAll(100).length).toBe(0);
  });

  it("agrees with a list model over random schedule, cancel (fresh and stale), move (later and earlier), pop and next deadline", () => {
    // model: ids, deadlines and sequence numbers of the pending timers
    const ids: f64[] = [];
    const deadlines: f64[] = [];
    const order: i32[] = [];
    const dead: f64[] = []; // ids that fired or were cancelled
    let sequence = 0;
    let now: f64 = 0;
    let fired = 0;
    // Counted, not expected, inside the loop: expect() is slow in as-pect.
    let disagreements = 0;
    for (let step = 0; step < 10000; step++) {
      const op = random(10);
      if (op < 4) {
        const deadline = now + <f64>random(40) - 5;
        ids.push(timerSchedule(deadline, 0));
        deadlines.push(deadline);
        order.push(sequence++);
      } else if (op < 5 && ids.length > 0) {
        const i = random(ids.length);
        if (timerCancel(ids[i]) != 1) disagreements++;
        dead.push(ids[i]);
        ids.splice(i, 1); deadlines.splice(i, 1); order.splice(i, 1);
      } else if (op < 6 && dead.length > 0) {
        const id = dead[random(dead.length)];
        if (timerCancel(id) != 0) disagreements++;
        if (timerMove(id, now) != 0) disagreements++;
      } else if (op < 7 && ids.length > 0) {
        // Mostly later, often far (up the wheel's levels), sometimes earlier.
        const i = random(ids.length);
        const deadline = random(4) == 0 ? now + <f64>random(40) : deadlines[i] + <f64>random(random(2) == 0 ? 300 : 20000);
        if (timerMove(ids[i], deadline) != 1) disagreements++;
        deadlines[i] = deadline;
        order[i] = sequence++;
      } else if (op < 9) {
        now += <f64>random(10);
        for (let slot = popDue(now); slot >= 0; slot = popDue(now)) {
          let best = -1;
          for (let i = 0; i < ids.length; i++) {
            if (best < 0 || deadlines[i] < deadlines[best] || (deadlines[i] == deadlines[best] && order[i] < order[best])) best = i;
          }
          if (best < 0 || deadlines[best] > now || slot != slotOf(ids[best])) { disagreements++; break; }
          fired++;
          dead.push(ids[best]);
          ids.splice(best, 1); deadlines.splice(best, 1); order.splice(best, 1);
        }
        for (let i = 0; i < ids.length; i++) if (deadlines[i] <= now) disagreements++;
      } else if (op < 10) {
        let least = Infinity;
        for (let i = 0; i < deadlines.length; i++) least = Math.min(least, deadlines[i]);
        if (timerNextDeadline() != least) disagreements++;
      }
      // Stop at the first disagreement: a broken store can send later
      // operations anywhere in memory.
      if (disagreements > 0 || timerPendingCount() != ids.length || timersCheck() != 0) { disagreements++; break; }
    }
    expect(disagreements).toBe(0);
    expect(fired).toBeGreaterThan(1000);
  });

  it("after a clear, new timers take the lowest slots in order, however the old ones were released", () => {
    const ids: f64[] = [];
    for (let i = 0; i < 1000; i++) ids.push(timerSchedule(<f64>(i * 7919 % 1000), 0));
    // Release in a scattered order: fire some, cancel others.
    for (let i = 0; i < 1000; i += 3) timerCancel(ids[i]);
    popDue(500);
    timerClear();
    let outOfOrder = 0;
    for (let i = 0; i < 1000; i++) if (slotOf(timerSchedule(<f64>i, 0)) != i) outOfOrder++;
    expect(outOfOrder).toBe(0);
    expect(timersCheck()).toBe(0);
  });

  it("lays ids out so that no two lanes or generations share one, and the first lane's first 256 are small", () => {
    timerClear();
    const slot = slotOf(timerSchedule(5, 5));
    timerClear();
    const lanes: i32[] = [0, 1, 2, 255];
    const ids: f64[] = [];
    let wrong = 0, small = 0, huge = 0;
    for (let l = 0; l < lanes.length; l++) {
      expect(timerSetLane(lanes[l], 1)).toBe(1);
      for (let k = 0; k < 1200; k++) {
        // The first 600 generations and the last 600 but one (a slot
        // released at the last is retired, and the next id takes another).
        const g: u32 = k < 600 ? <u32>(k + 1) : <u32>((1 << 23) - 1201 + k);
        setGeneration(slot, g);
        const id = timerSchedule(5, 5);
        if (slotOf(id) != slot || generationOf(id) != <f64>g || laneOf(id) != lanes[l]) wrong++;
        if (id < 1073741824.0) small++; // 2^30: a small integer in every engine
        if (id >= 4503599627370496.0) huge++; // 2^52
        ids.push(id);
        timerClear();
      }
    }
    expect(wrong).toBe(0);
    expect(small).toBe(256 + 3); // lane 0's generations 1 to 256, and each other lane's first
    expect(huge).toBe(0);
    ids.sort();
    let repeated = 0;
    for (let i = 1; i < ids.length; i++) if (ids[i] == ids[i - 1]) repeated++;
    expect(repeated).toBe(0);
    // A retired slot (generation 0) takes no id, not even lane 0's of the
    // generation equal to this core's lane.
    expect(timerSetLane(3, 1)).toBe(1);
    setGeneration(slot, 0);
    const lane0Id = 3.0 * SLOT_SCALE + <f64>slot;
    expect(timerCancel(lane0Id)).toBe(0);
    expect(timerMove(lane0Id, 9)).toBe(0);
    setGeneration(slot, 1);
    timerSetLane(0, 1);
    expect(timersCheck()).toBe(0);
  });

  it("hands its lane over past the largest generation it would issue, and has none to hand over once a slot is retired", () => {
    timerClear();
    const id = timerSchedule(5, 5);
    let last = id;
    for (let i = 0; i < 10; i++) { timerCancel(last); last = timerSchedule(5, 5); } // the same slot, reused
    timerClear();
    const handover = timerLaneHandover();
    expect(<f64>handover).toBeGreaterThan(generationOf(last)); // past every id the slot issued
    expect(timerSetLane(0, 0)).toBe(0);                      // a first generation must be 1 ..
    expect(timerSetLane(0, 1 << 23)).toBe(0);                // .. to 2^23 - 1
    expect(timerSetLane(0, 1)).toBe(1);

    // A slot at the last generation is retired when released: the lane has
    // no generation left to hand over.
    const slot = slotOf(timerSchedule(5, 5));
    timerClear();
    setGeneration(slot, (1 << 23) - 1);
    const lastId = timerSchedule(5, 5);
    expect(slotOf(lastId)).toBe(slot);
    expect(generationOf(lastId)).toBe(<f64>((1 << 23) - 1));
    timerCancel(lastId);
    expect(timerLaneHandover()).toBe(0);
    expect(timersCheck()).toBe(0);
  });
});

