// The host suites (tests/host) run a second time here, in real headless
// Chromium through Vitest's browser mode: one suite, two runtimes. Only the
// files that need Node-only APIs (a Node server, the file system) stay out.
import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { CHROMIUM_ARGS, findChromium } from "../chromium.js";

/** Host suites that cannot run in a page, and why. */
const NODE_ONLY = [
  // Drive the server end of each connection in the same process (a `ws`
  // server, a raw TCP handshake, an HTTP server); in Chromium the browser's
  // own WebSocket and fetch streams are exercised by tests/pages instead.
  "tests/host/sources/websocket.test.ts",
  "tests/host/sources/websocket-hostile.test.ts",
  "tests/host/sources/readable.test.ts",
  "tests/host/iostream-http.test.ts",
  // Opens TCP sockets (node:net) to wake the loop from real I/O.
  "tests/host/loop-wakeups.test.ts",
  // Opens 256 loops at once, a WebAssembly memory each: more than a page
  // can reserve (tests/pages/many-loops.test.ts covers the page's limit).
  "tests/host/loop-limits.test.ts",
  // Read the builds of the core from disk (node:fs).
  "tests/host/events.test.ts",
  "tests/host/core.test.ts",
];

/** Describe blocks of otherwise runtime-neutral files that start a Node
 *  server in the same process: left out by name. */
const NODE_ONLY_BLOCKS = ["IOStream over a WebSocket"];

const chromium = findChromium();

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "browser",
    testTimeout: 30_000, // a limit, not a speed check (see tests/host)
    include: chromium ? ["tests/host/**/*.test.ts"] : [],
    exclude: NODE_ONLY,
    passWithNoTests: !chromium,
    testNamePattern: new RegExp(`^(?!(${NODE_ONLY_BLOCKS.join("|")}) )`),
    browser: {
      enabled: Boolean(chromium),
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: { executablePath: chromium, args: CHROMIUM_ARGS } }),
      instances: [{ browser: "chromium" }],
    },
  },
});
