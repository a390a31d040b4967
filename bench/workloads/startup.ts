// start-up: compiling core.wasm, instantiating it, and IOLoop.create with the
// compiled module (instantiate plus the host's set-up). Medians, in ms.

import { IOLoop } from "../../src/index";
import { interleave, type Env, type Row } from "../harness";

export async function startup(env: Env, bytes: Uint8Array<ArrayBuffer>, module: WebAssembly.Module, rounds: number): Promise<Row> {
  env.log("start-up");
  const imports = () => ({ env: { memory: new WebAssembly.Memory({ initial: 1 }), abort: () => { throw new Error("abort"); } } });
  const steps = [
    { name: "compile", run: async () => { await WebAssembly.compile(bytes); } },
    { name: "instantiate", run: async () => { await WebAssembly.instantiate(module, imports()); } },
    { name: "IOLoop.create", run: async () => { (await IOLoop.create({ module })).close(); } },
  ];
  const values = await interleave(env, rounds, steps, async (step) => {
    const start = env.now();
    await step.run();
    return env.now() - start;
  });
  return { workload: "start-up", param: "core.wasm", unit: "ms", better: "lower", values };
}
