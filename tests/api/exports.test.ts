/**
 * Exports through the API (docs/STATS.md, "Exports"), on both engines: the aggregated table from
 * daily_stats (CSV, JSON, XLSX; province and commune level; the distinct counts of a province
 * from its own row), the line lists of cases, contacts and doses (area scope, formula injection
 * neutralised, F1/F2 counts, one audit row per export with its row count, 2,600 doses streamed
 * in several batches with no cap), the daily report workbook read back with exceljs, content
 * types and file names, and refusals: roles (403), units outside the caller's area (404).
 *
 * The aggregated figures are written straight into daily_stats on days of 2019, and the raw rows
 * of the line lists dated in 2020, so neither the demo data nor the roll-up triggers (which count
 * the raw rows into daily_stats) reach the figures checked.
 */
import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, contacts, dailyStats, people, vaccinationSites, vaccinations, vaccineLots } from "../../db/schema";
import type { AuthUser } from "../../server/auth/scope";
import { lineListSource } from "../../server/stats/exports/line-lists";
import { statsSource } from "../../server/stats/exports/service";
import { readBatches, type RowSource } from "../../server/stats/exports/stream";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const EVIL = '=HYPERLINK("http://evil.test/?x","Bấm vào đây")';
const HN_COMMUNES = ["00004", "00008", "00025", "00070", "00082", "00091", "00103", "00118", "00127", "00136", "00166", "00178"];
const HN_POPULATION = 957_000;
/** Doses of Hà Nội in 2020: 2,600 at Hoàn Kiếm (1,300 people, two doses each), 2 at Cửa Nam. */
const DOSES_HK = 2600;
const DOSES_HN = DOSES_HK + 2;

