// The errors sources and IOStream raise, after Tornado's iostream errors.
// Each carries what caused it as `cause` (a platform error, a close code).

/** The stream or source is closed: a read that the buffered data cannot
 *  satisfy, a write, or a pending operation when the close happened. */
export class StreamClosedError extends Error {
  constructor(message = "the stream is closed", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StreamClosedError";
  }
}

/** A readUntil() whose delimiter did not appear within maxBytes: the read
 *  can never succeed, and the stream is closed. */
export class UnsatisfiableReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsatisfiableReadError";
  }
}

/** A buffer reached its bound (IOStream's maxBufferSize, a WebSocketSource's
 *  maxBufferBytes): rather than grow, the stream or socket is closed. */
export class StreamBufferFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StreamBufferFullError";
  }
}
