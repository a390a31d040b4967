// The commands of the model-based test, as plain data (so that fast-check can
// shrink them and a failing sequence can be printed and replayed), and their
// generators.
//
// The same Op type serves at the top level (the test calls the loop) and in
// scripts (a callback, timeout or handler calls the loop while it runs).
// Handles and sources are chosen by index, so a command never names an object
// that only exists in one run.

import fc from "fast-check";
import type { ClockFault } from "./manual-clock.js";
import type { Returned } from "./side.js";

export type Script = Op[];

/** How a user function is given to the loop: as itself, or (hostile mode)
 *  as a revoked Proxy of itself, which throws when called. */
export type Given = "fn" | "revoked";

export type Op =
  | { op: "addCallback"; script: Script; withArgs: boolean; given?: Given }
  | { op: "callLater"; delayMs: number; script: Script; given?: Given }
  | { op: "callAt"; deadlineMs: number; script: Script; given?: Given }
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
  | { op: "close"; closeSources?: boolean }
  | { op: "throw" }
  // scripts only: the user function returns this value (side.ts, Returned)
  | { op: "return"; value: Returned }
  // top level only: the host's side of the loop
  | { op: "turn" }
  | { op: "advance"; ms: number }
  // top level, hostile mode: what the clock's now() does from here on
  | { op: "clock"; fault: ClockFault };

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

const returned = fc.constantFrom<Returned>("rejected", "thenThrows", "thenGetterThrows", "revoked", "resolved");
const given = fc.constantFrom<Given>("fn", "fn", "fn", "revoked");

/** Ops a running user function may perform; `depth` bounds how deep callbacks
 *  may schedule callbacks that schedule callbacks. In hostile mode a function
 *  may also be given as a revoked Proxy, or return a hostile value. */
function scriptOp(depth: number, hostile: boolean): fc.Arbitrary<Op> {
  const nested = depth > 0 ? script(depth - 1, hostile) : fc.constant([] as Script);
  const fnGiven = hostile ? given : fc.constant<Given>("fn");
  const ops: fc.Arbitrary<Op>[] = [
    fc.record({ op: fc.constant("addCallback" as const), script: nested, withArgs: fc.boolean(), given: fnGiven }),
    fc.record({ op: fc.constant("callLater" as const), delayMs: delay, script: nested, given: fnGiven }),
    fc.record({ op: fc.constant("cancel" as const), handle }),
    fc.record({ op: fc.constant("refresh" as const), handle }),
    fc.record({ op: fc.constant("removeHandler" as const), source }),
    fc.record({ op: fc.constant("updateHandler" as const), source, events }),
    fc.record({ op: fc.constant("setReady" as const), source, events }),
    fc.record({ op: fc.constant("clearReady" as const), source, events }),
    fc.constantFrom<Op>({ op: "stop" }, { op: "start" }, { op: "close" }, { op: "throw" }),
  ];
  if (hostile) ops.push(fc.record({ op: fc.constant("return" as const), value: returned }));
  return fc.oneof(...ops);
}

export function script(depth: number, hostile = false): fc.Arbitrary<Script> {
  return fc.array(scriptOp(depth, hostile), { maxLength: 3 });
}

/** The commands the test runs. Hostile mode adds user functions given as
 *  revoked Proxies or returning hostile values, a clock that throws or reads
 *  NaN or a string, and close({ closeSources: true }) over a source whose
 *  close() throws. */
export function topOps(hostile: boolean): fc.Arbitrary<Op> {
  const userScript = script(2, hostile);
  const fnGiven = hostile ? given : fc.constant<Given>("fn");
  const arbitraries = [
    { weight: 12, arbitrary: fc.record({ op: fc.constant("addCallback" as const), script: userScript, withArgs: fc.boolean(), given: fnGiven }) },
    { weight: 16, arbitrary: fc.record({ op: fc.constant("callLater" as const), delayMs: delay, script: userScript, given: fnGiven }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("callAt" as const), deadlineMs: delay, script: userScript, given: fnGiven }) },
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
    { weight: 1, arbitrary: hostile ? fc.record({ op: fc.constant("close" as const), closeSources: fc.boolean() }) : fc.constant<Op>({ op: "close" }) },
  ];
  if (hostile) {
    // Mostly a working clock, so that time still moves between the faults.
    arbitraries.push({ weight: 6, arbitrary: fc.record({ op: fc.constant("clock" as const), fault: fc.constantFrom<ClockFault>("none", "none", "throw", "NaN", "string") }) });
  }
  return fc.oneof(...arbitraries);
}

export const topOp: fc.Arbitrary<Op> = topOps(false);
