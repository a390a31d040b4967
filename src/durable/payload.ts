// A durable timeout's payload: what its task receives when it runs. It is
// stored as JSON text in the timeout's row, so it must be a JSON value:
// null, a boolean, a finite number, a string, or arrays and plain objects of
// these. (That is the part of the structured-clone set that comes back from
// JSON unchanged; a Date, a Map, undefined in an array, NaN or a cycle would
// not, so each is refused rather than stored as something else.)

import { describe, reasonOf } from "../validate.js";

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
  // Read again by JSON.stringify: a getter may throw the second time.
  const text = read(where, "payload", () => JSON.stringify(payload));
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
      const [proto, isArray] = read(where, path, () => [Object.getPrototypeOf(value), Array.isArray(value)] as const);
      if (!isArray && proto !== Object.prototype && proto !== null) {
        throw new TypeError(`${where}: ${path} must be JSON (plain objects and arrays), got ${describe(value)}`);
      }
      if (ancestors.has(value)) throw new TypeError(`${where}: ${path} refers back to itself (a cycle cannot be stored)`);
      ancestors.add(value);
      const object = value as Record<string, unknown>;
      if (isArray) {
        const length = read(where, path, () => (value as unknown[]).length);
        for (let i = 0; i < length; i++) checkJson(where, read(where, `${path}[${i}]`, () => object[i]), `${path}[${i}]`, ancestors);
      } else {
        for (const key of read(where, path, () => Object.keys(value))) {
          checkJson(where, read(where, `${path}.${key}`, () => object[key]), `${path}.${key}`, ancestors);
        }
      }
      ancestors.delete(value);
      return;
    }
    default:
      throw new TypeError(`${where}: ${path} must be JSON, got ${describe(value)}`);
  }
}

/** A read of the payload, where a getter or a Proxy (a revoked one throws
 *  on every read) may throw: that becomes the call's own TypeError, with
 *  what was thrown as its cause. */
function read<T>(where: string, path: string, get: () => T): T {
  try {
    return get();
  } catch (error) {
    throw new TypeError(`${where}: ${path} could not be read as JSON (${reasonOf(error)})`, { cause: error });
  }
}
