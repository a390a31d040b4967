// A host task (a macrotask) for peers that need one: setImmediate where there
// is one (Node), else a MessageChannel message (browsers: no 4 ms clamping as
// nested setTimeout(0) has). The loop under test makes the same choice for
// its own wake-ups, so no peer pays more for its tasks than another.

import type { Fn } from "./peer";

export function hostTaskQueuer(): (fn: Fn) => void {
  const g = globalThis as { setImmediate?: (fn: Fn) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return (fn) => { setImmediate(fn); };
  }
  const pending: Fn[] = [];
  let head = 0;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const fn = pending[head];
    pending[head++] = undefined as unknown as Fn;
    if (head === pending.length) { pending.length = 0; head = 0; }
    fn();
  };
  return (fn) => { pending.push(fn); channel.port2.postMessage(0); };
}
