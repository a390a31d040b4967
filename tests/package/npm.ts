// Runs the machine's npm: the first `npm` on PATH outside node_modules/.bin
// (@as-pect/cli brings an npm 6 there, through npm-install-peers, which
// cannot read this project's lockfile nor pack to another folder), else the
// npm running the tests (npm_execpath) when it is not that one.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

function npmCli(): string[] {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir.includes("node_modules")) continue;
    const candidate = join(dir, "npm");
    if (existsSync(candidate)) return [candidate];
  }
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm) && !fromNpm.includes("node_modules/npm/")) return [process.execPath, fromNpm];
  throw new Error("no npm found outside node_modules");
}

/** Runs npm with `args` in `cwd`; returns its stdout. */
export function npm(args: string[], cwd: string): string {
  const [command, ...prefix] = npmCli();
  return execFileSync(command, [...prefix, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" },
  });
}
