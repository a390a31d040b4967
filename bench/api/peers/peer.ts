// What a workload sees of a peer: the few calls every design offers, each
// one call of that design's own public API. A workload's timed loop is copied
// per peer (ownCopy in bench/harness.ts), so that every call site in it sees
// one class and V8 inlines these one-line adapters.

export type Fn = () => void;

/** A loop with timers. */
export interface TimerLoop<H = unknown> {
  /** Runs fn once, delayMs from the loop's time; returns what cancels it. */
  callLater(delayMs: number, fn: Fn): H;
  remove(handle: H): void;
  /** Re-arms a pending timer for now + delayMs (the delay it was scheduled
   *  with): in place where the design can (refresh), else cancel + schedule;
   *  returns the handle to keep. */
  rearm(handle: H, delayMs: number, fn: Fn): H;
  /** Runs body inside the loop, as an application's code runs (where time
   *  is read once per task), and settles with its result. */
  run<T>(body: () => T | Promise<T>): Promise<T>;
  /** Drops everything pending; the loop is not used again. */
  close(): void;
}

export interface TimerPeer {
  name: string;
  /** A new loop. With `fresh`, one that owns nothing made before it: for
   *  the loop under test, a core of its own instead of one a closed loop
   *  gave back to the pool (whose memory has already grown). */
  create(options?: { fresh?: boolean }): Promise<TimerLoop>;
}

/** A way to run a function soon, after the current one. */
export interface CallbackPeer {
  name: string;
  create(): Promise<CallbackQueue>;
}

export interface CallbackQueue {
  add(fn: Fn): void;
  run<T>(body: () => T | Promise<T>): Promise<T>;
  close(): void;
}

/** Events from S sources delivered to a handler per source, in rounds: each
 *  round every source gets one event, and each round starts in a host task
 *  of its own, as events arriving from the platform would. */
export interface DispatchPeer {
  name: string;
  /** Sets up `sources` sources and their handlers; the function returned
   *  delivers `rounds` rounds (the part timed) and resolves with the number
   *  of handler calls once the last has run. */
  prepare(sources: number, rounds: number): Promise<() => Promise<number>>;
}
