// Backs the bad-input table for wasm-ioloop/durable's constructor: a
// DurableTimeouts with options of the wrong kind, a revoked Proxy included,
// is refused with its own TypeError naming the option, before it touches
// the object's storage (so a bare object stands in for the Durable Object's
// state here; the storage itself is exercised in real workerd, tests/workers).
import { describe, expect, it } from "vitest";
import { AlarmClock, DurableTimeouts } from "../../src/durable/index.js";
import { createLoop } from "../host/helpers.js";

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An AlarmClock over storage that is never reached: the refusals come first. */
const clock = new AlarmClock({} as never);
const noState = {} as never;

describe("new DurableTimeouts(ctx, { loop, clock, tasks })", () => {
  it("refuses a loop, clock or tasks of the wrong kind, a revoked Proxy included, with its own TypeError naming it", async () => {
    const loop = await createLoop({ clock });
    const tasks = { run: () => {} };
    const cases: [object, RegExp][] = [
      [{ loop: revoked(), clock, tasks }, /^DurableTimeouts: loop must be an IOLoop, got a revoked Proxy$/],
      [{ loop: {}, clock, tasks }, /^DurableTimeouts: loop must be an IOLoop, got an object \(Object\)$/],
      [{ loop, clock: revoked(), tasks }, /^DurableTimeouts: clock must be the AlarmClock the loop was created with, got a revoked Proxy$/],
      [{ loop, clock, tasks: revoked() }, /^DurableTimeouts: tasks must be an object of functions, got a revoked Proxy$/],
      [{ loop, clock, tasks: 5 }, /^DurableTimeouts: tasks must be an object of functions, got 5$/],
      [{ loop, clock, tasks: { run: 5 } }, /^DurableTimeouts: tasks\.run must be a function, got 5$/],
    ];
    for (const [options, message] of cases) expect(() => new DurableTimeouts(noState, options as never)).toThrow(message);
  });
});
