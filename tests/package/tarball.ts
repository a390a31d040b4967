// Packs the package once for every test file of this project: `npm pack`
// with --ignore-scripts, since `npm test` has just built dist/ (prepack
// would build it a second time). Run alone, this project tests whatever
// dist/ holds: `npm run build` first.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { npm } from "./npm.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The packed .tgz. */
    tarball: string;
    /** What `npm pack --json` reported for it. */
    packedFiles: { path: string; size: number }[];
  }
}

const root = fileURLToPath(new URL("../..", import.meta.url));

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "wasm-ioloop-tarball-"));
  const [report] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], root));
  project.provide("tarball", join(dir, report.filename));
  project.provide("packedFiles", report.files);
  return () => rmSync(dir, { recursive: true, force: true });
}
