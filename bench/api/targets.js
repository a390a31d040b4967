// The targets set for the public API, checked against a run's rows: each is
// a ratio between two peers measured in the same run (or a size), never a
// constant. bench/api/run.js and bench/api/browser.js print the verdicts
// after their tables; bench/api/headline.js prints them for the README.

const LOOP = "wasm-ioloop";
const BEST_JS = "best JS (flat heap)";
const SET_TIMEOUT = "setTimeout";

/** What a target asks, which rows it reads, and whom the loop is compared with. */
export const TARGETS = [
  { what: "memory: at most 40 bytes per pending timeout, ids kept, N = 1e5 and 1e6", workload: "memory", params: ["N=1e+5, ids kept", "N=1e+6, ids kept"], atMost: 40, unit: "B" },
  { what: "fire, N = 1e6: at least 1.5x less CPU per timer than the best JS design", workload: "fire", params: ["N=1e+6"], against: BEST_JS, atLeast: 1.5 },
  { what: "fire, N = 1e6: at least 2x less than setTimeout", workload: "fire", params: ["N=1e+6"], against: SET_TIMEOUT, atLeast: 2 },
  { what: "fire, N = 1e5: at least 1.2x the best JS design", workload: "fire", params: ["N=1e+5"], against: BEST_JS, atLeast: 1.2 },
  { what: "fire, N = 1e5: at least 2x setTimeout", workload: "fire", params: ["N=1e+5"], against: SET_TIMEOUT, atLeast: 2 },
  { what: "cancel + schedule at 1e5 live: at least 2x the best JS design", workload: "cancel + schedule", params: ["K=1e+5 live"], against: BEST_JS, atLeast: 2 },
  { what: "re-arm at 1e5 live: at least 3x the best JS design", workload: "re-arm", params: ["K=1e+5 live"], against: BEST_JS, atLeast: 3 },
  { what: "readiness dispatch: at least as fast as EventEmitter.emit", workload: "readiness dispatch", params: ["S=10 sources", "S=1000 sources"], against: "EventEmitter", atLeast: 1 },
];

/** One target against one run's rows: the figures and the verdict. */
export function verdict(target, rows) {
  const found = target.params.map((param) => rows.find((r) => r.workload === target.workload && r.param === param));
  const peers = target.against ? [LOOP, target.against] : [LOOP];
  if (found.some((row) => !row || peers.some((p) => !row.values[p]))) return { figures: "not measured", met: undefined };
  const figures = [];
  let worst = Infinity; // the smallest margin: at least 1 met, below 1 missed
  for (const row of found) {
    const value = row.values[LOOP].median;
    if (target.atLeast !== undefined) {
      const r = row.values[target.against].median / value; // every row here is lower-is-better
      figures.push(`${r.toFixed(2)}x`);
      worst = Math.min(worst, r / target.atLeast);
    } else {
      figures.push(`${value.toFixed(1)} ${target.unit}`);
      worst = Math.min(worst, target.atMost / value);
    }
  }
  return { figures: figures.join(", "), met: worst >= 1, short: worst < 1 ? 1 / worst : undefined };
}

function describe({ figures, met, short }) {
  if (met === undefined) return figures;
  return met ? `${figures}: **met**` : `${figures}: missed, short by a factor of ${short.toFixed(2)}`;
}

/** The targets as a Markdown table, one column per run given (name -> { rows }). */
export function renderApiTargets(runs) {
  const names = Object.keys(runs);
  const out = [`| target | ${names.join(" | ")} |`, `|---|${names.map(() => "---").join("|")}|`];
  for (const target of TARGETS) {
    out.push(`| ${target.what} | ${names.map((name) => describe(verdict(target, runs[name].rows))).join(" | ")} |`);
  }
  return out.join("\n");
}
