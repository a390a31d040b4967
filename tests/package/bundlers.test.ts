// The packed package in apps built by each bundler a user may have, and in
// pages with no bundler, each opened in Chromium: the page fixture (timeouts
// and a WebSocket round trip) must report success. The packed tarball
// (tarball.ts) is installed into one scratch app; each build writes its own
// folder there, and the demo server serves the whole app (and the WebSocket
// echo) from one origin.
//
// How each gets the core:
//   webpack 5   rewrites new URL("./core.wasm", import.meta.url), emits the file
//   no bundler  the file is beside the entry, in node_modules
//   esbuild     copies nothing: the app imports "wasm-ioloop/inline"
//   Rollup      copies nothing without a plugin: "wasm-ioloop/inline" too
// (Vite is tested in install.test.ts and tests/pages/bundle.test.ts.) And an
// esbuild app on the default entry shows what happens when nothing copies
// the file: the page is told which URL failed and what to do.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import nodeResolve from "@rollup/plugin-node-resolve";
import { build as esbuild } from "esbuild";
import type { Browser } from "playwright-core";
import { rollup } from "rollup";
import webpack from "webpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../demo/server.js";
import { findChromium } from "../chromium.js";
import { fixtureResult, launchChromium, openPage } from "../pages/chromium-page.js";
import { scratchProject } from "./scratch.js";

const chromium = findChromium();
const fixture = fileURLToPath(new URL("../pages/fixture", import.meta.url));

/** The fixture's page script importing the package from `specifier`. */
function fixtureImporting(specifier: string): string {
  const source = readFileSync(join(fixture, "main.js"), "utf8");
  if (!source.includes('from "wasm-ioloop";')) throw new Error("the fixture no longer imports from \"wasm-ioloop\"");
  return source.replace('from "wasm-ioloop";', `from ${JSON.stringify(specifier)};`);
}

/** The fixture's page, loading `script` (and, for a page with no bundler, an
 *  import map first). */
function fixturePage(script: string, importMap?: Record<string, string>): string {
  const page = readFileSync(join(fixture, "index.html"), "utf8");
  const map = importMap ? `<script type="importmap">${JSON.stringify({ imports: importMap })}</script>\n    ` : "";
  return page.replace(/<script type="module" src="\.\/main\.js"><\/script>/, `${map}<script type="module" src="${script}"></script>`);
}

