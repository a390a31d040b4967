// Backs the README's "Bad input" table, streams half: the sources, the sink
// and IOStream. Each `describe` is one row of the table. Sockets are real
// (a `ws` server on 127.0.0.1); streams are the runtime's own web streams.

import { afterEach, describe, expect, it } from "vitest";
import { WebSocket as WsClient } from "ws";
import {
  ERROR, IOStream, READ, ReadableSource, StreamClosedError, WebSocketSource, WRITE, WritableSink, type IOLoop,
} from "../../src/index.js";
import { createLoop, runningLoop } from "../host/helpers.js";
import { revoked } from "./revoked.js";
import { startWsServer, until } from "../host/sources/servers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openSocket() {
  const peer = await startWsServer();
  const client = new WsClient(peer.url);
  client.on("error", () => {}); // terminate() during the handshake reports one; these tests do not care
  cleanups.push(() => peer.stop(), () => client.terminate());
  const [server] = await Promise.all([peer.next(), new Promise((resolve) => client.once("open", resolve))]);
  return { client, server };
}

const bytes = () => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(Uint8Array.of(1)); c.close(); } });
const notByteCounts = [0, -1, 1.5, NaN, Infinity, "64", 2 ** 53];

describe("new WebSocketSource(socket, { maxBufferBytes, lowWaterMark })", () => {
  it("refuses a socket without the WebSocket API (TypeError), and byte counts that are not whole numbers in range (RangeError)", async () => {
    for (const socket of [null, {}, { send() {}, close() {} }, "ws://x"]) {
      expect(() => new WebSocketSource(socket as never)).toThrow(/WebSocketSource: socket must be a WebSocket/);
    }
    const { server } = await openSocket();
    for (const bad of notByteCounts) {
      expect(() => new WebSocketSource(server, { maxBufferBytes: bad as never })).toThrow(/maxBufferBytes must be a positive whole number of bytes/);
    }
    for (const bad of [-1, 1.5, NaN, "0"]) {
      expect(() => new WebSocketSource(server, { lowWaterMark: bad as never })).toThrow(/lowWaterMark must be a non-negative whole number of bytes/);
    }
    expect(() => new WebSocketSource(server, null as never)).toThrow(/options must be an object/);
  });

  it("refuses a frozen socket whose binaryType is \"blob\" with a TypeError naming WebSocketSource, not the engine's read-only error", async () => {
    const { server } = await openSocket();
    // A socket-like object that cannot take binaryType "arraybuffer": the
    // real socket's methods, frozen with binaryType "blob".
    const frozen = Object.freeze({
      binaryType: "blob",
      readyState: server.readyState,
      send: server.send.bind(server),
      close: server.close.bind(server),
      addEventListener: server.addEventListener.bind(server),
      removeEventListener: server.removeEventListener.bind(server),
    });
    expect(() => new WebSocketSource(frozen as never)).toThrow(TypeError);
    expect(() => new WebSocketSource(frozen as never)).toThrow(/^WebSocketSource: socket.binaryType is "blob" and cannot be set to "arraybuffer"/);
    const throwing = { ...frozen, get binaryType() { return "blob"; }, set binaryType(_: string) { throw new Error("no"); } };
    expect(() => new WebSocketSource(throwing as never)).toThrow(/^WebSocketSource: socket.binaryType is "blob"/);
  });
});

