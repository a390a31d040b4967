// Bundles bench/suite.ts (with src/ and the peer libraries) into one ES module,
// so that Node and Chromium run exactly the same code.
import { build } from "vite";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

async function bundle(entry, outDir) {
  await build({
    root,
    configFile: false,
    logLevel: "warn",
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: "esnext",
      lib: { entry, formats: ["es"], fileName: () => "bundle.js" },
    },
  });
  return `${outDir}/bundle.js`;
}

// Each runner bundles into its own folder (`runner`), so that the Node and
// the Chromium runs can be started side by side.

/** The suite, unminified (kernels are copied from their source text). */
export function bundleSuite(runner) {
  return bundle(`${root}/bench/suite.ts`, `${root}/bench/.build/${runner}/suite`);
}

/** The public-API suite (bench/api/suite.ts), unminified likewise. */
export function bundleApiSuite(runner) {
  return bundle(`${root}/bench/api/suite.ts`, `${root}/bench/.build/${runner}/api`);
}
