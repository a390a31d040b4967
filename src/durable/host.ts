// What the durable module needs of a Durable Object and of the loop, typed
// by shape: the
// package's declarations never reference @cloudflare/workers-types, so a
// Node or browser project that imports the package does not need them. The
// real DurableObjectState, SqlStorage and WebSocket satisfy these types.

/** A cursor of ctx.storage.sql.exec(): the rows, and what the statement cost. */
export interface SqlCursor {
  toArray(): Array<Record<string, SqlValue>>;
  readonly rowsWritten: number;
}

export interface SqlLike {
  exec(query: string, ...bindings: any[]): SqlCursor;
}

export type SqlValue = string | number | null | ArrayBuffer;

/** ctx.storage of a SQLite-backed Durable Object. */
export interface DurableStorageLike {
  readonly sql: SqlLike;
  transactionSync<T>(closure: () => T): T;
  setAlarm(scheduledTime: number | Date): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** A WebSocket accepted with ctx.acceptWebSocket(). */
export interface HibernatableSocketLike {
  readonly readyState: number;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
}

/** The Durable Object's ctx (DurableObjectState). */
export interface DurableObjectStateLike {
  readonly storage: DurableStorageLike;
  acceptWebSocket(socket: any, tags?: string[]): void;
  getWebSockets(tag?: string): any[];
}

/** What DurableTimeouts needs of an IOLoop (an IOLoop is one): typed by
 *  shape, so that these declarations repeat no class of the main entry. */
export interface LoopLike {
  callAt(deadlineMs: number, fn: (id: number) => unknown, id: number): number;
  removeTimeout(id: any): boolean;
  readonly running: boolean;
}
