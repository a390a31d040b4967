// Host tasks (macrotasks) for peers that need them: setImmediate where there
// is one (Node), else a MessageChannel message (browsers: no 4 ms clamping as
// nested setTimeout(0) has). The loop under test makes the same choice for
// its own wake-ups, so no peer pays more for its tasks than another.

import type { Fn } from "./peer";

/** Functions run one per message, in order; close() lets the ports go (an
 *  open port with a listener keeps Node's process alive). */
export function channelQueue(): { queue(fn: Fn): void; close(): void } {
  const pending: (Fn | undefined)[] = [];
  let head = 0;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const fn = pending[head];
    pending[head++] = undefined;
    if (head === pending.length) { pending.length = 0; head = 0; }
    fn!();
  };
  return {
    queue: (fn) => { pending.push(fn); channel.port2.postMessage(0); },
    close: () => { channel.port1.close(); channel.port2.close(); },
  };
}

export function hostTaskQueuer(): (fn: Fn) => void {
  const g = globalThis as { setImmediate?: (fn: Fn) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return (fn) => { setImmediate(fn); };
  }
  return channelQueue().queue;
}
