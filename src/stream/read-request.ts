// One pending IOStream read and what it asks of the read buffer (Tornado's
// _find_read_pos): how many bytes would serve it now, or that none ever can.

import type { ByteBuffer } from "./byte-buffer.js";

export const UNTIL = 0, BYTES = 1, UNTIL_CLOSE = 2;
export type ReadKind = typeof UNTIL | typeof BYTES | typeof UNTIL_CLOSE;
export const READ_NAMES = ["readUntil", "readBytes", "readUntilClose"] as const;

/** More bytes are needed. */
export const NOT_YET = -1;
/** A readUntil whose delimiter can no longer end within its limit. */
export const TOO_LONG = -2;

export class ReadRequest {
  /** A readUntil resumes its search here: no match starts before it. */
  #scanFrom = 0;

  constructor(
    readonly kind: ReadKind,
    readonly delimiter: Uint8Array,
    /** readUntil: the longest result allowed; readBytes: the count wanted. */
    readonly limit: number,
    readonly partial: boolean,
    readonly resolve: (bytes: Uint8Array) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  /** The number of bytes at the front of `buffer` that serve this read now,
   *  or NOT_YET, or TOO_LONG. readUntilClose is served only at the end. */
  servable(buffer: ByteBuffer): number {
    const length = buffer.length;
    if (this.kind === BYTES) {
      return length >= this.limit || (this.partial && length > 0) ? Math.min(length, this.limit) : NOT_YET;
    }
    if (this.kind === UNTIL_CLOSE) return NOT_YET;
    const at = buffer.indexOf(this.delimiter, this.#scanFrom);
    if (at !== -1) return at + this.delimiter.length <= this.limit ? at + this.delimiter.length : TOO_LONG;
    // Any later match would end past the bytes already here.
    if (length >= this.limit) return TOO_LONG;
    this.#scanFrom = Math.max(0, length - this.delimiter.length + 1);
    return NOT_YET;
  }
}
