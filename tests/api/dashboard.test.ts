/**
 * GET /api/stats/dashboard and /api/stats/metrics (docs/STATS.md, "Dashboard"), on both engines.
 * The roll-up rows are written directly (the triggers that fill them are another module's): the
 * table is emptied first, so every figure below comes from these rows and nothing else, which
 * also shows the dashboard reads daily_stats and not the raw tables (the demo's check-ins, cases,
 * doses… are still there). Covered: headline totals over the range and stocks now, the province's
 * distinct counts from its own row, the series (every day, zeros included), child units ranked by
 * incidence with coverage from admin_units.population, the country, province and commune levels,
 * the range rules, roles (403) and scope (another area's province or commune → 404), audit rows.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyStats, METRICS, type Metric } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { addDays } from "../../server/vaccination/doses/rules";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

type Row = [day: string, province: string, commune: string, metric: Metric, value: number];

/** The fixture: Hà Nội (01, communes 00070 Hoàn Kiếm 58,000 people and 00004 Ba Đình 65,000) and HCMC (79). */
const ROWS: Row[] = [
  // check-ins: in the range, a venue without a commune (''), and outside the range on both sides
  ["2026-03-01", "01", "00070", "checkins", 10],
  ["2026-03-01", "01", "00004", "checkins", 5],
  ["2026-03-02", "01", "00070", "checkins", 7],
  ["2026-03-02", "01", "", "checkins", 2],
  ["2026-02-28", "01", "00070", "checkins", 100],
  ["2026-03-04", "01", "00070", "checkins", 1000],
  // distinct counts: per commune, and the province's own row ('') which is not their sum
  ["2026-03-01", "01", "00070", "visitors", 8],
  ["2026-03-01", "01", "00004", "visitors", 4],
  ["2026-03-01", "01", "", "visitors", 11],
  ["2026-03-01", "01", "00070", "venues_active", 3],
  ["2026-03-01", "01", "00004", "venues_active", 2],
  ["2026-03-01", "01", "", "venues_active", 5],
  // cases: new in the range, one old active case, one before the range
  ["2026-03-01", "01", "00070", "cases_new", 3],
  ["2026-03-03", "01", "00004", "cases_new", 1],
  ["2026-02-20", "01", "00070", "cases_new", 50],
  ["2025-12-01", "01", "00070", "cases_active", 4],
  ["2026-03-01", "01", "00070", "cases_active", 2],
  ["2026-03-03", "01", "00004", "cases_active", 1],
  ["2026-03-02", "01", "00070", "contacts_quarantined", 6],
  ["2025-12-01", "01", "00004", "contacts_quarantined", 1],
  // results
  ["2026-03-02", "01", "00070", "results_positive", 2],
  ["2026-03-02", "01", "00070", "results_negative", 6],
  ["2026-03-03", "01", "00004", "results_negative", 4],
  // doses: mostly long before the range (coverage is cumulative)
  ["2025-06-01", "01", "00070", "doses_1", 29_000],
  ["2026-03-01", "01", "00004", "doses_1", 6_500],
  ["2025-07-01", "01", "00070", "doses_2", 5_800],
  ["2026-03-02", "01", "00070", "doses_3", 58],
  // another province
  ["2026-03-01", "79", "26734", "checkins", 999],
  ["2026-03-01", "79", "26734", "cases_new", 9],
  ["2026-03-01", "79", "26734", "doses_1", 100],
];
const RANGE = "from=2026-03-01&to=2026-03-03";
const HN_COMMUNES = ["00004", "00008", "00025", "00070", "00082", "00091", "00103", "00118", "00127", "00136", "00166", "00178"];

const zeros = () => Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;

