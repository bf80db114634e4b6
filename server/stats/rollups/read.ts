/**
 * Reading the roll-ups for a unit (country, province or commune): which `daily_stats` rows make
 * a unit's figure. Flow metrics sum every row of the unit (a province's communes and its rows
 * without a commune); the distinct counts (visitors, venues_active) take the province's own row
 * (commune '') — communes cannot be summed, a person visits several. At country level the
 * provinces' distinct counts are summed (a person seen in two provinces counts in both).
 * Reads `daily_stats` only, through its primary key or daily_stats_metric_idx.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { METRICS, type Metric } from "../../../db/schema";
import { DEFINITIONS } from "./metrics";

/** Metrics whose province figure is its own row, not the sum of its communes'. */
export const DISTINCT_METRICS: readonly Metric[] = DEFINITIONS.filter((d) => d.kind === "distinct").map((d) => d.metric);

/** The unit: no province → the country; a province; a commune of a province. */
export interface RollupUnit {
  provinceCode?: string | null | undefined;
  communeCode?: string | null | undefined;
}

const distinctList = sql.raw(DISTINCT_METRICS.map((m) => `'${m}'`).join(", "));

/** The `daily_stats` rows of a unit (the table under its own name). */
export function unitRows(unit: RollupUnit): SQL {
  if (unit.communeCode) {
    // Commune codes are unique in the country; the province, when given, lets the index serve.
    return unit.provinceCode
      ? sql`daily_stats.province_code = ${unit.provinceCode} and daily_stats.commune_code = ${unit.communeCode}`
      : sql`daily_stats.commune_code = ${unit.communeCode}`;
  }
  const provinceLevel = sql`(daily_stats.commune_code = '' or daily_stats.metric not in (${distinctList}))`;
  return unit.provinceCode ? sql`daily_stats.province_code = ${unit.provinceCode} and ${provinceLevel}` : provinceLevel;
}

export type MetricValues = Record<Metric, number>;

export const zeroValues = (): MetricValues => Object.fromEntries(METRICS.map((m) => [m, 0])) as MetricValues;

const KNOWN = new Set<string>(METRICS);
/** Only names of the metric list reach the SQL text. */
const metricList = (metrics: readonly Metric[]) => sql.raw(metrics.filter((m) => KNOWN.has(m)).map((m) => `'${m}'`).join(", ") || "''");

/** One entry per day from `from` to `to` (YYYY-MM-DD, inclusive), every metric present (0 when no row). */
export async function readSeries(database: Database, unit: RollupUnit, from: string, to: string, metrics: readonly Metric[] = METRICS): Promise<({ day: string } & MetricValues)[]> {
  const rows = await database.query<{ day: string; metric: Metric; value: number | string }>(sql`
    select day::text as day, metric, sum(value)::bigint as value from daily_stats
    where day between ${from}::date and ${to}::date and metric in (${metricList(metrics)}) and ${unitRows(unit)}
    group by day, metric`);
  const byDay = new Map<string, { day: string } & MetricValues>();
  for (let d = from; d <= to; d = nextDay(d)) byDay.set(d, { day: d, ...zeroValues() });
  for (const r of rows) {
    const entry = byDay.get(r.day);
    if (entry) entry[r.metric] = Number(r.value);
  }
  return [...byDay.values()];
}

/** Each metric summed over the days from `from` (or the beginning) to `to`, inclusive. */
export async function readTotals(database: Database, unit: RollupUnit, from: string | null, to: string, metrics: readonly Metric[] = METRICS): Promise<MetricValues> {
  const rows = await database.query<{ metric: Metric; value: number | string }>(sql`
    select metric, sum(value)::bigint as value from daily_stats
    where ${from ? sql`day >= ${from}::date and ` : sql``}day <= ${to}::date and metric in (${metricList(metrics)}) and ${unitRows(unit)}
    group by metric`);
  const values = zeroValues();
  for (const r of rows) values[r.metric] = Number(r.value);
  return values;
}

/**
 * The stocks now (on `to`): F0 active (Σ cases_active), in quarantine (Σ contacts_quarantined),
 * and the cumulative doses by dose number, summed over all days up to `to`.
 */
export function readStocks(database: Database, unit: RollupUnit, to: string): Promise<MetricValues> {
  return readTotals(database, unit, null, to, ["cases_active", "contacts_quarantined", "doses_1", "doses_2", "doses_3"]);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
