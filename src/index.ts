// The public API, shared by every runtime. Import the package by name: its
// runtime entry (src/runtime/*.ts) sets up the core loader and re-exports this.

export { IOLoop } from "./loop/ioloop.js";
export type { IOLoopOptions, ErrorContext, ErrorKind, SlowCallbackContext, CloseReport, LoopStats } from "./loop/options.js";
export type { Timeout } from "./loop/ioloop.js";
export { sourceHooks } from "./loop/source-hooks.js";
export type { SourceHooks, LoopSource } from "./loop/source-hooks.js";
export { PeriodicCallback } from "./loop/periodic.js";
export type { PeriodicCallbackOptions } from "./loop/periodic.js";
export { VirtualClock } from "./time/virtual-clock.js";
export type { Clock } from "./time/clock.js";
export type { Handler } from "./loop/handlers.js";
export { READ, WRITE, ERROR } from "./events.js";
export { TimeoutError, LoopFailedError } from "./errors.js";
export { setCoreLoader } from "./core.js";
export { WebSocketSource } from "./sources/websocket.js";
export type { WebSocketSourceOptions, WebSocketLike, WebSocketMessage } from "./sources/websocket.js";
export { ReadableSource } from "./sources/readable.js";
export type { ReadableSourceOptions } from "./sources/readable.js";
export { WritableSink } from "./sources/writable.js";
export type { ByteSource, ByteSink } from "./sources/source.js";
export { IOStream } from "./stream/iostream.js";
export type { IOStreamOptions } from "./stream/iostream.js";
export { StreamClosedError, UnsatisfiableReadError, StreamBufferFullError } from "./sources/errors.js";

// The API names WebAssembly.Module (IOLoop.create's `module`, setCoreLoader).
// A Node-only TypeScript project (lib ES2022, no DOM) may declare no
// WebAssembly namespace at all; this empty interface gives it one to name,
// and merges with the DOM's, @types/node's or workers-types' where they exist.
declare global {
  namespace WebAssembly { interface Module {} }
}
