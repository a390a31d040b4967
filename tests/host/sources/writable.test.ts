// WritableSink over in-process WritableStreams whose underlying sink the
// test releases chunk by chunk, so desiredSize moves exactly when it says.
import { describe, expect, it } from "vitest";
import { ERROR, StreamClosedError, WRITE, WritableSink } from "../../../src/index.js";
import { virtualLoop } from "../helpers.js";

/** A stream with room for `highWaterMark` chunks whose underlying sink takes
 *  a chunk only when the test calls release(). */
function gatedStream(highWaterMark: number) {
  const taken: number[] = [];
  const gates: (() => void)[] = [];
  const stream = new WritableStream<number>({
    write(chunk) {
      return new Promise<void>((resolve) => gates.push(() => { taken.push(chunk); resolve(); }));
    },
  }, new CountQueuingStrategy({ highWaterMark }));
  return { stream, taken, release: () => gates.shift()?.() };
}

describe("WritableSink", () => {
  it("is WRITE-ready exactly while desiredSize > 0", async () => {
    const { loop, clock } = await virtualLoop();
    const { stream, taken, release } = gatedStream(2);
    const sink = new WritableSink(stream);
    let next = 0;
    const trace: string[] = [];
    // The handler writes one chunk per WRITE event and records what it saw.
    loop.addHandler(sink, (s, events) => {
      if (!(events & WRITE)) return;
      trace.push(`write ${next} at desiredSize ${s.desiredSize}`);
      s.write(next++);
    }, WRITE);
    const readyFollowsDesiredSize = (): void => {
      expect((sink.readyEvents & WRITE) !== 0).toBe(sink.desiredSize! > 0);
    };
    void loop.start();
    await clock.advance(10);
    // Room for two: the chunk being written counts until the sink takes it.
    expect(trace).toEqual(["write 0 at desiredSize 2", "write 1 at desiredSize 1"]);
    expect(sink.desiredSize).toBe(0);
    readyFollowsDesiredSize();

    // Each chunk the sink takes makes room for exactly one more.
    for (let i = 0; i < 5; i++) {
      release();
      await clock.advance(10);
      expect(taken).toEqual([...Array(i + 1).keys()]);
      expect(trace[i + 2]).toBe(`write ${i + 2} at desiredSize 1`);
      expect(trace).toHaveLength(i + 3);
      readyFollowsDesiredSize();
    }

    // The handler stops wanting WRITE; the sink drains; WRITE comes back.
    loop.updateHandler(sink, 0);
    for (let i = 0; i < 2; i++) {
      release();
      await clock.advance(10);
    }
    expect(sink.desiredSize).toBe(2);
    readyFollowsDesiredSize();
    loop.stop();
  });

  it("reports a failed write as ERROR once, carrying the cause, and then refuses writes", async () => {
    const { loop, clock } = await virtualLoop();
    const cause = new Error("disk full");
    const sink = new WritableSink(new WritableStream<string>({ write() { throw cause; } }));
    const events: number[] = [];
    loop.addHandler(sink, (s, ready) => {
      events.push(ready);
      if (ready & WRITE) s.write("doomed");
    }, WRITE);
    void loop.start();
    await clock.advance(50);
    expect(events.filter((e) => e & ERROR)).toHaveLength(1);
    expect(sink.error).toBe(cause);
    expect(() => sink.write("late")).toThrow(StreamClosedError);
    expect(sink.readyEvents).toBe(0);
    loop.stop();
  });

  it("reports ERROR when the stream is aborted by its other end", async () => {
    const { loop, clock } = await virtualLoop();
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const sink = new WritableSink(writable);
    let errors = 0;
    loop.addHandler(sink, (_s, events) => { if (events & ERROR) errors++; }, 0);
    void loop.start();
    await readable.cancel(new Error("client went away"));
    await clock.advance(50);
    expect(errors).toBe(1);
    expect((sink.error as Error).message).toBe("client went away");
    loop.stop();
  });

  it("close() flushes what was written, closes the stream, and refuses later writes", async () => {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const sink = new WritableSink(writable);
    sink.write(Uint8Array.of(1));
    sink.write(Uint8Array.of(2));
    const closing = sink.close();
    expect(() => sink.write(Uint8Array.of(3))).toThrow(StreamClosedError);
    const got = new Uint8Array(await new Response(readable).arrayBuffer());
    await closing;
    expect([...got]).toEqual([1, 2]);
    expect(sink.closed).toBe(true);
  });

  it("validates its arguments", () => {
    expect(() => new WritableSink({} as WritableStream)).toThrow(TypeError);
    const locked = new WritableStream();
    locked.getWriter();
    expect(() => new WritableSink(locked)).toThrow(/locked/);
    expect(() => new WritableSink(new WritableStream()).write(undefined as never)).toThrow(TypeError);
  });
});
