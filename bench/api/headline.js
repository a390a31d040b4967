// node bench/api/headline.js [api-node.json] [api-browser.json]: the README's
// headline table, made from the results files: for each runtime, one row per
// workload and one column per peer (each figure with its ratio against the
// row's baseline, above 1x better than it), then the targets' verdicts.
// Markdown, to stdout. bench/docs.js writes the same into the docs.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cell } from "../table.js";
import { renderApiTargets } from "./targets.js";

/** The rows of the headline, in two tables (timers; callbacks and events),
 *  each with the peers its rows measured. */
const TABLES = [
  [
    ["memory", "N=1e+6, ids kept", "memory per pending timeout, N = 1e6, ids kept"],
    ["memory", "N=1e+6, ids dropped", "the same, ids dropped"],
    ["memory", "N=1e+5, ids kept, warm loop", "what keeping 1e5 ids costs once the slots were used before"],
    ["fire", "N=1e+5", "fire: CPU per timer, N = 1e5"],
    ["fire", "N=1e+6", "the same, N = 1e6"],
    ["cancel + schedule", "K=1e+4 live", "cancel + schedule a replacement, 1e4 live (in the CPU's caches)"],
    ["cancel + schedule", "K=1e+5 live", "the same, 1e5 live"],
    ["re-arm", "K=1e+4 live", "re-arm, 1e4 live (in the CPU's caches)"],
    ["re-arm", "K=1e+5 live", "the same, 1e5 live"],
    ["new loop", "100 open at once", "a new loop with a new core (100 open at once)"],
    ["new loop", "one at a time", "a new loop with a pooled core (one at a time)"],
  ],
  [
    ["callbacks", "a batch of 1e+6", "callbacks, a batch of 1e6"],
    ["callbacks", "a chain of 1e+5", "callbacks, a chain of 1e5"],
    ["readiness dispatch", "S=10 sources", "readiness dispatch, 10 sources"],
    ["readiness dispatch", "S=1000 sources", "readiness dispatch, 1000 sources"],
  ],
];

function table(rows, wanted) {
  const picked = wanted.map(([workload, param, label]) => ({ label, row: rows.find((r) => r.workload === workload && r.param === param) }))
    .filter((p) => p.row);
  if (picked.length === 0) return undefined;
  const peers = [...new Set(picked.flatMap((p) => Object.keys(p.row.values)))];
  const out = [`| workload | unit (baseline) | ${peers.join(" | ")} |`, `|---|---|${peers.map(() => "---:").join("|")}|`];
  for (const { label, row } of picked) {
    out.push(`| ${label} | ${row.unit} (${row.baseline}) | ${peers.map((p) => cell(row, p)).join(" | ")} |`);
  }
  return out.join("\n");
}

function headline(name, { meta, rows }) {
  const intro = `**${name}** (${meta.runtime}; ${meta.cpu}, ${meta.cores} cores; ${meta.date.slice(0, 10)}). Medians of`
    + " interleaved runs; the ratio beside a figure is against the row's baseline, above 1x better than it.";
  return [intro, ...TABLES.map((wanted) => table(rows, wanted)).filter(Boolean)].join("\n\n");
}

/** The headline of each run (by runtime name), then the targets' verdicts. */
export function renderHeadline(runs) {
  const parts = Object.entries(runs).map(([name, run]) => headline(name, run));
  parts.push(`**Targets**, each a ratio measured in one run:\n\n${renderApiTargets(runs)}`);
  return parts.join("\n\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [nodeFile = "bench/results/api-node.json", browserFile = "bench/results/api-browser.json"] = process.argv.slice(2);
  const runs = {};
  for (const [name, file] of [["Node", nodeFile], ["Chromium", browserFile]]) {
    if (existsSync(file)) runs[name] = JSON.parse(readFileSync(file, "utf8"));
  }
  if (Object.keys(runs).length === 0) {
    console.error(`bench/api/headline.js: neither ${nodeFile} nor ${browserFile} exists; run npm run bench:api first`);
    process.exit(1);
  }
  console.log(renderHeadline(runs));
}
