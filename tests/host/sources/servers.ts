// Real peers for the source tests, on 127.0.0.1 and an ephemeral port,
// started and stopped by the tests that use them.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type WebSocket as PeerSocket } from "ws";

export interface WsPeer {
  url: string;
  /** The server side of each connection, in order of arrival. */
  next(): Promise<PeerSocket>;
  stop(): Promise<void>;
}

/** Connections in order of arrival, each handed to the first next() that
 *  asks for it, whether it arrived before or after the call. */
function arrivals<T>(): { arrive(item: T): void; next(): Promise<T> } {
  const arrived: T[] = [];
  const waiting: ((item: T) => void)[] = [];
  return {
    arrive(item) {
      const waiter = waiting.shift();
      if (waiter) waiter(item);
      else arrived.push(item);
    },
    next() {
      const item = arrived.shift();
      return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

export async function startWsServer(): Promise<WsPeer> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const connections = arrivals<PeerSocket>();
  server.on("connection", (socket) => connections.arrive(socket));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    next: connections.next,
    stop: () => {
      for (const client of server.clients) client.terminate();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface HttpPeer {
  url: string;
  stop(): Promise<void>;
}

export async function startHttpServer(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<HttpPeer> {
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RawWsPeer {
  url: string;
  /** The TCP socket of each connection, after the handshake, in order. */
  next(): Promise<Socket>;
  stop(): Promise<void>;
}

/** A WebSocket server that only does the handshake: the test writes frames
 *  (see frame()) and controls the TCP socket itself (pause it, cut it). */
export async function startRawWsServer(): Promise<RawWsPeer> {
  const server = createServer((_request, response) => response.writeHead(426).end());
  const connections = arrivals<Socket>();
  const sockets = new Set<Socket>();
  server.on("upgrade", (request: IncomingMessage, socket: Socket) => {
    const accept = createHash("sha1")
      .update(`${request.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    connections.arrive(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    next: connections.next,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** An unmasked server-to-client frame header (FIN set) announcing
 *  `length` payload bytes: opcode 1 text, 2 binary. */
export function frameHeader(opcode: number, length: number): Uint8Array {
  if (length < 126) return Uint8Array.of(0x80 | opcode, length);
  if (length < 65536) return Uint8Array.of(0x80 | opcode, 126, length >> 8, length & 0xff);
  throw new RangeError("frameHeader: test frames stay under 64 KiB");
}

/** Resolves when `condition()` holds, checking on each macrotask; rejects
 *  after `limitMs` (a generous bound against hangs, not a timing assertion). */
export async function until(condition: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
