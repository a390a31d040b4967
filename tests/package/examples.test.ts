// Every example in examples/, run in its runtime against the packed tarball:
// Node 22 (the project's own) and Node 24 (the `node` package, installed in
// a scratch folder), each as an ES module and through require(); Deno and
// Bun (from their npm packages); a Vite app and a page without a bundler in
// Chromium; a Worker in workerd. Each example prints the same line.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
import { unstable_dev } from "wrangler";
import { afterAll, describe, expect, it } from "vitest";
import { startServer } from "../../demo/server.js";
import { findChromium } from "../chromium.js";
import { launchChromium, openPage } from "../pages/chromium-page.js";
import { npm } from "./npm.js";
import { scratchProject } from "./scratch.js";

const EXPECTED = "idle in order: a, c, b";
const bin = fileURLToPath(new URL("../../node_modules/.bin/", import.meta.url));
const chromium = findChromium();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const cleanup of cleanups.splice(0).reverse()) await cleanup(); });

/** examples/<name> with the tarball installed; removed after the file's tests. */
function example(name: string): string {
  const { dir, remove } = scratchProject(name);
  cleanups.push(remove);
  return dir;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } }).trim();
}

/** Opens `url` in Chromium and returns the example's #result once it has one. */
async function pageResult(url: string): Promise<string> {
  const browser = await launchChromium(chromium!);
  try {
    const { page, problems } = await openPage(browser, url);
    await page.waitForFunction(() => document.querySelector("#result")?.textContent?.startsWith("idle"), null, { timeout: 20_000 })
      .catch(() => { throw new Error(`no result; page problems: ${problems.join("\n")}`); });
    return (await page.textContent("#result"))!;
  } finally {
    await browser.close();
  }
}

describe("examples/node", () => {
  const dir = example("node");

  it("runs on the project's Node 22, as an ES module and through require()", () => {
    expect(Number(process.versions.node.split(".")[0])).toBe(22);
    expect(run(process.execPath, ["main.js"], dir)).toBe(EXPECTED);
    expect(run(process.execPath, ["--no-warnings", "main.cjs"], dir)).toBe(EXPECTED);
  });

  it("runs on Node 24, as an ES module and through require()", () => {
    // The `node` package installs the platform's binary from its install script.
    const node24 = mkdtempSync(join(tmpdir(), "wasm-ioloop-node24-"));
    cleanups.push(() => rmSync(node24, { recursive: true, force: true }));
    writeFileSync(join(node24, "package.json"), JSON.stringify({ private: true, allowScripts: { node: true } }));
    npm(["install", "--no-package-lock", "node@24"], node24);
    const node = join(node24, "node_modules/.bin/node");
    expect(run(node, ["--version"], dir)).toMatch(/^v24\./);
    expect(run(node, ["main.js"], dir)).toBe(EXPECTED);
    expect(run(node, ["main.cjs"], dir)).toBe(EXPECTED);
  }, 180_000); // the first run downloads Node 24 (about 30 MB)
});

describe("examples/deno and examples/bun", () => {
  /** A script that prints where the runtime resolves the package. */
  function resolveScript(dir: string): string {
    writeFileSync(join(dir, "resolve.mjs"), `console.log(import.meta.resolve("wasm-ioloop"));\n`);
    return "resolve.mjs";
  }

  it("type-checks and runs on Deno, through the package's node entry", () => {
    const dir = example("deno");
    const env = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
    expect(run(join(bin, "deno"), ["run", "--allow-read", resolveScript(dir)], dir, env)).toMatch(/\/dist\/runtime\/node\.js$/);
    run(join(bin, "deno"), ["check", "main.ts"], dir, env); // the package's types, as Deno reads them
    expect(run(join(bin, "deno"), ["run", "--allow-read", "main.ts"], dir, env)).toBe(EXPECTED);
  });

  it("runs on Bun, through the package's node entry", () => {
    const dir = example("bun");
    expect(run(join(bin, "bun"), [resolveScript(dir)], dir)).toMatch(/\/dist\/runtime\/node\.js$/);
    expect(run(join(bin, "bun"), ["main.ts"], dir)).toBe(EXPECTED);
  });
});

describe.skipIf(!chromium)("examples/page and examples/vite, in Chromium", () => {
  it("loads without a bundler, through an import map", async () => {
    const server = await startServer({ staticDir: example("page") });
    try {
      expect(await pageResult(`${server.url}/index.html`)).toBe(EXPECTED);
    } finally {
      await server.close();
    }
  });

  it("builds with Vite and runs from the built app", async () => {
    const root = example("vite");
    const config = { root, configFile: false as const, logLevel: "warn" as const, preview: { host: "127.0.0.1", port: 0 } };
    await build(config);
    const site = await preview(config);
    try {
      expect(await pageResult(site.resolvedUrls!.local[0])).toBe(EXPECTED);
    } finally {
      await site.close();
    }
  });
});

describe("examples/worker", () => {
  it("answers from workerd", async () => {
    process.env.WRANGLER_SEND_METRICS = "false";
    const dir = example("worker");
    const worker = await unstable_dev(join(dir, "src/index.js"), {
      config: join(dir, "wrangler.jsonc"),
      ip: "127.0.0.1",
      logLevel: "warn",
      experimental: { disableExperimentalWarning: true },
    });
    try {
      const response = await fetch(`http://${worker.address}:${worker.port}/`);
      expect((await response.text()).trim()).toBe(EXPECTED);
    } finally {
      await worker.stop();
    }
  });
});
