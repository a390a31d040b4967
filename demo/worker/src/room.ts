// Room: a chat room as a Durable Object that can hibernate while its clients
// stay connected. Every WebSocket that joins is accepted for hibernation
// (HibernatableWebSockets) and read as a WebSocketSource on the room's one
// loop; every message is broadcast to the room; a recurring durable timeout
// sends heartbeats; a connection that sends nothing for idleTimeoutMs is
// closed with IDLE_CLOSE_CODE by its own durable idle timeout.
//
// The loop runs on an AlarmClock: its one host timer is the object's alarm,
// so the room arms no setTimeout and may be evicted at any time. What must
// outlive the instance is kept where the platform keeps it:
//   - each socket's id, its idle timeout's id and when it last spoke, in the
//     socket's attachment (no storage write);
//   - the idle timeouts and the heartbeat, as durable timeouts (rows);
//   - the room's counters, in one row of the `room` table.
// When the object starts again, its constructor finds its sockets with
// ctx.getWebSockets() and each one's state in its attachment.
//
// Invariant: a connection is in `connections` exactly while its source has a
// handler on the loop and its idle timeout is stored, so the loop's
// pendingTimeouts is connections + 1 (the heartbeat) while anyone is here,
// and 0 when the room is empty. stats() lets a test see that.

import { DurableObject } from "cloudflare:workers";
import { ERROR, IOLoop, READ, WebSocketSource, type LoopStats } from "wasm-ioloop";
import {
  AlarmClock, DurableTimeouts, HibernatableWebSockets, type DurableTimeout, type HibernatingSocket, type JsonValue,
} from "wasm-ioloop/durable";
import { readSettings, type Env, type Settings } from "./settings.js";

/** The close code for a connection that was silent for idleTimeoutMs
 *  (4000-4999 is for applications, RFC 6455 7.4.2). */
export const IDLE_CLOSE_CODE = 4000;
export const IDLE_CLOSE_REASON = "idle timeout";

/** What a socket's attachment holds: enough to find it again after waking. */
interface SocketState {
  id: number;
  /** Its idle timeout, a durable timeout named "idle". */
  idle: DurableTimeout;
  /** Wall-clock ms of its last message. */
  lastSeenAt: number;
}

interface Connection {
  readonly state: SocketState;
  readonly socket: HibernatingSocket;
  readonly source: WebSocketSource;
}

/** A client keeps a quiet connection open by sending this text: it pushes
 *  the idle timeout back and is answered {"type":"pong"}, not broadcast. */
export const PING = "ping";

interface Counters { nextId: number; heartbeats: number; idleClosed: number; peerClosed: number }

/** What the demo's /rooms/<name>/stats endpoint returns. */
export interface RoomStats extends LoopStats {
  connections: number;
  heartbeats: number;
  /** Connections closed by the room for idleness. */
  idleClosed: number;
  /** Connections that went away by themselves: closed, dropped, failed. */
  peerClosed: number;
  /** A fresh id per instance: changes when the object starts again. */
  instance: string;
  /** Connections this instance found open when it started. */
  restored: number;
  /** Rows the durable timeouts wrote in this instance. */
  rowsWritten: number;
}

