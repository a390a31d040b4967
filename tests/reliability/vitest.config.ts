import { defineConfig } from "vitest/config";

// The reliability suites: invariants, the model-based differential test, the
// short soak and the faults. `npm run fuzz` and `npm run soak` run the long
// versions of the model and soak suites through environment variables.
export default defineConfig({
  test: {
    name: "reliability",
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
  },
});
