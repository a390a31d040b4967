import { describe, expect, it } from "vitest";
import { ByteBuffer } from "../../src/stream/byte-buffer.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("ByteBuffer", () => {
  it("keeps bytes in order across growth and compaction", () => {
    const buffer = new ByteBuffer();
    let expected = "";
    for (let i = 0; i < 2000; i++) {
      const piece = `${i},`;
      buffer.append(bytes(piece));
      expected += piece;
      if (i % 3 === 0) {
        const n = Math.min(buffer.length, 5);
        expect(text(buffer.take(n))).toBe(expected.slice(0, n));
        expected = expected.slice(n);
      }
    }
    expect(text(buffer.take(buffer.length))).toBe(expected);
    expect(buffer.length).toBe(0);
  });

  it("finds a delimiter from an offset, and never in consumed or stale bytes", () => {
    const buffer = new ByteBuffer();
    buffer.append(bytes("ab\r\ncd\r\n"));
    expect(buffer.indexOf(bytes("\r\n"), 0)).toBe(2);
    expect(buffer.indexOf(bytes("\r\n"), 3)).toBe(6);
    buffer.take(4);
    expect(buffer.indexOf(bytes("\r\n"), 0)).toBe(2);
    buffer.take(4); // empty: the array still holds the old bytes past the end
    buffer.append(bytes("x\r"));
    expect(buffer.indexOf(bytes("\r\n"), 0)).toBe(-1);
    expect(buffer.indexOf(bytes("\r"), 0)).toBe(1);
  });

  it("returns copies, not views that a later append could overwrite", () => {
    const buffer = new ByteBuffer();
    buffer.append(bytes("first"));
    const taken = buffer.take(5);
    buffer.append(bytes("XXXXX"));
    expect(text(taken)).toBe("first");
  });
});
