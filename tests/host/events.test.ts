import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { READ, WRITE, ERROR } from "../../src/events.js";

// assembly/events.ts and src/events.ts each define the masks; the core
// exports its values as globals, read here from both builds.
describe("events", () => {
  for (const build of ["core.debug.wasm", "core.wasm"]) {
    it(`READ, WRITE and ERROR in src/events.ts equal the core's (${build})`, async () => {
      const module = new WebAssembly.Module(readFileSync(new URL(`../../build/${build}`, import.meta.url)));
      const memory = new WebAssembly.Memory({ initial: 1 });
      const { exports } = await WebAssembly.instantiate(module, { env: { memory, abort() { throw new Error("abort"); } } });
      const value = (name: string) => (exports[name] as WebAssembly.Global).value as number;
      expect({ READ: value("READ"), WRITE: value("WRITE"), ERROR: value("ERROR") }).toEqual({ READ, WRITE, ERROR });
    });
  }

  it("READ, WRITE and ERROR are distinct single bits", () => {
    for (const bit of [READ, WRITE, ERROR]) expect(bit & (bit - 1)).toBe(0);
    expect(new Set([READ, WRITE, ERROR]).size).toBe(3);
  });
});
