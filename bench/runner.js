// Runs a bundled benchmark suite in this Node process or in headless Chromium
// (bench/page.js) and records the run: a header, the suite's tables, its
// targets' verdicts, and bench/results/<file>.json, or <file>.quick.tmp with
// BENCH_QUICK=1 (small sizes once, to check that the suite works; the
// committed results are never overwritten by a check).
//
// A suite is { bundle, exportName, wasm, file, targets, extraRows?, options? }:
// `bundle(runner)` builds the suite's ES module and returns its path; the
// module's `exportName`(env, wasmBytes, { quick, ...options }) returns the
// rows; `wasm` is the core build it measures; `targets(rows)` is the text
// printed after the tables; `extraRows()` are rows measured outside the suite
// (appended before printing); `options` are passed in Node only (values a
// page cannot receive, such as a class).
import { cpus, loadavg } from "node:os";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { withBenchPage } from "./page.js";
import { header, renderTables } from "./table.js";

const quick = process.env.BENCH_QUICK === "1";
/** BENCH_ONLY=a,b: only those workloads (a suite that knows the option),
 *  written to <file>.only.tmp, never over the committed results. */
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : undefined;
/** BENCH_PEERS=a,b: only those timer peers (by name), written likewise. */
const peers = process.env.BENCH_PEERS ? process.env.BENCH_PEERS.split(",") : undefined;

/** Runs `suite` in this process. `script` and `npmScript` name the caller
 *  in the message shown when Node was started without --expose-gc. */
export async function runInNode(suite, { script, npmScript }) {
  if (typeof globalThis.gc !== "function") {
    console.error(`${script}: run with node --expose-gc (npm run ${npmScript} does)`);
    process.exit(1);
  }
  const run = (await import(await suite.bundle("node")))[suite.exportName];
  const wasm = new Uint8Array(readFileSync(suite.wasm));
  await record(suite, `Node ${process.version}, V8 ${process.versions.v8}`, () => {
    const started = performance.now();
    const env = {
      now: () => performance.now(),
      gc: () => globalThis.gc(),
      cpuMs: async () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; },
      memory: () => { const m = process.memoryUsage(); return { heap: m.heapUsed, external: m.external }; },
      log: (line) => console.error(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}`),
    };
    return run(env, wasm, { quick, only, peers, ...suite.options });
  });
}

/** Runs `suite` in a headless Chromium page. CPU time is the main thread's
 *  task time from the DevTools protocol; memory is the JS heap and the
 *  ArrayBuffers from the same protocol, plus the wasm memories the page made
 *  (which the protocol leaves out, and Node's `external` counts); its log
 *  lines go to stderr. */
export async function runInChromium(suite) {
  const files = {
    "/suite.js": { type: "text/javascript", body: readFileSync(await suite.bundle("browser")) },
    "/core.wasm": { type: "application/wasm", body: readFileSync(suite.wasm) },
  };
  await withBenchPage(files, (page, runtime) => record(suite, runtime, () =>
    page.evaluate(async ({ exportName, quick, only, peers }) => {
      if (!crossOriginIsolated) throw new Error("bench page is not cross-origin isolated");
      // Every wasm memory made from here on, to count while it lives.
      const memories = [];
      const NativeMemory = WebAssembly.Memory;
      WebAssembly.Memory = class extends NativeMemory {
        constructor(descriptor) {
          super(descriptor);
          memories.push(new WeakRef(this));
        }
      };
      const run = (await import("/suite.js"))[exportName];
      const wasm = new Uint8Array(await (await fetch("/core.wasm")).arrayBuffer());
      const env = {
        now: () => performance.now(),
        gc: typeof gc === "function" ? () => gc() : undefined,
        cpuMs: () => benchTaskMs(),
        memory: async () => {
          const { heap, external } = await benchHeapUsage();
          let wasm = 0;
          for (const memory of memories) wasm += memory.deref()?.buffer.byteLength ?? 0;
          return { heap, external: external + wasm };
        },
        log: (line) => console.log(line),
      };
      return run(env, wasm, { quick, only, peers });
    }, { exportName: suite.exportName, quick, only, peers })));
}

/** Prints the header, measures (`measure()` resolves to the rows), prints
 *  the tables, the targets and the time taken, and writes the JSON file. */
async function record(suite, runtime, measure) {
  const meta = {
    date: new Date().toISOString(),
    cpu: cpus()[0].model,
    cores: cpus().length,
    runtime,
    quick,
    note: process.env.BENCH_NOTE,
    loadBefore: loadavg()[0],
  };
  console.log(header(meta));
  const started = performance.now();
  const rows = await measure();
  rows.push(...(suite.extraRows?.() ?? []));
  meta.seconds = Math.round((performance.now() - started) / 1000);
  meta.loadAfter = loadavg()[0];
  console.log(renderTables(rows));
  console.log(`\n${suite.targets(rows)}`);
  console.log(`\n${meta.seconds} s; load average (1 min) at the end: ${meta.loadAfter.toFixed(1)}`);
  mkdirSync("bench/results", { recursive: true });
  const path = `bench/results/${suite.file}${quick ? ".quick.tmp" : only || peers ? ".only.tmp" : ".json"}`;
  writeFileSync(path, JSON.stringify({ meta, rows }, null, 2) + "\n");
}
