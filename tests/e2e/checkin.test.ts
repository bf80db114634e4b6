/**
 * The citizen check-in page (/c/<token>) in real Chromium on a 375 px phone against the real
 * server (PGlite with the demo data): the first check-in with the guest form, the confirmation
 * after a reload, check-out, the visitor in the venue staff's list, a forged code, an
 * offline tap that is queued and sent exactly once when the phone is back online, and the
 * exposure notice a guest gets (on the check-in page and on /notices) once someone who was at
 * the venue at the same time is registered as a case.
 * Needs the built pages (web/dist): `npm run test:e2e` builds them; run alone, this file builds
 * them when the check-in page is missing.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { byTestId, useBrowserSuite } from "../support/portal-suite";

const VENUE_STAFF = { username: "hn.venue", password: "Demo@2026" };
const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const VENUE_NAME = "Chợ Đồng Xuân";
/** Everything the check-in page loads, JavaScript gzipped (the page's own entry, not the portal). */
const JS_BUDGET = 30 * 1024;

const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));


interface Visitor {
  id: string;
  personId: string;
  fullName: string;
  checkedInAt: string;
  checkedOutAt: string | null;
  inside: boolean;
}

/** A mobile number no other test uses (the tracer treats the same phone and birth year as one person). */
const randomPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/** A name no demo visitor has, so the staff's list can be searched for it. */
const guestName = (label: string) => `Nguyễn Thị ${label} ${Math.random().toString(36).slice(2, 6).toUpperCase()}`;

async function fillGuestForm(page: Page, fullName: string, phone: string, birthYear: string) {
  await page.locator(byTestId("checkin-form")).waitFor();
  await page.fill(byTestId("checkin-name"), fullName);
  await page.fill(byTestId("checkin-phone"), phone);
  await page.fill(byTestId("checkin-birthyear"), birthYear);
}

const storedPersonId = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem("vnph.checkin.personId") ?? "null") as string | null);

