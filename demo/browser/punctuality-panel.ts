// "How late": the two timer workloads browsers are judged by, run on the
// page's loop and on plain setTimeout one after the other: a 1 ms timeout
// re-arming itself 300 times (a chain, where the browser's nesting clamp
// holds setTimeout to 4 ms a hop), and 1,000 timeouts with delays 1..1000 ms
// scheduled at once (a spread). Lateness is measured on the page's clock,
// after the deadline each side was asked for.
import type { IOLoop } from "wasm-ioloop";
import { card, fieldsOf, formatMs } from "./dom.js";

const CHAIN_HOPS = 300;
const SPREAD_COUNT = 1_000;

type CallLater = (delayMs: number, fn: () => void) => void;

function percentile(values: number[], fraction: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** Lateness of each hop of a chain of 1 ms timeouts. */
function chain(callLater: CallLater): Promise<number[]> {
  return new Promise((resolve) => {
    const late: number[] = [];
    let due = performance.now() + 1;
    const hop = (): void => {
      late.push(performance.now() - due);
      if (late.length === CHAIN_HOPS) return resolve(late);
      due = performance.now() + 1;
      callLater(1, hop);
    };
    callLater(1, hop);
  });
}

/** Lateness of 1,000 timeouts, delays 1..1000 ms, scheduled at once. */
function spread(callLater: CallLater): Promise<number[]> {
  return new Promise((resolve) => {
    const late: number[] = [];
    for (let delay = 1; delay <= SPREAD_COUNT; delay++) {
      const due = performance.now() + delay;
      callLater(delay, () => {
        late.push(performance.now() - due);
        if (late.length === SPREAD_COUNT) resolve(late);
      });
    }
  });
}

export function startPunctualityPanel(loop: IOLoop): void {
  const root = card("punctuality");
  const field = fieldsOf(root);
  const button = field("start") as HTMLButtonElement;
  const sides: Record<string, CallLater> = {
    loop: (delayMs, fn) => { loop.callLater(delayMs, fn); },
    plain: (delayMs, fn) => { setTimeout(fn, delayMs); },
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Measuring…";
    try {
      for (const [name, workload] of [["chain", chain], ["spread", spread]] as const) {
        for (const [side, callLater] of Object.entries(sides)) {
          field(`${name}-${side}`).textContent = "…";
          const late = await workload(callLater);
          field(`${name}-${side}`).textContent = `${formatMs(percentile(late, 0.5))} / ${formatMs(percentile(late, 0.99))}`;
        }
      }
    } finally {
      button.disabled = false;
      button.textContent = "Measure again";
    }
  });
}
