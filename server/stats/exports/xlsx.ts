/**
 * XLSX streamed with exceljs's WorkbookWriter (docs/STATS.md, "Exports"): rows are committed as
 * they come (no shared strings, so nothing is kept per row) and the zip goes straight into the
 * HTTP body. Backpressure end to end: the writer's target is a Writable whose write callback
 * waits until the body's consumer has room, so the zip stops, and `room()` (called after each
 * batch) holds the next batch back until the target has drained.
 *
 * Text is written as text (a cell beginning with `=` is a string, never a formula), so the values
 * stay as registered (exceljs drops the control characters XML cannot carry).
 */
import { once } from "node:events";
import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import type { Column } from "./stream";

export type Book = ExcelJS.stream.xlsx.WorkbookWriter;
export type Sheet = ExcelJS.Worksheet;
/** Resolves when the body has room for more; throws once the download was cancelled. */
export type Room = () => Promise<void>;

/** Rows of data one sheet can hold (Excel: 1,048,576 rows, one of them the header). */
export const MAX_SHEET_ROWS = 1_048_575;
const BODY_BUFFER_BYTES = 256 * 1024;

class Cancelled extends Error {
  constructor() {
    super("download cancelled");
  }
}

/**
 * A workbook written by `write` into a pull stream. `write` adds sheets and rows, calls `room()`
 * between batches, and returns; the workbook is then finalised and the stream closed.
 */
export function xlsxStream(write: (book: Book, room: Room) => Promise<void>, onCancel?: () => Promise<void>): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let resume: (() => void) | null = null;
  let cancelled = false;
  let cancel!: () => void;
  const cancelledP = new Promise<void>((r) => (cancel = r));

  const sink = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      if (cancelled) return callback();
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if ((controller.desiredSize ?? 1) > 0) callback();
      else resume = callback;
    },
  });
  const room: Room = async () => {
    while (!cancelled && sink.writableNeedDrain) await Promise.race([once(sink, "drain"), cancelledP]);
    if (cancelled) throw new Cancelled();
  };
  const wake = () => {
    const r = resume;
    resume = null;
    r?.();
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull: wake,
      async cancel() {
        cancelled = true;
        cancel();
        wake();
        await onCancel?.();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: BODY_BUFFER_BYTES }),
  );

  void (async () => {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
    try {
      await write(book, room);
      if (cancelled) return;
      await book.commit();
      if (!cancelled) controller.close();
    } catch (e) {
      if (!cancelled && !(e instanceof Cancelled)) controller.error(e);
      sink.destroy();
    }
  })();
  return stream;
}

/** A sheet with a bold, frozen header row of the columns' labels. */
export function addTableSheet(book: Book, name: string, columns: readonly Column[]): Sheet {
  const sheet = book.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.label, key: c.key, width: c.width ?? Math.max(10, Math.min(40, c.label.length + 2)) }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  return sheet;
}

/**
 * Writes the batches as the rows of a table (a header row, then one row per record), on as many
 * sheets as Excel's row limit needs ("<name>", "<name> (2)", …): no row cap.
 */
export async function writeTable<R extends Record<string, unknown>>(
  book: Book,
  name: string,
  columns: readonly Column[],
  batches: AsyncIterable<R[]>,
  room: Room,
  maxRows = MAX_SHEET_ROWS,
): Promise<number> {
  let part = 1;
  let sheet = addTableSheet(book, name, columns);
  let inSheet = 0;
  let total = 0;
  for await (const rows of batches) {
    for (const row of rows) {
      if (inSheet === maxRows) {
        sheet.commit();
        sheet = addTableSheet(book, `${name} (${++part})`, columns);
        inSheet = 0;
      }
      sheet.addRow(columns.map((c) => row[c.key] ?? null)).commit();
      inSheet++;
      total++;
    }
    await room();
  }
  sheet.commit();
  return total;
}
