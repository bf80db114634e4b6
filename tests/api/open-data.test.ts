/**
 * Open data (docs/STATS.md "Open data") through the API, on both engines: figures per province
 * and day read from daily_stats only (rows written directly here), a province's figure the sum
 * of its communes' rows (and its '' row) before suppression; values 1–4 null, 0 and 5 shown
 * (the exact boundaries); never a commune; the default range and the range rules; the CSV
 * (BOM, CRLF, exact cells, formula-safe names); Cache-Control; the per-address rate limit.
 */
import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUnits, dailyStats, type Metric } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { csvCell, suppress } from "../../server/stats/open-data/service";
import { addDays } from "../../server/vaccination/doses/rules";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const NOTE = "values 1–4 are reported as null";
const FIELDS = ["day", "provinceCode", "provinceName", "checkins", "declarations", "samples", "positive", "negative", "casesNew", "doses1", "doses2", "doses3"];
const zeros = { checkins: 0, declarations: 0, samples: 0, positive: 0, negative: 0, casesNew: 0, doses1: 0, doses2: 0, doses3: 0 };

describe("suppression", () => {
  it("shows 0 and 5 or more, hides 1 to 4", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 1000].map(suppress)).toEqual([0, null, null, null, null, 5, 6, 1000]);
  });
  it("writes safe CSV cells", () => {
    expect(["=1+1", "+x", "-x", "@x", "\tx", "\rx", 'a,"b"', "Hà Nội", null, 0, -5].map(csvCell)).toEqual([
      "'=1+1",
      "'+x",
      "'-x",
      "'@x",
      "'\tx",
      "\"'\rx\"",
      '"a,""b"""',
      "Hà Nội",
      "",
      "0",
      "-5",
    ]);
  });
});