describe.skipIf(!chromium)("the packed package with each bundler, and with none, in Chromium", () => {
  let app: string;
  let removeApp: (() => void) | undefined;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  /** Writes `files` into app/<name>/. */
  function writeSite(name: string, files: Record<string, string>): string {
    const dir = join(app, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  }

  /** Opens app/<name>/ and returns the fixture's report. */
  async function open(name: string) {
    const { page, problems } = await openPage(browser, `${server.url}/${name}/?ws=${server.url.replace("http", "ws")}/ws`);
    try {
      return { result: await fixtureResult(page), problems };
    } finally {
      await page.close();
    }
  }

  /** The report of a page that loaded the core and ran the fixture. */
  const WORKED = { ok: true, fired: [10, 20, 30], echo: { reply: { id: "fixture", delayMs: 5 } } };

  beforeAll(async () => {
    ({ dir: app, remove: removeApp } = scratchProject());
    server = await startServer({ staticDir: app });
    browser = await launchChromium(chromium!);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeApp?.();
  });

  it("webpack 5 emits core.wasm as an asset of the app, which loads it", async () => {
    const src = writeSite("webpack-src", { "main.js": fixtureImporting("wasm-ioloop") });
    const out = join(app, "webpack");
    const stats = await new Promise<webpack.Stats>((resolve, reject) => {
      webpack({
        mode: "production",
        context: app,
        entry: join(src, "main.js"),
        target: "web",
        output: { path: out, filename: "main.js", module: true },
        experiments: { outputModule: true },
        performance: { hints: false },
        optimization: { minimize: false }, // minifying is not under test, and takes seconds
      }, (error, result) => (error || !result ? reject(error) : resolve(result)));
    });
    expect(stats.hasErrors(), stats.toString("errors-only")).toBe(false);
    writeFileSync(join(out, "index.html"), fixturePage("./main.js"));
    expect(readdirSync(out).filter((file) => file.endsWith(".wasm"))).toHaveLength(1);
    const { result, problems } = await open("webpack");
    expect(result, problems.join("\n")).toMatchObject(WORKED);
    expect(result.wasm).toHaveLength(1);
  });

  it("a page with no bundler loads the package through an import map", async () => {
    writeSite("importmap", {
      "index.html": fixturePage("./main.js", { "wasm-ioloop": "/node_modules/wasm-ioloop/dist/runtime/browser.js" }),
      "main.js": fixtureImporting("wasm-ioloop"),
    });
    const { result, problems } = await open("importmap");
    expect(result, problems.join("\n")).toMatchObject(WORKED);
    expect(result.wasm).toEqual([`${server.url}/node_modules/wasm-ioloop/dist/runtime/core.wasm`]);
  });

  it("a plain <script type=\"module\"> imports the entry by its path", async () => {
    writeSite("plain", {
      "index.html": fixturePage("./main.js"),
      "main.js": fixtureImporting("../node_modules/wasm-ioloop/dist/runtime/browser.js"),
    });
    const { result, problems } = await open("plain");
    expect(result, problems.join("\n")).toMatchObject(WORKED);
    expect(result.wasm).toHaveLength(1);
  });

  it("esbuild bundles wasm-ioloop/inline, whose core needs no file", async () => {
    const src = writeSite("esbuild-src", { "main.js": fixtureImporting("wasm-ioloop/inline") });
    const out = join(app, "esbuild");
    await esbuild({ entryPoints: [join(src, "main.js")], bundle: true, format: "esm", platform: "browser",
      outdir: out, absWorkingDir: app, logLevel: "error" });
    writeFileSync(join(out, "index.html"), fixturePage("./main.js"));
    const { result, problems } = await open("esbuild");
    expect(result, problems.join("\n")).toMatchObject(WORKED);
    expect(result.wasm).toEqual([]);
  });

  it("Rollup bundles wasm-ioloop/inline, whose core needs no file", async () => {
    const src = writeSite("rollup-src", { "main.js": fixtureImporting("wasm-ioloop/inline") });
    const out = join(app, "rollup");
    const bundle = await rollup({
      input: join(src, "main.js"),
      plugins: [nodeResolve({ browser: true, rootDir: app })],
      onwarn: (warning, warn) => { if (warning.code !== "CIRCULAR_DEPENDENCY") warn(warning); },
    });
    await bundle.write({ dir: out, format: "es" });
    await bundle.close();
    writeFileSync(join(out, "index.html"), fixturePage("./main.js"));
    const { result, problems } = await open("rollup");
    expect(result, problems.join("\n")).toMatchObject(WORKED);
    expect(result.wasm).toEqual([]);
  });

  it("when the bundler did not copy core.wasm, the error names the URL it tried and the ways out", async () => {
    const src = writeSite("esbuild-default-src", { "main.js": fixtureImporting("wasm-ioloop") });
    const out = join(app, "esbuild-default");
    await esbuild({ entryPoints: [join(src, "main.js")], bundle: true, format: "esm", platform: "browser",
      outdir: out, absWorkingDir: app, logLevel: "error" });
    writeFileSync(join(out, "index.html"), fixturePage("./main.js"));
    const { result } = await open("esbuild-default");
    expect(result.ok).toBe(false);
    expect(result.error).toContain(`no core at ${server.url}/esbuild-default/core.wasm (Error: 404 Not Found)`);
    expect(result.error).toContain("\"wasm-ioloop/inline\"");
    expect(result.error).toContain("IOLoop.create({ module })");
    // Copying the file beside the bundle, as the message says, is enough.
    copyFileSync(join(app, "node_modules/wasm-ioloop/dist/runtime/core.wasm"), join(out, "core.wasm"));
    const copied = await open("esbuild-default");
    expect(copied.result, copied.problems.join("\n")).toMatchObject(WORKED);
  });
});
