// Runs one command sequence against the real loop and the model in lockstep,
// and throws at the first step where they disagree or an invariant breaks.
//
// Each step: the model first, then the loop (so that when the loop arms its
// host timer, the model's time says which deadline that is); then the two
// logs are compared, the counts and the time are compared, the invariant
// checker runs, and the wake-up is checked: a running loop with due work must
// have asked to be woken (a macrotask, or its one host timer no later than
// the earliest deadline); so must a loop whose list is open between two
// slices (a macrotask).

import { VirtualClock } from "../../src/time/virtual-clock.js";
import { createLoop } from "../host/helpers.js";
import { InvariantChecker } from "./invariants.js";
import { ManualClock } from "./manual-clock.js";
import { Model } from "./model.js";
import type { Op } from "./ops.js";
import { RealSide } from "./real.js";

/** Host timer firings one `advance` step may cause: a timeout that schedules
 *  a due timeout re-arms a zero-delay timer; scripts are at most 3 deep. */
const MAX_FIRINGS_PER_STEP = 50;

/** After the sequence: wake-ups run to show the loop still makes progress
 *  (more in sliced mode, where a list takes a wake-up per entry), and how far
 *  ahead a host timer may be for the test to wait for it. */
const DRAIN_ROUNDS = 20, DRAIN_ROUNDS_SLICED = 100;
const DRAIN_REACH_MS = 1e6;

/** Turns the test may take, after stop(), for an open list to run out before
 *  close() (far more than any list in the test holds). */
const MAX_SLICES_AT_CLOSE = 10_000;

/** The sliceMs of sliced mode. The test's clock stands still while a task
 *  runs. The loop reads it when a slice begins and after the slice's first
 *  entry, then after every entry while entries take under sliceMs / 16 (0
 *  here, so never: the stride stays 1), and cuts once a reading is at least
 *  the first plus sliceMs. With the clock standing still that holds exactly
 *  when reading + sliceMs rounds to the reading: with MIN_VALUE, at every
 *  finite reading but ±0 (0 + MIN_VALUE is MIN_VALUE itself: a list run at
 *  clock 0 is not cut), so each such slice is one entry, deterministically.
 *  A larger sliceMs would cut only at readings so large that adding it
 *  rounds away. The model applies the same rule (model.ts, runSlice). */
export const SLICE_MS = Number.MIN_VALUE;

/** What the loop is run with: hostile user code and clocks (ops.ts,
 *  topOps), and lists run in slices (SLICE_MS). */
export interface Mode { hostile: boolean; sliced: boolean }

export class Divergence extends Error {
  constructor(step: number, op: Op | undefined, what: string, model: string[], real: string[]) {
    super(`step ${step} ${op ? JSON.stringify(op) : "(end)"}: ${what}\n  model: ${model.slice(-12).join(" | ")}\n  real:  ${real.slice(-12).join(" | ")}`);
    this.name = "Divergence";
  }
}

