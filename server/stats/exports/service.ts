/**
 * Exports (docs/STATS.md, "Exports"): the pieces every export shares (the range, the commune of a
 * filter, the area in a file name, the body in each format) and the aggregated table: one row per
 * day × unit (province or commune) with every roll-up metric as a column, read from daily_stats
 * only, every day of the range and every unit present (0 where nothing was counted).
 *
 * Units: the provinces, or the communes (admin_units), of the caller's area, narrowed by
 * provinceCode / communeCode inside it (a unit outside it: 404). A province's figure of a count
 * is the sum of its rows; of the distinct counts (visitors, venues_active) its own row (commune
 * ''). Rows of daily_stats without a commune (commune '') count at province level only.
 */
import { DISTINCT_METRICS } from "../rollups/read";
import { and, eq, sql } from "drizzle-orm";
import { adminUnits, METRICS, type Metric } from "../../../db/schema";
import type { Actor } from "../../audit/service";
import { inArea, type AuthUser } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import { addDays, daysBetween } from "../../vaccination/doses/rules";
import { csvChunks } from "./csv";
import { jsonChunks } from "./json";
import type { StatsExportQueryT } from "./schemas";
import { downloadHeaders, primed, readBatches, textStream, type Column, type Format, type RowSource } from "./stream";
import { writeTable, xlsxStream } from "./xlsx";

export type SignedIn = Actor & { user: AuthUser };

/** The default range: the last 30 days, today included (as the dashboard). */
export const DEFAULT_RANGE_DAYS = 30;

export const outOfArea = () => new AppError("not_found", msg("Không có đơn vị này trong địa bàn của bạn", "No such unit in your area"));
const bad = (path: string, vi: string, en: string) => new AppError("validation_failed", en, [{ path, message: msg(vi, en) }]);

/**
 * At most this many days per file (three years: a whole epidemic). The body is streamed, so memory
 * is not the limit: a range of centuries would keep a database connection busy for hours.
 */
export const EXPORT_MAX_DAYS = 1096;

/** The days asked for (Vietnam days, inclusive): default the last 30, at most EXPORT_MAX_DAYS. */
export function exportRange(deps: Deps, input: { from?: string | undefined; to?: string | undefined }) {
  const to = input.to ?? vnDay(deps.now());
  const from = input.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw bad("from", "Từ ngày phải trước hoặc bằng đến ngày", "from must not be after to");
  if (daysBetween(from, to) + 1 > EXPORT_MAX_DAYS)
    throw bad("to", `Tối đa ${EXPORT_MAX_DAYS} ngày mỗi tệp; hãy xuất từng đoạn`, `At most ${EXPORT_MAX_DAYS} days per file; export the range in parts`);
  return { from, to };
}

export interface Unit {
  code: string;
  name: string;
  provinceCode: string;
}

/** A commune by code, when it is in the caller's area; else 404 (unknown communes too). */
export async function communeInArea(deps: Deps, user: AuthUser, communeCode: string, provinceCode?: string): Promise<Unit> {
  const [c] = await deps.db
    .select({ code: adminUnits.code, name: adminUnits.name, parent: adminUnits.parentCode })
    .from(adminUnits)
    .where(and(eq(adminUnits.code, communeCode), eq(adminUnits.level, "commune")))
    .limit(1);
  const parent = c?.parent ? String(c.parent).trim() : null;
  if (!c || !parent || (provinceCode && provinceCode !== parent)) throw outOfArea();
  if (!inArea(user, { provinceCode: parent, communeCode })) throw outOfArea();
  return { code: communeCode, name: c.name, provinceCode: parent };
}

/** A province by code (no area check). */
export async function provinceByCode(deps: Deps, provinceCode: string): Promise<Unit | undefined> {
  const [p] = await deps.db
    .select({ code: adminUnits.code, name: adminUnits.name })
    .from(adminUnits)
    .where(and(eq(adminUnits.code, provinceCode), eq(adminUnits.level, "province")))
    .limit(1);
  return p ? { code: provinceCode, name: p.name, provinceCode } : undefined;
}

