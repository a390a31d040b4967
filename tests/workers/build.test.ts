// The demo's deployable bundle: `wrangler deploy --dry-run` (what
// `npm run worker:build` runs) bundles it, core.wasm included, and reports
// the upload size.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const repo = new URL("../../", import.meta.url).pathname;
const outdir = mkdtempSync(join(tmpdir(), "wasm-ioloop-worker-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it("the dry-run deploy of demo/worker succeeds and reports its upload size", async () => {
  const { stdout } = await promisify(execFile)(
    join(repo, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "-c", "demo/worker/wrangler.jsonc", "--outdir", outdir],
    { cwd: repo, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  expect(size, stdout).not.toBeNull();
  console.log(`demo/worker upload: ${size![1]} KiB, ${size![2]} KiB gzipped`);
  const files = readdirSync(outdir);
  // The core ships as its own wasm module beside the script, not as bytes in it.
  const wasm = files.filter((file) => file.endsWith(".wasm"));
  expect(wasm).toHaveLength(1);
  expect(statSync(join(outdir, wasm[0])).size).toBeGreaterThan(1000);
  expect(files).toContain("index.js");
}, 60_000);
