// Pages in real headless Chromium, driven from Node with playwright-core:
// the built bundle in a page served by `vite preview`, and the demo.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "pages",
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
