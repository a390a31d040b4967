// WebSocketSource over a socket that misbehaves once the source is in use: a
// real socket (Node's WebSocket, to a `ws` server on 127.0.0.1) behind an
// object whose getters and methods a test makes throw. Whatever it does, the
// source ends once with ERROR (after the messages it already holds), its
// `error` names what threw and keeps it as `cause`, nothing throws out of a
// listener or a hook, and the loop goes on. Refusals at construction are in
// tests/reliability/bad-input-streams.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket as PeerSocket } from "ws";
import { ERROR, READ, WRITE, StreamClosedError, WebSocketSource, type ErrorContext, type IOLoop } from "../../../src/index.js";
import { createLoop } from "../helpers.js";
import { startWsServer, until } from "./servers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Part = "readyState" | "bufferedAmount" | "send" | "close";

/** A real socket behind an object with the WebSocket API, each part of which
 *  throws its own error (`thrown[part]`) once the test has put it in `broken`. */
function breakable(real: WebSocket) {
  const broken = new Set<Part>();
  const thrown: Record<Part, Error> = {
    readyState: new Error("readyState broke"),
    bufferedAmount: new Error("bufferedAmount broke"),
    send: new Error("send broke"),
    close: new Error("close broke"),
  };
  const check = (part: Part): void => { if (broken.has(part)) throw thrown[part]; };
  const socket = {
    get readyState() { check("readyState"); return real.readyState; },
    get bufferedAmount() { check("bufferedAmount"); return real.bufferedAmount; },
    get binaryType() { return real.binaryType; },
    set binaryType(value: BinaryType) { real.binaryType = value; },
    send(data: string | ArrayBufferLike | ArrayBufferView) { check("send"); real.send(data as string); },
    close(code?: number, reason?: string) { check("close"); real.close(code, reason); },
    addEventListener: real.addEventListener.bind(real) as WebSocket["addEventListener"],
    removeEventListener: real.removeEventListener.bind(real) as WebSocket["removeEventListener"],
  };
  return { socket, broken, thrown };
}

