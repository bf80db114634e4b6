/**
 * GET /api/stats/dashboard (docs/STATS.md, "Dashboard"): the figures of one unit of the caller's
 * area, read from the roll-ups only (daily_stats, never the raw tables). Two queries of
 * daily_stats, whatever the range and the number of child units, both on the province's rows
 * (daily_stats_metric_idx: province_code, metric, day); for the country, the same two queries of
 * daily_province_stats (the province totals, kept by triggers on daily_stats, migration 0009):
 *
 *  1. the series: Σ value per (day, metric) over the range. For the distinct counts (visitors,
 *     venues_active) the province figure is the row with commune '' (a person who visited two
 *     communes counts once), so the commune rows are left out above the commune level;
 *  2. the child units: Σ value per (child, metric) for the range metrics of the ranked table
 *     (checkins, cases_new, results_positive/negative) over the range, and for the stocks
 *     (cases_active, contacts_quarantined, doses_n) over all days. The headline's stocks are the
 *     sums of these over every child (the rows with commune '' included).
 *
 * Plus the names and populations of the unit and its children (admin_units). Coverage by dose n =
 * cumulative doses_n / population (a province without a figure of its own: its communes summed;
 * the country: its provinces summed). Days are Asia/Ho_Chi_Minh days.
 */
import { DISTINCT_METRICS } from "../rollups/read";
import { and, eq, gte, inArray, lte, notInArray, or, sql, type SQL } from "drizzle-orm";
import { adminUnits, dailyProvinceStats, dailyStats, METRICS, type Metric } from "../../../db/schema";
import type { Actor } from "../../audit/service";
import { recordAudit } from "../../audit/service";
import { inArea, NATIONAL, type AuthUser } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import { addDays, daysBetween } from "../../vaccination/doses/rules";
import type { DashboardQueryT, Derived } from "./schemas";

type SignedIn = Actor & { user: AuthUser };
export type Level = "country" | "province" | "commune";
export interface DashboardUnit {
  level: Level;
  provinceCode: string | null;
  communeCode: string | null;
}

/** At most this many days in one range (inclusive). */
export const MAX_RANGE_DAYS = 366;
/** The default range: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;
const COUNTRY = { code: "VN", name: "Việt Nam" };

/** Distinct counts: the province's figure is its own row (commune ''), not the sum of its communes (from the metric definitions). */
const DISTINCT: Metric[] = [...DISTINCT_METRICS];
/** Flows the ranked table of child units needs, over the range. */
const CHILD_FLOWS: Metric[] = ["checkins", "cases_new", "results_positive", "results_negative"];
/** Stocks: summed over all days (a value now). */
const STOCKS: Metric[] = ["cases_active", "contacts_quarantined", "doses_1", "doses_2", "doses_3"];

const outOfArea = () => new AppError("not_found", msg("Không có đơn vị này trong địa bàn của bạn", "No such unit in your area"));
const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;
/** positive / (positive + negative), 4 decimals; null when both are 0. */
export const positivityOf = (positive: number, negative: number) => (positive + negative ? round(positive / (positive + negative), 4) : null);
/** A share of the population, 4 decimals; null when the population is unknown (or 0). */
const shareOf = (n: number, population: number | null) => (population ? round(n / population, 4) : null);

/** The unit asked about: the caller's own area by default, narrowed by provinceCode/communeCode inside it (else 404). */
export async function resolveUnit(deps: Deps, user: AuthUser, input: { provinceCode?: string | undefined; communeCode?: string | undefined }): Promise<DashboardUnit> {
  if (input.communeCode) {
    const [c] = await deps.db
      .select({ parent: adminUnits.parentCode })
      .from(adminUnits)
      .where(and(eq(adminUnits.code, input.communeCode), eq(adminUnits.level, "commune")))
      .limit(1);
    const parent = c?.parent ? String(c.parent).trim() : null;
    if (!parent || (input.provinceCode && input.provinceCode !== parent)) throw outOfArea();
    if (!inArea(user, { provinceCode: parent, communeCode: input.communeCode })) throw outOfArea();
    return { level: "commune", provinceCode: parent, communeCode: input.communeCode };
  }
  if (input.provinceCode) {
    const [p] = await deps.db
      .select({ code: adminUnits.code })
      .from(adminUnits)
      .where(and(eq(adminUnits.code, input.provinceCode), eq(adminUnits.level, "province")))
      .limit(1);
    if (!p || !inArea(user, { provinceCode: input.provinceCode, communeCode: null })) throw outOfArea();
    return { level: "province", provinceCode: input.provinceCode, communeCode: null };
  }
  if (user.role === "national_admin") return { level: "country", provinceCode: null, communeCode: null };
  if (!user.provinceCode) throw outOfArea();
  if (user.communeCode) return { level: "commune", provinceCode: user.provinceCode, communeCode: user.communeCode };
  return { level: "province", provinceCode: user.provinceCode, communeCode: null };
}

