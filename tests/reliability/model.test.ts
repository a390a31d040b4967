// Model-based differential test: long random command
// sequences run against the real loop and against the model in model.ts;
// everything that ran, in order, and every call's result must agree, and
// every invariant in invariants.ts must hold after every step.
//
// On failure fast-check prints the seed, the path and the shrunk sequence.
// Replay one with  FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz.
// `npm test` runs MODEL_RUNS_IN_TEST sequences; `npm run fuzz` runs
// FUZZ_RUNS (default 5000) longer ones; each in four modes: plain and
// hostile (ops.ts, topOps), each also sliced, where the loop runs a list
// one entry per task and the commands fall between its slices (run.ts,
// SLICE_MS).

import fc from "fast-check";
import { describe, it } from "vitest";
import { topOps } from "./ops.js";
import { runAgainstModel, type Mode } from "./run.js";

const MODEL_RUNS_IN_TEST = 300;
const fuzzing = process.env.FUZZ !== undefined || process.env.FUZZ_RUNS !== undefined || process.env.FUZZ_SEED !== undefined;
const numRuns = fuzzing ? Number(process.env.FUZZ_RUNS ?? 5000) : MODEL_RUNS_IN_TEST;
const maxLength = fuzzing ? 600 : 200;

describe("the loop against its model", () => {
  it("agrees with the model on every random command sequence, and keeps every invariant after every step", async () => {
    await check({ hostile: false, sliced: false });
  }, fuzzing ? 3_600_000 : 60_000);

  // Hostile user code, clocks and sources: whatever they do, every entry
  // runs exactly once, is cancelled, or is reported dropped, every failure
  // is reported, and the loop keeps making progress.
  it("agrees with the model when user functions are revoked Proxies or return rejected promises, throwing thenables or revoked Proxies, the clock throws or reads garbage, and a source's close() throws", async () => {
    await check({ hostile: true, sliced: false });
  }, fuzzing ? 3_600_000 : 60_000);

  // Sliced: between two slices of a list, top-level code schedules,
  // cancels, refreshes, removes, stops; the list goes on in order, re-checks
  // each entry, takes nothing new in, and the loop stops only at its end.
  it("agrees with the model when lists are cut into slices of one entry and commands run between the slices", async () => {
    await check({ hostile: false, sliced: true });
  }, fuzzing ? 3_600_000 : 60_000);

  it("agrees with the model when lists run in slices and user code, the clock and a source are hostile", async () => {
    await check({ hostile: true, sliced: true });
  }, fuzzing ? 3_600_000 : 60_000);
});

async function check(mode: Mode): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(topOps(mode.hostile), { minLength: 1, maxLength, size: "max" }), (ops) => runAgainstModel(ops, mode)),
    {
      numRuns,
      seed: process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED),
      path: process.env.FUZZ_PATH,
      endOnFailure: process.env.FUZZ_PATH !== undefined,
    },
  );
}
