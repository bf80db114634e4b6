/**
 * GET /api/testing/stats (docs/TESTING.md, "Statistics"), for the caller's area (or one commune of
 * it, or one campaign), days in Asia/Ho_Chi_Minh. Three set-based queries, whatever the range:
 *
 *  1. samples taken, per day and per commune (GROUPING SETS);
 *  2. final results, per day, per commune and overall (GROUPING SETS): a sample's final result is
 *     its own result (rapid, individual PCR, retest), or negative when its pool was negative (a
 *     positive or invalid pool is not final: its members are retested); it counts on the day of
 *     that result. `tested` = people with a final result that day; positive/negative/invalid count
 *     people too; turnaround = from the sample taken to its final result (median and 90th percentile
 *     over the final results of the range);
 *  3. pools made in the range: how many, how many have a result, how many were positive.
 *
 * positivity = positive / (positive + negative) (invalid counts in neither), 0–1, 4 decimals, null
 * when both are 0. The day series is filled with zeros in code (no query per day).
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { rowsOf } from "../../../db/client";
import { adminUnits, testCampaigns, testPools, testSamples } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { areaFilter, inArea, NATIONAL } from "../../auth/scope";
import { vnDay, vnDayRange } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import { addDays, daysBetween } from "../../vaccination/doses/rules";
import type { SignedIn } from "../results/service";
import type { StatsQueryT } from "./schemas";

const MAX_DAYS = 367;

export const rate = (positive: number, negative: number) => (positive + negative ? Math.round((positive / (positive + negative)) * 10_000) / 10_000 : null);
const hours = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);

const outOfArea = (what: string) => new AppError("not_found", msg(`Không có ${what} này trong địa bàn của bạn`, `No such ${what === "xã/phường" ? "commune" : "campaign"} in your area`));

export async function testingStats(deps: Deps, actor: SignedIn, input: StatsQueryT) {
  const { user } = actor;
  const to = input.to ?? vnDay(deps.now());
  const from = input.from ?? addDays(to, -29);
  const badRange = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "from", message: msg(vi, en) }]);
  if (from > to) throw badRange("Từ ngày phải trước đến ngày", "from must not be after to");
  if (daysBetween(from, to) >= MAX_DAYS) throw badRange(`Tối đa ${MAX_DAYS} ngày`, `At most ${MAX_DAYS} days`);

  if (input.communeCode) {
    const [c] = await deps.db
      .select({ parent: adminUnits.parentCode })
      .from(adminUnits)
      .where(and(eq(adminUnits.code, input.communeCode), eq(adminUnits.level, "commune")))
      .limit(1);
    if (!c?.parent || !inArea(user, { provinceCode: c.parent, communeCode: input.communeCode })) throw outOfArea("xã/phường");
  }
  if (input.campaignId) {
    // A campaign of the caller's province (a commune officer sees its samples in their commune).
    const [c] = await deps.db.select({ provinceCode: testCampaigns.provinceCode }).from(testCampaigns).where(eq(testCampaigns.id, input.campaignId)).limit(1);
    if (!c || (user.role !== "national_admin" && c.provinceCode !== user.provinceCode)) throw outOfArea("đợt xét nghiệm");
  }

  const start = vnDayRange(from).start.toISOString();
  const end = vnDayRange(to).end.toISOString();
  const where = (cols: { provinceCode: AnyPgColumn; communeCode: AnyPgColumn; campaignId: AnyPgColumn }): SQL =>
    and(
      areaFilter(user, cols),
      input.communeCode ? eq(cols.communeCode, input.communeCode) : undefined,
      input.campaignId ? eq(cols.campaignId, input.campaignId) : undefined,
    ) ?? sql`true`;
  const inSamples = where({ provinceCode: testSamples.provinceCode, communeCode: testSamples.communeCode, campaignId: testSamples.campaignId });
  const inPools = where({ provinceCode: testPools.provinceCode, communeCode: testPools.communeCode, campaignId: testPools.campaignId });
  const vnDayOf = (at: SQL) => sql`to_char(${at} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')`;

  const taken = rowsOf<{ day: string | null; commune: string | null; n: number }>(
    await deps.db.execute(sql`
      with t as (
        select ${vnDayOf(sql`test_samples.taken_at`)} as day, test_samples.commune_code as commune
        from test_samples
        where ${inSamples} and test_samples.taken_at >= ${start}::timestamptz and test_samples.taken_at < ${end}::timestamptz
      )
      select t.day, t.commune, count(*)::int as n from t group by grouping sets ((t.day), (t.commune))`),
  );

  const finals = rowsOf<{
    day: string | null;
    commune: string | null;
    total: number;
    tested: number;
    positive: number;
    negative: number;
    invalid: number;
    median: number | string | null;
    p90: number | string | null;
    g: number;
  }>(
    await deps.db.execute(sql`
      with f as (
        select test_samples.person_id, test_samples.commune_code as commune, test_samples.taken_at,
          coalesce(test_samples.result, 'negative') as result,
          case when test_samples.result is not null then test_samples.result_at else test_pools.result_at end as at
        from test_samples
        left join test_pools on test_pools.id = test_samples.pool_id
        where ${inSamples} and (test_samples.result is not null or test_pools.result = 'negative')
      ), r as (
        select f.*, ${vnDayOf(sql`f.at`)} as day, extract(epoch from (f.at - f.taken_at)) / 3600.0 as hours
        from f where f.at >= ${start}::timestamptz and f.at < ${end}::timestamptz
      )
      select r.day, r.commune, grouping(r.day, r.commune)::int as g,
        count(*)::int as total,
        count(distinct r.person_id)::int as tested,
        (count(distinct r.person_id) filter (where r.result = 'positive'))::int as positive,
        (count(distinct r.person_id) filter (where r.result = 'negative'))::int as negative,
        (count(distinct r.person_id) filter (where r.result = 'invalid'))::int as invalid,
        percentile_cont(0.5) within group (order by r.hours) as median,
        percentile_cont(0.9) within group (order by r.hours) as p90
      from r
      group by grouping sets ((r.day), (r.commune), ())`),
  );

  const [pools] = rowsOf<{ total: number; resulted: number; positive: number; negative: number }>(
    await deps.db.execute(sql`
      select count(*)::int as total,
        (count(*) filter (where test_pools.result is not null))::int as resulted,
        (count(*) filter (where test_pools.result = 'positive'))::int as positive,
        (count(*) filter (where test_pools.result = 'negative'))::int as negative
      from test_pools
      where ${inPools} and test_pools.created_at >= ${start}::timestamptz and test_pools.created_at < ${end}::timestamptz`),
  );

  // grouping(): 0b01 = commune rolled up (a day row), 0b10 = day rolled up (a commune row), 0b11 = the total.
  const takenByDay = new Map(taken.filter((r) => r.day !== null).map((r) => [r.day!, Number(r.n)]));
  const takenByCommune = new Map(taken.filter((r) => r.day === null).map((r) => [String(r.commune).trim(), Number(r.n)]));
  const finalByDay = new Map(finals.filter((r) => Number(r.g) === 1).map((r) => [r.day!, r]));
  const finalByCommune = new Map(finals.filter((r) => Number(r.g) === 2).map((r) => [String(r.commune).trim(), r]));
  const overall = finals.find((r) => Number(r.g) === 3);

  const days = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const f = finalByDay.get(d);
    const positive = Number(f?.positive ?? 0);
    const negative = Number(f?.negative ?? 0);
    days.push({ day: d, samples: takenByDay.get(d) ?? 0, tested: Number(f?.tested ?? 0), positive, negative, invalid: Number(f?.invalid ?? 0), positivity: rate(positive, negative) });
  }

  const codes = [...new Set([...takenByCommune.keys(), ...finalByCommune.keys()])].sort();
  const names = codes.length
    ? new Map(
        (await deps.db.select({ code: adminUnits.code, name: adminUnits.name }).from(adminUnits).where(sql`${adminUnits.code} = any(${`{${codes.join(",")}}`}::text[])`)).map((u) => [
          String(u.code).trim(),
          u.name,
        ]),
      )
    : new Map<string, string>();
  const communes = codes.map((code) => {
    const f = finalByCommune.get(code);
    const positive = Number(f?.positive ?? 0);
    return { communeCode: code, name: names.get(code) ?? code, samples: takenByCommune.get(code) ?? 0, positive, positivity: rate(positive, Number(f?.negative ?? 0)) };
  });

  const result = {
    from,
    to,
    days,
    communes,
    turnaround: { count: Number(overall?.total ?? 0), medianHours: hours(overall?.median), p90Hours: hours(overall?.p90) },
    pools: {
      total: Number(pools?.total ?? 0),
      resulted: Number(pools?.resulted ?? 0),
      positive: Number(pools?.positive ?? 0),
      positivityRate: rate(Number(pools?.positive ?? 0), Number(pools?.negative ?? 0)),
    },
  };
  await recordAudit(deps, actor, {
    action: "testing.stats",
    subjectType: "test_sample",
    area: { provinceCode: user.provinceCode ?? NATIONAL, communeCode: user.communeCode },
    details: { from, to, communeCode: input.communeCode ?? null, campaignId: input.campaignId ?? null },
  });
  return result;
}
