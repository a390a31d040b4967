// The host's own timers (Node's or the browser's setTimeout/clearTimeout) as a
// churn peer: one host timer per timeout, which is what IOLoop avoids. Only
// schedule and cancel apply; the host fires them itself.

export class HostTimers {
  private readonly noop = (): void => {};
  /** Deadlines are read as delays from now; churn never lets them fire. */
  schedule(deadline: number): ReturnType<typeof setTimeout> { return setTimeout(this.noop, deadline); }
  cancel(handle: ReturnType<typeof setTimeout>): boolean { clearTimeout(handle); return true; }
}
