// Argument checks shared by the sources and IOStream (src/validate.ts has
// the loop's). Messages name the function and the argument.

import { describe, isInstance } from "../validate.js";

/** A whole number of bytes: at least 1, or at least 0 with allowZero. */
export function checkByteCount(where: string, name: string, value: unknown, allowZero = false): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    const least = allowZero ? "a non-negative" : "a positive";
    throw new RangeError(`${where}: ${name} must be ${least} whole number of bytes, got ${describe(value)}`);
  }
}

/** Bytes a caller may hand over: a Uint8Array (or any view), an ArrayBuffer,
 *  or a string (sent as UTF-8). */
export function toBytes(where: string, name: string, value: unknown): Uint8Array {
  if (isInstance(value, Uint8Array)) return value;
  if (typeof value === "string") return encoder.encode(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (isInstance(value, ArrayBuffer)) return new Uint8Array(value);
  throw new TypeError(`${where}: ${name} must be a Uint8Array, an ArrayBuffer or a string, got ${describe(value)}`);
}

export const encoder = new TextEncoder();
