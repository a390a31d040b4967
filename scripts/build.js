// npm run build: compiles src/ to dist/ with declarations, puts the release
// core.wasm beside the runtime entries, and prints what a user downloads.
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";

rmSync("dist", { recursive: true, force: true });
execFileSync("tsc", ["-p", "tsconfig.build.json"], { stdio: "inherit" });
copyFileSync("build/core.wasm", "dist/runtime/core.wasm");

for (const file of ["dist/runtime/core.wasm"]) {
  const bytes = readFileSync(file);
  console.log(`${file}: ${bytes.length} bytes, ${gzipSync(bytes).length} gzipped`);
}
