// The error a failed durable task is reported with (to the loop's onError):
// the task's own error is its cause, and it says which timeout failed and
// what happens to it next.

export interface DurableTimeoutInfo {
  /** The handle scheduleAt/scheduleAfter returned. */
  readonly id: number;
  readonly task: string;
  /** The deadline this run is for, wall-clock milliseconds. */
  readonly deadline: number;
  /** 1 on the first run, counting up while the task fails and is retried. */
  readonly attempt: number;
  /** The period of a recurring timeout. */
  readonly periodMs: number | undefined;
}

export class DurableTaskError extends Error {
  override name = "DurableTaskError";

  /** When it runs again (wall-clock ms), or undefined if it was dropped. */
  readonly retryAt: number | undefined;

  constructor(readonly timeout: DurableTimeoutInfo, retryAt: number | undefined, cause: unknown) {
    super(`durable task "${timeout.task}" (timeout ${timeout.id}, attempt ${timeout.attempt}) failed; ${
      retryAt === undefined ? "it was dropped" : `it runs again at ${new Date(retryAt).toISOString()}`}`, { cause });
    this.retryAt = retryAt;
  }
}
