// Loops for tests: the debug build of the core (assertions on), a virtual
// clock, and the core's invariant check available after every step. Every
// loop made here is stopped and closed when its test finishes, so a failing
// test never leaves a loop spinning into the next.
import { onTestFinished } from "vitest";
import { IOLoop, type IOLoopOptions, type ErrorContext } from "../../src/index.js";
import { VirtualClock } from "../../src/time/virtual-clock.js";

// These suites also run in Chromium (tests/browser): there the file is
// served over http, in Node it is read from disk.
const debugModule = await freshDebugModule();

/** The debug core, compiled: each call makes a module no core is pooled for
 *  yet, so a loop made from it has a new core, whose slots were never used. */
export async function freshDebugModule(): Promise<WebAssembly.Module> {
  const url = new URL("../../build/core.debug.wasm", import.meta.url);
  if (url.protocol !== "file:") return WebAssembly.compileStreaming(fetch(url));
  const { readFile } = await import("node:fs/promises");
  return WebAssembly.compile(await readFile(url));
}

export async function createLoop(options: IOLoopOptions = {}): Promise<IOLoop> {
  const loop = await IOLoop.create({ module: debugModule, ...options });
  onTestFinished(() => {
    if (loop.closed || loop.failed) return;
    loop.stop();
    if (!loop.running) loop.close();
  });
  return loop;
}

/** A VirtualClock that also records the delay of every host timer armed on
 *  it, so that tests can see how the loop uses its one host timer. */
export class RecordingClock extends VirtualClock {
  readonly delays: number[] = [];
  override setTimer(fn: () => void, delayMs: number): unknown {
    this.delays.push(delayMs);
    return super.setTimer(fn, delayMs);
  }
}

/** A loop on a RecordingClock, with onError collecting what it reports. */
export async function virtualLoop(options: IOLoopOptions = {}) {
  const clock = new RecordingClock();
  const errors: unknown[] = [];
  const reports: ErrorContext[] = [];
  const loop = await createLoop({
    clock,
    onError: (context) => { errors.push(context.error); reports.push(context); },
    ...options,
  });
  return { loop, clock, errors, reports };
}

/** A running loop on a RecordingClock; `stopped` settles when it stops. */
export async function runningLoop(options: IOLoopOptions = {}) {
  const made = await virtualLoop(options);
  const stopped = made.loop.start();
  await made.clock.advance(0);
  return { ...made, stopped };
}
