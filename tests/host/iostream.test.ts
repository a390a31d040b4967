// IOStream over real sources: in-process streams the test feeds (on a
// VirtualClock loop) for exact cases, a ws server for a WebSocket stream.
// The HTTP cases are in iostream-http.test.ts.
import { describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import {
  IOStream, LoopFailedError, ReadableSource, StreamBufferFullError, StreamClosedError, UnsatisfiableReadError,
  WebSocketSource, WritableSink,
} from "../../src/index.js";
import { createLoop, virtualLoop } from "./helpers.js";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** A byte stream the test feeds by hand; `cancelled` is set if the reader
 *  cancels it. */
function feed() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(c) { controller = c; },
    cancel() { state.cancelled = true; },
  });
  const encoder = new TextEncoder();
  return {
    stream,
    state,
    push: (...chunks: (string | Uint8Array)[]) => {
      for (const c of chunks) controller.enqueue(typeof c === "string" ? encoder.encode(c) : c);
    },
    end: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
  };
}

/** A loop on a VirtualClock, started, and an IOStream over a fed source. */
async function fedStream(options: { maxBufferSize?: number; sink?: WritableSink } = {}) {
  const { loop, clock, errors } = await virtualLoop();
  const input = feed();
  const stream = new IOStream(loop, new ReadableSource(input.stream), options);
  void loop.start();
  const settle = () => clock.advance(1);
  return { loop, clock, errors, input, stream, settle };
}

/** Settles a promise into a record the test can inspect without awaiting. */
function track<T>(promise: Promise<T>) {
  const state: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then((value) => { state.value = value; state.settled = true; }, (error) => { state.error = error; state.settled = true; });
  return state;
}

