// node bench/wakeups.js (after npm run build): how late timeouts fire in
// headless Chromium through the loop, with each way of arming its one host
// timer (see bench/wakeups-page.js), beside plain setTimeout in the same page.
// Two workloads, the ones the browser targets are stated in:
//   chain:  a 1 ms timeout re-arming itself 300 times, lateness per hop;
//   spread: 1,000 timeouts with delays 1..1000 ms scheduled at once.
// Prints p50 / p99 in ms for each round (the order of the sides rotates
// between rounds) and the median over rounds. ROUNDS=n sets the rounds.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const here = (path) => new URL(path, import.meta.url);

const files = {
  "/": ["text/html", '<!doctype html><title>wake-ups</title><script type="module" src="./page.js"></script>'],
  "/page.js": ["text/javascript", readFileSync(here("./wakeups-page.js"))],
  "/browser.js": ["text/javascript", readFileSync(here("../dist/runtime/browser.js"))],
  "/core.wasm": ["application/wasm", readFileSync(here("../dist/runtime/core.wasm"))],
};
const server = createServer((request, response) => {
  const file = files[request.url.split("?")[0]];
  if (!file) return response.writeHead(404).end();
  // Cross-origin isolation: performance.now() at 5 µs instead of 100 µs.
  response.writeHead(200, {
    "content-type": file[0],
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
  }).end(file[1]);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

const profile = mkdtempSync(join(tmpdir(), "wasm-ioloop-wakeups-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic"],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => typeof window.measureWakeups === "function");
  const { postTask, rounds } = await page.evaluate((rounds) => window.measureWakeups({ rounds }), ROUNDS);
  console.log(`Chromium ${context.browser()?.version() ?? ""}, scheduler.postTask: ${postTask ? "yes" : "no"}, ${ROUNDS} rounds`);
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
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
