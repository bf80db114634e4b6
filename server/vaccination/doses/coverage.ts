/**
 * GET /api/vaccination/coverage: how many people have each dose in the caller's area and in each
 * of its child units, as a share of the imported population, and the doses given per day.
 * Doses count where they were given (the site's commune). Set-based: one query counts every
 * child unit at once, one makes the daily series, one reads the units; no query per unit.
 */
import { and, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { adminUnits, vaccinations } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { areaFilter, inArea } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import { areaOf, type SignedIn } from "./records";
import { addDays, daysBetween } from "./rules";

type Level = "country" | "province" | "commune";

export interface CoverageInput {
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const COUNTRY = { code: "VN", name: "Việt Nam" };
const outOfArea = () => new AppError("not_found", msg("Không có đơn vị này trong địa bàn của bạn", "No such unit in your area"));

/** Share of the population in percent, two decimals; null when the population is unknown. */
export const percentOf = (people: number, population: number | null) => (population ? Math.round((people * 10_000) / population) / 100 : null);

/**
 * A province's population: its own figure, else the sum of its communes' (communes are what operators
 * import). `admin_units.code` is written out: drizzle leaves columns unqualified in a one-table select.
 */
const provincePopulation = sql<number | null>`coalesce(${adminUnits.population}, (select sum(c.population)::int from admin_units c where c.level = 'commune' and c.parent_code = admin_units.code))`;

/** Which unit the caller asks about: their own area by default, narrowed by provinceCode/communeCode inside it. */
async function unitOf(deps: Deps, actor: SignedIn, input: CoverageInput): Promise<{ level: Level; provinceCode: string | null; communeCode: string | null }> {
  const { user } = actor;
  if (input.communeCode) {
    const [c] = await deps.db
      .select({ parent: adminUnits.parentCode })
      .from(adminUnits)
      .where(and(eq(adminUnits.code, input.communeCode), eq(adminUnits.level, "commune")))
      .limit(1);
    if (!c?.parent || (input.provinceCode && input.provinceCode !== c.parent)) throw outOfArea();
    if (!inArea(user, { provinceCode: c.parent, communeCode: input.communeCode })) throw outOfArea();
    return { level: "commune", provinceCode: c.parent, communeCode: input.communeCode };
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

export async function coverage(deps: Deps, actor: SignedIn, input: CoverageInput) {
  const to = input.to ?? vnDay(deps.now());
  const from = input.from ?? addDays(to, -29);
  const badRange = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "from", message: msg(vi, en) }]);
  if (from > to) throw badRange("Từ ngày phải trước đến ngày", "from must not be after to");
  if (daysBetween(from, to) > 366) throw badRange("Tối đa 367 ngày", "At most 367 days");

  const unit = await unitOf(deps, actor, input);
  const inUnit: SQL | undefined = and(
    areaFilter(actor.user, { provinceCode: vaccinations.provinceCode, communeCode: vaccinations.communeCode }),
    unit.provinceCode ? eq(vaccinations.provinceCode, unit.provinceCode) : undefined,
    unit.communeCode ? eq(vaccinations.communeCode, unit.communeCode) : undefined,
  );
  const childKey = unit.level === "country" ? vaccinations.provinceCode : vaccinations.communeCode;

  const [counts, daily, units, self] = await Promise.all([
    deps.db
      .select({ code: sql<string | null>`${childKey}`, doseNumber: vaccinations.doseNumber, people: sql<number>`count(distinct ${vaccinations.personId})::int` })
      .from(vaccinations)
      .where(inUnit)
      .groupBy(childKey, vaccinations.doseNumber),
    deps.db
      .select({
        day: vaccinations.givenOn,
        dose1: sql<number>`(count(*) filter (where ${vaccinations.doseNumber} = 1))::int`,
        dose2: sql<number>`(count(*) filter (where ${vaccinations.doseNumber} = 2))::int`,
        dose3plus: sql<number>`(count(*) filter (where ${vaccinations.doseNumber} >= 3))::int`,
      })
      .from(vaccinations)
      .where(and(inUnit, gte(vaccinations.givenOn, from), lte(vaccinations.givenOn, to)))
      .groupBy(vaccinations.givenOn),
    unit.level === "commune"
      ? Promise.resolve([] as { code: string; name: string; population: number | null }[])
      : deps.db
          .select({ code: adminUnits.code, name: adminUnits.name, population: unit.level === "country" ? provincePopulation : adminUnits.population })
          .from(adminUnits)
          .where(unit.level === "country" ? eq(adminUnits.level, "province") : and(eq(adminUnits.level, "commune"), eq(adminUnits.parentCode, unit.provinceCode!)))
          .orderBy(adminUnits.code),
    unit.level === "country"
      ? Promise.resolve([] as { code: string; name: string; population: number | null }[])
      : deps.db
          .select({ code: adminUnits.code, name: adminUnits.name, population: unit.level === "province" ? provincePopulation : adminUnits.population })
          .from(adminUnits)
          .where(eq(adminUnits.code, (unit.communeCode ?? unit.provinceCode)!))
          .limit(1),
  ]);

  const population = (p: number | null | undefined) => (p === null || p === undefined ? null : Number(p));
  const unitPopulation =
    unit.level === "country"
      ? units.reduce<number | null>((sum, u) => (u.population === null ? sum : (sum ?? 0) + Number(u.population)), null)
      : population(self[0]?.population);

  const total = new Map<number, number>();
  const byChild = new Map<string, Map<number, number>>();
  for (const r of counts) {
    const n = Number(r.doseNumber);
    total.set(n, (total.get(n) ?? 0) + Number(r.people));
    if (r.code === null) continue;
    const code = String(r.code).trim();
    const m = byChild.get(code) ?? new Map<number, number>();
    m.set(n, (m.get(n) ?? 0) + Number(r.people));
    byChild.set(code, m);
  }
  const highest = Math.max(3, ...total.keys());
  const byDose = Array.from({ length: highest }, (_, i) => {
    const people = total.get(i + 1) ?? 0;
    return { doseNumber: i + 1, people, pct: percentOf(people, unitPopulation) };
  });

  const dailyByDay = new Map(daily.map((r) => [String(r.day).slice(0, 10), r]));
  const series = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const r = dailyByDay.get(d);
    series.push({ day: d, dose1: Number(r?.dose1 ?? 0), dose2: Number(r?.dose2 ?? 0), dose3plus: Number(r?.dose3plus ?? 0) });
  }

  const unitName = unit.level === "country" ? COUNTRY.name : (self[0]?.name ?? "");
  await recordAudit(deps, actor, {
    action: "vaccination.coverage",
    subjectType: "vaccination",
    area: areaOf(actor),
    details: { level: unit.level, provinceCode: unit.provinceCode, communeCode: unit.communeCode, from, to },
  });
  return {
    unit: { code: unit.level === "country" ? COUNTRY.code : (unit.communeCode ?? unit.provinceCode)!, name: unitName, level: unit.level, population: unitPopulation },
    byDose,
    units: units.map((u) => {
      const m = byChild.get(u.code) ?? new Map<number, number>();
      const pop = population(u.population);
      const [dose1, dose2, dose3] = [m.get(1) ?? 0, m.get(2) ?? 0, m.get(3) ?? 0];
      return { code: u.code, name: u.name, population: pop, dose1, dose2, dose3, dose1Pct: percentOf(dose1, pop), dose2Pct: percentOf(dose2, pop), dose3Pct: percentOf(dose3, pop) };
    }),
    daily: series,
  };
}
