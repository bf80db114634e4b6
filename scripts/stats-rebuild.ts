/**
 * `npm run stats:rebuild -- [--all] [--check] [--install-triggers]`: recomputes the daily roll-ups (daily_stats,
 * daily_visitors, daily_active_venues) from the raw tables in one transaction, in the database
 * the server is configured for (DATABASE_URL → PostgreSQL, else PGlite in DATA_DIR). For a
 * database whose roll-ups were lost, or whose data was loaded before the triggers (or with them
 * disabled). Safe while the platform runs: writers wait for it, readers do not.
 *
 *   --all     also recompute the check-in figures of days whose check-ins retention dropped
 *             (by default those figures are kept: docs/STATS.md, the figures outlive the raw rows)
 *   --check   change nothing: compare the roll-ups with a recount and list the differences
 *   --install-triggers
 *             (re)create the roll-up triggers first, for a database that applied migration 0008
 *             before it held them (the rebuild warns when they are missing)
 *
 * Progress goes to stderr; a summary and, last, one JSON line go to stdout.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { loadConfig } from "../server/config";
import { sql } from "drizzle-orm";
import { TRACKED_TABLES, rollupTriggerMigration } from "../server/stats/rollups/metrics";
import { rebuildRollups } from "../server/stats/rollups/rebuild";
import { rollupDifferences } from "../server/stats/rollups/recount";

async function main() {
  const { values } = parseArgs({
    options: { all: { type: "boolean", default: false }, check: { type: "boolean", default: false }, "install-triggers": { type: "boolean", default: false } },
  });
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 2 });
  try {
    if (values["install-triggers"]) {
      for (const statement of rollupTriggerMigration().split("--> statement-breakpoint")) await database.query(sql.raw(statement));
      console.error("Roll-up triggers installed.");
    }
    const [triggers] = await database.query<{ n: number | string }>(sql`select count(*) as n from pg_trigger where tgname like 'rollup\_%' and not tgisinternal`);
    if (Number(triggers?.n ?? 0) < TRACKED_TABLES.length * 3) {
      console.error("Warning: the roll-up triggers are missing (migration 0008 was applied before it held them): run with --install-triggers.");
    }
    if (values.check) {
      const diffs = await rollupDifferences(database, 100);
      for (const d of diffs) console.log(`${d.table} ${d.day} ${d.provinceCode}/${d.communeCode || "-"} ${d.what}: expected ${d.expected}, found ${d.actual}`);
      console.log(diffs.length ? `${diffs.length}${diffs.length >= 100 ? "+" : ""} difference(s) (npm run stats:rebuild fixes them)` : "The roll-ups equal a recount of the raw tables.");
      console.log(JSON.stringify({ stats: "check", differences: diffs.length }));
      process.exitCode = diffs.length ? 1 : 0;
      return;
    }
    console.error(`Rebuilding the roll-ups on ${database.engine === "postgres" ? "PostgreSQL" : "PGlite"} …`);
    const report = await rebuildRollups(database, {
      all: values.all,
      onProgress: (s) => console.error(`[${String(s.index).padStart(2)}/${s.total}] ${s.name.padEnd(34)} ${s.rows ? `${s.rows.toLocaleString("en-US")} rows `.padStart(16) : "".padStart(16)}${(s.ms / 1000).toFixed(1)} s`),
    });
    console.log(
      `Roll-ups rebuilt: ${report.statsRows.toLocaleString("en-US")} daily_stats rows in ${(report.ms / 1000).toFixed(1)} s` +
        (report.checkinsSince ? ` (check-in figures recomputed from ${report.checkinsSince}; earlier days kept)` : ""),
    );
    console.log(JSON.stringify({ stats: "rebuild", daily_stats_rows: report.statsRows, checkins_since: report.checkinsSince, ms: report.ms }));
  } finally {
    await database.close();
  }
}

main().catch((e) => {
  console.error(`stats:rebuild failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
