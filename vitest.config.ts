// Each test folder with its own runtime has its own project config:
// tests/host (Node), and the runtime folders that add theirs.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["tests/*/vitest.config.ts"],
    // An uncaught exception or unhandled rejection anywhere in a run fails
    // it ("Unhandled Errors", exit code 1), even when every test passed:
    // nothing the loop is given may escape it. This is vitest's default,
    // pinned here so that no project turns it off.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
