import { describe, expect, it } from "vitest";
import { virtualLoop } from "./helpers.js";

describe("IOLoop", () => {
  it("runs callbacks in FIFO order, then due timeouts in (deadline, sequence) order", async () => {
    const { loop, clock } = await virtualLoop();
    const ran: string[] = [];
    loop.callLater(10, () => ran.push("t10a"));
    loop.callLater(5, () => ran.push("t5"));
    loop.callLater(10, () => ran.push("t10b"));
    loop.addCallback(() => ran.push("c1"));
    loop.addCallback(() => ran.push("c2"));
    void loop.start();
    await clock.advance(10);
    expect(ran).toEqual(["c1", "c2", "t5", "t10a", "t10b"]);
    loop.checkInvariants();
    loop.stop();
  });
});
