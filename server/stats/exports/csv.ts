/**
 * CSV as Excel and the Ministry's tools read it (docs/STATS.md, "Exports"): UTF-8 with a BOM,
 * `,` between cells, CRLF after every row, RFC 4180 quoting (a cell with a comma, a quote, CR or
 * LF is quoted, its quotes doubled), and no formulas: a text cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return is prefixed with `'`, so a spreadsheet shows it as text instead
 * of running it (a person registered as `=HYPERLINK(…)`). Numbers are written as they are.
 */
import type { Column } from "./stream";

/** The byte order mark Excel needs to read UTF-8 (Vietnamese) correctly. */
export const BOM = "\uFEFF";
export const CRLF = "\r\n";

const NEEDS_QUOTES = /[",\r\n]/;

/** Whether text starting with this character code would be read as a formula: = + - @ tab CR. */
const startsFormula = (c: number) => c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;

/** A text cell that cannot start a formula. */
export function neutralise(text: string): string {
  return startsFormula(text.charCodeAt(0)) ? `'${text}` : text;
}

/** A text cell: neutralised, then quoted (its quotes doubled) when it holds a quote, a comma, CR or LF. */
export function csvText(text: string): string {
  const safe = startsFormula(text.charCodeAt(0)) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One cell: empty for null, numbers as they are, text neutralised then quoted when it must be. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return csvText(value instanceof Date ? value.toISOString() : String(value));
}

/** A cell of a column whose values the database types as uuid, date or number: nothing to neutralise or quote. */
const plainCell = (value: unknown) => (value === null || value === undefined ? "" : String(value));

/** One row, CRLF-terminated. */
export function csvLine(values: readonly unknown[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += (i ? "," : "") + csvCell(values[i]);
  return line + CRLF;
}

/** The file as chunks: BOM and header, then one chunk per batch of rows. */
export async function* csvChunks<R extends Record<string, unknown>>(columns: readonly Column[], batches: AsyncIterable<R[]>): AsyncGenerator<string> {
  const keys = columns.map((c) => c.key);
  const cell = columns.map((c) => (c.plain ? plainCell : csvCell));
  let head: string | null = BOM + csvLine(columns.map((c) => c.label));
  for await (const rows of batches) {
    let chunk = head ?? "";
    head = null;
    for (const row of rows) {
      let line = cell[0]!(row[keys[0]!]);
      for (let i = 1; i < keys.length; i++) line += "," + cell[i]!(row[keys[i]!]);
      chunk += line + CRLF;
    }
    yield chunk;
  }
  if (head !== null) yield head;
}
