// npm run build, after build.js: bundles the `wasm-ioloop/durable` entry
// (src/durable/) into dist/durable/index.js, and its declarations into
// dist/durable/index.d.ts (one file, as the main entry's). It is its own file so that no browser or Node bundle carries
// it; it imports nothing from the main entry at run time (it drives the loop
// a user passes it through the public API), so it needs no runtime condition.
import { execFileSync } from "node:child_process";
import { build } from "vite";

await build({
  configFile: false,
  logLevel: "warn",
  build: {
    outDir: "dist/durable",
    ssr: true,
    target: "es2022",
    minify: true,
    sourcemap: true,
    emptyOutDir: false,
    rolldownOptions: {
      input: { index: "src/durable/index.ts" },
      output: { format: "es", entryFileNames: "[name].js" },
    },
  },
});

// The declarations name the loop and the Workers objects by their shape
// (src/durable/host.ts), so this file repeats no class of the main entry.
execFileSync(process.execPath, ["node_modules/dts-bundle-generator/dist/bin/dts-bundle-generator.js", "--silent",
  "--no-check", "--no-banner", "--project", "tsconfig.build.json",
  "-o", "dist/durable/index.d.ts", "src/durable/index.ts"], { stdio: "inherit" });
