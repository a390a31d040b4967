// A fetch stream read line by line: the response body becomes a
// ReadableSource, and an IOStream on the loop reassembles the lines that the
// server (demo/server.js /stream) cuts at random places. When a stream
// ends, another one starts.
import { IOLoop, IOStream, ReadableSource, StreamClosedError } from "wasm-ioloop";
import { card, fieldsOf, formatCount } from "./dom.js";

const LINES_PER_STREAM = 60;
const LINE_INTERVAL_MS = 90;
const SHOWN_LINES = 9;
const PAUSE_BETWEEN_STREAMS_MS = 600;

export function startStreamPanel(loop: IOLoop, url: string): void {
  const field = fieldsOf(card("stream"));
  const shown: string[] = [];
  const counts = { lines: 0, chunks: 0, bytes: 0, runs: 0 };
  const decoder = new TextDecoder();

  const show = (): void => {
    for (const [name, value] of Object.entries(counts)) field(name).textContent = formatCount(value);
    field("terminal").textContent = shown.join("\n");
  };

  async function readOneStream(): Promise<void> {
    const response = await fetch(`${url}?lines=${LINES_PER_STREAM}&intervalMs=${LINE_INTERVAL_MS}`);
    if (!response.body) throw new Error("demo: the stream response has no body");
    counts.runs += 1;
    // Count the network chunks on their way to the source.
    const body = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        counts.chunks += 1;
        counts.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }));
    const stream = new IOStream(loop, new ReadableSource(body));
    try {
      for (;;) {
        const line = decoder.decode(await stream.readUntil("\n")).trimEnd();
        counts.lines += 1;
        shown.push(line);
        if (shown.length > SHOWN_LINES) shown.shift();
        show();
      }
    } catch (error) {
      if (!(error instanceof StreamClosedError)) throw error;
    } finally {
      stream.close();
    }
  }

  const again = (): void => {
    readOneStream().then(
      () => loop.callLater(PAUSE_BETWEEN_STREAMS_MS, again),
      (error: unknown) => {
        shown.push(`! ${String(error)}`);
        show();
        loop.callLater(PAUSE_BETWEEN_STREAMS_MS * 4, again);
      },
    );
  };
  again();
}
