// bench/'s own code that a benchmark's figures depend on: the plain
// TypeScript port of the timer store must fire in the order the core does.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "bench",
    // A limit, not a speed check: on a loaded 2-core CI machine the long
    // randomized tests take several seconds.
    testTimeout: 30_000,
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
  },
});
