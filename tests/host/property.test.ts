// Long random sequences of schedule, cancel (fresh and stale ids), refresh,
// advance and add-callback, run on
// a real loop (debug core, VirtualClock) and on a plain TypeScript model of
// Tornado's iteration; after every step, what fired and in what order must
// agree, and the core's invariant check must pass.
//
// Timeouts may act when they fire (schedule a child, add a callback, cancel
// or refresh another handle), so that the same-iteration rules are exercised
// too. Deadlines are multiples of 1/4 ms: exact in binary, so the model's
// arithmetic and the loop's agree to the bit.
import { describe, expect, it } from "vitest";
import type { IOLoop, Timeout } from "../../src/index.js";
import { runningLoop } from "./helpers.js";

/** mulberry32: a small seeded PRNG, so that a failing seed reproduces. */
function prng(seed: number): (bound: number) => number {
  let a = seed >>> 0;
  return (bound) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * bound);
  };
}

/** What a timeout does when it fires, decided when it is scheduled. It
 *  refreshes only timeouts with a positive delay: refreshes with a delay of
 *  0 or less could re-fire one another at the same instant forever. */
type Action =
  | { kind: "none" }
  | { kind: "child"; delay: number }
  | { kind: "callback" }
  | { kind: "cancel"; target: number }
  | { kind: "refresh"; target: number };

/** "firing": its call is running, and only it may refresh itself. */
type State = "pending" | "due" | "firing" | "fired" | "cancelled";

interface ModelTimeout { deadline: number; seq: number; delay: number; state: State; action: Action }

/** Tornado's iteration, in plain TypeScript: the oracle. */
class Model {
  time = 0;
  timeouts: ModelTimeout[] = [];
  callbacks: string[] = [];
  log: string[] = [];
  /** Cancels and refreshes of a timeout already taken for the running
   *  iteration: the case the same-iteration rule is about. */
  dueHits = 0;
  private seq = 0;
  private inIteration = false;
  private iterationTime = 0;

  private scheduleTime(): number { return this.inIteration ? this.iterationTime : this.time; }

  schedule(delay: number, action: Action): number {
    const base = this.scheduleTime();
    this.timeouts.push({ deadline: base + delay, seq: this.seq++, delay, state: "pending", action });
    return this.timeouts.length - 1;
  }

  callAt(deadline: number, action: Action): number {
    const index = this.schedule(0, action);
    const t = this.timeouts[index];
    t.delay = deadline - this.scheduleTime();
    t.deadline = deadline;
    return index;
  }

  cancel(index: number): boolean {
    const t = this.timeouts[index];
    if (t.state !== "pending" && t.state !== "due") return false;
    if (t.state === "due") this.dueHits++;
    t.state = "cancelled";
    return true;
  }

  refresh(index: number): boolean {
    const t = this.timeouts[index];
    if (t.state === "cancelled" || t.state === "fired") return false;
    if (t.state === "due") this.dueHits++;
    t.deadline = this.scheduleTime() + t.delay;
    t.seq = this.seq++;
    t.state = "pending";
    return true;
  }

  addCallback(label: string): void { this.callbacks.push(label); }

  pendingCount(): number { return this.timeouts.filter((t) => t.state === "pending").length; }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const pending = this.timeouts.filter((t) => t.state === "pending");
      const next = Math.min(...pending.map((t) => t.deadline));
      if (this.callbacks.length > 0 || next <= this.time) {
        this.iterate(this.time);
      } else if (next <= target) {
        this.time = next;
        this.iterate(this.time);
      } else {
        break;
      }
    }
    this.time = target;
  }

  private iterate(now: number): void {
    const callbacks = this.callbacks.splice(0);
    const due = this.timeouts
      .map((t, index) => ({ t, index }))
      .filter(({ t }) => t.state === "pending" && t.deadline <= now)
      .sort((a, b) => a.t.deadline - b.t.deadline || a.t.seq - b.t.seq);
    for (const { t } of due) t.state = "due";
    this.inIteration = true;
    this.iterationTime = now;
    for (const label of callbacks) this.log.push(label);
    for (const { t, index } of due) {
      if (t.state !== "due") continue;
      t.state = "firing";
      this.log.push(this.act(index, t.action));
      if (t.state === "firing") t.state = "fired";
    }
    this.inIteration = false;
  }

  private act(index: number, action: Action): string {
    switch (action.kind) {
      case "none": return `t${index}`;
      case "child": return `t${index}:child=t${this.schedule(action.delay, { kind: "none" })}`;
      case "callback": this.addCallback(`c-of-t${index}`); return `t${index}:callback`;
      case "cancel":
        if (action.target >= this.timeouts.length) return `t${index}:missing`;
        return `t${index}:cancel(t${action.target})=${this.cancel(action.target)}`;
      case "refresh":
        if (action.target >= this.timeouts.length) return `t${index}:missing`;
        if (!(this.timeouts[action.target].delay > 0)) return `t${index}:no-refresh`;
        return `t${index}:refresh(t${action.target})=${this.refresh(action.target)}`;
    }
  }
}

/** The same operations on the real loop, logging in the model's words. */
class Subject {
  handles: Timeout[] = [];
  delays: number[] = [];
  log: string[] = [];
  constructor(readonly loop: IOLoop) {}

  schedule(delay: number, action: Action): number {
    const index = this.handles.length;
    this.handles.push(this.loop.callLater(delay, () => this.log.push(this.act(index, action))));
    this.delays.push(delay);
    return index;
  }

  callAt(deadline: number, action: Action): number {
    const index = this.handles.length;
    this.handles.push(this.loop.callAt(deadline, () => this.log.push(this.act(index, action))));
    this.delays.push(deadline - this.loop.time());
    return index;
  }