function closeEvent(socket: PeerSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** A loop whose onError collects what it reports, a `ws` server, and a
 *  breakable Node WebSocket to it, connecting (no source on it yet). */
async function connectBreakable() {
  const reports: ErrorContext[] = [];
  const loop = await createLoop({ onError: (context) => { reports.push(context); } });
  const peer = await startWsServer();
  const real = new WebSocket(peer.url);
  cleanups.push(() => peer.stop(), () => real.close(), () => { if (!loop.running) loop.close(); });
  return { loop, reports, peer, real, ...breakable(real) };
}

/** The same, with a source on the socket, open, and the server's end. */
async function openBreakable() {
  const { loop, reports, peer, real, socket, broken, thrown } = await connectBreakable();
  const source = new WebSocketSource(socket);
  const server = await peer.next();
  await until(() => real.readyState === WebSocket.OPEN, "the socket to open");
  return { loop, reports, real, source, server, broken, thrown };
}

/** Runs the loop until the handler has seen ERROR, then 50 ms more (long
 *  enough to see a second ERROR if there were one, and to show that a
 *  timeout set after it still runs). */
function runUntilError(loop: IOLoop, source: WebSocketSource, seen: string[], afterAdding: () => void = () => {}): Promise<void> {
  return loop.run(() => new Promise<void>((resolve) => {
    loop.addHandler(source, (s, events) => {
      if (events & READ) for (let m = s.read(); m !== undefined; m = s.read()) seen.push(String(m));
      if (events & ERROR) {
        seen.push("error");
        loop.callLater(50, () => { seen.push("later"); resolve(); });
      }
    }, READ);
    afterAdding();
  }), { timeoutMs: 5_000 });
}

describe("WebSocketSource over a socket that throws once in use", () => {
  for (const part of ["readyState", "bufferedAmount"] as const) {
    it(`a ${part} getter that throws when the loop asks the source for WRITE: ERROR once, after the messages already held, with the thrown error as cause; the socket is closed with 4011; nothing is reported to onError`, async () => {
      const { loop, reports, source, server, broken, thrown } = await openBreakable();
      const serverSaw = closeEvent(server);
      server.send("one");
      server.send("two");
      await until(() => source.bufferedBytes === 6, "the two messages");
      const seen: string[] = [];
      await runUntilError(loop, source, seen, () => {
        broken.add(part);
        // The loop tells the source its handler now wants WRITE: the source
        // reads readyState and bufferedAmount there, inside the loop's call.
        loop.updateHandler(source, READ | WRITE);
      });
      expect(seen).toEqual(["one", "two", "error", "later"]);
      expect(source.error).toBeInstanceOf(Error);
      expect((source.error as Error).message).toBe("WebSocketSource: the socket threw");
      expect((source.error as Error).cause).toBe(thrown[part]);
      // Node's WebSocket takes no 1011 from script: the source sends 4011.
      expect(await serverSaw).toEqual({ code: 4011, reason: "the socket threw" });
      expect([source.closeCode, source.closeReason]).toEqual([4011, "the socket threw"]);
      expect(source.closed).toBe(true);
      expect(reports).toEqual([]);
      expect(loop.stats().readySources).toBe(0);
      loop.checkInvariants();
    });
  }

  it("a readyState getter that throws when the open event arrives (in the socket's own dispatch): ERROR once, nothing uncaught", async () => {
    const { loop, reports, real, socket, broken, thrown } = await connectBreakable();
    // Listeners run in the order they were added: this one breaks the
    // getter just before the source's own open listener reads it.
    real.addEventListener("open", () => broken.add("readyState"));
    const source = new WebSocketSource(socket);
    const seen: string[] = [];
    await runUntilError(loop, source, seen);
    expect(seen).toEqual(["error", "later"]);
    expect((source.error as Error).cause).toBe(thrown.readyState);
    expect(source.closeCode).toBe(4011);
    expect(reports).toEqual([]);
    await until(() => real.readyState === WebSocket.CLOSED, "the socket to close");
  });

  it("a send that throws: write() throws StreamClosedError naming WebSocketSource.write, the source ends with ERROR once, the thrown error as cause", async () => {
    const { loop, reports, source, server, broken, thrown } = await openBreakable();
    const serverSaw = closeEvent(server);
    broken.add("send");
    let writeError: unknown;
    const seen: string[] = [];
    await runUntilError(loop, source, seen, () => {
      try {
        source.write("hello");
      } catch (error) {
        writeError = error;
      }
    });
    expect(writeError).toBeInstanceOf(StreamClosedError);
    expect((writeError as Error).message).toBe("WebSocketSource.write: the socket is closed (code 4011: the socket threw)");
    expect((writeError as Error).cause).toBe(source.error);
    expect((source.error as Error).cause).toBe(thrown.send);
    expect(seen).toEqual(["error", "later"]);
    expect(await serverSaw).toEqual({ code: 4011, reason: "the socket threw" });
    expect(reports).toEqual([]);
  });

  it("a close() that throws: source.close() does not throw, the source is closed, and error keeps what was thrown; loop.close({ closeSources: true }) reports nothing", async () => {
    const { loop, reports, source, broken, thrown } = await openBreakable();
    broken.add("close");
    expect(() => source.close()).not.toThrow();
    expect(source.closed).toBe(true);
    expect((source.error as Error).message).toBe("WebSocketSource: the socket threw");
    expect((source.error as Error).cause).toBe(thrown.close);
    // Every attempt to close threw: no close frame was sent (1006).
    expect(source.closeCode).toBe(1006);

    const second = await openBreakable();
    second.loop.addHandler(second.source, () => {}, READ);
    second.broken.add("close");
    second.loop.close({ closeSources: true });
    expect(second.source.closed).toBe(true);
    expect((second.source.error as Error).cause).toBe(second.thrown.close);
    expect(second.reports).toEqual([]);
    expect(reports).toEqual([]);
    expect(loop.stats().readySources).toBe(0);
  });

  it("close(1001) on a socket that refuses the code (Node's WebSocket) throws the socket's error, and nothing is closed", async () => {
    const { source, real } = await openBreakable();
    expect(() => source.close(1001)).toThrow(); // the platform's own error ("invalid code" in Node)
    expect(source.closed).toBe(false);
    expect(source.error).toBeUndefined();
    expect(real.readyState).toBe(WebSocket.OPEN);
    source.close(1000);
    expect(source.closed).toBe(true);
  });

  it("a message event whose data is a revoked Proxy, or whose data getter throws: ERROR once (4003 for data no message has, 4011 for an event that throws), nothing uncaught", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const broke = new Error("data broke");
    class ThrowingMessage extends Event {
      get data(): unknown { throw broke; }
    }
    const cases: [Event, string, unknown, number][] = [
      [new MessageEvent("message", { data: proxy }), "WebSocketSource: a message arrived as a revoked Proxy", undefined, 4003],
      [new ThrowingMessage("message"), "WebSocketSource: the socket threw", broke, 4011],
    ];
    for (const [event, message, cause, code] of cases) {
      const { loop, reports, source, real } = await openBreakable();
      const seen: string[] = [];
      await runUntilError(loop, source, seen, () => real.dispatchEvent(event));
      expect(seen).toEqual(["error", "later"]);
      expect((source.error as Error).message).toBe(message);
      if (cause !== undefined) expect((source.error as Error).cause).toBe(cause);
      expect(source.closeCode).toBe(code);
      expect(reports).toEqual([]);
    }
  });
});
