/**
 * The roll-ups recounted from the raw tables by the definitions of metrics.ts: what `daily_stats`,
 * `daily_visitors` and `daily_active_venues` must hold. Used by the rebuild (rebuild.ts) and by
 * the property test, which checks the triggers keep exactly this.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { DEFINITIONS, keySelect, partSelect, storeRows, type DistinctMetric, type MetricDefinition } from "./metrics";

export interface RecountOptions {
  /** Only rows of days on or after this one (YYYY-MM-DD). */
  since?: string | undefined;
}

/** `(day, province_code, commune_code, metric, value)` of one metric, from the raw tables. */
export function recountMetricSql(d: MetricDefinition, options: RecountOptions = {}): string {
  if (d.kind === "count") {
    const parts = d.parts.map((p) => partSelect(d.metric, p, { since: options.since }));
    return `select day, province_code::text as province_code, commune_code, metric, sum(n)::bigint as value from (${parts.join(" union all ")}) x group by 1, 2, 3, 4`;
  }
  const k = `(${keySelect(d.part, [d.key], { since: options.since })})`;
  return d.store.perArea
    ? `select day, province_code::text as province_code, commune_code, '${d.metric}' as metric, count(*)::bigint as value from (${storeRows(d, `${k} k`, "key0")}) x group by 1, 2, 3`
    : `select day, province_code::text as province_code, commune_code, '${d.metric}' as metric, count(*)::bigint as value from (${storeRows(d, `${k} k`, "key0")}) x where commune_code <> '' group by 1, 2, 3` +
        ` union all select day, province_code::text, '', '${d.metric}', count(*)::bigint from (${storeRows(d, `${k} k`, "key0")}) x group by 1, 2`;
}

/** Every metric, from the raw tables. */
export function recountSql(options: RecountOptions = {}): string {
  return DEFINITIONS.map((d) => recountMetricSql(d, options)).join("\nunion all\n");
}

/** The rows of a distinct metric's set `(day, province_code, commune_code, key)`, from the raw tables. */
export function recountStoreSql(d: DistinctMetric, options: RecountOptions = {}): string {
  return storeRows(d, `(${keySelect(d.part, [d.key], { since: options.since })}) k`, "key0");
}

/** A distinct metric counted from its set table (as the triggers keep it), `(day, province_code, commune_code, metric, value)`. */
export function countStoreSql(d: DistinctMetric, options: RecountOptions = {}): string {
  const where = options.since ? ` where day >= date '${options.since}'` : "";
  const rows = `(select day, province_code::text as province_code, commune_code from ${d.store.table}${where}) x`;
  return d.store.perArea
    ? `select day, province_code, commune_code, '${d.metric}' as metric, count(*)::bigint as value from ${rows} group by 1, 2, 3`
    : `select day, province_code, commune_code, '${d.metric}' as metric, count(*)::bigint as value from ${rows} where commune_code <> '' group by 1, 2, 3` +
        ` union all select day, province_code, '', '${d.metric}', count(*)::bigint from ${rows} group by 1, 2`;
}

export interface RollupDifference {
  table: string;
  day: string;
  provinceCode: string;
  communeCode: string;
  /** The metric, or the key of a set row. */
  what: string;
  expected: number;
  actual: number;
}

/**
 * What the roll-up tables hold that the recount does not (rows of value 0 count as absent):
 * empty when the triggers kept everything exact.
 */
export async function rollupDifferences(database: Database, limit = 50): Promise<RollupDifference[]> {
  const stats = await database.query<RollupDifference>(
    sql.raw(`
    with r as (${recountSql()}),
    s as (select day, province_code::text as province_code, commune_code, metric, value from daily_stats where value <> 0)
    select 'daily_stats' as "table", coalesce(r.day, s.day)::text as day, coalesce(r.province_code, s.province_code) as "provinceCode",
      coalesce(r.commune_code, s.commune_code) as "communeCode", coalesce(r.metric, s.metric) as what,
      coalesce(r.value, 0)::int as expected, coalesce(s.value, 0)::int as actual
    from r full join s on s.day = r.day and s.province_code = r.province_code and s.commune_code = r.commune_code and s.metric = r.metric
    where coalesce(r.value, 0) <> coalesce(s.value, 0)
    order by 2, 3, 4, 5 limit ${limit}`),
  );
  const sets: RollupDifference[] = [];
  for (const d of DEFINITIONS) {
    if (d.kind !== "distinct") continue;
    const rows = await database.query<RollupDifference>(
      sql.raw(`
      with r as (${recountStoreSql(d)}),
      s as (select day, province_code, commune_code, ${d.store.keyColumn} as key from ${d.store.table})
      select '${d.store.table}' as "table", coalesce(r.day, s.day)::text as day, coalesce(r.province_code, s.province_code)::text as "provinceCode",
        coalesce(r.commune_code, s.commune_code) as "communeCode", coalesce(r.key, s.key)::text as what,
        (r.key is not null)::int as expected, (s.key is not null)::int as actual
      from r full join s on s.day = r.day and s.province_code = r.province_code and s.commune_code = r.commune_code and s.key = r.key
      where r.key is null or s.key is null
      order by 2, 3, 4, 5 limit ${limit}`),
    );
    sets.push(...rows);
  }
  return [...stats, ...sets];
}
