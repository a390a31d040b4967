// src/runtime/workerd.ts in real workerd: the core loads from an imported
// module, and a loop made at module scope touches no host timer.
import { describe, expect, inject, it } from "vitest";

const probe = inject("probeUrl");

async function getJson(path: string): Promise<any> {
  const response = await fetch(`${probe}${path}`);
  expect(response.status).toBe(200);
  return response.json();
}

describe("the workerd entry", () => {
  it("workerd refuses to compile wasm from bytes, which is why the entry imports core.wasm", async () => {
    const { compiled, error } = await getJson("/compile-bytes");
    expect(compiled).toBe(false);
    expect(error).toMatch(/Wasm code generation disallowed by embedder/);
  });

  it("workerd forbids timers at module scope, so the module-scope check can fail", async () => {
    const { moduleScopeTimer } = await getJson("/module-scope");
    expect(moduleScopeTimer).toMatch(/Disallowed operation called within global scope/);
  });

  it("a loop created and given work at module scope arms no host timer until it runs", async () => {
    const { hostTimersBeforeStart, ran } = await getJson("/module-scope");
    expect(hostTimersBeforeStart).toBe(0);
    // What was scheduled at module scope ran once the loop ran in a request.
    expect(ran).toEqual(["callback", "timeout"]);
  });
});

describe("a frozen clock (as Workers' clock stands still while code runs)", () => {
  it("due timeouts run on the next turn and later ones after one host timer each, without spinning", async () => {
    const { ranIn, ticks, iterations, pendingTimeouts, hostTimers, time } = await getJson("/frozen-clock");
    // Scheduled in iteration 1 (run's callback); a zero and a negative delay
    // are due at once and run in the very next iteration.
    expect(ranIn.scheduledIn).toBe(1);
    expect(ranIn.past).toBe(2);
    expect(ranIn.zero).toBe(2);
    // The clock never moves: the loop's time advances only by the host
    // timers that fired, so a periodic callback lands exactly on its grid.
    expect(ticks).toEqual([1020, 1040, 1060, 1080, 1100]);
    expect(time).toBe(1100);
    expect(ranIn.thirty).toBeGreaterThan(2);
    // Two iterations at the start, one per host timer (20, 30, 40, 60, 80,
    // 100): a loop that spun waiting for the clock would count thousands.
    expect(iterations).toBeLessThanOrEqual(10);
    expect(pendingTimeouts).toBe(0);
    expect(hostTimers).toBe(0);
  });
});
