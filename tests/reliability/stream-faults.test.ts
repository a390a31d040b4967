// Faults of peers and streams, seen through IOStream: a
// WebSocket peer that vanishes mid-message, an HTTP body that errors midway,
// a peer that floods, and a loop that fails under a pending read. Each ends
// in the documented state, with the data that arrived before still readable,
// and no promise left hanging. Real servers on 127.0.0.1.

import { afterEach, describe, expect, it } from "vitest";
import { WebSocket as WsClient } from "ws";
import {
  IOStream, LoopFailedError, ReadableSource, StreamBufferFullError, StreamClosedError, WebSocketSource, type IOLoop,
} from "../../src/index.js";
import { createLoop } from "../host/helpers.js";
import { frameHeader, startHttpServer, startRawWsServer, startWsServer } from "../host/sources/servers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const outcome = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));

/** Runs the loop until `fn` settles; the bound is against hangs only. */
function runUntil<T>(loop: IOLoop, fn: () => Promise<T>): Promise<T> {
  return loop.run(fn, { timeoutMs: 10_000 });
}

/** Resolves, inside the running loop, once `condition()` holds (polled on
 *  the loop's timer; runUntil's bound keeps it from hanging). */
function when(loop: IOLoop, condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (condition() ? resolve() : loop.callLater(5, check));
    check();
  });
}

async function loopFor() {
  const loop = await createLoop();
  cleanups.push(() => { if (!loop.running && !loop.closed) loop.close(); });
  return loop;
}

describe("an IOStream whose peer or stream fails", () => {
  it("a WebSocket peer that vanishes mid-message: whole messages before it are read, then reads reject with StreamClosedError (1006)", async () => {
    const raw = await startRawWsServer();
    cleanups.push(() => raw.stop());
    const loop = await loopFor();
    const source = new WebSocketSource(new WebSocket(raw.url));
    void raw.next().then((socket) => {
      const lines = new TextEncoder().encode("one\ntwo\n");
      // Two whole lines, then a frame that announces 1000 bytes and brings 10.
      socket.write(Buffer.concat([frameHeader(1, lines.length), lines, frameHeader(2, 1000), new Uint8Array(10)]), () => {
        setTimeout(() => socket.destroy(), 20);
      });
    });
    const results = await runUntil(loop, async () => {
      const stream = new IOStream(loop, source);
      await when(loop, () => source.closeCode !== undefined); // the peer is gone before anything is read
      return [await outcome(stream.readUntil("\n")), await outcome(stream.readUntil("\n")), await outcome(stream.readUntil("\n"))];
    });
    expect(results.slice(0, 2).map((r) => "value" in r && text(r.value as Uint8Array))).toEqual(["one\n", "two\n"]);
    const last = results[2] as { error: Error };
    expect(last.error).toBeInstanceOf(StreamClosedError);
    expect(last.error.message).toMatch(/1006/);
    expect(loop.stats().handlers).toBe(0);
  });

  it("an HTTP body that errors midway: every byte that came before is readable, then reads reject with StreamClosedError", async () => {
    const http = await startHttpServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("line 1\nline 2\npartial");
      setTimeout(() => response.socket?.destroy(), 30); // mid-body: chunked encoding never finishes
    });
    cleanups.push(() => http.stop());
    const loop = await loopFor();
    const body = (await fetch(http.url)).body!;
    const results = await runUntil(loop, async () => {
      const stream = new IOStream(loop, new ReadableSource(body));
      const first = await outcome(stream.readUntil("\n"));
      const second = await outcome(stream.readUntil("\n"));
      const rest = await outcome(stream.readBytes(100, { partial: true }));
      const after = await outcome(stream.readUntil("\n"));
      await stream.closed;
      return [first, second, rest, after];
    });
    expect(results.slice(0, 3).map((r) => "value" in r && text(r.value as Uint8Array))).toEqual(["line 1\n", "line 2\n", "partial"]);
    expect((results[3] as { error: unknown }).error).toBeInstanceOf(StreamClosedError);
    expect(loop.stats().handlers).toBe(0);
  });

  it("a peer that floods past the source's bound: messages before the overflow are read in order, none skipped, then the stream closes saying why", async () => {
    const peer = await startWsServer();
    cleanups.push(() => peer.stop());
    const loop = await loopFor();
    const client = new WsClient(peer.url);
    client.on("error", () => {}); // a terminate() during the handshake reports one
    cleanups.push(() => client.terminate());
    const maxBufferBytes = 16 << 10;
    const source = new WebSocketSource(await peer.next(), { maxBufferBytes });
    let sent = 0;
    const flood = (): void => {
      for (let i = 0; i < 64 && client.readyState === WsClient.OPEN; i++) client.send(`${sent++}\n`.padStart(512, " "));
      if (client.readyState === WsClient.OPEN) setImmediate(flood);
    };
    client.once("open", flood);
    const { numbers, error } = await runUntil(loop, async () => {
      const stream = new IOStream(loop, source);
      await when(loop, () => source.closeCode !== undefined); // read nothing until the flood has overflowed the source
      const numbers: number[] = [];
      for (;;) {
        const line = await outcome(stream.readUntil("\n"));
        if ("error" in line) return { numbers, error: line.error as Error };
        numbers.push(Number(text(line.value as Uint8Array)));
      }
    });
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers).toEqual(numbers.map((_, i) => i)); // in order, none skipped
    expect(numbers.length * 512).toBeLessThanOrEqual(maxBufferBytes);
    expect(sent).toBeGreaterThan(numbers.length);
    expect(error).toBeInstanceOf(StreamClosedError);
    expect(error.message).toMatch(/1009/);
    expect((error as Error & { cause: unknown }).cause).toBeInstanceOf(StreamBufferFullError);
  });

  it("a loop that fails under a pending read and write rejects both with its failure, and the stream closes", async () => {
    const peer = await startWsServer();
    cleanups.push(() => peer.stop());
    const loop = await createLoop({ maxMemoryBytes: 65536 });
    const client = new WsClient(peer.url);
    client.on("error", () => {}); // a terminate() during the handshake reports one
    cleanups.push(() => client.terminate());
    const source = new WebSocketSource(await peer.next());
    const stream = new IOStream(loop, source);
    const read = outcome(stream.readUntil("\n")); // the peer never sends
    const started = outcome(loop.start());
    loop.callLater(5, () => {
      try { for (;;) loop.callLater(1000, () => {}); } catch { /* the loop has failed */ }
    });
    const [readResult, startResult] = await Promise.all([read, started]);
    expect((readResult as { error: unknown }).error).toBe(loop.failed);
    expect((startResult as { error: unknown }).error).toBe(loop.failed);
    expect(loop.failed).toBeInstanceOf(LoopFailedError);
    await stream.closed;
    await expect(stream.write("late")).rejects.toBeInstanceOf(StreamClosedError);
    expect(source.closed).toBe(true);
  });
});
