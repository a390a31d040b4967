// What a browser downloads, gzipped at level 9: for the whole API (the
// browser entry, every chunk it imports, core.wasm), and for an app that
// imports part of it (bundled as Vite bundles an app, so that what it does not
// import is dropped). Used by the build, which prints both, and by
// tests/package/budget.test.ts.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";

/** What a user's app may download at most, gzipped JS + core.wasm: an app
 *  that imports the loop alone, and one that takes the whole API. The
 *  targets are 10 KiB and 16 KiB; 0.2.0 misses both (docs/design.md says by
 *  how much and why), so these hold the two where they now are, at the next
 *  quarter KiB, against growing further. */
export const BUDGETS = { loop: 11.25 * 1024, wholeApi: 16.5 * 1024 };

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

/** What an app importing `names` from the built browser entry downloads:
 *  its minified JS and core.wasm, gzipped. */
export async function appDownload(runtimeDir, names) {
  const entry = `export { ${names.join(", ")} } from ${JSON.stringify(resolve(runtimeDir, "browser.js"))};`;
  const app = await build({
    configFile: false,
    logLevel: "silent",
    plugins: [{
      name: "app-entry",
      resolveId: (id) => (id === "app-entry" ? id : undefined),
      load: (id) => (id === "app-entry" ? entry : undefined),
    }],
    build: {
      write: false,
      target: "es2022",
      minify: true,
      rolldownOptions: { input: "app-entry", preserveEntrySignatures: "strict" },
    },
  });
  const code = app.output.filter((item) => item.type === "chunk").map((chunk) => chunk.code).join("");
  return {
    js: gzipSync(code, { level: 9 }).length,
    wasm: gzipSync(readFileSync(join(runtimeDir, "core.wasm")), { level: 9 }).length,
  };
}
