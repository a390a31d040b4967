// Loops for tests: the debug build of the core (assertions on), a virtual
// clock, and the core's invariant check available after every step.
import { readFileSync } from "node:fs";
import { IOLoop, type IOLoopOptions } from "../../src/index.js";
import { VirtualClock } from "../../src/virtual-clock.js";

const debugModule = new WebAssembly.Module(readFileSync(new URL("../../build/core.debug.wasm", import.meta.url)));

export function createLoop(options: IOLoopOptions = {}): Promise<IOLoop> {
  return IOLoop.create({ module: debugModule, ...options });
}

/** A loop on a VirtualClock, with onError collecting what it reports. */
export async function virtualLoop(options: IOLoopOptions = {}) {
  const clock = new VirtualClock();
  const errors: unknown[] = [];
  const loop = await createLoop({ clock, onError: ({ error }) => errors.push(error), ...options });
  return { loop, clock, errors };
}
