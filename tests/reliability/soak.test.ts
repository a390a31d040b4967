// The soak: a short run in `npm test`, a long one with `npm run soak`
// (SOAK_OPS, default 5,000,000). Both print the table of checkpoints.

import { describe, expect, it } from "vitest";
import { formatTable, soak } from "./soak.js";

const SOAK_OPS_IN_TEST = 200_000;
const long = process.env.SOAK !== undefined;
const totalOps = long ? Number(process.env.SOAK_OPS ?? 5_000_000) : SOAK_OPS_IN_TEST;

describe("soak", () => {
  it(`runs ${totalOps} mixed operations: wasm memory flat once the live count is steady, slot tables bounded by the peak live count, every invariant holding`, async () => {
    const result = await soak(totalOps, Number(process.env.SOAK_SEED ?? 1));
    console.log(`soak: ${totalOps} operations\n${formatTable(result.rows)}\n${JSON.stringify(result.counts)}`);
    expect(result.violations).toEqual([]);
    // The live count is steady from the second checkpoint on (held at the
    // cap); the core's memory does not grow after that, and the host's slot
    // tables stay bounded by the live entries (below), however many
    // operations went through them.
    const steady = result.rows.slice(1);
    for (const row of steady) expect(row.wasmMemoryBytes).toBe(steady[0].wasmMemoryBytes);
    // A slot named in an iteration's list stays reserved until the next one,
    // so the tables hold at most the live entries plus one list, whose
    // entries were all live when it was decided: twice the peak.
    for (const row of result.rows) expect(row.hostSlots).toBeLessThanOrEqual(2 * row.peakLive);
    // The work really happened, and close() reported what was left.
    expect(result.counts.fired).toBeGreaterThan(totalOps / 20);
    expect(result.counts.cancelled).toBeGreaterThan(totalOps / 20);
    expect(result.counts.handlerCalls).toBeGreaterThan(totalOps / 50);
    expect(result.closeReport).toEqual(result.pendingAtClose);
  }, long ? 3_600_000 : 60_000);
});
