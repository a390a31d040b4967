// node bench/wakeups.js (after npm run build): how late timeouts fire in
// headless Chromium through the loop, with each way of arming its one host
// timer (see bench/wakeups-page.js), beside plain setTimeout in the same page.
// Two workloads, the ones the browser targets are stated in:
//   chain:  a 1 ms timeout re-arming itself 300 times, lateness per hop;
//   spread: 1,000 timeouts with delays 1..1000 ms scheduled at once.
// Prints p50 / p99 in ms for each round (the order of the sides rotates
// between rounds) and the median over rounds. ROUNDS=n sets the rounds.
import { readFileSync } from "node:fs";
import { withBenchPage } from "./page.js";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const here = (path) => new URL(path, import.meta.url);
const file = (type, path) => ({ type, body: readFileSync(here(path)) });

const files = {
  "/": { type: "text/html", body: Buffer.from('<!doctype html><title>wake-ups</title><script type="module" src="./page.js"></script>') },
  "/page.js": file("text/javascript", "./wakeups-page.js"),
  "/browser.js": file("text/javascript", "../dist/runtime/browser.js"),
  "/core.wasm": file("application/wasm", "../dist/runtime/core.wasm"),
};
await withBenchPage(files, async (page, runtime) => {
  await page.waitForFunction(() => typeof window.measureWakeups === "function");
  const { postTask, rounds } = await page.evaluate((rounds) => window.measureWakeups({ rounds }), ROUNDS);
  console.log(`${runtime}, scheduler.postTask: ${postTask ? "yes" : "no"}, ${ROUNDS} rounds`);
  const sides = Object.keys(rounds[0]);
  const fmt = ({ p50, p99 }) => `${p50.toFixed(2)} / ${p99.toFixed(2)}`;
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${"side".padEnd(12)}${"chain p50 / p99 ms".padEnd(40)}spread p50 / p99 ms`);
  for (const side of sides) {
    const cell = (what) => {
      const each = rounds.map((r) => fmt(r[side][what])).join("  ");
      const mid = { p50: median(rounds.map((r) => r[side][what].p50)), p99: median(rounds.map((r) => r[side][what].p99)) };
      return `${fmt(mid)} (${each})`;
    };
    console.log(`${side.padEnd(12)}${cell("chain").padEnd(40)}${cell("spread")}`);
  }
});
