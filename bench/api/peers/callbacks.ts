// The callback peers: the loop's addCallback, the JavaScript design's, and
// the host's own ways to run a function soon (a microtask, setImmediate in
// Node, a MessageChannel message). The loop and the JavaScript design run a
// snapshot of their queue per host task, so a chain of callbacks costs them
// one host task per link; a batch costs one.

import { IOLoop } from "../../../src/index";
import { FlatHeapLoop } from "./best-js";
import { channelQueue } from "./host-task";
import type { CallbackPeer, CallbackQueue, Fn } from "./peer";
import { BEST_JS, WASM_IOLOOP } from "./timers";

class IOLoopCallbacks implements CallbackQueue {
  constructor(readonly loop: IOLoop) {}
  add(fn: Fn): void { this.loop.addCallback(fn); }
  run<T>(body: () => T | Promise<T>): Promise<T> { return this.loop.run(body) as Promise<T>; }
  close(): void { this.loop.close(); }
}

class FlatHeapCallbacks implements CallbackQueue {
  readonly loop = new FlatHeapLoop();
  add(fn: Fn): void { this.loop.addCallback(fn); }
  run<T>(body: () => T | Promise<T>): Promise<T> { return this.loop.run(body); }
  close(): void { this.loop.close(); }
}

class Microtasks implements CallbackQueue {
  add(fn: Fn): void { queueMicrotask(fn); }
  async run<T>(body: () => T | Promise<T>): Promise<T> { return body(); }
  close(): void {}
}

class Immediates implements CallbackQueue {
  add(fn: Fn): void { setImmediate(fn); }
  async run<T>(body: () => T | Promise<T>): Promise<T> { return body(); }
  close(): void {}
}

/** One message per callback; the receiving port calls them in order. */
class ChannelMessages implements CallbackQueue {
  private readonly channel = channelQueue();
  add(fn: Fn): void { this.channel.queue(fn); }
  async run<T>(body: () => T | Promise<T>): Promise<T> { return body(); }
  close(): void { this.channel.close(); }
}

export function callbackPeers(module: WebAssembly.Module): CallbackPeer[] {
  const peers: CallbackPeer[] = [
    { name: WASM_IOLOOP, create: async () => new IOLoopCallbacks(await IOLoop.create({ module })) },
    { name: BEST_JS, create: async () => new FlatHeapCallbacks() },
    { name: "queueMicrotask", create: async () => new Microtasks() },
  ];
  if (typeof setImmediate === "function") peers.push({ name: "setImmediate", create: async () => new Immediates() });
  peers.push({ name: "MessageChannel", create: async () => new ChannelMessages() });
  return peers;
}
