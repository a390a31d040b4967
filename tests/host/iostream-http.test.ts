// IOStream over fetch() bodies from a real chunked HTTP response on
// 127.0.0.1: random mixed reads must give back exactly the bytes sent.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { IOStream, ReadableSource, StreamClosedError } from "../../src/index.js";
import { createLoop } from "./helpers.js";
import { startHttpServer, type HttpPeer } from "./sources/servers.js";

let server: HttpPeer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` bytes of letters with a newline about every 100 bytes. */
function lines(size: number, next: () => number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = next() < 0.01 ? 10 : 97 + Math.floor(next() * 26);
  return bytes;
}

/** Serves `body` in random-sized chunks, each written when the response
 *  takes it; optionally destroys the connection after `failAfter` bytes. */
function serve(body: Uint8Array, next: () => number, failAfter = Infinity) {
  return startHttpServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/x-ndjson" });
    let sent = 0;
    const write = (): void => {
      while (sent < body.length) {
        if (sent >= failAfter) {
          setTimeout(() => response.destroy(), 20);
          return;
        }
        const n = Math.min(1 + Math.floor(next() * 20_000), body.length - sent, failAfter - sent);
        const more = response.write(body.subarray(sent, sent + n));
        sent += n;
        if (!more) return void response.once("drain", write);
      }
      response.end();
    };
    write();
  });
}

describe("IOStream over a fetch() body", () => {
  it("random mixed readUntil and readBytes over 3 MB give back exactly the bytes sent", async () => {
    const body = lines(3 << 20, random(1));
    const sentHash = createHash("sha256").update(body).digest("hex");
    server = await serve(body, random(2));
    const loop = await createLoop();
    const choose = random(3);
    const received = createHash("sha256");
    let total = 0, untils = 0, exacts = 0;
    await loop.run(async () => {
      const stream = new IOStream(loop, new ReadableSource((await fetch(server!.url)).body!, { highWaterMark: 32 << 10 }));
      for (;;) {
        let piece: Uint8Array;
        try {
          if (choose() < 0.5) {
            piece = await stream.readUntil("\n", { maxBytes: 1 << 20 });
            expect(piece[piece.length - 1]).toBe(10);
            expect(piece.indexOf(10)).toBe(piece.length - 1);
            untils++;
          } else {
            const n = 1 + Math.floor(choose() * 5000);
            const partial = choose() < 0.3;
            piece = await stream.readBytes(n, { partial });
            if (partial) expect(piece.length).toBeLessThanOrEqual(n);
            else expect(piece.length).toBe(n);
            exacts++;
          }
        } catch (error) {
          expect(error).toBeInstanceOf(StreamClosedError);
          break;
        }
        received.update(piece);
        total += piece.length;
      }
      const rest = await stream.readUntilClose(); // what no read above could take whole
      received.update(rest);
      total += rest.length;
    }, { timeoutMs: 60_000 });
    loop.close();
    expect(total).toBe(body.length);
    expect(received.digest("hex")).toBe(sentHash);
    expect(untils).toBeGreaterThan(100);
    expect(exacts).toBeGreaterThan(100);
  });

  it("a response that fails mid-way gives its data, then StreamClosedError with fetch's error as the cause", async () => {
    const body = lines(200_000, random(4));
    server = await serve(body, random(5), 100_000);
    const loop = await createLoop();
    let got = 0;
    const failure = await loop.run(async () => {
      const stream = new IOStream(loop, new ReadableSource((await fetch(server!.url)).body!));
      try {
        for (;;) got += (await stream.readBytes(1000)).length;
      } catch (error) {
        return error;
      }
    }, { timeoutMs: 10_000 });
    loop.close();
    expect(got).toBe(100_000);
    expect(failure).toBeInstanceOf(StreamClosedError);
    expect((failure as StreamClosedError).cause).toBeInstanceOf(TypeError);
  });
});
