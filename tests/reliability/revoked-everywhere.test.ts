// The family test for hostile arguments: every public constructor and method
// is called with a revoked Proxy (which throws on any touch: a property
// read, `in`, instanceof, Object.keys) in each argument position in turn,
// and in each field of its options, the other arguments valid. Each call
// may return, or throw (reject) an error of the API's own; the engine's
// "Cannot perform ... on a proxy that has been revoked" must never be what a
// user sees. The tests of each call say which error it is; this one catches
// a call, or an argument, that those lists leave out.
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import {
  IOLoop, IOStream, PeriodicCallback, READ, ReadableSource, VirtualClock, WebSocketSource, WritableSink, setCoreLoader,
} from "../../src/index.js";
import * as durable from "../../src/durable/index.js";
import { AlarmClock, DurableTimeouts, HibernatableWebSockets } from "../../src/durable/index.js";
import { createLoop } from "../host/helpers.js";
import { revoked } from "./revoked.js";

/** The engine's own refusal, as the whole message: an error of the API's may
 *  quote it after naming the call (as the cause of a payload it could not
 *  read), but never be it. */
const ENGINE = /^Cannot perform .* on a proxy that has been revoked/;

function messageOf(error: unknown): string {
  try { return String((error as Error).message); } catch { return "(unreadable)"; }
}

/** Calls `call` once per argument with a revoked Proxy in its place (and,
 *  for an argument that is an options object, once per field), and returns
 *  what each refusal said where it was the engine's. */
async function engineMessages(label: string, call: (...args: unknown[]) => unknown, args: unknown[]): Promise<string[]> {
  const variants: [string, unknown[]][] = [];
  args.forEach((arg, i) => {
    variants.push([`${label} argument ${i}`, args.map((a, j) => (j === i ? revoked() : a))]);
    if (arg !== null && typeof arg === "object" && Object.getPrototypeOf(arg) === Object.prototype) {
      for (const key of Object.keys(arg)) {
        variants.push([`${label} argument ${i}.${key}`, args.map((a, j) => (j === i ? { ...arg, [key]: revoked() } : a))]);
      }
    }
  });
  const leaks: string[] = [];
  for (const [where, variant] of variants) {
    try {
      await call(...variant);
    } catch (error) {
      if (ENGINE.test(messageOf(error))) leaks.push(`${where}: ${messageOf(error)}`);
    }
  }
  return leaks;
}

const fakeSocket = () => ({
  readyState: 1, binaryType: "arraybuffer", bufferedAmount: 0,
  send() {}, close() {}, addEventListener() {}, removeEventListener() {},
});

/** A SQLite-backed object's storage that stores nothing: enough for the
 *  durable timeouts' argument checks, which come before any write. */
const fakeStorage = () => ({
  sql: { exec: () => ({ toArray: () => [{ id: 1, payload: null }], rowsWritten: 1 }) },
  transactionSync: <T>(body: () => T): T => body(),
  setAlarm() {}, deleteAlarm() {},
});

/** Public methods that take no argument, or that only the loop calls (a
 *  SchedulingClock's side of the loop, a HibernatingSocket's dispatch from
 *  HibernatableWebSockets), or that are marked internal: not swept. */
const NOT_SWEPT = new Set([
  "IOLoop.time", "IOLoop.start", "IOLoop.stop", "IOLoop.stats", "IOLoop.checkInvariants",
  "IOLoop.onFailure", "IOLoop.closeSource", "IOLoop.invoke",
  "IOStream.readUntilClose", "IOStream.close", "PeriodicCallback.start", "PeriodicCallback.stop",
  "PeriodicCallback.isRunning", "ReadableSource.read", "ReadableSource.close", "WritableSink.close",
  "WebSocketSource.read", "WebSocketSource.interestUpdated",
  "VirtualClock.now", "VirtualClock.setTimer", "VirtualClock.clearTimer", "VirtualClock.queueMacrotask",
  "AlarmClock.now", "AlarmClock.setTimer", "AlarmClock.clearTimer", "AlarmClock.queueMacrotask", "AlarmClock.fire",
  "DurableTimeouts.flush", "DurableTimeouts.stats", "DurableTimeouts.alarm", "HibernatingSocket.dispatch",
]);

/** Every method of every class the two entries export, as "Class.method"
 *  (statics included), and the functions they export. */
