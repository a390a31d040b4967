// What a browser downloads for the whole API, as the budget counts it: the
// browser entry, every chunk it imports (followed through the built files'
// static imports), and core.wasm, each gzipped at level 9. Used by the build,
// which prints it, and by tests/package/budget.test.ts, which holds it to the
// budget.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** The budget for the browser download, gzipped. */
export const BUDGET_GZIP_BYTES = 12 * 1024;

/** Each file the browser fetches from `runtimeDir` (dist/runtime), with its
 *  size raw and gzipped. */
export function browserDownload(runtimeDir) {
  const files = ["browser.js"];
  for (const name of files) {
    const code = readFileSync(join(runtimeDir, name), "utf8");
    for (const [, imported] of code.matchAll(/\b(?:from|import)\s*["']\.\/([^"']+\.js)["']/g)) {
      if (!files.includes(imported)) files.push(imported);
    }
  }
  files.push("core.wasm");
  return files.map((name) => {
    const bytes = readFileSync(join(runtimeDir, name));
    return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}
