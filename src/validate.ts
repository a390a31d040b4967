// Argument checks for the public API. Each throws a TypeError or RangeError
// whose message names the function and the argument, before anything is
// enqueued: bad input never reaches the core.

import { ALL_EVENTS } from "./events.js";

export function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (value === null) return "null";
  if (typeof value === "object") {
    return isRevokedProxy(value) ? "a revoked Proxy" : `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  }
  return String(value);
}

/** True for a revoked Proxy: it throws on every touch, toString's tag
 *  lookup included (an ordinary object never does; a live Proxy may, through
 *  its own traps, and is then taken for revoked too: unusable either way). */
function isRevokedProxy(value: object): boolean {
  try {
    Object.prototype.toString.call(value);
    return false;
  } catch {
    return true;
  }
}

/** `value instanceof type`, false where instanceof would throw (it reads
 *  the prototype of what may be a revoked Proxy): argument checks then say
 *  what was expected, not what the engine could not do. */
export function isInstance<T>(value: unknown, type: Function & { prototype: T }): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

export function checkFunction(where: string, name: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") {
    throw new TypeError(`${where}: ${name} must be a function, got ${describe(value)}`);
  }
}

/** Any number but NaN: negative means "in the past", Infinity means never. */
export function checkTime(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${where}: ${name} must be a number of milliseconds, got ${describe(value)}`);
  }
  if (Number.isNaN(value)) throw new RangeError(`${where}: ${name} must not be NaN`);
}

/** A finite number: for times that must not be NaN or infinite. */
export function checkFinite(where: string, name: string, value: unknown): asserts value is number {
  checkTime(where, name, value);
  if (!Number.isFinite(value)) throw new RangeError(`${where}: ${name} must be finite, got ${value}`);
}

export function checkPositive(where: string, name: string, value: unknown, unit = "milliseconds"): asserts value is number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a positive finite number of ${unit}, got ${describe(value)}`);
  }
}

export function checkEvents(where: string, name: string, value: unknown): asserts value is number {
  // The range check first: `&` truncates to 32 bits, so 2^32 + READ alone
  // would pass as READ.
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > ALL_EVENTS
    || (value & ~ALL_EVENTS) !== 0) {
    throw new RangeError(`${where}: ${name} must be a mask of READ, WRITE and ERROR, got ${describe(value)}`);
  }
}

/** A source is a non-negative integer or an object (a built-in Source or a
 *  user's own). */
export function checkSource(where: string, value: unknown): void {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0) return;
  } else if ((typeof value === "object" && value !== null) || typeof value === "function") {
    return;
  }
  throw new TypeError(`${where}: source must be a non-negative integer or an object, got ${describe(value)}`);
}

export function checkBoolean(where: string, name: string, value: unknown): asserts value is boolean {
  if (typeof value !== "boolean") throw new TypeError(`${where}: ${name} must be a boolean, got ${describe(value)}`);
}

/** True for an object (not null) whose every `names` is a function: how a
 *  value is recognised by what it can do (a clock, a socket, a source). */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  if (value === null || typeof value !== "object") return false;
  // A property that cannot be read (a revoked Proxy, a throwing getter) is
  // not a method: the caller's message says what was expected.
  try {
    return names.every((name) => typeof (value as Record<string, unknown>)[name] === "function");
  } catch {
    return false;
  }
}

/** True for what a user function may return to say "wait for me": a promise
 *  or any thenable (an object or a function with a then() method, as
 *  Promise resolution defines it). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function")
    && typeof (value as PromiseLike<unknown>).then === "function";
}

/** Every option an options type has, each named once: written as an object
 *  (not a list) so that the compiler holds it to the type, and an option
 *  added to the type but not here fails to compile. */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

/** An options bag: undefined, or an object whose every own key is one of
 *  `names`. A misspelt option would otherwise be ignored without a word, and
 *  the default used in its place. */
export function checkOptions<T>(where: string, value: unknown, names: OptionNames<T>): asserts value is T | undefined {
  if (value === undefined) return;
  let keys: string[] | undefined;
  try {
    if (typeof value === "object" && value !== null && !isRevokedProxy(value)) keys = Object.keys(value);
  } catch { /* a Proxy whose ownKeys throws: unusable, as below */ }
  if (keys === undefined) {
    throw new TypeError(`${where}: options must be an object, got ${describe(value)}`);
  }
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(names, key)) {
      throw new TypeError(`${where}: unknown option ${describe(key)} (the options are ${Object.keys(names).join(", ")})`);
    }
  }
}

/** IOLoop.create's module, given (`from` empty) or from a core loader:
 *  a compiled WebAssembly.Module. */
export function checkModule(module: unknown, from = ""): asserts module is WebAssembly.Module {
  if (!isInstance(module, WebAssembly.Module)) {
    throw new TypeError(`IOLoop.create: module must be a WebAssembly.Module, got ${describe(module)}${from}`);
  }
}

/** What a refusal says: a thrown error's message, else a description of
 *  what was thrown. Never throws (a revoked Proxy, a message getter that
 *  throws). */
export function reasonOf(thrown: unknown): string {
  let message: unknown;
  try { message = (thrown as { message?: unknown }).message; } catch { /* described below */ }
  return typeof message === "string" ? message : describe(thrown);
}
