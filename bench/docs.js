// node bench/docs.js [--check]: writes the tables of docs/benchmarks.md and
// README.md from the committed results (bench/results/*.json), between the
// markers that name each block; with --check, changes nothing and exits 1 if
// a block differs from what the JSON gives (tests/package/docs.test.ts).
//
//   <!-- generated: api -->      the public-API headline and its targets
//                                (api-node.json, api-browser.json)
//   <!-- generated: api-targets --> those targets alone (for the README)
//   <!-- generated: node -->     header and tables of node.json (the store)
//   <!-- generated: browser -->  the same for browser.json
//   <!-- generated: targets -->  the store's targets against both runs
//   <!-- end generated -->       closes each block
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { header, renderMarkdown } from "./table.js";
import { renderTargets } from "./targets.js";
import { renderHeadline } from "./api/headline.js";
import { renderApiTargets } from "./api/targets.js";

const DOCS = ["../docs/benchmarks.md", "../README.md"].map((path) => fileURLToPath(new URL(path, import.meta.url)));
const results = (name) => JSON.parse(readFileSync(fileURLToPath(new URL(`results/${name}.json`, import.meta.url)), "utf8"));

/** The Markdown of each block, by name. */
export function blocks() {
  const node = results("node"), browser = results("browser");
  const run = ({ meta, rows }) => `${header(meta).split("\n").map((line) => `${line}  `).join("\n")}\n\n${renderMarkdown(rows)}`;
  const apiRuns = { Node: results("api-node"), Chromium: results("api-browser") };
  return { api: renderHeadline(apiRuns), "api-targets": renderApiTargets(apiRuns), node: run(node), browser: run(browser), targets: renderTargets({ Node: node, Chromium: browser }) };
}

/** `text` with every block replaced by what the JSON gives. */
export function regenerate(text) {
  const made = blocks();
  return text.replace(/(<!-- generated: ([\w-]+) -->)[\s\S]*?(<!-- end generated -->)/g, (_, open, name, close) => {
    if (!(name in made)) throw new Error(`bench/docs.js: a document names an unknown block "${name}"`);
    return `${open}\n${made[name].trim()}\n${close}`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const doc of DOCS) {
    const text = readFileSync(doc, "utf8");
    const next = regenerate(text);
    if (process.argv.includes("--check")) {
      if (next !== text) {
        console.error(`${doc}: its tables differ from bench/results/*.json; run node bench/docs.js`);
        process.exitCode = 1;
      }
    } else {
      writeFileSync(doc, next);
    }
  }
}
