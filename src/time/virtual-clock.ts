// A clock that tests move by hand. It brings its own timers, so a loop that
// uses it waits for no real time: advance(ms) runs, in order, every iteration
// that falls due on the way, and lets promise chains settle between them.

import { queueMacrotask, type SchedulingClock } from "./clock.js";
import { checkFinite } from "../validate.js";

interface VirtualTimer { at: number; order: number; fn: () => void }

/** Rounds of macrotasks advance() waits for the loops to go idle before it
 *  moves time on anyway (a callback that re-adds itself never goes idle). */
const SETTLE_ROUNDS = 1000;

export class VirtualClock implements SchedulingClock {
  #time: number;
  #timers = new Map<number, VirtualTimer>();
  #nextHandle = 1;
  #macrotasksPending = 0;

  constructor(startMs = 0) {
    checkFinite("VirtualClock", "startMs", startMs);
    this.#time = startMs;
  }

  now(): number { return this.#time; }

  /** Sets the time without running anything, forwards or backwards: for
   *  tests of clocks that jump or go back. */
  set(timeMs: number): void {
    checkFinite("VirtualClock.set", "timeMs", timeMs);
    this.#time = timeMs;
  }

  /** Moves time forward by `ms` (a negative step moves it back and runs
   *  nothing), running every timer that falls due on the way, in order, each
   *  at its own time, and waiting for the loops to settle after each. */
  async advance(ms: number): Promise<void> {
    checkFinite("VirtualClock.advance", "ms", ms); // Infinity would run a periodic timer forever
    const target = this.#time + ms;
    await this.#settle();
    for (let next = this.#earliest(target); next; next = this.#earliest(target)) {
      this.#timers.delete(next[0]);
      if (next[1].at > this.#time) this.#time = next[1].at;
      next[1].fn();
      await this.#settle();
    }
    if (Number.isFinite(target)) this.#time = target;
    await this.#settle();
  }

  /** Pending timers: a test can check that a loop arms at most one. */
  get pendingTimers(): number { return this.#timers.size; }

  setTimer(fn: () => void, delayMs: number): unknown {
    const handle = this.#nextHandle++;
    this.#timers.set(handle, { at: this.#time + Math.max(0, delayMs), order: handle, fn });
    return handle;
  }

  clearTimer(handle: unknown): void { this.#timers.delete(handle as number); }

  queueMacrotask(fn: () => void): void {
    this.#macrotasksPending++;
    queueMacrotask(() => { this.#macrotasksPending--; fn(); });
  }

  #earliest(limit: number): [number, VirtualTimer] | undefined {
    let best: [number, VirtualTimer] | undefined;
    for (const entry of this.#timers) {
      const t = entry[1];
      if (t.at > limit) continue;
      if (!best || t.at < best[1].at || (t.at === best[1].at && t.order < best[1].order)) best = entry;
    }
    return best;
  }

  async #settle(): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      await new Promise<void>((resolve) => queueMacrotask(resolve));
      if (this.#macrotasksPending === 0) return;
    }
  }
}
