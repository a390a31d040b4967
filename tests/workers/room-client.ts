// A Node WebSocket client of the demo's Room, for room.test.ts: it records
// every message and close, and can keep itself alive with pings.
import WebSocket from "ws";
import { expect, inject } from "vitest";

export interface RoomMessage { type: string; id?: number; from?: number; text?: string; seq?: number }

/** The demo Worker started by global-setup.ts; a test with its own harness
 *  passes its own URL. */
const demo = inject("demoUrl");

export class RoomClient {
  readonly messages: RoomMessage[] = [];
  id = 0;
  readonly closed: Promise<{ code: number; reason: string }>;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.messages.push(JSON.parse(String(data)) as RoomMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", (code, reason) => {
        this.stopPinging();
        resolve({ code, reason: String(reason) });
      });
    });
    socket.on("error", () => {}); // a close follows
  }

  /** Connects to room `name` and waits for its welcome; with pingMs, pings
   *  from then on (so that it stays while slower clients still join). */
  static async join(name: string, options: { pingMs?: number; base?: string } = {}): Promise<RoomClient> {
    const client = new RoomClient(new WebSocket(`${(options.base ?? demo).replace("http", "ws")}/rooms/${name}`));
    const welcome = await client.waitFor((m) => m.type === "welcome");
    client.id = welcome.id!;
    if (options.pingMs !== undefined) client.pingEvery(options.pingMs);
    return client;
  }

  /** The first message (already received or to come) that matches. */
  async waitFor(match: (message: RoomMessage) => boolean, timeoutMs = 10_000): Promise<RoomMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`client ${this.id}: no matching message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now() + 1);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  send(text: string): void { this.socket.send(text); }

  /** True once the room's close frame has arrived (ws is then CLOSING until
   *  the connection ends, and CLOSED after). */
  get closeFrameReceived(): boolean { return this.socket.readyState >= this.socket.CLOSING; }

  /** Sends "ping" every `everyMs`, which pushes the idle timeout back. */
  pingEvery(everyMs: number): void {
    this.keepAlive = setInterval(() => this.socket.send("ping"), everyMs);
  }

  stopPinging(): void { clearInterval(this.keepAlive); }

  /** Leaves with a close frame. Local workerd ends the connection of a
   *  hibernatable socket only once its object goes quiet, which a room with
   *  short heartbeats never does: after a second the client drops the
   *  connection itself (the room already has the close frame). */
  async close(): Promise<void> {
    this.stopPinging();
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, "bye");
    const timer = setTimeout(() => this.socket.terminate(), 1000);
    await this.closed;
    clearTimeout(timer);
  }
}

export function roomName(test: string): string {
  return `${test}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function roomStats(name: string, base = demo): Promise<Record<string, number>> {
  const response = await fetch(`${base}/rooms/${name}/stats`);
  expect(response.status).toBe(200);
  return response.json() as Promise<Record<string, number>>;
}

/** Polls the room's stats until `until` holds (or fails after timeoutMs). */
export async function statsWhen(name: string, until: (stats: Record<string, number>) => boolean, timeoutMs = 10_000, base = demo): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await roomStats(name, base);
    if (until(stats)) return stats;
    if (Date.now() > deadline) throw new Error(`room ${name}: stats never matched: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
