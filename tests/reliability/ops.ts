// The commands of the model-based test, as plain data (so that fast-check can
// shrink them and a failing sequence can be printed and replayed), and their
// generators.
//
// The same Op type serves at the top level (the test calls the loop) and in
// scripts (a callback, timeout or handler calls the loop while it runs).
// Handles and sources are chosen by index, so a command never names an object
// that only exists in one run.

import fc from "fast-check";

export type Script = Op[];

export type Op =
  | { op: "addCallback"; script: Script; withArgs: boolean }
  | { op: "callLater"; delayMs: number; script: Script }
  | { op: "callAt"; deadlineMs: number; script: Script }
  | { op: "cancel"; handle: number }
  | { op: "cancelNotOwn"; what: "null" | "undefined" | "foreign" }
  | { op: "refresh"; handle: number }
  | { op: "addHandler"; source: number; interest: number; script: Script }
  | { op: "updateHandler"; source: number; events: number }
  | { op: "removeHandler"; source: number }
  | { op: "setReady"; source: number; events: number }
  | { op: "clearReady"; source: number; events: number }
  | { op: "start" }
  | { op: "stop" }
  | { op: "close" }
  | { op: "throw" }
  // top level only: the host's side of the loop
  | { op: "turn" }
  | { op: "advance"; ms: number };

/** How many distinct sources the commands use: two numbers, two objects. */
export const SOURCE_COUNT = 4;

const delay: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 31 - 1, 2 ** 31, 1e15, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 0.5) },
  { weight: 2, arbitrary: fc.double() }, // any double, NaN and ±Infinity included
);

const events: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(1, 4, 5, 8, 9, 12, 13, 0) },
  { weight: 1, arbitrary: fc.constantFrom(2, 16, -1, 1.5, NaN, 255, 2 ** 32 + 1, -(2 ** 32) + 1) }, // not a mask: RangeError
);

const source = fc.integer({ min: 0, max: SOURCE_COUNT - 1 });
const handle = fc.nat({ max: 1000 });

/** Ops a running user function may perform; `depth` bounds how deep callbacks
 *  may schedule callbacks that schedule callbacks. */
function scriptOp(depth: number): fc.Arbitrary<Op> {
  const nested = depth > 0 ? script(depth - 1) : fc.constant([] as Script);
  return fc.oneof(
    fc.record({ op: fc.constant("addCallback" as const), script: nested, withArgs: fc.boolean() }),
    fc.record({ op: fc.constant("callLater" as const), delayMs: delay, script: nested }),
    fc.record({ op: fc.constant("cancel" as const), handle }),
    fc.record({ op: fc.constant("refresh" as const), handle }),
    fc.record({ op: fc.constant("removeHandler" as const), source }),
    fc.record({ op: fc.constant("updateHandler" as const), source, events }),
    fc.record({ op: fc.constant("setReady" as const), source, events }),
    fc.record({ op: fc.constant("clearReady" as const), source, events }),
    fc.constantFrom<Op>({ op: "stop" }, { op: "start" }, { op: "close" }, { op: "throw" }),
  );
}

export function script(depth: number): fc.Arbitrary<Script> {
  return fc.array(scriptOp(depth), { maxLength: 3 });
}

const userScript = script(2);

export const topOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant("addCallback" as const), script: userScript, withArgs: fc.boolean() }) },
  { weight: 16, arbitrary: fc.record({ op: fc.constant("callLater" as const), delayMs: delay, script: userScript }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("callAt" as const), deadlineMs: delay, script: userScript }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant("cancel" as const), handle }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("cancelNotOwn" as const), what: fc.constantFrom("null" as const, "undefined" as const, "foreign" as const) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("refresh" as const), handle }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant("addHandler" as const), source, interest: events, script: userScript }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("updateHandler" as const), source, events }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("removeHandler" as const), source }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant("setReady" as const), source, events }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("clearReady" as const), source, events }) },
  { weight: 24, arbitrary: fc.constant<Op>({ op: "turn" }) },
  {
    weight: 16,
    arbitrary: fc.record({
      op: fc.constant("advance" as const),
      ms: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 30 }) },
        { weight: 2, arbitrary: fc.integer({ min: -30, max: -1 }) }, // the clock going backwards
        { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 31, 1e12) }, // standing still, jumping far ahead
      ),
    }),
  },
  { weight: 8, arbitrary: fc.constant<Op>({ op: "start" }) },
  { weight: 4, arbitrary: fc.constant<Op>({ op: "stop" }) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: "close" }) },
);
