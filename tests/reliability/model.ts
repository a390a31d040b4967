// A plain TypeScript model of the loop's contract (DESIGN.md, "One
// iteration"): what runs, in which order, and what each call returns. It is
// written from the contract, not from src/loop/ioloop.ts: arrays and linear scans, no
// heap, no slots, no generations, so that it is obviously right.
//
// The one thing it takes from the real loop is when the host wakes it: the
// harness tells it that a task of the loop's runs (a macrotask ran, or the
// host timer fired with the deadline the loop armed it for); the harness
// checks separately that the loop asks to be woken whenever the model has
// due work.
//
// Slices (sliceMs): an iteration decides its list as always, but runs it in
// slices, a task each; between two slices the list stays open, and top-level
// code may call anything. What it schedules, cancels, refreshes or removes
// then is seen by the list's re-checks as if an earlier entry had done it,
// but nothing new joins the list, and the loop does not stop or close while
// the list is open.

import type { Given, Op, Script } from "./ops.js";
import { SOURCE_COUNT } from "./ops.js";
import { ERROR, isEventMask, reportedAtOnce, runUser, type Outcome, type Side } from "./side.js";

/** What the loop does with close({ closeSources: true }) to each object
 *  source that has a handler (real.ts gives sources 2 and 3 a close()):
 *  source 2's close() works, source 3's throws and is reported; every
 *  source is closed, whatever another's close() did. Logged sorted: the
 *  loop does not promise an order. */
const CLOSED_SOURCE: Record<number, string> = { 2: "closed 2", 3: "!close3" };

interface ModelTimeout {
  label: string;
  deadline: number;
  delay: number;
  sequence: number;
  /** "firing": its call is running; only then may a fired one be refreshed. */
  state: "pending" | "due" | "firing" | "fired" | "cancelled";
  script: Script;
  given: Given;
}

interface ModelHandler { label: string; interest: number; ready: number; live: boolean; script: Script }

interface ModelCallback { label: string; script: Script; withArgs: boolean; given: Given }

/** One entry of an iteration's list, in the order it runs: the callbacks,
 *  then the due timeouts, then the ready sources with the events decided. */
type Entry =
  | { kind: "callback"; callback: ModelCallback }
  | { kind: "timeout"; timeout: ModelTimeout }
  | { kind: "handler"; source: number; handler: ModelHandler; events: number };

export class Model implements Side {
  readonly log: string[] = [];
  /** Labels of calls whose returned promise rejects: reported after the
   *  step, once the promise settles, in no order the test relies on. */
  readonly laterReports: string[] = [];
  state: "stopped" | "running" | "closed" = "stopped";
  private stopRequested = false;
  /** start() was called and no iteration has run since: start() always runs
   *  at least one iteration. */
  private startPending = false;
  /** True while a slice of the list runs (user code is on the stack). */
  private inIteration = false;
  /** The time of the slice that runs: new timeouts count from it. */
  private iterationNow = 0;
  /** The list decided and not yet run to its end: between two slices of a
   *  sliced loop, the entries still to run; else undefined. */
  private list: Entry[] | undefined;
  private lastTime: number;
  private sequence = 0;
  private labels = 0;
  private callbacks: ModelCallback[] = [];
  readonly handles: ModelTimeout[] = [];
  private handlers: (ModelHandler | undefined)[] = new Array(SOURCE_COUNT).fill(undefined);
  /** Sources whose ready & (interest | ERROR) is not 0, in the order they got so. */
  private listed: number[] = [];

  /** clockNow: the clock's reading, or undefined when it has none (now()
   *  throws, or returns what is not a finite number): the time stands still.
   *  sliceMs: the loop's option; Infinity runs every list at once. */
  constructor(private readonly clockNow: () => number | undefined, private readonly sliceMs = Infinity) {
    this.lastTime = clockNow() ?? 0; // the loop reads its clock once when created
  }

  time(): number {
    const now = this.clockNow();
    if (now !== undefined && now > this.lastTime) this.lastTime = now;
    return this.lastTime;
  }

  get pendingTimeouts(): number { return this.handles.filter((t) => t.state === "pending").length; }
  get queuedCallbacks(): number { return this.callbacks.length; }
  get handlerCount(): number { return this.handlers.filter(Boolean).length; }
  get readySources(): number { return this.listed.length; }
  get running(): boolean { return this.state === "running"; }
  get closed(): boolean { return this.state === "closed"; }

  /** Work that must start an iteration at once, without waiting for time. */
  hasImmediateWork(): boolean { return this.callbacks.length > 0 || this.listed.length > 0; }

  /** True if the loop must have queued a macrotask to run an iteration, or
   *  the next slice of its open list. */
  wantsTurn(): boolean { return this.running && (this.startPending || this.hasImmediateWork() || this.list !== undefined); }

