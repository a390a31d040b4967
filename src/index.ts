// The public API, shared by every runtime. Import the package by name: its
// runtime entry (src/runtime/*.ts) sets up the core loader and re-exports this.

export { IOLoop } from "./loop.js";
export type { IOLoopOptions, ErrorContext, ErrorKind, SlowCallbackContext, CloseReport, LoopStats } from "./loop-options.js";
export { Timeout } from "./timeout.js";
export { PeriodicCallback } from "./periodic.js";
export type { PeriodicCallbackOptions } from "./periodic.js";
export { VirtualClock } from "./virtual-clock.js";
export type { Clock } from "./clock.js";
export type { Handler } from "./handlers.js";
export { READ, WRITE, ERROR } from "./events.js";
export { TimeoutError, LoopFailedError } from "./errors.js";
export { setCoreLoader } from "./core.js";
export { WebSocketSource } from "./sources/websocket.js";
export type { WebSocketSourceOptions, WebSocketLike, WebSocketMessage } from "./sources/websocket.js";
export { ReadableSource } from "./sources/readable.js";
export type { ReadableSourceOptions } from "./sources/readable.js";
export { WritableSink } from "./sources/writable.js";
export type { ByteSource, ByteSink } from "./sources/source.js";
export { IOStream } from "./iostream.js";
export type { IOStreamOptions } from "./iostream.js";
export { StreamClosedError, UnsatisfiableReadError, StreamBufferFullError } from "./sources/errors.js";
