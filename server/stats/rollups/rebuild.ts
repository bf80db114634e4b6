/**
 * Recomputes the roll-ups (`daily_stats`, `daily_visitors`, `daily_active_venues`) from the raw
 * tables by the definitions of metrics.ts, in ONE transaction: for a database whose roll-ups were
 * lost, or whose data came before the triggers (`npm run stats:rebuild`).
 *
 * The tables are locked against writers for the duration (readers go on): a concurrent write's
 * trigger waits and adds its change on top of the recount once it is committed, so nothing is
 * lost or counted twice.
 *
 * Retention drops the raw check-ins of old days but their figures stay (docs/STATS.md), so the
 * check-in metrics are recomputed only from the oldest day that still has its check-ins (the
 * oldest day partition, or older rows of the default partition); the figures of the days before
 * are kept as they are. `all: true` recomputes every day (what the raw tables say, nothing more).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { rowsOf } from "../../../db/client";
import { listPartitions } from "../../checkins/partitions";
import { CHECKIN_METRICS, DEFINITIONS, TIME_ZONE, type DistinctMetric } from "./metrics";
import { countStoreSql, recountMetricSql, recountStoreSql } from "./recount";

export interface RebuildOptions {
  /** Recompute the check-in metrics of every day, even those whose raw check-ins retention dropped. */
  all?: boolean;
  /** Called after each step with what it did. */
  onProgress?: (step: RebuildStep) => void;
}

export interface RebuildStep {
  index: number;
  total: number;
  name: string;
  rows: number;
  ms: number;
}

export interface RebuildReport {
  /** Check-in figures before this day were kept (null: every day recomputed). */
  checkinsSince: string | null;
  steps: RebuildStep[];
  /** daily_stats rows written. */
  statsRows: number;
  ms: number;
}

/** The oldest day that still has its check-ins: the oldest day partition, or an older row of the default partition. */
export async function oldestCheckinDay(database: Database): Promise<string | null> {
  const days = (await listPartitions(database)).map((n) => `${n.slice(10, 14)}-${n.slice(14, 16)}-${n.slice(16, 18)}`);
  const [row] = await database.query<{ day: string | null }>(sql.raw(`select min((checked_in_at at time zone '${TIME_ZONE}')::date)::text as day from checkins_default`));
  if (row?.day) days.push(row.day);
  return days.length ? days.sort()[0]! : null;
}

export async function rebuildRollups(database: Database, options: RebuildOptions = {}): Promise<RebuildReport> {
  const t0 = performance.now();
  const since = options.all ? null : await oldestCheckinDay(database);
  const checkinMetrics = new Set<string>(CHECKIN_METRICS);
  const distinct = DEFINITIONS.filter((d): d is DistinctMetric => d.kind === "distinct");
  const total = 2 + 2 * distinct.length + DEFINITIONS.length;
  const steps: RebuildStep[] = [];
  let statsRows = 0;

  await database.db.transaction(async (tx) => {
    const run = async (name: string, text: string, counted = false) => {
      const started = performance.now();
      const result = rowsOf<{ n: number | string }>(await tx.execute(sql.raw(counted ? `with w as (${text} returning 1) select count(*) as n from w` : text)));
      const step = { index: steps.length + 1, total, name, rows: counted ? Number(result[0]?.n ?? 0) : 0, ms: Math.round(performance.now() - started) };
      steps.push(step);
      options.onProgress?.(step);
      return step.rows;
    };
    // Writers wait (their triggers add on top once this commits); readers go on; two rebuilds queue.
    await run("lock", "lock table daily_stats, daily_visitors, daily_active_venues in share row exclusive mode");
    const checkinList = [...checkinMetrics].map((m) => `'${m}'`).join(", ");
    const keep = since ? ` where not (metric in (${checkinList}) and day < date '${since}')` : "";
    const keepDay = since ? ` where day >= date '${since}'` : "";
    await run("clear daily_stats", `delete from daily_stats${keep}`);
    for (const d of distinct) await run(`clear ${d.store.table}`, `delete from ${d.store.table}${keepDay}`);
    for (const d of distinct) {
      await run(
        d.store.table,
        `insert into ${d.store.table} (day, province_code, commune_code, ${d.store.keyColumn}) select day, province_code, commune_code, key from (${recountStoreSql(d, { since: since ?? undefined })}) r`,
        true,
      );
    }
    for (const d of DEFINITIONS) {
      const opts = checkinMetrics.has(d.metric) && since ? { since } : {};
      // A distinct count is the size of its set, just rebuilt (the same recount, without a second pass over the check-ins).
      const values = d.kind === "distinct" ? countStoreSql(d, opts) : recountMetricSql(d, opts);
      statsRows += await run(`daily_stats ${d.metric}`, `insert into daily_stats (day, province_code, commune_code, metric, value) select * from (${values}) r where value <> 0`, true);
    }
  });
  return { checkinsSince: since, steps, statsRows, ms: Math.round(performance.now() - t0) };
}
