// Backs the bad-input table for wasm-ioloop/durable's constructors: each
// refuses arguments of the wrong kind, a revoked Proxy included, with its
// own TypeError naming the argument, before it touches the object's storage
// (so stand-ins of the Durable Object's state do here; the platform itself
// is exercised in real workerd, tests/workers).
import { describe, expect, it } from "vitest";
import { AlarmClock, DurableTimeouts, HibernatableWebSockets } from "../../src/durable/index.js";
import { createLoop } from "../host/helpers.js";
import { revoked } from "./revoked.js";


/** An AlarmClock over storage that is never written: the refusals come first. */
const clock = new AlarmClock({ setAlarm() {}, deleteAlarm() {} } as never);
const noState = {} as never;

describe("new AlarmClock(storage)", () => {
  it("refuses anything but a storage with setAlarm and deleteAlarm, a revoked Proxy included, naming it", () => {
    for (const [storage, got] of [[revoked(), "a revoked Proxy"], [5, "5"], [{}, "an object \\(Object\\)"], [{ setAlarm() {} }, "an object \\(Object\\)"]] as const) {
      expect(() => new AlarmClock(storage as never)).toThrow(new RegExp(`^AlarmClock: storage must be the Durable Object's storage \\(ctx\\.storage\\), with setAlarm and deleteAlarm, got ${got}$`));
    }
  });
});

describe("new HibernatableWebSockets(ctx), sockets.accept(socket)", () => {
  it("refuses a ctx without acceptWebSocket and getWebSockets, and a socket that is not a WebSocket, a revoked Proxy included, naming it", () => {
    for (const ctx of [revoked(), undefined, {}]) {
      expect(() => new HibernatableWebSockets(ctx as never)).toThrow(/^HibernatableWebSockets: ctx must be the Durable Object's state, with acceptWebSocket and getWebSockets, got /);
    }
    const accepted: unknown[] = [];
    const sockets = new HibernatableWebSockets({ acceptWebSocket: (socket: unknown) => accepted.push(socket), getWebSockets: () => [] } as never);
    for (const socket of [revoked(), {}, null]) {
      expect(() => sockets.accept(socket as never)).toThrow(/^HibernatableWebSockets\.accept: socket must be a WebSocket, got /);
    }
    expect(accepted).toEqual([]);
  });
});

describe("new DurableTimeouts(ctx, { loop, clock, tasks })", () => {
  it("refuses a loop, clock or tasks of the wrong kind, a revoked Proxy included, with its own TypeError naming it", async () => {
    const loop = await createLoop({ clock });
    const tasks = { run: () => {} };
    const cases: [object, RegExp][] = [
      [{ loop: revoked(), clock, tasks }, /^DurableTimeouts: loop must be an IOLoop, got a revoked Proxy$/],
      [{ loop: {}, clock, tasks }, /^DurableTimeouts: loop must be an IOLoop, got an object \(Object\)$/],
      [{ loop, clock: revoked(), tasks }, /^DurableTimeouts: clock must be the AlarmClock the loop was created with, got a revoked Proxy$/],
      [{ loop, clock, tasks: revoked() }, /^DurableTimeouts: tasks must be an object of functions, got a revoked Proxy$/],
      [{ loop, clock, tasks: 5 }, /^DurableTimeouts: tasks must be an object of functions, got 5$/],
      [{ loop, clock, tasks: { run: 5 } }, /^DurableTimeouts: tasks\.run must be a function, got 5$/],
    ];
    for (const [options, message] of cases) expect(() => new DurableTimeouts(noState, options as never)).toThrow(message);
  });

  it("refuses a ctx that is not a SQLite-backed Durable Object's state, a revoked Proxy included, once the options are good", async () => {
    const loop = await createLoop({ clock });
    const options = { loop, clock, tasks: { run: () => {} } };
    const kv = { storage: { transactionSync() {}, get() {}, put() {} } }; // a key-value object's storage: no sql
    for (const ctx of [revoked(), {}, kv, { storage: revoked() }]) {
      expect(() => new DurableTimeouts(ctx as never, options)).toThrow(/^DurableTimeouts: ctx must be the state of a SQLite-backed Durable Object \(ctx\.storage\.sql, ctx\.storage\.transactionSync\), got /);
    }
  });
});
