/**
 * Open data (docs/STATS.md): figures per province and day, read from the roll-ups only
 * (daily_stats; never a raw table, never a commune, never a line list). A province's figure is
 * the sum of all its rows of the metric (its communes' and its '' row), and only then
 * suppressed: any value from 1 to 4 is null, 0 and 5 or more are shown.
 */
import { and, asc, eq, gte, inArray, lte, max, ne, sql, type SQL } from "drizzle-orm";
import { adminUnits, dailyStats, type Metric } from "../../../db/schema";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { addDays, daysBetween } from "../../vaccination/doses/rules";
import { OPEN_DATA_DEFAULT_DAYS, OPEN_DATA_MAX_DAYS, SUPPRESSED_NOTE, type OpenDataQueryT } from "./schemas";

/** The published figures and the roll-up metric each one sums, in column order. */
export const OPEN_FIELDS = [
  ["checkins", "checkins"],
  ["declarations", "declarations"],
  ["samples", "samples"],
  ["positive", "results_positive"],
  ["negative", "results_negative"],
  ["casesNew", "cases_new"],
  ["doses1", "doses_1"],
  ["doses2", "doses_2"],
  ["doses3", "doses_3"],
] as const satisfies readonly (readonly [string, Metric])[];

export type OpenField = (typeof OPEN_FIELDS)[number][0];
export type Figures = Record<OpenField, number>;
export type PublicFigures = Record<OpenField, number | null>;

const OPEN_METRICS: Metric[] = OPEN_FIELDS.map(([, m]) => m);
const FIELD_OF = new Map<string, OpenField>(OPEN_FIELDS.map(([f, m]) => [m, f]));

/** Small counts suppressed: 1–4 (and anything else below 5 but 0) become null. */
export function suppress(n: number): number | null {
  return n === 0 || n >= 5 ? n : null;
}

const zero = (): Figures => Object.fromEntries(OPEN_FIELDS.map(([f]) => [f, 0])) as Figures;

export function suppressAll(figures: Figures): PublicFigures {
  return Object.fromEntries(OPEN_FIELDS.map(([f]) => [f, suppress(figures[f])])) as PublicFigures;
}

/** Field by field sum of several days' figures (raw: suppress the total, never the parts). */
export function addUp(rows: Figures[]): Figures {
  const total = zero();
  for (const r of rows) for (const [f] of OPEN_FIELDS) total[f] += r[f];
  return total;
}

const badRange = (path: string, vi: string, en: string) => new AppError("validation_failed", en, [{ path, message: msg(vi, en) }]);

/** The range asked for, with the defaults: the last 30 days up to today (Vietnam). */
export function resolveRange(deps: Deps, input: { from?: string | undefined; to?: string | undefined }) {
  const to = input.to ?? (input.from ? addDays(input.from, OPEN_DATA_DEFAULT_DAYS - 1) : vnDay(deps.now()));
  const from = input.from ?? addDays(to, -(OPEN_DATA_DEFAULT_DAYS - 1));
  if (to < from) throw badRange("to", "Ngày cuối trước ngày đầu", "The last day is before the first");
  if (daysBetween(from, to) + 1 > OPEN_DATA_MAX_DAYS)
    throw badRange("to", `Tối đa ${OPEN_DATA_MAX_DAYS} ngày mỗi lần`, `At most ${OPEN_DATA_MAX_DAYS} days at a time`);
  return { from, to };
}

/** Province codes → names (public reference data). */
export async function provinceNames(deps: Deps): Promise<Map<string, string>> {
  const rows = await deps.db.select({ code: adminUnits.code, name: adminUnits.name }).from(adminUnits).where(eq(adminUnits.level, "province"));
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The province, or 404. */
export async function findProvince(deps: Deps, code: string): Promise<{ code: string; name: string }> {
  const [p] = await deps.db
    .select({ code: adminUnits.code, name: adminUnits.name })
    .from(adminUnits)
    .where(and(eq(adminUnits.code, code), eq(adminUnits.level, "province")))
    .limit(1);
  if (!p) throw notFound("Province");
  return p;
}

export interface DailyFigures {
  day: string;
  provinceCode: string;
  figures: Figures;
}

/** Raw (unsuppressed) figures per day and province with any row in the range, by day then province. */
export async function dailyFigures(deps: Deps, input: { provinceCode?: string | undefined; from: string; to: string }): Promise<DailyFigures[]> {
  const conds: (SQL | undefined)[] = [
    inArray(dailyStats.metric, OPEN_METRICS),
    gte(dailyStats.day, input.from),
    lte(dailyStats.day, input.to),
    input.provinceCode ? eq(dailyStats.provinceCode, input.provinceCode) : undefined,
  ];
  const rows = await deps.db
    .select({
      day: dailyStats.day,
      provinceCode: dailyStats.provinceCode,
      metric: dailyStats.metric,
      value: sql<number>`sum(${dailyStats.value})`.mapWith(Number),
    })
    .from(dailyStats)
    .where(and(...conds))
    .groupBy(dailyStats.day, dailyStats.provinceCode, dailyStats.metric)
    .orderBy(asc(dailyStats.day), asc(dailyStats.provinceCode));
  const out: DailyFigures[] = [];
  for (const r of rows) {
    let last = out[out.length - 1];
    if (!last || last.day !== r.day || last.provinceCode !== r.provinceCode) out.push((last = { day: r.day, provinceCode: r.provinceCode, figures: zero() }));
    const field = FIELD_OF.get(r.metric);
    if (field) last.figures[field] += r.value;
  }
  return out;
}

/** The latest day up to `upTo` on which the province has a non-zero published figure, or null. */
export async function latestDayWithData(deps: Deps, provinceCode: string, upTo: string): Promise<string | null> {
  const [row] = await deps.db
    .select({ day: max(dailyStats.day) })
    .from(dailyStats)
    .where(and(eq(dailyStats.provinceCode, provinceCode), inArray(dailyStats.metric, OPEN_METRICS), lte(dailyStats.day, upTo), ne(dailyStats.value, 0)));
  return row?.day ?? null;
}

/** GET /api/open-data/daily: rows of the range, small counts suppressed. */
export async function openDaily(deps: Deps, query: OpenDataQueryT) {
  const { from, to } = resolveRange(deps, query);
  if (query.provinceCode) await findProvince(deps, query.provinceCode);
  const [names, rows] = await Promise.all([provinceNames(deps), dailyFigures(deps, { provinceCode: query.provinceCode, from, to })]);
  return {
    from,
    to,
    items: rows.map((r) => ({ day: r.day, provinceCode: r.provinceCode, provinceName: names.get(r.provinceCode) ?? r.provinceCode, ...suppressAll(r.figures) })),
    suppressed: SUPPRESSED_NOTE as typeof SUPPRESSED_NOTE,
  };
}

/** One CSV cell (RFC 4180), safe to open in a spreadsheet: a leading = + - @ tab or CR gets a '. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const OPEN_CSV_COLUMNS = ["day", "provinceCode", "provinceName", ...OPEN_FIELDS.map(([f]) => f)] as const;

/** GET /api/open-data/daily.csv: the same rows as CSV (UTF-8 with BOM, CRLF; suppressed cells empty). */
export async function openDailyCsv(deps: Deps, query: OpenDataQueryT) {
  const data = await openDaily(deps, query);
  const lines = [OPEN_CSV_COLUMNS.map(csvCell).join(",")];
  for (const item of data.items) lines.push(OPEN_CSV_COLUMNS.map((c) => csvCell(item[c])).join(","));
  return { from: data.from, to: data.to, csv: `\uFEFF${lines.join("\r\n")}\r\n` };
}
