/**
 * The dose-list file sites keep (docs/VACCINATION.md, "Bulk import"): reading it (header aliases in
 * Vietnamese or English, BOM, `,` `;` or tab separated) into raw rows, and writing rows back out
 * as CSV with spreadsheet formulas neutralised.
 */
import { parse } from "csv-parse/sync";
import { msg } from "../../http/fields";

/** The columns of the file, by their Vietnamese name, with the English alias. */
export const COLUMNS = {
  fullName: ["ho_ten", "name"],
  birthDate: ["ngay_sinh", "birth_date"],
  phone: ["so_dien_thoai", "phone"],
  idNumber: ["cccd", "id_number"],
  product: ["vac_xin", "product"],
  lot: ["so_lo", "lot"],
  givenOn: ["ngay_tiem", "date"],
  dose: ["mui", "dose"],
} as const;
export type Field = keyof typeof COLUMNS;

/** Phone and ID number are each optional, but a row needs one of them to find the person again. */
const REQUIRED: readonly Field[] = ["fullName", "birthDate", "product", "lot", "givenOn", "dose"];

/** The most rows one file may hold (20 MB of CSV is about 200,000 rows). */
export const MAX_ROWS = 250_000;

export class CsvFileError extends Error {}

export interface CsvFile {
  /** The header as written in the file (for rejected.csv). */
  header: string[];
  /** Index of each known column in the header (absent → not in the file). */
  index: Partial<Record<Field, number>>;
  /** Data rows: the spreadsheet row number (the header is row 1) and the cells. */
  rows: { row: number; cells: string[] }[];
}

const headerKey = (h: string) =>
  h
    .normalize("NFC")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/** A cell rejected.csv neutralised ('=cmd) reads back as it was typed (=cmd). */
const unneutralise = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** The separator of the header line: Excel in a Vietnamese locale saves with `;`. */
function delimiterOf(text: string): string {
  const end = text.indexOf("\n");
  const first = end < 0 ? text : text.slice(0, end);
  const count = (c: string) => first.split(c).length - 1;
  const [best] = [",", ";", "\t"].sort((a, b) => count(b) - count(a));
  return best && count(best) > 0 ? best : ",";
}

export function readCsv(text: string): CsvFile {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, "")),
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw new CsvFileError(msg("Không đọc được tệp CSV", "Not a readable CSV file") + `: ${(e as Error).message}`);
  }
  const head = records.shift();
  if (!head) throw new CsvFileError(msg("Tệp trống", "The file is empty"));
  const header = head.record.map((h) => h.trim());
  const index: Partial<Record<Field, number>> = {};
  const keys = header.map(headerKey);
  for (const [field, names] of Object.entries(COLUMNS) as [Field, readonly string[]][]) {
    const found = keys.flatMap((k, i) => (names.includes(k) ? [i] : []));
    if (found.length > 1)
      throw new CsvFileError(msg(`Cột ${names[0]} xuất hiện ${found.length} lần`, `Column ${names[0]} appears ${found.length} times`));
    if (found.length === 1) index[field] = found[0]!;
  }
  const missing = REQUIRED.filter((f) => index[f] === undefined).map((f) => `${COLUMNS[f][0]} (${COLUMNS[f][1]})`);
  if (index.phone === undefined && index.idNumber === undefined) missing.push("so_dien_thoai (phone) / cccd (id_number)");
  if (missing.length) throw new CsvFileError(msg(`Thiếu cột: ${missing.join(", ")}`, `Missing column(s): ${missing.join(", ")}`));
  const rows = records
    .map((r) => ({ row: r.info.lines, cells: r.record.map((c) => unneutralise(c.trim())) }))
    .filter((r) => r.cells.some((c) => c !== ""));
  if (!rows.length) throw new CsvFileError(msg("Tệp không có dòng dữ liệu nào", "The file has no data rows"));
  if (rows.length > MAX_ROWS)
    throw new CsvFileError(msg(`Tối đa ${MAX_ROWS} dòng một tệp`, `At most ${MAX_ROWS} rows per file`));
  return { header, index, rows };
}

/** The name of a column as the file writes it (its Vietnamese name when the file lacks it). */
export function columnName(file: CsvFile, field: Field): string {
  const i = file.index[field];
  return (i !== undefined && file.header[i]) || COLUMNS[field][0];
}

/**
 * A cell a spreadsheet will not run: text starting with = + - @ (or tab, carriage return) is
 * a formula to Excel and LibreOffice, so it gets a leading apostrophe (OWASP "CSV injection").
 */
export function safeCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r;]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text (UTF-8 with a BOM, so Excel shows Vietnamese correctly), CRLF line ends. */
export function writeCsv(rows: string[][]): string {
  return `\uFEFF${rows.map((r) => r.map(safeCell).join(",")).join("\r\n")}\r\n`;
}
