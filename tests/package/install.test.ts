// The packed tarball (tarball.ts) holds dist/, the types, README.md,
// CHANGELOG.md and LICENSE; installed from that file, the package works as a
// user imports it: its types check in a Node-only TypeScript project, and a
// Vite app opened in Chromium loads it (with the tarball's core.wasm emitted
// as an app asset) and runs timeouts and a WebSocket round trip.
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { build, createServer, preview } from "vite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startServer } from "../../demo/server.js";
import { findChromium } from "../chromium.js";
import { fixtureResult, launchChromium, openPage } from "../pages/chromium-page.js";
import { scratchProject } from "./scratch.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = fileURLToPath(new URL("../pages/fixture", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const chromium = findChromium();

/** Every public name, used as a user uses it, in the 0.2 API (timers are numbers). */
const TYPES_CHECK = `import { IOLoop, IOStream, PeriodicCallback, READ, WebSocketSource, type Timeout } from "wasm-ioloop";
const loop: IOLoop = await IOLoop.create({ sliceMs: 8 });
const timeout: Timeout = loop.callLater(1, (n: number) => n + READ, 1);
const deadline: number | undefined = loop.deadlineOf(timeout);
const moved: boolean = loop.refreshTimeout(timeout);
const removed: boolean = loop.removeTimeout(timeout);
// @ts-expect-error: a plain number (a delay) is not a Timeout
loop.removeTimeout(5);
new PeriodicCallback(loop, () => {}, 10).start();
export const used = [deadline, moved, removed, IOStream, WebSocketSource];
`;

/** The compiler options of a strict project that checks every declaration file. */
const STRICT = {
  target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, noEmit: true,
};

/** Projects the types must compile in: Node-only without any @types, Node with @types/node, a page's (DOM). */
const PROJECTS: Record<string, object> = {
  "tsconfig.json": { lib: ["ES2022"], types: [] },
  "tsconfig.node.json": { lib: ["ES2022"], types: ["node"], typeRoots: [join(root, "node_modules/@types")] },
  "tsconfig.dom.json": { lib: ["ES2022", "DOM"], types: [] },
};

let app: string;
let removeApp: () => void;

// One scratch project serves as both the Node project (check.ts) and the
// Vite app (index.html, main.js from the page fixture).
beforeAll(() => {
  ({ dir: app, remove: removeApp } = scratchProject());
  writeFileSync(join(app, "check.ts"), TYPES_CHECK);
  for (const [name, options] of Object.entries(PROJECTS)) {
    writeFileSync(join(app, name), JSON.stringify({ compilerOptions: { ...STRICT, ...options }, files: ["check.ts"] }));
  }
  for (const file of ["index.html", "main.js"]) copyFileSync(join(fixture, file), join(app, file));
});

afterAll(() => removeApp());

describe("the packed tarball", () => {
  it("holds the three runtime bundles and the inline one with their maps, core.wasm, one declaration file, the durable entry, README, CHANGELOG, LICENSE", () => {
    const paths = inject("packedFiles").map((file) => file.path).sort();
    expect(paths).toEqual([
      "CHANGELOG.md", "LICENSE", "README.md",
      "dist/durable/index.d.ts", "dist/durable/index.js", "dist/durable/index.js.map", "dist/index.d.ts",
      "dist/runtime/browser.js", "dist/runtime/browser.js.map", "dist/runtime/core.wasm",
      "dist/runtime/inline.js", "dist/runtime/inline.js.map", "dist/runtime/node.js", "dist/runtime/node.js.map", "dist/runtime/workerd.js", "dist/runtime/workerd.js.map",
      "package.json",
    ]);
  });

  it("ships source maps that carry the sources they map", () => {
    for (const runtime of ["browser", "node", "workerd", "inline"]) {
      const map = JSON.parse(readFileSync(join(app, `node_modules/wasm-ioloop/dist/runtime/${runtime}.js.map`), "utf8"));
      expect(map.sources.length, runtime).toBeGreaterThan(10);
      expect(map.sourcesContent?.length, runtime).toBe(map.sources.length);
      expect(map.sourcesContent.every((text: unknown) => typeof text === "string" && text.length > 0), runtime).toBe(true);
    }
  });
});

describe("installed into a TypeScript project", () => {
  it("type-checks in a Node-only project: no DOM library, no @types, no skipLibCheck", () => {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app, encoding: "utf8" });
  });

  it("type-checks beside @types/node, and beside the DOM library", () => {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.node.json"], { cwd: app, encoding: "utf8" });
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.dom.json"], { cwd: app, encoding: "utf8" });
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
