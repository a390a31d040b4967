// The loop's host timer, as this runtime gets it: plain setTimeout on Node
// (which does not clamp nested timers), scheduler.postTask in Chromium (free
// of the nesting clamp); and in both, a cleared timer never fires, with no
// unhandled rejection from an aborted task. (Whether the wake-ups really
// escape the clamp is timed in tests/pages/wakeups.test.ts.)
import { describe, expect, it } from "vitest";
import { hostTimer, hostTimerKind } from "../../src/time/host-timer.js";

const inPage = typeof document === "object";

describe("the host timer", () => {
  it(`is ${inPage ? "scheduler.postTask in Chromium" : "plain setTimeout on Node"}`, () => {
    expect(hostTimerKind()).toBe(inPage ? "postTask" : "setTimeout");
  });

  it("fires once when armed, never once cleared, and takes fractional delays", async () => {
    const fired: string[] = [];
    const timer = hostTimer();
    const cleared = timer.setTimer(() => fired.push("cleared"), 0.4);
    timer.clearTimer(cleared);
    await new Promise<void>((resolve) => timer.setTimer(() => { fired.push("armed"); resolve(); }, 1.6));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toEqual(["armed"]);
  });
});
