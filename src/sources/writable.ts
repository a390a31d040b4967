// WritableSink: a WritableStream (a TransformStream's writable side, a
// response being streamed) as a Source (see source.ts).
//
//   WRITE  while the stream's desiredSize is above 0: its queue is under the
//          high-water mark its strategy set. The stream's `ready` promise says
//          when that becomes true again, so nothing is polled.
//   ERROR  once, if the stream errors or a write fails; `error` is the
//          reason.
//
// write() hands a chunk to the stream at once, whatever the readiness: the
// stream queues it, and its strategy decides the bound. Handlers (and
// IOStream) keep that queue near the bound by writing only while WRITE is
// ready.
//
// The stream is written through a writer the platform makes for it (new
// WritableStreamDefaultWriter), not through stream.getWriter(), for the
// reasons ReadableSource gives; a writer call that throws is the stream
// failing, ERROR with that error.

import { WRITE } from "../events.js";
import { describe, isInstance } from "../validate.js";
import { StreamClosedError } from "./errors.js";
import { BaseSource, ignore } from "./source.js";

export class WritableSink<W = Uint8Array> extends BaseSource {
  #failure: unknown;

  readonly #writer: WritableStreamDefaultWriter<W>;
  #failed = false;
  #closing: Promise<void> | undefined;
  #waitingForReady = false;

  constructor(stream: WritableStream<W>) {
    super("WritableSink");
    if (typeof WritableStream === "undefined" || !isInstance(stream, WritableStream)) {
      throw new TypeError(`WritableSink: stream must be a WritableStream, got ${describe(stream)}`);
    }
    // The platform refuses a locked stream, and one it did not make (an
    // object made from the prototype; in browsers, a Proxy): its error is the cause.
    try {
      this.#writer = new WritableStreamDefaultWriter(stream);
    } catch (cause) {
      throw new TypeError("WritableSink: stream is locked (already being written), or not one the platform can write to", { cause });
    }
    this.#writer.closed.then(undefined, this.#onFailure);
    this.#updateWritable();
  }

  /** Why the stream failed, once it has. */
  get error(): unknown { return this.#failure; }

  /** The stream's desiredSize: room left under its high-water mark (0 or
   *  less: full; null once it has failed). */
  get desiredSize(): number | null { return this.#writer.desiredSize; }

  /** Hands `chunk` to the stream. A failure shows as ERROR, not as a throw
   *  here; writing after close() or a failure throws StreamClosedError. */
  write(chunk: W): void {
    if (chunk === undefined) throw new TypeError("WritableSink.write: chunk must not be undefined");
    if (this.#closing !== undefined || this.#failed) {
      throw new StreamClosedError(`WritableSink.write: the stream is ${this.#failed ? "failed" : "closed"}`, { cause: this.error });
    }
    try {
      this.#writer.write(chunk).then(undefined, this.#onFailure);
    } catch (error) {
      this.#onFailure(error);
    }
    this.#updateWritable();
  }

  /** Closes the stream once the chunks already written have been taken;
   *  the promise settles then (rejecting if the stream fails first). */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.unmarkAll();
      try {
        this.#closing = this.#failed ? Promise.reject(this.error) : this.#writer.close();
      } catch (error) {
        this.#closing = Promise.reject(error);
      }
      this.#closing.catch(ignore); // a caller that does not await still sees nothing unhandled
    }
    return this.#closing;
  }

  /** True once closed or failed. */
  get closed(): boolean { return this.#closing !== undefined || this.#failed; }

  #updateWritable(): void {
    if (this.closed) return;
    let size: number | null;
    try {
      size = this.#writer.desiredSize;
    } catch (error) {
      return this.#onFailure(error);
    }
    if (size !== null && size > 0) return this.markReady(WRITE);
    this.unmarkReady(WRITE);
    if (this.#waitingForReady) return;
    this.#waitingForReady = true;
    this.#writer.ready.then(this.#onReady, ignore); // a failure arrives through `closed`
  }

  readonly #onReady = (): void => {
    this.#waitingForReady = false;
    this.#updateWritable();
  };

  readonly #onFailure = (reason: unknown): void => {
    if (this.#failed || this.#closing !== undefined) return;
    this.#failed = true;
    this.#failure = reason;
    this.unmarkReady(WRITE);
    this.reportError();
  };
}
