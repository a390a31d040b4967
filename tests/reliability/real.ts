// The real loop as a Side: applies each Op to an IOLoop on a ManualClock and
// logs what ran, in the same words as the model (see side.ts). It also feeds
// the invariant checker everything it sees.

import type { IOLoop, Timeout } from "../../src/index.js";
import type { Op, Script } from "./ops.js";
import { runUser, ScriptedFailure, type Outcome, type Side } from "./side.js";
import type { InvariantChecker } from "./invariants.js";

export class RealSide implements Side {
  readonly log: string[] = [];
  readonly handles: Timeout[] = [];
  /** Two integer sources and two object sources. */
  readonly sources: unknown[] = [0, 1, { name: "source 2" }, { name: "source 3" }];
  private labels = 0;

  constructor(
    readonly loop: IOLoop,
    private readonly foreign: Timeout,
    private readonly checker: InvariantChecker,
  ) {}

  /** The loop's onError: a user function threw (every throw in this test is
   *  a ScriptedFailure; anything else is a bug in the loop or the harness). */
  readonly onError = ({ error }: { error: unknown }): void => {
    if (!(error instanceof ScriptedFailure)) throw new Error(`unexpected error reported: ${String(error)}`);
    this.log.push(`!${error.label}`);
  };

  apply(op: Op): Outcome {
    try {
      return this.call(op);
    } catch (error) {
      return error instanceof Error ? error.name : `non-error ${String(error)}`;
    }
  }

  private call(op: Op): Outcome {
    const loop = this.loop;
    switch (op.op) {
      case "addCallback": {
        const label = `c${this.labels++}`;
        const fn = (...args: unknown[]) => {
          this.checker.ran(label);
          runUser(this, label, args.length ? `${label}(${args.join(",")})` : label, op.script);
        };
        if (op.withArgs) loop.addCallback(fn, label, "x");
        else loop.addCallback(fn);
        this.checker.added(label);
        return "ok";
      }
      case "callLater":
      case "callAt": {
        const label = `t${this.labels++}`;
        let handle: Timeout | undefined;
        const fn = () => {
          this.checker.fired(label, handle!);
          runUser(this, label, label, op.script);
        };
        handle = op.op === "callLater" ? loop.callLater(op.delayMs, fn) : loop.callAt(op.deadlineMs, fn);
        this.handles.push(handle);
        this.checker.scheduled(label, handle);
        return "ok";
      }
      case "cancel": {
        const handle = this.handle(op.handle);
        const before = this.checker.pendingBefore();
        const cancelled = loop.removeTimeout(handle);
        this.checker.cancelResult(handle, cancelled, before);
        return String(cancelled);
      }
      case "cancelNotOwn": {
        const value = op.what === "null" ? null : op.what === "undefined" ? undefined : this.foreign;
        const before = this.checker.pendingBefore();
        const cancelled = loop.removeTimeout(value);
        this.checker.cancelResult(undefined, cancelled, before);
        return String(cancelled);
      }
      case "refresh": {
        const handle = this.handle(op.handle);
        if (!handle) return "none";
        const refreshed = loop.refreshTimeout(handle);
        if (refreshed) this.checker.refreshed(handle);
        return String(refreshed);
      }
      case "addHandler": {
        const label = `h${this.labels++}`;
        const index = op.source;
        const handler = (source: unknown, events: number) => {
          if (source !== this.sources[index]) throw new Error(`handler ${label} called with the wrong source`);
          this.checker.handled(index, events);
          runUser(this, label, `${label}@${index}:${events}`, op.script as Script);
        };
        loop.addHandler(this.sources[index], handler, op.interest);
        return "ok";
      }
      case "updateHandler": loop.updateHandler(this.sources[op.source], op.events); return "ok";
      case "removeHandler": return String(loop.removeHandler(this.sources[op.source]));
      case "setReady": loop.setReady(this.sources[op.source], op.events); return "ok";
      case "clearReady": loop.clearReady(this.sources[op.source], op.events); return "ok";
      case "start": {
        const stopped = loop.start();
        this.checker.started(stopped);
        return "ok";
      }
      case "stop": loop.stop(); return "ok";
      case "close": {
        const report = loop.close();
        this.checker.closed(report);
        return `${report.callbacks}/${report.timeouts}/${report.handlers}`;
      }
      case "throw":
      case "turn":
      case "advance":
        throw new Error(`real: ${op.op} is not a loop call`);
    }
  }

  private handle(index: number): Timeout | undefined {
    return this.handles.length === 0 ? undefined : this.handles[index % this.handles.length];
  }
}
