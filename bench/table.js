// Prints results as one table per workload: a figure per peer, and beside it
// the ratio against the row's baseline, written so that above 1x means better
// than the baseline (faster, smaller, more calls per second).

export function format(value) {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** How many times better than the baseline `value` is. */
export function ratio(row, value) {
  const base = row.baseline && row.values[row.baseline]?.median;
  if (!base || !value) return undefined;
  return row.better === "lower" ? base / value : value / base;
}

export function header(meta) {
  return [
    `wasm-ioloop benchmarks, ${meta.date}`,
    `machine: ${meta.cpu}, ${meta.cores} cores; runtime: ${meta.runtime}`,
    `load average (1 min) when it began: ${meta.loadBefore?.toFixed(1)}; on ${meta.cores} cores, above ${meta.cores} means other work shared the machine`,
    meta.note ? `note: ${meta.note}` : "",
  ].filter(Boolean).join("\n");
}

/** One cell: the median, and the ratio unless this is the baseline. */
export function cell(row, peer) {
  const figure = row.values[peer];
  if (!figure) return "-";
  const r = ratio(row, figure.median);
  return r === undefined || peer === row.baseline ? format(figure.median) : `${format(figure.median)} (${r.toFixed(2)}x)`;
}

/** The same tables in Markdown, for the README. */
export function renderMarkdown(rows) {
  const out = [];
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    const group = rows.filter((r) => r.workload === workload);
    const peers = [...new Set(group.flatMap((r) => Object.keys(r.values)))];
    const baseline = group[0].baseline;
    out.push("", `**${workload}** (${group[0].unit}, ${group[0].better} is better${baseline ? `; ratio vs ${baseline}, above 1x is better` : ""})`, "");
    out.push(`| | ${peers.join(" | ")} |`, `|---|${peers.map(() => "---:").join("|")}|`);
    for (const row of group) {
      out.push(`| ${row.param} | ${peers.map((p) => cell(row, p)).join(" | ")} |`);
      for (const [what, perPeer] of Object.entries(row.extra ?? {})) {
        out.push(`| ${what} | ${peers.map((p) => (perPeer[p] === undefined ? "" : format(perPeer[p]))).join(" | ")} |`);
      }
    }
  }
  return out.join("\n");
}

export function renderTables(rows) {
  const out = [];
  const workloads = [...new Set(rows.map((r) => r.workload))];
  for (const workload of workloads) {
    const group = rows.filter((r) => r.workload === workload);
    const peers = [...new Set(group.flatMap((r) => Object.keys(r.values)))];
    const baseline = group[0].baseline;
    out.push("", `${workload} (${group[0].unit}, ${group[0].better} is better${baseline ? `; ratio vs ${baseline}, >1x is better` : ""})`);
    const lines = [["", ...peers]];
    for (const row of group) {
      lines.push([row.param, ...peers.map((p) => cell(row, p))]);
      for (const [what, perPeer] of Object.entries(row.extra ?? {})) {
        lines.push([`  ${what}`, ...peers.map((p) => (perPeer[p] === undefined ? "" : format(perPeer[p])))]);
      }
    }
    const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
    for (const line of lines) out.push(line.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  }
  return out.join("\n");
}
