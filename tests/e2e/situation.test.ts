/**
 * The public situation page (/tinh-hinh/<provinceCode>, docs/STATS.md) in real Chromium on a
 * 375 px phone against the real server (PGlite, demo data, roll-up rows written here): the
 * province's figures of the latest day and of 7 days (small counts as "dưới 5"), a published
 * announcement shown verbatim as text (a `<script>` in it stays text), a draft never shown,
 * Vietnamese by default with an English switch that sticks, the links to the citizen tools
 * landing on working pages, the province list for an unknown code, one request for the data,
 * and the page's own bundle within 30 KB gzipped.
 * Needs the built pages (web/dist): `npm run test:e2e` builds them; run alone, this file builds
 * them when the situation page is missing.
 */
import { serve } from "@hono/node-server";
import { existsSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyStats, type Metric } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { addDays } from "../../server/vaccination/doses/rules";
import { launchBrowser, newPhonePage, type TestPage } from "../support/browser";
import { createTestPlatform, type TestPlatform } from "../support/platform";
import { byTestId } from "../support/portal-suite";

const webConfig = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));
const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));
/** Everything the page loads, JavaScript gzipped (its own entry, not the portal). */
const JS_BUDGET = 30 * 1024;
const BODY = "Từ 0h ngày mai tạm dừng chợ đêm.\n  Người dân đeo khẩu trang nơi công cộng.\n<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">";
const TITLE = "Tạm dừng chợ đêm phố cổ";
const DRAFT = "Bản nháp: chưa được đăng";

const pad = (n: number) => String(n).padStart(2, "0");
const short = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
const full = (day: string) => `${short(day)}/${day.slice(0, 4)}`;
const vnTime = (iso: string) => {
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
};