describe("new WebSocketSource(socket) over a socket whose getters or methods throw", () => {
  it("refuses it with a TypeError naming WebSocketSource and what threw (readyState, binaryType, addEventListener), the thrown error as cause, and leaves no listener on it", async () => {
    const { server } = await openSocket();
    const broke = new Error("broke");
    const listeners = new Set<unknown>();
    let adds = 0;
    const socket = (breaking: "readyState" | "binaryType" | "addEventListener") => ({
      get readyState() { if (breaking === "readyState") throw broke; return server.readyState; },
      get binaryType() { if (breaking === "binaryType") throw broke; return server.binaryType; },
      set binaryType(value: string) { server.binaryType = value as never; },
      send: server.send.bind(server),
      close: server.close.bind(server),
      // The third listener is refused: the two added before it are removed.
      addEventListener(_type: string, listener: unknown) {
        if (breaking === "addEventListener" && ++adds === 3) throw broke;
        listeners.add(listener);
      },
      removeEventListener(_type: string, listener: unknown) { listeners.delete(listener); },
    });
    for (const part of ["readyState", "binaryType", "addEventListener"] as const) {
      let thrown: unknown;
      try {
        new WebSocketSource(socket(part) as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toBe(`WebSocketSource: socket.${part} threw`);
      expect((thrown as Error).cause).toBe(broke);
      expect(listeners.size).toBe(0);
    }
  });
});

describe("webSocketSource.write(data), webSocketSource.close(code, reason)", () => {
  it("write refuses what is not a string, ArrayBuffer or view (TypeError), and throws StreamClosedError after close()", async () => {
    const { server } = await openSocket();
    const source = new WebSocketSource(server);
    for (const data of [5, null, undefined, {}, [1, 2]]) expect(() => source.write(data as never)).toThrow(TypeError);
    source.close();
    expect(() => source.write("x")).toThrow(StreamClosedError);
  });

  it("close refuses a code outside 1000..4999 or not whole (RangeError) and a reason that is not a string or passes 123 UTF-8 bytes", async () => {
    const { server } = await openSocket();
    const source = new WebSocketSource(server);
    for (const code of [999, 5000, 1000.5, NaN, "1000"]) expect(() => source.close(code as never)).toThrow(RangeError);
    expect(() => source.close(1000, 5 as never)).toThrow(TypeError);
    expect(() => source.close(1000, "é".repeat(62))).toThrow(RangeError);
    expect(source.closed).toBe(false);
    source.close(1000, "bye");
    expect(() => source.close(1000, "again")).not.toThrow();
  });
});

describe("new ReadableSource(stream, { highWaterMark })", () => {
  it("refuses what is not an unlocked ReadableStream (TypeError) and a highWaterMark that is not a positive whole number (RangeError)", () => {
    for (const stream of [null, {}, "body", new WritableStream()]) {
      expect(() => new ReadableSource(stream as never)).toThrow(/ReadableSource: stream must be a ReadableStream/);
    }
    const locked = bytes();
    locked.getReader();
    expect(() => new ReadableSource(locked)).toThrow(/stream is locked/);
    for (const bad of notByteCounts) {
      expect(() => new ReadableSource(bytes(), { highWaterMark: bad as never })).toThrow(/highWaterMark must be a positive whole number of bytes/);
    }
  });
});

describe("new WritableSink(stream), sink.write(chunk)", () => {
  it("refuses what is not an unlocked WritableStream, an undefined chunk, and a write after close()", async () => {
    for (const stream of [null, {}, bytes()]) expect(() => new WritableSink(stream as never)).toThrow(/WritableSink: stream must be a WritableStream/);
    const locked = new WritableStream();
    locked.getWriter();
    expect(() => new WritableSink(locked)).toThrow(/stream is locked/);
    const sink = new WritableSink(new WritableStream<Uint8Array>());
    expect(() => sink.write(undefined as never)).toThrow(/chunk must not be undefined/);
    await sink.close();
    expect(() => sink.write(Uint8Array.of(1))).toThrow(StreamClosedError);
  });
});

describe("new ReadableSource(stream), new WritableSink(stream) over a stream that is not the platform's own", () => {
  // What passes `instanceof` but is not a plain stream: an object made from
  // the prototype, a subclass whose getters and getReader()/getWriter()
  // throw or hand out their own, a Proxy of a real stream (which Node's
  // streams take, and which may be revoked once in use).
  const broke = new Error("broke");

  it("refuses an object made from the prototype with a TypeError naming the constructor, the platform's error as cause", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new ReadableSource(Object.create(ReadableStream.prototype)), /^ReadableSource: stream is locked \(already being read\), or not one the platform can read$/],
      [() => new WritableSink(Object.create(WritableStream.prototype)), /^WritableSink: stream is locked \(already being written\), or not one the platform can write to$/],
    ];
    for (const [make, message] of cases) {
      let thrown: unknown;
      try {
        make();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).cause).toBeInstanceOf(TypeError);
    }
  });

  it("reads and writes through the platform's own reader and writer, never a subclass's locked, getReader() or getWriter() (which throw)", async () => {
    let overridden = 0;
    class OwnReader extends ReadableStream<Uint8Array> {
      override get locked(): boolean { overridden++; throw broke; }
      override getReader(): never { overridden++; throw broke; }
    }
    class OwnWriter extends WritableStream<Uint8Array> {
      override get locked(): boolean { overridden++; throw broke; }
      override getWriter(): never { overridden++; throw broke; }
    }
    const source = new ReadableSource(new OwnReader({ start(c) { c.enqueue(Uint8Array.of(1, 2)); c.close(); } }));
    const written: number[][] = [];
    const sink = new WritableSink(new OwnWriter({ write(chunk) { written.push([...chunk]); } }));
    await until(() => source.bufferedBytes === 2, "the chunk");
    expect([...source.read()!]).toEqual([1, 2]);
    sink.write(Uint8Array.of(3));
    await sink.close();
    expect(written).toEqual([[3]]);
    expect(overridden).toBe(0);
    source.close();
  });

  it("a Proxy of a real stream, revoked once in use: ERROR once, with the engine's TypeError as error; nothing thrown from read(), write(), close() or a promise callback", async () => {
    const { loop, clock, errors } = await runningLoop();
    const readable = Proxy.revocable(new ReadableStream<Uint8Array>({ pull(c) { c.enqueue(Uint8Array.of(7)); } }, { highWaterMark: 0 }), {});
    const writable = Proxy.revocable(new WritableStream<Uint8Array>(), {});
    let source: ReadableSource, sink: WritableSink;
    try {
      source = new ReadableSource(readable.proxy, { highWaterMark: 1 });
      sink = new WritableSink(writable.proxy);
    } catch (error) {
      // Where the platform's streams check their own (browsers), a Proxy is
      // refused at construction, as above; nothing else is to be shown.
      expect(String(error)).toMatch(/stream is locked .*, or not one the platform can/);
      return;
    }
    await until(() => source.bufferedBytes === 1, "the first chunk");
    readable.revoke();
    writable.revoke();
    const seen: string[] = [];
    // After its read, the source asks the reader for the next chunk: the
    // reader throws, and that is the stream failing.
    loop.addHandler(source, (s, events) => {
      if (events & READ) seen.push(`read ${String(s.read())}`);
      if (events & ERROR) seen.push("source error");
    }, READ);
    loop.addHandler(sink, (_s, events) => { if (events & ERROR) seen.push("sink error"); }, 0);
    await clock.advance(1);
    expect(() => sink.write(Uint8Array.of(1))).not.toThrow();
    await clock.advance(1);
    expect(seen).toEqual(["read 7", "source error", "sink error"]);
    expect(source.error).toBeInstanceOf(TypeError);
    expect(sink.error).toBeInstanceOf(TypeError);
    expect(() => source.close()).not.toThrow();
    await expect(sink.close()).rejects.toBeInstanceOf(TypeError);
    expect(errors).toEqual([]);
  });
});

