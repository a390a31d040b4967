// Loops for tests: the debug build of the core (assertions on), a virtual
// clock, and the core's invariant check available after every step.
import { IOLoop, type IOLoopOptions } from "../../src/index.js";
import { VirtualClock } from "../../src/virtual-clock.js";

// These suites also run in Chromium (tests/browser): there the file is
// served over http, in Node it is read from disk.
const debugModule = await compileDebugCore(new URL("../../build/core.debug.wasm", import.meta.url));

async function compileDebugCore(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol !== "file:") return WebAssembly.compileStreaming(fetch(url));
  const { readFile } = await import("node:fs/promises");
  return WebAssembly.compile(await readFile(url));
}

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