  /** The entries of the open list that will still run if nothing else
   *  changes: callbacks, and timeouts still due. The loop counts them
   *  neither queued nor pending. */
  get listedCallbacks(): number { return this.list?.filter((e) => e.kind === "callback").length ?? 0; }
  get listedTimeouts(): number { return this.list?.filter((e) => e.kind === "timeout" && e.timeout.state === "due").length ?? 0; }

  earliestDeadline(): number {
    let earliest = Infinity;
    for (const t of this.handles) if (t.state === "pending" && t.deadline < earliest) earliest = t.deadline;
    return earliest;
  }

  /** The host timer fired: the loop's time is at least the deadline it was
   *  armed for, and an iteration (or the open list's next slice) runs if the
   *  loop is running. */
  timerFired(armedDeadline: number): void {
    if (armedDeadline > this.lastTime) this.lastTime = armedDeadline;
    if (this.running) this.iterate();
  }

  /** The loop's queued macrotask ran: a running loop iterates, whether or
   *  not it still has work (it may have queued the macrotask for work since
   *  cancelled, and a timeout may have fallen due meanwhile), or runs the
   *  next slice of its open list. */
  macrotaskRan(): void {
    if (this.running) this.iterate();
  }

  apply(op: Op): Outcome {
    switch (op.op) {
      case "addCallback": {
        const label = `c${this.labels++}`;
        if (this.closed) return "Error";
        this.callbacks.push({ label, script: op.script, withArgs: op.withArgs, given: op.given ?? "fn" });
        return "ok";
      }
      case "callLater":
      case "callAt": {
        const label = `t${this.labels++}`;
        if (this.closed) return "Error";
        const value = op.op === "callLater" ? op.delayMs : op.deadlineMs;
        if (Number.isNaN(value)) return "RangeError";
        const now = this.scheduleTime();
        const deadline = op.op === "callLater" ? now + value : value;
        const delay = keptDelay(op.op === "callLater" ? value : value - now);
        this.handles.push({ label, deadline, delay, sequence: this.sequence++, state: "pending", script: op.script, given: op.given ?? "fn" });
        return "ok";
      }
      case "cancel": {
        const t = this.handle(op.handle);
        if (!t || (t.state !== "pending" && t.state !== "due")) return "false";
        t.state = "cancelled";
        return "true";
      }
      case "cancelNotOwn": return "false";
      case "refresh": {
        const t = this.handle(op.handle);
        if (!t) return "none";
        if (this.closed || t.state === "cancelled" || t.state === "fired") return "false";
        t.deadline = this.scheduleTime() + t.delay;
        t.sequence = this.sequence++;
        t.state = "pending"; // a due one is taken out of this iteration; a firing one runs again
        return "true";
      }
      case "addHandler": {
        const label = `h${this.labels++}`;
        if (this.closed) return "Error";
        if (!isEventMask(op.interest)) return "RangeError";
        if (this.handlers[op.source]) return "Error";
        this.handlers[op.source] = { label, interest: op.interest, ready: 0, live: true, script: op.script };
        return "ok";
      }
      case "updateHandler":
      case "setReady":
      case "clearReady": {
        if (this.closed) return "Error";
        if (!isEventMask(op.events)) return "RangeError";
        const h = this.handlers[op.source];
        if (!h) return "Error";
        if (op.op === "updateHandler") h.interest = op.events;
        else if (op.op === "setReady") h.ready |= op.events;
        else h.ready &= ~op.events;
        this.relist(op.source);
        return "ok";
      }
      case "removeHandler": {
        const h = this.handlers[op.source];
        if (!h) return "false";
        this.dropHandler(op.source);
        return "true";
      }
      case "start":
        if (this.closed || this.running) return "Error";
        this.state = "running";
        this.startPending = true;
        return "ok";
      case "stop":
        // Inside an iteration, or between two slices of its list, the loop
        // stops once the list has run to its end.
        if (this.closed) return "ok";
        this.stopRequested = true;
        if (this.running && !this.inIteration && this.list === undefined) this.finishStop();
        return "ok";
      case "close": {
        if (this.running) return "Error";
        if (this.closed) return "0/0/0";
        const report = `${this.callbacks.length}/${this.pendingTimeouts}/${this.handlerCount}`;
        if (op.closeSources) {
          const closed = Object.keys(CLOSED_SOURCE).map(Number).filter((s) => this.handlers[s]).map((s) => CLOSED_SOURCE[s]);
          this.log.push(...closed.sort());
        }
        this.state = "closed";
        this.callbacks = [];
        for (const t of this.handles) if (t.state === "pending") t.state = "cancelled";
        for (let s = 0; s < SOURCE_COUNT; s++) if (this.handlers[s]) this.dropHandler(s);
        return report;
      }
      case "throw":
      case "return":
      case "turn":
      case "advance":
      case "clock":
        throw new Error(`model: ${op.op} is not a loop call`);
    }
  }

