// What the real loop and the model share: each is a Side that applies an Op
// and says what came of it, and both run user functions with runUser, so the
// two logs can be compared line by line.

import type { Op, Script } from "./ops.js";
import { revoked } from "./revoked.js";

/** "ok", a returned value ("true", "false", "1/2/0"), or the name of the
 *  error thrown ("Error", "RangeError", "TypeError"). */
export type Outcome = string;

export interface Side {
  /** Everything that ran and what each call returned, in order. */
  readonly log: string[];
  apply(op: Op): Outcome;
}

export const ERROR_OUTCOMES = new Set(["Error", "RangeError", "TypeError", "LoopFailedError"]);

/** Thrown out of a user function that the script makes fail. */
export class ScriptedFailure extends Error {
  /** `later`: the rejection of a returned promise, reported once it settles. */
  constructor(readonly label: string, readonly later = false) { super(`scripted failure in ${label}`); }
}

/** What a hostile user function may return (the `return` op):
 *  rejected        a promise that rejects: reported once it settles, later;
 *  thenThrows      a thenable whose then() throws: reported at once;
 *  thenGetterThrows a thenable whose `then` getter throws: reported at once;
 *  revoked         a revoked Proxy (every touch throws): reported at once;
 *  resolved        a promise that fulfils: nothing to report. */
export type Returned = "rejected" | "thenThrows" | "thenGetterThrows" | "revoked" | "resolved";

/** True if the loop reports the returned value as a failure before the call
 *  it came from is over (the rest are reported later, or never). */
export function reportedAtOnce(value: Returned): boolean {
  return value === "thenThrows" || value === "thenGetterThrows" || value === "revoked";
}

export function hostileValue(value: Returned, label: string): unknown {
  switch (value) {
    case "rejected": return Promise.reject(new ScriptedFailure(label, true));
    case "resolved": return Promise.resolve(label);
    case "thenThrows": return { then() { throw new ScriptedFailure(label); } };
    case "thenGetterThrows": return { get then(): never { throw new ScriptedFailure(label); } };
    case "revoked": return revoked({});
  }
}

/** The body of every callback, timeout and handler in the test: logs that it
 *  ran, then performs its script; an op that fails, or `throw`, throws out of
 *  the user function (the loop must report it and go on); `return` ends it
 *  with what `onReturn` makes of the value named. */
export function runUser<R>(side: Side, label: string, header: string, script: Script, onReturn: (value: Returned) => R): R | undefined {
  side.log.push(header);
  for (const op of script) {
    if (op.op === "throw") throw new ScriptedFailure(label);
    if (op.op === "return") return onReturn(op.value);
    const outcome = side.apply(op);
    side.log.push(`  ${label}.${op.op}=${outcome}`);
    if (ERROR_OUTCOMES.has(outcome)) throw new ScriptedFailure(label);
  }
}

export const READ = 1, WRITE = 4, ERROR = 8, ALL_EVENTS = 13;

export function isEventMask(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= ALL_EVENTS && (value & ~ALL_EVENTS) === 0;
}
