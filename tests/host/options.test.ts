// Option bags are checked: every call that takes options throws a TypeError
// naming an option it does not know (a misspelt option would otherwise be
// ignored, and the default used in its place), takes each option it does
// know, and refuses options that are not an object.
import { describe, expect, it } from "vitest";
import { IOLoop, IOStream, PeriodicCallback, ReadableSource, WebSocketSource } from "../../src/index.js";
import { createLoop } from "./helpers.js";

/** A socket that is never opened: enough for WebSocketSource's constructor. */
function idleSocket() {
  return {
    readyState: 0,
    bufferedAmount: 0,
    binaryType: "arraybuffer",
    send() {},
    close() {},
    addEventListener() {},
    removeEventListener() {},
  };
}

const emptyStream = () => new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });

/** Asserts that `call(options)` throws a TypeError naming `where` and the
 *  unknown option, for a misspelling and for an option no call has. */
async function expectUnknownRefused(where: string, misspelt: string, call: (options: object) => unknown) {
  for (const name of [misspelt, "__proto__x", "constructor"]) {
    const attempt = async () => call({ [name]: 1 });
    await expect(attempt()).rejects.toThrow(TypeError);
    await expect(attempt()).rejects.toThrow(`${where}: unknown option "${name}"`);
  }
}

describe("option bags", () => {
  it("IOLoop.create names an unknown option, and lists the ones it takes", async () => {
    await expect(IOLoop.create({ slowCallbackMS: 5 } as never)).rejects.toThrow(TypeError);
    await expect(IOLoop.create({ slowCallbackMS: 5 } as never))
      .rejects.toThrow(/IOLoop.create: unknown option "slowCallbackMS" \(the options are clock, onError, slowCallbackMs, .*\)/);
    await expectUnknownRefused("IOLoop.create", "maxMemory", (options) => IOLoop.create(options as never));
  });

  it("an option given as undefined is still an option: known is fine, unknown is refused", async () => {
    const loop = await createLoop({ slowCallbackMs: undefined });
    expect(loop.closed).toBe(false);
    await expect(IOLoop.create({ slowCallbackMS: undefined } as never)).rejects.toThrow(/unknown option "slowCallbackMS"/);
  });

  it("run and close name an unknown option", async () => {
    const loop = await createLoop();
    await expectUnknownRefused("run", "timeout", (options) => loop.run(() => 1, options as never));
    await expectUnknownRefused("close", "closeSource", (options) => loop.close(options as never));
    expect(loop.closed).toBe(false);
    await expect(loop.run(() => 7, { timeoutMs: 1_000 })).resolves.toBe(7);
    expect(loop.close({ closeSources: false })).toMatchObject({ timeouts: 0 });
  });

  it("PeriodicCallback names an unknown option", async () => {
    const loop = await createLoop();
    await expectUnknownRefused("PeriodicCallback", "jiter", (options) => new PeriodicCallback(loop, () => {}, 10, options as never));
    expect(() => new PeriodicCallback(loop, () => {}, 10, { jitter: 0.5 })).not.toThrow();
  });

  it("WebSocketSource and ReadableSource name an unknown option", async () => {
    await expectUnknownRefused("WebSocketSource", "maxBufferSize", (options) => new WebSocketSource(idleSocket(), options as never));
    expect(new WebSocketSource(idleSocket(), { maxBufferBytes: 10, lowWaterMark: 0 }).maxBufferBytes).toBe(10);
    await expectUnknownRefused("ReadableSource", "highWatermark", (options) => new ReadableSource(emptyStream(), options as never));
    expect(new ReadableSource(emptyStream(), { highWaterMark: 10 }).highWaterMark).toBe(10);
  });

  it("IOStream, readUntil and readBytes name an unknown option", async () => {
    const loop = await createLoop();
    await expectUnknownRefused("IOStream", "maxBufferBytes", (options) => new IOStream(loop, new ReadableSource(emptyStream()), options as never));
    const stream = new IOStream(loop, new ReadableSource(emptyStream()), { maxBufferSize: 1024 });
    await expectUnknownRefused("IOStream.readUntil", "maxByte", (options) => stream.readUntil("\n", options as never));
    await expectUnknownRefused("IOStream.readBytes", "partal", (options) => stream.readBytes(1, options as never));
  });

  it("options that are not an object are refused, naming the call", async () => {
    const loop = await createLoop();
    for (const bad of [null, 5, "x"]) {
      await expect(IOLoop.create(bad as never)).rejects.toThrow(/IOLoop.create: options must be an object/);
      expect(() => loop.close(bad as never)).toThrow(/close: options must be an object/);
      expect(() => new WebSocketSource(idleSocket(), bad as never)).toThrow(/WebSocketSource: options must be an object/);
    }
  });
});