describe("IOStream reads", () => {
  it("readUntil finds a delimiter split across chunks and returns it included", async () => {
    const { input, stream, settle, loop } = await fedStream();
    input.push("ab\r", "\ncd", "\r", "\nrest");
    const first = track(stream.readUntil("\r\n"));
    await settle();
    expect(text(first.value!)).toBe("ab\r\n");
    const second = track(stream.readUntil(Uint8Array.of(13, 10)));
    await settle();
    expect(text(second.value!)).toBe("cd\r\n");
    expect(stream.bufferedBytes).toBe(4);
    loop.stop();
  });

  it("readBytes waits for exactly n bytes; with partial, takes what is there", async () => {
    const { input, stream, settle, loop } = await fedStream();
    const exact = track(stream.readBytes(5));
    input.push("abc");
    await settle();
    expect(exact.settled).toBe(false);
    input.push("defg");
    await settle();
    expect(text(exact.value!)).toBe("abcde");
    const partial = track(stream.readBytes(10, { partial: true }));
    await settle();
    expect(text(partial.value!)).toBe("fg");
    loop.stop();
  });

  it("throws on a second read while one is pending, and the first still completes", async () => {
    const { input, stream, settle, loop } = await fedStream();
    const first = track(stream.readUntil("\n"));
    expect(() => stream.readBytes(1)).toThrow(/another read is pending/);
    expect(() => stream.readUntilClose()).toThrow(/another read is pending/);
    expect(() => stream.readBytes(0)).toThrow(/another read is pending/);
    input.push("x\n");
    await settle();
    expect(text(first.value!)).toBe("x\n");
    loop.stop();
  });

  it("returns data that arrived before the peer ended, then rejects with StreamClosedError", async () => {
    const { input, stream, settle, loop } = await fedStream();
    input.push("one\ntwo\npartial");
    input.end();
    await settle();
    expect(text(await stream.readUntil("\n"))).toBe("one\n");
    expect(text(await stream.readUntil("\n"))).toBe("two\n");
    const third = track(stream.readUntil("\n"));
    await settle();
    expect(third.error).toBeInstanceOf(StreamClosedError);
    expect(text(await stream.readBytes(7))).toBe("partial");
    await expect(stream.readBytes(1)).rejects.toThrow(StreamClosedError);
    await stream.closed;
    loop.stop();
  });

  it("rejects a pending read with StreamClosedError on close(), cancels the source, settles closed", async () => {
    const { input, stream, settle, loop } = await fedStream();
    input.push("no newline yet");
    const pending = track(stream.readUntil("\n"));
    await settle();
    stream.close();
    await settle();
    expect(pending.error).toBeInstanceOf(StreamClosedError);
    expect(input.state.cancelled).toBe(true);
    await stream.closed;
    await expect(stream.readBytes(1)).rejects.toThrow(StreamClosedError);
    expect(loop.stats().handlers).toBe(0);
    loop.stop();
  });

  it("rejects with UnsatisfiableReadError when the delimiter does not end within maxBytes, and closes", async () => {
    const { input, stream, settle, loop } = await fedStream();
    input.push("0123456789");
    const tooLong = track(stream.readUntil("\n", { maxBytes: 5 }));
    await settle();
    expect(tooLong.error).toBeInstanceOf(UnsatisfiableReadError);
    expect(input.state.cancelled).toBe(true);
    await stream.closed;

    const other = await fedStream();
    other.input.push("abcdef\n");
    const found = track(other.stream.readUntil("\n", { maxBytes: 6 })); // ends at 7
    await other.settle();
    expect(found.error).toBeInstanceOf(UnsatisfiableReadError);
    const fits = await fedStream();
    fits.input.push("abcde\n");
    expect(text(await fits.stream.readUntil("\n", { maxBytes: 6 }))).toBe("abcde\n");
    loop.stop();
    other.loop.stop();
    fits.loop.stop();
  });

  it("completes zero-byte reads and writes at once, without an iteration", async () => {
    const { loop } = await virtualLoop();
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const stream = new IOStream(loop, new ReadableSource(readable), { sink: new WritableSink(writable) });
    const read = track(stream.readBytes(0));
    const wrote = track(stream.write(new Uint8Array(0)));
    const wroteText = track(stream.write(""));
    await Promise.resolve();
    expect(read.value).toEqual(new Uint8Array(0));
    expect(wrote.settled && wroteText.settled).toBe(true);
    expect(loop.stats().iterations).toBe(0);
  });

  it("serves a read from what the source already holds, without an iteration", async () => {
    const { loop } = await virtualLoop();
    const input = feed();
    const source = new ReadableSource(input.stream);
    const stream = new IOStream(loop, source);
    input.push("held\n");
    await new Promise((resolve) => setTimeout(resolve, 0)); // the source pulls it in
    expect(source.bufferedBytes).toBe(5);
    const line = track(stream.readUntil("\n"));
    await Promise.resolve();
    expect(text(line.value!)).toBe("held\n");
    expect(loop.stats().iterations).toBe(0);
  });

  it("fails with StreamBufferFullError past maxBufferSize, and closes", async () => {
    const { input, stream, settle, loop } = await fedStream({ maxBufferSize: 500 });
    const all = track(stream.readUntilClose());
    for (let i = 0; i < 10; i++) input.push(new Uint8Array(100));
    await settle();
    expect(all.error).toBeInstanceOf(StreamBufferFullError);
    expect(input.state.cancelled).toBe(true);
    expect(stream.error).toBeInstanceOf(StreamBufferFullError);
    await stream.closed;
    loop.stop();
  });

  it("maxBufferSize bounds the buffer whatever the read asks for: readBytes(100) with maxBufferSize 10 fails once more than 10 bytes wait", async () => {
    const { input, stream, settle, loop } = await fedStream({ maxBufferSize: 10 });
    const read = track(stream.readBytes(100));
    input.push("0123456789");
    await settle();
    expect(read.settled).toBe(false); // 10 bytes: at the bound, not past it
    input.push("a");
    await settle();
    expect(read.error).toBeInstanceOf(StreamBufferFullError);
    expect((read.error as Error).message).toMatch(/^IOStream.readBytes: the read buffer passed maxBufferSize \(10 bytes\) before the read could be served/);
    await stream.closed;
    loop.stop();
  });

  it("a read larger than maxBufferSize is served by data that arrives in one chunk", async () => {
    const { input, stream, loop } = await fedStream({ maxBufferSize: 10 });
    input.push(new Uint8Array(100));
    expect((await stream.readBytes(100)).byteLength).toBe(100);
    loop.stop();
  });

  it("serves a read the over-full buffer can satisfy before failing", async () => {
    const { input, stream, settle, loop } = await fedStream({ maxBufferSize: 10 });
    input.push("0123456789abcdef\n");
    expect(text(await stream.readUntil("\n"))).toBe("0123456789abcdef\n");
    await settle();
    loop.stop();
  });

  it("readUntilClose returns everything at a clean end, and rejects with the cause after a failure", async () => {
    const clean = await fedStream();
    clean.input.push("a", "b", "c");
    clean.input.end();
    expect(text(await clean.stream.readUntilClose())).toBe("abc");

    const failing = await fedStream();
    const all = track(failing.stream.readUntilClose());
    failing.input.push("abc");
    const cause = new Error("connection reset");
    failing.input.fail(cause);
    await failing.settle();
    expect(all.error).toBeInstanceOf(StreamClosedError);
    expect((all.error as StreamClosedError).cause).toBe(cause);
    clean.loop.stop();
    failing.loop.stop();
  });

  it("rejects the pending read with LoopFailedError when the loop's core fails", async () => {
    const loop = await createLoop({ maxMemoryBytes: 64 << 10, onError: () => {} });
    const input = feed();
    const stream = new IOStream(loop, new ReadableSource(input.stream));
    const pending = track(stream.readUntil("\n"));
    expect(() => { for (;;) loop.callLater(1e9, () => {}); }).toThrow(LoopFailedError);
    await Promise.resolve();
    expect(pending.error).toBeInstanceOf(LoopFailedError);
    expect(input.state.cancelled).toBe(true);
    await stream.closed;
  });
});

