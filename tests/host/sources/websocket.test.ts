// WebSocketSource against real peers on 127.0.0.1: a `ws` server, and a raw
// server that does only the handshake so a test can pause or cut TCP.
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket as WsClient, type WebSocket as PeerSocket } from "ws";
import {
  ERROR, READ, WRITE, StreamBufferFullError, StreamClosedError, WebSocketSource, type IOLoop,
} from "../../../src/index.js";
import { createLoop } from "../helpers.js";
import { frameHeader, startRawWsServer, startWsServer, until } from "./servers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const peer = await startWsServer();
  const loop = await createLoop();
  cleanups.push(() => peer.stop(), () => { if (!loop.running) loop.close(); });
  return { peer, loop };
}

/** Runs the loop until `done` resolves (bounded, against hangs). */
function runUntil<T>(loop: IOLoop, done: () => Promise<T>): Promise<T> {
  return loop.run(done, { timeoutMs: 10_000 });
}

function closeEvent(socket: PeerSocket | WsClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe("WebSocketSource", () => {
  it("echoes text as a string and binary as bytes, over Node's global WebSocket", async () => {
    const { peer, loop } = await setup();
    void peer.next().then((server) => server.on("message", (data, isBinary) => server.send(data, { binary: isBinary })));
    const source = new WebSocketSource(new WebSocket(peer.url));
    const received: (string | Uint8Array)[] = [];
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (s, events) => {
        if (events & WRITE) {
          s.write("hello");
          s.write(Uint8Array.of(1, 2, 3));
          loop.updateHandler(s, READ);
        }
        for (let m = s.read(); m !== undefined; m = s.read()) received.push(m);
        if (received.length === 2) resolve();
      }, READ | WRITE);
    }));
    expect(received[0]).toBe("hello");
    expect(received[1]).toBeInstanceOf(Uint8Array);
    expect([...(received[1] as Uint8Array)]).toEqual([1, 2, 3]);
    source.close();
  });

  it("on a `ws` server socket, reads text and binary and writes them back", async () => {
    const { peer, loop } = await setup();
    const client = new WebSocket(peer.url);
    client.binaryType = "arraybuffer";
    const echoed: (string | number[])[] = [];
    client.addEventListener("message", (event) => {
      echoed.push(typeof event.data === "string" ? event.data : [...new Uint8Array(event.data as ArrayBuffer)]);
    });
    client.addEventListener("open", () => { client.send("text"); client.send(Uint8Array.of(9, 8, 7)); });
    const source = new WebSocketSource(await peer.next());
    await runUntil(loop, () => new Promise<void>((resolve) => {
      let count = 0;
      loop.addHandler(source, (s) => {
        for (let m = s.read(); m !== undefined; m = s.read()) {
          s.write(m);
          if (++count === 2) loop.callLater(1, () => until(() => echoed.length === 2, "the echoes").then(resolve));
        }
      }, READ);
    }));
    expect(echoed).toEqual(["text", [9, 8, 7]]);
    client.close();
  });

  it("on a `ws` server socket, bounds the receive buffer and closes with 1009 when a flood passes it", async () => {
    const { peer, loop } = await setup();
    const client = new WsClient(peer.url);
    const clientClosed = closeEvent(client);
    const maxBufferBytes = 16 << 10;
    const source = new WebSocketSource(await peer.next(), { maxBufferBytes });
    let largest = 0;
    source.socket.addEventListener("message", () => { largest = Math.max(largest, source.bufferedBytes); });
    // The peer sends 1 KiB messages, numbered, as fast as it can.
    let sent = 0;
    const flood = (): void => {
      for (let i = 0; i < 64 && client.readyState === WsClient.OPEN; i++) client.send(`${sent++} `.padEnd(1024, "x"));
      if (client.readyState === WsClient.OPEN) setImmediate(flood);
    };
    client.once("open", flood);
    const read: number[] = [];
    let errors = 0;
    await runUntil(loop, () => new Promise<void>((resolve) => {
      // The handler only watches for ERROR; a timer reads one message per 2 ms.
      loop.addHandler(source, (_s, events) => {
        if (events & ERROR) errors++;
        loop.callLater(50, resolve); // long enough to see a second ERROR if there were one
      }, 0);
      const readOne = (): void => {
        const message = source.read();
        if (message !== undefined) read.push(parseInt(message as string, 10));
        if (!source.closed || source.bufferedBytes > 0) loop.callLater(2, readOne);
      };
      loop.callLater(2, readOne);
    }));
    expect(largest).toBeLessThanOrEqual(maxBufferBytes);
    expect(await clientClosed).toEqual({ code: 1009, reason: `receive buffer full (maxBufferBytes ${maxBufferBytes})` });
    expect(source.closeCode).toBe(1009);
    expect(source.error).toBeInstanceOf(StreamBufferFullError);
    expect(errors).toBe(1);
    // Every message the source took was read, in order, none skipped.
    expect(read.length).toBeGreaterThan(0);
    expect(read).toEqual(read.map((_, i) => i));
    expect(sent).toBeGreaterThan(read.length);
  });

  it("on Node's WebSocket, where script may not send 1009, closes with 4009 and says why", async () => {
    const { peer, loop } = await setup();
    const source = new WebSocketSource(new WebSocket(peer.url), { maxBufferBytes: 8 << 10 });
    const server = await peer.next();
    const serverSaw = closeEvent(server);
    const flood = (): void => {
      for (let i = 0; i < 64 && server.readyState === WsClient.OPEN; i++) server.send(new Uint8Array(1024));
      if (server.readyState === WsClient.OPEN) setImmediate(flood);
    };
    flood();
    expect(await serverSaw).toEqual({ code: 4009, reason: "receive buffer full (maxBufferBytes 8192)" });
    expect(source.closeCode).toBe(4009);
    expect(source.bufferedBytes).toBe(8 << 10);
    // The eight messages that fit are still readable, then ERROR comes once.
    const seen: string[] = [];
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (s, events) => {
        if (events & READ) seen.push(`${(s.read() as Uint8Array).byteLength}`);
        if (events & ERROR) {
          seen.push("error");
          loop.callLater(50, resolve);
        }
      }, READ);
    }));
    expect(seen).toEqual([...Array(8).fill("1024"), "error"]);
  });

  it("when the peer closes with a code and reason, delivers the messages first, then ERROR once", async () => {
    const { peer, loop } = await setup();
    const source = new WebSocketSource(new WebSocket(peer.url));
    void peer.next().then((server) => {
      server.send("one");
      server.send("two");
      server.send("three");
      server.close(4321, "done here");
    });
    // Everything has arrived, close included, before the handler runs.
    await until(() => source.closed, "the peer's close");
    expect(source.bufferedBytes).toBe(11);
    const seen: string[] = [];
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (s, events) => {
        if (events & READ) seen.push(String(s.read()));
        if (events & ERROR) {
          seen.push(`error ${s.closeCode} ${s.closeReason}`);
          loop.callLater(50, resolve);
        }
      }, READ);
    }));
    expect(seen).toEqual(["one", "two", "three", "error 4321 done here"]);
    expect(source.error).toBeUndefined();
    expect(loop.stats().readySources).toBe(0);
  });

  it("when the TCP connection is cut in the middle of a message, keeps what came whole, then ERROR with 1006", async () => {
    const raw = await startRawWsServer();
    const loop = await createLoop();
    cleanups.push(() => raw.stop(), () => { if (!loop.running) loop.close(); });
    const source = new WebSocketSource(new WebSocket(raw.url));
    void raw.next().then((socket) => {
      const whole = new TextEncoder().encode("whole");
      socket.write(Buffer.concat([frameHeader(1, whole.length), whole, frameHeader(2, 1000), new Uint8Array(10)]), () => {
        setTimeout(() => socket.destroy(), 20);
      });
    });
    const seen: string[] = [];
    let errors = 0;
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (s, events) => {
        for (let m = s.read(); m !== undefined; m = s.read()) seen.push(String(m));
        if (events & ERROR) {
          errors++;
          loop.callLater(50, resolve);
        }
      }, READ);
    }));
    expect(seen).toEqual(["whole"]);
    expect(source.closeCode).toBe(1006);
    expect(errors).toBe(1);
  });

  it("throws StreamClosedError on a write after the peer closed, and after close()", async () => {
    const { peer, loop } = await setup();
    const source = new WebSocketSource(new WebSocket(peer.url));
    void peer.next().then((server) => server.close(4000, "go away"));
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (_s, events) => { if (events & ERROR) resolve(); }, 0);
    }));
    expect(() => source.write("late")).toThrow(StreamClosedError);
    expect(() => source.write("late")).toThrow("WebSocketSource.write: the socket is closed (code 4000: go away)");

    const second = new WebSocketSource(new WebSocket(peer.url));
    await until(() => second.socket.readyState === WebSocket.OPEN, "the second socket to open");
    second.close(1000, "bye");
    expect(() => second.write("late")).toThrow(StreamClosedError);
    expect(second.read()).toBeUndefined();
    expect(second.readyEvents).toBe(0);
  });

  it("refuses a write while the socket is still connecting, with an Error that says to wait for WRITE, and sends it once WRITE comes", async () => {
    const { peer, loop } = await setup();
    const received = peer.next().then((server) => new Promise<string>((resolve) => server.once("message", (data) => resolve(data.toString()))));
    const source = new WebSocketSource(new WebSocket(peer.url));
    expect(source.socket.readyState).toBe(WebSocket.CONNECTING);
    expect(() => source.write("early")).toThrow("WebSocketSource.write: the socket is still connecting; wait for WRITE");
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (s, events) => {
        if (events & WRITE) { s.write("on time"); loop.removeHandler(s); resolve(); }
      }, WRITE);
    }));
    expect(await received).toBe("on time");
    source.close();
  });

  it("polls for WRITE only while a handler wants it and the socket is not writable, never in a busy loop", async () => {
    const raw = await startRawWsServer();
    const loop = await createLoop();
    cleanups.push(() => raw.stop(), () => { if (!loop.running) loop.close(); });
    const source = new WebSocketSource(new WebSocket(raw.url));
    const server = raw.next();
    let writeEvents = 0;
    await runUntil(loop, async () => {
      const tcp = await server;
      tcp.pause(); // the peer stops reading: the kernel buffers fill, then bufferedAmount stays up
      loop.addHandler(source, (_s, events) => { if (events & WRITE) writeEvents++; }, WRITE);
      await until(() => writeEvents > 0, "the socket to open");
      source.write(new Uint8Array(32 << 20));
      const wanted = writeEvents;
      expect(source.readyEvents & WRITE).toBe(0);

      let before = loop.stats().iterations;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const whileWanted = loop.stats().iterations - before;
      expect(writeEvents).toBe(wanted);
      // Backing off to 32 ms gives about 15 polls in 300 ms; a busy loop, thousands.
      expect(whileWanted).toBeLessThan(40);

      loop.updateHandler(source, 0);
      before = loop.stats().iterations;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(loop.stats().iterations - before).toBeLessThanOrEqual(1); // nothing wants WRITE: no polling

      loop.updateHandler(source, WRITE);
      tcp.resume(); // the peer reads again: bufferedAmount falls, the poll sees it
      await until(() => writeEvents > wanted, "WRITE after the peer drained the socket", 20_000);
    });
    expect(source.readyEvents & WRITE).toBe(WRITE);
    source.close();
  });

  it("reports ERROR at once for a socket that was closed before it was wrapped", async () => {
    const { peer, loop } = await setup();
    const socket = new WebSocket(peer.url);
    await until(() => socket.readyState === WebSocket.OPEN, "the socket to open");
    socket.close();
    await until(() => socket.readyState === WebSocket.CLOSED, "the socket to close");
    const source = new WebSocketSource(socket);
    let errors = 0;
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (_s, events) => { if (events & ERROR) errors++; loop.callLater(20, resolve); }, READ);
    }));
    expect(errors).toBe(1);
    expect(source.closed).toBe(true);
  });

  it("ends with ERROR on an error event that no close event follows (Node's WebSocket closed while connecting)", async () => {
    const { peer, loop } = await setup();
    const socket = new WebSocket(peer.url);
    const source = new WebSocketSource(socket);
    socket.close();
    let errors = 0;
    await runUntil(loop, () => new Promise<void>((resolve) => {
      loop.addHandler(source, (_s, events) => { if (events & ERROR) errors++; loop.callLater(20, resolve); }, READ | WRITE);
    }));
    expect(errors).toBe(1);
    expect(source.error).toBeInstanceOf(Error);
    expect(() => source.write("x")).toThrow(StreamClosedError);
  });

  it("validates its arguments", async () => {
    const { peer } = await setup();
    const socket = new WebSocket(peer.url);
    cleanups.push(() => socket.close());
    expect(() => new WebSocketSource({} as WebSocket)).toThrow(TypeError);
    expect(() => new WebSocketSource(socket, { maxBufferBytes: 0 })).toThrow(/maxBufferBytes/);
    expect(() => new WebSocketSource(socket, { maxBufferBytes: NaN })).toThrow(RangeError);
    expect(() => new WebSocketSource(socket, { lowWaterMark: -1 })).toThrow(/lowWaterMark/);
    expect(() => new WebSocketSource(socket, null as never)).toThrow(TypeError);
    const source = new WebSocketSource(socket);
    expect(() => source.write(42 as never)).toThrow(TypeError);
    expect(() => source.close(999)).toThrow(/code must be an integer from 1000 to 4999/);
    expect(() => source.close(1000.5)).toThrow(RangeError);
    expect(() => source.close(1000, "x".repeat(124))).toThrow(/at most 123 bytes/);
    expect(() => source.close(1000, 7 as never)).toThrow(TypeError);
  });
});
