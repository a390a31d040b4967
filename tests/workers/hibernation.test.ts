// The demo's Room hibernating in real workerd: wrangler's test harness evicts
// the object while its clients stay connected ("webSockets: hibernate"), as
// the platform does to an idle object; a message then wakes it. The room runs
// here with a long heartbeat, so nothing but the clients and the idle
// timeouts wakes it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, type Harness } from "./durable-harness.js";
import { RoomClient, roomName, roomStats, statsWhen } from "./room-client.js";

const IDLE_MS = 2000;
let server: Harness;
let base: string;
const clients: RoomClient[] = [];

beforeAll(async () => {
  server = await startHarness("demo/worker/wrangler.jsonc", { IDLE_TIMEOUT_MS: String(IDLE_MS), HEARTBEAT_MS: "600000", MAX_MESSAGE_BYTES: "65536" });
  base = (await server.listen()).url.origin;
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server?.close();
});

it("evicted while clients stay connected: a message wakes it, each socket's state is back, idle clients are still closed on time", async () => {
  const name = roomName("hibernating");
  const joinedAt = Date.now();
  const [chatty, silent, quiet] = await Promise.all([0, 1, 2].map(() => RoomClient.join(name, { base })));
  clients.push(chatty, silent, quiet);
  chatty.pingEvery(IDLE_MS / 10);
  const before = await roomStats(name, base);
  expect(before).toMatchObject({ connections: 3, restored: 0 });

  await server.getWorker().evictDurableObject("Room", { name, webSockets: "hibernate" });
  for (const client of clients) expect(client.socket.readyState).toBe(client.socket.OPEN);

  // A message wakes it: a new instance, which found its three sockets and
  // knows each one's id again (from its attachment).
  quiet.send("after the eviction");
  for (const client of clients) {
    const message = await client.waitFor((m) => m.type === "message" && m.text === "after the eviction");
    expect(message.from).toBe(quiet.id);
  }
  const woken = await roomStats(name, base);
  expect(woken.instance).not.toBe(before.instance);
  expect(woken).toMatchObject({ restored: 3, connections: 3 });

  // The silent client is closed by its idle timeout, stored before the
  // eviction, at its deadline and not before. (Local workerd ends a closed
  // hibernatable socket's connection only when the object goes quiet, which
  // the chatty client prevents: the close frame is what arrives on time.)
  const first = await statsWhen(name, (s) => s.idleClosed >= 1, IDLE_MS * 5, base);
  expect(Date.now() - joinedAt).toBeGreaterThanOrEqual(IDLE_MS - 50);
  await expect.poll(() => silent.closeFrameReceived, { timeout: 5000 }).toBe(true);
  expect(first.connections).toBeLessThanOrEqual(2);
  // The quiet one spoke once after the eviction, so it goes one idle period
  // after that message; the chatty one stays.
  const after = await statsWhen(name, (s) => s.idleClosed === 2, IDLE_MS * 5, base);
  await expect.poll(() => quiet.closeFrameReceived, { timeout: 5000 }).toBe(true);
  expect(after).toMatchObject({ connections: 1, peerClosed: 0 });
  expect(chatty.socket.readyState).toBe(chatty.socket.OPEN);
  // The chatty client's pings move its idle timeout without a row write
  // each: once it has had 20 pongs (pings every IDLE_MS / 10: about two idle
  // periods, however long the steps above took), the durable timeouts of this
  // instance have written a handful of rows, not one a ping.
  const pongs = () => chatty.messages.filter((m) => m.type === "pong").length;
  await expect.poll(pongs, { timeout: IDLE_MS * 5 }).toBeGreaterThanOrEqual(20);
  const counted = pongs();
  expect((await roomStats(name, base)).rowsWritten).toBeLessThan(counted / 2);
});
