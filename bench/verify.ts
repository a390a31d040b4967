// Before anything is timed, each store must do the job: everything pending
// fires, in deadline order, and nothing cancelled fires (the count would
// show it). A fast wrong store
// would make every ratio meaningless.

import { slotOf } from "./peers/store";
import type { StorePeer } from "./stores";

export function verifyStores(peers: StorePeer[]): void {
  for (const peer of peers) {
    const store = peer.make();
    const deadlineOfSlot = new Map<number, number>();
    let pending = 0;
    for (let i = 0; i < 3000; i++) {
      const deadline = (i * 7919) % 100; // many equal deadlines
      const id = store.schedule(deadline);
      deadlineOfSlot.set(slotOf(id), deadline); // a reused slot has a new owner
      pending++;
      if (i % 3 !== 0) continue;
      if (!store.cancel(id)) throw new Error(`${peer.name}: could not cancel a pending timer`);
      if (store.cancel(id)) throw new Error(`${peer.name}: cancelled the same timer twice`);
      pending--;
    }
    let last = -Infinity, popped = 0;
    for (let slot = store.popDue(99); slot >= 0; slot = store.popDue(99)) {
      const deadline = deadlineOfSlot.get(slot)!;
      if (deadline < last) throw new Error(`${peer.name}: fired ${deadline} after ${last}`);
      last = deadline;
      popped++;
    }
    if (popped !== pending) throw new Error(`${peer.name}: fired ${popped} of ${pending}`);
    if (store.nextDeadline() !== Infinity) throw new Error(`${peer.name}: not empty after firing everything`);
  }
}
