/**
 * The lab's result file (docs/TESTING.md, POST /api/test-results/import): a header `code,result,result_at`
 * (Vietnamese names too: ma, ket_qua, thoi_gian), `,` `;` or tab separated, with or without a BOM,
 * results as words in English or Vietnamese, times as ISO 8601 or dd/mm/yyyy hh:mm (Vietnam time).
 * Reading a cell never throws: a word or time that does not parse is a rejected row of the report.
 */
import { parse } from "csv-parse/sync";
import type { TEST_RESULTS } from "../../../db/schema";
import { VN_OFFSET_MS } from "../../checkins/colour";
import { msg } from "../../http/fields";

type TestResult = (typeof TEST_RESULTS)[number];

/** The most rows one file may hold. */
export const MAX_ROWS = 10_000;

export class ResultsFileError extends Error {}

/** Lower case, no diacritics (đ → d), single spaces: "Dương tính" → "duong tinh". */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[\s_]+/g, " ")
    .trim();
}

const WORDS: Record<string, TestResult> = {
  negative: "negative",
  positive: "positive",
  invalid: "invalid",
  "am tinh": "negative",
  "duong tinh": "positive",
  "khong xac dinh": "invalid",
};

/** negative / positive / invalid, or âm tính / dương tính / không xác định (any case, with or without accents); else null. */
export function parseResultWord(text: string): TestResult | null {
  return WORDS[fold(text)] ?? null;
}

function validDay(y: number, m: number, d: number): boolean {
  const t = Date.UTC(y, m - 1, d);
  const at = new Date(t);
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?$/;

/** Wall-clock fields of Vietnam time (or of the offset given) → the instant; null for a time that is not on the calendar. */
function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMs: number): Date | null {
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMs);
}

/**
 * An ISO 8601 time (an offset or Z, else Vietnam time) or dd/mm/yyyy hh:mm[:ss] in Vietnam time;
 * null when it is neither or not on the calendar (31/02/2026 10:00).
 */
export function parseResultTime(text: string): Date | null {
  const t = text.trim();
  const iso = ISO.exec(t);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    let offset = VN_OFFSET_MS;
    if (zone) {
      if (zone.toUpperCase() === "Z") offset = 0;
      else {
        const sign = zone.startsWith("-") ? -1 : 1;
        const digits = zone.slice(1).replace(":", "");
        const oh = Number(digits.slice(0, 2));
        const om = Number(digits.slice(2, 4));
        if (oh > 14 || om > 59) return null;
        offset = sign * (oh * 60 + om) * 60_000;
      }
    }
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return instant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), ms, offset);
  }
  const dmy = DMY.exec(t);
  if (dmy) {
    const [, d, mo, y, h, mi, s] = dmy;
    return instant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), 0, VN_OFFSET_MS);
  }
  return null;
}

/** Upper case, spaces and dashes dropped: "p-3fq7 zk2m" → "P3FQ7ZK2M". */
export const normaliseCode = (code: string) => code.replace(/[\s-]+/g, "").toUpperCase();

const COLUMNS = {
  code: ["code", "ma", "ma mau", "barcode", "ma vach"],
  result: ["result", "ket qua"],
  resultAt: ["result at", "thoi gian", "thoi gian ket qua", "ngay gio"],
} as const;
type Column = keyof typeof COLUMNS;

/** The separator of the header line: Excel in a Vietnamese locale saves with `;`. */
function delimiterOf(text: string): string {
  const end = text.indexOf("\n");
  const first = end < 0 ? text : text.slice(0, end);
  const count = (c: string) => first.split(c).length - 1;
  const [best] = [",", ";", "\t"].sort((a, b) => count(b) - count(a));
  return best && count(best) > 0 ? best : ",";
}

export interface ResultRow {
  /** The file's line (the header is line 1). */
  line: number;
  code: string;
  result: string;
  resultAt: string | null;
}

/** The file's data rows; a file without the code and result columns, or without rows, is refused whole. */
export function readResultsCsv(text: string): ResultRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  const body = text.replace(/^\uFEFF/, "");
  try {
    records = parse(body, {
      delimiter: delimiterOf(body),
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw new ResultsFileError(msg("Không đọc được tệp CSV", "Not a readable CSV file") + `: ${(e as Error).message}`);
  }
  const head = records.shift();
  if (!head) throw new ResultsFileError(msg("Tệp trống", "The file is empty"));
  const keys = head.record.map(fold);
  const index: Partial<Record<Column, number>> = {};
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const found = keys.flatMap((k, i) => (names.includes(k) ? [i] : []));
    if (found.length > 1) throw new ResultsFileError(msg(`Cột ${names[0]} xuất hiện ${found.length} lần`, `Column ${names[0]} appears ${found.length} times`));
    if (found.length === 1) index[column] = found[0]!;
  }
  const missing = (["code", "result"] as const).filter((c) => index[c] === undefined);
  if (missing.length) throw new ResultsFileError(msg(`Thiếu cột: ${missing.join(", ")}`, `Missing column(s): ${missing.join(", ")}`));
  const cell = (r: string[], c: Column) => (index[c] === undefined ? "" : (r[index[c]!] ?? "").trim());
  const rows = records
    .filter((r) => r.record.some((c) => c.trim() !== ""))
    .map((r) => ({ line: r.info.lines, code: cell(r.record, "code"), result: cell(r.record, "result"), resultAt: cell(r.record, "resultAt") || null }));
  if (!rows.length) throw new ResultsFileError(msg("Tệp không có dòng dữ liệu nào", "The file has no data rows"));
  if (rows.length > MAX_ROWS) throw new ResultsFileError(msg(`Tối đa ${MAX_ROWS} dòng một tệp`, `At most ${MAX_ROWS} rows per file`));
  return rows;
}
