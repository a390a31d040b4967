// The package as a user gets it: packed once (tarball.ts), then installed
// from the tarball into scratch projects: each example of examples/ in its
// runtime, a Node project's type check, a Vite app; and the package's
// metadata checked by publint and arethetypeswrong.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "package",
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
    globalSetup: ["./tarball.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
