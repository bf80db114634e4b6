/**
 * The statistics page of the portal in real Chromium against the real server (PGlite with the
 * demo data, whose check-ins, declarations, samples, cases and doses the roll-up triggers have
 * counted into daily_stats):
 *
 * - A health officer of Hà Nội signs in, opens Thống kê from the home page's quick links and sees
 *   the province's last 30 days: the headline cards agree with the API, the charts are drawn
 *   (uPlot canvases), the 12 communes are ranked with the API's figures; they change the date
 *   range to the last 7 days and the page follows (address, unit, charts, table); they download
 *   the aggregated table as CSV (UTF-8 with BOM, the header, one row per day × commune of exactly
 *   those 7 days, check-ins per commune equal to the table on screen) and as XLSX (read back with
 *   exceljs: the same header and rows); they drill down to Hoàn Kiếm and back up.
 * - On a 390 px phone the page fits the width: the cards stack in one column, the charts are no
 *   wider than the screen, and widen when the window does.
 * - A province officer writes an announcement (an empty one is refused field by field), publishes
 *   it (the public situation of the province lists it) and withdraws it (it is gone again); a
 *   health officer sees it but has no buttons to change it.
 * Needs the built portal (web/dist): `npm run test:e2e` builds it; run alone, this file builds it
 * when it is missing.
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { statsColumns } from "../../server/stats/exports/service";
import { newPhonePage } from "../support/browser";
import { byTestId, signIn, useBrowserSuite } from "../support/portal-suite";

const HEALTH_OFFICER = { username: "hn.health", password: "Demo@2026" };
const PROVINCE_OFFICER = { username: "hn.province", password: "Demo@2026" };
const PHONE_WIDTH = 390;
const HN_COMMUNES = ["00004", "00008", "00025", "00070", "00082", "00091", "00103", "00118", "00127", "00136", "00166", "00178"];

/** A Vietnam day, YYYY-MM-DD, `offset` days from today. */
const vnDay = (offset = 0) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + offset * 86_400_000));
const daysFrom = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

