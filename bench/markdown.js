// node bench/markdown.js [results.json]: prints the results as Markdown
// tables, the form docs/benchmarks.md shows them in (bench/docs.js writes them there).
import { readFileSync } from "node:fs";
import { header, renderMarkdown } from "./table.js";

const { meta, rows } = JSON.parse(readFileSync(process.argv[2] ?? "bench/results/node.json", "utf8"));
console.log(header(meta).split("\n").map((line) => `${line}  `).join("\n"));
console.log(renderMarkdown(rows));