/** The range asked for, checked: default the last 30 days; at most 366 days. */
export function resolveRange(deps: Deps, input: { from?: string | undefined; to?: string | undefined }) {
  const to = input.to ?? vnDay(deps.now());
  const from = input.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const bad = (path: string, vi: string, en: string) => new AppError("validation_failed", en, [{ path, message: msg(vi, en) }]);
  if (from > to) throw bad("from", "Từ ngày phải trước hoặc bằng đến ngày", "from must not be after to");
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) throw bad("to", `Tối đa ${MAX_RANGE_DAYS} ngày mỗi lần`, `At most ${MAX_RANGE_DAYS} days at a time`);
  return { from, to };
}

/** The rows of daily_stats inside the unit. */
function unitRows(unit: DashboardUnit): SQL | undefined {
  if (unit.level === "country") return undefined;
  if (unit.level === "province") return eq(dailyStats.provinceCode, unit.provinceCode!);
  return and(eq(dailyStats.provinceCode, unit.provinceCode!), eq(dailyStats.communeCode, unit.communeCode!));
}

/**
 * A province's population: its own figure, else the sum of its communes'. `admin_units.code` is
 * written out: drizzle leaves columns unqualified in a one-table select.
 */
const provincePopulation = sql<
  number | null
>`coalesce(${adminUnits.population}, (select sum(c.population)::int from admin_units c where c.level = 'commune' and c.parent_code = admin_units.code))`;

type UnitRow = { code: string; name: string; population: number | null };
const asUnit = (u: { code: string; name: string; population: number | string | null }): UnitRow => ({
  code: String(u.code).trim(),
  name: u.name,
  population: u.population === null || u.population === undefined ? null : Number(u.population),
});

/** The unit's children (provinces of the country, communes of a province) and the unit itself, with populations. */
async function unitsOf(deps: Deps, unit: DashboardUnit): Promise<{ self: UnitRow; children: UnitRow[] }> {
  if (unit.level === "country") {
    const rows = (
      await deps.db
        .select({ code: adminUnits.code, name: adminUnits.name, population: provincePopulation })
        .from(adminUnits)
        .where(eq(adminUnits.level, "province"))
        .orderBy(adminUnits.code)
    ).map(asUnit);
    const known = rows.filter((r) => r.population !== null);
    return { self: { ...COUNTRY, population: known.length ? known.reduce((s, r) => s + r.population!, 0) : null }, children: rows };
  }
  if (unit.level === "province") {
    const rows = (
      await deps.db
        .select({
          code: adminUnits.code,
          name: adminUnits.name,
          level: adminUnits.level,
          population: sql<number | null>`case when ${adminUnits.level} = 'province' then ${provincePopulation} else ${adminUnits.population} end`,
        })
        .from(adminUnits)
        .where(or(eq(adminUnits.code, unit.provinceCode!), and(eq(adminUnits.level, "commune"), eq(adminUnits.parentCode, unit.provinceCode!))))
        .orderBy(adminUnits.code)
    ).map((r) => ({ ...asUnit(r), level: r.level }));
    const self = rows.find((r) => r.level === "province") ?? { code: unit.provinceCode!, name: unit.provinceCode!, population: null };
    return { self: asUnit(self), children: rows.filter((r) => r.level === "commune").map(asUnit) };
  }
  const [self] = await deps.db
    .select({ code: adminUnits.code, name: adminUnits.name, population: adminUnits.population })
    .from(adminUnits)
    .where(eq(adminUnits.code, unit.communeCode!))
    .limit(1);
  return { self: self ? asUnit(self) : { code: unit.communeCode!, name: unit.communeCode!, population: null }, children: [] };
}

const zeroMetrics = (): Record<Metric, number> => Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;

