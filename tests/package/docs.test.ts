// The documentation a user reads: its tables of figures are the ones the
// committed results give, its links lead somewhere, it cites nothing a reader
// cannot open, and the README's first example is the program that
// examples.test.ts runs in every runtime.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { regenerate } from "../../bench/docs.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");
const DOCS = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md", "examples/README.md",
  ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

describe("the documentation", () => {
  it("shows the benchmark tables that bench/docs.js makes from bench/results/*.json", () => {
    const text = read("docs/benchmarks.md");
    expect(text).toMatch(/<!-- generated: node -->/);
    expect(text).toMatch(/<!-- generated: api -->/);
    expect(regenerate(text)).toBe(text);
    const readme = read("README.md");
    expect(readme).toMatch(/<!-- generated: api-targets -->/);
    expect(regenerate(readme)).toBe(readme);
  });

  it("links only to files that exist", () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      for (const [, target] of read(doc).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(root, dirname(doc), target))) broken.push(`${doc}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("cites no issue or private document", () => {
    for (const doc of DOCS) {
      expect(read(doc), doc).not.toMatch(/\bissues? #?\d|\bthe design\b/i);
      expect(read(doc), doc).not.toMatch(/\bDESIGN\.md|\bshared\//);
    }
  });

  it("opens with the example that examples/node runs", () => {
    const program = read("examples/node/main.js").split("\n").filter((line) => !line.startsWith("//")).join("\n").trim();
    const readme = read("README.md");
    const firstCode = readme.slice(readme.indexOf("## A first example")).match(/```js\n([\s\S]*?)```/)![1];
    const strip = (code: string) => code.replace(/\s*\/\/.*$/gm, "").trim();
    expect(strip(firstCode)).toBe(strip(program));
  });
});
