// What the real loop and the model share: each is a Side that applies an Op
// and says what came of it, and both run user functions with runUser, so the
// two logs can be compared line by line.

import type { Op, Script } from "./ops.js";

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
  constructor(readonly label: string) { super(`scripted failure in ${label}`); }
}

/** The body of every callback, timeout and handler in the test: logs that it
 *  ran, then performs its script; an op that fails, or `throw`, throws out of
 *  the user function (the loop must report it and go on). */
export function runUser(side: Side, label: string, header: string, script: Script): void {
  side.log.push(header);
  for (const op of script) {
    if (op.op === "throw") throw new ScriptedFailure(label);
    const outcome = side.apply(op);
    side.log.push(`  ${label}.${op.op}=${outcome}`);
    if (ERROR_OUTCOMES.has(outcome)) throw new ScriptedFailure(label);
  }
}

export const READ = 1, WRITE = 4, ERROR = 8, ALL_EVENTS = 13;

export function isEventMask(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= ALL_EVENTS && (value & ~ALL_EVENTS) === 0;
}
