/**
 * The roll-up definitions (server/stats/rollups/metrics.ts): every metric of the schema is
 * defined exactly once, the committed trigger migration is exactly the SQL generated from the
 * definitions (so the triggers and the recount cannot drift apart), and the SQL fragments have
 * the shape the triggers rely on. `ROLLUP_WRITE_MIGRATION=1` rewrites the migration.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "../../db/client";
import { METRICS } from "../../db/schema";
import { DISTINCT_METRICS } from "../../server/stats/rollups/read";
import {
  CHECKIN_METRICS,
  DEFINITIONS,
  TRACKED_TABLES,
  checkDefinitions,
  dayExpr,
  fromSql,
  onDay,
  partSelect,
  rollupTriggerMigration,
  triggerFunction,
} from "../../server/stats/rollups/metrics";
import { recountSql } from "../../server/stats/rollups/recount";

const FILE = join(migrationsFolder, "0008_rollup_triggers.sql");

describe("roll-up metric definitions", () => {
  it("defines every metric of the schema exactly once", () => {
    expect(checkDefinitions()).toEqual([]);
    expect(DEFINITIONS.map((d) => d.metric).sort()).toEqual([...METRICS].sort());
    expect(DISTINCT_METRICS).toEqual(["visitors", "venues_active"]);
    expect(CHECKIN_METRICS).toEqual(["checkins", "visitors", "venues_active"]);
    expect(TRACKED_TABLES).toEqual(["checkins", "declarations", "test_samples", "test_pools", "vaccinations", "cases", "contacts", "follow_ups"]);
  });

  it("the committed migration 0008 is the SQL generated from the definitions", () => {
    const generated = rollupTriggerMigration();
    if (process.env.ROLLUP_WRITE_MIGRATION === "1") writeFileSync(FILE, generated);
    expect(readFileSync(FILE, "utf8"), "run ROLLUP_WRITE_MIGRATION=1 npx vitest run tests/unit/rollup-metrics.test.ts").toBe(generated);
    // One function and three single-event triggers per tracked table, split for drizzle's migrator.
    const statements = generated.split("\n--> statement-breakpoint\n");
    expect(statements).toHaveLength(TRACKED_TABLES.length * 7);
    for (const t of TRACKED_TABLES) {
      for (const op of ["insert", "update", "delete"]) {
        expect(generated).toContain(`create trigger rollup_${t}_${op} after ${op} on ${t} referencing`);
      }
    }
    expect(generated).not.toMatch(/for each row/);
  });

  it("days are Vietnamese calendar days; date columns are taken as they are", () => {
    expect(dayExpr({ column: "c.checked_in_at", kind: "timestamptz" })).toBe("(c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date");
    expect(dayExpr({ column: "d.day", kind: "date" })).toBe("d.day");
    expect(onDay({ column: "c.checked_in_at", kind: "timestamptz" }, "r.day")).toBe(
      "c.checked_in_at >= (r.day::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.checked_in_at < ((r.day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')",
    );
  });

  it("the trigger reads the transition table under the raw table's alias, the recount the raw table", () => {
    const checkins = DEFINITIONS.find((d) => d.metric === "checkins")!;
    const part = checkins.kind === "count" ? checkins.parts[0]! : null!;
    expect(fromSql(part)).toBe("checkins c left join venues v on v.id = c.venue_id and v.province_code = c.province_code");
    expect(fromSql(part, { table: "checkins", by: "new_rows" })).toBe("new_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code");
    expect(partSelect("checkins", part, { sign: -1 })).toContain("'checkins' as metric, -1 as n from checkins c");
    // A pool member's negative result moves with the pool (pool trigger) and with the sample (sample trigger).
    const negative = DEFINITIONS.find((d) => d.metric === "results_negative")!;
    expect(negative.kind === "count" && negative.parts).toHaveLength(2);
    expect(triggerFunction("test_pools")).toContain("from test_samples s join new_rows p on p.id = s.pool_id where (s.result is null and p.result = 'negative')");
    expect(triggerFunction("test_samples")).toContain("from new_rows s join test_pools p on p.id = s.pool_id where (s.result is null and p.result = 'negative')");
    expect(recountSql()).not.toMatch(/new_rows|old_rows/);
  });
});
