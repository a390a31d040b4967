// The JS half of the timer store: the core orders the timers by (deadline,
// sequence), this table holds the Timeout handle each pending timer's slot
// stands for. Only Pending handles are in it: a handle leaves when it is
// taken for an iteration, cancelled, or dropped. Indexed by the core's
// slots, which are reused, so it grows to the most timeouts pending at once
// and no further.

import { timerSlot } from "../core.js";
import { dropTimeout, type Timeout } from "./timeout.js";

export class TimeoutTable {
  private bySlot: (Timeout | undefined)[] = [];

  /** Length of the by-slot table: the most slots the core has handed out. */
  get slotCount(): number { return this.bySlot.length; }

  /** Called once the core has given the timeout its id. */
  add(timeout: Timeout): void { this.bySlot[timerSlot(timeout.id)] = timeout; }

  /** Called once the core has cancelled the timeout's id. */
  remove(timeout: Timeout): void { this.bySlot[timerSlot(timeout.id)] = undefined; }

  /** Takes the handle of a slot the core listed as due (and has freed). */
  take(slot: number): Timeout {
    const timeout = this.bySlot[slot]!;
    this.bySlot[slot] = undefined;
    return timeout;
  }

  /** The timeouts pending, by walking the table: for close(), a failure and
   *  the invariant check (which compares it with the core's own count), never
   *  a hot path. */
  count(): number {
    return this.bySlot.reduce((n, t) => (t ? n + 1 : n), 0);
  }

  /** Cancels every handle still pending and empties the table. */
  dropAll(): void {
    for (const timeout of this.bySlot) if (timeout) dropTimeout(timeout);
    this.bySlot = [];
  }
}