describe.each(engines())("open data on %s", (engine) => {
  let t: TestPlatform;
  let today = "";
  let d1 = "";
  let d2 = "";
  let old = "";
  let future = "";

  const get = (path: string, ip = newIp(), token?: string) => t.request("GET", path, { headers: { "x-forwarded-for": ip }, token });
  const ok = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as any;
  };
  const fails = async (res: Response, status: number, path?: string) => {
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(status);
    if (path) expect(body.error.details.map((d: any) => d.path)).toContain(path);
    return body;
  };
  const row = (day: string, provinceCode: string, communeCode: string, metric: Metric, value: number) => ({ day, provinceCode, communeCode, metric, value });

  beforeAll(async () => {
    t = await createTestPlatform(engine, { TRUST_PROXY: "true" });
    today = vnDay(t.deps.now());
    d1 = addDays(today, -3);
    d2 = addDays(today, -2);
    old = addDays(today, -40);
    future = addDays(today, 1);
    // Only the rows below: whatever the demo data rolled up is cleared.
    await t.deps.db.delete(dailyStats);
    await t.deps.db.insert(dailyStats).values([
      // Hà Nội, d1: every boundary, and sums across communes (and the province's '' row)
      row(d1, "01", "00070", "checkins", 3),
      row(d1, "01", "00082", "checkins", 2), // 3 + 2 = 5: shown, though each commune is small
      row(d1, "01", "00070", "declarations", 4), // 4: null
      row(d1, "01", "00070", "samples", 1), // 1: null
      row(d1, "01", "00070", "results_positive", 0), // 0: shown
      row(d1, "01", "", "cases_new", 2),
      row(d1, "01", "00070", "cases_new", 3), // 2 + 3 = 5
      row(d1, "01", "00070", "doses_1", 1),
      row(d1, "01", "00082", "doses_1", 3), // 4: null
      row(d1, "01", "00070", "doses_2", 2),
      row(d1, "01", "00082", "doses_2", 3), // 5
      row(d1, "01", "00118", "doses_3", 1234),
      // metrics open data never publishes
      row(d1, "01", "", "visitors", 99),
      row(d1, "01", "", "venues_active", 7),
      row(d1, "01", "00070", "follow_ups", 50),
      row(d1, "01", "00070", "cases_active", 40),
      // Hồ Chí Minh, d1 and today
      row(d1, "79", "26734", "checkins", 6),
      row(today, "79", "26734", "declarations", 10),
      row(today, "79", "26737", "results_negative", 5),
      // Hà Nội, d2
      row(d2, "01", "00070", "samples", 5),
      // Đà Nẵng, 40 days ago (outside the default range); Hà Nội tomorrow (after it)
      row(old, "48", "", "checkins", 100),
      row(future, "01", "00070", "checkins", 50),
    ]);
  });
  afterAll(() => t?.close());

  const hn1 = () => ({ day: d1, provinceCode: "01", provinceName: "Hà Nội", ...zeros, checkins: 5, declarations: null, samples: null, positive: 0, negative: 0, casesNew: 5, doses1: null, doses2: 5, doses3: 1234 });
  const hcm1 = () => ({ day: d1, provinceCode: "79", provinceName: "Hồ Chí Minh", ...zeros, checkins: 6 });
  const hn2 = () => ({ day: d2, provinceCode: "01", provinceName: "Hà Nội", ...zeros, samples: 5 });
  const hcm0 = () => ({ day: today, provinceCode: "79", provinceName: "Hồ Chí Minh", ...zeros, declarations: 10, negative: 5 });

  it("publishes every province's figures of the last 30 days by default, by day then province, with no sign-in", async () => {
    const res = await get("/api/open-data/daily");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const body = await ok(res);
    expect(body).toEqual({ from: addDays(today, -29), to: today, items: [hn1(), hcm1(), hn2(), hcm0()], suppressed: NOTE });
    // Province level only: no commune anywhere, only the published fields.
    for (const item of body.items) expect(Object.keys(item).sort()).toEqual([...FIELDS].sort());
    expect(JSON.stringify(body)).not.toMatch(/00070|00082|00118|26734|26737|communeCode/);
  });

  it("suppresses exactly the values 1 to 4, after adding the communes up", async () => {
    const [d] = (await ok(await get(`/api/open-data/daily?provinceCode=01&from=${d1}&to=${d1}`))).items;
    expect(d.positive).toBe(0); // 0
    expect(d.samples).toBeNull(); // 1
    expect(d.declarations).toBeNull(); // 4
    expect(d.doses1).toBeNull(); // 1 + 3 = 4
    expect(d.checkins).toBe(5); // 3 + 2 = 5
    expect(d.casesNew).toBe(5); // the province's '' row 2 + a commune's 3
    expect(d.doses2).toBe(5);
    expect(d.doses3).toBe(1234);
  });

  it("filters by province and range; `from` alone runs 30 days; a range may end in the future", async () => {
    expect((await ok(await get("/api/open-data/daily?provinceCode=01"))).items).toEqual([hn1(), hn2()]);
    expect((await ok(await get("/api/open-data/daily?provinceCode=79"))).items).toEqual([hcm1(), hcm0()]);
    expect((await ok(await get(`/api/open-data/daily?from=${d2}&to=${d2}`))).items).toEqual([hn2()]);
    const fromOnly = await ok(await get(`/api/open-data/daily?from=${old}`));
    expect([fromOnly.from, fromOnly.to]).toEqual([old, addDays(old, 29)]);
    expect(fromOnly.items).toEqual([{ day: old, provinceCode: "48", provinceName: "Đà Nẵng", ...zeros, checkins: 100 }]);
    const ahead = await ok(await get(`/api/open-data/daily?provinceCode=01&from=${d1}&to=${future}`));
    expect(ahead.items.map((i: any) => [i.day, i.checkins])).toEqual([
      [d1, 5],
      [d2, 0],
      [future, 50],
    ]);
    // a province with no data in the range: no rows
    expect((await ok(await get("/api/open-data/daily?provinceCode=48"))).items).toEqual([]);
  });

  it("refuses bad ranges, bad and unknown provinces", async () => {
    await fails(await get(`/api/open-data/daily?from=${d2}&to=${d1}`), 400, "to");
    await fails(await get(`/api/open-data/daily?from=${addDays(today, -366)}&to=${today}`), 400, "to");
    expect((await ok(await get(`/api/open-data/daily?from=${addDays(today, -365)}&to=${today}`))).items).toHaveLength(5);
    await fails(await get("/api/open-data/daily?from=2026-02-30"), 400, "from");
    await fails(await get("/api/open-data/daily?to=yesterday"), 400, "to");
    await fails(await get("/api/open-data/daily?provinceCode=1"), 400, "provinceCode");
    await fails(await get("/api/open-data/daily?provinceCode=00070"), 400, "provinceCode");
    await fails(await get("/api/open-data/daily?provinceCode=99"), 404);
    await fails(await get("/api/open-data/daily.csv?provinceCode=99"), 404);
  });

  it("serves the same rows as CSV: BOM, CRLF, empty cells for suppressed values", async () => {
    const res = await get(`/api/open-data/daily.csv?from=${d1}&to=${today}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="open-data-all-${d1}-${today}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toBe(
      "\uFEFF" +
        [
          FIELDS.join(","),
          `${d1},01,Hà Nội,5,,,0,0,5,,5,1234`,
          `${d1},79,Hồ Chí Minh,6,0,0,0,0,0,0,0,0`,
          `${d2},01,Hà Nội,0,0,5,0,0,0,0,0,0`,
          `${today},79,Hồ Chí Minh,0,10,0,0,5,0,0,0,0`,
        ].join("\r\n") +
        "\r\n",
    );
    const one = await get(`/api/open-data/daily.csv?provinceCode=79&from=${today}&to=${today}`);
    expect(one.headers.get("content-disposition")).toBe(`attachment; filename="open-data-79-${today}-${today}.csv"`);
    // (Response.text() decodes UTF-8 and drops the BOM, checked above.)
    expect((await one.text()).split("\r\n")).toEqual([FIELDS.join(","), `${today},79,Hồ Chí Minh,0,10,0,0,5,0,0,0,0`, ""]);
    await fails(await get(`/api/open-data/daily.csv?from=${d2}&to=${d1}`), 400, "to");
  });

  it("quotes a province name with commas or quotes and defuses one that starts a formula", async () => {
    const [before] = await t.deps.db.select().from(adminUnits).where(eq(adminUnits.code, "48"));
    await t.deps.db.update(adminUnits).set({ name: '=HYPERLINK("http://x"),"Đà"' }).where(eq(adminUnits.code, "48"));
    try {
      const text = await (await get(`/api/open-data/daily.csv?provinceCode=48&from=${old}&to=${old}`)).text();
      expect(text.split("\r\n")[1]).toBe(`${old},48,"'=HYPERLINK(""http://x""),""Đà""",100,0,0,0,0,0,0,0,0`);
      const json = await ok(await get(`/api/open-data/daily?provinceCode=48&from=${old}&to=${old}`));
      expect(json.items[0].provinceName).toBe('=HYPERLINK("http://x"),"Đà"');
    } finally {
      await t.deps.db.update(adminUnits).set({ name: before!.name }).where(eq(adminUnits.code, "48"));
    }
  });

  it("reads daily_stats: without its rows a day is gone from the open data", async () => {
    // A figure comes from daily_stats; with the rows gone, the same range is empty.
    const saved = await t.deps.db.select().from(dailyStats).where(eq(dailyStats.day, d2));
    await t.deps.db.delete(dailyStats).where(eq(dailyStats.day, d2));
    try {
      expect((await ok(await get(`/api/open-data/daily?from=${d2}&to=${d2}`))).items).toEqual([]);
    } finally {
      await t.deps.db.insert(dailyStats).values(saved);
    }
    const n = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from daily_stats where day = ${d2}`);
    expect(Number(n[0]!.n)).toBe(1);
  });

  it("limits each address to 120 requests a minute across JSON and CSV (429 with Retry-After), other addresses unaffected", async () => {
    const ip = newIp();
    const statuses: number[] = [];
    // Invalid requests count too (the limit runs first), so the loop never touches the database.
    for (let i = 0; i < 119; i++) statuses.push((await get("/api/open-data/daily?provinceCode=x", ip)).status);
    statuses.push((await get("/api/open-data/daily.csv?provinceCode=01", ip)).status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(119);
    expect(statuses[119]).toBe(200);
    const limited = await get("/api/open-data/daily?provinceCode=01", ip);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await get("/api/open-data/daily.csv", ip)).status).toBe(429);
    expect((await get("/api/open-data/daily?provinceCode=01", newIp())).status).toBe(200);
  });
});
