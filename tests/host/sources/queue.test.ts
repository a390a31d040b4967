import { describe, expect, it } from "vitest";
import { SizedQueue } from "../../../src/sources/queue.js";

describe("SizedQueue", () => {
  it("is first-in first-out and counts the bytes it holds, across compaction", () => {
    const queue = new SizedQueue<string>();
    const size = (s: string) => s.length;
    let next = 0, drained = 0;
    for (let i = 0; i < 5000; i++) {
      queue.push(String(i), String(i).length);
      if (i % 2 === 0) expect(queue.shift(size)).toBe(String(next++));
    }
    let bytes = 0;
    for (let i = next; i < 5000; i++) bytes += String(i).length;
    expect(queue.bytes).toBe(bytes);
    for (let item = queue.shift(size); item !== undefined; item = queue.shift(size)) {
      expect(item).toBe(String(next++));
      drained++;
    }
    expect(next).toBe(5000);
    expect(drained).toBeGreaterThan(0);
    expect(queue.bytes).toBe(0);
    expect(queue.length).toBe(0);
  });
});