export class Room extends DurableObject<Env> {
  private readonly settings: Settings;
  private readonly instance = crypto.randomUUID();
  private readonly sockets: HibernatableWebSockets;
  private readonly connections = new Map<WebSocketSource, Connection>();
  private loop!: IOLoop;
  private timeouts!: DurableTimeouts;
  private heartbeat: DurableTimeout | undefined;
  private counters!: Counters;
  private restored = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.settings = readSettings(env);
    this.sockets = new HibernatableWebSockets(ctx);
    void ctx.blockConcurrencyWhile(() => this.wake());
  }

  /** Loads the loop, the durable timeouts, the counters and the sockets. */
  private async wake(): Promise<void> {
    const clock = new AlarmClock(this.ctx.storage);
    this.loop = await IOLoop.create({ clock });
    this.timeouts = new DurableTimeouts(this.ctx, {
      loop: this.loop, clock, tasks: { idle: this.closeIdle, heartbeat: this.beat },
    });
    this.counters = this.readCounters();
    // start() settles only when the loop stops; it rejects if the core fails.
    this.loop.start().catch((error: unknown) => console.error("Room: the loop failed", error));
    for (const socket of this.sockets.sockets()) {
      const state = socket.attachment as SocketState | null;
      if (state === null) continue;
      this.watch(socket, state);
      this.restored++;
    }
    const { heartbeat } = this.ctx.storage.sql.exec<{ heartbeat: number | null }>("SELECT heartbeat FROM room").one();
    this.heartbeat = heartbeat === null ? undefined : heartbeat as DurableTimeout;
  }

  /** A WebSocket upgrade joins the room. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const [client, server] = Object.values(new WebSocketPair());
    const id = this.counters.nextId++;
    const state: SocketState = {
      id, idle: this.timeouts.scheduleAfter(this.settings.idleTimeoutMs, "idle", id), lastSeenAt: Date.now(),
    };
    const connection = this.watch(this.sockets.accept(server, state), state);
    if (this.heartbeat === undefined) this.heartbeat = this.timeouts.scheduleAfter(this.settings.heartbeatMs, "heartbeat", null, { periodMs: this.settings.heartbeatMs });
    this.writeCounters();
    this.send(connection, {
      type: "welcome", id, idleTimeoutMs: this.settings.idleTimeoutMs, heartbeatMs: this.settings.heartbeatMs,
    });
    return new Response(null, { status: 101, webSocket: client });
  }

  // The platform's hibernation handlers: each event reaches its socket's source.
  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void { this.sockets.message(ws, message); }
  override webSocketClose(ws: WebSocket, code: number, reason: string): void { this.sockets.close(ws, code, reason); }
  override webSocketError(ws: WebSocket, error: unknown): void { this.sockets.error(ws, error); }
  override async alarm(): Promise<void> { await this.timeouts.alarm(); }

  /** The room's counts (called over RPC by the Worker). */
  async stats(): Promise<RoomStats> {
    const { heartbeats, idleClosed, peerClosed } = this.counters;
    return {
      ...this.loop.stats(), connections: this.connections.size, heartbeats, idleClosed, peerClosed,
      instance: this.instance, restored: this.restored, rowsWritten: this.timeouts.stats().rowsWritten,
    };
  }

  private watch(socket: HibernatingSocket, state: SocketState): Connection {
    const source = new WebSocketSource(socket, { maxBufferBytes: this.settings.maxMessageBytes });
    const connection: Connection = { state, socket, source };
    this.connections.set(source, connection);
    this.loop.addHandler(source, this.onReady, READ);
    return connection;
  }

  /** The one handler for every socket of the room. */
  private readonly onReady = (source: WebSocketSource, events: number): void => {
    const connection = this.connections.get(source);
    if (!connection) return;
    if (events & READ) {
      let spoke = false;
      for (let message = source.read(); message !== undefined; message = source.read()) {
        spoke = true;
        if (message === PING) {
          this.send(connection, { type: "pong" });
          continue;
        }
        const text = typeof message === "string" ? message : `(${message.byteLength} bytes of binary)`;
        this.broadcast({ type: "message", from: connection.state.id, text });
      }
      // Batched: the idle timeout moves in memory now and its row when its
      // stored deadline comes; the attachment says when it last spoke, for
      // an instance that starts after an eviction lost the batch.
      if (spoke && this.connections.has(source)) {
        connection.state.lastSeenAt = Date.now();
        connection.socket.attachment = connection.state;
        this.timeouts.refresh(connection.state.idle, { lazy: true });
      }
    }
    // The socket closed (the client left, cleanly or not) or failed.
    if (events & ERROR) this.leave(connection, "peer");
  };

  /** The "idle" task: closes a socket that has been silent for the whole
   *  idle timeout, or moves the timeout to when it will have been. */
  private readonly closeIdle = (payload: JsonValue | undefined): void => {
    const connection = [...this.connections.values()].find((c) => c.state.id === payload);
    if (!connection) return;
    const quietUntil = connection.state.lastSeenAt + this.settings.idleTimeoutMs;
    if (quietUntil > Date.now()) {
      this.timeouts.reschedule(connection.state.idle, quietUntil);
      return;
    }
    connection.source.close(IDLE_CLOSE_CODE, IDLE_CLOSE_REASON);
    this.leave(connection, "idle");
  };

  /** Forgets a connection: its handler, its idle timeout, its socket. */
  private leave(connection: Connection, why: "idle" | "peer"): void {
    if (!this.connections.delete(connection.source)) return;
    if (why === "idle") this.counters.idleClosed++;
    else this.counters.peerClosed++;
    this.timeouts.cancel(connection.state.idle);
    this.loop.removeHandler(connection.source);
    connection.source.close();
    if (this.connections.size === 0 && this.heartbeat !== undefined) {
      this.timeouts.cancel(this.heartbeat);
      this.heartbeat = undefined;
    }
    this.writeCounters();
  }

  private readonly beat = (): void => {
    this.counters.heartbeats++;
    this.writeCounters();
    this.broadcast({ type: "heartbeat", seq: this.counters.heartbeats });
  };

  private readCounters(): Counters {
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS room (one INTEGER PRIMARY KEY CHECK (one = 1), next_id INTEGER, heartbeats INTEGER,
      idle_closed INTEGER, peer_closed INTEGER, heartbeat INTEGER)`);
    sql.exec("INSERT OR IGNORE INTO room VALUES (1, 1, 0, 0, 0, NULL)");
    const row = sql.exec<{ next_id: number; heartbeats: number; idle_closed: number; peer_closed: number }>(
      "SELECT next_id, heartbeats, idle_closed, peer_closed FROM room").one();
    return { nextId: row.next_id, heartbeats: row.heartbeats, idleClosed: row.idle_closed, peerClosed: row.peer_closed };
  }

  private writeCounters(): void {
    const { nextId, heartbeats, idleClosed, peerClosed } = this.counters;
    this.ctx.storage.sql.exec("UPDATE room SET next_id = ?, heartbeats = ?, idle_closed = ?, peer_closed = ?, heartbeat = ?",
      nextId, heartbeats, idleClosed, peerClosed, this.heartbeat ?? null);
  }

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
