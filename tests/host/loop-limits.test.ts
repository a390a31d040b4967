// How many loops a process can hold open at once: 256, one per lane, so that
// no two loops ever share an id. Past that IOLoop.create refuses with an
// error that names it and says what to do, and loses nothing: the loops
// already open keep running, and closing one makes room (the next loop takes
// its core from the pool). A page holds fewer (tests/pages/many-loops).
import { expect, it } from "vitest";
import { IOLoop } from "../../src/index.js";
import { freshDebugModule } from "./helpers.js";

const fires = (loop: IOLoop) => loop.run(() => new Promise<boolean>((resolve) => { loop.callLater(1, () => resolve(true)); }));

it("refuses the 257th open loop with a RangeError from IOLoop.create, keeps the 256 running, and takes a new loop once one is closed", async () => {
  const module = await freshDebugModule();
  const loops: IOLoop[] = [];
  let refusal: unknown;
  try {
    while (loops.length < 300) {
      try { loops.push(await IOLoop.create({ module })); } catch (error) { refusal = error; break; }
    }
    expect(loops).toHaveLength(256); // this file's module graph made no loop before
    expect(refusal).toBeInstanceOf(RangeError);
    expect((refusal as Error).message).toBe("IOLoop.create: 256 loops are open, the most this runtime can hold; close() some");

    expect(await fires(loops[0]!)).toBe(true);
    expect(await fires(loops[255]!)).toBe(true);
    loops[0]!.close();
    loops[0] = await IOLoop.create({ module });
    expect(await fires(loops[0])).toBe(true);
    await expect(IOLoop.create({ module })).rejects.toThrow(/^IOLoop\.create: 256 loops are open/);
  } finally {
    for (const loop of loops) loop.close();
  }
});
