// The family test for hostile arguments: every public constructor and method
// is called with a revoked Proxy (which throws on any touch: a property
// read, `in`, instanceof, Object.keys) in each argument position in turn,
// and in each field of its options, the other arguments valid. Each call
// may return, or throw (reject) an error of the API's own; the engine's
// "Cannot perform ... on a proxy that has been revoked" must never be what a
// user sees. The tests of each call say which error it is; this one catches
// a call, or an argument, that those lists leave out.
import { describe, expect, it } from "vitest";
import {
  IOLoop, IOStream, PeriodicCallback, READ, ReadableSource, VirtualClock, WebSocketSource, WritableSink, setCoreLoader,
} from "../../src/index.js";
import { AlarmClock, DurableTimeouts, HibernatableWebSockets } from "../../src/durable/index.js";
import { createLoop } from "../host/helpers.js";
import { revoked } from "./revoked.js";

const ENGINE = /proxy that has been revoked/i;


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

describe("a revoked Proxy as any argument of any public call", () => {
  it("is refused with the API's own error, never the engine's, across the loop, its timeouts, sources, streams and the durable entry", async () => {
    const clock = new VirtualClock();
    const loop = await createLoop({ clock });
    const fn = (): void => {};
    const id = loop.callLater(1000, fn);
    loop.addHandler(7, fn, READ);
    const source = new ReadableSource(new ReadableStream<Uint8Array>());
    const stream = new IOStream(loop, source);
    const socketSource = new WebSocketSource(fakeSocket());
    const sockets = new HibernatableWebSockets({ acceptWebSocket() {}, getWebSockets: () => [] } as never);
    const storage = { setAlarm() {}, deleteAlarm() {} };

    const calls: [string, (...args: unknown[]) => unknown, unknown[]][] = [
      ["IOLoop.create", (o) => IOLoop.create(o as never).then((l) => l.close()), [{ clock, onError: fn, sliceMs: 8, maxMemoryBytes: 1 << 20 }]],
      ["addCallback", (f, a) => loop.addCallback(f as never, a), [fn, 1]],
      ["callLater", (d, f) => loop.callLater(d as never, f as never), [10, fn]],
      ["callAt", (d, f) => loop.callAt(d as never, f as never), [10, fn]],
      ["removeTimeout", (i) => loop.removeTimeout(i as never), [12345]],
      ["refreshTimeout", (i) => loop.refreshTimeout(i as never), [12345]],
      ["deadlineOf", (i) => loop.deadlineOf(i as never), [id]],
      ["addHandler", (s, h, e) => loop.addHandler(s, h as never, e as never), [8, fn, READ]],
      ["updateHandler", (s, e) => loop.updateHandler(s, e as never), [7, READ]],
      ["setReady", (s, e) => loop.setReady(s, e as never), [7, READ]],
      ["clearReady", (s, e) => loop.clearReady(s, e as never), [7, READ]],
      ["removeHandler", (s) => loop.removeHandler(s), [9]],
      ["run", (f, o) => loop.run(f as never, o as never), [() => 1, { timeoutMs: 10 }]],
      ["close", (o) => loop.close(o as never), [{ closeSources: false }]],
      ["new PeriodicCallback", (l, f, p, o) => new PeriodicCallback(l as never, f as never, p as never, o as never), [loop, fn, 10, { jitter: 0.1 }]],
      ["new VirtualClock", (t) => new VirtualClock(t as never), [0]],
      ["clock.set", (t) => new VirtualClock().set(t as never), [5]],
      ["clock.advance", (t) => new VirtualClock().advance(t as never), [5]],
      ["setCoreLoader", (f) => setCoreLoader(f as never), []],
      ["new WebSocketSource", (s, o) => new WebSocketSource(s as never, o as never), [fakeSocket(), { maxBufferBytes: 1024, lowWaterMark: 0 }]],
      ["socketSource.write", (d) => socketSource.write(d as never), ["x"]],
      ["socketSource.close", (c, r) => new WebSocketSource(fakeSocket()).close(c as never, r as never), [1000, "bye"]],
      ["new ReadableSource", (s, o) => new ReadableSource(s as never, o as never), [new ReadableStream(), { highWaterMark: 1024 }]],
      ["new WritableSink", (s) => new WritableSink(s as never), [new WritableStream()]],
      ["new IOStream", (l, s, o) => new IOStream(l as never, s as never, o as never).close(), [loop, new ReadableSource(new ReadableStream<Uint8Array>()), { maxBufferSize: 1024 }]],
      ["stream.readUntil", (d, o) => stream.readUntil(d as never, o as never), ["\n", { maxBytes: 100 }]],
      ["stream.readBytes", (n, o) => stream.readBytes(n as never, o as never), [4, { partial: true }]],
      ["stream.write", (d) => stream.write(d as never), ["x"]],
      ["new AlarmClock", (s) => new AlarmClock(s as never), [storage]],
      ["new HibernatableWebSockets", (c) => new HibernatableWebSockets(c as never), [{ acceptWebSocket() {}, getWebSockets: () => [] }]],
      ["sockets.accept", (s, a, t) => sockets.accept(s as never, a, t as never), [{ serializeAttachment() {}, deserializeAttachment() {} }, undefined, ["t"]]],
      ["new DurableTimeouts", (c, o) => new DurableTimeouts(c as never, o as never), [{}, { loop, clock: new AlarmClock(storage as never), tasks: { run: fn }, maxPayloadBytes: 10, maxAttempts: 2, retryDelayMs: 5, table: "t" }]],
    ];
    const leaks: string[] = [];
    for (const [label, call, args] of calls) leaks.push(...await engineMessages(label, call, args));
    expect(leaks).toEqual([]);
  });
});
