// A durable timeout's payload: what its task receives when it runs. It is
// stored as JSON text in the timeout's row, so it must be a JSON value:
// null, a boolean, a finite number, a string, or arrays and plain objects of
// these. (That is the part of the structured-clone set that comes back from
// JSON unchanged; a Date, a Map, undefined in an array, NaN or a cycle would
// not, so each is refused rather than stored as something else.)

import { describe } from "../validate.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The payload bound when none is given: far below a row's 2 MB limit, so
 *  that loading many timeouts back stays fast. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024;

const encoder = new TextEncoder();

/** The payload as stored: JSON text, or null for no payload. Throws a
 *  TypeError for a value that is not JSON, a RangeError past the bound. */
export function encodePayload(where: string, payload: unknown, maxBytes: number): string | null {
  if (payload === undefined) return null;
  checkJson(where, payload, "payload", new Set());
  const text = JSON.stringify(payload);
  const bytes = encoder.encode(text).length;
  if (bytes > maxBytes) {
    throw new RangeError(`${where}: payload is ${bytes} bytes of JSON, over maxPayloadBytes (${maxBytes})`);
  }
  return text;
}

export function decodePayload(text: string | null): JsonValue | undefined {
  return text === null ? undefined : JSON.parse(text) as JsonValue;
}

function checkJson(where: string, value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case "string": case "boolean": return;
    case "number":
      if (Number.isFinite(value)) return;
      throw new TypeError(`${where}: ${path} must be a finite number to be stored, got ${value}`);
    case "object": {
      if (value === null) return;
      const proto = Object.getPrototypeOf(value);
      const isArray = Array.isArray(value);
      if (!isArray && proto !== Object.prototype && proto !== null) {
        throw new TypeError(`${where}: ${path} must be JSON (plain objects and arrays), got ${describe(value)}`);
      }
      if (ancestors.has(value)) throw new TypeError(`${where}: ${path} refers back to itself (a cycle cannot be stored)`);
      ancestors.add(value);
      if (isArray) {
        for (let i = 0; i < value.length; i++) checkJson(where, value[i], `${path}[${i}]`, ancestors);
      } else {
        for (const key of Object.keys(value)) checkJson(where, (value as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
      }
      ancestors.delete(value);
      return;
    }
    default:
      throw new TypeError(`${where}: ${path} must be JSON, got ${describe(value)}`);
  }
}
