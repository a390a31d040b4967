// wasm-ioloop/durable: timeouts that outlive a Durable Object's instance,
// driven by its one alarm, and WebSockets that let it hibernate. An entry of
// its own, so that browser and Node bundles never carry it.

export { AlarmClock } from "./alarm-clock.js";
export { DurableTimeouts } from "./durable-timeouts.js";
export type { DurableTimeout, DurableTask, DurableTimeoutsOptions, ScheduleOptions, RefreshOptions, DurableTimeoutsStats } from "./durable-timeouts.js";
export { DurableTaskError } from "./errors.js";
export type { DurableTimeoutInfo } from "./errors.js";
export type { JsonValue } from "./payload.js";
export { DEFAULT_MAX_PAYLOAD_BYTES } from "./payload.js";
export { HibernatableWebSockets } from "./hibernatable-websockets.js";
export { HibernatingSocket } from "./hibernating-socket.js";
export type { DurableObjectStateLike, DurableStorageLike, HibernatableSocketLike, SqlLike, SqlCursor, SqlValue, LoopLike } from "./host.js";
