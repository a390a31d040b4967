// AlarmClock: a clock whose one timer is the Durable Object's alarm. A loop
// created with it (IOLoop.create({ clock })) keeps the object's alarm at its
// earliest deadline, arms no setTimeout (an object with a pending setTimeout
// cannot hibernate), and runs what is due when the platform calls alarm().
//
// The loop arms at most one host timer; each arm or disarm here is one
// setAlarm or deleteAlarm, made once per turn (a disarm followed by an arm
// in the same turn is one setAlarm), because each is a storage write.

import { queueMacrotask, type SchedulingClock } from "../time/clock.js";
import { describe, hasMethods } from "../validate.js";
import type { DurableStorageLike } from "./host.js";

interface AlarmTimer { readonly fn: () => void; readonly at: number }

export class AlarmClock implements SchedulingClock {
  readonly #storage: DurableStorageLike;
  #timer: AlarmTimer | undefined;
  /** The time the alarm is set for in storage, or undefined if none is. */
  #alarmAt: number | undefined;
  #syncQueued = false;
  /** Alarm writes made (setAlarm and deleteAlarm calls): for the stats. */
  alarmWrites = 0;

  constructor(storage: DurableStorageLike) {
    // Refused now: a storage without alarms would fail at the first arming,
    // and the loop would go on with host timers, which do not survive an
    // eviction.
    if (!hasMethods(storage, "setAlarm", "deleteAlarm")) {
      throw new TypeError(`AlarmClock: storage must be the Durable Object's storage (ctx.storage), with setAlarm and deleteAlarm, got ${describe(storage)}`);
    }
    this.#storage = storage;
  }

  /** Wall-clock milliseconds: the alarm is a wall-clock time. On Workers it
   *  stands still while code runs and moves across I/O. */
  now(): number { return Date.now(); }

  setTimer(fn: () => void, delayMs: number): unknown {
    const timer = { fn, at: Date.now() + Math.max(0, delayMs) };
    this.#timer = timer;
    this.#queueSync();
    return timer;
  }

  clearTimer(handle: unknown): void {
    if (this.#timer !== handle) return;
    this.#timer = undefined;
    this.#queueSync();
  }

  queueMacrotask(fn: () => void): void { queueMacrotask(fn); }

  /** When the armed timer is due, or undefined if none is armed. */
  get armedAt(): number | undefined { return this.#timer?.at; }

  /** Called from the object's alarm(): fires the timer if it is due. The
   *  platform clears the alarm when it fires, so whatever is armed after is
   *  set again. */
  fire(): void {
    this.#alarmAt = undefined;
    const timer = this.#timer;
    if (timer !== undefined && timer.at <= Date.now()) {
      this.#timer = undefined;
      timer.fn();
    }
    this.#queueSync();
  }

  #queueSync(): void {
    if (this.#syncQueued) return;
    this.#syncQueued = true;
    queueMicrotask(this.#sync);
  }

  readonly #sync = (): void => {
    this.#syncQueued = false;
    const at = this.#timer?.at;
    if (at === this.#alarmAt) return;
    this.#alarmAt = at;
    this.alarmWrites++;
    // Storage reports a failed alarm write through the promise; the object's
    // output gate also fails the turn, so nothing is confirmed on top of it.
    const write = at === undefined ? this.#storage.deleteAlarm() : this.#storage.setAlarm(at);
    write.catch((error: unknown) => {
      this.#alarmAt = undefined;
      console.error("AlarmClock: the alarm could not be written", error);
    });
  };
}
