// The loop's one host timer, armed so that the host fires it as close to
// its deadline as the platform allows.
//
// Browsers clamp a setTimeout armed from inside a timer task nested five
// deep to at least 4 ms (the HTML timer nesting rule). A loop woken by its
// own timer arms the next one from inside that timer's task, so a chain of
// 1 ms timeouts through plain setTimeout fires every 4 ms or so. Measured
// in headless Chromium 156 (bench/wakeups.js: a 1 ms timeout re-arming
// itself 300 times through the loop, lateness per hop p50 / p99):
//   setTimeout from the timer task              3.23 / 6.37 ms (clamped)
//   scheduler.postTask(fn, { delay })           0.16 / 1.90 ms
//   setTimeout armed from a MessageChannel task 0.19 / 2.74 ms
// and 1,000 timeouts with delays 1..1000 ms scheduled at once came within
// the same fraction of a millisecond either way. postTask is kept where it
// exists: as punctual, one host task per wake-up instead of two, and
// cancelled natively (an AbortController per arming, a few objects per
// wake-up). It costs more to arm than setTimeout, and setTimeout for delays
// of 4 ms or more would escape the clamp too, but a loop woken by its own
// setTimeout that arms the next makes a chain of timers, which Chromium
// throttles in a hidden page to one wake-up a minute; a postTask task is
// not a timer task and starts no chain. Elsewhere a MessageChannel message arms the setTimeout, since a
// message task is not a timer task and starts the nesting count over.
//
// Node and Bun (which have setImmediate) do not clamp: plain setTimeout.
// Workers do not clamp either, and their I/O objects belong to the request
// that made them, so they too get plain setTimeout, and nothing here is
// created before the first timer is armed (no I/O objects at module scope).
//
// Host timers take whole milliseconds (WebIDL truncates setTimeout's and
// postTask's delay to an integer), so the delay is rounded up: a timer
// armed for 2.6 ms fires after 3, never after 2, and the loop may then take
// the deadline as passed (see the loop's time()).

import { queueMacrotask } from "./macrotask.js";

export interface HostTimer {
  setTimer(fn: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The host timer for this runtime, chosen on first use. */
export function hostTimer(): HostTimer {
  return chosen ??= chooseHostTimer();
}

let chosen: HostTimer | undefined;

interface PostTaskScheduler {
  postTask(fn: () => void, options: { delay: number; signal: AbortSignal }): Promise<unknown>;
}

/** Which host timer: named so that tests and the benchmark can say which
 *  one the runtime they ran in got. */
export type HostTimerKind = "postTask" | "channel" | "setTimeout";

export function hostTimerKind(): HostTimerKind {
  const g = globalThis as {
    scheduler?: Partial<PostTaskScheduler>;
    setImmediate?: unknown;
    navigator?: { userAgent?: string };
  };
  if (typeof g.scheduler?.postTask === "function" && typeof AbortController === "function") return "postTask";
  if (typeof g.setImmediate === "function" || g.navigator?.userAgent === "Cloudflare-Workers") return "setTimeout";
  if (typeof MessageChannel === "function") return "channel";
  return "setTimeout";
}

/** A setTimeout, armed at once or from a message task; cleared before the
 *  message runs, it is never armed. */
interface DeferredTimer { id: ReturnType<typeof setTimeout> | undefined; cleared: boolean }

function chooseHostTimer(): HostTimer {
  const kind = hostTimerKind();
  if (kind === "postTask") {
    const scheduler = (globalThis as unknown as { scheduler: PostTaskScheduler }).scheduler;
    return {
      setTimer: (fn, delayMs) => {
        const controller = new AbortController();
        // An aborted task's promise rejects: expected, so swallowed.
        scheduler.postTask(fn, { delay: Math.ceil(delayMs), signal: controller.signal }).catch(ignore);
        return controller;
      },
      clearTimer: (handle) => { (handle as AbortController).abort(); },
    };
  }
  return {
    setTimer: (fn, delayMs) => {
      const timer: DeferredTimer = { id: undefined, cleared: false };
      const arm = (): void => { if (!timer.cleared) timer.id = setTimeout(fn, Math.ceil(delayMs)); };
      if (kind === "channel") queueMacrotask(arm);
      else arm();
      return timer;
    },
    clearTimer: (handle) => {
      const timer = handle as DeferredTimer;
      timer.cleared = true;
      clearTimeout(timer.id);
    },
  };
}

function ignore(): void { /* an aborted postTask */ }
