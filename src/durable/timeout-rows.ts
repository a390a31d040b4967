// The durable timeouts' table in the object's SQLite storage: one row per
// timeout, keyed by its id. This file knows the SQL and nothing of the loop.
//
//   id        the handle a user holds; AUTOINCREMENT, so an id is never given
//             to a second timeout, even after the first completed
//   seq       the tie-break among equal deadlines: taken from a counter when
//             the row is written with a new deadline, so (deadline, seq) is
//             the order the timeouts were armed in, before and after a restart
//   deadline  wall-clock milliseconds
//   delay     what refresh() re-arms with
//   period    the period of a recurring timeout, else NULL
//   attempts  failed runs since the last success
//
// No index: the rows are read all at once, sorted, when the object starts,
// and an index would add a write to every schedule, cancel and re-arm.

import type { SqlLike } from "./host.js";

export interface TimeoutRow {
  id: number;
  seq: number;
  task: string;
  deadline: number;
  delay: number;
  period: number | null;
  attempts: number;
}

export class TimeoutRows {
  readonly #sql: SqlLike;
  readonly #table: string;
  /** Rows written by this object's statements (SQLite's own count, indexes
   *  and the AUTOINCREMENT counter included). */
  rowsWritten = 0;

  constructor(sql: SqlLike, table: string) {
    this.#sql = sql;
    this.#table = table;
  }

  create(): void {
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS ${this.#table} (
      id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL, task TEXT NOT NULL, payload TEXT,
      deadline REAL NOT NULL, delay REAL NOT NULL, period REAL, attempts INTEGER NOT NULL DEFAULT 0)`);
  }

  /** Every row, in firing order. */
  all(): TimeoutRow[] {
    return this.#sql.exec(
      `SELECT id, seq, task, deadline, delay, period, attempts FROM ${this.#table} ORDER BY deadline, seq`,
    ).toArray() as unknown as TimeoutRow[];
  }

  insert(row: Omit<TimeoutRow, "id" | "attempts">, payload: string | null): number {
    const cursor = this.#sql.exec(
      `INSERT INTO ${this.#table} (seq, task, payload, deadline, delay, period) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
      row.seq, row.task, payload, row.deadline, row.delay, row.period,
    );
    const id = cursor.toArray()[0].id as number;
    this.rowsWritten += cursor.rowsWritten;
    return id;
  }

  payload(id: number): string | null | undefined {
    const rows = this.#sql.exec(`SELECT payload FROM ${this.#table} WHERE id = ?`, id).toArray();
    return rows.length === 0 ? undefined : rows[0].payload as string | null;
  }

  /** Moves a row to a new deadline and sequence; true if the row exists. */
  rearm(id: number, deadline: number, seq: number, attempts: number): boolean {
    return this.#write(`UPDATE ${this.#table} SET deadline = ?, seq = ?, attempts = ? WHERE id = ?`, deadline, seq, attempts, id);
  }

  delete(id: number): boolean {
    return this.#write(`DELETE FROM ${this.#table} WHERE id = ?`, id);
  }

  #write(query: string, ...bindings: unknown[]): boolean {
    const cursor = this.#sql.exec(query, ...bindings);
    cursor.toArray();
    this.rowsWritten += cursor.rowsWritten;
    return cursor.rowsWritten > 0;
  }
}
