// Each test folder with its own runtime has its own project config:
// tests/host (Node), and the runtime folders that add theirs.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["tests/*/vitest.config.ts"],
  },
});
