// "Schedule 100,000 timeouts": the loop's callLater and plain setTimeout do
// the same work one after the other (so neither slows the other), each shown
// live: pending count, host tasks per second, host timers in use, and how
// late the timeouts fire.
import type { IOLoop } from "wasm-ioloop";
import { card, fieldsOf, formatCount, formatMs, formatRate, type Fields } from "./dom.js";
import { drawHistogram } from "./histogram.js";
import { Race, TIMEOUT_COUNT, type Side } from "./timeout-race.js";

const COLORS = { loop: "#2dd4bf", plain: "#f59e0b" };
const RATE_WINDOW_MS = 250;

function loopSide(loop: IOLoop): Side {
  return {
    schedule: (delayMs, fire, deadline) => { loop.callLater(delayMs, fire, deadline); },
    hostTimers: () => loop.stats().hostTimers,
    tasks: () => loop.stats().iterations,
  };
}

const plainSide: Side = {
  schedule: (delayMs, fire, deadline) => { setTimeout(fire, delayMs, deadline); },
  hostTimers: (pending) => pending,
  tasks: (fired) => fired,
};

/** Shows one side's race until it is done, refreshing once per frame. */
function watch(race: Race, field: Fields, color: string): Promise<void> {
  let windowStart = performance.now();
  const startTasks = race.side.tasks(0);
  let windowTasks = startTasks;
  const frame = (): void => {
    const now = performance.now();
    // Once done, the rate shown is the run's average (below), not a window's.
    if (race.pending > 0 && now - windowStart >= RATE_WINDOW_MS) {
      const tasks = race.side.tasks(race.fired);
      field("rate").textContent = formatRate(((tasks - windowTasks) * 1000) / (now - windowStart));
      windowStart = now;
      windowTasks = tasks;
    }
    field("pending").textContent = formatCount(race.pending);
    field("hostTimers").textContent = formatCount(race.side.hostTimers(race.pending));
    field("progress").style.width = `${(race.fired / TIMEOUT_COUNT) * 100}%`;
    drawHistogram(field("histogram") as HTMLCanvasElement, race.buckets, race.fired, color);
    if (race.pending > 0) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return race.done.then(() => {
    frame();
    field("median").textContent = formatMs(race.percentile(0.5));
    field("p99").textContent = formatMs(race.percentile(0.99));
    field("max").textContent = formatMs(race.percentile(1));
    const elapsedMs = race.finishedAt - race.scheduledAt;
    field("total").textContent = formatMs(elapsedMs);
    field("rate").textContent = formatRate(((race.side.tasks(race.fired) - startTasks) * 1000) / elapsedMs);
  });
}

async function runSide(side: Side, field: Fields, color: string): Promise<void> {
  for (const name of ["median", "p99", "max", "total", "rate", "scheduling"]) field(name).textContent = "…";
  const race = new Race(side);
  race.start();
  field("scheduling").textContent = formatMs(race.schedulingMs);
  await watch(race, field, color);
}

export function startTimeoutsPanel(loop: IOLoop): void {
  const root = card("timeouts");
  const button = fieldsOf(root)("start") as HTMLButtonElement;
  const label = `Schedule ${formatCount(TIMEOUT_COUNT)} timeouts`;
  button.textContent = label;
  for (const count of Array.from(root.querySelectorAll(".timeout-count"))) count.textContent = formatCount(TIMEOUT_COUNT);
  const fieldsFor = (side: string) => fieldsOf(root.querySelector(`[data-side="${side}"]`)!);
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Running…";
    try {
      await runSide(loopSide(loop), fieldsFor("loop"), COLORS.loop);
      await runSide(plainSide, fieldsFor("plain"), COLORS.plain);
    } finally {
      button.disabled = false;
      button.textContent = `${label} again`;
    }
  });
}
