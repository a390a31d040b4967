// The package as a user gets it: `npm pack`, then installed from the
// tarball into a scratch Node project and a scratch Vite app.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "package",
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
