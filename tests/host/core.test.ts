// The boundary: the host's type of the core's exports (src/core.ts's
// CoreExports) against the real export lists of every build, and what the
// host does with a module that is not a core of its own version.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IOLoop } from "../../src/index.js";
import type { CoreExports } from "../../src/core.js";

/** Every name of CoreExports, once; the type check below fails if this list
 *  and the interface ever differ. */
const EXPORTS = [
  "memory", "READ", "WRITE", "ERROR", "ERR_BAD_DEADLINE", "ERR_TOO_MANY_TIMERS", "ERR_BAD_SOURCE", "ERR_BAD_EVENTS",
  "SLOT_BITS", "LANE_BITS", "LIST_HEADER_WORDS",
  "timerSetLane", "timerLaneHandover", "timerSchedule", "timerCancel", "timerRefresh", "timerDeadline", "timerClaim",
  "timerNextDeadline", "timerPendingCount", "callbackAdd", "callbackCount",
  "sourceAdd", "sourceRemove", "sourceSetInterest", "sourceSetReady", "sourceClearReady", "sourceListedCount",
  "runIteration", "continueIteration", "reset", "checkInvariants",
] as const satisfies readonly (keyof CoreExports)[];
/** What only the debug build exports. */
const DEBUG_ONLY = ["checkInvariants"];
type Missing = Exclude<keyof CoreExports, (typeof EXPORTS)[number]>;
const everyNameListed: [Missing] extends [never] ? true : Missing = true;

function exportsOf(build: string): WebAssembly.ModuleExportDescriptor[] {
  return WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL(`../../build/${build}`, import.meta.url))));
}

describe("the core's exports", () => {
  it("are exactly what the host's CoreExports declares: the release build without the debug build's invariant check", () => {
    expect(everyNameListed).toBe(true);
    expect(exportsOf("core.debug.wasm").map((e) => e.name).sort()).toEqual([...EXPORTS].sort());
    expect(exportsOf("core.wasm").map((e) => e.name).sort()).toEqual(EXPORTS.filter((name) => !DEBUG_ONLY.includes(name)).sort());
  });

  it("declare the shared numbers as globals and the operations as functions", () => {
    const kinds = new Map(exportsOf("core.debug.wasm").map((e) => [e.name, e.kind]));
    for (const name of EXPORTS) {
      const expected = name === "memory" ? "memory" : /^[A-Z_]+$/.test(name) ? "global" : "function";
      expect(kinds.get(name), name).toBe(expected);
    }
  });

  it("hold nothing only tests or benchmarks use: the store's own pop is in the benchmarks' build alone", () => {
    expect(exportsOf("core.wasm").some((e) => e.name === "timerPopDue" || e.name === "checkInvariants")).toBe(false);
    expect(exportsOf("core.bench.wasm").some((e) => e.name === "timerPopDue")).toBe(true);
  });

  it("a module that is not wasm-ioloop's core is refused by IOLoop.create with a clear error", async () => {
    // The smallest valid module: no exports at all.
    const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    await expect(IOLoop.create({ module: empty })).rejects.toThrow(/IOLoop.create: module is not wasm-ioloop's core/);
  });
});
