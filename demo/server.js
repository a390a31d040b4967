// The small local server the demo page and the page tests talk to, on
// 127.0.0.1 only:
//   /ws       a WebSocket: each message {id, delayMs} is echoed back after
//             delayMs (at most 10 s), as {id, delayMs, serverTime}, so that a
//             client can watch replies beat or miss its per-message timeouts;
//   /stream   a streaming HTTP response: `lines` text lines (default 40, at
//             most 10,000), one every `intervalMs` (default 100), written in
//             chunks that cut lines in arbitrary places, so a reader must
//             reassemble them;
//   anything else: a static file from `staticDir`, if one was given.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { WebSocketServer } from "ws";

const MAX_DELAY_MS = 10_000;
const MAX_LINES = 10_000;

const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** Starts the server; resolves to { url, close() } once it listens.
 *  port 0 picks a free port.
 *  @param {{ port?: number, staticDir?: string }} [options] */
export async function startServer({ port = 0, staticDir } = {}) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/stream") return streamLines(url, request, response);
    if (staticDir) return serveStatic(staticDir, url.pathname, response);
    response.writeHead(404).end("not found");
  });
  const sockets = new WebSocketServer({ server, path: "/ws" });
  sockets.on("connection", echoWithDelay);

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function echoWithDelay(socket) {
  const pending = new Set();
  socket.on("message", (data) => {
    let message;
    try { message = JSON.parse(String(data)); } catch { return socket.close(1003, "expected JSON"); }
    const delayMs = Math.min(Math.max(Number(message.delayMs) || 0, 0), MAX_DELAY_MS);
    const timer = setTimeout(() => {
      pending.delete(timer);
      socket.send(JSON.stringify({ id: message.id, delayMs, serverTime: Date.now() }));
    }, delayMs);
    pending.add(timer);
  });
  socket.on("close", () => { for (const timer of pending) clearTimeout(timer); });
}

function streamLines(url, request, response) {
  const lines = boundedInteger(url.searchParams.get("lines"), 40, 0, MAX_LINES);
  const intervalMs = boundedInteger(url.searchParams.get("intervalMs"), 100, 0, MAX_DELAY_MS);
  response.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  let sent = 0;
  let carry = "";
  const timer = setInterval(() => {
    if (sent === lines) {
      clearInterval(timer);
      return response.end(carry);
    }
    sent += 1;
    const text = carry + `line ${sent} of ${lines}: ${new Date().toISOString()} ${"·".repeat(sent % 17)}\n`;
    // Keep back a random tail so chunk boundaries fall inside lines.
    const cut = Math.floor(Math.random() * text.length);
    carry = text.slice(cut);
    response.write(text.slice(0, cut));
  }, intervalMs);
  request.on("close", () => clearInterval(timer));
}

function boundedInteger(text, fallback, min, max) {
  const value = text === null ? fallback : Number.parseInt(text, 10);
  return Number.isFinite(value) ? Math.min(Math.max(value, min), max) : fallback;
}

async function serveStatic(root, pathname, response) {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, "");
  let file = join(root, relative);
  if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
    return response.writeHead(403).end("forbidden");
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    await stat(file);
  } catch {
    return response.writeHead(404).end("not found");
  }
  response.writeHead(200, { "content-type": MIME_TYPES[extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(response);
}
