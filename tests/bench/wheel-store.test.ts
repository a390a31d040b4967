import { describe, expect, it } from "vitest";
import { WheelStore } from "../../bench/peers/wheel-store.js";

const SLOT_SCALE = 2 ** 22;

/** The simplest correct store: entries in scheduling order, the least found
 *  by a scan (strict <, so the earliest scheduled wins a tie). */
class Reference {
  entries: { id: number; deadline: number }[] = [];
  add(id: number, deadline: number): void { this.entries.push({ id, deadline }); }
  remove(id: number): void { this.entries.splice(this.entries.findIndex((e) => e.id === id), 1); }
  least(): { id: number; deadline: number } | undefined {
    let best: { id: number; deadline: number } | undefined;
    for (const e of this.entries) if (best === undefined || e.deadline < best.deadline) best = e;
    return best;
  }
}

function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

describe("WheelStore (the TypeScript port of the core's store)", () => {
  it("fires equal deadlines scheduled far and near in scheduling order", () => {
    const store = new WheelStore();
    const first = store.schedule(300000);
    expect(store.popDue(299990)).toBe(-1);
    const second = store.schedule(300000);
    const third = store.schedule(299999.5);
    const order = [store.popDue(300000), store.popDue(300000), store.popDue(300000), store.popDue(300000)];
    expect(order).toEqual([third % SLOT_SCALE, first % SLOT_SCALE, second % SLOT_SCALE, -1]);
  });

  it("keeps (deadline, sequence) order against a sorted reference over a long random run", () => {
    for (const seed of [1, 2, 3]) randomRun(seed, 20000, 0);
  });

  it("renumbers sequence numbers before they wrap, keeping the order of equal deadlines", () => {
    const store = new WheelStore();
    const a = store.schedule(5.5);
    const b = store.schedule(1e5);
    const c = store.schedule(5.5);
    const d = store.schedule(1e5);
    expect(store.cancel(store.schedule(7))).toBe(true); // a free slot
    expect(store.popDue(5)).toBe(-1); // a and c are now in the near heap, b and d in the wheel
    store.skipSequence(2 ** 32);
    const e = store.schedule(5.5); // renumbers first
    const f = store.schedule(1e5);
    store.skipSequence(2 ** 32);
    expect(store.move(a, 1e5)).toBe(true); // renumbers again
    const order: number[] = [];
    for (let slot = store.popDue(1e6); slot >= 0; slot = store.popDue(1e6)) order.push(slot);
    expect(order).toEqual([c, e, b, d, f, a].map((id) => id % SLOT_SCALE));
  });

  it("keeps the order over a long random run with the sequence numbers renumbered every 500 steps", () => {
    randomRun(4, 5000, 500);
  });
});

/** Random schedules, cancels, moves, next-deadline queries and pops against
 *  the reference; every `renumberEvery` steps (0: never) the sequence count
 *  jumps to its limit, so that the next schedule or move renumbers. */
function randomRun(seed: number, steps: number, renumberEvery: number): void {
  const store = new WheelStore();
  const reference = new Reference();
  const rand = random(seed);
  let now = seed === 3 ? 5e11 : 0;
  const deadline = (): number => {
    const kind = Math.floor(rand() * 12);
    if (kind === 0) return now - rand() * 1e4;
    if (kind === 1) return Infinity;
    if (kind === 2) return 1e200 * rand();
    if (kind === 3 && reference.entries.length > 0) {
      return reference.entries[Math.floor(rand() * reference.entries.length)].deadline;
    }
    if (kind === 4) return Math.floor(now) + Math.floor(rand() * 4);
    return now + rand() * 64 ** (kind - 4) * 1.5;
  };
  for (let step = 0; step < steps; step++) {
    if (renumberEvery > 0 && step % renumberEvery === renumberEvery - 1) store.skipSequence(2 ** 32);
    const op = Math.floor(rand() * 16);
    const n = reference.entries.length;
    if (op < 7) {
      const d = deadline();
      reference.add(store.schedule(d), d);
    } else if (op < 9 && n > 0) {
      const { id } = reference.entries[Math.floor(rand() * n)];
      expect(store.cancel(id)).toBe(true);
      expect(store.cancel(id)).toBe(false);
      reference.remove(id);
    } else if (op < 11 && n > 0) {
      const { id } = reference.entries[Math.floor(rand() * n)];
      const d = deadline();
      expect(store.move(id, d)).toBe(true);
      reference.remove(id);
      reference.add(id, d);
    } else if (op < 12) {
      expect(store.nextDeadline()).toBe(reference.least()?.deadline ?? Infinity);
    } else {
      const kind = Math.floor(rand() * 8);
      if (kind === 7) now += Math.floor(rand() * 1e6) * 977;
      else if (kind >= 2) now += Math.floor(rand() * 300) / 4;
      for (let slot = store.popDue(now); slot >= 0; slot = store.popDue(now)) {
        const least = reference.least()!;
        expect(slot).toBe(least.id % SLOT_SCALE);
        reference.remove(least.id);
      }
      expect((reference.least()?.deadline ?? Infinity) > now).toBe(true);
    }
    expect(store.size).toBe(reference.entries.length);
  }
}
