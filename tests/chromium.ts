// Finds the Chromium the browser suites drive, and the flags they launch it
// with. Shared by tests/browser, tests/pages and tests/package.
//
// No Chromium: the browser suites are skipped with a loud warning, except
// under CI, where a missing browser is a failure (CI installs Debian's
// chromium first, so a missing one means the setup is broken).
import { existsSync } from "node:fs";

const USUAL_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Flags for a quiet headless run: no sandbox (we run as root in a
 *  container), no GPU, and nothing that phones home or updates itself.
 *  Playwright gives every launch a fresh temporary profile directory. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

let warned = false;

/** The Chromium executable, or undefined (after a loud warning) when none
 *  is installed. Throws when CI is set and none is found. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = USUAL_PATHS.find((path) => existsSync(path));
  if (found) return found;
  const message = `no Chromium found (set CHROMIUM_PATH, or install one at ${USUAL_PATHS.join(", ")})`;
  if (process.env.CI) throw new Error(`${message}: the browser suites cannot run under CI`);
  if (!warned) {
    warned = true;
    console.warn(`\n${"!".repeat(78)}\n!! ${message}.\n!! SKIPPING THE BROWSER SUITES: they have NOT run.\n${"!".repeat(78)}\n`);
  }
  return undefined;
}
