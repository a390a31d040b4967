// The readiness peers: the loop's handlers (setReady, then the handler is
// called in the loop's next iteration and clears the readiness), against a
// listener per source called by EventEmitter.emit (Node's, handed in by the
// runner; in a page, the `events` package's port of it) and EventTarget.dispatchEvent (a new Event per
// dispatch, as the platform makes one). Every round starts in a host task.

import { IOLoop, READ } from "../../../src/index";
import { hostTaskQueuer } from "./host-task";
import type { DispatchPeer } from "./peer";
import { WASM_IOLOOP } from "./timers";

/** What the benchmark needs of Node's EventEmitter. */
export interface EmitterLike {
  on(event: string, listener: (source: number, events: number) => void): unknown;
  emit(event: string, source: number, events: number): boolean;
}

/** A round starts in a host task that reports every source ready, as a
 *  platform event reaching a source does; the loop calls the handlers in
 *  its next iteration. */
async function viaLoop(module: WebAssembly.Module, sources: number, rounds: number): Promise<() => Promise<number>> {
  const loop = await IOLoop.create({ module });
  const queueTask = hostTaskQueuer();
  const total = sources * rounds;
  let calls = 0;
  let finish: (calls: number) => void = () => {};
  const report = (): void => {
    for (let s = 1; s <= sources; s++) loop.setReady(s, READ);
  };
  const handler = (source: number): void => {
    loop.clearReady(source, READ);
    if (++calls === total) finish(calls);
    else if (calls % sources === 0) queueTask(report);
  };
  for (let s = 1; s <= sources; s++) loop.addHandler(s, handler, READ);
  return async () => {
    const called = await loop.run(() => new Promise<number>((resolve) => { finish = resolve; queueTask(report); }));
    loop.close();
    return called;
  };
}

function viaEmitters(Emitter: new () => EmitterLike, sources: number, rounds: number): () => Promise<number> {
  const queueTask = hostTaskQueuer();
  const emitters: EmitterLike[] = [];
  let calls = 0, round = 0;
  const listener = (): void => { calls++; };
  for (let s = 0; s < sources; s++) { emitters.push(new Emitter()); emitters[s].on("readable", listener); }
  return () => new Promise<number>((resolve) => {
    const report = (): void => {
      for (let s = 0; s < sources; s++) emitters[s].emit("readable", s, READ);
      if (++round === rounds) resolve(calls);
      else queueTask(report);
    };
    queueTask(report);
  });
}

function viaEventTargets(sources: number, rounds: number): () => Promise<number> {
  const queueTask = hostTaskQueuer();
  const targets: EventTarget[] = [];
  let calls = 0, round = 0;
  const listener = (): void => { calls++; };
  for (let s = 0; s < sources; s++) { targets.push(new EventTarget()); targets[s].addEventListener("readable", listener); }
  return () => new Promise<number>((resolve) => {
    const report = (): void => {
      for (let s = 0; s < sources; s++) targets[s].dispatchEvent(new Event("readable"));
      if (++round === rounds) resolve(calls);
      else queueTask(report);
    };
    queueTask(report);
  });
}

export function dispatchPeers(module: WebAssembly.Module, Emitter?: new () => EmitterLike): DispatchPeer[] {
  const peers: DispatchPeer[] = [{ name: WASM_IOLOOP, prepare: (s, r) => viaLoop(module, s, r) }];
  if (Emitter) peers.push({ name: "EventEmitter", prepare: async (s, r) => viaEmitters(Emitter, s, r) });
  peers.push({ name: "EventTarget", prepare: async (s, r) => viaEventTargets(s, r) });
  return peers;
}
