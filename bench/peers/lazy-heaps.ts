// The heap libraries the lazy-deletion peers use, each behind EntryHeap, used
// as their documentation shows: objects ordered by (deadline, sequence)
// through a comparator, except flatqueue, which takes a number priority and so
// orders by deadline alone (it documents no order among equal priorities).

import FlatQueue from "flatqueue";
import TinyQueue from "tinyqueue";
import { Heap } from "heap-js";
import FastPriorityQueue from "fastpriorityqueue";
import { entryOrder, type Entry, type EntryHeap } from "./lazy-store";

export class FlatQueueHeap implements EntryHeap {
  private queue = new FlatQueue<Entry>();
  get length(): number { return this.queue.length; }
  push(entry: Entry): void { this.queue.push(entry, entry.deadline); }
  peek(): Entry { return this.queue.peek()!; }
  pop(): void { this.queue.pop(); }
  rebuild(entries: Entry[]): void {
    this.queue.clear();
    for (const entry of entries) this.queue.push(entry, entry.deadline);
  }
  entries(): Entry[] { return this.queue.ids.slice(0, this.queue.length); }
}

export class TinyQueueHeap implements EntryHeap {
  private queue = new TinyQueue<Entry>([], entryOrder);
  get length(): number { return this.queue.length; }
  push(entry: Entry): void { this.queue.push(entry); }
  peek(): Entry { return this.queue.peek()!; }
  pop(): void { this.queue.pop(); }
  rebuild(entries: Entry[]): void { this.queue = new TinyQueue(entries, entryOrder); }
  entries(): Entry[] { return this.queue.data.slice(0, this.queue.length); }
}

export class HeapJsHeap implements EntryHeap {
  private readonly heap = new Heap<Entry>(entryOrder);
  get length(): number { return this.heap.length; }
  push(entry: Entry): void { this.heap.add(entry); }
  peek(): Entry { return this.heap.peek()!; }
  pop(): void { this.heap.pop(); }
  rebuild(entries: Entry[]): void { this.heap.init(entries); }
  entries(): Entry[] { return this.heap.toArray(); }
}

export class FastPriorityQueueHeap implements EntryHeap {
  private readonly queue = new FastPriorityQueue<Entry>((a, b) => entryOrder(a, b) < 0);
  get length(): number { return this.queue.size; }
  push(entry: Entry): void { this.queue.add(entry); }
  peek(): Entry { return this.queue.peek()!; }
  pop(): void { this.queue.poll(); }
  rebuild(entries: Entry[]): void { this.queue.heapify(entries); }
  entries(): Entry[] {
    const all: Entry[] = [];
    this.queue.forEach((entry) => { all.push(entry); });
    return all;
  }
}
