// The handle a user holds for a scheduled timeout: the one object allocated
// per callLater/callAt. Its fields are the loop's to change; its methods ask
// the loop (src/loop/ioloop.ts), which keeps the handle and the core in step.

import type { IOLoop } from "./ioloop.js";

/** Where a timeout is in its life. A handle that is DUE has been taken from
 *  the core for the iteration that is running and will be called unless
 *  something earlier in that iteration cancels or refreshes it. */
export const TimeoutState = { Pending: 0, Due: 1, Fired: 2, Cancelled: 3 } as const;
export type TimeoutState = (typeof TimeoutState)[keyof typeof TimeoutState];

export class Timeout {
  /** @internal the core's id while Pending; stale otherwise */
  id = 0;
  /** @internal */
  state: TimeoutState = TimeoutState.Pending;
  /** @internal */
  fn: ((...args: never[]) => unknown) | undefined;
  /** @internal */
  args: unknown[] | undefined;

  /** @internal Created only by IOLoop.callLater and IOLoop.callAt. */
  constructor(
    /** @internal */
    readonly loop: IOLoop,
    fn: (...args: never[]) => unknown,
    args: unknown[] | undefined,
    /** The deadline on the loop's clock, in milliseconds. */
    public deadline: number,
    /** The delay that refresh() re-arms with. */
    public readonly delay: number,
  ) {
    this.fn = fn;
    this.args = args;
  }

  /** Cancels the timeout. True only if it was pending and now never runs. */
  cancel(): boolean { return this.loop.removeTimeout(this); }

  /** Re-arms the timeout for now plus its delay, keeping this handle. A
   *  pending timeout is moved in place; one that fired is scheduled again;
   *  a cancelled one stays cancelled (as Node's timeout.refresh()). */
  refresh(): void { this.loop.refreshTimeout(this); }

  /** True while the timeout will still run. */
  get pending(): boolean {
    return this.state === TimeoutState.Pending || this.state === TimeoutState.Due;
  }
}

/** Marks a timeout cancelled and frees its closure now, not when the handle
 *  dies. */
export function dropTimeout(timeout: Timeout): void {
  timeout.state = TimeoutState.Cancelled;
  timeout.fn = undefined;
  timeout.args = undefined;
}
