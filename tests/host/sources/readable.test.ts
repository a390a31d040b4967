// ReadableSource over fetch() bodies from a real HTTP server on 127.0.0.1,
// and over in-process ReadableStreams where a test must count pulls exactly.
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ERROR, READ, ReadableSource, type IOLoop } from "../../../src/index.js";
import { createLoop, virtualLoop } from "../helpers.js";
import { startHttpServer, until } from "./servers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function realLoop(): Promise<IOLoop> {
  const loop = await createLoop();
  cleanups.push(() => { if (!loop.running) loop.close(); });
  return loop;
}

/** A stream that makes a 1000-byte chunk each time it is pulled, and never
 *  ahead of a read (highWaterMark 0). */
function countingStream() {
  const counts = { pulls: 0, cancelled: undefined as unknown };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) { counts.pulls++; controller.enqueue(new Uint8Array(1000)); },
    cancel(reason) { counts.cancelled = reason ?? "cancelled"; },
  }, { highWaterMark: 0 });
  return { stream, counts };
}

/** Answers each request with chunks made by `produce`, written only while
 *  the response accepts them (write() returning false waits for drain). */
function chunkedServer(produce: (response: ServerResponse) => void) {
  return startHttpServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/octet-stream" });
    produce(response);
  });
}

describe("ReadableSource", () => {
  it("asks the stream for a chunk only while it holds less than highWaterMark", async () => {
    const { stream, counts } = countingStream();
    const source = new ReadableSource(stream, { highWaterMark: 3000 });
    await until(() => counts.pulls >= 3, "the first three pulls");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counts.pulls).toBe(3);
    expect(source.bufferedBytes).toBe(3000);
    expect(source.read()?.byteLength).toBe(1000);
    await until(() => counts.pulls === 4, "one pull after one read");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counts.pulls).toBe(4);
    source.close();
  });

  it("slows a fast HTTP producer down to the pace of a slow handler", async () => {
    const chunk = 16 << 10, limit = 128 << 20; // the limit only matters if backpressure is broken
    const producer = { written: 0, waiting: false, lastWrite: Date.now(), resumedAfterStall: false, stop: false };
    const server = await chunkedServer((response) => {
      const write = (): void => {
        producer.waiting = false;
        while (!producer.stop && producer.written < limit) {
          producer.written += chunk;
          producer.lastWrite = Date.now();
          if (!response.write(new Uint8Array(chunk).fill(producer.written / chunk))) {
            producer.waiting = true;
            response.once("drain", () => { producer.resumedAfterStall = true; write(); });
            return;
          }
        }
        response.end();
      };
      write();
    });
    cleanups.push(() => server.stop());
    const loop = await realLoop();
    const source = new ReadableSource((await fetch(server.url)).body!, { highWaterMark: 64 << 10 });

    // Nobody reads: the producer stalls after the buffers on the way fill.
    await until(() => producer.waiting && Date.now() - producer.lastWrite > 200, "the producer to stall");
    const stalledAt = producer.written;
    expect(stalledAt).toBeLessThan(64 << 20);
    producer.resumedAfterStall = false; // drains before the stall do not count

    let received = 0;
    let inOrder = true;
    const take = (bytes: Uint8Array): void => {
      for (let i = 0; i < bytes.byteLength; i++) {
        if (bytes[i] !== (Math.floor((received + i) / chunk) + 1) % 256) inOrder = false;
      }
      received += bytes.byteLength;
    };
    // The source stopped asking once it held highWaterMark bytes: all but
    // its last chunk fit under the mark.
    const held: number[] = [];
    for (let c = source.read(); c; c = source.read()) {
      held.push(c.byteLength);
      take(c);
    }
    expect(held.length).toBeGreaterThan(0);
    expect(received - held[held.length - 1]).toBeLessThan(64 << 10);

    // A handler that reads one chunk per iteration, and stops the producer
    // once it has resumed: everything produced arrives, in order.
    await loop.run(() => new Promise<void>((resolve) => {
      loop.addHandler(source, (s) => {
        const bytes = s.read();
        if (bytes === null) return resolve();
        if (bytes === undefined) return;
        take(bytes);
        if (producer.resumedAfterStall) producer.stop = true;
      }, READ);
    }), { timeoutMs: 30_000 });
    expect(producer.resumedAfterStall).toBe(true);
    expect(received).toBe(producer.written);
    expect(inOrder).toBe(true);
    expect(received).toBeGreaterThan(stalledAt);
  });

  it("returns null after the last byte, once READ has been withdrawn, and never reports ERROR", async () => {
    const server = await chunkedServer((response) => { response.write("abc"); response.end("def"); });
    cleanups.push(() => server.stop());
    const loop = await realLoop();
    const source = new ReadableSource((await fetch(server.url)).body!);
    const seen: string[] = [];
    await loop.run(() => new Promise<void>((resolve) => {
      loop.addHandler(source, (s, events) => {
        if (events & ERROR) seen.push("error");
        if (!(events & READ)) return;
        const bytes = s.read();
        seen.push(bytes === null ? "eof" : bytes === undefined ? "nothing" : new TextDecoder().decode(bytes));
        if (bytes === null) loop.callLater(50, resolve); // long enough to see READ again if it stayed
      }, READ);
    }), { timeoutMs: 10_000 });
    expect(seen.join("")).toBe("abcdefeof");
    expect(source.read()).toBeNull();
    expect(source.readyEvents).toBe(0);
  });

  it("when the response fails mid-way, delivers the bytes that came, then ERROR once with the cause", async () => {
    const server = await chunkedServer((response) => {
      response.write(new Uint8Array(3000).fill(7), () => setTimeout(() => response.destroy(), 50));
    });
    cleanups.push(() => server.stop());
    const loop = await realLoop();
    const source = new ReadableSource((await fetch(server.url)).body!);
    let bytes = 0, errors = 0;
    await loop.run(() => new Promise<void>((resolve) => {
      loop.addHandler(source, (s, events) => {
        for (let c = s.read(); c; c = s.read()) bytes += c.byteLength;
        if (events & ERROR) {
          errors++;
          expect(bytes).toBe(3000); // all data before the ERROR
          loop.callLater(50, resolve);
        }
      }, READ);
    }), { timeoutMs: 10_000 });
    expect(errors).toBe(1);
    expect(source.error).toBeInstanceOf(TypeError); // fetch's "terminated"
    expect(source.read()).toBeUndefined(); // a failure is not an end of stream
  });

  it("cancels the stream on close(), and the HTTP server sees the response aborted", async () => {
    const { stream, counts } = countingStream();
    const local = new ReadableSource(stream);
    local.close();
    await until(() => counts.cancelled !== undefined, "the stream to be cancelled");
    expect(local.read()).toBeNull();

    let aborted = false;
    const server = await chunkedServer((response) => {
      response.on("close", () => { aborted = !response.writableFinished; });
      response.write("start");
    });
    cleanups.push(() => server.stop());
    const remote = new ReadableSource((await fetch(server.url)).body!);
    await until(() => remote.bufferedBytes > 0, "the first bytes");
    remote.close();
    await until(() => aborted, "the server to see the response aborted");
  });

  it("reports ERROR for a chunk that is not a Uint8Array", async () => {
    const { loop, clock } = await virtualLoop();
    const stream = new ReadableStream({ start(c) { c.enqueue("text" as never); } });
    const source = new ReadableSource(stream);
    let errors = 0;
    loop.addHandler(source, (_s, events) => { if (events & ERROR) errors++; }, READ);
    void loop.start();
    await clock.advance(10);
    expect(errors).toBe(1);
    expect(source.error).toBeInstanceOf(TypeError);
    loop.stop();
  });

  it("validates its arguments", () => {
    expect(() => new ReadableSource({} as ReadableStream)).toThrow(TypeError);
    expect(() => new ReadableSource(new ReadableStream(), { highWaterMark: 0 })).toThrow(/highWaterMark/);
    expect(() => new ReadableSource(new ReadableStream(), { highWaterMark: 1.5 })).toThrow(RangeError);
    expect(() => new ReadableSource(new ReadableStream(), "big" as never)).toThrow(TypeError);
    const locked = new ReadableStream();
    locked.getReader();
    expect(() => new ReadableSource(locked)).toThrow(/locked/);
  });
});