export async function runAgainstModel(ops: readonly Op[], { sliced }: Pick<Mode, "sliced"> = { sliced: false }): Promise<void> {
  const clock = new ManualClock(0);
  const sliceMs = sliced ? SLICE_MS : Infinity;
  const model = new Model(() => (clock.fault === "none" ? clock.hostNow() : undefined), sliceMs);
  clock.loopDeadlineFor = (delayMs) => model.time() + delayMs;
  let side: RealSide | undefined;
  const loop = await createLoop({ clock, sliceMs, onError: (context) => side!.onError(context) });
  const other = await createLoop({ clock: new VirtualClock() });
  const checker = new InvariantChecker(loop);
  side = new RealSide(loop, other.callLater(1, () => {}), checker);
  const real = side;
  real.clockBroken = () => clock.fault === "throw";
  let compared = 0;
  const afterStep = (): void => checker.afterStep({ callbacks: model.listedCallbacks, timeouts: model.listedTimeouts });

  const check = (step: number, op: Op | undefined): void => {
    const fail = (what: string) => { throw new Divergence(step, op, what, model.log, real.log); };
    for (; compared < Math.max(model.log.length, real.log.length); compared++) {
      if (model.log[compared] !== real.log[compared]) {
        fail(`log line ${compared}: model "${model.log[compared]}", real "${real.log[compared]}"`);
      }
    }
    if (checker.violations.length) fail(checker.violations.join("; "));
    if (loop.running !== model.running || loop.closed !== model.closed) {
      fail(`running/closed: model ${model.running}/${model.closed}, real ${loop.running}/${loop.closed}`);
    }
    // A clock that throws is reported at each reading; one that reads
    // garbage is not (its time stands still either way).
    const reports = real.clockReports;
    const time = loop.time();
    if (clock.fault === "throw" && real.clockReports === reports) fail("a clock that throws was read and not reported");
    if (clock.fault !== "throw" && real.clockReports !== reports) fail("a clock that works was reported");
    if (time !== model.time()) fail(`time: model ${model.time()}, real ${time}`);
    if (!model.closed) {
      const stats = loop.stats();
      const expected = [model.pendingTimeouts, model.queuedCallbacks, model.handlerCount, model.readySources];
      const actual = [stats.pendingTimeouts, stats.queuedCallbacks, stats.handlers, stats.readySources];
      if (expected.join() !== actual.join()) fail(`stats (timeouts, callbacks, handlers, ready): model ${expected}, real ${actual}`);
    }
    if (clock.armedTimers > 1) fail(`${clock.armedTimers} host timers armed`);
    if (!model.running && clock.armedTimers > 0) fail("a loop that is not running keeps a host timer armed");
    if (model.wantsTurn() && clock.queuedMacrotasks === 0) fail("lost wake-up: work is ready but no macrotask is queued");
    const earliest = model.earliestDeadline();
    if (model.running && !model.wantsTurn() && earliest < Infinity && clock.queuedMacrotasks === 0) {
      const timer = clock.armedTimer;
      const needed = Math.max(earliest, model.time());
      if (!timer || timer.loopDeadline > needed) {
        fail(`lost wake-up: earliest deadline ${earliest}, host timer ${timer ? `for ${timer.loopDeadline}` : "not armed"}`);
      }
    }
  };

  const fireDueTimers = (): void => {
    for (let i = 0; i < MAX_FIRINGS_PER_STEP; i++) {
      const timer = clock.dueTimer();
      if (!timer) break;
      model.timerFired(timer.loopDeadline);
      clock.fire(timer);
    }
  };

  for (let step = 0; step < ops.length; step++) {
    const op = ops[step];
    if (op.op === "turn") {
      if (clock.queuedMacrotasks > 0) model.macrotaskRan();
      clock.turn();
    } else if (op.op === "advance") {
      clock.set(clock.hostNow() + op.ms);
      fireDueTimers();
    } else if (op.op === "clock") {
      clock.fault = op.fault;
    } else {
      model.log.push(`> ${op.op}=${model.apply(op)}`);
      real.log.push(`> ${op.op}=${real.apply(op)}`);
    }
    afterStep();
    check(step, op);
  }

  // Progress, whatever came before: with the clock mended, a running loop
  // runs what is queued and, time passing, what falls due, as the model says.
  clock.fault = "none";
  for (let round = 0; round < (sliced ? DRAIN_ROUNDS_SLICED : DRAIN_ROUNDS) && model.running; round++) {
    if (clock.queuedMacrotasks > 0) {
      model.macrotaskRan();
      clock.turn();
    } else {
      const timer = clock.armedTimer;
      if (!timer || timer.at > clock.hostNow() + DRAIN_REACH_MS) break;
      clock.set(Math.max(clock.hostNow(), timer.at));
      fireDueTimers();
    }
    afterStep();
    check(ops.length + round, undefined);
  }

  // Every start() promise settles when its run ends, and only then; every
  // returned promise that rejects is reported once it settles.
  await new Promise((resolve) => setImmediate(resolve));
  const later = (list: string[]) => [...list].sort().join(",");
  if (later(model.laterReports) !== later(real.laterReports)) {
    throw new Divergence(ops.length, undefined, `rejections reported: model ${later(model.laterReports)}, real ${later(real.laterReports)}`, model.log, real.log);
  }
  const open = checker.startPromises.filter((p) => !p.settled).length;
  if (open !== (loop.running ? 1 : 0)) {
    throw new Divergence(ops.length, undefined, `${open} start() promises unsettled, loop running: ${loop.running}`, model.log, real.log);
  }
  const rejected = checker.startPromises.find((p) => p.rejected !== undefined);
  if (rejected) throw new Divergence(ops.length, undefined, `start() rejected: ${String(rejected.rejected)}`, model.log, real.log);
  // A list left open stops the loop only at its end: run its slices out.
  loop.stop();
  for (let i = 0; i < MAX_SLICES_AT_CLOSE && loop.running; i++) clock.turn();
  loop.close();
  other.close();
}
