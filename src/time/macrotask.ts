// Running a function as a macrotask of the host: after the host's pending
// timers and I/O have had their turn, never as a microtask.

/** Runs `fn` as a macrotask, never as a microtask: a loop whose callbacks
 *  re-add themselves still lets the host's timers and I/O run in between.
 *  setImmediate where there is one (Node, Bun), else a MessageChannel
 *  (browsers, Deno, Workers: no 4 ms clamp as nested setTimeout(0) has), and
 *  setTimeout(0) only on a host with neither. */
export function queueMacrotask(fn: () => void): void {
  macrotaskQueuer ??= chooseMacrotaskQueuer();
  macrotaskQueuer(fn);
}

let macrotaskQueuer: ((fn: () => void) => void) | undefined;

function chooseMacrotaskQueuer(): (fn: () => void) => void {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return (fn) => { setImmediate(fn); };
  }
  if (typeof MessageChannel === "function") {
    // Created on first use, not at module scope: Workers allow no I/O objects
    // outside a request.
    const pending: Array<() => void> = [];
    const channel = new MessageChannel();
    channel.port1.onmessage = () => pending.shift()?.();
    return (fn) => { pending.push(fn); channel.port2.postMessage(0); };
  }
  return (fn) => { setTimeout(fn, 0); };
}
