// Probes run in real workerd by tests/workers/probe.test.ts. Each route
// answers JSON: what the loop did, measured inside the Worker.
import { IOLoop, PeriodicCallback, type Clock } from "wasm-ioloop";

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

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/module-scope") return Response.json(await moduleScope());
    if (pathname === "/frozen-clock") return Response.json(await frozenClockRun());
    return new Response("not found", { status: 404 });
  },
};