export async function dashboard(deps: Deps, actor: SignedIn, input: DashboardQueryT) {
  const { from, to } = resolveRange(deps, input);
  const unit = await resolveUnit(deps, actor.user, input);
  const inUnit = unitRows(unit);
  const inRange = and(gte(dailyStats.day, from), lte(dailyStats.day, to));
  const child = unit.level === "country" ? dailyStats.provinceCode : dailyStats.communeCode;

  const p = dailyProvinceStats;
  const provinceRange = and(gte(p.day, from), lte(p.day, to));
  const [series, perChild, units] = await Promise.all([
    unit.level === "country"
      ? // The country: the province totals (34 rows a day and metric), kept by triggers on daily_stats.
        deps.db.select({ day: p.day, metric: p.metric, value: sql<string>`sum(${p.value})` }).from(p).where(provinceRange).groupBy(p.day, p.metric)
      : deps.db
      .select({ day: dailyStats.day, metric: dailyStats.metric, value: sql<string>`sum(${dailyStats.value})` })
      .from(dailyStats)
      .where(and(inUnit, inRange, unit.level === "commune" ? undefined : or(notInArray(dailyStats.metric, DISTINCT), eq(dailyStats.communeCode, ""))))
      .groupBy(dailyStats.day, dailyStats.metric),
    unit.level === "country"
      ? deps.db
          .select({ code: sql<string>`${p.provinceCode}`, metric: p.metric, value: sql<string>`sum(${p.value})` })
          .from(p)
          .where(or(and(inArray(p.metric, CHILD_FLOWS), provinceRange), inArray(p.metric, STOCKS)))
          .groupBy(p.provinceCode, p.metric)
      : deps.db
      .select({ code: sql<string>`${child}`, metric: dailyStats.metric, value: sql<string>`sum(${dailyStats.value})` })
      .from(dailyStats)
      .where(and(inUnit, or(and(inArray(dailyStats.metric, CHILD_FLOWS), inRange), inArray(dailyStats.metric, STOCKS))))
      .groupBy(child, dailyStats.metric),
    unitsOf(deps, unit),
  ]);

  // The series, every day of the range (zeros where nothing was counted), and the range totals.
  const byDay = new Map<string, Record<Metric, number>>();
  for (let d = from; d <= to; d = addDays(d, 1)) byDay.set(d, zeroMetrics());
  const totals = zeroMetrics();
  for (const r of series) {
    const v = Number(r.value);
    const day = byDay.get(String(r.day).slice(0, 10));
    if (day) day[r.metric] += v;
    totals[r.metric] += v;
  }

  // Stocks of the unit, and the child units' figures.
  const stocks = zeroMetrics();
  const byChild = new Map<string, Record<Metric, number>>();
  for (const r of perChild) {
    const v = Number(r.value);
    if (STOCKS.includes(r.metric)) stocks[r.metric] += v;
    const code = String(r.code).trim();
    const m = byChild.get(code) ?? zeroMetrics();
    m[r.metric] += v;
    byChild.set(code, m);
  }

  const population = units.self.population;
  const derived: Record<Derived, number | null> = {
    positivity: positivityOf(totals.results_positive, totals.results_negative),
    f0_active: stocks.cases_active,
    in_quarantine: stocks.contacts_quarantined,
    coverage_1: shareOf(stocks.doses_1, population),
    coverage_2: shareOf(stocks.doses_2, population),
    coverage_3: shareOf(stocks.doses_3, population),
  };

  const children = units.children
    .map((u) => {
      const m = byChild.get(u.code) ?? zeroMetrics();
      return {
        code: u.code,
        name: u.name,
        population: u.population,
        checkins: m.checkins,
        casesNew: m.cases_new,
        incidencePer100k: u.population ? round((m.cases_new * 100_000) / u.population, 2) : null,
        positivity: positivityOf(m.results_positive, m.results_negative),
        coverage1: shareOf(m.doses_1, u.population),
        coverage2: shareOf(m.doses_2, u.population),
      };
    })
    .sort(
      (a, b) =>
        (a.incidencePer100k === null ? 1 : 0) - (b.incidencePer100k === null ? 1 : 0) ||
        (b.incidencePer100k ?? 0) - (a.incidencePer100k ?? 0) ||
        b.casesNew - a.casesNew ||
        a.code.localeCompare(b.code),
    );

  await recordAudit(deps, actor, {
    action: "stats.dashboard",
    subjectType: "daily_stats",
    area: { provinceCode: unit.provinceCode ?? NATIONAL, communeCode: unit.communeCode },
    details: { level: unit.level, provinceCode: unit.provinceCode, communeCode: unit.communeCode, from, to },
  });

  return {
    unit: { level: unit.level, code: units.self.code, name: units.self.name, population },
    from,
    to,
    headline: { ...totals, ...derived } as Record<Metric, number> & Record<Derived, number | null> & { f0_active: number; in_quarantine: number },
    series: [...byDay].map(([day, m]) => ({ day, ...m })),
    children,
  };
}

