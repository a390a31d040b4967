// Starts the demo and probe Workers in local workerd once for every test
// file, with short timeouts so the idle and heartbeat tests stay fast.
import { unstable_dev, type Unstable_DevWorker } from "wrangler";
import type { TestProject } from "vitest/node";

/** The demo's timings in these tests: the idle timeout is 10 keep-alive
 *  pings long (room.test.ts), so that a machine loaded enough to stall a
 *  client for a second does not close it; short enough to keep the suite fast. */
export const DEMO_VARS = { IDLE_TIMEOUT_MS: "2000", HEARTBEAT_MS: "200", MAX_MESSAGE_BYTES: "65536" };

declare module "vitest" {
  export interface ProvidedContext {
    demoUrl: string;
    probeUrl: string;
    demoVars: typeof DEMO_VARS;
  }
}

const repo = new URL("../../", import.meta.url).pathname;

async function start(config: string, vars?: Record<string, string>): Promise<Unstable_DevWorker> {
  return unstable_dev(`${repo}${config}/${config.startsWith("demo") ? "src/index.ts" : "index.ts"}`, {
    config: `${repo}${config}/wrangler.jsonc`,
    ip: "127.0.0.1",
    vars,
    logLevel: "warn",
    experimental: { disableExperimentalWarning: true },
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.WRANGLER_SEND_METRICS = "false";
  const [demo, probe] = await Promise.all([start("demo/worker", DEMO_VARS), start("tests/workers/probe")]);
  project.provide("demoUrl", `http://${demo.address}:${demo.port}`);
  project.provide("probeUrl", `http://${probe.address}:${probe.port}`);
  project.provide("demoVars", DEMO_VARS);
  return async () => { await Promise.all([demo.stop(), probe.stop()]); };
}
