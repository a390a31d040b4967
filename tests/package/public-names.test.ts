// The build shortens internal property names (scripts/internal-names.js).
// These check that it shortened none that a user or the core relies on: every
// public member the published types declare keeps its name, on the built
// classes too, and so does every export of core.wasm.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { internalNames } from "../../scripts/internal-names.js";

const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const internal = new Set<string>(internalNames().names);

/** Each class the package exports, with the names of its public members
 *  (own and inherited) as the published .d.ts files declare them. */
function publicClasses(): Map<string, { instance: Set<string>; statics: Set<string>; methods: Set<string> }> {
  const program = ts.createProgram([`${dist}index.d.ts`], { skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const index = checker.getSymbolAtLocation(program.getSourceFile(`${dist}index.d.ts`)!)!;
  // Symbol-keyed members (sourceHooks) have no name for a minifier to touch:
  // TypeScript names them "__@...".
  const isPublic = (symbol: ts.Symbol) => !symbol.name.startsWith("__@") && !(symbol.declarations ?? []).some((declaration) =>
    ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
  const classes = new Map<string, { instance: Set<string>; statics: Set<string>; methods: Set<string> }>();
  for (const exported of checker.getExportsOfModule(index)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.find(ts.isClassDeclaration);
    if (!declaration) continue;
    const instanceType = checker.getDeclaredTypeOfSymbol(symbol);
    const staticType = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    const instance = checker.getPropertiesOfType(instanceType).filter(isPublic);
    classes.set(exported.name, {
      instance: new Set(instance.map((member) => member.name)),
      statics: new Set(checker.getPropertiesOfType(staticType).filter(isPublic).map((member) => member.name)),
      // Methods and accessors live on the prototype; fields on each instance.
      methods: new Set(instance.filter((member) => member.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor))
        .map((member) => member.name)),
    });
  }
  return classes;
}

describe("the names the build shortens", () => {
  const classes = publicClasses();

  it("include no member the published types declare public", () => {
    expect(classes.size).toBeGreaterThanOrEqual(10); // IOLoop, PeriodicCallback, ..., the errors
    for (const [name, members] of classes) {
      expect([...members.instance, ...members.statics].filter((member) => internal.has(member)), name).toEqual([]);
    }
  });

  it("leave every public method and accessor on the built classes under its own name", async () => {
    const built: Record<string, { prototype: object }> = await import(`${dist}runtime/node.js`);
    for (const [name, members] of classes) {
      expect(built[name], name).toBeTypeOf("function");
      expect([...members.methods].filter((member) => !(member in built[name].prototype)), name).toEqual([]);
      expect([...members.statics].filter((member) => member !== "prototype" && !(member in built[name])), name).toEqual([]);
    }
    expect(classes.get("IOLoop")!.methods).toContain("callLater");
  });

  it("include none of core.wasm's exports", () => {
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(`${dist}runtime/core.wasm`)));
    expect(exports.map((entry) => entry.name)).toContain("timerSchedule");
    expect(exports.map((entry) => entry.name).filter((name) => internal.has(name))).toEqual([]);
  });

  it("include the internal members the bundle is full of (a class's own private members are #names)", () => {
    for (const name of ["firingSlot", "listWord", "slotOf", "timeoutTable", "callbackTable"]) {
      expect(internal).toContain(name);
    }
    for (const name of ["lastTime", "hostTimerDeadline", "settleFromBuffer"]) {
      expect(internal).not.toContain(name); // #lastTime...: the minifier shortens them itself
    }
  });
});
