// IOStream: promise-based reads and writes over a byte source and sink, after
// Tornado's IOStream. It is a handler on the loop like any other: it asks for
// READ only while a read is pending (so unread data stays in the source, whose
// own bound then pushes back on the producer) and for WRITE only while writes
// are queued. As in Tornado, a read first takes what the buffer and the source
// already hold, and a write goes straight to a sink that is WRITE-ready: only
// what has to wait costs a trip through the loop.
//
// Invariants:
//   - at most one read is pending; a second read() throws;
//   - the read buffer holds more than maxBufferSize bytes only when the chunk
//     just taken serves the pending read; a chunk that leaves it past the
//     bound without serving the read fails the stream (StreamBufferFullError).
//     The bound is absolute, as Tornado's, not relative to what the read
//     needs: a relative one would let a peer that names the size of a read
//     make the buffer as large as it likes;
//   - data that arrived before the peer closed is served before any read
//     rejects with StreamClosedError;
//   - writes reach the sink in call order, each when the sink is WRITE-ready.
//
// Ends: a source ERROR (failure, WebSocket close) or a sink ERROR closes the
// stream. A clean end of the source (read() gave null) ends reading; if the
// stream writes to a separate sink it stays open for writing until close().
//
// The source and the sink may be anyone's objects: a read() or write() that
// throws, or a readyEvents or error getter that does, fails the stream with
// what was thrown; a close() that throws is reported by the loop (onError,
// kind "source") and the stream still closes whole (the other side closed,
// every promise settled, `closed` resolved).

import { ByteBuffer } from "./byte-buffer.js";
import { ERROR, READ, WRITE } from "../events.js";
import { LoopFailedError } from "../errors.js";
import { noop, whenSettled } from "../loop/dispatch.js";
import { IOLoop } from "../loop/ioloop.js";
import { BYTES, NOT_YET, READ_NAMES, ReadRequest, TOO_LONG, UNTIL, UNTIL_CLOSE, type ReadKind } from "./read-request.js";
import { StreamBufferFullError, StreamClosedError, UnsatisfiableReadError } from "../sources/errors.js";
import type { ByteSink, ByteSource } from "../sources/source.js";
import { checkByteCount, encoder, toBytes } from "../sources/validate.js";
import { checkBoolean, checkOptions, describe, hasMethods, isInstance } from "../validate.js";

export interface IOStreamOptions {
  /** Where write() goes. Default: the source itself if it has write() (a
   *  WebSocketSource), else none (write() throws). */
  sink?: ByteSink;
  /** The most bytes the read buffer may hold while the pending read waits,
   *  whatever that read asks for (Tornado's max_buffer_size: an absolute
   *  bound, so that memory stays bounded even when the peer chooses the
   *  size of a read, as a length prefix does). Only the chunk that serves
   *  the pending read may carry the buffer past it. A read larger than this
   *  can be served only by data that arrives in one chunk; otherwise it
   *  fails with StreamBufferFullError. Default 16 MiB. */
  maxBufferSize?: number;
}

const DEFAULT_MAX_BUFFER_SIZE = 16 << 20;

interface PendingWrite { bytes: Uint8Array; resolve: () => void; reject: (error: unknown) => void }

const NO_DELIMITER = new Uint8Array(0);

export class IOStream {
  /** Settles (never rejects) once the stream is closed, from either side. */
  readonly closed: Promise<void>;
  readonly sink: ByteSink | undefined;
  readonly maxBufferSize: number;

  readonly #buffer = new ByteBuffer();
  #pending: ReadRequest | undefined;
  readonly #writes: PendingWrite[] = [];
  #readEnded = false;
  #isClosed = false;
  #failure: unknown;
  #sourceInterest = 0;
  #sinkInterest = 0;
  #resolveClosed!: () => void;
  readonly #stopWatchingLoop: () => void;

