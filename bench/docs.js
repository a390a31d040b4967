// node bench/docs.js [--check]: writes the tables of docs/benchmarks.md from
// the committed results (bench/results/node.json, browser.json), between
// the markers that name each block; with --check, changes nothing and exits
// 1 if a block differs from what the JSON gives (tests/package/docs.test.ts).
//
//   <!-- generated: node -->     header and tables of node.json
//   <!-- generated: browser -->  the same for browser.json
//   <!-- generated: targets -->  the targets against both runs
//   <!-- end generated -->       closes each block
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { header, renderMarkdown } from "./table.js";
import { renderTargets } from "./targets.js";

const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const results = (name) => JSON.parse(readFileSync(fileURLToPath(new URL(`results/${name}.json`, import.meta.url)), "utf8"));

/** The Markdown of each block, by name. */
export function blocks() {
  const node = results("node"), browser = results("browser");
  const run = ({ meta, rows }) => `${header(meta).split("\n").map((line) => `${line}  `).join("\n")}\n\n${renderMarkdown(rows)}`;
  return { node: run(node), browser: run(browser), targets: renderTargets({ Node: node, Chromium: browser }) };
}

/** `text` with every block replaced by what the JSON gives. */
export function regenerate(text) {
  const made = blocks();
  return text.replace(/(<!-- generated: (\w+) -->)[\s\S]*?(<!-- end generated -->)/g, (_, open, name, close) => {
    if (!(name in made)) throw new Error(`bench/docs.js: docs/benchmarks.md names an unknown block "${name}"`);
    return `${open}\n${made[name].trim()}\n${close}`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(DOC, "utf8");
  const next = regenerate(text);
  if (process.argv.includes("--check")) {
    if (next !== text) {
      console.error("docs/benchmarks.md: its tables differ from bench/results/*.json; run node bench/docs.js");
      process.exit(1);
    }
  } else {
    writeFileSync(DOC, next);
  }
}
