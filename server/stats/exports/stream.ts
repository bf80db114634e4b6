/**
 * Streaming with constant memory and no row cap (docs/STATS.md, "Exports"): rows are read from
 * the database in batches and each batch is formatted and handed to the HTTP body only when the
 * client has taken the previous one (the body is a pull stream: the HTTP server reads the next
 * chunk once the socket has drained). One batch is read ahead, so the database works while the
 * socket sends: at most two batches are in memory, whatever the number of rows.
 *
 * - On PostgreSQL one statement runs under a cursor (postgres.js `cursor(n)`: a portal fetched
 *   `n` rows at a time, the next fetch only when the previous rows were consumed), so the rows
 *   are read once, in one plan, whatever their number.
 * - On PGlite (one connection, in process) the same statement is paged by keyset: each batch is
 *   the next `n` rows after the last row's sort key, so nothing stays open between batches.
 *
 * A `RowSource` gives both: `select(after, limit)` is the whole ordered statement when called
 * without arguments (the cursor, and the benchmark's COPY of the same rows), a page otherwise.
 */
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { Database } from "../../../db/client";

/** A column of an export: the key of the row (and of the JSON objects), the header of CSV and XLSX. */
export interface Column {
  key: string;
  label: string;
  /** XLSX column width in characters. */
  width?: number;
  /**
   * Values the statement types as uuid, date (to_char) or number: written to CSV as they are.
   * Every other column is text, neutralised and quoted as it needs.
   */
  plain?: boolean;
}

export interface RowSource<R> {
  /** The rows in order; with `after`, only those after that sort key; with `limit`, at most that many. */
  select(after?: readonly unknown[], limit?: number): SQL;
  /** The sort key of a row (the values `select(after)` continues from). */
  keyOf(row: R): unknown[];
}

/** Rows per batch (per cursor fetch, per keyset page, per chunk of the body). */
export const BATCH_ROWS = 2000;

const dialect = new PgDialect();

/** The SQL text and parameters of a drizzle statement (for the cursor, and for COPY in the benchmark). */
export function toQuery(statement: SQL): { sql: string; params: unknown[] } {
  const q = dialect.sqlToQuery(statement);
  return { sql: q.sql, params: q.params };
}

/**
 * The rows of a source, a batch at a time, with one batch of read-ahead (readAhead): the batch
 * after next is read only when the caller has taken the next one.
 */
export function readBatches<R>(database: Database, source: RowSource<R>, batchRows = BATCH_ROWS): AsyncGenerator<R[]> {
  return readAhead(batchesOf(database, source, batchRows));
}

async function* batchesOf<R>(database: Database, source: RowSource<R>, batchRows: number): AsyncGenerator<R[]> {
  if (database.pg) {
    const q = toQuery(source.select());
    const cursor = database.pg.unsafe(q.sql, q.params as postgres.ParameterOrJSON<never>[]).cursor(batchRows);
    for await (const rows of cursor) if (rows.length) yield rows as unknown as R[];
    return;
  }
  let after: unknown[] | undefined;
  for (;;) {
    const rows = await database.query<R>(source.select(after, batchRows));
    if (rows.length) yield rows;
    if (rows.length < batchRows) return;
    after = source.keyOf(rows[rows.length - 1]!);
  }
}

/**
 * One batch of read-ahead: when a batch is handed over, the next is asked for at once, so the
 * database works on it while the previous one is formatted and sent (otherwise each fetch waits
 * for the socket and the socket for each fetch). Never more than that: the batch after next is
 * read only once the next one was handed over, so memory stays at two batches.
 */
export function readAhead<T>(gen: AsyncGenerator<T>): AsyncGenerator<T> {
  let ahead: Promise<IteratorResult<T>> | undefined;
  const wrapper = {
    async next() {
      const result = await (ahead ?? gen.next());
      ahead = undefined;
      if (!result.done) {
        ahead = gen.next();
        ahead.catch(() => {}); // reported when it is asked for
      }
      return result;
    },
    async return(value?: unknown) {
      if (ahead) await ahead.catch(() => {});
      ahead = undefined;
      return gen.return(value as never);
    },
    throw: (e?: unknown) => gen.throw(e),
    [Symbol.asyncIterator]() {
      return wrapper;
    },
  };
  return wrapper as unknown as AsyncGenerator<T>;
}

/** Batches of rows already in memory (small exports: a unit list, a report). */
export async function* inMemory<R>(rows: R[], batchRows = BATCH_ROWS): AsyncGenerator<R[]> {
  for (let i = 0; i < rows.length; i += batchRows) yield rows.slice(i, i + batchRows);
}

/** Counts the rows going through, and calls `end` once when the rows are done or the download stopped. */
export async function* counted<R>(batches: AsyncIterable<R[]>, end: (rows: number, complete: boolean) => Promise<void>): AsyncGenerator<R[]> {
  let rows = 0;
  let complete = false;
  try {
    for await (const batch of batches) {
      rows += batch.length;
      yield batch;
    }
    complete = true;
  } finally {
    await end(rows, complete);
  }
}

/**
 * The same generator with its first item already produced, so a failure before any byte went
 * out (a bad statement, the database down) is still an ordinary error answer. `return()` reaches
 * the inner generator even when nothing was read yet (its cursor is released, its `finally` runs).
 */
export async function primed<T>(gen: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  let first: IteratorResult<T> | undefined = await gen.next();
  const wrapper = {
    next: () => {
      const f = first;
      first = undefined;
      return f ? Promise.resolve(f) : gen.next();
    },
    return: (value?: unknown) => {
      first = undefined;
      return gen.return(value as never);
    },
    throw: (e?: unknown) => gen.throw(e),
    [Symbol.asyncIterator]() {
      return wrapper;
    },
  };
  return wrapper as unknown as AsyncGenerator<T>;
}

const encoder = new TextEncoder();

/**
 * A pull stream of text chunks: the next chunk is asked for only when the consumer reads (the
 * HTTP server reads again once the socket has drained). Cancelling (the client went away) stops
 * the chunks and the rows under them, which releases the cursor.
 */
export function textStream(chunks: AsyncGenerator<string>, rows?: AsyncGenerator<unknown>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Until something is enqueued: a pull that enqueues nothing is not called again.
          for (;;) {
            const next = await chunks.next();
            if (next.done) return controller.close();
            if (next.value) return controller.enqueue(encoder.encode(next.value));
          }
        } catch (e) {
          controller.error(e);
          await rows?.return(undefined);
        }
      },
      async cancel() {
        await chunks.return(undefined);
        await rows?.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

export const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
export type Format = keyof typeof CONTENT_TYPES;
export const FORMATS = Object.keys(CONTENT_TYPES) as Format[];

/** The headers of a download: type, file name (ASCII: the area and the dates are in it), never cached. */
export function downloadHeaders(format: Format, fileName: string): Record<string, string> {
  const name = `${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}.${format}`;
  return {
    "content-type": CONTENT_TYPES[format],
    "content-disposition": `attachment; filename="${name}"`,
    "cache-control": "private, no-store",
  };
}
