// The public API, shared by every runtime. Import the package by name: its
// runtime entry (src/runtime/*.ts) sets up the core loader and re-exports this.

export { IOLoop } from "./loop.js";
export type { IOLoopOptions, ErrorContext, ErrorKind, SlowCallbackContext, CloseReport, LoopStats } from "./loop.js";
export { Timeout } from "./timeout.js";
export { PeriodicCallback } from "./periodic.js";
export type { PeriodicCallbackOptions } from "./periodic.js";
export { VirtualClock } from "./virtual-clock.js";
export type { Clock } from "./clock.js";
export type { Handler } from "./handlers.js";
export { READ, WRITE, ERROR } from "./events.js";
export { TimeoutError, LoopFailedError } from "./errors.js";
export { setCoreLoader } from "./core.js";
