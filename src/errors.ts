// The errors the loop itself raises. Argument errors are the built-in
// TypeError and RangeError, with a message that names the argument.

/** `run()` gave up because `timeoutMs` passed before its function settled. */
export class TimeoutError extends Error {
  constructor(message = "operation timed out") {
    super(message);
    this.name = "TimeoutError";
  }
}

/** The loop's core trapped; `cause` says why. Every pending `run()` and
 *  stream promise rejects with it, and every later call throws it. */
export class LoopFailedError extends Error {
  constructor(cause: unknown) {
    super(`wasm-ioloop: the loop has failed: ${messageOf(cause)}`, { cause });
    this.name = "LoopFailedError";
  }
}

/** What a cause says, for a message that wraps it. */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
