import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "host",
    // A limit, not a speed check: on a loaded 2-core CI machine the long
    // randomized tests take several seconds.
    testTimeout: 30_000,
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
  },
});
