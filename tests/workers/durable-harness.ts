// A wrangler test harness over the durable-timeouts probe Worker
// (probe/durable/): it runs in this test process, so a test can evict a
// Durable Object between two requests.
import { createTestHarness } from "wrangler";

export type Harness = ReturnType<typeof createTestHarness>;

const repo = new URL("../../", import.meta.url).pathname;

export async function startHarness(configPath: string, vars?: Record<string, string>): Promise<Harness> {
  process.env.WRANGLER_SEND_METRICS = "false";
  const server = createTestHarness({ root: repo, workers: [{ configPath: `${repo}${configPath}`, vars }] } as Parameters<typeof createTestHarness>[0]);
  await server.listen();
  return server;
}
