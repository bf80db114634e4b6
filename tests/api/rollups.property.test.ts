/**
 * The daily roll-ups (docs/STATS.md "Roll-ups") on both engines: the statement-level triggers of
 * migration 0008 keep daily_stats, daily_visitors and daily_active_venues equal to a recount of
 * the raw tables by the definitions of server/stats/rollups/metrics.ts.
 *  - exact figures for every metric after inserts, updates and deletes (check-ins through the
 *    writer and by SQL, Vietnamese day boundaries, distinct visitors and venues, pool members
 *    counted by the pool's result unless their own is set, doses by number, case and contact
 *    statuses, follow-ups replaced by upsert), and the unit sums of read.ts;
 *  - a fast-check property: random sequences of inserts, updates and deletes over all the raw
 *    tables, single- and multi-row, leave the roll-ups equal to the recount;
 *  - the rebuild restores lost roll-ups exactly, and keeps the check-in figures of days whose
 *    partitions retention dropped.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vnDay } from "../../server/checkins/colour";
import { dropExpiredPartitions, listPartitions } from "../../server/checkins/partitions";
import { readSeries, readStocks, readTotals } from "../../server/stats/rollups/read";
import { oldestCheckinDay, rebuildRollups } from "../../server/stats/rollups/rebuild";
import { rollupDifferences } from "../../server/stats/rollups/recount";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const HOUR = 3600_000;
/** A past day with no demo data (its check-ins land in the default partition). */
const D = "2026-06-15";
const D1 = "2026-06-16";
const D2 = "2026-06-17";
/** An instant of a Vietnamese day: `vn(D, "08:00")`. */
const vn = (day: string, time: string) => new Date(`${day}T${time}:00+07:00`);