describe("public situation page (browser)", { timeout: 60_000 }, () => {
  let t: TestPlatform;
  let server: ReturnType<typeof serve>;
  let baseUrl = "";
  let browser: Browser;
  const opened: TestPage[] = [];
  let day = "";
  let publishedAt = "";

  const phone = async () => {
    const tp = await newPhonePage(browser);
    opened.push(tp);
    return tp;
  };
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await t.request(method, path, { token, body });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as any;
  };

  beforeAll(async () => {
    if (!["index.html", "checkin.html", "citizen.html", "situation.html"].every((f) => existsSync(`${dist}${f}`))) {
      const { build } = await import("vite");
      await build({ configFile: webConfig, logLevel: "warn" });
    }
    t = await createTestPlatform("pglite");
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();

    // The roll-ups of Hà Nội: yesterday is the latest day with data.
    const today = vnDay(t.deps.now());
    day = addDays(today, -1);
    const row = (d: string, communeCode: string, metric: Metric, value: number) => ({ day: d, provinceCode: "01", communeCode, metric, value });
    await t.deps.db.delete(dailyStats);
    await t.deps.db.insert(dailyStats).values([
      row(day, "00070", "checkins", 12_000),
      row(day, "00082", "checkins", 345), // 12,345
      row(day, "00070", "cases_new", 3), // under 5 on the day …
      row(addDays(day, -4), "00070", "cases_new", 4), // … 7 over the week
      row(day, "00070", "doses_1", 0),
      row(day, "00070", "results_positive", 5),
    ]);

    const province = await t.login("hn.province");
    const commune = await t.login("hn.commune");
    const a = await api("POST", "/api/announcements", commune, { kind: "measure", title: TITLE, body: BODY });
    publishedAt = (await api("PATCH", `/api/announcements/${a.id}`, commune, { status: "published" })).publishedAt;
    await api("POST", "/api/announcements", province, { title: DRAFT, body: "Chưa đăng" });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((tp) => tp.close()));
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
  }, 30_000);

  it("shows the day's figures and the published announcement as text, in Vietnamese, in one request, within the budget", async () => {
    const tp = await phone();
    const { page } = tp;
    const scripts = new Set<string>();
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (r) => {
      requests.push(new URL(r.url()).pathname);
      if (r.resourceType() === "script") scripts.add(new URL(r.url()).pathname);
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    await page.goto(`${baseUrl}/tinh-hinh/01`);
    await page.locator(byTestId("situation-province")).waitFor();

    expect(await page.textContent(byTestId("situation-province"))).toBe("Hà Nội");
    expect(await page.textContent(byTestId("situation-day"))).toBe(`Số liệu mới nhất: ngày ${full(day)}`);
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    expect(await page.title()).toBe("Tình hình dịch bệnh — Hà Nội");
    expect(await page.textContent(byTestId("figures-day"))).toBe(`Ngày ${short(day)}`);
    expect(await page.textContent(byTestId("figures-week"))).toBe(`7 ngày (${short(addDays(day, -6))}–${short(day)})`);
    const figure = (field: string, which: "day" | "week") => page.textContent(byTestId(`figure-${field}-${which}`));
    expect(await figure("checkins", "day")).toBe("12.345");
    expect(await figure("casesNew", "day")).toBe("dưới 5");
    expect(await figure("casesNew", "week")).toBe("7");
    expect(await figure("positive", "day")).toBe("5");
    expect(await figure("doses1", "day")).toBe("0");
    expect(await figure("declarations", "week")).toBe("0");

    // The published announcement, verbatim and as text; the draft nowhere.
    const items = page.locator(byTestId("announcement"));
    expect(await items.count()).toBe(1);
    expect(await items.locator(byTestId("announcement-title")).textContent()).toBe(TITLE);
    expect(await items.locator(byTestId("announcement-body")).textContent()).toBe(BODY);
    expect(await items.locator("script, img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const meta = await items.locator(".meta").textContent();
    expect(meta).toBe(`Biện pháp phòng, chống dịch ${vnTime(publishedAt)}`);
    expect(await items.locator(".where").textContent()).toBe("Hoàn Kiếm");
    expect(await page.locator(`text=${DRAFT}`).count()).toBe(0);
    // The body keeps its line breaks and leading spaces on screen.
    expect(await items.locator(byTestId("announcement-body")).evaluate((el) => getComputedStyle(el).whiteSpace)).toBe("pre-wrap");

    // One request for the page and its data; only the page's own small bundle.
    expect(requests.filter((p) => p.startsWith("/api/"))).toEqual([]);
    const loaded = [...scripts];
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.some((p) => /portal|citizen|checkin/i.test(p))).toBe(false);
    const gzipped = loaded.reduce((sum, p) => sum + gzipSync(readFileSync(`${dist}${p.replace(/^\//, "")}`)).length, 0);
    expect(gzipped).toBeLessThanOrEqual(JS_BUDGET);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(tp.pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("switches to English and keeps the choice", async () => {
    const tp = await phone();
    const { page } = tp;
    await page.goto(`${baseUrl}/situation/01`);
    await page.locator(byTestId("situation-province")).waitFor();
    expect(await page.textContent("h2")).toBe("Số liệu");
    await page.click(byTestId("lang-toggle"));
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.textContent(byTestId("situation-day"))).toBe(`Latest figures: ${full(day)}`);
    expect(await page.textContent(byTestId("figure-checkins-day"))).toBe("12,345");
    expect(await page.textContent(byTestId("figure-casesNew-day"))).toBe("under 5");
    expect(await page.locator("h2").allTextContents()).toEqual(["Figures", "Announcements", "For citizens"]);
    expect(await page.textContent(`${byTestId("tool-report")} strong`)).toBe("Report a suspected case");
    expect(await page.locator(byTestId("announcement-title")).textContent()).toBe(TITLE);
    await page.reload();
    await page.locator(byTestId("situation-province")).waitFor();
    expect(await page.textContent(byTestId("situation-day"))).toBe(`Latest figures: ${full(day)}`);
    await page.click(byTestId("lang-toggle"));
    expect(await page.textContent(byTestId("situation-day"))).toBe(`Số liệu mới nhất: ngày ${full(day)}`);
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    expect(tp.pageErrors).toEqual([]);
  });

  it("links to the citizen tools, each landing on a working page", async () => {
    const tp = await phone();
    const { page } = tp;
    const tools: [string, string, string][] = [
      ["tool-notices", "/notices", "notices-page"],
      ["tool-declare", "/app/declare", "signin"],
      ["tool-vaccination", "/app/vaccination/certificate", "signin"],
      ["tool-tests", "/app/tests/certificate", "signin"],
      ["tool-report", "/app/report", "report-form"],
    ];
    for (const [link, href, landing] of tools) {
      await page.goto(`${baseUrl}/tinh-hinh/01`);
      expect(await page.getAttribute(byTestId(link), "href")).toBe(href);
      await page.click(byTestId(link));
      await page.waitForURL(`${baseUrl}${href}`);
      await page.locator(byTestId(landing)).waitFor();
    }
    // And the open data behind the figures.
    await page.goto(`${baseUrl}/tinh-hinh/01`);
    const csv = await page.getAttribute(byTestId("open-data-link"), "href");
    expect(csv).toBe("/api/open-data/daily.csv?provinceCode=01");
    const res = await fetch(`${baseUrl}${csv}`);
    expect(res.status).toBe(200);
    expect((await res.text()).split("\r\n").slice(1, -1)).toEqual([`${addDays(day, -4)},01,Hà Nội,0,0,0,0,0,,0,0,0`, `${day},01,Hà Nội,12345,0,0,5,0,,0,0,0`]);
    expect(tp.pageErrors).toEqual([]);
  });

  it("an unknown province lists the provinces; picking one opens its page", async () => {
    const tp = await phone();
    const { page } = tp;
    const res = await page.goto(`${baseUrl}/tinh-hinh/99`);
    expect(res?.status()).toBe(404);
    await page.locator(byTestId("situation-not-found")).waitFor();
    const list = page.locator(`${byTestId("province-list")} a`);
    expect(await list.count()).toBe(34);
    await list.filter({ hasText: /^Đà Nẵng$/ }).click();
    await page.waitForURL(`${baseUrl}/tinh-hinh/48`);
    expect(await page.textContent(byTestId("situation-province"))).toBe("Đà Nẵng");
    expect(await page.textContent(byTestId("figures-none"))).toBe("Chưa có số liệu được công bố.");
    expect(await page.textContent(byTestId("announcements-none"))).toBe("Chưa có thông báo nào.");
    expect(tp.pageErrors).toEqual([]);
  });
});
