// The real loop as a Side: applies each Op to an IOLoop on a ManualClock and
// logs what ran, in the same words as the model (see side.ts). It also feeds
// the invariant checker everything it sees.

import type { IOLoop, Timeout } from "../../src/index.js";
import type { ErrorContext } from "../../src/index.js";
import type { Given, Op, Script } from "./ops.js";
import { revoked } from "./revoked.js";
import { hostileValue, runUser, ScriptedFailure, type Outcome, type Side } from "./side.js";
import type { InvariantChecker } from "./invariants.js";

export class RealSide implements Side {
  readonly log: string[] = [];
  readonly handles: Timeout[] = [];
  /** Rejections of returned promises, reported after the call (model.ts). */
  readonly laterReports: string[] = [];
  /** Times the loop reported its clock (kind "clock"). */
  clockReports = 0;
  /** What close({ closeSources: true }) did, sorted into the log after it. */
  private closings: string[] = [];
  private readonly closeOfSource3 = (): void => { throw new ScriptedFailure("close3"); };
  /** Two integer sources and two object sources; the objects' close() is
   *  called only by close({ closeSources: true }): source 3's throws. */
  readonly sources: unknown[] = [0, 1, { name: "source 2", close: () => { this.closings.push("closed 2"); } }, { name: "source 3", close: this.closeOfSource3 }];
  private labels = 0;
  /** The label of every function given to the loop, for its reports. */
  private readonly labelOf = new Map<Function, string>();
  /** For a function given as a revoked Proxy: counts its call as the
   *  checker's (it never runs the body that would). */
  private readonly revokedCall = new Map<Function, () => void>();

  constructor(
    readonly loop: IOLoop,
    private readonly foreign: Timeout,
    private readonly checker: InvariantChecker,
  ) {}

  /** The loop's onError. Every report must be one the test caused: a
   *  ScriptedFailure, a revoked Proxy called or returned, the clock while it
   *  is broken (counted, since how often the loop reads it is its own
   *  business), source 3's close(); anything else is a violation. */
  readonly onError = ({ error, kind, fn }: ErrorContext): void => {
    if (kind === "clock") {
      this.clockReports++;
      if (!this.clockBroken()) this.checker.violations.push(`clock reported while it works: ${String(error)}`);
      return;
    }
    if (kind === "source") {
      if (fn === this.closeOfSource3 && error instanceof ScriptedFailure) this.closings.push("!close3");
      else this.checker.violations.push(`unexpected source report: ${String(error)}`);
      return;
    }
    const label = this.labelOf.get(fn);
    const expected = error instanceof ScriptedFailure ? error.label === label : error instanceof TypeError;
    if (label === undefined || !expected) {
      this.checker.violations.push(`unexpected ${kind} report (${label}): ${String(error)}`);
      return;
    }
    this.revokedCall.get(fn)?.();
    if (error instanceof ScriptedFailure && error.later) this.laterReports.push(label);
    else this.log.push(`!${label}`);
  };

  /** Set by the harness: true while the clock's now() throws. */
  clockBroken: () => boolean = () => false;

  /** fn as the loop is to get it, labelled for its reports. */
  private give<F extends Function>(label: string, fn: F, given: Given | undefined, counted: () => void): F {
    const out = given === "revoked" ? revoked(fn) : fn;
    this.labelOf.set(out, label);
    if (given === "revoked") this.revokedCall.set(out, counted);
    return out;
  }

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
        const fn = this.give(label, (...args: unknown[]) => {
          this.checker.ran(label);
          return runUser(this, label, args.length ? `${label}(${args.join(",")})` : label, op.script, (value) => hostileValue(value, label));
        }, op.given, () => this.checker.ran(label));
        if (op.withArgs) loop.addCallback(fn, label, "x");
        else loop.addCallback(fn);
        this.checker.added(label);
        return "ok";
      }
      case "callLater":
      case "callAt": {
        const label = `t${this.labels++}`;
        let handle: Timeout | undefined;
        const fn = this.give(label, () => {
          this.checker.fired(label, handle!);
          return runUser(this, label, label, op.script, (value) => hostileValue(value, label));
        }, op.given, () => this.checker.fired(label, handle!));
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
        const handler = this.give(label, (source: unknown, events: number) => {
          if (source !== this.sources[index]) throw new Error(`handler ${label} called with the wrong source`);
          this.checker.handled(index, events);
          return runUser(this, label, `${label}@${index}:${events}`, op.script as Script, (value) => hostileValue(value, label));
        }, "fn", () => {});
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
        this.closings = [];
        const report = op.closeSources ? loop.close({ closeSources: true }) : loop.close();
        this.checker.closed(report);
        this.log.push(...this.closings.sort());
        return `${report.callbacks}/${report.timeouts}/${report.handlers}`;
      }
      case "throw":
      case "return":
      case "turn":
      case "advance":
      case "clock":
        throw new Error(`real: ${op.op} is not a loop call`);
    }
  }

  private handle(index: number): Timeout | undefined {
    return this.handles.length === 0 ? undefined : this.handles[index % this.handles.length];
  }
}
