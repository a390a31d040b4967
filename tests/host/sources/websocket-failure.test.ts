// A WebSocket that fails to connect, in every runtime the host suites run in
// (Node here, Chromium in tests/browser): nothing listens on 127.0.0.1:1, so
// the connection is refused at once and the platform fires `error`, then
// `close` with code 1006. No server is needed, so the page can run it too.
import { afterEach, describe, expect, it } from "vitest";
import { ERROR, READ, WebSocketSource } from "../../../src/index.js";
import { createLoop } from "../helpers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("WebSocketSource on a socket that fails", () => {
  it("reports ERROR with closeCode and closeReason already known", async () => {
    const loop = await createLoop();
    cleanups.push(() => { if (!loop.running) loop.close(); });
    const source = new WebSocketSource(new WebSocket("ws://127.0.0.1:1/"));
    const seen = await loop.run(() => new Promise<{ code: number | undefined; reason: string | undefined; error: unknown }>((resolve) => {
      loop.addHandler(source, (s, events) => {
        if (events & ERROR) resolve({ code: s.closeCode, reason: s.closeReason, error: s.error });
      }, READ);
    }), { timeoutMs: 10_000 });
    expect(seen.code).toBe(1006);
    expect(seen.reason).toBe("");
    expect(seen.error).toBeDefined();
    expect(source.closed).toBe(true);
  });
});
