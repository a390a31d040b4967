// How the loop waits: one host timer, macrotask
// wake-ups, delays outside setTimeout's range, and a clock that never goes back.
import { once } from "node:events";
import { createServer, connect, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createLoop, RecordingClock, runningLoop, virtualLoop } from "./helpers.js";

const MAX_HOST_DELAY = 2 ** 31 - 1;

describe("the host timer", () => {
  it("at most one host timer is armed, whatever the number of pending timeouts", async () => {
    const { loop, clock } = await runningLoop();
    let most = 0;
    const watch = () => { most = Math.max(most, clock.pendingTimers, loop.stats().hostTimers); };
    const handles = [];
    for (let i = 0; i < 500; i++) {
      // Deadlines out of order, so that new earlier ones keep re-arming.
      handles.push(loop.callLater(((i * 37) % 101) + 1, watch));
      watch();
    }
    for (let i = 0; i < 500; i += 3) { loop.removeTimeout(handles[i]!); watch(); }
    for (let t = 0; t < 110; t++) { await clock.advance(1); watch(); }
    expect(most).toBe(1);
    expect(loop.stats().pendingTimeouts).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("an idle loop arms no host timer", async () => {
    const { loop, clock } = await runningLoop();
    loop.addCallback(() => {});
    await clock.advance(0);
    expect(clock.pendingTimers).toBe(0);
    expect(loop.stats().hostTimers).toBe(0);
  });

  it("an earlier timeout re-arms the host timer for its own deadline", async () => {
    const { loop, clock } = await runningLoop();
    const firedAt: number[] = [];
    loop.callLater(100, () => firedAt.push(loop.time()));
    loop.callLater(10, () => firedAt.push(loop.time()));
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(100);
    expect(firedAt).toEqual([10, 100]);
  });
});

describe("delays at the edges", () => {
  it("a negative delay fires in the next iteration, in deadline order (-2 before -1)", async () => {
    const { loop, clock } = await runningLoop();
    await clock.advance(50);
    const ran: string[] = [];
    loop.callLater(-1, () => ran.push("-1"));
    loop.callLater(-2, () => ran.push("-2"));
    loop.callLater(0, () => ran.push("0"));
    await clock.advance(0);
    expect(ran).toEqual(["-2", "-1", "0"]);
    expect(clock.now()).toBe(50);
  });

  it("an Infinity delay never fires and arms no host timer", async () => {
    const { loop, clock } = await runningLoop();
    let fired = false;
    const t = loop.callLater(Infinity, () => { fired = true; });
    loop.callAt(Infinity, () => { fired = true; });
    expect(clock.pendingTimers).toBe(0);
    expect(loop.stats().hostTimers).toBe(0);
    await clock.advance(Number.MAX_SAFE_INTEGER);
    expect(fired).toBe(false);
    expect(clock.delays).toEqual([]);
    expect(loop.deadlineOf(t)).toBe(Infinity);
    expect(loop.removeTimeout(t)).toBe(true);
  });

  it("a finite timeout beside an Infinity one arms the host timer for the finite one only", async () => {
    const { loop, clock } = await runningLoop();
    loop.callLater(Infinity, () => {});
    let fired = false;
    loop.callLater(5, () => { fired = true; });
    await clock.advance(5);
    expect(fired).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("a delay beyond 2^31-1 ms fires on time, the host timer re-armed in steps no longer than 2^31-1", async () => {
    const { loop, clock } = await runningLoop();
    const delay = 3 * MAX_HOST_DELAY + 12345;
    const firedAt: number[] = [];
    loop.callLater(delay, () => firedAt.push(loop.time()));
    await clock.advance(delay - 1);
    expect(firedAt).toEqual([]);
    await clock.advance(1);
    expect(firedAt).toEqual([delay]);
    expect(clock.delays.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_HOST_DELAY);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("the loop's clock", () => {
  it("never goes backwards even if the supplied clock does", async () => {
    const { loop, clock } = await virtualLoop();
    clock.set(100);
    expect(loop.time()).toBe(100);
    clock.set(40);
    expect(loop.time()).toBe(100);
    clock.set(150);
    expect(loop.time()).toBe(150);
  });

  it("timeouts count from the loop's time when the supplied clock has gone back, and still fire", async () => {
    const { loop, clock } = await runningLoop();
    await clock.advance(100);
    expect(loop.time()).toBe(100);
    clock.set(40);
    const firedAt: number[] = [];
    const t = loop.callLater(10, () => firedAt.push(loop.time()));
    expect(loop.deadlineOf(t)).toBe(110);
    await clock.advance(10);
    expect(firedAt).toEqual([110]);
  });

  it("a timeout's callback sees the loop's time at or after its deadline, even when the clock lags the host timer", async () => {
    // A clock that stands still (as on Workers while code runs) but brings
    // the virtual timers: the host timer firing is what moves the loop's time.
    const timers = new RecordingClock();
    const frozen = {
      now: () => 0,
      setTimer: timers.setTimer.bind(timers),
      clearTimer: timers.clearTimer.bind(timers),
      queueMacrotask: timers.queueMacrotask.bind(timers),
    };
    const loop = await createLoop({ clock: frozen });
    void loop.start();
    const firedAt: number[] = [];
    loop.callLater(25, () => firedAt.push(loop.time()));
    await timers.advance(25);
    expect(firedAt).toEqual([25]);
  });
});

describe("wake-ups are macrotasks", () => {
  // A real clock here: the point is what the host gets to run in between.
  it("a callback that re-adds itself forever still lets a host timer and host I/O through", async () => {
    const loop = await createLoop();
    const CAP = 200_000; // if wake-ups were microtasks, the host would see nothing before this
    let spins = 0;
    let spinning!: () => void;
    const spun = new Promise<void>((resolve) => { spinning = resolve; });
    const spin = () => {
      if (++spins === 10) spinning();
      if (spins < CAP) loop.addCallback(spin);
    };
    loop.addCallback(spin);
    const stopped = loop.start();
    await spun;

    await new Promise((resolve) => setTimeout(resolve, 1));
    const spinsAtTimer = spins;

    const server = createServer((socket) => socket.end("pong"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
    const [data] = await once(client, "data");
    const spinsAtIO = spins;
    client.destroy();
    server.close();

    loop.stop();
    await stopped;
    expect(String(data)).toBe("pong");
    expect(spinsAtTimer).toBeLessThan(CAP);
    expect(spinsAtIO).toBeLessThan(CAP);
    expect(spinsAtIO).toBeGreaterThan(spinsAtTimer); // the loop kept spinning meanwhile
  });
});