// ---- the metric list ----

type Group = "checkins" | "declarations" | "testing" | "vaccination" | "cases" | "contacts";
type Kind = "flow" | "stock" | "rate";
const L = (key: Metric | Derived, kind: Kind, group: Group, labelVi: string, labelEn: string) => ({ key, kind, group, labelVi, labelEn });

/** Every roll-up metric and derived figure with its labels, in the order the portal shows them. */
export const METRIC_LIST = [
  L("checkins", "flow", "checkins", "Lượt check-in", "Check-ins"),
  L("visitors", "flow", "checkins", "Người check-in (mỗi ngày)", "People who checked in (per day)"),
  L("venues_active", "flow", "checkins", "Địa điểm có check-in (mỗi ngày)", "Venues with check-ins (per day)"),
  L("declarations", "flow", "declarations", "Tờ khai y tế", "Health declarations"),
  L("declarations_risky", "flow", "declarations", "Tờ khai cần theo dõi", "Declarations to follow up"),
  L("samples", "flow", "testing", "Mẫu xét nghiệm đã lấy", "Samples taken"),
  L("results_negative", "flow", "testing", "Kết quả âm tính", "Negative results"),
  L("results_positive", "flow", "testing", "Kết quả dương tính", "Positive results"),
  L("results_invalid", "flow", "testing", "Kết quả không xác định", "Invalid results"),
  L("pools_resulted", "flow", "testing", "Mẫu gộp có kết quả", "Pools with a result"),
  L("pools_positive", "flow", "testing", "Mẫu gộp dương tính", "Positive pools"),
  L("positivity", "rate", "testing", "Tỷ lệ dương tính", "Positivity"),
  L("doses_1", "flow", "vaccination", "Mũi 1 đã tiêm", "First doses given"),
  L("doses_2", "flow", "vaccination", "Mũi 2 đã tiêm", "Second doses given"),
  L("doses_3", "flow", "vaccination", "Mũi 3 trở lên đã tiêm", "Third and later doses given"),
  L("coverage_1", "rate", "vaccination", "Bao phủ mũi 1", "Coverage, dose 1"),
  L("coverage_2", "rate", "vaccination", "Bao phủ mũi 2", "Coverage, dose 2"),
  L("coverage_3", "rate", "vaccination", "Bao phủ mũi 3", "Coverage, dose 3"),
  L("cases_new", "flow", "cases", "Ca mắc mới (F0)", "New cases (F0)"),
  L("cases_active", "flow", "cases", "Ca còn điều trị (theo ngày xác nhận)", "Cases still active (by confirmation day)"),
  L("cases_recovered", "flow", "cases", "Ca đã khỏi (theo ngày xác nhận)", "Cases recovered (by confirmation day)"),
  L("cases_died", "flow", "cases", "Ca tử vong (theo ngày xác nhận)", "Deaths (by confirmation day)"),
  L("f0_active", "stock", "cases", "F0 đang điều trị", "F0 active now"),
  L("f1_identified", "flow", "contacts", "F1 được xác định", "F1 contacts identified"),
  L("f2_identified", "flow", "contacts", "F2 được xác định", "F2 contacts identified"),
  L("contacts_quarantined", "flow", "contacts", "Đang cách ly (theo ngày xác định)", "In quarantine (by day identified)"),
  L("in_quarantine", "stock", "contacts", "Đang cách ly", "In quarantine now"),
  L("follow_ups", "flow", "contacts", "Lượt theo dõi sức khỏe", "Follow-ups"),
  L("follow_ups_reached", "flow", "contacts", "Lượt theo dõi liên lạc được", "Follow-ups that reached the person"),
];

export const metricList = () => ({ items: METRIC_LIST });
