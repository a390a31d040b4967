// npm run build: bundles src/ into dist/ with Vite, writes the type
// declarations with tsc, puts the release core.wasm beside the runtime
// entries, and prints what a user downloads.
//
// Layout of dist/ (package.json "exports" points here):
//   runtime/browser.js, runtime/node.js, runtime/workerd.js  one file per runtime, each with the whole host
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
import { basename } from "node:path";
import { minify } from "terser";
import { build } from "vite";
import { BUDGET_GZIP_BYTES, appDownload, browserDownload } from "./download-size.js";
import { internalNames } from "./internal-names.js";

/** The pattern of internal property names, made once (the type check takes seconds). */
let internal;

rmSync("dist", { recursive: true, force: true });

// One build per runtime, each entry a single file with the whole host in it:
// a shared chunk would make the browser fetch two files, and pay for the
// import and export lists between them (about 0.4 KiB gzipped).
for (const runtime of ["browser", "node", "workerd"]) {
  await build({
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
execFileSync("tsc", ["-p", "tsconfig.build.json", "--emitDeclarationOnly"], { stdio: "inherit" });

// What a browser fetches: the browser entry (and any chunk it imports), the core.
let totalGzip = 0;
for (const file of browserDownload("dist/runtime")) {
  totalGzip += file.gzip;
  console.log(`${`dist/runtime/${file.name}`.padEnd(26)} ${String(file.bytes).padStart(7)} B  ${String(file.gzip).padStart(6)} B gzipped`);
}
const verdict = totalGzip <= BUDGET_GZIP_BYTES ? "within" : "!! OVER";
console.log(`browser download, everything: ${totalGzip} B gzipped (${(totalGzip / 1024).toFixed(1)} KiB), ${verdict} the ${BUDGET_GZIP_BYTES / 1024} KiB budget`);

// What an app that imports only part of the API ships, after its bundler
// drops the rest: the JS, gzipped, plus core.wasm.
for (const names of [["IOLoop"], ["IOLoop", "WebSocketSource", "ReadableSource", "IOStream"]]) {
  const { js, wasm } = await appDownload("dist/runtime", names);
  console.log(`an app importing { ${names.join(", ")} }: ${js} B JS + ${wasm} B wasm = ${((js + wasm) / 1024).toFixed(1)} KiB gzipped`);
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
    sourceMap: { content: readFileSync(`${file}.map`, "utf8"), url: `${name}.map` },
  });
  writeFileSync(file, result.code);
  writeFileSync(`${file}.map`, result.map);
}
