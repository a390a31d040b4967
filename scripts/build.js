// npm run build: bundles src/ into dist/ with Vite, writes the type
// declarations with tsc, puts the release core.wasm beside the runtime
// entries, and prints what a user downloads.
//
// Layout of dist/ (package.json "exports" points here):
//   runtime/browser.js, runtime/node.js, runtime/workerd.js  one entry per runtime
//   runtime/ioloop.js                                        the shared host, bundled once
//   runtime/core.wasm                                        the core, its own asset
//   *.d.ts, runtime/*.d.ts                                   the types
//
// Why an SSR-style build: in a client library build Vite inlines every
// `new URL("./core.wasm", import.meta.url)` asset as base64, which Workers
// refuse to compile and which triples the download. Built this way the
// expression is kept as written, so the browser entry fetches core.wasm
// beside itself, and a user's own Vite build sees the same pattern and emits
// the file as an asset of the app.
//
// After Vite's minifier, terser shortens the property names that are the
// package's alone (scripts/internal-names.js finds them in the TypeScript
// sources): a minifier cannot rename a property by itself, since it cannot
// know who else reads it.
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { minify } from "terser";
import { build } from "vite";
import { internalNames } from "./internal-names.js";

/** The budget for what a browser downloads: the JS of the browser entry
 *  and its chunk, plus core.wasm, gzipped. */
const BUDGET_GZIP_BYTES = 12 * 1024;

rmSync("dist", { recursive: true, force: true });

const output = await build({
  configFile: false,
  logLevel: "warn",
  build: {
    outDir: "dist/runtime",
    ssr: true,
    target: "es2022",
    minify: true,
    sourcemap: true,
    emptyOutDir: false,
    rolldownOptions: {
      input: {
        browser: "src/runtime/browser.ts",
        node: "src/runtime/node.ts",
        workerd: "src/runtime/workerd.ts",
      },
      // The workerd entry imports the wasm as a module: wrangler and workerd
      // compile it; the bundle keeps the import as written.
      external: [/\.\/core\.wasm$/, /^node:/],
      output: { format: "es", entryFileNames: "[name].js", chunkFileNames: "ioloop.js" },
    },
  },
});
await shortenInternalNames(output.output.filter((item) => item.type === "chunk"));
copyFileSync("build/core.wasm", "dist/runtime/core.wasm");
execFileSync("tsc", ["-p", "tsconfig.build.json", "--emitDeclarationOnly"], { stdio: "inherit" });

// What a browser fetches: the browser entry, the chunks it imports, the core.
const chunks = new Map(output.output.filter((item) => item.type === "chunk").map((chunk) => [chunk.fileName, chunk]));
const browserFiles = new Set(["browser.js"]);
for (const name of browserFiles) for (const imported of chunks.get(name).imports) browserFiles.add(imported);
const files = [...browserFiles, "core.wasm"].map((name) => `dist/runtime/${name}`);
let totalGzip = 0;
for (const file of files) {
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  totalGzip += gzip;
  console.log(`${file.padEnd(26)} ${String(bytes.length).padStart(7)} B  ${String(gzip).padStart(6)} B gzipped`);
}
const verdict = totalGzip <= BUDGET_GZIP_BYTES ? "within" : "!! OVER";
console.log(`browser download, everything: ${totalGzip} B gzipped (${(totalGzip / 1024).toFixed(1)} KiB), ${verdict} the ${BUDGET_GZIP_BYTES / 1024} KiB budget`);

// What an app that imports only part of the API ships, after its bundler
// drops the rest: the JS, gzipped, plus core.wasm.
const wasmGzip = gzipSync(readFileSync("dist/runtime/core.wasm"), { level: 9 }).length;
for (const names of ["IOLoop", "IOLoop, WebSocketSource, ReadableSource, IOStream"]) {
  const gzip = gzipSync(await appBundle(`export { ${names} } from "${process.cwd()}/dist/runtime/browser.js";`), { level: 9 }).length;
  console.log(`an app importing { ${names} }: ${gzip} B JS + ${wasmGzip} B wasm = ${((gzip + wasmGzip) / 1024).toFixed(1)} KiB gzipped`);
}

/** Rewrites each chunk in dist/runtime with its internal property names
 *  shortened, the same name for the same property in every chunk. */
async function shortenInternalNames(chunks) {
  const { names } = internalNames();
  const nameCache = {};
  for (const chunk of chunks) {
    const file = `dist/runtime/${chunk.fileName}`;
    const result = await minify({ [chunk.fileName]: readFileSync(file, "utf8") }, {
      module: true,
      ecma: 2022,
      compress: { passes: 2 },
      // builtins: the list is already only names no platform object has.
      mangle: { properties: { regex: new RegExp(`^(?:${names.join("|")})$`), builtins: true } },
      nameCache,
      sourceMap: { content: readFileSync(`${file}.map`, "utf8"), url: `${chunk.fileName}.map` },
    });
    writeFileSync(file, result.code);
    writeFileSync(`${file}.map`, result.map);
  }
}

/** The minified JS of a one-line app entry, bundled the way Vite bundles an app. */
async function appBundle(entry) {
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
  return app.output.filter((item) => item.type === "chunk").map((chunk) => chunk.code).join("");
}
