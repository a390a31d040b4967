// Model-based differential test (issue 7, point 2): long random command
// sequences run against the real loop and against the model in model.ts;
// everything that ran, in order, and every call's result must agree, and
// every invariant in invariants.ts must hold after every step.
//
// On failure fast-check prints the seed, the path and the shrunk sequence.
// Replay one with  FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz.
// `npm test` runs MODEL_RUNS_IN_TEST sequences; `npm run fuzz` runs
// FUZZ_RUNS (default 5000) longer ones.

import fc from "fast-check";
import { describe, it } from "vitest";
import { topOp } from "./ops.js";
import { runAgainstModel } from "./run.js";

const MODEL_RUNS_IN_TEST = 300;
const fuzzing = process.env.FUZZ !== undefined || process.env.FUZZ_RUNS !== undefined || process.env.FUZZ_SEED !== undefined;
const numRuns = fuzzing ? Number(process.env.FUZZ_RUNS ?? 5000) : MODEL_RUNS_IN_TEST;
const maxLength = fuzzing ? 600 : 200;

describe("the loop against its model", () => {
  it("agrees with the model on every random command sequence, and keeps every invariant after every step", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(topOp, { minLength: 1, maxLength, size: "max" }), (ops) => runAgainstModel(ops)),
      {
        numRuns,
        seed: process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED),
        path: process.env.FUZZ_PATH,
        endOnFailure: process.env.FUZZ_PATH !== undefined,
      },
    );
  }, fuzzing ? 3_600_000 : 60_000);
});
