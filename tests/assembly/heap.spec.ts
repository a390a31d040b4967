import { heapReserveSlots, heapPush, heapPop, heapRemove, heapSize, heapMinKey, heapCheck, heapClear } from "../../assembly/heap";

describe("heap", () => {
  beforeEach(() => { heapClear(); heapReserveSlots(64); });

  it("pops in (key, tie) order", () => {
    heapPush(0, 5, 2);
    heapPush(1, 5, 1);
    heapPush(2, 1, 9);
    heapPush(3, 7, 0);
    expect(heapCheck()).toBe(0);
    expect(heapPop()).toBe(2);
    expect(heapPop()).toBe(1);
    expect(heapPop()).toBe(0);
    expect(heapPop()).toBe(3);
    expect(heapSize()).toBe(0);
    expect(heapMinKey()).toBe(Infinity);
  });

  it("removes an entry from the middle and keeps the order", () => {
    for (let s = 0; s < 40; s++) heapPush(s, <f64>((s * 17) % 40), <f64>s);
    expect(heapRemove(13)).toBe(true);
    expect(heapRemove(13)).toBe(false);
    expect(heapCheck()).toBe(0);
    let last: f64 = -1;
    while (heapSize() > 0) {
      const key = heapMinKey();
      expect(key >= last).toBe(true);
      last = key;
      expect(heapPop()).not.toBe(13);
    }
  });
});
