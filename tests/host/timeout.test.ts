// The Timeout handle (issue 2, section 4): cancel() and refresh().
import { describe, expect, it } from "vitest";
import { runningLoop } from "./helpers.js";

describe("Timeout", () => {
  it("cancel() returns true when it removed a pending timeout, which then never runs", async () => {
    const { loop, clock } = await runningLoop();
    let ran = false;
    const t = loop.callLater(5, () => { ran = true; });
    expect(t.pending).toBe(true);
    expect(t.cancel()).toBe(true);
    expect(t.pending).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(0);
    await clock.advance(10);
    expect(ran).toBe(false);
    loop.checkInvariants();
  });

  it("cancel() returns false for a timeout already cancelled or already fired", async () => {
    const { loop, clock } = await runningLoop();
    const cancelled = loop.callLater(5, () => {});
    cancelled.cancel();
    expect(cancelled.cancel()).toBe(false);
    const fired = loop.callLater(1, () => {});
    await clock.advance(1);
    expect(fired.cancel()).toBe(false);
  });

  it("cancel() from the timeout's own call returns false: it is no longer pending", async () => {
    const { loop, clock } = await runningLoop();
    let result: boolean | undefined;
    const t = loop.callLater(1, () => { result = t.cancel(); });
    await clock.advance(1);
    expect(result).toBe(false);
  });

  it("refresh() moves the deadline to now plus the original delay and keeps the handle", async () => {
    const { loop, clock } = await runningLoop();
    const firedAt: number[] = [];
    const t = loop.callLater(10, () => firedAt.push(loop.time()));
    await clock.advance(6);
    t.refresh();
    expect(t.deadline).toBe(16);
    expect(t.pending).toBe(true);
    await clock.advance(9); // now 15: the old deadline, 10, has passed
    expect(firedAt).toEqual([]);
    await clock.advance(1);
    expect(firedAt).toEqual([16]);
    loop.checkInvariants();
  });

  it("refresh() of a pending timeout leaves one entry, however often it is refreshed", async () => {
    const { loop, clock } = await runningLoop();
    let fired = 0;
    const t = loop.callLater(10, () => fired++);
    for (let i = 0; i < 1000; i++) {
      await clock.advance(1);
      t.refresh();
      expect(loop.stats().pendingTimeouts).toBe(1);
    }
    loop.checkInvariants();
    expect(fired).toBe(0);
    await clock.advance(10);
    expect(fired).toBe(1);
  });

  it("a refreshed timeout is ordered after those already scheduled for its new deadline", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    const x = loop.callLater(10, () => ran.push("x"));
    await clock.advance(2);
    loop.callAt(12, () => ran.push("y"));
    x.refresh(); // deadline 12, like y, but refreshed after y was scheduled
    await clock.advance(10);
    expect(ran).toEqual(["y", "x"]);
  });

  it("refresh() of a timeout that fired schedules it again, with the same handle", async () => {
    const { loop, clock } = await runningLoop();
    let fired = 0;
    const t = loop.callLater(10, () => fired++);
    await clock.advance(10);
    expect(fired).toBe(1);
    expect(t.pending).toBe(false);
    await clock.advance(5);
    t.refresh();
    expect(t.pending).toBe(true);
    expect(t.deadline).toBe(25);
    await clock.advance(10);
    expect(fired).toBe(2);
    expect(t.cancel()).toBe(false);
  });

  it("refresh() from the timeout's own call schedules it again (the repeating-timer idiom)", async () => {
    const { loop, clock } = await runningLoop();
    const firedAt: number[] = [];
    const t = loop.callLater(10, () => { firedAt.push(loop.time()); if (firedAt.length < 3) t.refresh(); });
    await clock.advance(100);
    expect(firedAt).toEqual([10, 20, 30]);
  });

  it("refresh() of a cancelled timeout does nothing", async () => {
    const { loop, clock } = await runningLoop();
    let fired = 0;
    const t = loop.callLater(10, () => fired++);
    t.cancel();
    t.refresh();
    expect(t.pending).toBe(false);
    expect(loop.stats().pendingTimeouts).toBe(0);
    await clock.advance(100);
    expect(fired).toBe(0);
  });

  it("refresh() by an earlier entry of the iteration in which the timeout is due defers it", async () => {
    const { loop, clock } = await runningLoop();
    const ran: string[] = [];
    let late: ReturnType<typeof loop.callLater> | undefined;
    loop.callLater(5, () => { ran.push("first"); late!.refresh(); });
    late = loop.callLater(5, () => ran.push(`late@${loop.time()}`));
    await clock.advance(5);
    expect(ran).toEqual(["first"]);
    await clock.advance(5);
    expect(ran).toEqual(["first", "late@10"]);
    loop.checkInvariants();
  });

  it("refresh() keeps the arguments the timeout was scheduled with", async () => {
    const { loop, clock } = await runningLoop();
    const seen: unknown[][] = [];
    const t = loop.callLater(1, (...args: unknown[]) => seen.push(args), "a", 2);
    await clock.advance(1);
    t.refresh();
    await clock.advance(1);
    expect(seen).toEqual([["a", 2], ["a", 2]]);
  });

  it("refresh() of a callAt timeout re-arms with the delay it had when scheduled", async () => {
    const { loop, clock } = await runningLoop();
    await clock.advance(3);
    const t = loop.callAt(10, () => {}); // delay 7
    await clock.advance(2);
    t.refresh();
    expect(t.deadline).toBe(12);
  });
});