describe.each(engines())("statistics dashboard on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnVenue" | "hnSite" | "hnLab" | "hcmP" | "hcmC", string>;

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(200);
    return json(res);
  };
  const fails = async (res: Response, status: number, code?: string) => {
    const text = await res.clone().text();
    expect(res.status, text).toBe(status);
    if (code) expect(JSON.parse(text).error.code).toBe(code);
    return JSON.parse(text);
  };
  const dash = (query: string, token?: string) => t.request("GET", `/api/stats/dashboard${query ? `?${query}` : ""}`, { token });

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    const names = {
      admin: "admin",
      hnP: "hn.province",
      hnH: "hn.health",
      hnC: "hn.commune",
      hnVenue: "hn.venue",
      hnSite: "hn.site",
      hnLab: "hn.lab",
      hcmP: "hcm.province",
      hcmC: "hcm.commune",
    } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    await t.deps.db.delete(dailyStats);
    await t.deps.db.insert(dailyStats).values(ROWS.map(([day, provinceCode, communeCode, metric, value]) => ({ day, provinceCode, communeCode, metric, value })));
  });
  afterAll(() => t?.close());

  describe("a province", () => {
    it("has the headline: totals over the range, the province's own distinct counts, stocks and coverage now", async () => {
      const d = await ok(await dash(RANGE, tok.hnP));
      expect(d.unit).toEqual({ level: "province", code: "01", name: "Hà Nội", population: 957_000 });
      expect(d.from).toBe("2026-03-01");
      expect(d.to).toBe("2026-03-03");
      expect(d.headline).toEqual({
        ...zeros(),
        checkins: 24,
        visitors: 11,
        venues_active: 5,
        cases_new: 4,
        cases_active: 3,
        contacts_quarantined: 6,
        results_positive: 2,
        results_negative: 10,
        doses_1: 6_500,
        doses_3: 58,
        positivity: 0.1667,
        f0_active: 7,
        in_quarantine: 7,
        coverage_1: 0.0371,
        coverage_2: 0.0061,
        coverage_3: 0.0001,
      });
    });

    it("has every day of the range in the series, zeros included", async () => {
      const d = await ok(await dash(RANGE, tok.hnP));
      expect(d.series).toEqual([
        { day: "2026-03-01", ...zeros(), checkins: 15, visitors: 11, venues_active: 5, cases_new: 3, cases_active: 2, doses_1: 6_500 },
        { day: "2026-03-02", ...zeros(), checkins: 9, results_positive: 2, results_negative: 6, contacts_quarantined: 6, doses_3: 58 },
        { day: "2026-03-03", ...zeros(), cases_new: 1, cases_active: 1, results_negative: 4 },
      ]);
    });

    it("ranks its communes by incidence per 100,000, with positivity and coverage from their populations", async () => {
      const d = await ok(await dash(RANGE, tok.hnH));
      expect(d.children.map((c: any) => c.code)).toEqual(["00070", "00004", ...HN_COMMUNES.filter((c) => c !== "00070" && c !== "00004")]);
      expect(d.children[0]).toEqual({ code: "00070", name: "Hoàn Kiếm", population: 58_000, checkins: 17, casesNew: 3, incidencePer100k: 5.17, positivity: 0.25, coverage1: 0.5, coverage2: 0.1 });
      expect(d.children[1]).toEqual({ code: "00004", name: "Ba Đình", population: 65_000, checkins: 5, casesNew: 1, incidencePer100k: 1.54, positivity: 0, coverage1: 0.1, coverage2: 0 });
      expect(d.children[2]).toEqual({ code: "00008", name: "Ngọc Hà", population: 72_000, checkins: 0, casesNew: 0, incidencePer100k: 0, positivity: null, coverage1: 0, coverage2: 0 });
    });

    it("is the same for a health officer and a province officer, and a national admin asking for it", async () => {
      const [p, h, a] = await Promise.all([ok(await dash(RANGE, tok.hnP)), ok(await dash(RANGE, tok.hnH)), ok(await dash(`provinceCode=01&${RANGE}`, tok.admin))]);
      expect(h).toEqual(p);
      expect(a).toEqual(p);
    });
  });

  describe("a commune", () => {
    it("is a commune officer's default, with the commune's own distinct counts and no children", async () => {
      const d = await ok(await dash(RANGE, tok.hnC));
      expect(d.unit).toEqual({ level: "commune", code: "00070", name: "Hoàn Kiếm", population: 58_000 });
      expect(d.headline).toEqual({
        ...zeros(),
        checkins: 17,
        visitors: 8,
        venues_active: 3,
        cases_new: 3,
        cases_active: 2,
        contacts_quarantined: 6,
        results_positive: 2,
        results_negative: 6,
        doses_3: 58,
        positivity: 0.25,
        f0_active: 6,
        in_quarantine: 6,
        coverage_1: 0.5,
        coverage_2: 0.1,
        coverage_3: 0.001,
      });
      expect(d.series.map((s: any) => [s.day, s.checkins, s.visitors])).toEqual([
        ["2026-03-01", 10, 8],
        ["2026-03-02", 7, 0],
        ["2026-03-03", 0, 0],
      ]);
      expect(d.children).toEqual([]);
    });

    it("is a drill-down for province officers (with or without the province code)", async () => {
      const a = await ok(await dash(`communeCode=00004&${RANGE}`, tok.hnP));
      const b = await ok(await dash(`provinceCode=01&communeCode=00004&${RANGE}`, tok.hnH));
      expect(a).toEqual(b);
      expect(a.unit).toEqual({ level: "commune", code: "00004", name: "Ba Đình", population: 65_000 });
      expect([a.headline.checkins, a.headline.visitors, a.headline.cases_new, a.headline.f0_active, a.headline.in_quarantine, a.headline.coverage_1]).toEqual([5, 4, 1, 1, 1, 0.1]);
    });
  });

  describe("the country", () => {
    it("is a national admin's default: provinces ranked, unknown populations last, the country's population their sum", async () => {
      const d = await ok(await dash(RANGE, tok.admin));
      expect(d.unit).toEqual({ level: "country", code: "VN", name: "Việt Nam", population: 957_000 + 294_000 });
      expect(d.headline.checkins).toBe(24 + 999);
      expect(d.headline.visitors).toBe(11);
      expect(d.headline.cases_new).toBe(4 + 9);
      expect(d.headline.coverage_1).toBe(Math.round(((29_000 + 6_500 + 100) / 1_251_000) * 10_000) / 10_000);
      expect(d.children).toHaveLength(34);
      expect(d.children.slice(0, 2)).toEqual([
        { code: "79", name: "Hồ Chí Minh", population: 294_000, checkins: 999, casesNew: 9, incidencePer100k: 3.06, positivity: null, coverage1: 0.0003, coverage2: 0 },
        { code: "01", name: "Hà Nội", population: 957_000, checkins: 24, casesNew: 4, incidencePer100k: 0.42, positivity: 0.1667, coverage1: 0.0371, coverage2: 0.0061 },
      ]);
      expect(d.children.slice(2).every((c: any) => c.population === null && c.incidencePer100k === null && c.coverage1 === null)).toBe(true);
      const rest = d.children.slice(2).map((c: any) => c.code);
      expect(rest).toEqual([...rest].sort());
    });

    it("lets a national admin drill down to any commune", async () => {
      const d = await ok(await dash(`communeCode=26734&${RANGE}`, tok.admin));
      expect(d.unit).toMatchObject({ level: "commune", code: "26734", population: 47_000 });
      expect([d.headline.checkins, d.headline.cases_new, d.headline.doses_1]).toEqual([999, 9, 100]);
    });
  });

  describe("the range", () => {
    it("defaults to the last 30 days, today included", async () => {
      const today = vnDay(t.deps.now());
      const d = await ok(await dash("", tok.hnP));
      expect([d.from, d.to, d.series.length]).toEqual([addDays(today, -29), today, 30]);
      expect(d.series.at(-1).day).toBe(today);
      // the fixture's March 2026 rows are outside it (unless today is in March 2026), the stocks are not
      expect(d.headline.f0_active).toBe(7);
      const only = await ok(await dash(`from=${addDays(today, -6)}`, tok.hnP));
      expect([only.from, only.to, only.series.length]).toEqual([addDays(today, -6), today, 7]);
    });

    it("takes up to 366 days and refuses more, a reversed range and days that do not exist", async () => {
      const d = await ok(await dash("from=2025-03-03&to=2026-03-03", tok.hnP));
      expect(d.series).toHaveLength(366);
      expect(d.headline.checkins).toBe(24 + 100);
      expect(d.headline.cases_new).toBe(54);
      const tooLong = await fails(await dash("from=2025-03-02&to=2026-03-03", tok.hnP), 400, "validation_failed");
      expect(tooLong.error.details[0].path).toBe("to");
      const reversed = await fails(await dash("from=2026-03-03&to=2026-03-01", tok.hnP), 400, "validation_failed");
      expect(reversed.error.details[0].path).toBe("from");
      await fails(await dash("from=2026-02-30&to=2026-03-03", tok.hnP), 400, "validation_failed");
      await fails(await dash("provinceCode=1", tok.hnP), 400, "validation_failed");
      await fails(await dash("communeCode=70", tok.hnP), 400, "validation_failed");
    });
  });

  describe("scope", () => {
    it("answers 404 for a province or commune outside the caller's area", async () => {
      const cases: [string, keyof typeof tok][] = [
        ["provinceCode=79", "hnP"],
        ["provinceCode=79", "hnH"],
        ["communeCode=26734", "hnP"],
        ["communeCode=26734", "hnH"],
        ["provinceCode=01&communeCode=26734", "hnP"],
        ["provinceCode=79&communeCode=00070", "hnP"],
        // a commune officer: another commune of the province, and the province itself
        ["communeCode=00004", "hnC"],
        ["provinceCode=01", "hnC"],
        ["provinceCode=79", "hnC"],
        ["provinceCode=01", "hcmP"],
        ["communeCode=00070", "hcmC"],
        // no such unit, for anyone
        ["provinceCode=99", "admin"],
        ["communeCode=99999", "admin"],
        ["provinceCode=79&communeCode=00070", "admin"],
      ];
      for (const [q, who] of cases) {
        const body = await fails(await dash(`${q}&${RANGE}`, tok[who]), 404, "not_found");
        expect(body.headline, `${who} ${q}`).toBeUndefined();
      }
    });

    it("shows another province only its own figures", async () => {
      const d = await ok(await dash(RANGE, tok.hcmP));
      expect(d.unit).toMatchObject({ level: "province", code: "79", population: 294_000 });
      expect([d.headline.checkins, d.headline.cases_new, d.headline.f0_active]).toEqual([999, 9, 0]);
      expect(d.children.map((c: any) => c.code)).toEqual(["26734", "26737", "26740", "26743", "26752", "26758"]);
    });

    it("refuses roles that are not officers (403) and callers who are not signed in (401)", async () => {
      for (const who of ["hnVenue", "hnSite", "hnLab"] as const) {
        await fails(await dash(RANGE, tok[who]), 403, "forbidden");
        await fails(await t.request("GET", "/api/stats/metrics", { token: tok[who] }), 403, "forbidden");
      }
      await fails(await dash(RANGE), 401, "unauthorized");
      await fails(await t.request("GET", "/api/stats/metrics"), 401, "unauthorized");
    });

    it("audits each read with the unit and the range", async () => {
      await ok(await dash(`communeCode=00004&${RANGE}`, tok.hnH));
      const rows = await t.deps.database.query<{ actor_username: string; province_code: string; commune_code: string | null; details: any }>(
        sql`select actor_username, province_code, commune_code, details from audit_log where action = 'stats.dashboard' order by id desc limit 1`,
      );
      expect(rows[0]).toMatchObject({
        actor_username: "hn.health",
        province_code: "01",
        commune_code: "00004",
        details: { level: "commune", provinceCode: "01", communeCode: "00004", from: "2026-03-01", to: "2026-03-03" },
      });
    });
  });

  describe("the metric list", () => {
    it("labels every roll-up metric and derived figure in Vietnamese and English", async () => {
      const { items } = await ok(await t.request("GET", "/api/stats/metrics", { token: tok.hnC }));
      const keys = items.map((m: any) => m.key);
      expect([...keys].sort()).toEqual([...METRICS, "positivity", "f0_active", "in_quarantine", "coverage_1", "coverage_2", "coverage_3"].sort());
      expect(new Set(keys).size).toBe(keys.length);
      for (const m of items) {
        expect(m.labelVi.length, m.key).toBeGreaterThan(2);
        expect(m.labelEn.length, m.key).toBeGreaterThan(2);
        expect(m.labelVi).not.toBe(m.labelEn);
      }
      expect(items.find((m: any) => m.key === "checkins")).toEqual({ key: "checkins", kind: "flow", group: "checkins", labelVi: "Lượt check-in", labelEn: "Check-ins" });
      expect(items.find((m: any) => m.key === "f0_active")).toMatchObject({ kind: "stock", group: "cases" });
      expect(items.find((m: any) => m.key === "coverage_2")).toMatchObject({ kind: "rate", group: "vaccination" });
    });
  });
});
