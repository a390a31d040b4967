// size: what a browser downloads for the whole API, raw and gzipped: the
// built browser entry (dist/runtime/browser.js, made by `npm run build`,
// which `npm run bench` runs first) and core.wasm, counted as the build and
// the budget test count them (scripts/download-size.js).
import { browserDownload } from "../scripts/download-size.js";

export function sizeRows() {
  const values = {};
  const raw = {};
  for (const file of browserDownload("dist/runtime")) {
    const name = file.name === "core.wasm" ? "core.wasm" : `host JS (${file.name})`;
    values[name] = { median: file.gzip, runs: [file.gzip] };
    raw[name] = file.bytes;
  }
  return [{ workload: "size", param: "gzip -9", unit: "bytes", better: "lower", values, extra: { "raw bytes": raw } }];
}
