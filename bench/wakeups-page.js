// The page half of bench/wakeups.js: how late timeouts fire in this page,
// through the loop with each way of arming its host timer, and through plain
// setTimeout. Loaded as a module beside dist/runtime/browser.js and
// core.wasm (no bundler).
//
// Each way of arming is handed to the loop as a clock that brings its own
// timers (the SchedulingClock shape VirtualClock uses), so the loop under
// test is the published one and only the host timer differs:
//   - "setTimeout": armed directly, from inside whatever task the loop runs
//     in, timer tasks included (so Chromium's nesting clamp applies);
//   - "postTask": scheduler.postTask(fn, { delay }), cancelled through an
//     AbortController;
//   - "channel": a MessageChannel message first, and setTimeout armed from
//     that message task (nesting level 0).
// "default" is the loop as created without a clock: what the package picks.
// Every side rounds its delay up to whole milliseconds, as the package does
// (host timers truncate it: a timer for 2.6 ms would fire after 2).
import { IOLoop } from "./browser.js";

const now = () => performance.now();

function channelQueuer() {
  const pending = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => pending.shift()?.();
  return (fn) => { pending.push(fn); channel.port2.postMessage(0); };
}
const viaChannel = channelQueuer();

const schedulers = {
  setTimeout: {
    setTimer: (fn, delay) => setTimeout(fn, Math.ceil(delay)),
    clearTimer: (handle) => clearTimeout(handle),
    queueMacrotask: viaChannel,
  },
  postTask: {
    setTimer: (fn, delay) => {
      const controller = new AbortController();
      scheduler.postTask(fn, { delay: Math.ceil(delay), signal: controller.signal }).catch(() => {});
      return controller;
    },
    clearTimer: (controller) => controller.abort(),
    queueMacrotask: viaChannel,
  },
  channel: {
    setTimer: (fn, delay) => {
      const handle = { id: undefined, cleared: false };
      viaChannel(() => { if (!handle.cleared) handle.id = setTimeout(fn, Math.ceil(delay)); });
      return handle;
    },
    clearTimer: (handle) => { handle.cleared = true; clearTimeout(handle.id); },
    queueMacrotask: viaChannel,
  },
};

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/** A 1 ms timeout that re-arms itself `hops` times: lateness per hop. */
function chain(callLater, hops) {
  return new Promise((resolve) => {
    const late = [];
    let due = now() + 1;
    const hop = () => {
      late.push(now() - due);
      if (late.length === hops) return resolve(percentiles(late));
      due = now() + 1;
      callLater(1, hop);
    };
    callLater(1, hop);
  });
}

/** `count` timeouts with delays 1..count ms, scheduled at once: lateness
 *  after the deadline each side computed (the page's clock for setTimeout;
 *  the loop's deadline, on the loop's time, for the loop). */
function spread(callLater, count) {
  return new Promise((resolve) => {
    const late = [];
    for (let delay = 1; delay <= count; delay++) {
      callLater(delay, (deadline) => {
        late.push(now() - deadline);
        if (late.length === count) resolve(percentiles(late));
      });
    }
  });
}

async function measureLoop(scheduler, what) {
  const options = scheduler ? { clock: { now, ...scheduler } } : {};
  const loop = await IOLoop.create(options);
  try {
    // The deadline the loop computed, read while the timeout is pending.
    const callLater = (delay, fn) => {
      const deadline = { at: 0 };
      deadline.at = loop.deadlineOf(loop.callLater(delay, () => fn(deadline.at)));
    };
    return await loop.run(() => what(callLater));
  } finally {
    loop.close();
  }
}

const plainCallLater = (delay, fn) => { setTimeout(fn, delay, now() + delay); };

/** One round: every side once, in an order that changes between rounds. */
async function round(index, hops, count) {
  const sides = ["plain", "default", ...Object.keys(schedulers)];
  const order = sides.map((_, i) => sides[(i + index) % sides.length]);
  const result = {};
  for (const side of order) {
    if (side === "postTask" && typeof scheduler?.postTask !== "function") continue;
    const measure = (what) => side === "plain" ? what(plainCallLater)
      : measureLoop(side === "default" ? undefined : schedulers[side], what);
    result[side] = { chain: await measure((c) => chain(c, hops)), spread: await measure((c) => spread(c, count)) };
  }
  return result;
}

window.measureWakeups = async ({ rounds = 3, hops = 300, count = 1000 } = {}) => {
  const all = [];
  for (let i = 0; i < rounds; i++) all.push(await round(i, hops, count));
  return { postTask: typeof scheduler?.postTask === "function", rounds: all };
};

// ---- a burst: `count` timeouts due at once, about 2 µs of work each ------

let sink = 0;
function work(rounds) {
  let x = sink;
  for (let i = 0; i < rounds; i++) x = (x * 1_103_515_245 + 12_345) % 2_147_483_647;
  sink = x;
}

/** Rounds of work() that take about `us` microseconds. */
function calibrate(us) {
  for (let i = 0; i < 20_000; i++) work(64); // warm: compiled before it is timed
  for (let rounds = 16; ; rounds *= 2) {
    const start = now();
    for (let i = 0; i < 20_000; i++) work(rounds);
    const perCall = ((now() - start) * 1000) / 20_000;
    if (perCall >= us) return Math.max(1, Math.round((rounds * us) / perCall));
  }
}

/** Runs the burst on a loop made with `options`; marks its first and last
 *  callbacks (performance.mark, which the trace records) so that the
 *  runner can find the host tasks that ran it. */
window.burst = async ({ options, count = 100_000, workUs = 2, lead = 300 }) => {
  const rounds = calibrate(workUs);
  const loop = await IOLoop.create(options);
  try {
    return await loop.run(() => new Promise((resolve) => {
      let left = count;
      const due = loop.time() + lead; // the default clock: the page's now()
      const fire = () => {
        if (left === count) performance.mark("burst-start");
        work(rounds);
        if (--left > 0) return;
        performance.mark("burst-end");
        resolve({ tookMs: now() - Math.max(due, scheduledAt), slices: loop.stats().slices, iterations: loop.stats().iterations });
      };
      for (let i = 0; i < count; i++) loop.callAt(due, fire);
      // Scheduling may run past the lead on a busy machine: the burst's time
      // counts from when it was both due and scheduled.
      const scheduledAt = now();
    }));
  } finally {
    loop.close();
  }
};
