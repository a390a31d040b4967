// Probes run in real workerd by tests/workers/probe.test.ts. Each route
// answers JSON: what the loop did, measured inside the Worker.
import { IOLoop, PeriodicCallback, type Clock } from "wasm-ioloop";
import { transformNdjson } from "../../../demo/worker/src/ndjson.js";

// Workers throw on timers at module scope; this records what this workerd
// says, so the test can show the check below is one that could fail.
function timerAtModuleScope(): string {
  try {
    clearTimeout(setTimeout(() => {}, 1));
    return "allowed";
  } catch (error) {
    return String(error);
  }
}
const moduleScopeTimer = timerAtModuleScope();

// A loop created, and given work, at module scope: if either touched a host
// timer, this promise would reject (or the module fail to load).
const moduleScopeLoop = IOLoop.create().then((loop) => {
  const ran: string[] = [];
  loop.addCallback(() => ran.push("callback"));
  loop.callLater(5, () => ran.push("timeout"));
  return { loop, ran, hostTimersBeforeStart: loop.stats().hostTimers };
});

async function moduleScope(): Promise<unknown> {
  const { loop, ran, hostTimersBeforeStart } = await moduleScopeLoop;
  await loop.run(() => new Promise<void>((resolve) => loop.callLater(10, resolve)));
  return { moduleScopeTimer, hostTimersBeforeStart, ran };
}

/** What workerd says to wasm compiled from bytes (the empty module).
 *  workers-types leaves compile() out of its WebAssembly, for this reason. */
async function compileBytes(): Promise<unknown> {
  const { compile } = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<unknown> };
  try {
    await compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    return { compiled: true };
  } catch (error) {
    return { compiled: false, error: String(error) };
  }
}

/** A clock that never moves, as Date.now() and performance.now() on Workers
 *  do while code runs: only the loop's own host timers can advance its time. */
const frozenClock: Clock = { now: () => 1000 };

async function frozenClockRun(): Promise<unknown> {
  const loop = await IOLoop.create({ clock: frozenClock });
  const ranIn: Record<string, number> = {};
  const at = (name: string) => () => { ranIn[name] = loop.stats().iterations; };
  const ticks: number[] = [];
  await loop.run(() => new Promise<void>((resolve) => {
    loop.callLater(0, at("zero"));
    loop.callLater(-5, at("past"));
    loop.callLater(30, at("thirty"));
    const periodic = new PeriodicCallback(loop, () => {
      ticks.push(loop.time());
      if (ticks.length === 5) { periodic.stop(); resolve(); }
    }, 20);
    periodic.start();
    ranIn.scheduledIn = loop.stats().iterations;
  }), { timeoutMs: 5000 });
  const { iterations, pendingTimeouts, hostTimers } = loop.stats();
  loop.close();
  return { ranIn, ticks, iterations, pendingTimeouts, hostTimers, time: loop.time() };
}

/** The demo's /ndjson handler fed by a body that counts what is pulled from
 *  it, with its response left unread for a while and then read whole: here
 *  the consumer is this code, not an HTTP client behind wrangler's proxies,
 *  which read responses eagerly. */
async function backpressure(ctx: ExecutionContext): Promise<unknown> {
  const line = new TextEncoder().encode(`${JSON.stringify({ id: "r", values: [1, 2, 3], pad: "p".repeat(100) })}\n`.repeat(100));
  const totalBytes = 8 << 20;
  let pulledBytes = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulledBytes >= totalBytes) return controller.close();
      controller.enqueue(line.slice());
      pulledBytes += line.byteLength;
    },
  }, { highWaterMark: 0 });
  const response = await transformNdjson(new Request("http://probe/ndjson", { method: "POST", body }), ctx);
  // Many turns of I/O, in which an upload without backpressure would run on.
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const pulledWhileUnread = pulledBytes;
  const output = await response.text();
  return { totalBytes, pulledWhileUnread, pulledAtEnd: pulledBytes, outputLines: output.split("\n").length - 1, inputLines: Math.ceil(totalBytes / line.byteLength) * 100 };
}

export default {
  async fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/compile-bytes") return Response.json(await compileBytes());
    if (pathname === "/backpressure") return Response.json(await backpressure(ctx));
    if (pathname === "/module-scope") return Response.json(await moduleScope());
    if (pathname === "/frozen-clock") return Response.json(await frozenClockRun());
    return new Response("not found", { status: 404 });
  },
};