describe("new IOStream(loop, source, { sink, maxBufferSize })", () => {
  it("refuses a non-loop, a source without read() and close(), a sink without write() and close() (TypeError), and a bad maxBufferSize (RangeError), adding no handler", async () => {
    const loop = await createLoop();
    expect(() => new IOStream({} as never, new ReadableSource(bytes()))).toThrow(/IOStream: loop must be an IOLoop/);
    expect(() => new IOStream(loop, { read() {} } as never)).toThrow(/IOStream: source must have read\(\) and close\(\)/);
    expect(() => new IOStream(loop, new ReadableSource(bytes()), { sink: {} as never })).toThrow(/IOStream: sink must have write\(\) and close\(\)/);
    for (const bad of notByteCounts) {
      expect(() => new IOStream(loop, new ReadableSource(bytes()), { maxBufferSize: bad as never })).toThrow(/maxBufferSize must be a positive whole number of bytes/);
    }
    expect(loop.stats().handlers).toBe(0);
  });

  it("refuses a revoked Proxy as the loop, the source, the sink or the options with its own TypeError, never the engine's", async () => {
    const loop = await createLoop();
    expect(() => new IOStream(revoked() as never, new ReadableSource(bytes()))).toThrow(/^IOStream: loop must be an IOLoop, got a revoked Proxy$/);
    expect(() => new IOStream(loop, revoked() as never)).toThrow(/^IOStream: source must have read\(\) and close\(\) .*, got a revoked Proxy$/);
    expect(() => new IOStream(loop, new ReadableSource(bytes()), { sink: revoked() as never })).toThrow(/^IOStream: sink must have write\(\) and close\(\) .*, got a revoked Proxy$/);
    expect(() => new IOStream(loop, new ReadableSource(bytes()), revoked() as never)).toThrow(/^IOStream: options must be an object, got a revoked Proxy$/);
    expect(() => new ReadableSource(revoked() as never)).toThrow(/^ReadableSource: stream must be a ReadableStream, got a revoked Proxy$/);
    expect(() => new WritableSink(revoked() as never)).toThrow(/^WritableSink: stream must be a WritableStream, got a revoked Proxy$/);
    expect(() => new WebSocketSource(revoked() as never)).toThrow(/^WebSocketSource: socket must be a WebSocket .*, got a revoked Proxy$/);
    expect(loop.stats().handlers).toBe(0);
  });

  it("on a closed loop says \"IOStream: the loop is closed\"; over a source that already has a handler names IOStream, not addHandler, and adds nothing", async () => {
    const closed = await createLoop();
    closed.close();
    expect(() => new IOStream(closed, new ReadableSource(bytes()))).toThrow(/^IOStream: the loop is closed$/);

    const loop = await createLoop();
    const source = new ReadableSource(bytes());
    loop.addHandler(source, () => {}, 0);
    expect(() => new IOStream(loop, source)).toThrow(/^IOStream: cannot watch the source \(addHandler: this source already has a handler/);
    const taken = new WritableSink(new WritableStream());
    loop.addHandler(taken, () => {}, 0);
    expect(() => new IOStream(loop, new ReadableSource(bytes()), { sink: taken })).toThrow(/^IOStream: cannot watch the sink/);
    expect(loop.stats().handlers).toBe(2); // the two added above, none of the streams'
  });
});

describe("new IOStream(loop, source, { sink }) over a source or sink of the user's own that throws", () => {
  /** A plain source (its owner reports readiness with setReady): read()
   *  gives the queued chunks, then undefined; each method or getter named
   *  in `throwing` throws its own error instead (read() once a chunk has
   *  arrived, so that it throws in the loop's event, not in the read call). */
  function userSource(loop: IOLoop, throwing: ("read" | "close" | "error")[] = []) {
    const thrown = { read: new Error("read broke"), close: new Error("close broke"), error: new Error("error getter broke") };
    const chunks: string[] = [];
    const source = {
      closes: 0,
      read: () => { if (throwing.includes("read") && chunks.length > 0) throw thrown.read; return chunks.shift(); },
      close() { this.closes++; if (throwing.includes("close")) throw thrown.close; },
      get error(): unknown { if (throwing.includes("error")) throw thrown.error; return undefined; },
    };
    const arrive = (chunk: string) => { chunks.push(chunk); loop.setReady(source, READ); };
    return { source, thrown, arrive };
  }

  /** A plain sink that counts its closes; readyEvents may throw. */
  function userSink(throwingReadyEvents = false) {
    const thrown = new Error("readyEvents broke");
    const sink = {
      closes: 0,
      written: [] as Uint8Array[],
      get readyEvents(): number { if (throwingReadyEvents) throw thrown; return WRITE; },
      write(bytes: Uint8Array) { this.written.push(bytes); },
      close() { this.closes++; },
    };
    return { sink, thrown };
  }

  it("a read() that throws fails the stream with what it threw: the pending read rejects (StreamClosedError, cause it), the sink is closed, closed settles, and a new read is not refused as pending", async () => {
    const { loop, clock } = await runningLoop();
    const { source, thrown, arrive } = userSource(loop, ["read"]);
    const { sink } = userSink();
    const stream = new IOStream(loop, source, { sink });
    const read = stream.readUntil("\n").then(() => undefined, (error: unknown) => error);
    arrive("line\n");
    await clock.advance(1);
    const error = await read as StreamClosedError;
    expect(error).toBeInstanceOf(StreamClosedError);
    expect(error.cause).toBe(thrown.read);
    expect(error.message).toBe("IOStream.read: the stream is closed (read broke)");
    expect(stream.error).toBe(thrown.read);
    await stream.closed;
    expect([source.closes, sink.closes]).toEqual([1, 1]);
    await expect(stream.readBytes(1)).rejects.toBeInstanceOf(StreamClosedError);
    expect(loop.stats().handlers).toBe(0);
  });

  it("a sink whose write() is async: each write settles as its promise does, and one that rejects fails that write and the stream with its error, never an unhandled rejection", async () => {
    const { loop, clock } = await runningLoop();
    const { source } = userSource(loop);
    const refused = new Error("async write broke");
    const sink = {
      readyEvents: WRITE,
      async write(bytes: Uint8Array) { await Promise.resolve(); if (bytes[0] === 0x21) throw refused; },
      close() {},
    };
    const stream = new IOStream(loop, source, { sink });
    const settled = (write: Promise<void>) => write.then(() => "resolved", (error: unknown) => error);
    const first = settled(stream.write("ok"));
    const second = settled(stream.write("!"));
    await clock.advance(1);
    expect(await first).toBe("resolved");
    expect(await second).toBe(refused);
    await stream.closed;
    expect(stream.error).toBe(refused);
  });

  it("a close() that throws is reported (onError, kind \"source\"), and the stream still closes whole: the sink closed, reads and writes settled, closed resolved", async () => {
    const { loop, reports } = await runningLoop();
    const { source, thrown } = userSource(loop, ["close"]);
    const out = userSink();
    const stream = new IOStream(loop, source, { sink: out.sink });
    const read = stream.readBytes(4).then(() => undefined, (error: unknown) => error);
    expect(() => stream.close()).not.toThrow();
    expect(await read).toBeInstanceOf(StreamClosedError);
    await stream.closed;
    expect([source.closes, out.sink.closes]).toEqual([1, 1]);
    expect(reports.map((r) => [r.kind, r.error])).toEqual([["source", thrown.close]]);
    expect(loop.stats().handlers).toBe(0);
    // The source's own ERROR path closes the same way when close() throws.
    const second = userSource(loop, ["close"]);
    const other = new IOStream(loop, second.source);
    loop.setReady(second.source, ERROR);
    await other.closed;
    expect(second.source.closes).toBe(1);
    expect(reports.map((r) => r.error)).toEqual([thrown.close, second.thrown.close]);
  });

  it("a source whose error getter throws, and a sink whose readyEvents getter throws, fail the stream with what they threw", async () => {
    const { loop, clock } = await runningLoop();
    const broken = userSource(loop, ["error"]);
    const stream = new IOStream(loop, broken.source);
    loop.setReady(broken.source, ERROR);
    await clock.advance(1);
    await stream.closed;
    expect(stream.error).toBe(broken.thrown.error);

    const plain = userSource(loop);
    const out = userSink(true);
    const writing = new IOStream(loop, plain.source, { sink: out.sink });
    await expect(writing.write("x")).rejects.toBeInstanceOf(StreamClosedError);
    await writing.closed;
    expect(writing.error).toBe(out.thrown);
    expect([plain.source.closes, out.sink.closes]).toEqual([1, 1]);
    expect(loop.stats().handlers).toBe(0);
  });
});

describe("loop.addHandler(source, handler, events) over a built-in source that refuses to be added", () => {
  // The one refusal a built-in source makes: it reports to one loop at a
  // time. The error is addHandler's (the call the user made), the source's
  // own is its cause, and neither the handler nor the core's slot for it
  // stays behind.
  it("already added to another loop: names addHandler and the source, keeps the source's error as cause, and leaves nothing registered", async () => {
    const { server } = await openSocket();
    const sources: [string, object][] = [
      ["WebSocketSource", new WebSocketSource(server)],
      ["ReadableSource", new ReadableSource(bytes())],
      ["WritableSink", new WritableSink(new WritableStream())],
    ];
    const first = await createLoop();
    const second = await createLoop();
    for (const [name, source] of sources) {
      first.addHandler(source, () => {}, 0);
      let thrown: unknown;
      try {
        second.addHandler(source, () => {}, READ);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).message).toBe(`addHandler: this ${name} is already attached to another loop; removeHandler() it there first`);
      expect((thrown as Error).cause).toBeInstanceOf(Error);
      expect(((thrown as Error).cause as Error).message).toBe(`this ${name} is already attached to another loop; removeHandler() it there first`);
      expect(second.stats()).toMatchObject({ handlers: 0, readySources: 0, pendingTimeouts: 0, queuedCallbacks: 0 });
      expect(second.removeHandler(source)).toBe(false);
      second.checkInvariants();
      // The core's slot was given back: once an iteration has passed (a
      // removed slot is reserved until then), the next source takes it and
      // no new slot is made.
      await second.run(() => {});
      const slots = second.stats().hostSlots;
      const plain = {};
      second.addHandler(plain, () => {}, 0);
      expect(second.stats().hostSlots).toBe(slots);
      second.removeHandler(plain);
      // Once removed from the first loop, the second takes it.
      first.removeHandler(source);
      second.addHandler(source, () => {}, 0);
      expect(second.stats().handlers).toBe(1);
      second.removeHandler(source);
    }
  });
});

