// A scratch project with the packed tarball installed, as a user installs it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { npm } from "./npm.js";

export const examplesDir = new URL("../../examples/", import.meta.url).pathname;

/** Copies examples/<name> (or an empty project) into a fresh folder and
 *  installs the tarball there, offline: the package has no dependencies.
 *  The example's other dependencies (vite, wrangler) are dropped; the tests
 *  use the repository's own. Returns the folder and a cleanup. */
export function scratchProject(example?: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `wasm-ioloop-${example ?? "project"}-`));
  let manifest: Record<string, unknown> = { name: "scratch", private: true, type: "module" };
  if (example) {
    cpSync(join(examplesDir, example), dir, { recursive: true });
    manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ ...manifest, dependencies: {}, devDependencies: {} }));
  npm(["install", "--offline", "--no-package-lock", inject("tarball")], dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
