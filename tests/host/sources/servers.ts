// Real peers for the source tests, on 127.0.0.1 and an ephemeral port,
// started and stopped by the tests that use them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket as PeerSocket } from "ws";

export interface WsPeer {
  url: string;
  /** The server side of each connection, in order of arrival. */
  next(): Promise<PeerSocket>;
  stop(): Promise<void>;
}

export async function startWsServer(): Promise<WsPeer> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const arrived: PeerSocket[] = [];
  const waiting: ((socket: PeerSocket) => void)[] = [];
  server.on("connection", (socket) => {
    const waiter = waiting.shift();
    if (waiter) waiter(socket);
    else arrived.push(socket);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    next: () => {
      const socket = arrived.shift();
      return socket ? Promise.resolve(socket) : new Promise((resolve) => waiting.push(resolve));
    },
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

/** Resolves when `condition()` holds, checking on each macrotask; rejects
 *  after `limitMs` (a generous bound against hangs, not a timing assertion). */
export async function until(condition: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
