/**
 * Health declarations and community reports in the officers' portal, in real Chromium against
 * the real server (PGlite with the demo data). Two declarations are filed through the public API
 * in Hoàn Kiếm (00070) — the one with a symptom first, the one without after it, so "newest
 * first" alone would put them the other way round — and one community report. The commune
 * officer finds the follow-up declaration at the top with its red badge and its reason, opens
 * it, marks it contacted (checked through the API); then opens the report from the inbox, adds a
 * public note moving it to "checking", and the reporter's receipt page (the public API) shows
 * the new status and that note, and not the team's internal note. A health officer reads both
 * pages on a phone without the forms that change them.
 * Needs the built portal (web/dist): `npm run test:e2e` builds it first; run alone, this file
 * builds it when it is missing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { byTestId, signIn, useBrowserSuite } from "../support/portal-suite";

const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const HEALTH_OFFICER = { username: "hn.health", password: "Demo@2026" };
const COMMUNE = "00070";

const suffix = () => Math.random().toString(36).slice(2, 6).toUpperCase();
const freshPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
/** Today in Vietnam, YYYY-MM-DD. */
const vnDay = (offsetDays = 0) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + offsetDays * 86400_000));

const RISK_RANK: Record<string, number> = { follow_up: 0, watch: 1, none: 2 };

interface Filed {
  id: string;
  fullName: string;
  phone: string;
}

