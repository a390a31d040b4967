// Which ids are small integers: below 2^30, V8 keeps a number unboxed
// everywhere (in an array, a field, an argument), where a larger one is a
// heap number of its own. The first loop of a process (the first core's
// lane) issues a slot's first 256 ids below 2^30; every other lane a slot's
// first. Whatever their size, no id is issued twice and a spent one is
// refused. This file must open the process's first loop: keep it apart.
import { afterAll, describe, expect, it } from "vitest";
import { IOLoop, type Timeout } from "../../src/index.js";
import { VirtualClock } from "../../src/time/virtual-clock.js";
import { freshDebugModule } from "./helpers.js";

const SMALL = 2 ** 30;
const SLOTS = 100;

/** Schedules SLOTS timeouts, then cancels each and schedules again, for
 *  `generations` ids per slot in all; returns the ids by generation. */
function churn(loop: IOLoop, generations: number): Timeout[][] {
  const byGeneration: Timeout[][] = [];
  let live: Timeout[] = [];
  for (let g = 0; g < generations; g++) {
    for (const id of live) loop.removeTimeout(id);
    live = Array.from({ length: SLOTS }, () => loop.callLater(60_000, () => {}));
    byGeneration.push(live);
  }
  return byGeneration;
}

function refusesAll(loop: IOLoop, ids: Timeout[]): boolean {
  return ids.every((id) => !loop.removeTimeout(id) && !loop.refreshTimeout(id) && loop.deadlineOf(id) === undefined);
}

describe("small ids", () => {
  // Open across the tests (createLoop's would be closed after each).
  let module: WebAssembly.Module;
  let first: IOLoop, second: IOLoop;
  afterAll(() => { first?.close(); second?.close(); });

  it("the first loop issues a slot's first 256 ids below 2^30, and none below 2^21", async () => {
    module = await freshDebugModule();
    first = await IOLoop.create({ module, clock: new VirtualClock() });
    const ids = churn(first, 257);
    const small = ids.slice(0, 256).flat();
    expect(small.every((id) => Number.isInteger(id) && id >= 2 ** 21 && id < SMALL)).toBe(true);
    expect(ids[256]!.every((id) => id >= SMALL)).toBe(true);
    expect(new Set(ids.flat()).size).toBe(257 * SLOTS);
    expect(refusesAll(first, small)).toBe(true);
    expect(ids[256]!.every((id) => first.deadlineOf(id) === 60_000)).toBe(true);
    first.checkInvariants();
  });

  it("a second loop issues a slot's first id below 2^30 and its next past it; neither loop takes the other's ids", async () => {
    second = await IOLoop.create({ module, clock: new VirtualClock() });
    const ids = churn(second, 3);
    expect(ids[0]!.every((id) => id >= 2 ** 29 && id < SMALL)).toBe(true);
    expect(ids.slice(1).flat().every((id) => Number.isInteger(id) && id >= SMALL)).toBe(true);
    const firstLive = churn(first, 1)[0]!;
    expect(refusesAll(second, firstLive)).toBe(true);
    expect(refusesAll(first, ids.flat())).toBe(true);
    expect(first.stats().pendingTimeouts).toBe(SLOTS * 2);
    expect(second.stats().pendingTimeouts).toBe(SLOTS);
  });

  it("the next loop takes the first loop's core back, whichever loop closed first", async () => {
    second.close();
    first.close();
    const third = await IOLoop.create({ module, clock: new VirtualClock() });
    // Past the slots the first loop reused 256 times: slots it used once or
    // never, whose next ids on the first lane are below 2^29 (on any
    // other, past 2^29).
    const fresh = Array.from({ length: 3 * SLOTS }, () => third.callLater(60_000, () => {})).slice(SLOTS);
    expect(fresh.every((id) => id >= 2 ** 21 && id < 2 ** 29)).toBe(true);
    third.close();
  });
});
