// The Source contract: what every built-in source promises the loop and its
// handler, as Tornado's BaseIOStream documents what its subclasses implement.
// Each adapter (websocket.ts, readable.ts, writable.ts) only maps its
// platform's events onto it.
//
// Readiness is level-triggered, like epoll without EPOLLET: an event is
// reported with loop.setReady() when its condition starts to hold and
// withdrawn with loop.clearReady() when it stops, so a handler is called
// once per iteration for as long as the condition holds.
//
//   READ   while read() would return something other than `undefined`: a
//          buffered message or chunk, or the end of a byte stream, which
//          read() returns as `null`. READ is withdrawn once read() has
//          returned that `null`; later read()s keep returning `null`.
//   WRITE  while write() would be taken without growing a buffer past the
//          source's bound (a WebSocket's bufferedAmount under its low-water
//          mark, a WritableStream's desiredSize above 0).
//   ERROR  once, when the source is finished for a reason other than a clean
//          end of stream (a failure, a WebSocket close), and only after
//          every item that arrived before it has been read. `error` says why.
//          The loop delivers ERROR whatever the handler's interest; the
//          source withdraws it itself, in the iteration that delivers it
//          (see reportError), so a handler sees it exactly once.
//
// read() never blocks and never throws for lack of data: `undefined` means
// "nothing now", `null` means "nothing ever again" (a clean end). write()
// throws StreamClosedError once the source is closed or has failed.
//
// close() is the owner's: it releases the platform object (closes the socket,
// cancels the stream), drops buffered data, withdraws every readiness and
// reports nothing more (closing a file descriptor removes it from epoll the
// same way). loop.close({ closeSources: true }) calls it.
//
// A source reports to one loop at a time: the loop that addHandler() attached
// it to. Readiness that arises while it is detached is kept and reported on
// attach.

import type { IOLoop } from "../loop/ioloop.js";
import { sourceHooks, type LoopSource, type SourceHooks } from "../loop/source-hooks.js";
import { ERROR } from "../events.js";

/** What IOStream reads from: a built-in source, or one of your own whose
 *  read() gives bytes (a string is taken as UTF-8), `undefined` for nothing
 *  now and `null` at a clean end, and which reports READ and ERROR with
 *  loop.setReady() / loop.clearReady(). */
export interface ByteSource {
  read(): Uint8Array | string | null | undefined;
  close(): unknown;
  /** Why the source failed, once it has reported ERROR. */
  readonly error?: unknown;
}

/** What IOStream writes to. */
export interface ByteSink {
  /** May be async: IOStream's write settles when its promise does, and a
   *  rejection fails the stream. */
  write(chunk: Uint8Array): void;
  close(): unknown;
  readonly error?: unknown;
  /** The events the sink reports now; without it, IOStream writes one chunk
   *  per WRITE event. */
  readonly readyEvents?: number;
}

const ERROR_NONE = 0, ERROR_PENDING = 1, ERROR_DELIVERED = 2;

/** The readiness bookkeeping every built-in source shares: a local copy of
 *  what it reports (kept while detached), mirrored to the attached loop. */
export abstract class BaseSource implements LoopSource {
  readonly #kind: string;
  #loop: IOLoop | undefined;
  /** What the loop calls, apart from the source's own methods: a user who
   *  holds the source never sees attach or detach on it. */
  readonly #hooks: SourceHooks = {
    attach: (loop) => this.#attach(loop),
    detach: (loop) => this.#detach(loop),
    interestChanged: (loop, events) => this.#interestChanged(loop, events),
  };

  /** `kind` is the class's name as the user wrote it, for messages (a
   *  minifier renames classes, so constructor.name would not be). */
  protected constructor(kind: string) {
    this.#kind = kind;
  }

  /** The hooks the loop calls (see SourceHooks). */
  get [sourceHooks](): SourceHooks { return this.#hooks; }
  #ready = 0;
  #errorState = ERROR_NONE;
  /** The attached handler's interest (0 while detached). */
  protected interest = 0;

  /** The events this source reports as ready now. */
  get readyEvents(): number { return this.#ready; }

  /** Called by loop.addHandler(), whose error says "addHandler: " and then
   *  this refusal's message. */
  #attach(loop: IOLoop): void {
    if (this.#loop !== undefined && this.#loop !== loop) {
      throw new Error(`this ${this.#kind} is already attached to another loop; removeHandler() it there first`);
    }
    this.#loop = loop;
    if (this.#ready !== 0) loop.setReady(this, this.#ready);
    if (this.#errorState === ERROR_PENDING) this.#scheduleErrorWithdrawal(loop);
  }

  /** Called by loop.removeHandler() and loop.close(). */
  #detach(loop: IOLoop): void {
    if (this.#loop !== loop) return;
    this.#loop = undefined;
    this.interest = 0;
    this.interestUpdated();
  }

  /** Called by the loop when the handler's interest changes. */
  #interestChanged(loop: IOLoop, events: number): void {
    if (this.#loop !== loop) return;
    this.interest = events;
    this.interestUpdated();
  }

  /** For adapters that poll a condition only while a handler wants it. */
  protected interestUpdated(): void {}

  /** The attached loop, for adapters that schedule on it. */
  protected get attachedLoop(): IOLoop | undefined { return this.#loop; }

  protected markReady(events: number): void {
    if ((this.#ready & events) === events) return;
    this.#ready |= events;
    this.#loop?.setReady(this, events);
  }

  protected unmarkReady(events: number): void {
    if ((this.#ready & events) === 0) return;
    this.#ready &= ~events;
    this.#loop?.clearReady(this, events);
  }

  /** Reports ERROR, once in the source's life. The withdrawal is a callback
   *  queued with it: the core fixes an iteration's callbacks and ready
   *  handlers together at its start and runs callbacks first, so the
   *  callback withdraws ERROR in the very iteration whose handler list
   *  already holds it, and no later iteration sees it. */
  protected reportError(): void {
    if (this.#errorState !== ERROR_NONE) return;
    this.#errorState = ERROR_PENDING;
    this.markReady(ERROR);
    if (this.#loop) this.#scheduleErrorWithdrawal(this.#loop);
  }

  /** Withdraws everything, for close(). */
  protected unmarkAll(): void {
    if (this.#errorState === ERROR_PENDING) this.#errorState = ERROR_DELIVERED;
    this.unmarkReady(this.#ready);
  }

  #scheduleErrorWithdrawal(loop: IOLoop): void {
    loop.addCallback(() => {
      // Detached before the iteration ran: the next attach reports it again.
      if (this.#loop !== loop || this.#errorState !== ERROR_PENDING) return;
      this.#errorState = ERROR_DELIVERED;
      this.unmarkReady(ERROR);
    });
  }
}

/** A rejection handler for promises whose failure arrives another way (a
 *  stream's `closed`, or nobody is left to tell). */
export function ignore(): void {}
