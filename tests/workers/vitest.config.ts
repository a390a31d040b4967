// The workerd project: the demo Worker (demo/worker) and a probe Worker
// (probe/) run in real workerd, started once by global-setup.ts through
// wrangler's unstable_dev on 127.0.0.1; the tests here talk to them over
// HTTP and WebSockets from Node. (@cloudflare/vitest-pool-workers, which
// runs tests inside workerd, requires vitest 4 and this project is on 5.)
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "workers",
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
    globalSetup: ["./global-setup.ts"],
    // One file at a time: the NDJSON and build tests are heavy enough to
    // stall the WebSocket clients of the room tests on a small machine.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
