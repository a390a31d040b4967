// demo/worker/src/room.ts in real workerd: the Room Durable Object driven by
// one loop (timings from global-setup.ts: idle 2000 ms, heartbeat 200 ms).
import { afterEach, describe, expect, inject, it } from "vitest";
import { RoomClient, roomName, roomStats, statsWhen } from "./room-client.js";

const { IDLE_TIMEOUT_MS, HEARTBEAT_MS } = inject("demoVars");
const idleMs = Number(IDLE_TIMEOUT_MS), heartbeatMs = Number(HEARTBEAT_MS);
/** Keep-alive pings come this often: well inside the idle timeout. */
const PING_MS = idleMs / 10;

let clients: RoomClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
});

/** `count` clients join at once; each pings from its welcome on, if asked. */
async function joinAll(name: string, count: number, pingMs?: number): Promise<RoomClient[]> {
  const joined = await Promise.all(Array.from({ length: count }, () => RoomClient.join(name, { pingMs })));
  clients.push(...joined);
  return joined;
}

describe("Room", () => {
  it("50 clients join one room and a message reaches every one of them", async () => {
    const name = roomName("fifty");
    const room = await joinAll(name, 50, PING_MS);
    expect(new Set(room.map((client) => client.id)).size).toBe(50);

    const stats = await roomStats(name);
    // One idle timeout per connection and the heartbeat, behind at most one host timer.
    expect(stats).toMatchObject({ connections: 50, handlers: 50, pendingTimeouts: 51, idleClosed: 0, peerClosed: 0 });
    expect(stats.hostTimers).toBeLessThanOrEqual(1);

    const sender = room[7];
    sender.send("hello, room");
    const received = await Promise.all(room.map((client) =>
      client.waitFor((m) => m.type === "message" && m.text === "hello, room")));
    for (const message of received) expect(message.from).toBe(sender.id);
  });

  it("closes a silent client with code 4000 after its idle timeout while chatty ones stay", async () => {
    const name = roomName("idle");
    const started = Date.now();
    const [silent] = await joinAll(name, 1);
    const chatty = await joinAll(name, 3, PING_MS);

    // The room closes it (its close frame arrives) once the idle timeout has
    // passed. Local workerd ends the connection of a hibernatable socket only
    // when the object next goes quiet, so the client's close event (and the
    // code, 4000) can come much later: hibernation.test.ts waits for it in a
    // room without short heartbeats.
    const stats = await statsWhen(name, (s) => s.idleClosed === 1, idleMs * 5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(idleMs - 50);
    await expect.poll(() => silent.closeFrameReceived).toBe(true);
    expect(stats).toMatchObject({ connections: 3, peerClosed: 0 });

    // A whole idle period later, every chatty client is still connected.
    await new Promise((resolve) => setTimeout(resolve, idleMs * 1.5));
    for (const client of chatty) expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(await roomStats(name)).toMatchObject({ connections: 3, idleClosed: 1, peerClosed: 0, pendingTimeouts: 4 });
  });

  it("sends heartbeats on schedule, numbered without gaps", async () => {
    const name = roomName("heartbeat");
    const [client] = await joinAll(name, 1, PING_MS);
    const watchMs = heartbeatMs * 6;
    await new Promise((resolve) => setTimeout(resolve, watchMs));
    const beats = client.messages.filter((m) => m.type === "heartbeat").map((m) => m.seq!);
    // Nominally 6; a loaded machine may delay some, but they come, and
    // never in a burst (PeriodicCallback skips missed periods).
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.length).toBeLessThanOrEqual(7);
    beats.forEach((seq, i) => expect(seq).toBe(beats[0] + i));
  });

  it("cleans up a client that drops without a close frame, and its timers with it", async () => {
    const name = roomName("drop");
    const room = await joinAll(name, 5, PING_MS);
    const dropped = room[2];
    dropped.socket.terminate(); // the TCP connection is destroyed: no close frame

    // Cleaned up as a departure, not by its idle timeout.
    const stats = await statsWhen(name, (s) => s.connections === 4, idleMs * 5);
    expect(stats).toMatchObject({ handlers: 4, pendingTimeouts: 5, peerClosed: 1, idleClosed: 0 });

    // Everyone leaves: no timeout stays behind, and no host timer is armed.
    await Promise.all(room.filter((client) => client !== dropped).map((client) => client.close()));
    const empty = await statsWhen(name, (s) => s.connections === 0);
    expect(empty).toMatchObject({ handlers: 0, pendingTimeouts: 0, hostTimers: 0, peerClosed: 5, idleClosed: 0 });
  });
});