  addCallback(label: string): void { this.loop.addCallback(() => this.log.push(label)); }

  private act(index: number, action: Action): string {
    switch (action.kind) {
      case "none": return `t${index}`;
      case "child": return `t${index}:child=t${this.schedule(action.delay, { kind: "none" })}`;
      case "callback": this.addCallback(`c-of-t${index}`); return `t${index}:callback`;
      case "cancel":
        if (action.target >= this.handles.length) return `t${index}:missing`;
        return `t${index}:cancel(t${action.target})=${this.loop.removeTimeout(this.handles[action.target])}`;
      case "refresh":
        if (action.target >= this.handles.length) return `t${index}:missing`;
        if (!(this.delays[action.target]! > 0)) return `t${index}:no-refresh`;
        return `t${index}:refresh(t${action.target})=${this.loop.refreshTimeout(this.handles[action.target])}`;
    }
  }
}

const DELAYS = [-2, -1, -0.25, 0, 0, 0.25, 1, 1, 2, 3, 5, 7.5, 10, 10, 20, 40];

async function runSequence(seed: number, steps: number): Promise<{ fired: number; staleCancels: number; dueHits: number }> {
  const random = prng(seed);
  const { loop, clock, errors } = await runningLoop();
  const model = new Model();
  const subject = new Subject(loop);
  let callbacks = 0, staleCancels = 0, compared = 0;

  const pick = <T>(items: readonly T[]): T => items[random(items.length)];
  // A target is any handle, or often one of the next few to be scheduled:
  // those are the likeliest to be due in the same iteration as the timeout
  // acting on them, and later in it.
  const randomTarget = (): number => {
    const count = subject.handles.length;
    return random(2) === 0 ? random(count + 1) : count + random(3);
  };
  const randomAction = (): Action => {
    switch (random(8)) {
      case 0: return { kind: "child", delay: pick([-1, 0, 0, 2]) };
      case 1: return { kind: "callback" };
      case 2: return { kind: "cancel", target: randomTarget() };
      case 3: return { kind: "refresh", target: randomTarget() };
      default: return { kind: "none" };
    }
  };
  const stale = () => model.timeouts.map((t, i) => ({ t, i })).filter(({ t }) => t.state === "fired" || t.state === "cancelled");
  const live = () => model.timeouts.map((t, i) => ({ t, i })).filter(({ t }) => t.state === "pending");

  for (let step = 0; step < steps; step++) {
    const op = random(20);
    let advanceBy = 0;
    if (op < 6) {
      const delay = random(40) === 0 ? Infinity : pick(DELAYS);
      const action = randomAction();
      expect(subject.schedule(delay, action)).toBe(model.schedule(delay, action));
    } else if (op < 7) {
      const deadline = model.time + pick(DELAYS);
      const action = randomAction();
      expect(subject.callAt(deadline, action)).toBe(model.callAt(deadline, action));
    } else if (op < 9) {
      const candidates = live();
      if (candidates.length > 0) {
        const { i } = pick(candidates);
        expect(loop.removeTimeout(subject.handles[i])).toBe(model.cancel(i));
      }
    } else if (op < 10) {
      const candidates = stale();
      if (candidates.length > 0) {
        const { i } = pick(candidates);
        expect(loop.removeTimeout(subject.handles[i])).toBe(false);
        expect(model.cancel(i)).toBe(false);
        staleCancels++;
      }
    } else if (op < 11) {
      if (subject.handles.length > 0) {
        const i = random(subject.handles.length);
        expect(loop.refreshTimeout(subject.handles[i])).toBe(model.refresh(i));
      }
    } else if (op < 13) {
      const label = `c${callbacks++}`;
      subject.addCallback(label);
      model.addCallback(label);
    } else if (op < 14) {
      // A burst with one deadline: all due in one iteration, where earlier
      // members cancel or refresh later ones.
      const delay = pick(DELAYS);
      const size = 2 + random(3);
      for (let k = 0; k < size; k++) {
        const later = subject.handles.length + 1 + random(size - k);
        const action: Action = k < size - 1 && random(2) === 0
          ? { kind: random(2) === 0 ? "cancel" : "refresh", target: later }
          : randomAction();
        expect(subject.schedule(delay, action)).toBe(model.schedule(delay, action));
      }
    } else {
      advanceBy = random(10) === 0 ? 100 : random(25) / 4;
    }
    await clock.advance(advanceBy);
    model.advance(advanceBy);

    // Both logs only grow: compare what this step added (earlier steps
    // compared the rest).
    expect(subject.log.slice(compared), `seed ${seed}, step ${step}`).toEqual(model.log.slice(compared));
    expect(subject.log.length).toBe(model.log.length);
    compared = model.log.length;
    expect(errors).toEqual([]);
    expect(clock.now()).toBe(model.time);
    expect(loop.stats().pendingTimeouts).toBe(model.pendingCount());
    expect(loop.stats().queuedCallbacks).toBe(0);
    expect(clock.pendingTimers).toBeLessThanOrEqual(1);
    loop.checkInvariants();
  }
  return { fired: model.log.length, staleCancels, dueHits: model.dueHits };
}

describe("property: the loop against a model of Tornado's iteration", () => {
  for (const seed of [1, 2, 0xc0ffee]) {
    it(`random schedule/cancel/refresh/advance/add-callback sequences agree with the model (seed ${seed})`, async () => {
      const { fired, staleCancels, dueHits } = await runSequence(seed, 800);
      // The sequence must have exercised what it is about.
      expect(fired).toBeGreaterThan(100);
      expect(staleCancels).toBeGreaterThan(10);
      expect(dueHits).toBeGreaterThan(0);
    });
  }
});
