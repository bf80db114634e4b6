/**
 * daily_province_stats (migration 0009) follows every change of daily_stats, on both engines:
 * inserts, upserts (insert … on conflict do update, as the roll-up triggers write), updates,
 * deletes and truncate. The expected totals are recounted from daily_stats by the rule of
 * docs/STATS.md: flow metrics summed over the province's rows, distinct counts (visitors,
 * venues_active) from the province row ''.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

type Total = { day: string; province_code: string; metric: string; value: number };

describe.each(engines())("province totals of the roll-ups on %s", (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
    await t.deps.database.query(sql`delete from daily_stats`);
  });
  afterAll(async () => t?.close());

  const q = <T>(s: ReturnType<typeof sql>) => t.deps.database.query<T>(s);
  const norm = (rows: Total[]) =>
    rows
      .map((r) => ({ day: String(r.day).slice(0, 10), province_code: r.province_code, metric: r.metric, value: Number(r.value) }))
      .filter((r) => r.value !== 0)
      .sort((a, b) => `${a.day}${a.province_code}${a.metric}`.localeCompare(`${b.day}${b.province_code}${b.metric}`));
  const kept = async () => norm(await q<Total>(sql`select day::text as day, province_code, metric, value from daily_province_stats`));
  const recount = async () =>
    norm(
      await q<Total>(sql`select day::text as day, province_code, metric, sum(value) as value from daily_stats
        where metric not in ('visitors', 'venues_active') or commune_code = '' group by 1, 2, 3`),
    );
  const upsert = (day: string, province: string, commune: string, metric: string, value: number) =>
    q(sql`insert into daily_stats as s (day, province_code, commune_code, metric, value) values (${day}, ${province}, ${commune}, ${metric}, ${value})
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value`);

  it("sums flow metrics over communes and takes distinct counts from the province row", async () => {
    await upsert("2026-03-01", "01", "00070", "checkins", 10);
    await upsert("2026-03-01", "01", "00004", "checkins", 5);
    await upsert("2026-03-01", "01", "", "checkins", 2);
    await upsert("2026-03-01", "01", "00070", "visitors", 8);
    await upsert("2026-03-01", "01", "00004", "visitors", 4);
    await upsert("2026-03-01", "01", "", "visitors", 11);
    await upsert("2026-03-01", "79", "26734", "cases_new", 9);
    expect(await kept()).toEqual([
      { day: "2026-03-01", province_code: "01", metric: "checkins", value: 17 },
      { day: "2026-03-01", province_code: "01", metric: "visitors", value: 11 },
      { day: "2026-03-01", province_code: "79", metric: "cases_new", value: 9 },
    ]);
  });

  it("follows upserts onto existing rows, updates, deletes and a multi-row statement", async () => {
    await upsert("2026-03-01", "01", "00070", "checkins", 3); // 10 → 13
    await upsert("2026-03-01", "01", "", "visitors", 1); // 11 → 12
    await upsert("2026-03-01", "01", "00070", "visitors", 100); // a commune's distinct count: no change to the province
    await q(sql`update daily_stats set value = value * 2 where metric = 'checkins'`); // 26 + 10 + 4
    await q(sql`delete from daily_stats where province_code = '79'`);
    await q(sql`insert into daily_stats (day, province_code, commune_code, metric, value) values
      ('2026-03-02', '01', '00070', 'doses_1', 4), ('2026-03-02', '01', '00004', 'doses_1', 6), ('2026-03-02', '48', '20194', 'doses_1', 1)`);
    const totals = await kept();
    expect(totals).toEqual(await recount());
    expect(totals).toEqual([
      { day: "2026-03-01", province_code: "01", metric: "checkins", value: 40 },
      { day: "2026-03-01", province_code: "01", metric: "visitors", value: 12 },
      { day: "2026-03-02", province_code: "01", metric: "doses_1", value: 10 },
      { day: "2026-03-02", province_code: "48", metric: "doses_1", value: 1 },
    ]);
  });

  it("is emptied with daily_stats by truncate, and starts again from the next rows", async () => {
    await q(sql`truncate daily_stats`);
    expect(await kept()).toEqual([]);
    await upsert("2026-03-05", "01", "00070", "samples", 7);
    expect(await kept()).toEqual([{ day: "2026-03-05", province_code: "01", metric: "samples", value: 7 }]);
  });
});