describe.each(engines())("daily roll-ups on %s", (engine) => {
  let t: TestPlatform;
  const venue = { a: randomUUID(), b: randomUUID(), c: randomUUID(), hcm: randomUUID() };

  const run = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.deps.database.run<T>(text, params);
  const one = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => (await run<T>(text, params))[0]!;

  /** Non-zero daily_stats of a day and province, as { "metric@commune": value }, for the given metrics. */
  async function stats(day: string, province: string, metrics: string[]): Promise<Record<string, number>> {
    const rows = await run<{ metric: string; commune_code: string; value: string | number }>(
      `select metric, commune_code, value from daily_stats where day = $1::date and province_code = $2 and value <> 0 order by metric, commune_code`,
      [day, province],
    );
    return Object.fromEntries(rows.filter((r) => metrics.includes(r.metric)).map((r) => [`${r.metric}@${r.commune_code}`, Number(r.value)]));
  }

  async function expectExact() {
    expect(await rollupDifferences(t.deps.database)).toEqual([]);
  }

  const checkin = (venueId: string, personId: string, at: Date, provinceCode = "01") =>
    run(`insert into checkins (id, province_code, venue_id, person_id, checked_in_at, method) values ($1, $2, $3, $4, $5, 'staff_typed')`, [randomUUID(), provinceCode, venueId, personId, at.toISOString()]);

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    await run(
      `insert into venues (id, province_code, commune_code, name, category, address, status) values
        ($1, '01', '00070', 'Quán A', 'restaurant', 'Hoàn Kiếm', 'active'),
        ($2, '01', '00082', 'Quán B', 'restaurant', 'Cửa Nam', 'active'),
        ($3, '01', null, 'Quán C (no commune)', 'restaurant', 'Hà Nội', 'active'),
        ($4, '79', '26734', 'Quán D', 'restaurant', 'Sài Gòn', 'active')`,
      [venue.a, venue.b, venue.c, venue.hcm],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it("the demo data went through the triggers: the roll-ups equal the recount", async () => {
    const [n] = await run<{ n: number }>(`select count(*)::int as n from daily_stats where metric = 'checkins' and value > 0`);
    expect(n!.n).toBeGreaterThan(0);
    const [raw] = await run<{ n: number }>(`select count(*)::int as n from checkins`);
    const [sum] = await run<{ n: number }>(`select coalesce(sum(value), 0)::int as n from daily_stats where metric = 'checkins'`);
    expect(sum!.n).toBe(raw!.n);
    await expectExact();
  });

  it("check-ins, visitors and active venues: per commune, per province (commune ''), on Vietnamese days, through the writer and by SQL", async () => {
    const x = randomUUID();
    const y = randomUUID();
    const w = t.deps.checkinWriter;
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    // Four through the writer, in one batch (one statement): X twice at A, Y at A, X at B.
    const written = await Promise.all([
      w.write({ id: ids[0]!, provinceCode: "01", venueId: venue.a, personId: x, checkedInAt: vn(D, "08:00"), method: "citizen_scan" }),
      w.write({ id: ids[1]!, provinceCode: "01", venueId: venue.a, personId: x, checkedInAt: vn(D, "09:00"), method: "citizen_scan" }),
      w.write({ id: ids[2]!, provinceCode: "01", venueId: venue.a, personId: y, checkedInAt: vn(D, "10:00"), method: "citizen_scan" }),
      w.write({ id: ids[3]!, provinceCode: "01", venueId: venue.b, personId: x, checkedInAt: vn(D, "11:00"), method: "citizen_scan" }),
    ]);
    expect(written.map((r) => r.inserted)).toEqual([true, true, true, true]);
    // By SQL: Y at C (no commune), X at C one second before midnight (still D), Y at A at midnight (D+1).
    await checkin(venue.c, y, vn(D, "12:00"));
    await checkin(venue.c, x, new Date(vn(D1, "00:00").getTime() - 1000));
    await checkin(venue.a, y, vn(D1, "00:00"));
    const M = ["checkins", "visitors", "venues_active"];
    expect(await stats(D, "01", M)).toEqual({
      "checkins@": 2,
      "checkins@00070": 3,
      "checkins@00082": 1,
      "venues_active@": 3,
      "venues_active@00070": 1,
      "venues_active@00082": 1,
      "visitors@": 2,
      "visitors@00070": 2,
      "visitors@00082": 1,
    });
    expect(await stats(D1, "01", M)).toEqual({ "checkins@00070": 1, "venues_active@": 1, "venues_active@00070": 1, "visitors@": 1, "visitors@00070": 1 });
    // The unit sums of read.ts: a province sums its communes' flows, but takes its own distinct rows.
    const [province] = await readSeries(t.deps.database, { provinceCode: "01" }, D, D, ["checkins", "visitors", "venues_active"]);
    expect([province!.checkins, province!.visitors, province!.venues_active]).toEqual([6, 2, 3]);
    const [commune] = await readSeries(t.deps.database, { provinceCode: "01", communeCode: "00070" }, D, D, ["checkins", "visitors", "venues_active"]);
    expect([commune!.checkins, commune!.visitors, commune!.venues_active]).toEqual([3, 2, 1]);
    const [communeAlone] = await readSeries(t.deps.database, { communeCode: "00070" }, D, D, ["checkins"]);
    expect(communeAlone!.checkins).toBe(3);
    const country = await readTotals(t.deps.database, {}, D, D1, ["checkins", "visitors", "venues_active"]);
    expect([country.checkins, country.visitors, country.venues_active]).toEqual([7, 3, 4]);
    const visitorRows = await run<{ commune_code: string; person_id: string }>(`select commune_code, person_id from daily_visitors where day = $1::date and province_code = '01' and person_id in ($2, $3)`, [D, x, y]);
    expect(visitorRows.map((r) => `${r.commune_code || "-"}/${r.person_id === x ? "x" : "y"}`).sort()).toEqual(["-/x", "-/y", "00070/x", "00070/y", "00082/x"]);

    // A replay through the writer stores nothing and counts nothing.
    const replay = await w.write({ id: ids[0]!, provinceCode: "01", venueId: venue.a, personId: x, checkedInAt: vn(D, "08:00"), method: "citizen_scan" });
    expect(replay.inserted).toBe(false);
    // Check-outs (updates of other columns, many rows in one statement) change nothing.
    await run(`update checkins set checked_out_at = checked_in_at + interval '30 minutes' where person_id in ($1, $2)`, [x, y]);
    expect((await stats(D, "01", M))["checkins@00070"]).toBe(3);

    // X's only check-in at B goes: B's figures fall to 0, the province's visitors stay 2 (X was at A and C), its active venues 2.
    await run(`delete from checkins where id = $1`, [ids[3]]);
    expect(await stats(D, "01", M)).toEqual({ "checkins@": 2, "checkins@00070": 3, "venues_active@": 2, "venues_active@00070": 1, "visitors@": 2, "visitors@00070": 2 });
    // One of X's two check-ins at A goes: X still visited A that day.
    await run(`delete from checkins where id = $1`, [ids[0]]);
    expect((await stats(D, "01", M))["visitors@00070"]).toBe(2);
    // Y's D+1 check-in moves from A to B (an update of the venue): the area follows.
    await run(`update checkins set venue_id = $1 where person_id = $2 and checked_in_at = $3`, [venue.b, y, vn(D1, "00:00").toISOString()]);
    expect(await stats(D1, "01", M)).toEqual({ "checkins@00082": 1, "venues_active@": 1, "venues_active@00082": 1, "visitors@": 1, "visitors@00082": 1 });
    // And back a day (an update of the partition key): D gains it, D+1 is empty.
    await run(`update checkins set checked_in_at = $1 where person_id = $2 and checked_in_at = $3`, [vn(D, "20:00").toISOString(), y, vn(D1, "00:00").toISOString()]);
    expect(await stats(D1, "01", M)).toEqual({});
    expect(await stats(D, "01", M)).toEqual({
      "checkins@": 2,
      "checkins@00070": 2,
      "checkins@00082": 1,
      "venues_active@": 3,
      "venues_active@00070": 1,
      "venues_active@00082": 1,
      "visitors@": 2,
      "visitors@00070": 2,
      "visitors@00082": 1,
    });
    await expectExact();
  });

  it.runIf(engine === "postgres")("a person's last check-in in a commune deleted while one in another commune is being written: the province's set stays exact", async () => {
    const pg = t.deps.database.pg!;
    const E = "2026-06-20";
    const x = randomUUID();
    await checkin(venue.a, x, vn(E, "08:00"));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((r) => (inserted = r));
    // T2 writes X's check-in at B (X is already in the province's set: nothing to add there) and stays open…
    const t2 = pg.begin(async (tx) => {
      await tx.unsafe(`insert into checkins (id, province_code, venue_id, person_id, checked_in_at, method) values ($1, '01', $2, $3, $4, 'citizen_scan')`, [randomUUID(), venue.b, x, vn(E, "09:00").toISOString()]);
      inserted();
      await held;
    });
    await insertedYet;
    // …while T1 deletes X's check-in at A: it must not take X out of the province's set (it waits for T2, then sees B's).
    const t1 = pg.unsafe(`delete from checkins where person_id = $1 and checked_in_at = $2`, [x, vn(E, "08:00").toISOString()]).execute(); // sent now (postgres.js queries are lazy)
    await new Promise((r) => setTimeout(r, 150));
    release();
    await Promise.all([t1, t2]);
    expect(await stats(E, "01", ["checkins", "visitors", "venues_active"])).toEqual({
      "checkins@00082": 1,
      "venues_active@": 1,
      "venues_active@00082": 1,
      "visitors@": 1,
      "visitors@00082": 1,
    });
    await expectExact();
  });

  it("declarations and risky declarations on the declaration's day and area", async () => {
    const declare = (province: string, commune: string | null, risk: string, day = D) =>
      one<{ id: string }>(
        `insert into declarations (province_code, commune_code, person_id, kind, full_name, birth_year, risk, day) values ($1, $2, $3, 'domestic', 'Lê Văn Tám', 1980, $4, $5::date) returning id`,
        [province, commune, randomUUID(), risk, day],
      );
    const none = await declare("01", "00070", "none");
    const watch = await declare("01", "00070", "watch");
    await declare("01", "00070", "follow_up");
    await declare("01", null, "follow_up");
    await declare("79", "26734", "follow_up");
    const M = ["declarations", "declarations_risky"];
    expect(await stats(D, "01", M)).toEqual({ "declarations@": 1, "declarations@00070": 3, "declarations_risky@": 1, "declarations_risky@00070": 1 });
    expect(await stats(D, "79", M)).toEqual({ "declarations@26734": 1, "declarations_risky@26734": 1 });
    await run(`update declarations set risk = 'follow_up' where id = $1`, [none.id]);
    await run(`delete from declarations where id = $1`, [watch.id]);
    expect(await stats(D, "01", M)).toEqual({ "declarations@": 1, "declarations@00070": 2, "declarations_risky@": 1, "declarations_risky@00070": 2 });
    await expectExact();
  });

  it("samples and results: individual results, a negative pool's members on the pool's day in their own area, own results first", async () => {
    const campaign = randomUUID();
    const site = randomUUID();
    const sample = (commune: string, taken: Date, result: string | null = null, resultAt: Date | null = null) =>
      one<{ id: string }>(
        `insert into test_samples (province_code, commune_code, campaign_id, site_id, person_id, barcode, test_type, taken_at, result, result_at)
         values ('01', $1, $2, $3, $4, $5, 'pcr', $6, $7, $8) returning id`,
        [commune, campaign, site, randomUUID(), `S-T-${randomUUID()}`, taken.toISOString(), result, resultAt?.toISOString() ?? null],
      );
    await sample("00070", vn(D, "08:00"), "positive", vn(D, "15:00"));
    await sample("00070", vn(D, "08:10"), "negative", vn(D, "15:00"));
    await sample("00070", vn(D, "08:20"), "invalid", vn(D, "15:00"));
    const m1 = await sample("00070", vn(D, "09:00"));
    const m2 = await sample("00070", vn(D, "09:01"));
    const m3 = await sample("00118", vn(D, "09:02"));
    const m4 = await sample("00070", vn(D, "09:03"));
    const S = ["samples", "results_negative", "results_positive", "results_invalid", "pools_resulted", "pools_positive"];
    expect(await stats(D, "01", S)).toEqual({
      "results_invalid@00070": 1,
      "results_negative@00070": 1,
      "results_positive@00070": 1,
      "samples@00070": 6,
      "samples@00118": 1,
    });
    // A pool of the commune 00082 with four members; m4's own result (a retest) is positive.
    const pool = await one<{ id: string }>(
      `insert into test_pools (province_code, commune_code, campaign_id, site_id, code, max_size, status) values ('01', '00082', $1, $2, $3, 5, 'sealed') returning id`,
      [campaign, site, `P-T-${randomUUID()}`],
    );
    await run(`update test_samples set pool_id = $1 where id in ($2, $3, $4, $5)`, [pool.id, m1.id, m2.id, m3.id, m4.id]);
    await run(`update test_samples set result = 'positive', result_at = $1 where id = $2`, [vn(D1, "11:00").toISOString(), m4.id]);
    await run(`update test_pools set status = 'resulted', result = 'negative', result_at = $1 where id = $2`, [vn(D1, "10:00").toISOString(), pool.id]);
    expect(await stats(D1, "01", S)).toEqual({ "pools_resulted@00082": 1, "results_negative@00070": 2, "results_negative@00118": 1, "results_positive@00070": 1 });
    // The lab corrects the pool to positive: its members are no longer negative.
    await run(`update test_pools set result = 'positive' where id = $1`, [pool.id]);
    expect(await stats(D1, "01", S)).toEqual({ "pools_positive@00082": 1, "pools_resulted@00082": 1, "results_positive@00070": 1 });
    // Negative again, recorded a day later: the members count on D+2.
    await run(`update test_pools set result = 'negative', result_at = $1 where id = $2`, [vn(D2, "10:00").toISOString(), pool.id]);
    expect(await stats(D2, "01", S)).toEqual({ "pools_resulted@00082": 1, "results_negative@00070": 2, "results_negative@00118": 1 });
    // m2 gets its own (invalid) result: it counts by it, not by the pool's.
    await run(`update test_samples set result = 'invalid', result_at = $1 where id = $2`, [vn(D2, "12:00").toISOString(), m2.id]);
    // m1 leaves the pool.
    await run(`update test_samples set pool_id = null where id = $1`, [m1.id]);
    expect(await stats(D2, "01", S)).toEqual({ "pools_resulted@00082": 1, "results_invalid@00070": 1, "results_negative@00118": 1 });
    // The pool is deleted: its remaining member m3 is no longer a negative.
    await run(`delete from test_pools where id = $1`, [pool.id]);
    expect(await stats(D2, "01", S)).toEqual({ "results_invalid@00070": 1 });
    await run(`delete from test_samples where id = $1`, [m3.id]);
    expect((await stats(D, "01", S))["samples@00118"]).toBeUndefined();
    await expectExact();
  });

  it("doses by dose number (3 = third and later) on the day given", async () => {
    const dose = (n: number, province = "01", commune: string | null = "00070") =>
      one<{ id: string }>(
        `insert into vaccinations (province_code, commune_code, person_id, product_code, lot_id, dose_number, given_on, site_id) values ($1, $2, $3, 'AZ', $4, $5, $6::date, $7) returning id`,
        [province, commune, randomUUID(), randomUUID(), n, D, randomUUID()],
      );
    await dose(1);
    const second = await dose(2);
    await dose(3);
    const fourth = await dose(4);
    await dose(1, "01", null);
    const M = ["doses_1", "doses_2", "doses_3"];
    expect(await stats(D, "01", M)).toEqual({ "doses_1@": 1, "doses_1@00070": 1, "doses_2@00070": 1, "doses_3@00070": 2 });
    await run(`update vaccinations set dose_number = 3 where id = $1`, [second.id]);
    await run(`update vaccinations set given_on = $1::date where id = $2`, [D1, fourth.id]);
    expect(await stats(D, "01", M)).toEqual({ "doses_1@": 1, "doses_1@00070": 1, "doses_3@00070": 2 });
    expect(await stats(D1, "01", M)).toEqual({ "doses_3@00070": 1 });
    await run(`delete from vaccinations where id = $1`, [fourth.id]);
    expect(await stats(D1, "01", M)).toEqual({});
    // Cumulative doses up to a day (coverage) and the totals of a range.
    expect((await readStocks(t.deps.database, { provinceCode: "01", communeCode: "00070" }, D)).doses_3).toBe(2);
    expect((await readTotals(t.deps.database, { provinceCode: "01" }, D, D)).doses_1).toBe(2);
    await expectExact();
  });

  it("cases by confirmation day and current status; contacts by degree and status; follow-ups and those reached", async () => {
    const newCase = (commune: string | null) =>
      one<{ id: string }>(`insert into cases (province_code, commune_code, person_id, confirmed_on, method) values ('01', $1, $2, $3::date, 'pcr') returning id`, [commune, randomUUID(), D]);
    const c1 = await newCase("00070");
    const c2 = await newCase("00070");
    const c3 = await newCase("00070");
    await newCase(null);
    const C = ["cases_new", "cases_active", "cases_recovered", "cases_died"];
    expect(await stats(D, "01", C)).toEqual({ "cases_active@": 1, "cases_active@00070": 3, "cases_new@": 1, "cases_new@00070": 3 });
    await run(`update cases set status = 'recovered' where id = $1`, [c2.id]);
    await run(`update cases set status = 'died' where id = $1`, [c3.id]);
    expect(await stats(D, "01", C)).toEqual({ "cases_active@": 1, "cases_active@00070": 1, "cases_died@00070": 1, "cases_new@": 1, "cases_new@00070": 3, "cases_recovered@00070": 1 });
    await run(`delete from cases where id = $1`, [c3.id]);
    expect(await stats(D, "01", C)).toEqual({ "cases_active@": 1, "cases_active@00070": 1, "cases_new@": 1, "cases_new@00070": 2, "cases_recovered@00070": 1 });
    // F0 active now in the commune: Σ cases_active up to today.
    expect((await readStocks(t.deps.database, { provinceCode: "01", communeCode: "00070" }, D)).cases_active).toBe(1);

    const contact = (degree: number, status: string, created: Date) =>
      one<{ id: string; province_code: string; commune_code: string }>(
        `insert into contacts (province_code, commune_code, case_id, case_province_code, person_id, degree, source, first_exposure_at, last_exposure_at, status, quarantine_until, created_at)
         values ('01', '00082', $1, '01', $2, $3, 'household', $4, $4, $5, $6::date, $4) returning id, province_code, commune_code`,
        [c1.id, randomUUID(), degree, created.toISOString(), status, D2],
      );
    const f1a = await contact(1, "quarantined", vn(D, "10:00"));
    await contact(1, "notified", vn(D, "23:30"));
    const f2 = await contact(2, "identified", vn(D, "06:59"));
    await contact(2, "identified", new Date(vn(D, "00:00").getTime() - 1000)); // the day before
    const K = ["f1_identified", "f2_identified", "contacts_quarantined"];
    expect(await stats(D, "01", K)).toEqual({ "contacts_quarantined@00082": 1, "f1_identified@00082": 2, "f2_identified@00082": 1 });
    await run(`update contacts set degree = 1, status = 'quarantined' where id = $1`, [f2.id]);
    await run(`update contacts set status = 'released' where id = $1`, [f1a.id]);
    expect(await stats(D, "01", K)).toEqual({ "contacts_quarantined@00082": 1, "f1_identified@00082": 3 });

    // Follow-ups: one per contact and day; sending again replaces it (insert … on conflict do update).
    const follow = (contactId: string, day: string, reached: boolean) =>
      run(
        `insert into follow_ups (province_code, commune_code, contact_id, day, reached) values ('01', '00082', $1, $2::date, $3)
         on conflict (contact_id, day) do update set reached = excluded.reached`,
        [contactId, day, reached],
      );
    await follow(f1a.id, D, true);
    await follow(f2.id, D, true);
    await follow(f1a.id, D, false);
    await follow(f1a.id, D1, true);
    const F = ["follow_ups", "follow_ups_reached"];
    expect(await stats(D, "01", F)).toEqual({ "follow_ups@00082": 2, "follow_ups_reached@00082": 1 });
    expect(await stats(D1, "01", F)).toEqual({ "follow_ups@00082": 1, "follow_ups_reached@00082": 1 });
    await run(`delete from follow_ups where contact_id = $1`, [f2.id]);
    expect(await stats(D, "01", F)).toEqual({ "follow_ups@00082": 1 });
    await expectExact();
  });

  it("property: any sequence of inserts, updates and deletes leaves the roll-ups equal to a recount", async () => {
    const now = t.deps.now().getTime();
    const venues = (await run<{ id: string; province_code: string }>(`select id, province_code from venues order by id`)).map((v) => ({ id: v.id, province: v.province_code }));
    const people = Array.from({ length: 6 }, () => randomUUID());
    const AREAS = [
      ["01", "00070"],
      ["01", "00082"],
      ["01", null],
      ["79", "26734"],
    ] as const;
    const COMMUNE_AREAS = AREAS.filter((a) => a[1] !== null) as unknown as [string, string][];
    const campaign = randomUUID();
    const site = randomUUID();

    // Instants from 40 days ago (the default partition) to tomorrow, minute-precise to cross Vietnamese midnights.
    const instant = fc.oneof(fc.integer({ min: -6 * 24 * 60, max: 30 * 60 }), fc.integer({ min: -40 * 24 * 60, max: -39 * 24 * 60 })).map((m) => new Date(now + m * 60_000));
    const dayOf = instant.map((d) => vnDay(d));
    const pick = fc.nat({ max: 1000 });
    const many = fc.integer({ min: 1, max: 4 });
    const area = fc.constantFrom(...AREAS);
    const communeArea = fc.constantFrom(...COMMUNE_AREAS);
    const checkinRow = fc.record({ venue: pick, person: fc.nat({ max: people.length - 1 }), at: instant });
    const result = fc.constantFrom("negative", "positive", "invalid", null);

    const command = fc.oneof(
      { weight: 2, arbitrary: fc.record({ k: fc.constant("writer" as const), rows: fc.array(checkinRow, { minLength: 1, maxLength: 6 }) }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("checkinsSql" as const), rows: fc.array(checkinRow, { minLength: 1, maxLength: 6 }) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("checkout" as const), from: pick, n: many }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("moveCheckin" as const), from: pick, n: many, field: fc.constantFrom("time", "venue", "person"), to: checkinRow }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("deleteCheckins" as const), from: pick, n: many }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("declare" as const), area, day: dayOf, risk: fc.constantFrom("none", "watch", "follow_up") }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("declarationChange" as const), from: pick, n: many, risk: fc.constantFrom("none", "watch", "follow_up"), day: fc.option(dayOf) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("deleteDeclarations" as const), from: pick, n: many }) },
      { weight: 3, arbitrary: fc.record({ k: fc.constant("sample" as const), area: communeArea, at: instant, result, resultAt: instant }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("sampleResult" as const), from: pick, n: many, result, at: instant }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("pool" as const), area: communeArea, from: pick, n: fc.integer({ min: 1, max: 5 }) }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("poolMembers" as const), from: pick, n: many, pool: pick, leave: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("poolResult" as const), from: pick, n: fc.integer({ min: 1, max: 2 }), result, at: instant }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("deleteSamples" as const), from: pick, n: many }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("deletePools" as const), from: pick, n: fc.constant(1) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("dose" as const), area, dose: fc.integer({ min: 1, max: 4 }), day: dayOf }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("doseChange" as const), from: pick, n: many, dose: fc.integer({ min: 1, max: 4 }), day: fc.option(dayOf) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("deleteDoses" as const), from: pick, n: many }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("case" as const), area, day: dayOf, status: fc.constantFrom("active", "recovered", "died") }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("caseStatus" as const), from: pick, n: many, status: fc.constantFrom("active", "recovered", "died") }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("deleteCases" as const), from: pick, n: many }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("contact" as const), area, at: instant, degree: fc.constantFrom(1, 2), status: fc.constantFrom("identified", "notified", "quarantined", "released") }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("contactChange" as const), from: pick, n: many, degree: fc.option(fc.constantFrom(1, 2)), status: fc.option(fc.constantFrom("identified", "quarantined", "released")) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("deleteContacts" as const), from: pick, n: many }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("followUp" as const), contacts: fc.array(pick, { minLength: 1, maxLength: 3 }), day: dayOf, reached: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("followUpChange" as const), from: pick, n: many, reached: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("deleteFollowUps" as const), from: pick, n: many }) },
    );
    type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

    /** The ids of `n` rows of a table from position `from` (cyclic), in a fixed order. */
    async function ids(table: string, from: number, n: number, where = "true"): Promise<string[]> {
      const [c] = await run<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`);
      if (!c!.n) return [];
      const rows = await run<{ id: string }>(`select id::text as id from ${table} where ${where} order by id offset $1 limit $2`, [from % c!.n, n]);
      return rows.map((r) => r.id);
    }
    const v = (i: number) => venues[i % venues.length]!;
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    // Check-ins of this test only (the demo's stay as they are, except through the property's own rows).
    const mine = `person_id in (${people.map((p) => `'${p}'`).join(", ")})`;
    // Samples and pools of this test's campaign only, so that results, pools and members meet often.
    const ours = `campaign_id = '${campaign}'`;

    async function apply(c: Command): Promise<void> {
      switch (c.k) {
        case "writer": {
          await Promise.all(
            c.rows.map((r) => t.deps.checkinWriter.write({ id: randomUUID(), provinceCode: v(r.venue).province, venueId: v(r.venue).id, personId: people[r.person]!, checkedInAt: r.at, method: "citizen_scan" })),
          );
          return;
        }
        case "checkinsSql": {
          const values = c.rows.map((r) => `('${randomUUID()}', '${v(r.venue).province}', '${v(r.venue).id}', '${people[r.person]}', '${r.at.toISOString()}', 'staff_scan')`);
          await run(`insert into checkins (id, province_code, venue_id, person_id, checked_in_at, method) values ${values.join(", ")}`);
          return;
        }
        case "checkout": {
          const list = await ids("checkins", c.from, c.n, mine);
          if (list.length) await run(`update checkins set checked_out_at = checked_in_at + interval '1 hour' where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "moveCheckin": {
          const list = await ids("checkins", c.from, c.n, mine);
          if (!list.length) return;
          const set =
            c.field === "time"
              ? `checked_in_at = '${c.to.at.toISOString()}'`
              : c.field === "venue"
                ? `venue_id = '${v(c.to.venue).id}', province_code = '${v(c.to.venue).province}'`
                : `person_id = '${people[c.to.person]}'`;
          await run(`update checkins set ${set} where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "deleteCheckins": {
          const list = await ids("checkins", c.from, c.n, mine);
          if (list.length) await run(`delete from checkins where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "declare":
          await run(`insert into declarations (province_code, commune_code, person_id, kind, full_name, birth_year, risk, day) values ($1, $2, $3, 'domestic', 'Trần Thị Mai', 1990, $4, $5::date)`, [
            c.area[0],
            c.area[1],
            randomUUID(),
            c.risk,
            c.day,
          ]);
          return;
        case "declarationChange": {
          const list = await ids("declarations", c.from, c.n);
          if (list.length) await run(`update declarations set risk = $2, day = coalesce($3::date, day) where id = any($1::uuid[])`, [`{${list.join(",")}}`, c.risk, c.day]);
          return;
        }
        case "deleteDeclarations": {
          const list = await ids("declarations", c.from, c.n);
          if (list.length) await run(`delete from declarations where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "sample":
          await run(
            `insert into test_samples (province_code, commune_code, campaign_id, site_id, person_id, barcode, test_type, taken_at, result, result_at) values ($1, $2, $3, $4, $5, $6, 'pcr', $7, $8, $9)`,
            [c.area[0], c.area[1], campaign, site, randomUUID(), `S-P-${randomUUID()}`, c.at.toISOString(), c.result, c.result ? iso(c.resultAt) : null],
          );
          return;
        case "sampleResult": {
          const list = await ids("test_samples", c.from, c.n, ours);
          if (list.length) await run(`update test_samples set result = $2, result_at = $3 where id = any($1::uuid[])`, [`{${list.join(",")}}`, c.result, c.result ? iso(c.at) : null]);
          return;
        }
        case "pool": {
          const pool = await one<{ id: string }>(
            `insert into test_pools (province_code, commune_code, campaign_id, site_id, code, max_size, status) values ($1, $2, $3, $4, $5, 5, 'sealed') returning id`,
            [c.area[0], c.area[1], campaign, site, `P-P-${randomUUID()}`],
          );
          const list = await ids("test_samples", c.from, c.n, `${ours} and pool_id is null`);
          if (list.length) await run(`update test_samples set pool_id = $2 where id = any($1::uuid[])`, [`{${list.join(",")}}`, pool.id]);
          return;
        }
        case "poolMembers": {
          const [pool] = await ids("test_pools", c.pool, 1, ours);
          const list = await ids("test_samples", c.from, c.n, ours);
          if (list.length && pool) await run(`update test_samples set pool_id = $2 where id = any($1::uuid[])`, [`{${list.join(",")}}`, c.leave ? null : pool]);
          return;
        }
        case "poolResult": {
          const list = await ids("test_pools", c.from, c.n, ours);
          if (list.length)
            await run(`update test_pools set result = $2, result_at = $3, status = case when $2::text is null then 'sealed' else 'resulted' end where id = any($1::uuid[])`, [
              `{${list.join(",")}}`,
              c.result,
              c.result ? iso(c.at) : null,
            ]);
          return;
        }
        case "deleteSamples": {
          const list = await ids("test_samples", c.from, c.n, ours);
          if (list.length) await run(`delete from test_samples where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "deletePools": {
          const list = await ids("test_pools", c.from, c.n, ours);
          if (list.length) await run(`delete from test_pools where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "dose":
          await run(`insert into vaccinations (province_code, commune_code, person_id, product_code, lot_id, dose_number, given_on, site_id) values ($1, $2, $3, 'AZ', $4, $5, $6::date, $7)`, [
            c.area[0],
            c.area[1],
            randomUUID(),
            randomUUID(),
            c.dose,
            c.day,
            randomUUID(),
          ]);
          return;
        case "doseChange": {
          // One row per (person, dose number): change the number of one dose only.
          const list = await ids("vaccinations", c.from, 1);
          if (list.length)
            await run(`update vaccinations set dose_number = $2, given_on = coalesce($3::date, given_on) where id = $1 and not exists (select 1 from vaccinations o where o.person_id = vaccinations.person_id and o.dose_number = $2 and o.id <> $1)`, [
              list[0],
              c.dose,
              c.day,
            ]);
          return;
        }
        case "deleteDoses": {
          const list = await ids("vaccinations", c.from, c.n);
          if (list.length) await run(`delete from vaccinations where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "case":
          await run(`insert into cases (province_code, commune_code, person_id, confirmed_on, method, status) values ($1, $2, $3, $4::date, 'pcr', $5)`, [c.area[0], c.area[1], randomUUID(), c.day, c.status]);
          return;
        case "caseStatus": {
          const list = await ids("cases", c.from, c.n);
          if (list.length) await run(`update cases set status = $2 where id = any($1::uuid[])`, [`{${list.join(",")}}`, c.status]);
          return;
        }
        case "deleteCases": {
          const list = await ids("cases", c.from, c.n);
          if (list.length) await run(`delete from cases where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "contact":
          await run(
            `insert into contacts (province_code, commune_code, case_id, case_province_code, person_id, degree, source, first_exposure_at, last_exposure_at, status, quarantine_until, created_at)
             values ($1, $2, $3, $1, $4, $5, 'declared', $6, $6, $7, ($6::timestamptz + interval '14 days')::date, $6)`,
            [c.area[0], c.area[1], randomUUID(), randomUUID(), c.degree, c.at.toISOString(), c.status],
          );
          return;
        case "contactChange": {
          const list = await ids("contacts", c.from, c.n);
          if (list.length) await run(`update contacts set degree = coalesce($2, degree), status = coalesce($3, status) where id = any($1::uuid[])`, [`{${list.join(",")}}`, c.degree, c.status]);
          return;
        }
        case "deleteContacts": {
          const list = await ids("contacts", c.from, c.n);
          if (list.length) await run(`delete from contacts where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
        case "followUp": {
          const list = [...new Set((await Promise.all(c.contacts.map((p) => ids("contacts", p, 1)))).flat())];
          if (list.length)
            await run(
              `insert into follow_ups (province_code, commune_code, contact_id, day, reached)
               select province_code, commune_code, id, $2::date, $3 from contacts where id = any($1::uuid[])
               on conflict (contact_id, day) do update set reached = excluded.reached`,
              [`{${list.join(",")}}`, c.day, c.reached],
            );
          return;
        }
        case "followUpChange": {
          const list = await ids("follow_ups", c.from, c.n);
          if (list.length) await run(`update follow_ups set reached = $2 where id = any($1::uuid[])`, [`{${list.join(",")}}`, c.reached]);
          return;
        }
        case "deleteFollowUps": {
          const list = await ids("follow_ups", c.from, c.n);
          if (list.length) await run(`delete from follow_ups where id = any($1::uuid[])`, [`{${list.join(",")}}`]);
          return;
        }
      }
    }

    // A few samples of the campaign to begin with, with and without results.
    for (const [i, r] of (["negative", "positive", null, null, "invalid", null, "negative", null] as const).entries()) {
      await apply({ k: "sample", area: COMMUNE_AREAS[i % COMMUNE_AREAS.length]!, at: new Date(now - i * 7 * HOUR), result: r, resultAt: new Date(now - i * 5 * HOUR) });
    }

    let sequences = 0;
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 24 }), async (commands) => {
        for (const c of commands) await apply(c);
        await t.deps.checkinWriter.drain();
        sequences++;
        applied += commands.length;
        const diffs = await rollupDifferences(t.deps.database, 10);
        expect(diffs, JSON.stringify(commands.map((c) => c.k))).toEqual([]);
      }),
      // The database keeps its state from one sequence to the next: no shrinking (it would replay on a changed database).
      { numRuns: 25, endOnFailure: true },
    );
    expect(sequences).toBe(25);
    expect(applied).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it("the rebuild recomputes lost roll-ups exactly, in one transaction", async () => {
    const snapshot = () => run(`select day::text, province_code, commune_code, metric, value::text from daily_stats where value <> 0 order by 1, 2, 3, 4`);
    const sets = () =>
      Promise.all([
        run(`select day::text, province_code, commune_code, person_id from daily_visitors order by 1, 2, 3, 4`),
        run(`select day::text, venue_id, province_code, commune_code from daily_active_venues order by 1, 2`),
      ]);
    await checkin(venue.b, randomUUID(), vn(D, "09:00")); // the oldest check-in, in the default partition
    const before = await snapshot();
    const beforeSets = await sets();
    expect(before.length).toBeGreaterThan(20);
    // Lost and damaged: no visitors, no active venues, a metric gone, another wrong.
    await run(`delete from daily_visitors`);
    await run(`delete from daily_active_venues`);
    await run(`delete from daily_stats where metric in ('checkins', 'visitors', 'cases_new')`);
    await run(`update daily_stats set value = value + 7 where metric = 'samples'`);
    expect((await rollupDifferences(t.deps.database)).length).toBeGreaterThan(0);
    const steps: string[] = [];
    const report = await rebuildRollups(t.deps.database, { onProgress: (s) => steps.push(s.name) });
    expect(report.checkinsSince).toBe(D); // the oldest check-in (D, in the default partition) is older than every partition
    expect(steps.slice(0, 2)).toEqual(["lock", "clear daily_stats"]);
    expect(steps).toContain("daily_stats results_negative");
    expect(report.statsRows).toBe(before.length);
    expect(await snapshot()).toEqual(before);
    expect(await sets()).toEqual(beforeSets);
    await expectExact();
  });

  it("retention drops check-in partitions but not their figures; the rebuild keeps them", async () => {
    const partitions = await listPartitions(t.deps.database);
    const oldest = partitions[0]!.replace(/^checkins_p(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3");
    const figures = () =>
      run<{ day: string; metric: string; value: string }>(
        `select day::text, metric, sum(value)::text as value from daily_stats where metric in ('checkins', 'visitors', 'venues_active') and day <= $1::date group by 1, 2 order by 1, 2`,
        [oldest],
      );
    await checkin(venue.a, randomUUID(), vn(oldest, "09:00"));
    await checkin(venue.b, randomUUID(), vn(D, "09:00"));
    const before = await figures();
    expect(before.some((r) => r.day === oldest && r.metric === "checkins" && Number(r.value) > 0)).toBe(true);
    expect(before.some((r) => r.day === D)).toBe(true);
    // Keep 0 days back from the day after the oldest partition: the oldest partition and the old default rows go.
    const dropped = await dropExpiredPartitions(t.deps.database, new Date(Date.parse(`${oldest}T12:00:00+07:00`) + 24 * HOUR), 0);
    expect(dropped).toEqual([partitions[0]]);
    expect(await one(`select count(*)::int as n from checkins where checked_in_at < $1`, [new Date(Date.parse(`${oldest}T00:00:00+07:00`) + 24 * HOUR).toISOString()])).toEqual({ n: 0 });
    expect(await figures()).toEqual(before);
    // The rebuild recomputes from the oldest day that still has its check-ins, and keeps the figures before it.
    const next = await oldestCheckinDay(t.deps.database);
    expect(next! > oldest).toBe(true);
    const report = await rebuildRollups(t.deps.database);
    expect(report.checkinsSince).toBe(next);
    expect(await figures()).toEqual(before);
    // With --all, the raw tables are all there is.
    await rebuildRollups(t.deps.database, { all: true });
    expect(await figures()).toEqual([]);
    await expectExact();
  });
});
