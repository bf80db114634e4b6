/**
 * The synthetic seed (`npm run seed`, and the benchmarks' loads) runs its bulk loads with the
 * roll-up triggers off and recounts the roll-ups afterwards: after a seed daily_stats adds up to
 * the raw rows, and the triggers are on again for everything written later. With
 * `rollups: "skip"` the loaded rows are not in daily_stats until a rebuild, which shows the
 * triggers really were off during the load.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSynthetic, type ProgressReporter, type SyntheticOptions } from "../../scripts/lib/synthetic";
import { rebuildRollups } from "../../server/stats/rollups/rebuild";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const quiet: ProgressReporter = { start: () => ({ tick() {}, note() {}, done() {} }) };

describe.each(engines())("synthetic seed and the roll-ups on %s", (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
  });
  afterAll(async () => t?.close());

  const one = async <T>(q: ReturnType<typeof sql>) => (await t.deps.database.query<T>(q))[0]!;
  const rawCheckins = async () => Number((await one<{ n: string }>(sql`select count(*)::text as n from checkins`)).n);
  const rolledCheckins = async () =>
    Number((await one<{ n: string | null }>(sql`select coalesce(sum(value), 0)::text as n from daily_stats where metric = 'checkins'`)).n);
  const triggerStates = async () =>
    (await t.deps.database.query<{ tgname: string; tgenabled: string }>(
      sql`select tgname, tgenabled from pg_trigger where tgrelid in ('checkins'::regclass, 'people'::regclass, 'venues'::regclass) and not tgisinternal order by tgname`,
    )).map((r) => `${r.tgname}:${r.tgenabled}`);
  const options = (seed: number, extra: Partial<SyntheticOptions> = {}): SyntheticOptions => ({
    people: 300,
    venues: 20,
    checkins: 2500,
    days: 3,
    provinces: ["01"],
    communesPerProvince: 5,
    seed,
    progress: quiet,
    log: () => {},
    ...extra,
  });

  it("recounts the roll-ups after the load, and leaves the triggers on", async () => {
    const before = await triggerStates();
    expect(before.some((s) => s.startsWith("rollup_checkins_insert"))).toBe(true);
    const result = await seedSynthetic(t.deps.database, options(7));
    expect(result.tables.checkins.rows).toBe(2500);
    expect(await rolledCheckins()).toBe(await rawCheckins());
    expect(await triggerStates()).toEqual(before);
    expect(before.every((s) => s.endsWith(":O"))).toBe(true);
  });

  it('with rollups: "skip" the loaded rows bypass the triggers until a rebuild', async () => {
    const rolledBefore = await rolledCheckins();
    await seedSynthetic(t.deps.database, options(8, { rollups: "skip" }));
    expect(await rolledCheckins()).toBe(rolledBefore);
    expect(await rawCheckins()).toBe(rolledBefore + 2500);
    await rebuildRollups(t.deps.database);
    expect(await rolledCheckins()).toBe(await rawCheckins());
  });

  it("a check-in written after the seed is counted by the trigger", async () => {
    const before = await rolledCheckins();
    await t.deps.database.query(
      sql`insert into checkins (id, province_code, venue_id, person_id, method)
          select gen_random_uuid(), v.province_code, v.id, p.id, 'staff_typed' from venues v, people p limit 1`,
    );
    expect(await rolledCheckins()).toBe(before + 1);
  });
});
