// WebSocketSource: a standard WebSocket as a Source (see source.ts).
// Works on the browser's WebSocket, Node's global one, the server end of a
// Cloudflare WebSocketPair (already accepted: OPEN, no `open` event), and a
// `ws` socket; all four offer addEventListener, send, close, readyState.
//
//   READ   while received messages are buffered. The buffer is bounded
//          (maxBufferBytes): a WebSocket cannot push back on its peer, so a
//          message that would pass the bound closes the socket (1009, or
//          4009 where script may not send 1009) and ends the source with
//          StreamBufferFullError: memory never grows past the bound and no
//          message is dropped without an ERROR saying so.
//   WRITE  while OPEN and bufferedAmount <= lowWaterMark. No event says when
//          bufferedAmount falls, so while a handler wants WRITE and the
//          socket is not writable it is polled on the loop's timer, backing
//          off from 1 ms to 32 ms; never otherwise.
//   ERROR  once the socket has closed or failed, for whatever reason, and
//          every message that arrived before has been read: closeCode and
//          closeReason say how; `error` is set if it failed (an error event,
//          the buffer bound). ERROR after an error event waits for the
//          close event that follows it (browsers fire `error`, then `close`
//          with the code and reason, in one task), so closeCode and
//          closeReason are known when ERROR is reported. Where no close
//          event follows (Node's WebSocket, on a failed connection), the
//          source ends one macrotask later with 1006, as a browser reports.
//
// The socket is the user's object, and nothing it does may throw from a
// place the user did not call, or be lost: a getter or method that throws, a
// revoked Proxy, an event whose getters throw. At construction that refuses
// the socket: a TypeError naming WebSocketSource and what threw. Afterwards
// every entry that touches the socket (its listeners, the loop's hooks and
// poll, write, close) does so under guard, and a throw breaks the source
// (see broke): it ends as on a failure, once, ERROR after the unread
// messages, `error` holding what was thrown as its cause. write() then
// throws StreamClosedError, as on any closed socket; close() closes the
// source all the same (only a close code the socket refuses is thrown).

import { READ, WRITE } from "../events.js";
import type { IOLoop, Timeout } from "../loop/ioloop.js";
import { describe, checkOptions, hasMethods, isInstance } from "../validate.js";
import { StreamBufferFullError, StreamClosedError } from "./errors.js";
import { SizedQueue } from "./queue.js";
import { BaseSource } from "./source.js";
import { checkByteCount, encoder } from "./validate.js";

/** The events of a WebSocket that a source listens to. */
export type SocketEvent = "message" | "close" | "error" | "open";

/** What WebSocketSource needs of a socket: the standard WebSocket API, as
 *  the DOM, `ws` and Workers type it. (Listeners take `any` because each of
 *  those types its events differently.) */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount?: number;
  binaryType?: string;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: SocketEvent, listener: (event: any) => void): void;
  removeEventListener(type: SocketEvent, listener: (event: any) => void): void;
}

export interface WebSocketSourceOptions {
  /** Bytes of received, unread messages the source holds at most (text
   *  counts its length in UTF-16 code units). Default 1 MiB. */
  maxBufferBytes?: number;
  /** WRITE is ready while bufferedAmount is at most this. Default 64 KiB. */
  lowWaterMark?: number;
}

export type WebSocketMessage = string | Uint8Array;

const DEFAULT_MAX_BUFFER_BYTES = 1 << 20;
const DEFAULT_LOW_WATER_MARK = 64 << 10;
const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
/** "Message too big" (RFC 6455 7.4.1). Browsers and Node's WebSocket let
 *  script send only 1000 and 3000-4999; where the platform refuses a code,
 *  the source sends it plus 3000 (4009 here: private use, easy to read). */
const CLOSE_TOO_BIG = 1009, SCRIPT_CODE_OFFSET = 3000;
/** "Closed without a close frame" (RFC 6455 7.1.5), as browsers report a failed connection. */
const CLOSE_ABNORMAL = 1006;
/** "An unexpected condition" (RFC 6455 7.4.1): the code the source closes
 *  with when the socket itself throws. */
const CLOSE_UNEXPECTED = 1011;
/** The close-reason bound, in UTF-8 bytes (RFC 6455 5.5: 125 - 2). */
const MAX_REASON_BYTES = 123;
const FIRST_POLL_MS = 1, LAST_POLL_MS = 32;

export class WebSocketSource extends BaseSource {
  readonly maxBufferBytes: number;
  readonly lowWaterMark: number;
  #code: number | undefined;
  #reason: string | undefined;
  #failure: unknown;

