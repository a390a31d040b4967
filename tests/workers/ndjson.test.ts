// demo/worker/src/ndjson.ts in real workerd: POST /ndjson reads the body
// line by line (ReadableSource + IOStream.readUntil) and streams one summary
// line per input line back through a WritableSink.
import { createHash } from "node:crypto";
import { describe, expect, inject, it } from "vitest";

const demo = inject("demoUrl");
const probe = inject("probeUrl");
const encoder = new TextEncoder();

/** Input record i, and the line the endpoint must answer for it (computed
 *  here, independently of the demo's code). */
function record(i: number): { input: string; output: string } {
  const values = Array.from({ length: 1 + (i % 17) }, (_, k) => ((i * 31 + k * 7) % 1000) / 4);
  const id = `rec-${i}`;
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    input: JSON.stringify({ id, values, note: "x".repeat(i % 40) }),
    output: JSON.stringify({ line: i + 1, id, count: values.length, sum }),
  };
}

/** A request body that yields `lines` in chunks of about chunkBytes, cut
 *  anywhere (not at line ends). */
function bodyOf(text: string, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = encoder.encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

async function post(body: BodyInit | ReadableStream<Uint8Array>): Promise<Response> {
  return fetch(`${demo}/ndjson`, { method: "POST", body, duplex: "half" } as RequestInit);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("POST /ndjson", () => {
  it("transforms a multi-megabyte body completely, line for line", async () => {
    const count = 25_000;
    const records = Array.from({ length: count }, (_, i) => record(i));
    const input = records.map((r) => `${r.input}\n`).join("");
    expect(input.length).toBeGreaterThan(2.5 * 1024 * 1024);
    const expected = records.map((r) => `${r.output}\n`).join("");

    const response = await post(bodyOf(input));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const output = await response.text();
    expect(output.split("\n").length - 1).toBe(count);
    expect(sha256(output)).toBe(sha256(expected));
  });

  it("answers the first line before the rest of the body is sent", async () => {
    let sendRest!: () => void;
    const rest = new Promise<void>((resolve) => { sendRest = resolve; });
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(`${record(0).input}\n`));
        await rest;
        controller.enqueue(encoder.encode(`${record(1).input}\n`));
        controller.close();
      },
    });
    const response = await post(body);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(text).toBe(`${record(0).output}\n`);
    sendRest();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    expect(text).toBe(`${record(0).output}\n${record(1).output}\n`);
  });

  it("stops reading the body while its response is not read, and finishes once it is", async () => {
    // Measured inside workerd by the probe Worker (tests/workers/probe): over
    // HTTP, wrangler's local proxies read every response eagerly.
    const response = await fetch(`${probe}/backpressure`);
    const { totalBytes, pulledWhileUnread, pulledAtEnd, outputLines, inputLines } = await response.json() as Record<string, number>;
    // The 64 KiB bounds of ReadableSource and of the response stream, plus
    // the lines in between, hold well under 1 MiB of an 8 MiB body.
    expect(pulledWhileUnread).toBeLessThan(1 << 20);
    expect(pulledAtEnd).toBeGreaterThanOrEqual(totalBytes);
    expect(outputLines).toBe(inputLines);
  });

  it("answers a malformed line with an error line and goes on with the next", async () => {
    const input = [record(0).input, "{not json", "[1, 2]", record(3).input].join("\n"); // no final newline
    const response = await post(input);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual(JSON.parse(record(0).output));
    expect(lines[1]).toMatchObject({ line: 2 });
    expect(lines[1].error).toMatch(/^malformed JSON: /);
    expect(lines[2]).toEqual({ line: 3, error: 'expected an object {"id", "values"}, got an array' });
    expect(lines[3]).toEqual(JSON.parse(record(3).output));
  });

  it("ends the response at a line longer than 1 MiB, after answering the lines before it", async () => {
    const input = `${record(0).input}\n"${"z".repeat(1.5 * 1024 * 1024)}"\n${record(2).input}\n`;
    const response = await post(input);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`${record(0).output}\n`);
  });
});
