// The family test for async user functions: in every place the API takes a
// function of the user's, an async one that rejects is reported where the
// call's kind says (onError, console.error, or the promise the user holds),
// and none is ever an unhandled rejection, which ends a Node process by
// default. A place added later without its row here is not caught; the
// revoked-Proxy sweep (revoked-everywhere.test.ts) checks the methods list.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  IOLoop, IOStream, PeriodicCallback, READ, sourceHooks, VirtualClock, WRITE, type ErrorContext,
} from "../../src/index.js";
import { createLoop } from "../host/helpers.js";

const rejecting = (what: string) => async (): Promise<never> => { throw new Error(what); };

/** A scheduling clock whose clearTimer turns async, and rejects, once
 *  `broken`: what the loop gets back is a rejected promise. */
class AsyncFailingClock extends VirtualClock {
  broken = false;
  override clearTimer(handle: unknown): void {
    super.clearTimer(handle);
    if (this.broken) return rejecting("clearTimer")() as unknown as void;
  }
}

describe("an async user function that rejects, in each place the API takes one", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
  let logged: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
    logged = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
    logged.mockRestore();
  });

  /** Lets pending rejections settle, and Node report the unhandled ones. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

  it("is reported where its kind says, and is never an unhandled rejection", async () => {
    const reports: string[] = [];
    const onError = ({ kind, error }: ErrorContext): void => { reports.push(`${kind}: ${(error as Error).message}`); };
    const clock = new VirtualClock();
    const loop = await createLoop({ clock, onError });
    const stopped = loop.start();
    await clock.advance(0);

    // The loop's own calls of user code.
    loop.addCallback(rejecting("callback"));
    loop.callLater(1, rejecting("timeout"));
    loop.addHandler(1, async (_s: unknown) => { loop.removeHandler(1); throw new Error("handler"); }, READ);
    loop.setReady(1, READ);
    const periodic = new PeriodicCallback(loop, rejecting("periodic"), 5);
    periodic.start();
    await clock.advance(6);
    periodic.stop();

    // A source's hooks and close().
    const hooked = { [sourceHooks]: { attach: rejecting("attach"), detach: rejecting("detach"), interestChanged: rejecting("interest") } };
    loop.addHandler(hooked, () => {}, READ);
    loop.removeHandler(hooked);

    // IOStream over a source of the user's own whose read() is async, and
    // over a sink whose write() is.
    const source = { read: rejecting("read"), close: rejecting("source close") };
    const reading = new IOStream(loop, source as never);
    // (a read first asks the source at once: the promise fails the stream)
    const read = reading.readBytes(1).then(() => "resolved", (error: Error) => error.constructor.name);
    const sink = { readyEvents: WRITE, write: rejecting("write"), close: rejecting("sink close") };
    const writing = new IOStream(loop, { read: () => undefined, close() {} }, { sink });
    const write = writing.write("x").then(() => "resolved", (error: Error) => error.message);
    await clock.advance(1);
    expect(await read).toBe("StreamClosedError");
    expect(await write).toBe("write");

    // run(fn) hands the rejection to the caller.
    loop.stop();
    await stopped;
    await expect(loop.run(rejecting("run"))).rejects.toThrow("run");
    await settle();

    expect(reports).toEqual(expect.arrayContaining([
      "callback: callback", "timeout: timeout", "handler: handler", "timeout: periodic",
      "source: attach", "source: interest", "source: detach", "source: source close", "source: sink close",
    ]));
    expect(unhandled).toEqual([]);
  });

  it("as a report's listener, a clock's now() or a scheduling method: reported, never unhandled", async () => {
    // onError and onSlowCallback: the console.
    const clock = new AsyncFailingClock();
    const loop = await createLoop({ clock, onError: rejecting("onError"), slowCallbackMs: 1, onSlowCallback: rejecting("onSlowCallback") });
    const stopped = loop.start();
    loop.addCallback(() => { throw new Error("first"); });
    loop.addCallback(() => { clock.set(clock.now() + 5); });
    await clock.advance(0);
    await settle();
    expect(logged.mock.calls.map((call: unknown[]) => (call[1] as Error).message)).toEqual(["onError", "onSlowCallback"]);
    loop.stop();
    await stopped;

    // A scheduling method that turns async: its rejection reported (kind "clock").
    const clockReports: string[] = [];
    const failing = new AsyncFailingClock();
    const third = await createLoop({ clock: failing, onError: ({ kind, error }) => { clockReports.push(`${kind}: ${(error as Error).message}`); } });
    const running = third.start();
    await failing.advance(0);
    const id = third.callLater(100, () => {});
    await failing.advance(1); // the host timer is armed for it
    failing.broken = true;
    third.removeTimeout(id);   // nothing pending: the timer is cleared
    await failing.advance(1);
    third.stop();
    await running;
    await settle();
    expect(clockReports).toEqual(["clock: clearTimer"]);

    // A clock whose now() turns async: no reading, and its rejection reported (kind "clock").
    const reports: string[] = [];
    let async = false;
    const turning = { now: () => (async ? rejecting("now")() : 0) as number };
    const second = await createLoop({ clock: turning, onError: ({ kind, error }) => { reports.push(`${kind}: ${(error as Error).message}`); } });
    async = true;
    expect(second.time()).toBe(0);
    // An async now() at the start: IOLoop.create refuses the clock.
    await expect(IOLoop.create({ clock: { now: rejecting("now at create") } as never })).rejects.toThrow(/clock\.now\(\) must return a finite number/);
    await settle();
    expect(reports).toEqual(["clock: now"]);
    expect(unhandled).toEqual([]);
  });
});
