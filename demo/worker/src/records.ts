// The demo's NDJSON transform, one line at a time: each input line is a
// record {"id": ..., "values": [numbers]}; each output line is
// {"line": n, "id": ..., "count": ..., "sum": ...}, or, for a line that is
// not such a record, {"line": n, "error": "..."}: a bad line is reported in
// the output and the stream goes on.

export interface RecordSummary { line: number; id: unknown; count: number; sum: number }
export interface LineError { line: number; error: string }

/** The output for input line `line` (1-based), without its newline. */
export function summarize(text: string, line: number): RecordSummary | LineError {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    return { line, error: `malformed JSON: ${(error as Error).message}` };
  }
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    return { line, error: `expected an object {"id", "values"}, got ${describe(record)}` };
  }
  const { id, values } = record as { id?: unknown; values?: unknown };
  if (!Array.isArray(values) || !values.every((v) => typeof v === "number")) {
    return { line, error: `"values" must be an array of numbers, got ${describe(values)}` };
  }
  let sum = 0;
  for (const v of values as number[]) sum += v;
  return { line, id, count: values.length, sum };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value === "undefined" ? "nothing" : `a ${typeof value}`;
}
