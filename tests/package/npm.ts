// Runs the npm that started the tests (npm_execpath), else the first `npm`
// on PATH outside node_modules/.bin: the `node` dev dependency puts an old
// npm 6 there, which cannot read this project's lockfile.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

function npmCli(): string[] {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm)) return [process.execPath, fromNpm];
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir.includes("node_modules")) continue;
    const candidate = join(dir, "npm");
    if (existsSync(candidate)) return [candidate];
  }
  throw new Error("no npm found on PATH");
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
