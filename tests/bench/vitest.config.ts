// bench/'s own code that a benchmark's figures depend on: the plain
// TypeScript port of the timer store must fire in the order the core does.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "bench",
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
  },
});
