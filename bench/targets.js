// The targets set for the core's store, checked against a run's results:
// each is a ratio (or a size) measured in the same run, never a constant.
//
//   node bench/targets.js [bench/results/node.json] [bench/results/browser.json]
//
// prints one Markdown table, a column per runtime: the measured figures and
// whether each target is met, or by what factor it is missed. bench/run.js and
// bench/browser.js print the same verdicts after their tables.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ratio } from "./table.js";

const CORE = "core (wasm)";
const LOOP = "IOLoop (wasm core)";

/** What a target asks, which rows it reads, and the figure it compares. */
const TARGETS = [
  { what: "churn at 100k live: at least 3x the best JS peer", workload: "churn", params: ["K=1e+5"], peer: CORE, atLeast: 3 },
  { what: "mixed loop: at least 2x the best JS peer", workload: "mixed loop", params: ["~1e+5 live"], peer: CORE, atLeast: 2 },
  { what: "fire: at least 1.5x the best JS peer at every N", workload: "fire", params: ["N=1e+3", "N=1e+4", "N=1e+5", "N=1e+6"], peer: CORE, atLeast: 1.5 },
  { what: "full loop: at least 2x less CPU per timer than setTimeout, at 1e5 and 1e6", workload: "full loop", params: ["N=1e+5", "N=1e+6"], peer: LOOP, atLeast: 2 },
  { what: "memory: at most 40 bytes per pending timeout, JS slot table included", workload: "memory", params: ["N=1e+5 pending", "N=1e+6 pending"], peer: CORE, atMost: 40, unit: "B" },
  { what: "memory: peak entries equal to the live count under churn", workload: "peak entries", params: ["churn, K=1e+5 live"], peer: CORE, atMost: 1 },
];

/** One target against one run: the figure per row and the verdict. */
export function verdict(target, rows) {
  const found = target.params.map((param) => rows.find((r) => r.workload === target.workload && r.param === param));
  if (found.some((row) => !row?.values[target.peer])) return { figures: "not measured", met: undefined };
  const figures = [];
  let worst = Infinity; // the smallest margin: above 1 met, below 1 missed
  for (const row of found) {
    const value = row.values[target.peer].median;
    if (target.atLeast !== undefined) {
      const r = ratio(row, value);
      figures.push(`${r.toFixed(2)}x`);
      worst = Math.min(worst, r / target.atLeast);
    } else {
      figures.push(target.unit ? `${value.toFixed(0)} ${target.unit}` : value.toFixed(2));
      worst = Math.min(worst, target.atMost / value);
    }
  }
  return { figures: figures.join(", "), met: worst >= 1, short: worst < 1 ? 1 / worst : undefined };
}

function describe({ figures, met, short }) {
  if (met === undefined) return figures;
  return met ? `${figures}: **met**` : `${figures}: missed, short by a factor of ${short.toFixed(2)}`;
}

/** The targets as a Markdown table, one column per run given. */
export function renderTargets(runs) {
  const names = Object.keys(runs);
  const out = [`| target | ${names.join(" | ")} |`, `|---|${names.map(() => "---").join("|")}|`];
  for (const target of TARGETS) {
    out.push(`| ${target.what} | ${names.map((name) => describe(verdict(target, runs[name].rows))).join(" | ")} |`);
  }
  return out.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [nodeFile = "bench/results/node.json", browserFile = "bench/results/browser.json"] = process.argv.slice(2);
  const runs = {};
  for (const [name, file] of [["Node", nodeFile], ["Chromium", browserFile]]) {
    if (existsSync(file)) runs[name] = JSON.parse(readFileSync(file, "utf8"));
  }
  console.log(renderTargets(runs));
}
