// The demo is a plain Vite app. It imports "wasm-ioloop" by name, resolved
// here to the package's built browser bundle (dist/, from `npm run build`),
// so it loads exactly what a user's app would.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "warn",
  resolve: { alias: { "wasm-ioloop": fileURLToPath(new URL("../../dist/runtime/browser.js", import.meta.url)) } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
});
