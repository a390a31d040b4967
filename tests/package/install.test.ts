// `npm pack` makes a tarball holding dist/, the types, README.md and
// LICENSE; installed from that file, the package works as a user imports
// it: in a Node project (and its types check), and in a Vite app opened in
// Chromium (which needs the tarball's core.wasm emitted as an app asset).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, createServer, preview } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../demo/server.js";
import { findChromium } from "../chromium.js";
import { fixtureResult, launchChromium, openPage } from "../pages/chromium-page.js";
import { npm } from "./npm.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = fileURLToPath(new URL("../pages/fixture", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const chromium = findChromium();

interface PackedFile { path: string; size: number }

let scratch: string;
let app: string;
let packed: PackedFile[];

const NODE_MAIN = `import { IOLoop } from "wasm-ioloop";
const loop = await IOLoop.create();
const fired = await loop.run(() => new Promise((resolve) => {
  const fired = [];
  loop.callLater(20, () => { fired.push(20); resolve(fired); });
  loop.callLater(5, () => fired.push(5));
}));
loop.close();
console.log(JSON.stringify(fired));
`;

const TYPES_CHECK = `import { IOLoop, READ, type Timeout } from "wasm-ioloop";
const loop: IOLoop = await IOLoop.create();
const timeout: Timeout = loop.callLater(1, (n: number) => n + READ, 1);
const removed: boolean = loop.removeTimeout(timeout);
// @ts-expect-error: a plain number (a delay) is not a Timeout
loop.removeTimeout(5);
void removed;
`;

// One scratch project serves as both the Node project (node-main.js,
// check.ts) and the Vite app (index.html, main.js from the page fixture),
// so the tarball is installed once.
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "wasm-ioloop-package-"));
  const [report] = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], root));
  packed = report.files;
  app = join(scratch, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
  writeFileSync(join(app, "node-main.js"), NODE_MAIN);
  writeFileSync(join(app, "check.ts"), TYPES_CHECK);
  for (const file of ["index.html", "main.js"]) copyFileSync(join(fixture, file), join(app, file));
  npm(["install", "--offline", "--no-package-lock", join(scratch, report.filename)], app);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the packed tarball", () => {
  it("holds dist/ (bundles, core.wasm, types), README.md, LICENSE and package.json, nothing else", () => {
    const paths = packed.map((file) => file.path);
    expect(paths.filter((path) => !path.startsWith("dist/"))).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json"]));
    expect(paths.filter((path) => !/^dist\/|^(LICENSE|README\.md|package\.json)$/.test(path))).toEqual([]);
    for (const needed of ["dist/runtime/browser.js", "dist/runtime/node.js", "dist/runtime/workerd.js", "dist/runtime/core.wasm", "dist/index.d.ts"]) {
      expect(paths).toContain(needed);
    }
    expect(paths.filter((path) => path.endsWith(".wasm"))).toEqual(["dist/runtime/core.wasm"]);
  });
});

describe("installed into a Node project", () => {
  it("imports by name and runs timeouts in order", () => {
    expect(execFileSync(process.execPath, ["node-main.js"], { cwd: app, encoding: "utf8" }).trim()).toBe("[5,20]");
  });

  it("gives TypeScript its types", () => {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--target", "es2022", "check.ts"], { cwd: app, encoding: "utf8" });
  });
});

describe.skipIf(!chromium)("installed into a Vite app, in Chromium", () => {
  const config = () => ({
    root: app,
    configFile: false as const,
    logLevel: "warn" as const,
    build: { outDir: join(app, "dist") },
    server: { host: "127.0.0.1", port: 0 },
    preview: { host: "127.0.0.1", port: 0 },
  });

  /** Opens the app at `siteUrl` and expects the fixture's full report. */
  async function expectWorkingPage(siteUrl: string): Promise<void> {
    const server = await startServer();
    const browser = await launchChromium(chromium!);
    try {
      const { page, problems } = await openPage(browser, `${siteUrl}?ws=${server.url.replace("http", "ws")}/ws`);
      const result = await fixtureResult(page);
      expect(result, problems.join("\n")).toMatchObject({ ok: true, fired: [10, 20, 30], echo: { reply: { id: "fixture" } } });
      expect(result.wasm).toHaveLength(1);
    } finally {
      await browser.close();
      await server.close();
    }
  }

  it("builds with core.wasm as an app asset, loads it, runs timeouts and a WebSocket round trip", async () => {
    await build(config());
    expect(readdirSync(join(app, "dist/assets")).filter((name) => name.endsWith(".wasm"))).toHaveLength(1);
    const site = await preview(config());
    try {
      await expectWorkingPage(site.resolvedUrls!.local[0]);
    } finally {
      await site.close();
    }
  });

  it("works the same under the Vite dev server, with no extra configuration", async () => {
    const site = await createServer(config());
    await site.listen();
    try {
      await expectWorkingPage(site.resolvedUrls!.local[0]);
    } finally {
      await site.close();
    }
  });
});
