// HibernatingSocket: a WebSocket accepted with ctx.acceptWebSocket(), seen
// as the standard WebSocket that WebSocketSource takes. Such a socket fires
// no events of its own: the platform calls the object's webSocketMessage,
// webSocketClose and webSocketError instead (after waking it if it was
// hibernating), and HibernatableWebSockets turns each call into the event a
// listener here expects.
//
// Its attachment is the per-socket state that survives hibernation: kept by
// the platform with the socket (serializeAttachment, at most 2 KiB), not in
// storage, so setting it costs no storage write.

import type { SocketEvent, WebSocketLike } from "../sources/websocket.js";
import type { HibernatableSocketLike } from "./host.js";

type Listener = (event: any) => void;

export class HibernatingSocket implements WebSocketLike {
  readonly #listeners = new Map<SocketEvent, Set<Listener>>();

  constructor(
    /** The platform's WebSocket. */
    readonly socket: HibernatableSocketLike,
  ) {}

  get readyState(): number { return this.socket.readyState; }

  /** The socket's state as last set, restored after hibernation. */
  get attachment(): unknown { return this.socket.deserializeAttachment(); }

  set attachment(value: unknown) { this.socket.serializeAttachment(value); }

  send(data: string | ArrayBuffer | ArrayBufferView): void { this.socket.send(data); }

  close(code?: number, reason?: string): void { this.socket.close(code, reason); }

  addEventListener(type: SocketEvent, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, set = new Set());
    set.add(listener);
  }

  removeEventListener(type: SocketEvent, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Delivers one of the object's hibernation handler calls (HibernatableWebSockets does). */
  dispatch(type: SocketEvent, event: object): void {
    const set = this.#listeners.get(type);
    if (set !== undefined) for (const listener of [...set]) listener(event);
  }
}
