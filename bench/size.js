// size: what a user downloads, raw and gzipped: the release core.wasm and the
// host's JavaScript (src/ bundled and minified).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { bundleHost } from "./bundle.js";

export async function sizeRows(runner) {
  const files = { "core.wasm": "build/core.wasm", "host JS (minified)": await bundleHost(runner) };
  const values = {};
  const raw = {};
  for (const [name, path] of Object.entries(files)) {
    const bytes = readFileSync(path);
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    values[name] = { median: gzipped, runs: [gzipped] };
    raw[name] = bytes.length;
  }
  return [{ workload: "size", param: "gzip -9", unit: "bytes", better: "lower", values, extra: { "raw bytes": raw } }];
}