describe("stream.readUntil(delimiter, { maxBytes }), stream.readBytes(n, { partial }), stream.write(data)", () => {
  it("refuse bad arguments synchronously, a second pending read with an Error, and a write with no sink", async () => {
    const loop = await createLoop();
    const stream = new IOStream(loop, new ReadableSource(bytes()));
    for (const delimiter of ["", new Uint8Array(0), 5, null]) {
      expect(() => stream.readUntil(delimiter as never)).toThrow(/readUntil: delimiter must be a non-empty string or Uint8Array/);
    }
    for (const bad of [0, -1, 1.5, NaN, "4"]) expect(() => stream.readUntil("\n", { maxBytes: bad as never })).toThrow(/maxBytes must be a positive whole number/);
    for (const bad of [-1, 1.5, NaN, Infinity, "4"]) expect(() => stream.readBytes(bad as never)).toThrow(/readBytes: n must be a non-negative whole number/);
    expect(() => stream.readBytes(1, { partial: "yes" as never })).toThrow(/partial must be a boolean/);
    expect(() => stream.write(5 as never)).toThrow(/IOStream.write: data must be a Uint8Array, an ArrayBuffer or a string/);
    expect(() => stream.write("x")).toThrow(/this stream has no sink/);
    const pending = stream.readUntil("\n");
    expect(() => stream.readBytes(1)).toThrow(/another read is pending/);
    stream.close();
    await expect(pending).rejects.toThrow(StreamClosedError);
  });
});
