// The package's metadata, as the two usual tools judge the tarball: publint
// (exports, files, fields) and arethetypeswrong (whether each way of
// importing it finds its types).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, inject, it } from "vitest";

const bin = fileURLToPath(new URL("../../node_modules/.bin/", import.meta.url));
it("publint finds nothing to fix or to consider, in strict mode", () => {
  const out = execFileSync(join(bin, "publint"), ["run", "--strict", inject("tarball")], { encoding: "utf8" });
  expect(out).not.toMatch(/Errors|Warnings|Suggestions/);
});

// Two rules are set aside, each for a reason:
// - cjs-resolves-to-esm: the package is ES modules only, and Node 22.12 and
//   later (engines) load it from require() (examples/node/main.cjs runs it);
// - the ./core.wasm entry point is an asset for IOLoop.create({ module }),
//   which has no types to find.
it("arethetypeswrong finds the types from every resolution mode", () => {
  const out = execFileSync(join(bin, "attw"), [inject("tarball"), "--format", "ascii",
    "--ignore-rules", "cjs-resolves-to-esm", "--exclude-entrypoints", "./core.wasm"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(out).toMatch(/No problems found/);
});
