// The source protocol: how a source learns which loop it reports to. A
// source that wants to know (every built-in one does) has a `sourceHooks`
// property; the loop calls its hooks when the source is added, removed, or
// its handler's interest changes. Any other value is a plain source, whose
// readiness its owner reports with setReady/clearReady. The key is a symbol,
// not a method name, so that no object is taken for a source by accident.

import type { IOLoop } from "./ioloop.js";

/** The key of a source's hooks: `source[sourceHooks]`. */
export const sourceHooks: unique symbol = Symbol.for("wasm-ioloop.sourceHooks");

/** What the loop calls on a source that has hooks. */
export interface SourceHooks {
  /** The source was added to `loop` (addHandler). Throwing refuses the add:
   *  addHandler then throws an Error "addHandler: " + the thrown error's
   *  message, with what was thrown as its cause, so the message should say
   *  what is wrong with the source ("this … is already attached to another
   *  loop"). */
  attach(loop: IOLoop): void;
  /** The source's handler was removed, or the loop closed. */
  detach(loop: IOLoop): void;
  /** The handler's interest changed (addHandler, updateHandler): a condition
   *  with no platform event (a WebSocket's bufferedAmount falling) can be
   *  polled only while wanted. */
  interestChanged?(loop: IOLoop, events: number): void;
}

/** A source that reports its own readiness to the loop it is added to. */
export interface LoopSource {
  readonly [sourceHooks]: SourceHooks;
}
