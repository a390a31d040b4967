// A WebSocket session with a timeout per message: every message asks the
// server (demo/server.js /ws) to answer after a random delay, and gets a
// loop.callLater timeout; the reply cancels it, or the timeout marks it lost.
import { ERROR, IOLoop, PeriodicCallback, READ, WebSocketSource, type Timeout } from "wasm-ioloop";
import { card, fieldsOf, formatCount, formatMs } from "./dom.js";

const SEND_EVERY_MS = 250;
const REPLY_TIMEOUT_MS = 300;
/** Server delays are drawn up to this, so some replies miss the timeout. */
const MAX_SERVER_DELAY_MS = 360;
const STRIP_LENGTH = 48;
const RECONNECT_AFTER_MS = 1_000;

interface Exchange { id: number; sentAt: number; timeout: Timeout; rtt?: number; lost?: boolean }

export function startWebSocketPanel(loop: IOLoop, url: string): void {
  const field = fieldsOf(card("websocket"));
  field("timeoutMs").textContent = String(REPLY_TIMEOUT_MS);
  const exchanges = new Map<number, Exchange>();
  const recent: Exchange[] = [];
  const counts = { sent: 0, answered: 0, timedOut: 0 };
  let nextId = 1;
  let source: WebSocketSource | undefined;

  const show = (): void => {
    field("sent").textContent = formatCount(counts.sent);
    field("answered").textContent = formatCount(counts.answered);
    field("timedOut").textContent = formatCount(counts.timedOut);
    drawStrip(field("strip"), recent);
  };

  const remember = (exchange: Exchange): void => {
    recent.push(exchange);
    if (recent.length > STRIP_LENGTH) recent.shift();
  };

  const onTimeout = (exchange: Exchange): void => {
    exchanges.delete(exchange.id);
    exchange.lost = true;
    counts.timedOut += 1;
    show();
  };

  const sender = new PeriodicCallback(loop, () => {
    // Between a reconnect and its open event, there is nothing to send on.
    if (!source || source.closed || source.socket.readyState !== WebSocket.OPEN) return;
    const id = nextId++;
    const exchange = { id, sentAt: loop.time() } as Exchange;
    exchange.timeout = loop.callLater(REPLY_TIMEOUT_MS, onTimeout, exchange);
    exchanges.set(id, exchange);
    remember(exchange);
    source.write(JSON.stringify({ id, delayMs: Math.round(Math.random() * MAX_SERVER_DELAY_MS) }));
    counts.sent += 1;
    show();
  }, SEND_EVERY_MS);

  const onEvents = (socket: WebSocketSource, events: number): void => {
    for (let message = socket.read(); message !== undefined; message = socket.read()) {
      const { id } = JSON.parse(String(message)) as { id: number };
      const exchange = exchanges.get(id);
      if (!exchange) continue; // it already timed out
      loop.removeTimeout(exchange.timeout);
      exchanges.delete(id);
      exchange.rtt = loop.time() - exchange.sentAt;
      counts.answered += 1;
      field("lastRtt").textContent = formatMs(exchange.rtt);
    }
    if (events & ERROR) {
      loop.removeHandler(socket);
      field("state").textContent = `closed (${socket.closeCode ?? "no code"}), reconnecting`;
      loop.callLater(RECONNECT_AFTER_MS, connect);
    }
    show();
  };

  function connect(): void {
    const socket = new WebSocket(url);
    source = new WebSocketSource(socket);
    field("state").textContent = "connecting";
    socket.addEventListener("open", () => { field("state").textContent = "open"; });
    loop.addHandler(source, onEvents, READ);
  }

  connect();
  sender.start();
}

/** One bar per recent message: its round trip against the timeout line;
 *  a lost message is a full-height red bar, one in flight a faint stub. */
function drawStrip(svg: HTMLElement, recent: Exchange[]): void {
  const width = 600, height = 120, gap = 2;
  const barWidth = width / STRIP_LENGTH - gap;
  const scale = (ms: number) => Math.min(ms / (REPLY_TIMEOUT_MS * 1.25), 1) * (height - 8);
  const limitY = height - scale(REPLY_TIMEOUT_MS);
  const bars = recent.map((exchange, index) => {
    const x = index * (barWidth + gap);
    const [kind, barHeight] = exchange.lost ? ["lost", height - 8]
      : exchange.rtt === undefined ? ["waiting", 6] : ["ok", Math.max(scale(exchange.rtt), 3)];
    return `<rect class="${kind}" x="${x.toFixed(1)}" y="${(height - barHeight).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${barHeight.toFixed(1)}" rx="2"/>`;
  });
  svg.innerHTML = `${bars.join("")}<line class="limit" x1="0" x2="${width}" y1="${limitY}" y2="${limitY}"/>`
    + `<text class="limit-label" x="${width - 4}" y="${limitY - 4}" text-anchor="end">timeout ${REPLY_TIMEOUT_MS} ms</text>`;
}
