// POST /ndjson: reads the request body line by line and streams a summary of
// each line back as it goes. The body is never held whole: a ReadableSource
// pulls it only while the IOStream's buffer is under its bound, and the
// response is written through a WritableSink that is WRITE-ready only while
// the client keeps up, so a slow reader slows the upload instead of filling
// memory. One loop per request: a Worker's timers and streams belong to the
// request that made them.

import { IOLoop, IOStream, ReadableSource, StreamClosedError, UnsatisfiableReadError, WritableSink } from "wasm-ioloop";
import { summarize } from "./records.js";

/** The longest line accepted: IOStream closes the stream on a longer one,
 *  so the response ends there (see README). */
export const MAX_LINE_BYTES = 1 << 20;
/** Output gathered before it is written, at most (UTF-16 units, about bytes). */
const MAX_BATCH_BYTES = 16 << 10;
/** What Promise.race gives when the next line is not buffered yet. */
const WAITING = Symbol("waiting");
/** Bytes of response the sink queues before it stops being WRITE-ready. */
const RESPONSE_HIGH_WATER_MARK = 64 << 10;

const decoder = new TextDecoder();

export async function transformNdjson(request: Request, ctx: ExecutionContext): Promise<Response> {
  if (request.body === null) return errorResponse("POST an NDJSON body");
  const loop = await IOLoop.create();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(
    undefined, new ByteLengthQueuingStrategy({ highWaterMark: RESPONSE_HIGH_WATER_MARK }),
  );
  const stream = new IOStream(loop, new ReadableSource(request.body), { sink: new WritableSink(writable) });
  const done = loop.run(() => pump(stream))
    .catch((error: unknown) => console.error("/ndjson failed", error))
    .finally(() => loop.close({ closeSources: true }));
  ctx.waitUntil(done);
  return new Response(readable, { headers: { "Content-Type": "application/x-ndjson" } });
}

/** Reads lines until the body ends; answers each with one output line.
 *  Output lines are gathered while more input is already buffered and
 *  written when the next line has to wait for the network (or the batch
 *  reaches MAX_BATCH_BYTES): a write per line would make a response chunk
 *  per line, each a promise and a pass through the response stream. */
async function pump(stream: IOStream): Promise<void> {
  const batch = new Batch(stream);
  let line = 0;
  try {
    for (;;) {
      const next = stream.readUntil("\n", { maxBytes: MAX_LINE_BYTES });
      // A line already buffered (or the end of the body) settles at once;
      // otherwise send what is gathered before waiting. A rejection is
      // handled below, where `next` is awaited.
      if (await Promise.race([next, WAITING]).catch(() => undefined) === WAITING) await batch.flush();
      let bytes: Uint8Array;
      try {
        bytes = await next;
      } catch (error) {
        if (!(error instanceof StreamClosedError)) throw error;
        // The body ended; what is left is a last line without its newline.
        bytes = await stream.readUntilClose();
        if (bytes.byteLength > 0) await batch.add(++line, bytes);
        await batch.flush();
        return;
      }
      await batch.add(++line, bytes);
    }
  } catch (error) {
    // The stream closed itself (UnsatisfiableReadError closes the sink too),
    // so an over-long line ends the response where it stands.
    if (!(error instanceof UnsatisfiableReadError)) throw error;
  } finally {
    stream.close();
  }
}

/** Output lines not yet written. */
class Batch {
  private text = "";
  constructor(private readonly stream: IOStream) {}

  async add(line: number, bytes: Uint8Array): Promise<void> {
    const input = decoder.decode(bytes).trimEnd(); // drops "\n" and a "\r" before it
    if (input === "") return; // blank lines carry nothing
    this.text += `${JSON.stringify(summarize(input, line))}\n`;
    if (this.text.length >= MAX_BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.text === "") return;
    const text = this.text;
    this.text = "";
    await this.stream.write(text);
  }
}

function errorResponse(message: string): Response {
  return new Response(`${JSON.stringify({ error: message })}\n`, { status: 400, headers: { "Content-Type": "application/x-ndjson" } });
}
