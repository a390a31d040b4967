// dispatch: readiness events to handler calls. S sources (small integers)
// each have a READ handler; a callback reports all S ready (setReady), the
// next iteration the core lists them and IOLoop calls each handler, which
// drains its source (clearReady); the last handler of a round queues the
// callback again. Reported in handler calls per second, wall time, through
// the real loop (its macrotask wake-ups included).

import { IOLoop, READ } from "../../src/index";
import { interleave, type Env, type Row } from "../harness";

async function handlerCallsPerSecond(env: Env, module: WebAssembly.Module, sources: number, iterations: number): Promise<number> {
  const loop = await IOLoop.create({ module });
  const total = sources * iterations;
  let calls = 0;
  let finish: () => void = () => {};
  const report = (): void => {
    for (let s = 1; s <= sources; s++) loop.setReady(s, READ);
  };
  const handler = (source: number): void => {
    loop.clearReady(source, READ);
    if (++calls === total) finish();
    else if (calls % sources === 0) loop.addCallback(report);
  };
  for (let s = 1; s <= sources; s++) loop.addHandler(s, handler, READ);
  const start = env.now();
  await loop.run(() => new Promise<void>((resolve) => {
    finish = resolve;
    report();
  }));
  const elapsed = env.now() - start;
  loop.close();
  if (calls !== total) throw new Error(`dispatch: ${calls} handler calls, expected ${total}`);
  return total / (elapsed / 1000);
}

export async function dispatch(env: Env, module: WebAssembly.Module, sourceCounts: number[], events: number, rounds: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const sources of sourceCounts) {
    env.log(`dispatch S=${sources}`);
    const iterations = Math.max(1, Math.round(events / sources));
    const peers = [{ name: "IOLoop (wasm core)" }];
    const values = await interleave(env, rounds, peers, () => handlerCallsPerSecond(env, module, sources, iterations));
    rows.push({ workload: "dispatch", param: `S=${sources} sources`, unit: "handler calls/s", better: "higher", values });
  }
  return rows;
}
