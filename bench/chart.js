// npm run bench:chart: draws bench/results/chart.svg from node.json (and
// browser.json, as a second panel, when it exists): for each timed row, one
// bar per peer, its speed relative to the row's baseline on a log scale
// (right of the 1x line is faster than the baseline, left is slower).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { ratio } from "./table.js";

const CHARTED = ["fire", "churn", "mixed loop", "scaling (churn)", "full loop"];
const COLORS = ["#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"];
const BAR = 9, GAP = 8, LABEL = 150, PANEL = 470, TOP = 95;
const MIN_RATIO = 1 / 16, MAX_RATIO = 16;

const x = (r) => LABEL + ((Math.log2(Math.min(Math.max(r, MIN_RATIO), MAX_RATIO)) + 4) / 8) * (PANEL - LABEL - 20);
const escape = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");

function panel(results, title, left, colorOf) {
  const rows = results.rows.filter((r) => CHARTED.includes(r.workload) && r.baseline);
  const parts = [`<text x="${left + LABEL}" y="${TOP - 30}" font-weight="bold">${escape(title)}</text>`];
  // The baseline's own bar is a 2 px mark on the 1x line.
  let y = TOP;
  for (const tick of [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8]) {
    const tx = left + x(tick);
    parts.push(`<text x="${tx}" y="${TOP - 12}" text-anchor="middle" font-size="10">${tick < 1 ? `1/${1 / tick}` : tick}x</text>`);
  }
  const ticksFrom = parts.length;
  for (const row of rows) {
    const peers = Object.keys(row.values);
    parts.push(`<text x="${left + LABEL - 6}" y="${y + (peers.length * BAR) / 2 + 4}" text-anchor="end" font-size="11">${escape(`${row.workload} ${row.param}`)}</text>`);
    for (const peer of peers) {
      const r = ratio(row, row.values[peer].median) ?? 1;
      const a = left + x(1), b = left + x(r);
      parts.push(`<rect x="${Math.min(a, b)}" y="${y}" width="${Math.max(2, Math.abs(b - a))}" height="${BAR - 1}" fill="${colorOf(peer)}"><title>${escape(`${peer}: ${row.values[peer].median.toPrecision(4)} ${row.unit} (${r.toFixed(2)}x)`)}</title></rect>`);
      y += BAR;
    }
    y += GAP;
  }
  const grid = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8].map((tick) => {
    const tx = left + x(tick);
    return `<line x1="${tx}" y1="${TOP - 8}" x2="${tx}" y2="${y}" stroke="${tick === 1 ? "#000" : "#ddd"}"/>`;
  });
  parts.splice(ticksFrom, 0, ...grid);
  return { svg: parts.join("\n"), height: y };
}

const sources = [["bench/results/node.json", "Node"], ["bench/results/browser.json", "Chromium"]].filter(([path]) => existsSync(path));
if (sources.length === 0) throw new Error("bench/chart.js: run npm run bench first");
const loaded = sources.map(([path, name]) => ({ name, results: JSON.parse(readFileSync(path, "utf8")) }));
const peers = [...new Set(loaded.flatMap(({ results }) => results.rows.filter((r) => CHARTED.includes(r.workload)).flatMap((r) => Object.keys(r.values))))];
const colorOf = (peer) => COLORS[peers.indexOf(peer) % COLORS.length];

const panels = loaded.map(({ name, results }, i) => panel(results, results.meta.runtime, i * PANEL, colorOf));
const height = Math.max(...panels.map((p) => p.height)) + 20 + peers.length * 16;
let legendY = height - peers.length * 16;
const legend = peers.map((peer) => {
  const line = `<rect x="${LABEL}" y="${legendY - 9}" width="12" height="10" fill="${colorOf(peer)}"/><text x="${LABEL + 18}" y="${legendY}" font-size="11">${escape(peer)}</text>`;
  legendY += 16;
  return line;
});
const width = Math.max(PANEL * panels.length, 720);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="18" font-weight="bold">Speed relative to the row's baseline (best JS, or setTimeout for full loop); log scale, right is faster; bars stop at 1/16x and 16x</text>
<text x="10" y="36" font-size="11">${escape(`${loaded[0].results.meta.cpu}, ${loaded[0].results.meta.cores} cores; ${loaded[0].results.meta.date}`)}</text>
${panels.map((p) => p.svg).join("\n")}
${legend.join("\n")}
</svg>
`;
writeFileSync("bench/results/chart.svg", svg);
console.log(`bench/results/chart.svg: ${panels.length} panel(s), ${peers.length} peers`);
