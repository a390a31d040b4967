// The demo's settings: wrangler.jsonc `vars`, as strings, checked once when
// the Room is made so that a typo fails loudly instead of becoming NaN.

import type { Room } from "./room.js";

export interface Env {
  ROOM: DurableObjectNamespace<Room>;
  IDLE_TIMEOUT_MS?: string | number;
  HEARTBEAT_MS?: string | number;
  MAX_MESSAGE_BYTES?: string | number;
}

export interface Settings {
  /** A connection silent this long is closed with IDLE_CLOSE_CODE. */
  idleTimeoutMs: number;
  /** How often every connection gets a heartbeat message. */
  heartbeatMs: number;
  /** The unread bytes one connection may hold before it is closed (1009). */
  maxMessageBytes: number;
}

export function readSettings(env: Env): Settings {
  return {
    idleTimeoutMs: positive(env, "IDLE_TIMEOUT_MS", 30_000),
    heartbeatMs: positive(env, "HEARTBEAT_MS", 10_000),
    maxMessageBytes: positive(env, "MAX_MESSAGE_BYTES", 64 * 1024),
  };
}

function positive(env: Env, name: "IDLE_TIMEOUT_MS" | "HEARTBEAT_MS" | "MAX_MESSAGE_BYTES", fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}
