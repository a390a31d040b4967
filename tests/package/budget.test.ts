// The budget for what a browser downloads for the whole API: the built
// browser entry, every chunk it imports and core.wasm, each gzipped at level
// 9, counted by the same function whose figures `npm run build` prints.
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { BUDGET_GZIP_BYTES, browserDownload } from "../../scripts/download-size.js";

const runtimeDir = fileURLToPath(new URL("../../dist/runtime", import.meta.url));

it("the whole-API browser download (browser.js, its chunks, core.wasm) is within 12 KiB gzipped", () => {
  const files: { name: string; bytes: number; gzip: number }[] = browserDownload(runtimeDir);
  expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(["browser.js", "core.wasm"]));
  const total = files.reduce((sum, file) => sum + file.gzip, 0);
  const detail = files.map((file) => `${file.name} ${file.gzip} B`).join(" + ");
  expect(total, `${detail} = ${total} B gzipped`).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
});
