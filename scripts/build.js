// npm run build: bundles src/ into dist/ with Vite, writes the type
// declarations with tsc, puts the release core.wasm beside the runtime
// entries, and prints what a user downloads.
//
// Layout of dist/ (package.json "exports" points here):
//   runtime/browser.js, runtime/node.js, runtime/workerd.js  one file per runtime, each with the whole host
//   runtime/inline.js                                        the browser entry with core.wasm inside, as base64
//   runtime/core.wasm                                        the core, its own asset
//   index.d.ts                                               the types of the public API, one file
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
import { basename } from "node:path";
import { minify } from "terser";
import { build } from "vite";
import { BUDGETS, appDownload, browserDownload } from "./download-size.js";
import { internalNames } from "./internal-names.js";

/** The pattern of internal property names, made once (the type check takes seconds). */
let internal;

rmSync("dist", { recursive: true, force: true });

// One build per runtime, each entry a single file with the whole host in it:
// a shared chunk would make the browser fetch two files, and pay for the
// import and export lists between them (about 0.4 KiB gzipped).
for (const runtime of ["browser", "node", "workerd", "inline"]) {
  await build({
    configFile: false,
    logLevel: "warn",
    plugins: [coreBase64Module()],
    build: {
      outDir: "dist/runtime",
      ssr: true,
      target: "es2022",
      minify: true,
      sourcemap: true,
      emptyOutDir: false,
      rolldownOptions: {
        input: { [runtime]: `src/runtime/${runtime}.ts` },
        // The workerd entry imports the wasm as a module: wrangler and workerd
        // compile it; the bundle keeps the import as written.
        external: [/\.\/core\.wasm$/, /^node:/],
        output: { format: "es", entryFileNames: "[name].js" },
      },
    },
  });
  await shortenInternalNames(`dist/runtime/${runtime}.js`);
}
copyFileSync("build/core.wasm", "dist/runtime/core.wasm");
// The types: one file holding only what src/index.ts exports (the internal
// modules' declarations are not part of the package). The TypeScript compiler
// cannot bundle declarations; dts-bundle-generator does, and keeps the
// `declare global` that lets a project without the DOM library name
// WebAssembly.Module.
execFileSync(process.execPath, ["node_modules/dts-bundle-generator/dist/bin/dts-bundle-generator.js", "--silent",
  "--no-check", "--no-banner", "--inline-declare-global", "--project", "tsconfig.build.json",
  "-o", "dist/index.d.ts", "src/index.ts"], { stdio: "inherit" });

// What a user's app downloads (gzipped JS + core.wasm); tests/package/budget.test.ts holds the budgets.
const loop = await appDownload("dist/runtime", ["IOLoop"]);
const whole = browserDownload("dist/runtime").reduce((sum, file) => sum + file.gzip, 0);
const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
console.log(`built dist/: an app importing { IOLoop } downloads ${kib(loop.js + loop.wasm)} gzipped (budget ${kib(BUDGETS.loop)}), the whole API ${kib(whole)} (budget ${kib(BUDGETS.wholeApi)})`);

/** The module the inline entry (src/runtime/inline.ts) takes the core
 *  from: the release core.wasm as a base64 string. */
function coreBase64Module() {
  const id = "wasm-ioloop:core-base64";
  return {
    name: "core-base64",
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (resolved) => (resolved === `\0${id}`
      ? `export default ${JSON.stringify(readFileSync("build/core.wasm").toString("base64"))};`
      : undefined),
  };
}

/** Rewrites a built file with its internal property names shortened. */
async function shortenInternalNames(file) {
  internal ??= new RegExp(`^(?:${internalNames().names.join("|")})$`);
  const name = basename(file);
  const result = await minify({ [name]: readFileSync(file, "utf8") }, {
    module: true,
    ecma: 2022,
    compress: { passes: 2 },
    // builtins: the list holds only names that no platform object has.
    mangle: { properties: { regex: internal, builtins: true } },
    sourceMap: { content: readFileSync(`${file}.map`, "utf8"), url: `${name}.map`, includeSources: true },
  });
  writeFileSync(file, result.code);
  writeFileSync(`${file}.map`, result.map);
}
