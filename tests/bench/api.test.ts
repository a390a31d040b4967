// npm run bench:api in its quick mode (tiny sizes, one round): the output's
// shape, never its timings. Needs build/core.wasm (npm test builds it first).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error bench/api/targets.js is a plain script without types
import { renderApiTargets } from "../../bench/api/targets.js";

const root = new URL("../..", import.meta.url).pathname;
const run = promisify(execFile);
/** The project's pinned Node where it is installed, else this one. */
const node = existsSync(join(root, "node_modules/.bin/node")) ? join(root, "node_modules/.bin/node") : process.execPath;

interface Figure { median: number; runs: number[] }
interface Row { workload: string; param: string; unit: string; better: string; baseline?: string; values: Record<string, Figure> }

const TIMER_PEERS = ["wasm-ioloop", "best JS (flat heap)", "tinyqueue + handles", "setTimeout"];

function row(workload: string, param: string, values: Record<string, number>): Row {
  return {
    workload, param, unit: "", better: "lower",
    values: Object.fromEntries(Object.entries(values).map(([peer, median]) => [peer, { median, runs: [median] }])),
  };
}

describe("npm run bench:api, quick mode", () => {
  let stdout = "";
  let rows: Row[] = [];
  let meta: Record<string, unknown> = {};

  beforeAll(async () => {
    ({ stdout } = await run(node, ["--expose-gc", "bench/api/run.js"], {
      cwd: root, env: { ...process.env, BENCH_QUICK: "1" }, maxBuffer: 16 << 20,
    }));
    ({ rows, meta } = JSON.parse(readFileSync(join(root, "bench/results/api-node.quick.tmp"), "utf8")));
  }, 180_000);

  it("writes every workload with every peer, each a positive median of its runs", () => {
    expect(meta.quick).toBe(true);
    const peersOf = (workload: string) => rows.filter((r) => r.workload === workload).map((r) => Object.keys(r.values).sort());
    for (const workload of ["fire", "cancel + schedule", "re-arm"]) expect(peersOf(workload)).toEqual([[...TIMER_PEERS].sort()]);
    expect(peersOf("memory")).toEqual([
      [...TIMER_PEERS].sort(), TIMER_PEERS.filter((p) => p !== "setTimeout").sort(), [...TIMER_PEERS].sort(), // kept, dropped, kept on a warm loop
    ]);
    expect(peersOf("new loop")).toEqual(Array(2).fill(TIMER_PEERS.filter((p) => p !== "setTimeout").sort()));
    expect(peersOf("callbacks")).toEqual(Array(2).fill(["MessageChannel", "best JS (flat heap)", "queueMicrotask", "setImmediate", "wasm-ioloop"]));
    expect(peersOf("readiness dispatch")).toEqual([["EventEmitter", "EventTarget", "wasm-ioloop"]]);
    for (const r of rows) {
      expect(r.values[r.baseline!], `${r.workload} ${r.param}: its baseline is measured`).toBeDefined();
      for (const [peer, figure] of Object.entries(r.values)) {
        expect(figure.runs.length, `${r.workload} ${r.param} ${peer}`).toBeGreaterThan(0);
        expect(figure.median, `${r.workload} ${r.param} ${peer}`).toBeGreaterThan(0);
      }
    }
  });

  it("prints a table per workload and a verdict line per target", () => {
    for (const title of ["memory", "fire", "cancel + schedule", "re-arm", "callbacks", "new loop", "readiness dispatch"]) {
      expect(stdout.split("\n").some((line) => line.startsWith(`${title} (`)), title).toBe(true);
    }
    expect(stdout).toContain("targets, this run:");
    expect(stdout.match(/^\| (memory|fire|cancel|re-arm|readiness).*\| not measured \|$/gm)).toHaveLength(8);
  });
});

describe("the public-API targets and the headline table", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-api-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const loop = "wasm-ioloop", best = "best JS (flat heap)";
  const rows = [
    row("memory", "N=1e+5, ids kept", { [loop]: 38, [best]: 40 }),
    row("memory", "N=1e+6, ids kept", { [loop]: 50, [best]: 40 }),
    row("fire", "N=1e+6", { [loop]: 100, [best]: 160, setTimeout: 150 }),
    row("re-arm", "K=1e+5 live", { [loop]: 50, [best]: 150 }),
  ].map((r) => ({ ...r, baseline: best }));

  it("says met or by what factor a target is missed, judging several sizes by the worst", () => {
    const table: string = renderApiTargets({ Node: { rows } });
    expect(table).toContain("| memory: at most 40 bytes per pending timeout, ids kept, N = 1e5 and 1e6 | 38.0 B, 50.0 B: missed, short by a factor of 1.25 |");
    expect(table).toContain("| fire, N = 1e6: at least 1.5x less CPU per timer than the best JS design | 1.60x: **met** |");
    expect(table).toContain("| fire, N = 1e6: at least 2x less than setTimeout | 1.50x: missed, short by a factor of 1.33 |");
    expect(table).toContain("| re-arm at 1e5 live: at least 3x the best JS design | 3.00x: **met** |");
    expect(table).toContain("| readiness dispatch: at least as fast as EventEmitter.emit | not measured |");
  });

  it("makes the headline table from a results file, ratios beside the figures", async () => {
    const file = join(dir, "node.json");
    writeFileSync(file, JSON.stringify({ meta: { runtime: "Node test", cpu: "cpu", cores: 2, date: "2026-01-01T00:00:00Z" }, rows }));
    const { stdout } = await run(node, ["bench/api/headline.js", file, join(dir, "absent.json")], { cwd: root });
    expect(stdout).toContain("| workload | unit (baseline) | wasm-ioloop | best JS (flat heap) | setTimeout |");
    expect(stdout).toContain("| the same, N = 1e6 |  (best JS (flat heap)) | 100 (1.60x) | 160 | 150 (1.07x) |");
    expect(stdout).toContain("| fire, N = 1e6: at least 1.5x less CPU per timer than the best JS design | 1.60x: **met** |");
    expect(stdout).not.toContain("Chromium");
  });
});
