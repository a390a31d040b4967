import { describe, expect, it } from "vitest";
import { ByteBuffer } from "../../src/stream/byte-buffer.js";
import { BYTES, NOT_YET, ReadRequest, TOO_LONG, UNTIL, UNTIL_CLOSE } from "../../src/stream/read-request.js";

const none = () => {};
const filled = (s: string) => {
  const buffer = new ByteBuffer();
  buffer.append(new TextEncoder().encode(s));
  return buffer;
};
const until = (delimiter: string, maxBytes = Infinity) =>
  new ReadRequest(UNTIL, new TextEncoder().encode(delimiter), maxBytes, false, none, none);

describe("ReadRequest.servable", () => {
  it("readBytes wants exactly n, or with partial anything up to n", () => {
    expect(new ReadRequest(BYTES, new Uint8Array(0), 4, false, none, none).servable(filled("abc"))).toBe(NOT_YET);
    expect(new ReadRequest(BYTES, new Uint8Array(0), 2, false, none, none).servable(filled("abc"))).toBe(2);
    expect(new ReadRequest(BYTES, new Uint8Array(0), 9, true, none, none).servable(filled("abc"))).toBe(3);
    expect(new ReadRequest(BYTES, new Uint8Array(0), 9, true, none, none).servable(filled(""))).toBe(NOT_YET);
  });

  it("readUntil includes the delimiter, and is TOO_LONG once it cannot end within maxBytes", () => {
    expect(until("\n").servable(filled("ab\ncd"))).toBe(3);
    expect(until("\n", 3).servable(filled("ab\ncd"))).toBe(3);
    expect(until("\n", 2).servable(filled("ab\ncd"))).toBe(TOO_LONG);
    expect(until("\n", 5).servable(filled("abcd"))).toBe(NOT_YET);
    expect(until("\n", 4).servable(filled("abcd"))).toBe(TOO_LONG);
  });

  it("readUntil resumes its search without missing a delimiter split across appends", () => {
    const buffer = filled("abc\r");
    const read = until("\r\n");
    expect(read.servable(buffer)).toBe(NOT_YET);
    buffer.append(new TextEncoder().encode("\nrest"));
    expect(read.servable(buffer)).toBe(5);
  });

  it("readUntilClose is never served from the buffer alone", () => {
    expect(new ReadRequest(UNTIL_CLOSE, new Uint8Array(0), Infinity, false, none, none).servable(filled("abc"))).toBe(NOT_YET);
  });
});
