// One run of "schedule 100,000 timeouts": the same work for both sides. A
// side only says how to schedule one timeout and how many host timers it
// holds; the run records how late each timeout fires, in log2 buckets.

/** How many timeouts a run schedules: 100,000, or `?timeouts=N` (the
 *  tests run a smaller race on a busy machine). */
export const TIMEOUT_COUNT = Number(new URLSearchParams(location.search).get("timeouts")) || 100_000;
/** Deadlines are spread evenly over this many milliseconds. */
export const SPREAD_MS = 2_000;
/** Lateness buckets: [0,1) ms, [1,2), [2,4), ... and a last one for the rest. */
export const BUCKET_LIMITS_MS = [1, 2, 4, 8, 16, 32, 64, 128];

export interface Side {
  /** Schedules `fire(deadline)` to run `delayMs` from now. */
  schedule(delayMs: number, fire: (deadline: number) => void, deadline: number): void;
  /** Host timers this side holds right now. */
  hostTimers(pending: number): number;
  /** Host tasks run so far (loop iterations, or timer callbacks). */
  tasks(fired: number): number;
}

export class Race {
  readonly lateness = new Float64Array(TIMEOUT_COUNT);
  readonly buckets = new Uint32Array(BUCKET_LIMITS_MS.length + 1);
  fired = 0;
  scheduledAt = 0;
  /** How long scheduling all of them took (the page is busy meanwhile). */
  schedulingMs = 0;
  finishedAt = 0;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(readonly side: Side) {
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  get pending(): number { return TIMEOUT_COUNT - this.fired; }

  start(): void {
    this.scheduledAt = performance.now();
    for (let i = 0; i < TIMEOUT_COUNT; i++) {
      const delay = Math.random() * SPREAD_MS;
      this.side.schedule(delay, this.fire, performance.now() + delay);
    }
    this.schedulingMs = performance.now() - this.scheduledAt;
  }

  private readonly fire = (deadline: number): void => {
    const late = Math.max(performance.now() - deadline, 0);
    this.lateness[this.fired++] = late;
    let bucket = 0;
    while (bucket < BUCKET_LIMITS_MS.length && late >= BUCKET_LIMITS_MS[bucket]) bucket++;
    this.buckets[bucket] += 1;
    if (this.fired === TIMEOUT_COUNT) {
      this.finishedAt = performance.now();
      this.resolveDone();
    }
  };

  /** The lateness below which `fraction` of the fired timeouts fell. */
  percentile(fraction: number): number {
    const sorted = this.lateness.slice(0, this.fired).sort();
    return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
  }
}
