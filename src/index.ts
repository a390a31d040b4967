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

// The API names three platform types: WebAssembly.Module (IOLoop.create's
// `module`, setCoreLoader), ReadableStream (ReadableSource) and WritableStream
// (WritableSink). A Node-only TypeScript project (lib ES2022, no DOM, maybe
// no @types/node) may declare none of them; these empty declarations give it
// names to resolve, and merge with the DOM's, @types/node's or workers-types'
// where those exist (same type parameters, no members added).
declare global {
  namespace WebAssembly { interface Module {} }
  interface ReadableStream<R = any> {}
  interface WritableStream<W = any> {}
}