/** "VN" (the whole country), "01" (a province) or "01-00070" (a commune): the area in a file name. */
export function areaTag(provinceCode: string | null, communeCode: string | null): string {
  if (communeCode) return `${provinceCode ?? "VN"}-${communeCode}`;
  return provinceCode ?? "VN";
}

/** The body of an export in the format asked for, with the rows under it released when the download stops. */
export function exportBody<R extends Record<string, unknown>>(format: Format, columns: readonly Column[], rows: AsyncGenerator<R[]>, sheetName: string) {
  if (format === "xlsx")
    return xlsxStream(
      async (book, room) => {
        await writeTable(book, sheetName, columns, rows, room);
      },
      async () => {
        await rows.return(undefined);
      },
    );
  return textStream(format === "csv" ? csvChunks(columns, rows) : jsonChunks(columns, rows), rows);
}

// ───────────────────────────── the aggregated table ─────────────────────────────

/** Distinct counts: the province's figure is its own row (commune ''), not the sum of its communes (from the metric definitions). */
const DISTINCT = DISTINCT_METRICS;

/** Vietnamese headers of the metrics (CSV and XLSX). */
export const METRIC_LABELS: Record<Metric, string> = {
  checkins: "Lượt check-in",
  visitors: "Số người đến",
  venues_active: "Địa điểm có check-in",
  declarations: "Tờ khai y tế",
  declarations_risky: "Tờ khai cần theo dõi",
  samples: "Mẫu xét nghiệm",
  results_negative: "Kết quả âm tính",
  results_positive: "Kết quả dương tính",
  results_invalid: "Kết quả không hợp lệ",
  pools_resulted: "Mẫu gộp có kết quả",
  pools_positive: "Mẫu gộp dương tính",
  doses_1: "Mũi 1",
  doses_2: "Mũi 2",
  doses_3: "Mũi 3 trở lên",
  cases_new: "Ca mắc mới",
  cases_active: "Ca đang điều trị",
  cases_recovered: "Ca khỏi bệnh",
  cases_died: "Ca tử vong",
  f1_identified: "F1 mới",
  f2_identified: "F2 mới",
  contacts_quarantined: "Đang cách ly",
  follow_ups: "Lượt theo dõi",
  follow_ups_reached: "Lượt liên lạc được",
};

export type StatsLevel = "province" | "commune";

/** What an aggregated export covers, inside the caller's area: null = every unit of that kind in it. */
export interface StatsScope {
  level: StatsLevel;
  provinceCode: string | null;
  communeCode: string | null;
}

/** The units asked for, checked against the caller's area (outside it, or unknown: 404). */
export async function resolveStatsScope(deps: Deps, user: AuthUser, q: Pick<StatsExportQueryT, "level" | "provinceCode" | "communeCode">): Promise<StatsScope> {
  if (q.communeCode) {
    if (q.level === "province") throw bad("level", "Đã chọn xã/phường: cấp phải là commune", "With communeCode the level is commune");
    const c = await communeInArea(deps, user, q.communeCode, q.provinceCode);
    return { level: "commune", provinceCode: c.provinceCode, communeCode: c.code };
  }
  const national = user.role === "national_admin";
  const level: StatsLevel = q.level ?? (user.communeCode ? "commune" : "province");
  if (q.provinceCode) {
    if (!(await provinceByCode(deps, q.provinceCode))) throw outOfArea();
    if (level === "province") {
      if (!inArea(user, { provinceCode: q.provinceCode, communeCode: null })) throw outOfArea();
      return { level, provinceCode: q.provinceCode, communeCode: null };
    }
    if (!national && user.provinceCode !== q.provinceCode) throw outOfArea();
    return { level, provinceCode: q.provinceCode, communeCode: national ? null : user.communeCode };
  }
  if (national) return { level, provinceCode: null, communeCode: null };
  if (!user.provinceCode) throw outOfArea();
  if (level === "province" && user.communeCode) throw outOfArea();
  return { level, provinceCode: user.provinceCode, communeCode: user.communeCode };
}

