import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "host",
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    environment: "node",
  },
});
