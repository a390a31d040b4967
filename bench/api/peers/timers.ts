// The timer peers, each through its own public API: the loop under test, the
// two JavaScript designs, and the host's own timers (one per timeout).

import { IOLoop } from "../../../src/index";
import { FlatHeapLoop } from "./best-js";
import { HandleHeapLoop, type TimeoutHandle } from "./handle-heap";
import type { Fn, TimerLoop, TimerPeer } from "./peer";

export const WASM_IOLOOP = "wasm-ioloop";
export const BEST_JS = "best JS (flat heap)";
export const HANDLE_HEAP = "tinyqueue + handles";
export const SET_TIMEOUT = "setTimeout";

type LoopTimeout = ReturnType<IOLoop["callLater"]>;

class IOLoopTimers implements TimerLoop<LoopTimeout> {
  constructor(readonly loop: IOLoop) {}
  callLater(delayMs: number, fn: Fn): LoopTimeout { return this.loop.callLater(delayMs, fn); }
  remove(id: LoopTimeout): void { this.loop.removeTimeout(id); }
  rearm(id: LoopTimeout): LoopTimeout { this.loop.refreshTimeout(id); return id; }
  run<T>(body: () => T | Promise<T>): Promise<T> { return this.loop.run(body) as Promise<T>; }
  close(): void { this.loop.close(); }
}

class FlatHeapTimers implements TimerLoop<number> {
  readonly loop = new FlatHeapLoop();
  callLater(delayMs: number, fn: Fn): number { return this.loop.callLater(delayMs, fn); }
  remove(id: number): void { this.loop.removeTimeout(id); }
  rearm(id: number, delayMs: number, fn: Fn): number {
    this.loop.removeTimeout(id);
    return this.loop.callLater(delayMs, fn);
  }
  run<T>(body: () => T | Promise<T>): Promise<T> { return this.loop.run(body); }
  close(): void { this.loop.close(); }
}

class HandleHeapTimers implements TimerLoop<TimeoutHandle> {
  readonly loop = new HandleHeapLoop();
  callLater(delayMs: number, fn: Fn): TimeoutHandle { return this.loop.callLater(delayMs, fn); }
  remove(handle: TimeoutHandle): void { this.loop.removeTimeout(handle); }
  rearm(handle: TimeoutHandle, delayMs: number, fn: Fn): TimeoutHandle {
    this.loop.removeTimeout(handle);
    return this.loop.callLater(delayMs, fn);
  }
  run<T>(body: () => T | Promise<T>): Promise<T> { return this.loop.run(body); }
  close(): void { this.loop.close(); }
}

type HostTimeout = ReturnType<typeof setTimeout>;

/** Node's timers: a Timeout object per timer, refresh() re-arms it in place. */
class NodeTimers implements TimerLoop<HostTimeout> {
  callLater(delayMs: number, fn: Fn): HostTimeout { return setTimeout(fn, delayMs); }
  remove(handle: HostTimeout): void { clearTimeout(handle); }
  rearm(handle: HostTimeout): HostTimeout { return (handle as unknown as { refresh(): HostTimeout }).refresh(); }
  async run<T>(body: () => T | Promise<T>): Promise<T> { return body(); }
  close(): void {}
}

/** A browser's timers: numbers, no refresh, so re-arming is clear + set. */
class WebTimers implements TimerLoop<HostTimeout> {
  callLater(delayMs: number, fn: Fn): HostTimeout { return setTimeout(fn, delayMs); }
  remove(handle: HostTimeout): void { clearTimeout(handle); }
  rearm(handle: HostTimeout, delayMs: number, fn: Fn): HostTimeout {
    clearTimeout(handle);
    return setTimeout(fn, delayMs);
  }
  async run<T>(body: () => T | Promise<T>): Promise<T> { return body(); }
  close(): void {}
}

function hostTimersRefresh(): boolean {
  const probe = setTimeout(() => {}, 0);
  clearTimeout(probe);
  return typeof (probe as { refresh?: unknown }).refresh === "function";
}

/** The loop under test gets `module`; a fresh one compiles `wasm` again,
 *  since the loop pools closed loops' cores by module. */
export function timerPeers(module: WebAssembly.Module, wasm: Uint8Array<ArrayBuffer>): TimerPeer[] {
  const refreshes = hostTimersRefresh();
  return [
    {
      name: WASM_IOLOOP,
      create: async (options) => new IOLoopTimers(await IOLoop.create({
        module: options?.fresh ? await WebAssembly.compile(wasm) : module,
      })),
    },
    { name: BEST_JS, create: async () => new FlatHeapTimers() },
    { name: HANDLE_HEAP, create: async () => new HandleHeapTimers() },
    { name: SET_TIMEOUT, create: async () => (refreshes ? new NodeTimers() : new WebTimers()) },
  ];
}