export function statsColumns(level: StatsLevel): Column[] {
  return [
    { key: "day", label: "Ngày", width: 12, plain: true },
    { key: "provinceCode", label: "Mã tỉnh", width: 8 },
    { key: "provinceName", label: "Tỉnh/thành phố", width: 24 },
    ...(level === "commune"
      ? [
          { key: "communeCode", label: "Mã xã/phường", width: 12 },
          { key: "communeName", label: "Xã/phường", width: 24 },
        ]
      : []),
    ...METRICS.map((m) => ({ key: m, label: METRIC_LABELS[m], plain: true })),
  ];
}

type StatsRow = Record<string, string | number | null> & { day: string; provinceCode: string; communeCode?: string };

const ident = (name: string) => sql.raw(`"${name}"`);
const literal = (text: string) => sql.raw(`'${text.replace(/'/g, "''")}'`);

/** One row per day of the range × unit of the scope, by (day, unit code), every metric summed from daily_stats. */
export function statsSource(scope: StatsScope, range: { from: string; to: string }): RowSource<StatsRow> {
  const province = scope.level === "province";
  const units = province
    ? sql`select u.code, u.code as province_code, u.name as province_name, u.name
            from admin_units u where u.level = 'province'${scope.provinceCode ? sql` and u.code = ${scope.provinceCode}` : sql``}`
    : sql`select c.code, trim(c.parent_code) as province_code, coalesce(p.name, trim(c.parent_code)) as province_name, c.name
            from admin_units c left join admin_units p on p.code = trim(c.parent_code) and p.level = 'province'
           where c.level = 'commune'${scope.provinceCode ? sql` and c.parent_code = ${scope.provinceCode}` : sql``}${scope.communeCode ? sql` and c.code = ${scope.communeCode}` : sql``}`;
  const sums = sql.join(
    METRICS.map((m) =>
      province && DISTINCT.includes(m)
        ? sql`sum(s.value) filter (where s.metric = ${literal(m)} and s.commune_code = '') as ${ident(m)}`
        : sql`sum(s.value) filter (where s.metric = ${literal(m)}) as ${ident(m)}`,
    ),
    sql`, `,
  );
  const values = sql.join(
    METRICS.map((m) => sql`coalesce(a.${ident(m)}, 0)::float8 as ${ident(m)}`),
    sql`, `,
  );
  const unitOfRow = province ? sql`s.province_code::text` : sql`s.commune_code`;
  const rowInUnits = province
    ? sql`s.province_code in (select code from units)`
    : sql`s.province_code in (select province_code from units) and s.commune_code in (select code from units)`;
  return {
    select(after, limit) {
      const afterDay = after ? String(after[0]) : null;
      return sql`with units as (${units}),
        agg as (
          select s.day, ${unitOfRow} as code, ${sums}
            from daily_stats s
           where s.day between ${range.from}::date and ${range.to}::date${afterDay ? sql` and s.day >= ${afterDay}::date` : sql``}
             and ${rowInUnits}
           group by 1, 2)
        select to_char(d.day, 'YYYY-MM-DD') as "day", u.province_code as "provinceCode", u.province_name as "provinceName",
               ${province ? sql`` : sql`u.code as "communeCode", u.name as "communeName", `}${values}
          from generate_series(${range.from}::date, ${range.to}::date, interval '1 day') as d(day)
         cross join units u
          left join agg a on a.day = d.day::date and a.code = u.code
         ${after ? sql`where (d.day::date, u.code) > (${afterDay}::date, ${String(after[1])}::text)` : sql``}
         order by d.day, u.code${limit ? sql` limit ${limit}` : sql``}`;
    },
    keyOf: (row) => [row.day, province ? row.provinceCode : row.communeCode],
  };
}

/** GET /api/exports/stats.{csv,xlsx,json}. */
export async function exportStats(deps: Deps, actor: SignedIn, format: Format, q: StatsExportQueryT) {
  const range = exportRange(deps, q);
  const scope = await resolveStatsScope(deps, actor.user, q);
  const columns = statsColumns(scope.level);
  const rows = await primed(readBatches(deps.database, statsSource(scope, range)));
  const name = `stats_${scope.level}_${areaTag(scope.provinceCode, scope.communeCode)}_${range.from}_${range.to}`;
  return { body: exportBody(format, columns, rows, "Số liệu"), headers: downloadHeaders(format, name) };
}