async function downloadBytes(page: Page, click: () => Promise<unknown>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

interface Dashboard {
  unit: { level: string; code: string; name: string; population: number | null };
  from: string;
  to: string;
  headline: Record<string, number | null>;
  series: ({ day: string } & Record<string, number>)[];
  children: { code: string; name: string; checkins: number; casesNew: number }[];
}

describe("statistics portal (browser)", { timeout: 180_000 }, () => {
  const suite = useBrowserSuite();

  async function dashboard(query: string): Promise<Dashboard> {
    const login = await fetch(`${suite.baseUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(HEALTH_OFFICER) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(`${suite.baseUrl}/api/stats/dashboard?${query}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Dashboard;
  }

  it("a health officer opens the dashboard, changes the date range, downloads the CSV and the XLSX", async () => {
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, HEALTH_OFFICER);
    await page.click(byTestId("quick-nav-stats"));
    await page.locator(byTestId("stats-title")).waitFor();
    expect(new URL(page.url()).pathname).toBe("/stats");

    // The last 30 days of Hà Nội, as the API has them.
    const today = vnDay();
    const unit = page.locator(byTestId("stats-unit"));
    await page.locator(`${byTestId("stats-unit")}[data-from="${vnDay(-29)}"][data-to="${today}"]`).waitFor();
    expect(await unit.getAttribute("data-level")).toBe("province");
    expect(await unit.getAttribute("data-unit-code")).toBe("01");
    expect(await page.locator(byTestId("stats-unit-name")).textContent()).toBe("Hà Nội");
    const month = await dashboard(`from=${vnDay(-29)}&to=${today}`);
    // The demo's activity shows (the roll-ups are filled as the demo is seeded).
    expect(month.headline.checkins).toBeGreaterThan(0);
    for (const key of ["checkins", "declarations", "samples", "cases_new", "f0_active", "in_quarantine"])
      expect(await page.locator(byTestId(`stats-card-${key}`)).getAttribute("data-value"), key).toBe(String(month.headline[key]));
    expect(await page.locator(byTestId("stats-card-doses")).getAttribute("data-value")).toBe(
      String(month.headline.doses_1! + month.headline.doses_2! + month.headline.doses_3!),
    );
    for (const chart of ["checkins", "declarations", "testing", "cases", "vaccination"]) {
      const figure = page.locator(byTestId(`stats-chart-${chart}`));
      expect(await figure.getAttribute("data-days")).toBe("30");
      expect(await figure.locator("canvas").count(), chart).toBeGreaterThan(0);
    }
    const rows = page.locator(byTestId("stats-child"));
    expect(await rows.count()).toBe(12);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-code")))).toEqual(month.children.map((c) => c.code));
    expect(month.children.map((c) => c.code).sort()).toEqual(HN_COMMUNES);

    // The last 7 days instead: typed into "from".
    const from = vnDay(-6);
    await page.fill(byTestId("stats-from"), from);
    await page.locator(`${byTestId("stats-unit")}[data-from="${from}"][data-to="${today}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get("from")).toBe(from);
    await page.locator(`${byTestId("stats-chart-checkins")}[data-days="7"]`).waitFor();
    const week = await dashboard(`from=${from}&to=${today}`);
    await page.locator(`${byTestId("stats-card-checkins")}[data-value="${week.headline.checkins}"]`).waitFor();
    const onScreen = Object.fromEntries(
      await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-code")!, Number(tr.getAttribute("data-checkins"))] as const)),
    );
    expect(onScreen).toEqual(Object.fromEntries(week.children.map((c) => [c.code, c.checkins])));

    // The aggregated table as CSV: BOM, header, one row per day × commune of the 7 days.
    const header = statsColumns("commune").map((c) => c.label);
    const days = daysFrom(from, 7);
    const csv = await downloadBytes(page, () => page.click(byTestId("stats-export-csv")));
    expect(csv.name).toMatch(/\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.bytes.toString("utf8").slice(1);
    expect(text.startsWith(`${header.join(",")}\r\n`)).toBe(true);
    const [head, ...data] = parse(text, { record_delimiter: "\r\n" }) as string[][];
    expect(head).toEqual(header);
    expect(data).toHaveLength(7 * 12);
    const col = (name: string) => header.indexOf(statsColumns("commune").find((c) => c.key === name)!.label);
    expect([...new Set(data.map((r) => r[col("day")]))]).toEqual(days);
    expect([...new Set(data.map((r) => r[col("communeCode")]))].sort()).toEqual(HN_COMMUNES);
    expect(data.every((r) => r[col("provinceCode")] === "01")).toBe(true);
    const csvCheckins: Record<string, number> = {};
    for (const r of data) csvCheckins[r[col("communeCode")]!] = (csvCheckins[r[col("communeCode")]!] ?? 0) + Number(r[col("checkins")]);
    expect(csvCheckins).toEqual(onScreen);
    const csvCases: Record<string, number> = {};
    for (const r of data) csvCases[r[col("communeCode")]!] = (csvCases[r[col("communeCode")]!] ?? 0) + Number(r[col("cases_new")]);
    expect(csvCases).toEqual(Object.fromEntries(week.children.map((c) => [c.code, c.casesNew])));

    // The same table as XLSX, read back with exceljs.
    const xlsx = await downloadBytes(page, () => page.click(byTestId("stats-export-xlsx")));
    expect(xlsx.name).toMatch(/\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const sheetRows: unknown[][] = [];
    sheet.eachRow((row) => sheetRows.push((row.values as unknown[]).slice(1)));
    expect(sheetRows[0]).toEqual(header);
    expect(sheetRows).toHaveLength(1 + 7 * 12);
    const cells = sheetRows.slice(1).map((r) => r.map((v) => (v === null || v === undefined ? "" : String(v))));
    expect(cells.map((r) => r.slice(0, 5))).toEqual(data.map((r) => r.slice(0, 5)));
    expect(cells.map((r) => Number(r[col("checkins")]))).toEqual(data.map((r) => Number(r[col("checkins")])));

    // Down to Hoàn Kiếm and back up to the province.
    await page.locator(`${byTestId("stats-child")}[data-code="00070"]`).locator(byTestId("stats-drill")).click();
    await page.locator(`${byTestId("stats-unit")}[data-unit-code="00070"][data-level="commune"]`).waitFor();
    expect(await page.locator(byTestId("stats-child")).count()).toBe(0);
    expect(await page.locator(byTestId("stats-card-checkins")).getAttribute("data-value")).toBe(String(onScreen["00070"]));
    await page.click(byTestId("stats-crumb-province"));
    await page.locator(`${byTestId("stats-unit")}[data-unit-code="01"]`).waitFor();
    expect(new URL(page.url()).searchParams.get("from")).toBe(from);
    expect(pageErrors).toEqual([]);
  });

  it("fits a 390 px phone: cards in one column, charts as wide as the screen and resized with it", async () => {
    const tp = await newPhonePage(suite.browser, { viewport: { width: PHONE_WIDTH, height: 844 } });
    try {
      const { page, pageErrors } = tp;
      await signIn(page, suite.baseUrl, HEALTH_OFFICER);
      await page.goto(`${suite.baseUrl}/stats`);
      await page.locator(`${byTestId("stats-chart-checkins")} canvas`).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_WIDTH);
      const cards = await page.locator(".stats-card").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), right: r.right })));
      expect(cards.length).toBe(9);
      expect(new Set(cards.map((c) => c.x)).size).toBe(1);
      expect(Math.max(...cards.map((c) => c.right))).toBeLessThanOrEqual(PHONE_WIDTH);
      const chartWidth = () => page.locator(`${byTestId("stats-chart-checkins")} .uplot`).evaluate((e) => e.getBoundingClientRect().width);
      const narrow = await chartWidth();
      expect(narrow).toBeGreaterThan(250);
      expect(narrow).toBeLessThanOrEqual(PHONE_WIDTH);
      await page.setViewportSize({ width: 1280, height: 900 });
      await expect.poll(chartWidth).toBeGreaterThan(450);
      expect(pageErrors).toEqual([]);
    } finally {
      await tp.close();
    }
  });

  it("a province officer writes, publishes and withdraws an announcement of the public situation page", async () => {
    const publicTitles = async () => {
      const res = await fetch(`${suite.baseUrl}/api/public/situation/01`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { announcements: { title: string; body: string }[] }).announcements;
    };
    const title = `Tạm dừng chợ đêm ${Math.random().toString(36).slice(2, 6)}`;
    const body = "Từ thứ Hai, chợ đêm Đồng Xuân tạm dừng.\nNgười dân theo dõi thông báo tiếp theo.";
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, PROVINCE_OFFICER);
    await page.click(byTestId("quick-nav-announcements"));
    await page.locator(byTestId("ann-title")).waitFor();
    expect(await page.locator(byTestId("ann-public-link")).getAttribute("href")).toBe("/tinh-hinh/01");

    await page.click(byTestId("ann-new"));
    await page.click(byTestId("announcement-form-submit"));
    await page.locator(byTestId("announcement-form-title-error")).waitFor();
    await page.locator(byTestId("announcement-form-body-error")).waitFor();
    await page.fill(byTestId("announcement-form-title"), title);
    await page.fill(byTestId("announcement-form-body"), body);
    await page.selectOption(byTestId("announcement-form-kind"), "measure");
    await page.click(byTestId("announcement-form-submit"));
    const row = page.locator(`${byTestId("ann-row")}[data-title="${title}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("draft");
    expect((await publicTitles()).map((a) => a.title)).not.toContain(title);

    await row.locator(byTestId("ann-publish")).click();
    await page.locator(`${byTestId("ann-row")}[data-title="${title}"][data-status="published"]`).waitFor();
    const published = (await publicTitles()).find((a) => a.title === title);
    expect(published).toMatchObject({ title, body, kind: "measure", communeCode: null });

    // A health officer reads it, with nothing to press.
    const reader = await suite.open("desktop");
    await signIn(reader.page, suite.baseUrl, HEALTH_OFFICER);
    await reader.page.goto(`${suite.baseUrl}/announcements`);
    const seen = reader.page.locator(`${byTestId("ann-row")}[data-title="${title}"]`);
    await seen.waitFor();
    expect(await seen.getAttribute("data-status")).toBe("published");
    expect(await reader.page.locator(byTestId("ann-new")).count()).toBe(0);
    expect(await seen.locator(`${byTestId("ann-withdraw")}, ${byTestId("ann-edit")}, ${byTestId("ann-publish")}`).count()).toBe(0);

    await row.locator(byTestId("ann-withdraw")).click();
    await page.locator(`${byTestId("ann-row")}[data-title="${title}"][data-status="withdrawn"]`).waitFor();
    expect((await publicTitles()).map((a) => a.title)).not.toContain(title);
    expect(pageErrors).toEqual([]);
    expect(reader.pageErrors).toEqual([]);
  });
});