describe("declarations and community reports (browser)", { timeout: 90_000 }, () => {
  let token: string;
  let followUp: Filed;
  let noRisk: Filed;
  let receipt: string;
  let reportId: string;
  const reportText = `Nhà số ${Math.floor(Math.random() * 200) + 1} có người ho sốt nhiều ngày, chưa đi khám ${suffix()}`;
  const reporter = { name: `Người Báo ${suffix()}`, phone: freshPhone() };

  const server = useBrowserSuite(async () => {
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(COMMUNE_OFFICER),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { accessToken: string }).accessToken;

    // The risky one first: sorted by time alone, it would come second.
    followUp = await declare(`Lê Thị Sốt ${suffix()}`, ["fever", "cough"]);
    noRisk = await declare(`Phạm Văn Khỏe ${suffix()}`, []);

    const filed = await fetch(`${server.baseUrl}/api/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "suspected_case", communeCode: COMMUNE, place: "Ngõ Gạch, Hoàn Kiếm", description: reportText, ...reporter }),
    });
    expect(filed.status, await filed.clone().text()).toBe(201);
    receipt = ((await filed.json()) as { receipt: string }).receipt;
    expect(receipt).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    const inbox = await api<{ items: { id: string; receipt: string }[] }>("GET", "/api/reports?status=new");
    reportId = inbox.items.find((r) => r.receipt === receipt)!.id;
    expect(reportId).toBeTruthy();
    // An internal note of the team: the reporter must never see it.
    await api("POST", `/api/reports/${reportId}/notes`, { note: "Ghi chú nội bộ: đã chuyển trạm y tế", isPublic: false });
  });

  async function api<T>(method: string, path: string, body?: unknown, bearer = token): Promise<T> {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** A domestic-travel declaration filed without an account, as the public form sends it. */
  async function declare(fullName: string, symptoms: string[]): Promise<Filed> {
    const phone = freshPhone();
    const res = await fetch(`${server.baseUrl}/api/declarations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        kind: "domestic",
        fullName,
        birthYear: 1988,
        sex: "female",
        phone,
        address: "12 Hàng Bạc",
        communeCode: COMMUNE,
        symptoms,
        travel: { means: "train", from: "Đà Nẵng", to: "Hà Nội", route: "Ga Đà Nẵng → Ga Hà Nội" },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const receiptOf = (await res.json()) as { id: string; risk: string; riskReasons: string[] };
    expect(receiptOf.risk).toBe(symptoms.length > 0 ? "follow_up" : "none");
    return { id: receiptOf.id, fullName, phone };
  }

  const rowOf = (id: string) => `${byTestId("decl-row")}[data-declaration-id="${id}"]`;

  /** The declaration rows on screen: id and risk, in order. */
  const listedRows = (page: Page) =>
    page.$$eval(byTestId("decl-row"), (rows) => rows.map((r) => ({ id: r.getAttribute("data-declaration-id"), risk: r.getAttribute("data-risk") ?? "" })));

  it("the commune officer finds the follow-up declaration first, marks it contacted, and answers the report publicly", async () => {
    const tp = await server.open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, COMMUNE_OFFICER);
    await page.click(byTestId("nav-declarations"));
    await page.locator(byTestId("declarations-title")).waitFor();
    await page.locator(rowOf(noRisk.id)).waitFor();
    await page.locator(rowOf(followUp.id)).waitFor();

    // The risky first: the follow-up one above the other, and the whole list ordered by risk.
    const rows = await listedRows(page);
    expect(rows[0]?.risk).toBe("follow_up");
    const ids = rows.map((r) => r.id);
    expect(ids.indexOf(followUp.id)).toBeLessThan(ids.indexOf(noRisk.id));
    const ranks = rows.map((r) => RISK_RANK[r.risk]!);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);

    const risky = page.locator(rowOf(followUp.id));
    expect(await risky.getAttribute("data-risk")).toBe("follow_up");
    expect(await risky.locator(byTestId("decl-risk")).textContent()).toBe("Cần theo dõi");
    expect(await risky.locator(byTestId("decl-reasons")).textContent()).toContain("Có triệu chứng");
    expect(await risky.locator(byTestId("decl-review")).textContent()).toBe("Chưa xử lý");
    const bg = await risky.locator(byTestId("decl-risk")).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe("rgb(217, 45, 32)"); // red
    expect(await page.locator(rowOf(noRisk.id)).locator(byTestId("decl-risk")).textContent()).toBe("Không nguy cơ");
    expect(await page.locator(rowOf(noRisk.id)).locator(byTestId("decl-reasons")).count()).toBe(0);

    // Counts per day: today has at least these two, one of them to follow up.
    const today = page.locator(`${byTestId("decl-stats-day")}[data-day="${vnDay()}"]`);
    await today.waitFor();
    expect(Number(await today.getAttribute("data-total"))).toBeGreaterThanOrEqual(2);
    expect(Number(await today.getAttribute("data-follow-up"))).toBeGreaterThanOrEqual(1);

    // The risk filter keeps the follow-up one only.
    await page.selectOption(byTestId("decl-filter-risk"), "none");
    await page.locator(rowOf(followUp.id)).waitFor({ state: "detached" });
    await page.locator(rowOf(noRisk.id)).waitFor();
    expect(new URL(page.url()).searchParams.get("risk")).toBe("none");
    await page.click(byTestId("decl-clear-filters"));
    await page.locator(rowOf(followUp.id)).waitFor();

    // The declaration in readable form, and the review.
    await risky.locator(byTestId("decl-open")).click();
    await page.locator(byTestId("decl-name")).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/declarations/${followUp.id}`);
    expect(await page.locator(byTestId("decl-name")).textContent()).toBe(followUp.fullName);
    expect(await page.locator(byTestId("decl-page-risk")).getAttribute("data-risk")).toBe("follow_up");
    const symptoms = await page.locator(byTestId("decl-symptoms")).textContent();
    expect(symptoms).toContain("Sốt");
    expect(symptoms).toContain("Ho");
    expect(await page.locator(byTestId("decl-reason-list")).textContent()).toContain("Có triệu chứng");
    expect(await page.locator(byTestId("decl-travel-from")).textContent()).toBe("Đà Nẵng");
    expect(await page.locator(byTestId("decl-travel")).textContent()).toContain("Tàu hỏa");
    expect(await page.locator(byTestId("decl-phone")).textContent()).toBe(followUp.phone);

    // Saving without a choice says so and sends nothing.
    await page.click(byTestId("decl-review-submit"));
    await page.locator(byTestId("decl-review-choice-error")).waitFor();
    await page.check(byTestId("decl-review-contacted"));
    await page.fill(byTestId("decl-review-note"), "Đã gọi, hẹn test nhanh chiều nay");
    await page.click(byTestId("decl-review-submit"));
    await page.locator(`${byTestId("decl-page-review")}[data-review="contacted"]`).waitFor();
    expect(await page.locator(byTestId("flash")).textContent()).toContain("Đã liên hệ");
    expect(await page.locator(byTestId("decl-review-current-note")).textContent()).toContain("hẹn test nhanh");
    const stored = await api<{ review: string; reviewNote: string | null }>("GET", `/api/declarations/${followUp.id}`);
    expect(stored.review).toBe("contacted");
    expect(stored.reviewNote).toBe("Đã gọi, hẹn test nhanh chiều nay");

    // Back in the list, the row says so.
    await page.click(byTestId("declaration-back"));
    await page.locator(`${rowOf(followUp.id)}[data-review="contacted"]`).waitFor();

    // The reports inbox: the new report, its page, a public note moving it to "checking".
    await page.click(byTestId("nav-reports"));
    await page.locator(byTestId("reports-title")).waitFor();
    const reportRow = page.locator(`${byTestId("report-row")}[data-receipt="${receipt}"]`);
    await reportRow.waitFor();
    expect(await reportRow.getAttribute("data-status")).toBe("new");
    expect(await reportRow.locator(byTestId("report-kind")).textContent()).toBe("Nghi ca bệnh");
    await reportRow.locator(byTestId("report-open")).click();
    await page.locator(byTestId("report-description")).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/reports/${reportId}`);
    expect(await page.locator(byTestId("report-description")).textContent()).toBe(reportText);
    expect(await page.locator(byTestId("report-place")).textContent()).toBe("Ngõ Gạch, Hoàn Kiếm");
    expect(await page.locator(byTestId("report-reporter-name")).textContent()).toBe(reporter.name);
    expect(await page.locator(byTestId("report-reporter-phone")).textContent()).toBe(reporter.phone);
    expect(await page.locator(byTestId("report-note")).count()).toBe(1);
    expect(await page.locator(byTestId("report-note")).first().getAttribute("data-public")).toBe("false");

    const publicNote = `Tổ y tế đã đến kiểm tra, đang theo dõi ${suffix()}`;
    await page.fill(byTestId("report-note-text"), publicNote);
    await page.selectOption(byTestId("report-note-status"), "checking");
    await page.check(byTestId("report-note-public"));
    await page.click(byTestId("report-note-submit"));
    await page.locator(`${byTestId("report-page-status")}[data-status="checking"]`).waitFor();
    const added = page.locator(`${byTestId("report-note")}[data-public="true"]`);
    await added.waitFor();
    expect(await added.textContent()).toContain(publicNote);
    expect(await added.getAttribute("data-status")).toBe("checking");
    expect(await page.locator(byTestId("flash")).textContent()).toContain("Đang kiểm tra");
    expect(await page.inputValue(byTestId("report-note-text"))).toBe("");

    // The reporter's view by receipt: the new status and the public note only.
    const res = await fetch(`${server.baseUrl}/api/reports/receipt/${receipt}`);
    expect(res.status).toBe(200);
    const publicView = (await res.json()) as { status: string; notes: { note: string; status: string | null }[] } & Record<string, unknown>;
    expect(publicView.status).toBe("checking");
    expect(publicView.notes).toHaveLength(1);
    expect(publicView.notes[0]).toMatchObject({ note: publicNote, status: "checking" });
    expect(JSON.stringify(publicView)).not.toContain(reporter.phone);

    // The inbox moved it to the "checking" tab.
    await page.click(byTestId("report-back"));
    await page.locator(byTestId("reports-title")).waitFor();
    await page.click(byTestId("reports-tab-checking"));
    await page.locator(`${byTestId("report-row")}[data-receipt="${receipt}"][data-status="checking"]`).waitFor();
    expect(tp.pageErrors).toEqual([]);
  });

  it("on a phone, a health officer reads the declarations and the report without the forms that change them", async () => {
    const tp = await server.open("phone");
    const { page } = tp;
    await signIn(page, server.baseUrl, HEALTH_OFFICER);
    await page.click(byTestId("nav-toggle"));
    await page.locator(byTestId("nav-declarations")).waitFor({ state: "visible" });
    await page.click(byTestId("nav-declarations"));
    await page.locator(rowOf(followUp.id)).waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // The rows are cards on a phone: the table header is out of sight, each row a block.
    expect(await page.locator(rowOf(followUp.id)).evaluate((el) => getComputedStyle(el).display)).toBe("block");

    await page.locator(rowOf(followUp.id)).locator(byTestId("decl-open")).click();
    await page.locator(byTestId("decl-name")).waitFor();
    await page.locator(byTestId("decl-review-card")).waitFor();
    expect(await page.locator(byTestId("decl-review-form")).count()).toBe(0);
    const stored = await api<{ review: string }>("GET", `/api/declarations/${followUp.id}`);
    const reviewText = { new: "Chưa xử lý", contacted: "Đã liên hệ", closed: "Đã đóng" }[stored.review];
    expect(await page.locator(byTestId("decl-review-status")).textContent()).toBe(reviewText);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // Whatever the first test left it at (so this one stands alone).
    const report = await api<{ status: string; notes: unknown[] }>("GET", `/api/reports/${reportId}`);
    await page.goto(`${server.baseUrl}/reports?status=${report.status}`);
    const reportRow = page.locator(`${byTestId("report-row")}[data-receipt="${receipt}"]`);
    await reportRow.waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await reportRow.locator(byTestId("report-open")).click();
    await page.locator(byTestId("report-description")).waitFor();
    expect(await page.locator(byTestId("report-note")).count()).toBe(report.notes.length);
    expect(await page.locator(byTestId("report-note-form")).count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(tp.pageErrors).toEqual([]);
  });
});
