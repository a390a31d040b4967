// "A burst": 100,000 timeouts due at the same moment, each doing about 2 µs
// of work, run by a loop without time slicing and by one with it. Without,
// the whole list runs in one host task and the page freezes for its length;
// with, the loop yields to the page every sliceMs and goes on with the same
// list. The meters show what the page felt: its longest task (the Long Tasks
// API, which reports tasks of 50 ms and more) and the longest gap between
// animation frames while the burst ran.
import { IOLoop, type IOLoopOptions } from "wasm-ioloop";
import { card, fieldsOf, formatCount, formatMs, type Fields } from "./dom.js";

const BURST = Number(new URLSearchParams(location.search).get("burst")) || 100_000;
/** How far ahead the burst is due: scheduling 100,000 timeouts is itself a
 *  task of some tens of ms, which the meters must not count. */
const LEAD_MS = 500;
const WORK_US = 2;

/** The loop's options for each side. sliceMs: Infinity never yields; the
 *  sliced side takes the default for this runtime. */
const SIDES: Record<string, IOLoopOptions> = {
  unsliced: { sliceMs: Infinity },
  sliced: {},
};

/** Rounds of a small computation that take about WORK_US, found once. */
let workRounds = 0;
let sink = 0;
function work(rounds: number): void {
  let x = sink;
  for (let i = 0; i < rounds; i++) x = (x * 1_103_515_245 + 12_345) % 2_147_483_647;
  sink = x;
}
function calibrate(): number {
  let rounds = 16;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < 5_000; i++) work(rounds);
    const perCallUs = ((performance.now() - start) * 1000) / 5_000;
    if (perCallUs >= WORK_US || rounds > 1 << 20) return Math.max(1, Math.round((rounds * WORK_US) / perCallUs));
    rounds *= 2;
  }
}

interface BurstResult { longestTaskMs: number | undefined; longestFrameGapMs: number; tookMs: number; slices: number }

async function runBurst(options: IOLoopOptions): Promise<BurstResult> {
  const loop = await IOLoop.create(options);
  try {
    return await loop.run(() => new Promise<BurstResult>((resolve) => {
      let left = BURST;
      // The default clock is performance.now(): the loop's time and the
      // page's are one.
      const dueAt = performance.now() + LEAD_MS;
      let scheduledAt = Infinity;
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        // Not the task that scheduled the burst (on a busy machine it may
        // run past the lead): only tasks that began after it.
        for (const entry of list.getEntries()) if (entry.startTime >= scheduledAt) longTasks.push(entry.duration);
      });
      let lastFrame = 0;
      let longestFrameGap = 0;
      // performance.now(), not the frame's own timestamp: a frame begun during
      // a long task is stamped before that task ends.
      const frame = (): void => {
        const now = performance.now();
        if (lastFrame > 0) longestFrameGap = Math.max(longestFrameGap, now - lastFrame);
        lastFrame = now;
        if (left > 0) requestAnimationFrame(frame);
      };
      let slicesBefore = 0;
      const fire = (): void => {
        work(workRounds);
        if (--left > 0) return;
        const tookMs = performance.now() - Math.max(dueAt, scheduledAt);
        // Long task entries arrive after their task: read them a frame later.
        requestAnimationFrame(() => setTimeout(() => {
          observer.disconnect();
          resolve({
            longestTaskMs: longTasks.length > 0 ? Math.max(...longTasks) : undefined,
            longestFrameGapMs: longestFrameGap,
            tookMs,
            slices: loop.stats().slices - slicesBefore,
          });
        }, 50));
      };
      for (let i = 0; i < BURST; i++) loop.callAt(dueAt, fire);
      scheduledAt = performance.now();
      slicesBefore = loop.stats().slices;
      // Meters start once scheduling is done, before the burst is due.
      observer.observe({ type: "longtask" });
      requestAnimationFrame(frame);
    }));
  } finally {
    loop.close();
  }
}

function show(field: Fields, side: string, result: BurstResult): void {
  const longest = result.longestTaskMs;
  field(`${side}-task`).textContent = longest === undefined ? "none ≥ 50 ms" : formatMs(longest);
  field(`${side}-frame`).textContent = formatMs(result.longestFrameGapMs);
  field(`${side}-took`).textContent = formatMs(result.tookMs);
  field(`${side}-slices`).textContent = formatCount(result.slices);
  // The meter: the longest task against a 500 ms scale (a frame is 16.7 ms).
  const meter = field(`${side}-meter`);
  meter.style.width = `${Math.min(100, ((longest ?? result.longestFrameGapMs) / 500) * 100)}%`;
}

export function startBurstPanel(): void {
  const root = card("burst");
  const field = fieldsOf(root);
  const button = field("start") as HTMLButtonElement;
  for (const count of Array.from(root.querySelectorAll(".burst-count"))) count.textContent = formatCount(BURST);
  button.textContent = `Burst ${formatCount(BURST)} timeouts`;
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Running…";
    try {
      workRounds ||= calibrate();
      for (const [side, options] of Object.entries(SIDES)) {
        for (const name of ["task", "frame", "took", "slices"]) field(`${side}-${name}`).textContent = "…";
        show(field, side, await runBurst(options));
      }
    } catch (error) {
      field("error").textContent = String(error);
      throw error;
    } finally {
      button.disabled = false;
      button.textContent = `Burst ${formatCount(BURST)} timeouts again`;
    }
  });
}
