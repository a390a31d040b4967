// Tornado's design (tornado/ioloop.py): one handle object per timeout in a
// binary heap (here the tinyqueue package), ordered by (deadline, sequence);
// cancel clears the handle's callback and leaves it in the heap, and the
// heap is rebuilt without cancelled handles once they are more than 512 and
// more than half of it. Re-arming is cancel + schedule, as in Tornado.

import TinyQueue from "tinyqueue";
import { HostLoop } from "./host-loop";
import type { Fn } from "./peer";

export class TimeoutHandle {
  constructor(readonly deadline: number, readonly sequence: number, public fn: Fn | undefined) {}
}

const MIN_REBUILD = 512;

function earlier(a: TimeoutHandle, b: TimeoutHandle): number {
  return a.deadline - b.deadline || a.sequence - b.sequence;
}

export class HandleHeapLoop extends HostLoop {
  private heap = new TinyQueue<TimeoutHandle>([], earlier);
  private sequence = 0;
  private cancellations = 0;
  private readonly due: TimeoutHandle[] = [];

  callLater(delayMs: number, fn: Fn): TimeoutHandle {
    const handle = new TimeoutHandle(this.time() + delayMs, this.sequence++, fn);
    this.heap.push(handle);
    this.scheduled(handle.deadline);
    return handle;
  }

  removeTimeout(handle: TimeoutHandle): boolean {
    if (handle.fn === undefined) return false;
    handle.fn = undefined;
    if (++this.cancellations > MIN_REBUILD && this.cancellations > this.heap.length >> 1) {
      this.heap = new TinyQueue(this.heap.data.filter((h) => h.fn !== undefined), earlier);
      this.cancellations = 0;
    }
    return true;
  }

  protected earliest(): number {
    while (this.heap.length > 0 && this.heap.peek()!.fn === undefined) { this.heap.pop(); this.cancellations--; }
    return this.heap.length > 0 ? this.heap.peek()!.deadline : Infinity;
  }

  protected runDue(now: number): void {
    const due = this.due;
    while (this.heap.length > 0 && this.heap.peek()!.deadline <= now) {
      const handle = this.heap.pop()!;
      if (handle.fn === undefined) this.cancellations--;
      else due.push(handle);
    }
    for (let i = 0; i < due.length; i++) {
      const fn = due[i].fn;
      if (fn === undefined) continue; // cancelled by an earlier call
      due[i].fn = undefined;
      this.call(fn);
    }
    due.length = 0;
  }

  override close(): void {
    super.close();
    this.heap = new TinyQueue([], earlier);
  }
}
