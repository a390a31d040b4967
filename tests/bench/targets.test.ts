import { describe, expect, it } from "vitest";
// @ts-expect-error bench/targets.js is a plain script without types
import { renderTargets } from "../../bench/targets.js";

/** A row as bench/run.js writes it: medians per peer. */
function row(workload: string, param: string, baseline: string | undefined, better: string, values: Record<string, number>) {
  return {
    workload, param, baseline, better, unit: "",
    values: Object.fromEntries(Object.entries(values).map(([peer, median]) => [peer, { median, runs: [median] }])),
  };
}

const BEST = "best JS (slot queue)";

describe("the store's targets, read from a run's rows", () => {
  it("says met when the ratio reaches the target and how far short when it does not", () => {
    const rows = [
      row("churn", "K=1e+5", BEST, "lower", { "core (wasm)": 100, [BEST]: 300 }), // 3x: met
      row("mixed loop", "~1e+5 live", BEST, "lower", { "core (wasm)": 100, [BEST]: 150 }), // 1.5x of 2x
    ];
    const table: string = renderTargets({ Node: { rows } });
    expect(table).toContain("| churn at 100k live: at least 3x the best JS peer | 3.00x: **met** |");
    expect(table).toContain("| mixed loop: at least 2x the best JS peer | 1.50x: missed, short by a factor of 1.33 |");
  });

  it("judges a target over several sizes by its worst one", () => {
    const sizes = ["N=1e+3", "N=1e+4", "N=1e+5", "N=1e+6"];
    const rows = sizes.map((param, i) => row("fire", param, BEST, "lower", { "core (wasm)": 100, [BEST]: i === 2 ? 120 : 200 }));
    expect(renderTargets({ Node: { rows } })).toContain("2.00x, 2.00x, 1.20x, 2.00x: missed, short by a factor of 1.25");
  });

  it("compares sizes against an upper bound and reports a missing row as not measured", () => {
    const rows = [
      row("memory", "N=1e+5 pending", undefined, "lower", { "core (wasm)": 36 }),
      row("memory", "N=1e+6 pending", undefined, "lower", { "core (wasm)": 50 }),
    ];
    const table: string = renderTargets({ Node: { rows } });
    expect(table).toContain("36 B, 50 B: missed, short by a factor of 1.25");
    expect(table).toContain("| full loop: at least 2x less CPU per timer than setTimeout, at 1e5 and 1e6 | not measured |");
  });
});