function publicMethods(): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries({ ...api, ...durable })) {
    if (typeof value !== "function") continue;
    if (!value.prototype || Object.getOwnPropertyNames(value.prototype).length === 1) { // a function, or a class of fields only
      if (!/Error$/.test(name)) names.push(name);
      continue;
    }
    for (const key of Object.getOwnPropertyNames(value.prototype)) {
      if (key !== "constructor" && typeof Object.getOwnPropertyDescriptor(value.prototype, key)!.value === "function") names.push(`${name}.${key}`);
    }
    for (const key of Object.getOwnPropertyNames(value)) {
      if (typeof Object.getOwnPropertyDescriptor(value, key)!.value === "function") names.push(`${name}.${key}`);
    }
  }
  return names;
}

describe("a revoked Proxy as any argument of any public call", () => {
  it("is refused with the API's own error, never the engine's, across the loop, its timeouts, sources, streams and the durable entry; and every public method is swept", async () => {
    const clock = new VirtualClock();
    const loop = await createLoop({ clock });
    const fn = (): void => {};
    const id = loop.callLater(1000, fn);
    loop.addHandler(7, fn, READ);
    const source = new ReadableSource(new ReadableStream<Uint8Array>());
    const stream = new IOStream(loop, source);
    const socketSource = new WebSocketSource(fakeSocket());
    const sockets = new HibernatableWebSockets({ acceptWebSocket() {}, getWebSockets: () => [] } as never);
    const platformSocket = () => ({ ...fakeSocket(), serializeAttachment() {}, deserializeAttachment() {} });
    const hibernating = sockets.wrap(platformSocket() as never);
    const storage = fakeStorage();
    const alarmClock = new AlarmClock(storage as never);
    const durableLoop = await createLoop({ clock: alarmClock });
    const timeouts = new DurableTimeouts({ storage } as never, { loop: durableLoop, clock: alarmClock, tasks: { run: fn } });
    const durableId = timeouts.scheduleAfter(60_000, "run");

    const calls: [string, (...args: unknown[]) => unknown, unknown[]][] = [
      ["IOLoop.create", (o) => IOLoop.create(o as never).then((l) => l.close()), [{ clock, onError: fn, sliceMs: 8, maxMemoryBytes: 1 << 20 }]],
      ["IOLoop.addCallback", (f, a) => loop.addCallback(f as never, a), [fn, 1]],
      ["IOLoop.callLater", (d, f) => loop.callLater(d as never, f as never), [10, fn]],
      ["IOLoop.callAt", (d, f) => loop.callAt(d as never, f as never), [10, fn]],
      ["IOLoop.removeTimeout", (i) => loop.removeTimeout(i as never), [12345]],
      ["IOLoop.refreshTimeout", (i) => loop.refreshTimeout(i as never), [12345]],
      ["IOLoop.deadlineOf", (i) => loop.deadlineOf(i as never), [id]],
      ["IOLoop.addHandler", (s, h, e) => loop.addHandler(s, h as never, e as never), [8, fn, READ]],
      ["IOLoop.updateHandler", (s, e) => loop.updateHandler(s, e as never), [7, READ]],
      ["IOLoop.setReady", (s, e) => loop.setReady(s, e as never), [7, READ]],
      ["IOLoop.clearReady", (s, e) => loop.clearReady(s, e as never), [7, READ]],
      ["IOLoop.removeHandler", (s) => loop.removeHandler(s), [9]],
      ["IOLoop.run", (f, o) => loop.run(f as never, o as never), [() => 1, { timeoutMs: 10 }]],
      ["IOLoop.close", (o) => loop.close(o as never), [{ closeSources: false }]],
      ["PeriodicCallback", (l, f, p, o) => new PeriodicCallback(l as never, f as never, p as never, o as never), [loop, fn, 10, { jitter: 0.1 }]],
      ["VirtualClock", (t) => new VirtualClock(t as never), [0]],
      ["VirtualClock.set", (t) => new VirtualClock().set(t as never), [5]],
      ["VirtualClock.advance", (t) => new VirtualClock().advance(t as never), [5]],
      ["setCoreLoader", (f) => setCoreLoader(f as never), [() => Promise.reject(new Error("not used"))]],
      ["WebSocketSource", (s, o) => new WebSocketSource(s as never, o as never), [fakeSocket(), { maxBufferBytes: 1024, lowWaterMark: 0 }]],
      ["WebSocketSource.write", (d) => socketSource.write(d as never), ["x"]],
      ["WebSocketSource.close", (c, r) => new WebSocketSource(fakeSocket()).close(c as never, r as never), [1000, "bye"]],
      ["ReadableSource", (s, o) => new ReadableSource(s as never, o as never), [new ReadableStream(), { highWaterMark: 1024 }]],
      ["WritableSink", (s) => new WritableSink(s as never), [new WritableStream()]],
      ["WritableSink.write", (c) => new WritableSink(new WritableStream()).write(c as never), [Uint8Array.of(1)]],
      ["IOStream", (l, s, o) => new IOStream(l as never, s as never, o as never).close(), [loop, new ReadableSource(new ReadableStream<Uint8Array>()), { maxBufferSize: 1024 }]],
      ["IOStream.readUntil", (d, o) => stream.readUntil(d as never, o as never), ["\n", { maxBytes: 100 }]],
      ["IOStream.readBytes", (n, o) => stream.readBytes(n as never, o as never), [4, { partial: true }]],
      ["IOStream.write", (d) => stream.write(d as never), ["x"]],
      ["AlarmClock", (s) => new AlarmClock(s as never), [fakeStorage()]],
      ["HibernatableWebSockets", (c) => new HibernatableWebSockets(c as never), [{ acceptWebSocket() {}, getWebSockets: () => [] }]],
      ["HibernatableWebSockets.accept", (s, a, t) => sockets.accept(s as never, a, t as never), [platformSocket(), { n: 1 }, ["t"]]],
      ["HibernatableWebSockets.sockets", (t) => sockets.sockets(t as never), ["t"]],
      ["HibernatableWebSockets.wrap", (s) => sockets.wrap(s as never), [platformSocket()]],
      ["HibernatableWebSockets.message", (s, m) => sockets.message(s as never, m as never), [platformSocket(), "x"]],
      ["HibernatableWebSockets.close", (s, c, r) => sockets.close(s as never, c as never, r as never), [platformSocket(), 1000, "bye"]],
      ["HibernatableWebSockets.error", (s, e) => sockets.error(s as never, e), [platformSocket(), new Error("x")]],
      ["HibernatingSocket.send", (d) => hibernating.send(d as never), ["x"]],
      ["HibernatingSocket.close", (c, r) => hibernating.close(c as never, r as never), [1000, "bye"]],
      ["HibernatingSocket.addEventListener", (t, l) => hibernating.addEventListener(t as never, l as never), ["message", fn]],
      ["HibernatingSocket.removeEventListener", (t, l) => hibernating.removeEventListener(t as never, l as never), ["message", fn]],
      ["DurableTimeouts", (c, o) => new DurableTimeouts(c as never, o as never), [{ storage: fakeStorage() }, { loop: durableLoop, clock: alarmClock, tasks: { run: fn }, maxPayloadBytes: 10, maxAttempts: 2, retryDelayMs: 5, table: "t" }]],
      ["DurableTimeouts.scheduleAfter", (d, t, p, o) => timeouts.scheduleAfter(d as never, t as never, p, o as never), [10, "run", { n: 1 }, { periodMs: 100 }]],
      ["DurableTimeouts.scheduleAt", (w, t, p, o) => timeouts.scheduleAt(w as never, t as never, p, o as never), [Date.now() + 1000, "run", null, { periodMs: 100 }]],
      ["DurableTimeouts.cancel", (i) => timeouts.cancel(i as never), [12345]],
      ["DurableTimeouts.refresh", (i, o) => timeouts.refresh(i as never, o as never), [durableId, { lazy: true }]],
      ["DurableTimeouts.reschedule", (i, w) => timeouts.reschedule(i as never, w as never), [durableId, Date.now() + 2000]],
      ["DurableTimeouts.deadlineOf", (i) => timeouts.deadlineOf(i as never), [durableId]],
    ];
    const leaks: string[] = [];
    for (const [label, call, args] of calls) leaks.push(...await engineMessages(label, call, args));
    expect(leaks).toEqual([]);

    // A method added later, and left out of both lists above, fails here.
    const swept = new Set(calls.map(([label]) => label));
    const classes = new Set(calls.map(([label]) => label.split(".")[0]));
    expect(publicMethods().filter((name) => !swept.has(name) && !NOT_SWEPT.has(name) && !classes.has(name))).toEqual([]);
  });
});
