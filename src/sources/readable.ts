// ReadableSource: a ReadableStream of bytes (a fetch() response body) as a
// Source (see source.ts).
//
//   READ   while chunks are buffered, and at the end of the stream until
//          read() has returned null.
//   ERROR  once, if the stream errors, after every chunk that arrived
//          before the error has been read; `error` is the stream's reason.
//
// Backpressure is real: the source asks the stream for the next chunk only
// while it holds fewer than highWaterMark bytes, so a handler that reads
// slowly slows the producer (over HTTP, down to the TCP window) instead of
// filling memory. The buffer holds at most highWaterMark - 1 bytes plus one
// chunk, since a chunk arrives whole.
//
// The stream is read through a reader the platform makes for it (new
// ReadableStreamDefaultReader), not through stream.getReader(): a subclass's
// getReader, and the reader it gave, would be user code called from promise
// callbacks, where a throw is an unhandled rejection. What the platform will
// not read is refused at construction; what it took may still throw later
// (in Node, a Proxy of a stream passes, and may be revoked): a reader call
// that throws is the stream failing, ERROR with that error.

import { READ } from "../events.js";
import { checkOptions, describe, isInstance } from "../validate.js";
import { SizedQueue } from "./queue.js";
import { BaseSource, ignore } from "./source.js";
import { checkByteCount } from "./validate.js";

export interface ReadableSourceOptions {
  /** Bytes buffered before the source stops reading the stream. Default 64 KiB. */
  highWaterMark?: number;
}

const DEFAULT_HIGH_WATER_MARK = 64 << 10;

export class ReadableSource extends BaseSource {
  readonly highWaterMark: number;
  #failure: unknown;

  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #chunks = new SizedQueue<Uint8Array>();
  /** A reader.read() is outstanding: at most one at a time. */
  #pulling = false;
  #done = false;
  #failed = false;
  #eofReturned = false;
  #closedByOwner = false;

  constructor(stream: ReadableStream<Uint8Array>, options: ReadableSourceOptions = {}) {
    super("ReadableSource");
    if (typeof ReadableStream === "undefined" || !isInstance(stream, ReadableStream)) {
      throw new TypeError(`ReadableSource: stream must be a ReadableStream, got ${describe(stream)}`);
    }
    checkOptions<ReadableSourceOptions>("ReadableSource", options, { highWaterMark: true });
    const { highWaterMark = DEFAULT_HIGH_WATER_MARK } = options;
    checkByteCount("ReadableSource", "highWaterMark", highWaterMark);
    // The platform refuses a locked stream, and one it did not make (an
    // object made from the prototype; in browsers, a Proxy): its error is the cause.
    try {
      this.#reader = new ReadableStreamDefaultReader(stream);
    } catch (cause) {
      throw new TypeError("ReadableSource: stream is locked (already being read), or not one the platform can read", { cause });
    }
    this.highWaterMark = highWaterMark;
    this.#pull();
  }

  /** The next chunk; undefined if none is buffered yet; null at the end of
   *  the stream (after the last chunk), and from then on. */
  read(): Uint8Array | null | undefined {
    const chunk = this.#chunks.shift(byteLength);
    if (chunk !== undefined) {
      if (this.#chunks.length === 0 && !this.#done) this.#drained();
      this.#pull();
      return chunk;
    }
    if (this.#done || this.#closedByOwner) {
      this.#eofReturned = true;
      this.unmarkReady(READ);
      return null;
    }
    return undefined;
  }

  /** Bytes of unread chunks held. */
  get bufferedBytes(): number { return this.#chunks.bytes; }

  /** The stream's error, once it has failed. */
  get error(): unknown { return this.#failure; }

  /** Cancels the stream and drops unread chunks; read() returns null. */
  close(): void {
    if (this.#closedByOwner) return;
    this.#closedByOwner = true;
    this.#chunks.clear();
    this.unmarkAll();
    if (!this.#done && !this.#failed) this.#cancel();
  }

  /** Cancels the stream, whatever its reader does (the source is done with it). */
  #cancel(reason?: unknown): void {
    try {
      this.#reader.cancel(reason).catch(ignore);
    } catch {
      // a stream that throws here is gone either way
    }
  }

  /** True once the stream has ended, failed, or been closed. */
  get closed(): boolean { return this.#closedByOwner || this.#done || this.#failed; }

  #drained(): void {
    this.unmarkReady(READ);
    if (this.#failed) this.reportError();
  }

  #pull(): void {
    if (this.#pulling || this.closed || this.#chunks.bytes >= this.highWaterMark) return;
    this.#pulling = true;
    try {
      this.#reader.read().then(this.#onChunk, this.#onFailure);
    } catch (error) {
      this.#onFailure(error);
    }
  }

  readonly #onChunk = (result: ReadableStreamReadResult<Uint8Array>): void => {
    this.#pulling = false;
    if (this.#closedByOwner) return;
    if (result.done) {
      this.#done = true;
      if (!this.#eofReturned) this.markReady(READ);
      return;
    }
    const chunk = result.value as unknown;
    if (!isInstance(chunk, Uint8Array)) {
      const error = new TypeError(`ReadableSource: the stream gave ${describe(chunk)}, not a Uint8Array`);
      this.#cancel(error);
      return this.#onFailure(error);
    }
    if (chunk.byteLength > 0) {
      this.#chunks.push(chunk, chunk.byteLength);
      this.markReady(READ);
    }
    this.#pull();
  };

  readonly #onFailure = (reason: unknown): void => {
    this.#pulling = false;
    if (this.#closedByOwner || this.#failed) return;
    this.#failed = true;
    this.#failure = reason;
    if (this.#chunks.length === 0) this.reportError();
  };
}

function byteLength(chunk: Uint8Array): number { return chunk.byteLength; }