  readonly #messages = new SizedQueue<WebSocketMessage>();
  /** No more messages will be buffered: the socket closed or overflowed. */
  #ended = false;
  /** The owner called close(). */
  #closedByOwner = false;
  #poll: Timeout | undefined;
  /** The loop the poll is scheduled on (it may have been detached since). */
  #pollLoop: IOLoop | undefined;
  #pollMs = FIRST_POLL_MS;
  /** After an error event: the host timer that ends the source if no close event follows. */
  #closeWait: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly socket: WebSocketLike, options: WebSocketSourceOptions = {}) {
    super("WebSocketSource");
    const state = checkSocket(socket);
    checkOptions<WebSocketSourceOptions>("WebSocketSource", options, { maxBufferBytes: true, lowWaterMark: true });
    const { maxBufferBytes = DEFAULT_MAX_BUFFER_BYTES, lowWaterMark = DEFAULT_LOW_WATER_MARK } = options;
    checkByteCount("WebSocketSource", "maxBufferBytes", maxBufferBytes);
    checkByteCount("WebSocketSource", "lowWaterMark", lowWaterMark, true);
    this.maxBufferBytes = maxBufferBytes;
    this.lowWaterMark = lowWaterMark;
    useArrayBuffers(socket);
    try {
      this.#listen("addEventListener");
    } catch (error) {
      this.#unlisten();
      throw threw("addEventListener", error);
    }
    if (state === CLOSED) this.#end(undefined, "", undefined);
    else this.#updateWritable();
  }

  /** The next message (text as a string, binary as a Uint8Array), or
   *  undefined if none is buffered. */
  read(): WebSocketMessage | undefined {
    const message = this.#messages.shift(sizeOf);
    if (this.#messages.length === 0) {
      this.unmarkReady(READ);
      if (this.#ended && !this.#closedByOwner) this.reportError();
    }
    return message;
  }

  /** Bytes of unread messages held. */
  get bufferedBytes(): number { return this.#messages.bytes; }

  /** The close code: the peer's, or the one this side sent first. */
  get closeCode(): number | undefined { return this.#code; }

  get closeReason(): string | undefined { return this.#reason; }

  /** Why the socket failed: an error event's error, a StreamBufferFullError,
   *  an Error saying the socket threw, or a TypeError for a message whose
   *  data could not be read. */
  get error(): unknown { return this.#failure; }

  /** Sends one message: a string as text, bytes as binary. Throws an Error
   *  while the socket is still connecting (wait for WRITE), and
   *  StreamClosedError once it is closing or closed, or has thrown (a socket
   *  that throws ends the source: ERROR after the unread messages, `error`
   *  an Error that says so, with what was thrown as its cause). */
  write(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    if (typeof data !== "string" && !ArrayBuffer.isView(data) && !isInstance(data, ArrayBuffer)) {
      throw new TypeError(`WebSocketSource.write: data must be a string, an ArrayBuffer or a Uint8Array, got ${describe(data)}`);
    }
    let state = CLOSED;
    try {
      if (!this.closed) state = this.socket.readyState;
      if (state === OPEN) this.socket.send(data);
    } catch (error) {
      this.#broke(error);
    }
    this.#updateWritable();
    if (state === CONNECTING) {
      throw new Error("WebSocketSource.write: the socket is still connecting; wait for WRITE");
    }
    if (state !== OPEN || this.#ended) {
      throw new StreamClosedError(`WebSocketSource.write: the socket is closed${this.#describeClose()}`, { cause: this.error });
    }
  }

  /** Closes the socket (code 1000 or 3000-4999 everywhere; `ws` and
   *  Workers also take most of 1001-1014) and drops unread messages; reports
   *  nothing more. A code from 1001 to 2999 that the socket refuses: its
   *  error is thrown, and nothing is closed; after any other throw the
   *  source is closed all the same, and `error` says the socket threw
   *  (with what was thrown as its cause). */
  close(code?: number, reason?: string): void {
    if (code !== undefined && (!Number.isInteger(code) || code < 1000 || code > 4999)) {
      throw new RangeError(`WebSocketSource.close: code must be an integer from 1000 to 4999, got ${describe(code)}`);
    }
    if (reason !== undefined) {
      if (typeof reason !== "string") throw new TypeError(`WebSocketSource.close: reason must be a string, got ${describe(reason)}`);
      if (encoder.encode(reason).length > MAX_REASON_BYTES) {
        throw new RangeError(`WebSocketSource.close: reason must be at most ${MAX_REASON_BYTES} bytes of UTF-8`);
      }
    }
    if (this.#closedByOwner) return;
    try {
      if (this.socket.readyState < CLOSING) this.socket.close(code, reason);
    } catch (error) {
      // Browsers and Node's WebSocket refuse 1001-2999 from script: their
      // own error, and nothing is closed. Any other throw breaks the source.
      if (code! > 1000 && code! < 3000) throw error;
      this.#broke(error);
    }
    this.#closedByOwner = true;
    this.#stopWaitingForClose();
    this.#code ??= code ?? 1000;
    this.#reason ??= reason ?? "";
    this.#messages.clear();
    this.#ended = true;
    this.#stopPolling();
    this.unmarkAll();
    this.#unlisten();
  }

  /** True once the owner closed it or the socket closed. */
  get closed(): boolean { return this.#closedByOwner || this.#ended; }

  protected override interestUpdated(): void {
    this.#updateWritable();
  }

  /** The socket threw: it cannot be trusted any more, so the source ends as
   *  on a failure (the socket is asked to close with 1011, or 4011), unless
   *  it is ending already (the first reason stands). */
  #broke(thrown: unknown): void {
    if (this.#ended) return;
    this.#fail(CLOSE_UNEXPECTED, "the socket threw", new Error("WebSocketSource: the socket threw", { cause: thrown }));
  }

  /** A listener that never throws: a throw would land in the socket's own
   *  dispatch (an uncaught exception), far from any call of the user's. */
  #listener<E>(body: (event: E) => void): (event: E) => void {
    return (event) => {
      try {
        body(event);
      } catch (error) {
        this.#broke(error);
      }
    };
  }

  readonly #onMessage = this.#listener((event: { data: unknown }): void => {
    if (this.#ended) return; // after an overflow, until the close completes
    const message = toMessage(event.data);
    if (message === undefined) {
      return this.#fail(1003, "unsupported data", new TypeError(`WebSocketSource: a message arrived as ${describe(event.data)}`));
    }
    const size = sizeOf(message);
    if (this.#messages.bytes + size > this.maxBufferBytes) {
      const reason = `receive buffer full (maxBufferBytes ${this.maxBufferBytes})`;
      return this.#fail(CLOSE_TOO_BIG, reason, new StreamBufferFullError(
        `WebSocketSource: a ${size}-byte message would take the unread messages past maxBufferBytes (${this.maxBufferBytes}); the socket was closed`,
      ));
    }
    this.#messages.push(message, size);
    this.markReady(READ);
  });

  readonly #onOpen = (): void => { this.#updateWritable(); }; // guarded there

  readonly #onClose = this.#listener((event: { code?: number; reason?: string }): void => {
    this.#stopWaitingForClose();
    this.#end(event.code, event.reason ?? "", this.error);
  });

  /** An error event is followed by a close event, in the same task in
   *  browsers: the source ends on that close, so that ERROR comes with its
   *  code and reason. Node's WebSocket sends no close after a failed
   *  connection: a host timer (the next macrotask, after the task that fired
   *  `error`) ends the source with 1006, the code RFC 6455 (7.1.5) gives a
   *  connection that closed without a close frame. */
  readonly #onSocketError = this.#listener((event: { error?: unknown; message?: string }): void => {
    if (this.#ended || this.#closeWait !== undefined) return;
    const error = event.error ?? new Error(`WebSocketSource: ${event.message || "the socket failed"}`);
    this.#failure = error;
    this.#closeWait = setTimeout(() => {
      this.#closeWait = undefined;
      this.#end(CLOSE_ABNORMAL, "", error);
    }, 0);
  });

  #stopWaitingForClose(): void {
    if (this.#closeWait === undefined) return;
    clearTimeout(this.#closeWait);
    this.#closeWait = undefined;
  }

  /** Closes the socket from this side because of `error`, with `code` (or
   *  its 4xxx twin where the platform refuses it) and `reason`. */
  #fail(code: number, reason: string, error: Error): void {
    this.#failure = error;
    try {
      this.socket.close(code, reason);
    } catch {
      code += SCRIPT_CODE_OFFSET;
      try {
        this.socket.close(code, reason);
      } catch {
        code = CLOSE_ABNORMAL; // no close frame was sent (RFC 6455 7.1.5)
      }
    }
    this.#end(code, reason, error);
  }

  /** No more messages: report ERROR now, or after the last unread one. */
  #end(code: number | undefined, reason: string, error: unknown): void {
    if (this.#closedByOwner) return;
    if (!this.#ended) {
      this.#ended = true;
      this.#code = code;
      this.#reason = reason;
      this.#failure = error;
    }
    try {
      if (this.socket.readyState === CLOSED) this.#unlisten();
    } catch {
      // The source has ended: a socket that throws here can tell it nothing more.
    }
    this.#stopPolling();
    this.unmarkReady(WRITE);
    if (this.#messages.length === 0) this.reportError();
  }

  /** Under guard: it reads the socket, for its listeners, the loop's hook
   *  and poll, write() and the constructor. */
  #updateWritable(): void {
    let writable: boolean;
    try {
      if (this.closed || this.socket.readyState !== OPEN) return this.#stopPolling();
      // Workers' sockets have no bufferedAmount (workerd issue 988): open is writable.
      writable = (this.socket.bufferedAmount ?? 0) <= this.lowWaterMark;
    } catch (error) {
      return this.#broke(error);
    }
    if (writable) {
      this.markReady(WRITE);
      this.#stopPolling();
      return;
    }
    this.unmarkReady(WRITE);
    if ((this.interest & WRITE) === 0) return this.#stopPolling();
    this.#startPolling();
  }

  #startPolling(): void {
    const loop = this.attachedLoop;
    if (this.#poll !== undefined || loop === undefined) return;
    this.#poll = loop.callLater(this.#pollMs, this.#onPoll);
    this.#pollLoop = loop;
  }

  readonly #onPoll = (): void => {
    this.#poll = undefined;
    this.#pollMs = Math.min(this.#pollMs * 2, LAST_POLL_MS);
    this.#updateWritable();
  };

  #stopPolling(): void {
    this.#pollMs = FIRST_POLL_MS;
    if (this.#poll === undefined) return;
    this.#pollLoop?.removeTimeout(this.#poll);
    this.#pollLoop = undefined;
    this.#poll = undefined;
  }

  /** Adds this source's listeners to the socket, or removes them. */
  #listen(method: "addEventListener" | "removeEventListener"): void {
    this.socket[method]("message", this.#onMessage);
    this.socket[method]("close", this.#onClose);
    this.socket[method]("error", this.#onSocketError);
    this.socket[method]("open", this.#onOpen);
  }

  /** Removes the listeners, for a source that is done; a socket that throws
   *  keeps them, and they do nothing once the source has ended. */
  #unlisten(): void {
    try {
      this.#listen("removeEventListener");
    } catch {
      // see above
    }
  }

  #describeClose(): string {
    if (this.#code === undefined) return "";
    return ` (code ${this.closeCode}${this.closeReason ? `: ${this.closeReason}` : ""})`;
  }
}

function sizeOf(message: WebSocketMessage): number {
  return typeof message === "string" ? message.length : message.byteLength;
}

/** Text stays a string; binary becomes a Uint8Array over the received bytes
 *  (an ArrayBuffer, or a Node Buffer from `ws` if binaryType was not set). */
function toMessage(data: unknown): WebSocketMessage | undefined {
  if (typeof data === "string") return data;
  if (isInstance(data, ArrayBuffer)) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

/** Refuses what is not a socket, and returns its readyState. */
function checkSocket(socket: unknown): number {
  let state: unknown;
  if (hasMethods(socket, "send", "close", "addEventListener", "removeEventListener")) {
    try {
      state = (socket as WebSocketLike).readyState;
    } catch (error) {
      throw threw("readyState", error);
    }
  }
  if (typeof state !== "number") {
    throw new TypeError(`WebSocketSource: socket must be a WebSocket (send, close, addEventListener, readyState), got ${describe(socket)}`);
  }
  return state;
}

/** Asks for binary messages as ArrayBuffers: Blobs can only be read
 *  asynchronously, which would reorder messages. A socket that refuses (a
 *  frozen object, a read-only or throwing binaryType) is refused here, with
 *  a message of ours rather than the engine's. */
function useArrayBuffers(socket: WebSocketLike): void {
  let type: unknown;
  try {
    type = socket.binaryType;
    if (type === undefined || type === "arraybuffer") return;
    try {
      socket.binaryType = "arraybuffer";
    } catch {
      // checked below
    }
    if (socket.binaryType === "arraybuffer") return;
  } catch (error) {
    throw threw("binaryType", error);
  }
  throw new TypeError(`WebSocketSource: socket.binaryType is ${describe(type)} and cannot be set to "arraybuffer"`);
}

/** The constructor's error for a socket whose `part` threw. */
function threw(part: string, cause: unknown): TypeError {
  return new TypeError(`WebSocketSource: socket.${part} threw`, { cause });
}