  constructor(readonly loop: IOLoop, readonly source: ByteSource, options: IOStreamOptions = {}) {
    if (!isInstance(loop, IOLoop)) throw new TypeError(`IOStream: loop must be an IOLoop, got ${describe(loop)}`);
    if (!hasMethods(source, "read", "close")) {
      throw new TypeError(`IOStream: source must have read() and close() (a WebSocketSource, a ReadableSource), got ${describe(source)}`);
    }
    checkOptions<IOStreamOptions>("IOStream", options, { sink: true, maxBufferSize: true });
    const { sink = hasMethods(source, "write") ? source as unknown as ByteSink : undefined } = options;
    const { maxBufferSize = DEFAULT_MAX_BUFFER_SIZE } = options;
    if (sink !== undefined && !hasMethods(sink, "write", "close")) {
      throw new TypeError(`IOStream: sink must have write() and close() (a WritableSink, a WebSocketSource), got ${describe(sink)}`);
    }
    checkByteCount("IOStream", "maxBufferSize", maxBufferSize);
    this.sink = sink;
    this.maxBufferSize = maxBufferSize;
    // The loop's own errors would name addHandler, a call the user did not
    // make: say first that it is IOStream that cannot start.
    if (loop.closed) throw new Error("IOStream: the loop is closed");
    if (loop.failed) throw loop.failed;
    this.closed = new Promise((resolve) => { this.#resolveClosed = resolve; });
    watch(loop, "source", source, this.#onEvents);
    if (sink !== undefined && sink !== (source as unknown)) {
      try {
        watch(loop, "sink", sink, this.#onEvents);
      } catch (error) {
        loop.removeHandler(source);
        throw error;
      }
    }
    this.#stopWatchingLoop = loop.onFailure((failure) => this.#finish(failure, false));
  }

  /** Reads up to and including the first `delimiter` (a string is UTF-8).
   *  With maxBytes, a delimiter that does not end within maxBytes rejects
   *  with UnsatisfiableReadError and closes the stream. */
  readUntil(delimiter: string | Uint8Array, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
    const bytes = typeof delimiter === "string" ? encoder.encode(delimiter) : delimiter;
    if (!isInstance(bytes, Uint8Array) || bytes.byteLength === 0) {
      throw new TypeError(`IOStream.readUntil: delimiter must be a non-empty string or Uint8Array, got ${describe(delimiter)}`);
    }
    checkOptions<{ maxBytes?: number }>("IOStream.readUntil", options, { maxBytes: true });
    const { maxBytes = Infinity } = options;
    if (maxBytes !== Infinity) checkByteCount("IOStream.readUntil", "maxBytes", maxBytes);
    return this.#startRead("readUntil", UNTIL, bytes.slice(), maxBytes, false);
  }

  /** Reads exactly n bytes; with partial, as soon as at least one byte (and
   *  at most n) is there. readBytes(0) resolves at once. */
  readBytes(n: number, options: { partial?: boolean } = {}): Promise<Uint8Array> {
    checkByteCount("IOStream.readBytes", "n", n, true);
    checkOptions<{ partial?: boolean }>("IOStream.readBytes", options, { partial: true });
    const { partial = false } = options;
    checkBoolean("IOStream.readBytes", "partial", partial);
    if (n === 0) {
      this.#checkNoPendingRead("readBytes");
      return Promise.resolve(new Uint8Array(0));
    }
    return this.#startRead("readBytes", BYTES, NO_DELIMITER, n, partial);
  }

  /** Reads everything until the source ends or closes (bounded by
   *  maxBufferSize); rejects with StreamClosedError if it failed instead. */
  readUntilClose(): Promise<Uint8Array> {
    return this.#startRead("readUntilClose", UNTIL_CLOSE, NO_DELIMITER, Infinity, false);
  }

  /** Queues `data` (a string is UTF-8) for the sink; resolves when it has
   *  been handed to the platform: at once if the sink is WRITE-ready and
   *  nothing is queued, else when it becomes so. Do not change `data` until
   *  then. Writing nothing resolves at once. */
  write(data: Uint8Array | ArrayBuffer | string): Promise<void> {
    const bytes = toBytes("IOStream.write", "data", data);
    if (this.sink === undefined) throw new Error("IOStream.write: this stream has no sink (pass options.sink)");
    if (this.#isClosed) return Promise.reject(this.#closedError("write"));
    if (bytes.byteLength === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#writes.push({ bytes, resolve, reject });
      this.#flushWrites(false); // at once if the sink is ready, as Tornado writes before it waits
    });
  }

  /** Closes the source and the sink (a WritableSink flushes what it was
   *  handed), drops unread data and rejects the pending read and queued
   *  writes with StreamClosedError. A second call does nothing. */
  close(): void {
    this.#finish(undefined, false);
  }

  /** Bytes read from the source and not yet returned by a read. */
  get bufferedBytes(): number { return this.#buffer.length; }

  /** Why the stream closed, if it was not a clean end or close(). */
  get error(): unknown { return this.#failure; }

  // ---- reading -------------------------------------------------------------

  #checkNoPendingRead(where: string): void {
    if (this.#pending !== undefined) throw new Error(`IOStream.${where}: another read is pending; wait for it first`);
  }

  #startRead(where: string, kind: ReadKind, delimiter: Uint8Array, limit: number, partial: boolean): Promise<Uint8Array> {
    this.#checkNoPendingRead(where);
    return new Promise<Uint8Array>((resolve, reject) => {
      this.#pending = new ReadRequest(kind, delimiter, limit, partial, resolve, reject);
      if (this.#settleFromBuffer()) return;
      if (this.#readEnded) return this.#settleAtEnd();
      this.#pull(); // what the source already holds, as Tornado's _try_inline_read
    });
  }

  readonly #onEvents = (target: unknown, events: number): void => {
    if (target === this.source) {
      if ((events & READ) !== 0) this.#pull();
      if ((events & ERROR) !== 0) this.#finish(errorOf(this.source), true); // the source failed
    }
    if (target === this.sink) {
      if ((events & WRITE) !== 0) this.#flushWrites(true);
      if ((events & ERROR) !== 0) this.#fail(errorOf(this.sink) ?? new StreamClosedError("IOStream: the sink failed"));
    }
  };

  /** Moves data from the source into the buffer until the pending read is
   *  served or the source has nothing more for now. */
  #pull(): void {
    while (this.#pending !== undefined && !this.#readEnded) {
      let chunk: unknown;
      try {
        chunk = this.source.read();
      } catch (error) {
        return this.#fail(error);
      }
      if (chunk === undefined) break;
      if (chunk === null) return this.#sourceEnded();
      if (typeof chunk !== "string" && !isInstance(chunk, Uint8Array)) {
        // An async read() gave a promise: the stream fails for it, and its
        // rejection, if it comes, is that failure's, not an unhandled one.
        whenSettled(chunk, noop, noop);
        return this.#fail(new TypeError(`IOStream: source.read() gave ${describe(chunk)}, not bytes, a string, null or undefined`));
      }
      this.#buffer.append(typeof chunk === "string" ? encoder.encode(chunk) : chunk as Uint8Array);
      if (this.#settleFromBuffer()) break;
      if (this.#buffer.length > this.maxBufferSize) {
        const where = READ_NAMES[this.#pending.kind];
        return this.#fail(new StreamBufferFullError(`IOStream.${where}: the read buffer passed maxBufferSize (${this.maxBufferSize} bytes) before the read could be served`));
      }
    }
    this.#updateInterest();
  }

  /** Serves the pending read from the buffer if it can; true if it settled
   *  (served, or failed because it never can be). */
  #settleFromBuffer(): boolean {
    const read = this.#pending!;
    const n = read.servable(this.#buffer);
    if (n === NOT_YET) return false;
    if (n !== TOO_LONG) return this.#serve(n);
    const error = new UnsatisfiableReadError(`IOStream.readUntil: the delimiter did not appear within maxBytes (${read.limit})`);
    this.#pending = undefined;
    read.reject(error);
    this.#fail(error);
    return true;
  }

  #serve(n: number): true {
    const read = this.#pending!;
    this.#pending = undefined;
    read.resolve(this.#buffer.take(n));
    return true;
  }

  /** The source will give nothing more: the pending read fails, except a
   *  readUntilClose after an end that was not a failure, which gets it all. */
  #settleAtEnd(): void {
    const read = this.#pending;
    if (read === undefined) return;
    if (read.kind === UNTIL_CLOSE && this.error === undefined) {
      this.#serve(this.#buffer.length);
      return;
    }
    this.#pending = undefined;
    read.reject(this.#closedError(READ_NAMES[read.kind]));
  }

  /** read() gave null: a clean end. */
  #sourceEnded(): void {
    this.#readEnded = true;
    if (this.sink === undefined || this.sink === (this.source as unknown)) return this.#finish(undefined, true);
    this.#settleAtEnd();
    this.#updateInterest();
  }

  // ---- writing -------------------------------------------------------------

  /** Hands queued writes to the sink while it says it is WRITE-ready. A
   *  sink that cannot say (no readyEvents) takes one per WRITE event. */
  #flushWrites(onWriteEvent: boolean): void {
    const sink = this.sink!;
    let allowed = onWriteEvent;
    while (this.#writes.length > 0) {
      let ready: number | undefined;
      try {
        ready = sink.readyEvents;
      } catch (error) {
        return this.#fail(error);
      }
      if (ready === undefined ? !allowed : (ready & WRITE) === 0) break;
      allowed = false;
      const write = this.#writes.shift()!;
      let written: unknown;
      try {
        written = sink.write(write.bytes);
      } catch (error) {
        write.reject(error);
        return this.#fail(error);
      }
      // A sink of the user's own may write asynchronously: the write is done
      // when its promise settles, and a rejection fails it and the stream.
      whenSettled(written, () => write.resolve(), (error) => {
        write.reject(error);
        this.#fail(error);
      });
    }
    this.#updateInterest();
  }

  // ---- ending --------------------------------------------------------------

  #fail(error: unknown): void {
    this.#finish(error, false);
  }

  /** Closes the stream once: releases the source and sink, settles what is
   *  pending. keepBuffer: the peer ended it, so reads are still served from
   *  what arrived before. */
  #finish(error: unknown, keepBuffer: boolean): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#readEnded = true;
    this.#failure = error;
    this.#stopWatchingLoop();
    this.loop.removeHandler(this.source);
    this.loop.removeHandler(this.sink); // false for none
    if (!keepBuffer) this.#buffer.clear();
    if (this.#pending !== undefined) {
      if (keepBuffer && !this.#settleFromBuffer()) this.#settleAtEnd();
      else if (!keepBuffer) this.#pending.reject(this.#rejection(error, "read"));
      this.#pending = undefined;
    }
    for (const write of this.#writes.splice(0)) write.reject(this.#rejection(error, "write"));
    this.loop.closeSource(this.source);
    if (this.sink !== (this.source as unknown)) this.loop.closeSource(this.sink); // none for no sink
    this.#resolveClosed();
  }

  /** What a pending operation rejects with when the stream closes: the
   *  failure itself if it says more than "closed". */
  #rejection(error: unknown, where: string): unknown {
    if (error instanceof StreamBufferFullError || error instanceof LoopFailedError) return error;
    return this.#closedError(where);
  }

  #closedError(where: string): StreamClosedError {
    return new StreamClosedError(`IOStream.${where}: the stream is closed${this.#why()}`, { cause: this.error });
  }

  /** For a message: the source's WebSocket close code and reason, else the
   *  failure's message; nothing if reading them throws (the source, and what
   *  it threw, may be anyone's). */
  #why(): string {
    try {
      const { closeCode: code, closeReason: reason } = this.source as { closeCode?: unknown; closeReason?: unknown };
      if (typeof code === "number") return ` (WebSocket close ${code}${reason ? `: ${String(reason)}` : ""})`;
      return this.error instanceof Error ? ` (${this.error.message})` : "";
    } catch {
      return "";
    }
  }

  /** Tells the loop what the stream waits for: READ while a read is
   *  pending, WRITE while writes are queued (one interest when the source is
   *  also the sink). */
  #updateInterest(): void {
    if (this.#isClosed) return;
    const read = this.#pending !== undefined && !this.#readEnded ? READ : 0;
    const write = this.#writes.length > 0 ? WRITE : 0;
    if (this.sink === (this.source as unknown)) {
      this.#sourceInterest = this.#want(this.source, read | write, this.#sourceInterest);
      return;
    }
    this.#sourceInterest = this.#want(this.source, read, this.#sourceInterest);
    if (this.sink !== undefined) this.#sinkInterest = this.#want(this.sink, write, this.#sinkInterest);
  }

  #want(target: unknown, events: number, current: number): number {
    if (events !== current) this.loop.updateHandler(target, events);
    return events;
  }
}

/** What a source or sink says went wrong: its `error`, or what reading it
 *  threw. */
function errorOf(target: unknown): unknown {
  try {
    return (target as { error?: unknown }).error;
  } catch (error) {
    return error;
  }
}

/** Adds the stream's handler for `what`; an error of the loop's (the source
 *  already has a handler, it is added to another loop) is rethrown as
 *  IOStream's, the loop's message kept as the detail and the cause. */
function watch(loop: IOLoop, what: "source" | "sink", target: unknown, onEvents: (target: unknown, events: number) => void): void {
  try {
    loop.addHandler(target, onEvents, 0);
  } catch (error) {
    if (error instanceof LoopFailedError || !(error instanceof Error)) throw error;
    throw new Error(`IOStream: cannot watch the ${what} (${error.message})`, { cause: error });
  }
}
