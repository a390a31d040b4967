// HibernatableWebSockets: the sockets of a Durable Object that may sleep
// while its clients stay connected. accept() hands a socket to the platform
// (ctx.acceptWebSocket); the object forwards its webSocketMessage,
// webSocketClose and webSocketError calls here, and each reaches the
// socket's HibernatingSocket as the event a WebSocketSource listens for.
//
// After the object wakes, every socket still open is found again with
// ctx.getWebSockets(): sockets() returns them, each with its attachment.
// Invariant: one HibernatingSocket per platform socket for the life of the
// instance, so a source made on it keeps receiving that socket's events.

import { describe, hasMethods } from "../validate.js";
import type { DurableObjectStateLike, HibernatableSocketLike } from "./host.js";
import { HibernatingSocket } from "./hibernating-socket.js";

export class HibernatableWebSockets {
  readonly #ctx: DurableObjectStateLike;
  readonly #known = new Map<HibernatableSocketLike, HibernatingSocket>();

  constructor(ctx: DurableObjectStateLike) {
    if (!hasMethods(ctx, "acceptWebSocket", "getWebSockets")) {
      throw new TypeError(`HibernatableWebSockets: ctx must be the Durable Object's state, with acceptWebSocket and getWebSockets, got ${describe(ctx)}`);
    }
    this.#ctx = ctx;
  }

  /** Accepts the server end of a WebSocketPair for hibernation, with its
   *  first attachment, and returns it ready for a WebSocketSource. */
  accept(socket: HibernatableSocketLike, attachment?: unknown, tags?: string[]): HibernatingSocket {
    if (!hasMethods(socket, "serializeAttachment")) {
      throw new TypeError(`HibernatableWebSockets.accept: socket must be a WebSocket, got ${describe(socket)}`);
    }
    this.#ctx.acceptWebSocket(socket, tags);
    const wrapped = this.wrap(socket);
    if (attachment !== undefined) wrapped.attachment = attachment;
    return wrapped;
  }

  /** Every socket this object has accepted that the platform still holds,
   *  including those accepted before the object last hibernated. */
  sockets(tag?: string): HibernatingSocket[] {
    return this.#ctx.getWebSockets(tag).map((socket) => this.wrap(socket as HibernatableSocketLike));
  }

  /** The HibernatingSocket of a platform socket. */
  wrap(socket: HibernatableSocketLike): HibernatingSocket {
    let wrapped = this.#known.get(socket);
    if (wrapped === undefined) this.#known.set(socket, wrapped = new HibernatingSocket(socket));
    return wrapped;
  }

  /** Call from the object's webSocketMessage(ws, message). */
  message(socket: HibernatableSocketLike, message: string | ArrayBuffer): void {
    this.wrap(socket).dispatch("message", { data: message });
  }

  /** Call from the object's webSocketClose(ws, code, reason, wasClean). */
  close(socket: HibernatableSocketLike, code: number, reason: string): void {
    const wrapped = this.#known.get(socket) ?? this.wrap(socket);
    this.#known.delete(socket);
    wrapped.dispatch("close", { code, reason });
  }

  /** Call from the object's webSocketError(ws, error). */
  error(socket: HibernatableSocketLike, error: unknown): void {
    this.wrap(socket).dispatch("error", { error });
  }
}