describe("citizen check-in page (browser)", { timeout: 60_000 }, () => {
  let accessToken: string;
  let venueId: string;
  const server = useBrowserSuite(async () => {
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(VENUE_STAFF),
    });
    expect(login.status).toBe(200);
    accessToken = ((await login.json()) as { accessToken: string }).accessToken;
    const venues = await api<{ items: { id: string; name: string }[] }>("GET", "/api/venues");
    const venue = venues.items.find((v) => v.name === VENUE_NAME) ?? venues.items[0];
    expect(venue).toBeDefined();
    venueId = venue!.id;
  });
  const phone = () => server.open("phone");

  async function api<T>(method: string, path: string, body?: unknown, token: string | null = accessToken): Promise<T> {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** A fresh on-screen code of the venue, as a path on the test server (PUBLIC_URL is http://platform.test). */
  async function venuePath(): Promise<string> {
    const { url } = await api<{ url: string }>("GET", `/api/venues/${venueId}/code`);
    const path = new URL(url).pathname;
    expect(path).toMatch(/^\/c\/[^/]+$/);
    return path;
  }

  async function visitorsOf(personId: string): Promise<Visitor[]> {
    const list = await api<{ items: Visitor[] }>("GET", `/api/venues/${venueId}/visitors?limit=100`);
    return list.items.filter((v) => v.personId === personId);
  }


  it("checks in a guest, keeps the confirmation over a reload, checks out; the staff see the visitor", async () => {
    const tp = await phone();
    const { page } = tp;
    const scripts = new Set<string>();
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.add(new URL(r.url()).pathname);
    });
    const path = await venuePath();
    await page.goto(`${server.baseUrl}${path}`);
    expect(await page.locator(byTestId("checkin-venue")).textContent()).toBe(VENUE_NAME);

    const name = guestName("Lan");
    await fillGuestForm(page, name, "0912 345 678", "1990");
    await page.click(byTestId("checkin-submit"));

    const confirmation = page.locator(byTestId("checkin-confirmation"));
    await confirmation.waitFor();
    expect(await confirmation.locator(byTestId("checkin-venue")).textContent()).toBe(VENUE_NAME);
    expect(await confirmation.textContent()).toContain("Đã khai báo vào");
    // The band wears today's colour (the same one the staff's visitors page shows).
    const { colour } = await api<{ colour: { hex: string } }>("GET", `/api/venues/${venueId}/visitors?limit=1`);
    const band = page.locator(byTestId("checkin-colour"));
    expect((await band.getAttribute("data-colour"))?.toLowerCase()).toBe(colour.hex.toLowerCase());
    const hex = colour.hex.replace("#", "");
    const rgb = `rgb(${parseInt(hex.slice(0, 2), 16)}, ${parseInt(hex.slice(2, 4), 16)}, ${parseInt(hex.slice(4, 6), 16)})`;
    expect(await band.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(rgb);
    expect(await band.textContent()).toMatch(/\d{2}:\d{2}/);
    expect(await band.textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}/);

    // The personal QR is drawn on demand (its code loads only then).
    await page.click(byTestId("personal-qr-button"));
    await page.locator(`${byTestId("personal-qr")} svg`).waitFor();
    await page.click(byTestId("personal-qr-close"));

    // Reopening the page shows the same visit.
    await page.reload();
    await confirmation.waitFor();
    expect(await confirmation.locator(byTestId("checkin-venue")).textContent()).toBe(VENUE_NAME);

    const personId = await storedPersonId(page);
    expect(personId).toMatch(/^[0-9a-f-]{36}$/);
    let rows = await visitorsOf(personId!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fullName).toBe(name);
    expect(rows[0]!.inside).toBe(true);

    await page.click(byTestId("checkout-button"));
    await page.locator(byTestId("checkout-done")).waitFor();
    expect(await confirmation.count()).toBe(0);
    expect(await page.locator(byTestId("checkin-submit")).isVisible()).toBe(true);
    rows = await visitorsOf(personId!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.checkedOutAt).toBeTruthy();
    expect(rows[0]!.inside).toBe(false);

    // The page's own small bundle only: no portal code, within the budget even with the QR code.
    const loaded = [...scripts];
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.some((p) => /portal/i.test(p))).toBe(false);
    const gzipped = loaded.reduce((sum, p) => sum + gzipSync(readFileSync(`${dist}${p.replace(/^\//, "")}`)).length, 0);
    expect(gzipped).toBeLessThanOrEqual(JS_BUDGET);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(tp.pageErrors).toEqual([]);
  });

  it("a forged code shows the error screen in Vietnamese and English", async () => {
    const tp = await phone();
    const { page } = tp;
    await page.goto(`${server.baseUrl}/c/abc.def.ghi`);
    const error = page.locator(byTestId("checkin-error"));
    await error.waitFor();
    expect(await error.getAttribute("data-code")).toBe("invalid_code");
    expect(await error.textContent()).toContain("Mã QR không hợp lệ");
    expect(await error.textContent()).toContain("not valid");
    expect(await page.locator(byTestId("checkin-submit")).count()).toBe(0);
    expect(tp.pageErrors).toEqual([]);
  });

  it("a tap while offline is queued, then sent once when the phone is back online", async () => {
    const tp = await phone();
    const { page, context } = tp;
    const path = await venuePath();
    await page.goto(`${server.baseUrl}${path}`);
    const name = guestName("Hoa");
    await fillGuestForm(page, name, "0987654321", "1985");

    await context.setOffline(true);
    await page.click(byTestId("checkin-submit"));
    const queued = page.locator(byTestId("checkin-queued"));
    await queued.waitFor();
    expect(await queued.textContent()).toContain("Đã lưu, sẽ gửi khi có mạng");
    const queue = await page.evaluate(() => JSON.parse(localStorage.getItem("vnph.checkin.queue") ?? "[]") as { id: string }[]);
    expect(queue).toHaveLength(1);
    await page.waitForTimeout(1_500);

    const onlineAt = Date.now();
    await context.setOffline(false);
    await page.locator(byTestId("checkin-confirmation")).waitFor();
    expect(await page.locator(`${byTestId("checkin-confirmation")} ${byTestId("checkin-venue")}`).textContent()).toBe(VENUE_NAME);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem("vnph.checkin.queue") ?? "[]").length)).toBe(0);

    // One visit with the id made at the tap, timed at the tap (ageMs), not at the resend.
    const personId = await storedPersonId(page);
    const rows = await visitorsOf(personId!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(queue[0]!.id);
    expect(rows[0]!.fullName).toBe(name);
    expect(Date.parse(rows[0]!.checkedInAt)).toBeLessThan(onlineAt - 1_000);

    // Reopening the page (a second chance to resend) does not count it again.
    await page.reload();
    await page.locator(byTestId("checkin-confirmation")).waitFor();
    expect(await visitorsOf(personId!)).toHaveLength(1);
    expect(tp.pageErrors).toEqual([]);
  });

  it("a guest who was at the venue with a case sees the exposure notice, never who the case is", async () => {
    const tp = await phone();
    const { page, context } = tp;
    const path = await venuePath();
    await page.goto(`${server.baseUrl}${path}`);
    await fillGuestForm(page, guestName("Mai"), randomPhone(), "1992");
    await page.click(byTestId("checkin-submit"));
    await page.locator(byTestId("checkin-confirmation")).waitFor();
    const checkinId = await page.locator(byTestId("checkin-confirmation")).getAttribute("data-checkin-id");
    // The phone keeps its check-in ids: they are what it asks about.
    const history = await page.evaluate(() => JSON.parse(localStorage.getItem("vnph.checkin.history") ?? "[]") as { id: string; venue: string }[]);
    expect(history.map((p) => p.id)).toContain(checkinId);
    expect(await page.locator(byTestId("exposure-notice")).count()).toBe(0);

    // Someone else checks in at the same venue a moment later, then tests positive.
    const caseName = `Trần Văn Bệnh ${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
    const casePhone = randomPhone();
    const casePersonId = randomUUID();
    const token = path.slice("/c/".length);
    await api("POST", "/api/checkins", { token, id: randomUUID(), guest: { personId: casePersonId, fullName: caseName, phone: casePhone, birthYear: 1970, communeCode: "00070" } }, null);
    const login = await api<{ accessToken: string }>("POST", "/api/auth/login", COMMUNE_OFFICER, null);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const created = await api<{ id: string; contacts: { f1: number } }>(
      "POST",
      "/api/cases",
      { personId: casePersonId, confirmedOn: today, method: "pcr", trace: true },
      login.accessToken,
    );
    expect(created.contacts.f1).toBeGreaterThanOrEqual(1);

    // Reopening the check-in page asks once about the phone's check-ins and shows the notice on top.
    const lookups: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/exposures/lookup")) lookups.push(r.postData() ?? "");
    });
    await page.reload();
    const notices = page.locator(byTestId("exposure-notices"));
    await notices.waitFor();
    const notice = notices.locator(byTestId("exposure-notice"));
    expect(await notice.count()).toBe(1);
    expect(await notice.getAttribute("data-checkin-id")).toBe(checkinId);
    expect(await notice.locator(byTestId("exposure-venue")).textContent()).toBe(VENUE_NAME);
    const text = (await notices.textContent()) ?? "";
    expect(text).toContain("cùng thời điểm với một ca bệnh COVID-19");
    expect(text).toMatch(/trong khoảng \d{2}:\d{2}–\d{2}:\d{2}/);
    expect(text).toMatch(/đến hết ngày \d{2}\/\d{2}\/\d{4}/);
    expect(text).toContain("sốt, ho, khó thở");
    // The notice is above the confirmation, and the visit is still shown.
    const [noticeTop, confirmationTop] = await Promise.all([
      notices.evaluate((e) => e.getBoundingClientRect().top),
      page.locator(byTestId("checkin-confirmation")).evaluate((e) => e.getBoundingClientRect().top),
    ]);
    expect(noticeTop).toBeLessThan(confirmationTop);
    expect(lookups).toHaveLength(1);
    expect(JSON.parse(lookups[0]!)).toEqual({ checkinIds: [checkinId] });

    // Nothing about the case: not the name, not the phone, anywhere on the page.
    const body = (await page.locator("body").textContent()) ?? "";
    expect(body).not.toContain(caseName);
    expect(body).not.toContain(casePhone);

    // English on request.
    await page.click(byTestId("lang-toggle"));
    expect(await notices.textContent()).toContain(`You were at ${VENUE_NAME} on`);
    expect(await notices.textContent()).toContain("at the same time as a confirmed COVID-19 case");
    await page.click(byTestId("lang-toggle"));

    // The notices page, without a venue code: the notice and the recent check-ins, no check-in button.
    const other = await context.newPage();
    other.on("pageerror", (e) => tp.pageErrors.push(e));
    await other.goto(`${server.baseUrl}/notices`);
    await other.locator(byTestId("notices-page")).waitFor();
    await other.locator(byTestId("exposure-notice")).waitFor();
    expect(await other.locator(byTestId("exposure-venue")).textContent()).toBe(VENUE_NAME);
    const list = other.locator(byTestId("checkin-history"));
    expect(await list.getAttribute("open")).toBe("");
    expect(await list.textContent()).toContain(VENUE_NAME);
    expect(await other.locator(byTestId("checkin-submit")).count()).toBe(0);
    expect(await other.locator("body").textContent()).not.toContain(caseName);
    const overflow = await other.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const alias = await fetch(`${server.baseUrl}/thong-bao`);
    expect(alias.status).toBe(200);
    expect(await alias.text()).toContain('"page":"notices"');

    // A phone that was not there: no notice.
    const stranger = await phone();
    await stranger.page.goto(`${server.baseUrl}/notices`);
    await stranger.page.locator(byTestId("history-none")).waitFor();
    expect(await stranger.page.locator(byTestId("exposure-notice")).count()).toBe(0);
    expect(tp.pageErrors).toEqual([]);
    expect(stranger.pageErrors).toEqual([]);
  });
});