describe("IOStream writes", () => {
  /** A byte stream that takes one chunk at a time, when the test says. */
  function gated() {
    const taken: string[] = [];
    const gates: (() => void)[] = [];
    const stream = new WritableStream<Uint8Array>({
      write: (chunk) => new Promise<void>((resolve) => gates.push(() => { taken.push(text(chunk)); resolve(); })),
    }, new CountQueuingStrategy({ highWaterMark: 1 }));
    return { stream, taken, release: () => gates.shift()?.() };
  }

  it("waits on the sink's WRITE readiness, in order, resolving as each is handed over", async () => {
    const out = gated();
    const { stream, settle, loop } = await fedStream({ sink: new WritableSink(out.stream) });
    const writes = ["a", "b", "c"].map((s) => track(stream.write(s)));
    await settle();
    expect(writes.map((w) => w.settled)).toEqual([true, false, false]);
    out.release();
    await settle();
    expect(writes.map((w) => w.settled)).toEqual([true, true, false]);
    out.release();
    await settle();
    out.release();
    await settle();
    expect(writes.map((w) => w.settled)).toEqual([true, true, true]);
    expect(out.taken).toEqual(["a", "b", "c"]);
    loop.stop();
  });

  it("hands a write to a WRITE-ready sink at once, without an iteration", async () => {
    const { loop } = await virtualLoop();
    const out = gated();
    const stream = new IOStream(loop, new ReadableSource(new ReadableStream()), { sink: new WritableSink(out.stream) });
    const first = track(stream.write("now"));
    const second = track(stream.write("later")); // the sink's queue is full after the first
    await Promise.resolve();
    expect(first.settled).toBe(true);
    expect(second.settled).toBe(false);
    expect(loop.stats().iterations).toBe(0);
  });

  it("keeps writing to a separate sink after the source ended, until close()", async () => {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const { input, stream, loop } = await fedStream({ sink: new WritableSink(writable) });
    input.push("request");
    input.end();
    expect(text(await stream.readUntilClose())).toBe("request");
    await stream.write("response");
    stream.close();
    expect(await new Response(readable).text()).toBe("response");
    loop.stop();
  });

  it("closes when the sink fails, rejecting queued writes", async () => {
    const cause = new Error("peer reset");
    const sink = new WritableSink(new WritableStream<Uint8Array>({ write() { throw cause; } }));
    const { stream, settle, loop } = await fedStream({ sink });
    const first = track(stream.write("one"));
    const second = track(stream.write("two"));
    await settle();
    await settle();
    expect(first.settled).toBe(true); // handed over before the sink failed
    expect(second.error).toBeInstanceOf(StreamClosedError);
    expect(stream.error).toBe(cause);
    await stream.closed;
    await expect(stream.write("three")).rejects.toThrow(StreamClosedError);
    loop.stop();
  });
});

describe("IOStream over a WebSocket", () => {
  it("reads lines from messages and writes to the same socket, and ends with the peer's close", async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    server.on("connection", (peer) => peer.on("message", (data) => {
      peer.send(`${data.toString()}\nsecond `);
      peer.send("line\n");
      peer.close(4000, "that is all");
    }));
    const loop = await createLoop();
    try {
      const source = new WebSocketSource(new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`));
      const lines = await loop.run(async () => {
        const stream = new IOStream(loop, source);
        await stream.write("first");
        const got = [text(await stream.readUntil("\n")), text(await stream.readUntil("\n"))];
        const after = await stream.readUntil("\n").catch((error: unknown) => error);
        expect(after).toBeInstanceOf(StreamClosedError);
        expect((after as Error).message).toMatch(/WebSocket close 4000: that is all/);
        return got;
      }, { timeoutMs: 10_000 });
      expect(lines).toEqual(["first\n", "second line\n"]);
    } finally {
      loop.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("IOStream arguments", () => {
  it("validates every argument", async () => {
    const { loop } = await virtualLoop();
    const source = () => new ReadableSource(new ReadableStream());
    expect(() => new IOStream({} as never, source())).toThrow(/loop must be an IOLoop/);
    expect(() => new IOStream(loop, {} as never)).toThrow(/source must have read\(\) and close\(\)/);
    expect(() => new IOStream(loop, source(), { sink: {} as never })).toThrow(/sink must have write\(\)/);
    expect(() => new IOStream(loop, source(), { maxBufferSize: 0 })).toThrow(RangeError);
    const stream = new IOStream(loop, source());
    expect(() => stream.readUntil("")).toThrow(/non-empty/);
    expect(() => stream.readUntil(5 as never)).toThrow(TypeError);
    expect(() => stream.readUntil("\n", { maxBytes: -1 })).toThrow(/maxBytes/);
    expect(() => stream.readBytes(-1)).toThrow(RangeError);
    expect(() => stream.readBytes(1.5)).toThrow(RangeError);
    expect(() => stream.readBytes(1, { partial: "yes" as never })).toThrow(/partial must be a boolean/);
    expect(() => stream.readBytes(1, null as never)).toThrow(TypeError);
    expect(() => stream.write(42 as never)).toThrow(TypeError);
    expect(() => stream.write("x")).toThrow(/no sink/);
  });
});