  /** The time new timeouts count from: inside a slice, the time read when
   *  it began; outside one (between two slices too), the clock. */
  private scheduleTime(): number { return this.inIteration ? this.iterationNow : this.time(); }

  private handle(index: number): ModelTimeout | undefined {
    return this.handles.length === 0 ? undefined : this.handles[index % this.handles.length];
  }

  private relist(source: number): void {
    const h = this.handlers[source];
    const should = h !== undefined && (h.ready & (h.interest | ERROR)) !== 0;
    const at = this.listed.indexOf(source);
    if (should && at < 0) this.listed.push(source);
    else if (!should && at >= 0) this.listed.splice(at, 1);
  }

  private dropHandler(source: number): void {
    this.handlers[source]!.live = false;
    this.handlers[source] = undefined;
    this.relist(source);
  }

  private finishStop(): void {
    this.state = "stopped";
    this.stopRequested = false;
  }

  /** One task of the loop: decides a list unless one is open, then runs
   *  it, or its next slice; stops once the list has ended, if asked to. */
  private iterate(): void {
    const now = this.time();
    this.startPending = false;
    this.iterationNow = now;
    this.list ??= this.decide(now);
    this.inIteration = true;
    this.runSlice(this.list);
    this.inIteration = false;
    if (this.list === undefined && this.stopRequested && this.running) this.finishStop();
  }

  /** Decides everything the iteration will run, before any of it runs. */
  private decide(now: number): Entry[] {
    const callbacks = this.callbacks;
    this.callbacks = [];
    const due = this.handles.filter((t) => t.state === "pending" && t.deadline <= now)
      .sort((a, b) => a.deadline - b.deadline || a.sequence - b.sequence);
    for (const t of due) t.state = "due";
    return [
      ...callbacks.map((callback): Entry => ({ kind: "callback", callback })),
      ...due.map((timeout): Entry => ({ kind: "timeout", timeout })),
      ...this.listed.map((source): Entry => {
        const handler = this.handlers[source]!;
        return { kind: "handler", source, handler, events: handler.ready & (handler.interest | ERROR) };
      }),
    ];
  }

  /** Runs entries of the list, each re-checked just before its call, until
   *  the list ends (it is then closed) or the slice is spent. A slice is
   *  spent once the clock, read after an entry, is at least sliceMs past its
   *  reading when the slice began; a missing reading (the clock throws or
   *  reads garbage), at the start or after an entry, never spends it, and
   *  with sliceMs Infinity nothing does. */
  private runSlice(list: Entry[]): void {
    const start = this.clockNow();
    while (list.length > 0) {
      this.runEntry(list.shift()!);
      const now = this.clockNow();
      if (list.length > 0 && start !== undefined && now !== undefined && now >= start + this.sliceMs) return;
    }
    this.list = undefined;
  }

  private runEntry(entry: Entry): void {
    switch (entry.kind) {
      case "callback": {
        const c = entry.callback;
        this.invoke(c.label, c.withArgs ? `${c.label}(${c.label},x)` : c.label, c.script, c.given);
        return;
      }
      case "timeout": {
        const t = entry.timeout;
        if (t.state !== "due") return; // cancelled or refreshed since the list was decided
        t.state = "firing";
        this.invoke(t.label, t.label, t.script, t.given);
        if (t.state === "firing") t.state = "fired";
        return;
      }
      case "handler": {
        const h = entry.handler;
        if (!h.live) return; // removed since the list was decided
        const delivered = entry.events & (h.interest | ERROR);
        if (delivered !== 0) this.invoke(h.label, `${h.label}@${entry.source}:${delivered}`, h.script);
        return;
      }
    }
  }

  /** A function given as a revoked Proxy throws when called, before any of
   *  its script; a returned thenable whose then() or `then` throws, or a
   *  revoked Proxy, is reported as soon as the call returns; a rejected
   *  promise later. */
  private invoke(label: string, header: string, script: Script, given: Given = "fn"): void {
    if (given === "revoked") {
      this.log.push(`!${label}`);
      return;
    }
    try {
      const returned = runUser(this, label, header, script, (value) => value);
      if (returned === undefined) return;
      if (reportedAtOnce(returned)) this.log.push(`!${label}`);
      else if (returned === "rejected") this.laterReports.push(label);
    } catch {
      this.log.push(`!${label}`);
    }
  }
}

/** The delay a timeout keeps for refreshes: an f32 (24 significant bits),
 *  and a finite delay past f32's range as its largest finite value. */
function keptDelay(delay: number): number {
  const kept = Math.fround(delay);
  return Number.isFinite(delay) && !Number.isFinite(kept) ? Math.sign(delay) * 3.4028234663852886e38 : kept;
}
