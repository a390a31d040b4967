// `npm pack` makes a tarball holding dist/, the types, README.md and
// LICENSE; installed from that file, the package works as a user imports
// it: in a Node project (and its types check), and in a Vite app opened in
// Chromium (which needs the tarball's core.wasm emitted as an app asset).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
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
let tarball: string;
let packed: PackedFile[];

/** A scratch project with `files`, and the tarball installed into it. */
function scratchProject(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  execFileSync("mkdir", ["-p", dir]);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  npm(["install", "--offline", "--no-package-lock", tarball], dir);
  return dir;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "wasm-ioloop-package-"));
  const [report] = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], root));
  tarball = join(scratch, report.filename);
  packed = report.files;
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
  it("imports by name, runs timeouts in order, and its types check", () => {
    const dir = scratchProject("node-app", {
      "main.js": `import { IOLoop } from "wasm-ioloop";
const loop = await IOLoop.create();
const fired = await loop.run(() => new Promise((resolve) => {
  const fired = [];
  loop.callLater(20, () => { fired.push(20); resolve(fired); });
  loop.callLater(5, () => fired.push(5));
}));
loop.close();
console.log(JSON.stringify(fired));
`,
      "check.ts": `import { IOLoop, READ, type Timeout } from "wasm-ioloop";
const loop: IOLoop = await IOLoop.create();
const timeout: Timeout = loop.callLater(1, (n: number) => n + READ, 1);
timeout.cancel();
`,
    });
    expect(execFileSync(process.execPath, ["main.js"], { cwd: dir, encoding: "utf8" }).trim()).toBe("[5,20]");
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--target", "es2022", "--skipLibCheck", "false", "--types", "node", "--typeRoots", join(root, "node_modules/@types"), "check.ts"], { cwd: dir, encoding: "utf8" });
  });
});

describe.skipIf(!chromium)("installed into a Vite app, in Chromium", () => {
  it("builds with core.wasm as an app asset, loads it, runs timeouts and a WebSocket round trip", async () => {
    const dir = scratchProject("vite-app", {});
    for (const file of ["index.html", "main.js"]) copyFileSync(join(fixture, file), join(dir, file));
    const config = {
      root: dir,
      configFile: false as const,
      logLevel: "warn" as const,
      build: { outDir: join(dir, "dist") },
      preview: { host: "127.0.0.1", port: 0 },
    };
    await build(config);
    expect(readdirSync(join(dir, "dist/assets")).filter((name) => name.endsWith(".wasm"))).toHaveLength(1);
    const site = await preview(config);
    const server = await startServer();
    const browser = await launchChromium(chromium!);
    try {
      const { page, problems } = await openPage(browser, `${site.resolvedUrls!.local[0]}?ws=${server.url.replace("http", "ws")}/ws`);
      const result = await fixtureResult(page);
      expect(result, problems.join("\n")).toMatchObject({ ok: true, fired: [10, 20, 30], echo: { reply: { id: "fixture" } } });
      expect(result.wasm).toHaveLength(1);
    } finally {
      await browser.close();
      await server.close();
      await site.close();
    }
  });
});
