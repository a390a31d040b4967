// The host suites (tests/host) run a second time here, in real headless
// Chromium through Vitest's browser mode: one suite, two runtimes. Only the
// files that need Node-only APIs (a Node server, the file system) stay out.
import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { CHROMIUM_ARGS, findChromium } from "../chromium.js";

/** Host suites that cannot run in a page, and why. */
const NODE_ONLY = [
  // Drives the server end of each connection in the same process (a `ws`
  // server, a raw TCP handshake); in Chromium the browser's own WebSocket is
  // exercised by tests/pages (the fixture's round trip) instead.
  "tests/host/sources/websocket.test.ts",
];

const chromium = findChromium();

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "browser",
    include: chromium ? ["tests/host/**/*.test.ts"] : [],
    exclude: NODE_ONLY,
    passWithNoTests: !chromium,
    browser: {
      enabled: Boolean(chromium),
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: { executablePath: chromium, args: CHROMIUM_ARGS } }),
      instances: [{ browser: "chromium" }],
    },
  },
});
