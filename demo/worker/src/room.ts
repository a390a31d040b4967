// Room: a chat room as a Durable Object. Every WebSocket that joins is a
// WebSocketSource on the room's one loop; every message is broadcast to the
// room; a PeriodicCallback sends heartbeats; a connection that sends nothing
// for idleTimeoutMs is closed with IDLE_CLOSE_CODE.
//
// Invariant: a connection is in `connections` exactly while its source has a
// handler on the loop and its idle timeout is pending, so the loop's
// pendingTimeouts is connections + 1 (the heartbeat) while anyone is here,
// and 0 when the room is empty. stats() lets a test see that.
//
// The sockets are accepted with accept(), not the hibernation API: the loop
// holds the room in memory, so the object must stay awake while anyone is
// connected (as it does while an accepted WebSocket is open).

import { DurableObject } from "cloudflare:workers";
import { ERROR, IOLoop, PeriodicCallback, READ, WebSocketSource, type LoopStats, type Timeout } from "wasm-ioloop";
import { readSettings, type Env, type Settings } from "./settings.js";

/** The close code for a connection that was silent for idleTimeoutMs
 *  (4000-4999 is for applications, RFC 6455 7.4.2). */
export const IDLE_CLOSE_CODE = 4000;
export const IDLE_CLOSE_REASON = "idle timeout";

interface Connection {
  readonly id: number;
  readonly source: WebSocketSource;
  /** Pushed back by every message with refresh(): the same handle and the
   *  same timer-store entry for the connection's whole life. */
  readonly idle: Timeout;
}

/** A client keeps a quiet connection open by sending this text: it pushes
 *  the idle timeout back and is answered {"type":"pong"}, not broadcast. */
export const PING = "ping";

/** What the demo's /rooms/<name>/stats endpoint returns. */
export interface RoomStats extends LoopStats {
  connections: number;
  heartbeats: number;
  /** Connections closed by the room for idleness. */
  idleClosed: number;
  /** Connections that went away by themselves: closed, dropped, failed. */
  peerClosed: number;
}

export class Room extends DurableObject<Env> {
  private readonly settings: Settings;
  private readonly connections = new Map<WebSocketSource, Connection>();
  /** Set once the first connection has made the loop (see open()). */
  private loop: IOLoop | undefined;
  private heartbeat: PeriodicCallback | undefined;
  private opening: Promise<IOLoop> | undefined;
  private nextId = 1;
  private heartbeats = 0;
  private idleClosed = 0;
  private peerClosed = 0;

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.settings = readSettings(env);
  }

  /** A WebSocket upgrade joins the room. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const loop = await this.open();
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    this.join(loop, server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** The room's counts (called over RPC by the Worker). */
  async stats(): Promise<RoomStats> {
    const counts = this.loop?.stats() ?? {
      pendingTimeouts: 0, queuedCallbacks: 0, handlers: 0, readySources: 0, hostTimers: 0, iterations: 0, slices: 0, wasmMemoryBytes: 0, hostSlots: 0,
    };
    return {
      ...counts, connections: this.connections.size, heartbeats: this.heartbeats,
      idleClosed: this.idleClosed, peerClosed: this.peerClosed,
    };
  }

  /** The loop, made on the first connection rather than in the constructor:
   *  an object that only answers stats() never loads the core. */
  private open(): Promise<IOLoop> {
    this.opening ??= IOLoop.create().then((loop) => {
      // start() settles only when the loop stops; it rejects if the core fails.
      loop.start().catch((error: unknown) => console.error("Room: the loop failed", error));
      this.heartbeat = new PeriodicCallback(loop, this.beat, this.settings.heartbeatMs);
      this.loop = loop;
      return loop;
    });
    return this.opening;
  }

  private join(loop: IOLoop, socket: WebSocket): void {
    const source = new WebSocketSource(socket, { maxBufferBytes: this.settings.maxMessageBytes });
    const connection: Connection = {
      id: this.nextId++,
      source,
      idle: loop.callLater(this.settings.idleTimeoutMs, this.closeIdle, source),
    };
    this.connections.set(source, connection);
    loop.addHandler(source, this.onReady, READ);
    if (!this.heartbeat!.isRunning()) this.heartbeat!.start();
    this.send(connection, {
      type: "welcome", id: connection.id,
      idleTimeoutMs: this.settings.idleTimeoutMs, heartbeatMs: this.settings.heartbeatMs,
    });
  }

  /** The one handler for every socket of the room. */
  private readonly onReady = (source: WebSocketSource, events: number): void => {
    const connection = this.connections.get(source);
    if (!connection) return;
    if (events & READ) {
      for (let message = source.read(); message !== undefined; message = source.read()) {
        this.loop?.refreshTimeout(connection.idle);
        if (message === PING) {
          this.send(connection, { type: "pong" });
          continue;
        }
        const text = typeof message === "string" ? message : `(${message.byteLength} bytes of binary)`;
        this.broadcast({ type: "message", from: connection.id, text });
      }
    }
    // The socket closed (the client left, cleanly or not) or failed.
    if (events & ERROR) this.leave(connection, "peer");
  };

  private readonly closeIdle = (source: WebSocketSource): void => {
    const connection = this.connections.get(source);
    if (!connection) return;
    source.close(IDLE_CLOSE_CODE, IDLE_CLOSE_REASON);
    this.leave(connection, "idle");
  };

  /** Forgets a connection: its handler, its timeout, its socket. */
  private leave(connection: Connection, why: "idle" | "peer"): void {
    if (!this.connections.delete(connection.source)) return;
    if (why === "idle") this.idleClosed++;
    else this.peerClosed++;
    this.loop!.removeTimeout(connection.idle);
    this.loop!.removeHandler(connection.source);
    connection.source.close();
    if (this.connections.size === 0) this.heartbeat!.stop();
  }

  private readonly beat = (): void => {
    this.heartbeats++;
    this.broadcast({ type: "heartbeat", seq: this.heartbeats });
  };

  private broadcast(message: object): void {
    const text = JSON.stringify(message);
    for (const connection of this.connections.values()) this.sendText(connection, text);
  }

  private send(connection: Connection, message: object): void {
    this.sendText(connection, JSON.stringify(message));
  }

  /** A socket that closed under us is left at once; its ERROR may still be
   *  on its way. */
  private sendText(connection: Connection, text: string): void {
    try {
      connection.source.write(text);
    } catch {
      this.leave(connection, "peer");
    }
  }
}