describe.each(engines())("exports on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnSite" | "hnVenue" | "hcmP" | "hcmC", string>;
  const ids = { caseA: "", caseB: "", caseC: "" };

  const get = (path: string, token?: string) => t.request("GET", path, { token });
  const fails = async (res: Response, status: number, code?: string) => {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    const error = JSON.parse(text).error as { code: string; details?: unknown };
    if (code) expect(error.code).toBe(code);
    return error;
  };
  const download = async (path: string, token: string) => {
    const res = await get(path, token);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status, body.toString("utf8").slice(0, 500)).toBe(200);
    return { res, body, text: body.toString("utf8") };
  };
  /** CSV rows (BOM checked and dropped), header first. */
  const csvRows = (text: string) => {
    expect(text.charCodeAt(0)).toBe(0xfeff);
    return parse(text.slice(1), { record_delimiter: "\r\n" }) as string[][];
  };
  const workbook = async (body: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    return wb;
  };
  const sheetRows = (sheet: ExcelJS.Worksheet) => {
    const out: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => out.push(Array.from((row.values as unknown[]).slice(1), (v) => v ?? null)));
    return out;
  };
  const audits = async () =>
    t.deps.database.query<{ actor_username: string; province_code: string; commune_code: string | null; details: any }>(
      sql`select actor_username, province_code, commune_code, details from audit_log where action = 'export.line_list' order by id`,
    );

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    const names = { admin: "admin", hnP: "hn.province", hnH: "hn.health", hnC: "hn.commune", hnSite: "hn.site", hnVenue: "hn.venue", hcmP: "hcm.province", hcmC: "hcm.commune" } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    const db = t.deps.db;

    // Roll-ups of 2019, written directly (another part of the platform keeps them from the raw tables).
    const stat = (day: string, provinceCode: string, communeCode: string, metric: any, value: number) => ({ day, provinceCode, communeCode, metric, value });
    await db.insert(dailyStats).values([
      stat("2019-03-01", "01", "00070", "checkins", 10),
      stat("2019-03-01", "01", "00070", "visitors", 4),
      stat("2019-03-01", "01", "00070", "cases_new", 2),
      stat("2019-03-01", "01", "00070", "cases_active", 2),
      stat("2019-03-01", "01", "00082", "checkins", 5),
      stat("2019-03-01", "01", "00082", "visitors", 3),
      stat("2019-03-01", "01", "", "visitors", 6),
      stat("2019-03-01", "01", "", "cases_new", 1),
      stat("2019-03-01", "01", "00070", "f1_identified", 7),
      stat("2019-03-02", "01", "00070", "doses_1", 9570),
      stat("2019-03-02", "01", "00070", "doses_2", 580),
      stat("2019-03-02", "01", "00070", "results_positive", 1),
      stat("2019-03-02", "01", "00070", "results_negative", 3),
      stat("2019-03-02", "01", "00070", "samples", 4),
      stat("2019-03-02", "01", "00082", "cases_new", 4),
      stat("2019-03-02", "01", "00082", "cases_active", 1),
      stat("2019-03-02", "01", "00082", "contacts_quarantined", 5),
      stat("2019-03-03", "01", "00070", "cases_new", 100),
      stat("2019-03-01", "79", "26734", "checkins", 99),
      stat("2019-03-01", "79", "26734", "cases_new", 8),
    ]);

    // Line lists of 2020: people, cases, contacts, doses.
    const person = (provinceCode: string, communeCode: string, fullName: string, extra: { birthYear?: number; birthDate?: string; phone?: string } = {}) => ({
      id: randomUUID(),
      provinceCode,
      communeCode,
      fullName,
      ...extra,
    });
    const pEvil = person("01", "00070", EVIL, { birthYear: 1980, phone: "0911000001" });
    const pPlus = person("01", "00082", "+1", { birthYear: 1991, phone: "0911000002" });
    const pF1a = person("01", "00070", "Lê Văn F1, \"Tí\"", { phone: "0911000003" });
    const pF1b = person("01", "00070", "@Phạm Thị F1");
    const pF2 = person("01", "00082", "Đỗ F2");
    const pHcm = person("79", "26734", "Trần Thị Sài Gòn", { birthYear: 1975 });
    const pHcmF1 = person("79", "26734", "Võ F1 Sài Gòn");
    await db.insert(people).values([pEvil, pPlus, pF1a, pF1b, pF2, pHcm, pHcmF1]);
    const aCase = (p: { id: string; provinceCode: string; communeCode: string }, confirmedOn: string, method: "pcr" | "rapid_antigen") => ({
      id: randomUUID(),
      provinceCode: p.provinceCode,
      communeCode: p.communeCode,
      personId: p.id,
      confirmedOn,
      method,
    });
    const caseA = aCase(pEvil, "2020-05-01", "pcr");
    const caseB = aCase(pPlus, "2020-05-02", "rapid_antigen");
    const caseC = aCase(pHcm, "2020-05-01", "pcr");
    await db.insert(cases).values([caseA, caseB, caseC]);
    Object.assign(ids, { caseA: caseA.id, caseB: caseB.id, caseC: caseC.id });
    const contact = (c: typeof caseA, p: { id: string; provinceCode: string; communeCode: string }, degree: number, createdAt: string, status: any = "quarantined") => ({
      provinceCode: p.provinceCode,
      communeCode: p.communeCode,
      caseId: c.id,
      caseProvinceCode: c.provinceCode,
      personId: p.id,
      degree,
      source: "household" as const,
      firstExposureAt: new Date("2020-04-29T03:00:00Z"),
      lastExposureAt: new Date("2020-04-30T03:00:00Z"),
      status,
      quarantineUntil: "2020-05-14",
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
    });
    await db.insert(contacts).values([
      contact(caseA, pF1a, 1, "2020-05-01T18:30:00Z"), // 2020-05-02 01:30 in Vietnam
      contact(caseA, pF1b, 1, "2020-05-02T03:00:00Z", "notified"),
      contact(caseA, pF2, 2, "2020-05-03T03:00:00Z"),
      contact(caseC, pHcmF1, 1, "2020-05-02T03:00:00Z"),
    ]);

    const [lot] = await db.insert(vaccineLots).values({ productCode: "PF", lotNumber: "PF-EXPORT-1", expiresOn: "2030-01-01" }).returning();
    const sites = await db.select().from(vaccinationSites);
    const hk = sites.find((s) => s.communeCode === "00070")!;
    const sg = sites.find((s) => s.communeCode === "26734")!;
    const vaccinees = Array.from({ length: DOSES_HK / 2 }, (_, i) =>
      person("01", "00070", `Người tiêm ${String(i).padStart(4, "0")}`, { birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}` }),
    );
    for (let i = 0; i < vaccinees.length; i += 500) await db.insert(people).values(vaccinees.slice(i, i + 500));
    const doses = vaccinees.flatMap((p, i) =>
      [1, 2].map((doseNumber) => ({
        provinceCode: "01",
        communeCode: "00070",
        personId: p.id,
        productCode: "PF",
        lotId: lot!.id,
        doseNumber,
        // five days, many doses a day: the keyset must page through ties on the day
        givenOn: `2020-06-0${doseNumber === 1 ? 1 + (i % 3) : 4 + (i % 2)}`,
        siteId: hk.id,
      })),
    );
    for (let i = 0; i < doses.length; i += 500) await db.insert(vaccinations).values(doses.slice(i, i + 500));
    const cn = sites.find((s) => s.communeCode === "00082")!;
    const dose1 = (p: { id: string; provinceCode: string; communeCode: string }, siteId: string, givenOn: string) =>
      ({ provinceCode: p.provinceCode, communeCode: p.communeCode, personId: p.id, productCode: "PF", lotId: lot!.id, doseNumber: 1, givenOn, siteId });
    // Cửa Nam's doses are a day earlier than most of Hoàn Kiếm's, and come after them: the list is by commune, then day
    await db.insert(vaccinations).values([dose1(pPlus, cn.id, "2020-06-01"), dose1(pF2, cn.id, "2020-06-02"), dose1(pHcm, sg.id, "2020-06-02")]);
  });
  afterAll(() => t?.close());

  describe("the aggregated table", () => {
    it("CSV of the caller's province: every day of the range, every metric, distinct counts from the province's own row", async () => {
      const { res, text } = await download("/api/exports/stats.csv?from=2019-03-01&to=2019-03-04", tok.hnP);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="stats_province_01_2019-03-01_2019-03-04.csv"');
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const [header, ...rows] = csvRows(text);
      expect(header!.slice(0, 6)).toEqual(["Ngày", "Mã tỉnh", "Tỉnh/thành phố", "Lượt check-in", "Số người đến", "Địa điểm có check-in"]);
      expect(header).toHaveLength(3 + 23);
      expect(header).toContain("Ca mắc mới");
      expect(rows.map((r) => r.slice(0, 3))).toEqual([
        ["2019-03-01", "01", "Hà Nội"],
        ["2019-03-02", "01", "Hà Nội"],
        ["2019-03-03", "01", "Hà Nội"],
        ["2019-03-04", "01", "Hà Nội"],
      ]);
      const col = (name: string) => header!.indexOf(name);
      expect(rows[0]![col("Lượt check-in")]).toBe("15");
      expect(rows[0]![col("Số người đến")]).toBe("6"); // the province's row, not 4 + 3 + 6
      expect(rows[0]![col("Ca mắc mới")]).toBe("3"); // a commune's 2 and 1 without a commune
      expect(rows[1]![col("Mũi 1")]).toBe("9570");
      expect(rows[1]![col("Ca mắc mới")]).toBe("4");
      expect(rows[2]![col("Ca mắc mới")]).toBe("100");
      expect(rows[3]!.slice(3).every((v) => v === "0")).toBe(true);
    });

    it("JSON by commune: every commune of the province each day, zeros included, keys as the metrics", async () => {
      const { res, text } = await download("/api/exports/stats.json?level=commune&from=2019-03-01&to=2019-03-02", tok.hnH);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="stats_commune_01_2019-03-01_2019-03-02.json"');
      const rows = JSON.parse(text) as any[];
      expect(rows).toHaveLength(2 * HN_COMMUNES.length);
      expect(rows.map((r) => `${r.day} ${r.communeCode}`)).toEqual(["2019-03-01", "2019-03-02"].flatMap((d) => HN_COMMUNES.map((c) => `${d} ${c}`)));
      const hk1 = rows.find((r) => r.day === "2019-03-01" && r.communeCode === "00070");
      expect(hk1).toMatchObject({ provinceCode: "01", provinceName: "Hà Nội", communeName: "Hoàn Kiếm", checkins: 10, visitors: 4, cases_new: 2, f1_identified: 7, doses_1: 0 });
      expect(Object.keys(hk1).slice(0, 6)).toEqual(["day", "provinceCode", "provinceName", "communeCode", "communeName", "checkins"]);
      expect(rows.find((r) => r.day === "2019-03-01" && r.communeCode === "00082")).toMatchObject({ checkins: 5, visitors: 3, cases_new: 0 });
      expect(rows.find((r) => r.day === "2019-03-02" && r.communeCode === "00004")).toMatchObject({ checkins: 0, cases_new: 0, doses_1: 0 });
      // rows without a commune count at province level only
      expect(rows.filter((r) => r.day === "2019-03-01").reduce((s, r) => s + r.cases_new, 0)).toBe(2);
    });

    it("XLSX: a header row in Vietnamese, then one row per day × unit", async () => {
      const { res, body } = await download("/api/exports/stats.xlsx?level=commune&communeCode=00070&from=2019-03-01&to=2019-03-03", tok.hnP);
      expect(res.headers.get("content-type")).toBe(XLSX);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="stats_commune_01-00070_2019-03-01_2019-03-03.xlsx"');
      const wb = await workbook(body);
      expect(wb.worksheets.map((s) => s.name)).toEqual(["Số liệu"]);
      const rows = sheetRows(wb.worksheets[0]!);
      expect(rows).toHaveLength(1 + 3);
      expect(rows[0]!.slice(0, 6)).toEqual(["Ngày", "Mã tỉnh", "Tỉnh/thành phố", "Mã xã/phường", "Xã/phường", "Lượt check-in"]);
      expect(rows[1]!.slice(0, 6)).toEqual(["2019-03-01", "01", "Hà Nội", "00070", "Hoàn Kiếm", 10]);
      const header = rows[0] as string[];
      expect(rows[2]![header.indexOf("Mũi 1")]).toBe(9570);
      expect(rows[3]![header.indexOf("Ca mắc mới")]).toBe(100);
    });

    it("a commune officer gets their commune; the province level or another commune is 404", async () => {
      const { res, text } = await download("/api/exports/stats.json?from=2019-03-01&to=2019-03-01", tok.hnC);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="stats_commune_01-00070_2019-03-01_2019-03-01.json"');
      expect(JSON.parse(text)).toEqual([expect.objectContaining({ communeCode: "00070", checkins: 10, visitors: 4 })]);
      const same = JSON.parse((await download("/api/exports/stats.json?provinceCode=01&level=commune&from=2019-03-01&to=2019-03-01", tok.hnC)).text);
      expect(same.map((r: any) => r.communeCode)).toEqual(["00070"]);
      await fails(await get("/api/exports/stats.csv?level=province&from=2019-03-01&to=2019-03-01", tok.hnC), 404, "not_found");
      await fails(await get("/api/exports/stats.csv?communeCode=00082", tok.hnC), 404, "not_found");
    });

    it("another province's units are 404; the caller's own export never shows them", async () => {
      await fails(await get("/api/exports/stats.csv?provinceCode=01", tok.hcmP), 404, "not_found");
      await fails(await get("/api/exports/stats.json?level=commune&provinceCode=01", tok.hcmP), 404, "not_found");
      await fails(await get("/api/exports/stats.xlsx?communeCode=00070", tok.hcmP), 404, "not_found");
      await fails(await get("/api/exports/stats.csv?communeCode=00070", tok.hcmC), 404, "not_found");
      await fails(await get("/api/exports/stats.csv?communeCode=99999", tok.admin), 404, "not_found");
      await fails(await get("/api/exports/stats.csv?provinceCode=99", tok.admin), 404, "not_found");
      await fails(await get("/api/exports/stats.csv?provinceCode=79&communeCode=00070", tok.admin), 404, "not_found");
      const rows = JSON.parse((await download("/api/exports/stats.json?from=2019-03-01&to=2019-03-01", tok.hcmP)).text);
      expect(rows).toEqual([expect.objectContaining({ provinceCode: "79", checkins: 99, cases_new: 8 })]);
    });

    it("the national admin gets every province", async () => {
      const rows = JSON.parse((await download("/api/exports/stats.json?from=2019-03-01&to=2019-03-01", tok.admin)).text);
      expect(rows).toHaveLength(34);
      expect(rows.find((r: any) => r.provinceCode === "01")).toMatchObject({ checkins: 15, visitors: 6, cases_new: 3 });
      expect(rows.find((r: any) => r.provinceCode === "79")).toMatchObject({ checkins: 99, cases_new: 8 });
      expect(rows.find((r: any) => r.provinceCode === "04")).toMatchObject({ checkins: 0 });
    });

    it("refuses roles without exports, bad ranges and levels", async () => {
      await fails(await get("/api/exports/stats.csv", tok.hnVenue), 403, "forbidden");
      await fails(await get("/api/exports/stats.csv", tok.hnSite), 403, "forbidden");
      await fails(await get("/api/exports/stats.csv"), 401, "unauthorized");
      await fails(await get("/api/exports/stats.csv?from=2019-03-02&to=2019-03-01", tok.hnP), 400, "validation_failed");
      // at most 1,096 days per file: three years pass, a day more does not (a fuzzed year 5571 held PGlite for minutes)
      const threeYears = await get("/api/exports/stats.csv?level=province&from=2023-01-01&to=2025-12-31", tok.hnP);
      expect(threeYears.status).toBe(200);
      expect((await threeYears.text()).trim().split("\r\n")).toHaveLength(1 + 1096); // header + a row per day of province 01
      const long = await fails(await get("/api/exports/stats.csv?from=2023-01-01&to=2026-01-01", tok.hnP), 400, "validation_failed");
      expect(long.details).toEqual([{ path: "to", message: "Tối đa 1096 ngày mỗi tệp; hãy xuất từng đoạn / At most 1096 days per file; export the range in parts" }]);
      await fails(await get("/api/exports/line-lists/cases.csv?from=2026-10-14&to=5571-07-16", tok.hnP), 400, "validation_failed");
      await fails(await get("/api/exports/stats.csv?level=province&communeCode=00070", tok.hnP), 400, "validation_failed");
      await fails(await get("/api/exports/stats.csv?level=country", tok.hnP), 400, "validation_failed");
      await fails(await get("/api/exports/stats.csv?from=2019-02-30", tok.hnP), 400, "validation_failed");
    });
  });

  describe("line lists", () => {
    const casesPath = "/api/exports/line-lists/cases.csv?from=2020-05-01&to=2020-05-31";

    it("cases: the province's rows with F1/F2 counts, formulas neutralised, one audit row with the row count", async () => {
      const before = (await audits()).length;
      const { res, text } = await download(casesPath, tok.hnP);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="line-list-cases_01_2020-05-01_2020-05-31.csv"');
      // the raw text: the formula starts with ' inside a quoted cell, its quotes doubled
      expect(text).toContain(`"'=HYPERLINK(""http://evil.test/?x"",""Bấm vào đây"")"`);
      expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
      const [header, ...rows] = csvRows(text);
      expect(header).toEqual([
        "Mã ca bệnh",
        "Họ và tên",
        "Năm sinh",
        "Số điện thoại",
        "Mã tỉnh",
        "Mã xã/phường",
        "Xã/phường",
        "Ngày xác nhận",
        "Phương pháp xác nhận",
        "Tình trạng",
        "Số F1",
        "Số F2",
      ]);
      expect(rows).toEqual([
        [ids.caseA, `'${EVIL}`, "1980", "0911000001", "01", "00070", "Hoàn Kiếm", "2020-05-01", "pcr", "active", "2", "1"],
        [ids.caseB, "'+1", "1991", "0911000002", "01", "00082", "Cửa Nam", "2020-05-02", "rapid_antigen", "active", "0", "0"],
      ]);
      const after = await audits();
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toMatchObject({
        actor_username: "hn.province",
        province_code: "01",
        commune_code: null,
        details: { kind: "cases", format: "csv", filters: { from: "2020-05-01", to: "2020-05-31", communeCode: null }, rows: 2, complete: true },
      });
    });

    it("a commune filter narrows the list and names the file; the audit row carries the commune", async () => {
      const { res, text } = await download(`${casesPath}&communeCode=00082`, tok.hnH);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="line-list-cases_01-00082_2020-05-01_2020-05-31.csv"');
      expect(csvRows(text).slice(1).map((r) => r[0])).toEqual([ids.caseB]);
      expect((await audits()).at(-1)).toMatchObject({
        actor_username: "hn.health",
        province_code: "01",
        commune_code: "00082",
        details: { kind: "cases", rows: 1, filters: { communeCode: "00082" } },
      });
    });

    it("another province's officer sees only their rows; a Hà Nội commune is 404 and writes no audit row", async () => {
      const rows = csvRows((await download(casesPath, tok.hcmP)).text).slice(1);
      expect(rows.map((r) => r[0])).toEqual([ids.caseC]);
      const before = (await audits()).length;
      await fails(await get(`${casesPath}&communeCode=00070`, tok.hcmP), 404, "not_found");
      await fails(await get("/api/exports/line-lists/doses.xlsx?communeCode=00070", tok.hcmP), 404, "not_found");
      await fails(await get("/api/exports/line-lists/contacts.json?communeCode=00082", tok.hcmP), 404, "not_found");
      await fails(await get(`${casesPath}&communeCode=99999`, tok.admin), 404, "not_found");
      expect(await audits()).toHaveLength(before);
      const all = csvRows((await download(casesPath, tok.admin)).text).slice(1);
      expect(all.map((r) => r[0]).sort()).toEqual([ids.caseA, ids.caseB, ids.caseC].sort());
    });

    it("commune officers, site and venue staff may not export line lists (403)", async () => {
      for (const kind of ["cases", "contacts", "doses"])
        for (const format of ["csv", "xlsx", "json"]) await fails(await get(`/api/exports/line-lists/${kind}.${format}`, tok.hnC), 403, "forbidden");
      await fails(await get("/api/exports/line-lists/cases.csv", tok.hcmC), 403, "forbidden");
      await fails(await get("/api/exports/line-lists/doses.csv", tok.hnSite), 403, "forbidden");
      await fails(await get("/api/exports/line-lists/contacts.csv", tok.hnVenue), 403, "forbidden");
      await fails(await get("/api/exports/line-lists/cases.csv"), 401, "unauthorized");
      await fails(await get("/api/exports/line-lists/people.csv", tok.hnP), 404);
      await fails(await get("/api/exports/line-lists/cases.csv?from=2020-05-02&to=2020-05-01", tok.hnP), 400, "validation_failed");
    });

    it("contacts (JSON): by the day identified in Vietnam time, with the case, degree and quarantine", async () => {
      const { res, text } = await download("/api/exports/line-lists/contacts.json?from=2020-05-02&to=2020-05-31", tok.hnP);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="line-list-contacts_01_2020-05-02_2020-05-31.json"');
      const rows = JSON.parse(text) as any[];
      expect(rows.map((r) => [r.personName, r.degree, r.identifiedOn, r.status])).toEqual([
        ['Lê Văn F1, "Tí"', 1, "2020-05-02", "quarantined"],
        ["@Phạm Thị F1", 1, "2020-05-02", "notified"],
        ["Đỗ F2", 2, "2020-05-03", "quarantined"],
      ]);
      expect(Object.keys(rows[0])).toEqual([
        "id",
        "caseId",
        "personName",
        "phone",
        "degree",
        "source",
        "status",
        "identifiedOn",
        "quarantineUntil",
        "provinceCode",
        "communeCode",
        "communeName",
      ]);
      expect(rows[0]).toMatchObject({ caseId: ids.caseA, phone: "0911000003", source: "household", quarantineUntil: "2020-05-14", communeCode: "00070", communeName: "Hoàn Kiếm" });
      // 2020-05-01 18:30 UTC is already 2 May in Vietnam: not in a list of 1 May
      const first = JSON.parse((await download("/api/exports/line-lists/contacts.json?from=2020-05-01&to=2020-05-01", tok.hnP)).text);
      expect(first).toEqual([]);
      expect((await audits()).at(-1)).toMatchObject({ details: { kind: "contacts", format: "json", rows: 0, complete: true } });
      const hcm = JSON.parse((await download("/api/exports/line-lists/contacts.json?from=2020-05-01&to=2020-05-31", tok.hcmP)).text);
      expect(hcm.map((r: any) => r.personName)).toEqual(["Võ F1 Sài Gòn"]);
    });

    it(`doses (CSV): all ${DOSES_HN} rows streamed in several batches, by commune then day, none twice, none from another province`, async () => {
      const { text } = await download("/api/exports/line-lists/doses.csv?from=2020-06-01&to=2020-06-30", tok.hnP);
      const [header, ...rows] = csvRows(text);
      expect(header).toEqual(["Mã mũi tiêm", "Họ và tên", "Ngày sinh", "Mã vắc xin", "Vắc xin", "Số lô", "Mũi số", "Ngày tiêm", "Điểm tiêm", "Mã tỉnh", "Mã xã/phường", "Xã/phường"]);
      expect(rows).toHaveLength(DOSES_HN);
      expect(new Set(rows.map((r) => r[0])).size).toBe(DOSES_HN);
      const keys = rows.map((r) => `${r[9]} ${r[10]} ${r[7]} ${r[0]}`);
      expect(keys).toEqual([...keys].sort());
      expect(rows.slice(0, DOSES_HK).every((r) => r[9] === "01" && r[10] === "00070" && r[5] === "PF-EXPORT-1" && r[3] === "PF")).toBe(true);
      expect(rows.slice(DOSES_HK).map((r) => [r[1], r[7], r[8], r[10], r[11]])).toEqual([
        ["'+1", "2020-06-01", "Trung tâm Y tế Cửa Nam", "00082", "Cửa Nam"],
        ["Đỗ F2", "2020-06-02", "Trung tâm Y tế Cửa Nam", "00082", "Cửa Nam"],
      ]);
      expect(rows.filter((r) => r[6] === "2")).toHaveLength(DOSES_HK / 2);
      const one = rows.find((r) => r[1] === "Người tiêm 0007" && r[6] === "1")!;
      expect(one.slice(1, 9)).toEqual(["Người tiêm 0007", "1957-08-17", "PF", expect.any(String), "PF-EXPORT-1", "1", "2020-06-02", "Trạm Y tế phường Hoàn Kiếm"]);
      expect((await audits()).at(-1)).toMatchObject({ actor_username: "hn.province", details: { kind: "doses", format: "csv", rows: DOSES_HN, complete: true } });
      const national = csvRows((await download("/api/exports/line-lists/doses.csv?from=2020-06-01&to=2020-06-30", tok.admin)).text);
      expect(national).toHaveLength(1 + DOSES_HN + 1);
      expect(national.at(-1)!.slice(9, 11)).toEqual(["79", "26734"]);
      const nationalKeys = national.slice(1).map((r) => `${r[9]} ${r[10]} ${r[7]} ${r[0]}`);
      expect(nationalKeys).toEqual([...nationalKeys].sort());
      expect((await audits()).at(-1)).toMatchObject({ actor_username: "admin", province_code: "00", details: { rows: DOSES_HN + 1 } });
    });

    it("a download stopped after its first batch is audited as incomplete, and the rows under it are released", async () => {
      const before = (await audits()).length;
      const res = await get("/api/exports/line-lists/doses.json?from=2020-06-01&to=2020-06-30", tok.hnP);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      expect(new TextDecoder().decode(first.value).startsWith("[\n{")).toBe(true);
      await reader.cancel();
      const after = await audits();
      expect(after).toHaveLength(before + 1);
      const { rows, complete } = after.at(-1)!.details;
      expect(complete).toBe(false);
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThan(DOSES_HN);
      // the database answers the next export as usual
      expect(JSON.parse((await download("/api/exports/line-lists/doses.json?from=2020-06-01&to=2020-06-30", tok.hnP)).text)).toHaveLength(DOSES_HN);
    });

    it("gives the same rows whatever the batch size (keyset pages on PGlite, cursor fetches on PostgreSQL)", async () => {
      const admin: AuthUser = { id: randomUUID(), username: "admin", role: "national_admin", provinceCode: null, communeCode: null };
      // a dose without a commune: sorted last in its province, paged past by the null-aware key
      const [lot] = await t.deps.db.select().from(vaccineLots).where(sql`lot_number = 'PF-EXPORT-1'`);
      const [nowhere] = await t.deps.db
        .insert(vaccinations)
        .values({ provinceCode: "79", communeCode: null, personId: randomUUID(), productCode: "PF", lotId: lot!.id, doseNumber: 1, givenOn: "2020-06-01", siteId: randomUUID() })
        .returning();
      try {
        const paged = async (source: RowSource<any>, size: number) => {
          const out: unknown[] = [];
          for await (const b of readBatches(t.deps.database, source, size)) {
            expect(b.length).toBeLessThanOrEqual(size);
            out.push(...b);
          }
          return out;
        };
        const filters = { from: "2020-01-01", to: "2020-12-31", communeCode: null };
        for (const [kind, size] of [["cases", 1], ["contacts", 2], ["doses", 97]] as const) {
          const source = lineListSource(kind, admin, filters);
          const whole = await t.deps.database.query(source.select());
          expect(whole.length).toBe({ cases: 3, contacts: 4, doses: DOSES_HN + 2 }[kind]);
          expect(await paged(source, size), kind).toEqual(whole);
        }
        const doses = await paged(lineListSource("doses", admin, filters), 97);
        expect(doses.at(-1)).toMatchObject({ id: nowhere!.id, provinceCode: "79", communeCode: null });
        const stats = statsSource({ level: "commune", provinceCode: null, communeCode: null }, { from: "2019-03-01", to: "2019-03-02" });
        const whole = await t.deps.database.query(stats.select());
        expect(whole).toHaveLength(2 * 18);
        expect(await paged(stats, 5)).toEqual(whole);
      } finally {
        await t.deps.db.delete(vaccinations).where(sql`id = ${nowhere!.id}`);
      }
    });

    it("doses (XLSX): read back with exceljs, header, values and every row", async () => {
      const { res, body } = await download("/api/exports/line-lists/doses.xlsx?from=2020-06-01&to=2020-06-30", tok.hnH);
      expect(res.headers.get("content-type")).toBe(XLSX);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="line-list-doses_01_2020-06-01_2020-06-30.xlsx"');
      const wb = await workbook(body);
      expect(wb.worksheets.map((s) => s.name)).toEqual(["Mũi tiêm"]);
      const rows = sheetRows(wb.worksheets[0]!);
      expect(rows).toHaveLength(1 + DOSES_HN);
      expect(rows[0]).toEqual(["Mã mũi tiêm", "Họ và tên", "Ngày sinh", "Mã vắc xin", "Vắc xin", "Số lô", "Mũi số", "Ngày tiêm", "Điểm tiêm", "Mã tỉnh", "Mã xã/phường", "Xã/phường"]);
      expect(rows[1]![7]).toBe("2020-06-01");
      expect(rows[1]![6]).toBe(1);
      expect(rows[DOSES_HK]![7]).toBe("2020-06-05");
      expect(rows[DOSES_HN]!.slice(7, 11)).toEqual(["2020-06-02", "Trung tâm Y tế Cửa Nam", "01", "00082"]);
      expect((await audits()).at(-1)).toMatchObject({ details: { kind: "doses", format: "xlsx", rows: DOSES_HN, complete: true } });
    });

    it("cases (XLSX): a name that looks like a formula stays text", async () => {
      const { body } = await download(casesPath.replace("cases.csv", "cases.xlsx"), tok.hnP);
      const rows = sheetRows((await workbook(body)).worksheets[0]!);
      expect(rows).toHaveLength(3);
      expect(rows[1]![1]).toBe(EVIL);
      expect(rows[2]![1]).toBe("+1");
    });

    it("cases (XLSX): control characters XML cannot carry are dropped (by exceljs), so the file still opens; CSV keeps them", async () => {
      const [p] = await t.deps.db.insert(people).values({ provinceCode: "01", communeCode: "00070", fullName: "Chuông\u0007 Báo\u000b" }).returning();
      await t.deps.db.insert(cases).values({ provinceCode: "01", communeCode: "00070", personId: p!.id, confirmedOn: "2020-07-01", method: "pcr" });
      const path = "/api/exports/line-lists/cases.xlsx?from=2020-07-01&to=2020-07-01";
      const rows = sheetRows((await workbook((await download(path, tok.hnP)).body)).worksheets[0]!);
      expect(rows.map((r) => r[1])).toEqual(["Họ và tên", "Chuông Báo"]);
      const csv = csvRows((await download(path.replace(".xlsx", ".csv"), tok.hnP)).text);
      expect(csv[1]![1]).toBe("Chuông\u0007 Báo\u000b");
    });
  });

  describe("the daily report", () => {
    const cell = (rows: unknown[][], label: string) => rows.find((r) => r[1] === label)?.slice(2, 4);

    it("has the day and the cumulative figures of the province, and one row per commune", async () => {
      const { res, body } = await download("/api/exports/daily-report.xlsx?day=2019-03-02", tok.hnP);
      expect(res.headers.get("content-type")).toBe(XLSX);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="daily-report_01_2019-03-02.xlsx"');
      const wb = await workbook(body);
      expect(wb.worksheets.map((s) => s.name)).toEqual(["Tổng hợp", "Theo xã"]);
      const summary = sheetRows(wb.getWorksheet("Tổng hợp")!);
      expect(summary[0]![0]).toBe("BÁO CÁO TÌNH HÌNH DỊCH BỆNH NGÀY 02/03/2019");
      expect(summary[1]![0]).toBe("Đơn vị: Hà Nội (01)");
      expect(summary[4]).toEqual(["STT", "Chỉ tiêu", "Trong ngày", "Cộng dồn / hiện tại"]);
      expect(cell(summary, "Ca mắc mới (F0)")).toEqual([4, 7]); // not the 100 of the 3rd
      expect(cell(summary, "Ca đang điều trị (hiện tại)")).toEqual([null, 3]);
      expect(cell(summary, "F1 mới xác định")).toEqual([0, 7]);
      expect(cell(summary, "Đang cách ly (hiện tại)")![1]).toBe(5);
      expect(cell(summary, "Tỉ lệ dương tính (%)")).toEqual([25, 25]);
      expect(cell(summary, "Mũi 1")).toEqual([9570, 9570]);
      expect(cell(summary, "Tổng số mũi tiêm")).toEqual([10150, 10150]);
      expect(cell(summary, "Dân số")![1]).toBe(HN_POPULATION);
      expect(cell(summary, "Tỉ lệ bao phủ mũi 1 (%)")![1]).toBe(1);

      const communes = sheetRows(wb.getWorksheet("Theo xã")!);
      expect(communes[0]!.slice(0, 6)).toEqual(["Mã xã/phường", "Xã/phường", "Dân số", "Ca mắc mới trong ngày", "Ca mắc cộng dồn", "Đang điều trị"]);
      // header, the 12 communes, figures without a commune (the 1 case of 1 March), the province's total
      expect(communes).toHaveLength(1 + HN_COMMUNES.length + 2);
      expect(communes.slice(1, 13).map((r) => r[0])).toEqual(HN_COMMUNES);
      const header = communes[0] as string[];
      const hk = communes.find((r) => r[0] === "00070")!;
      expect(hk.slice(0, 6)).toEqual(["00070", "Hoàn Kiếm", 58000, 0, 2, 2]);
      expect(hk[header.indexOf("Bao phủ mũi 1 (%)")]).toBe(16.5);
      expect(hk[header.indexOf("Tỉ lệ dương tính trong ngày (%)")]).toBe(25);
      expect(communes.find((r) => r[0] === "00082")!.slice(3, 6)).toEqual([4, 4, 1]);
      expect(communes.at(-2)!.slice(0, 5)).toEqual([null, "Chưa rõ xã/phường", null, 0, 1]);
      expect(communes.at(-1)!.slice(0, 5)).toEqual(["01", "Toàn tỉnh: Hà Nội", HN_POPULATION, 4, 7]);
    });

    it("a commune officer gets their commune's report; other provinces are 404; the national admin names the province", async () => {
      const { res, body } = await download("/api/exports/daily-report.xlsx?day=2019-03-02", tok.hnC);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="daily-report_01-00070_2019-03-02.xlsx"');
      const wb = await workbook(body);
      const summary = sheetRows(wb.getWorksheet("Tổng hợp")!);
      expect(summary[1]![0]).toBe("Đơn vị: Hoàn Kiếm (00070), Hà Nội");
      expect(cell(summary, "Ca mắc mới (F0)")).toEqual([0, 2]);
      const communes = sheetRows(wb.getWorksheet("Theo xã")!);
      expect(communes.map((r) => r[0])).toEqual(["Mã xã/phường", "00070"]);

      await fails(await get("/api/exports/daily-report.xlsx?provinceCode=01", tok.hcmP), 404, "not_found");
      await fails(await get("/api/exports/daily-report.xlsx?provinceCode=01", tok.hcmC), 404, "not_found");
      await fails(await get("/api/exports/daily-report.xlsx?provinceCode=99", tok.admin), 404, "not_found");
      await fails(await get("/api/exports/daily-report.xlsx", tok.admin), 400, "validation_failed");
      await fails(await get("/api/exports/daily-report.xlsx", tok.hnVenue), 403, "forbidden");
      const hcm = await workbook((await download("/api/exports/daily-report.xlsx?day=2019-03-01&provinceCode=79", tok.admin)).body);
      expect(cell(sheetRows(hcm.getWorksheet("Tổng hợp")!), "Ca mắc mới (F0)")).toEqual([8, 8]);
    });
  });
});
