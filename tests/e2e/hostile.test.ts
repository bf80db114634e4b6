/**
 * Hostile text in real Chromium against the real server: a venue, a declaration, a community
 * report and a published announcement whose names carry HTML and script injection, SQL, an
 * emoji ZWJ sequence and an RTL override, stored through the public API, then shown by the
 * officers' portal (venue list and page, declaration page, report page), the citizen check-in
 * page and the public situation page. Each page must show the text exactly as text: no dialog
 * fires, no element is injected (no <img src=x>, no <svg>, no inline <script> in the page), no
 * script ran (window.__pwned stays unset), and the content security policy reports nothing.
 * Needs the built portal (web/dist): `npm run test:e2e` builds it first; run alone, this file
 * builds it when it is missing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { byTestId, signIn, useBrowserSuite } from "../support/portal-suite";
import type { TestPage } from "../support/browser";

const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const PROVINCE_OFFICER = { username: "hn.province", password: "Demo@2026" };
const tag = Math.random().toString(36).slice(2, 6).toUpperCase();
/** One string with every kind of trouble, under the 120 characters of a person's name. */
const NAME = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'; drop table people;-- 👨‍👩‍👧\u202Eevil\u202C${tag}`;
const TEXT = `${NAME}\n"><svg onload=alert(3)> {{7*7}} \${7*7} $& $'`;

describe("hostile text is shown as text (browser)", { timeout: 90_000 }, () => {
  let venueId: string;
  let venueToken: string;
  let declarationId: string;
  let reportId: string;

  const server = useBrowserSuite(async () => {
    const commune = await login(COMMUNE_OFFICER);
    const province = await login(PROVINCE_OFFICER);
    const venue = await api<{ id: string }>("POST", "/api/venues", commune, { name: NAME, category: "shop", address: TEXT, provinceCode: "01", communeCode: "00070" });
    venueId = venue.id;
    venueToken = (await api<{ token: string }>("GET", `/api/venues/${venueId}/code`, commune)).token;
    declarationId = (
      await api<{ id: string }>("POST", "/api/declarations", undefined, {
        kind: "domestic",
        fullName: NAME,
        birthYear: 1990,
        phone: "0912345688",
        address: TEXT,
        communeCode: "00070",
        symptoms: ["cough"],
        travel: { means: "bus", from: NAME, to: "Hà Nội" },
      })
    ).id;
    const receipt = (await api<{ receipt: string }>("POST", "/api/reports", undefined, { kind: "violation", communeCode: "00070", description: TEXT, place: NAME, name: NAME })).receipt;
    const inbox = await api<{ items: { id: string; receipt: string }[] }>("GET", "/api/reports?limit=500", commune);
    reportId = inbox.items.find((r) => r.receipt === receipt)!.id;
    const a = await api<{ id: string }>("POST", "/api/announcements", province, { title: NAME, body: TEXT });
    await api("PATCH", `/api/announcements/${a.id}`, province, { status: "published" });
  });

  async function login(user: { username: string; password: string }) {
    return (await api<{ accessToken: string }>("POST", "/api/auth/login", undefined, user)).accessToken;
  }

  async function api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** A page that records dialogs and CSP violations, for the checks below. */
  async function watched(kind: "desktop" | "phone") {
    const tp = await server.open(kind);
    const dialogs: string[] = [];
    tp.page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await tp.context.addInitScript(() => {
      (window as any).__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    return { ...tp, dialogs };
  }

  /** Nothing ran and nothing was injected. */
  async function expectInert(tp: TestPage & { dialogs: string[] }) {
    const page: Page = tp.page;
    await page.waitForTimeout(300); // an onerror of a broken image would have fired by now
    expect(tp.dialogs).toEqual([]);
    const state = await page.evaluate(() => ({
      pwned: (window as any).__pwned ?? null,
      csp: (window as any).__csp as string[],
      injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length,
      inlineScripts: [...document.querySelectorAll("script")].filter((s) => !s.src && s.type !== "application/json").length,
    }));
    expect(state).toEqual({ pwned: null, csp: [], injected: 0, inlineScripts: 0 });
    expect(tp.pageErrors).toEqual([]);
  }

  it("the portal's venue list and venue page show the name as text", async () => {
    const tp = await watched("desktop");
    await signIn(tp.page, server.baseUrl, COMMUNE_OFFICER);
    await tp.page.goto(`${server.baseUrl}/venues`);
    const row = tp.page.locator(`${byTestId("venue-row")}[data-venue-id="${venueId}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-venue-name")).toBe(NAME);
    expect(await row.textContent()).toContain(NAME);
    await tp.page.goto(`${server.baseUrl}/venues/${venueId}`);
    await tp.page.locator(byTestId("venue-name")).waitFor();
    expect(await tp.page.locator(byTestId("venue-name")).textContent()).toBe(NAME);
    await expectInert(tp);
  });

  it("the citizen check-in page shows the venue name and address as text", async () => {
    const tp = await watched("phone");
    await tp.page.goto(`${server.baseUrl}/c/${venueToken}`);
    await tp.page.locator(byTestId("checkin-venue")).waitFor();
    expect(await tp.page.locator(byTestId("checkin-venue")).textContent()).toBe(NAME);
    expect(await tp.page.locator(".venue .address").textContent()).toBe(TEXT);
    await expectInert(tp);
  });

  it("the declaration page and the report page show the citizen's text as text", async () => {
    const tp = await watched("desktop");
    await signIn(tp.page, server.baseUrl, COMMUNE_OFFICER);
    await tp.page.goto(`${server.baseUrl}/declarations/${declarationId}`);
    await tp.page.locator(byTestId("decl-name")).waitFor();
    expect(await tp.page.locator(byTestId("decl-name")).textContent()).toBe(NAME);
    expect(await tp.page.locator(byTestId("decl-travel-from")).textContent()).toBe(NAME);
    await tp.page.goto(`${server.baseUrl}/reports/${reportId}`);
    await tp.page.locator(byTestId("report-description")).waitFor();
    expect(await tp.page.locator(byTestId("report-description")).textContent()).toBe(TEXT);
    expect(await tp.page.locator(byTestId("report-place")).textContent()).toBe(NAME);
    expect(await tp.page.locator(byTestId("report-reporter-name")).textContent()).toBe(NAME);
    await expectInert(tp);
  });

  it("the public situation page shows the announcement as text", async () => {
    const tp = await watched("phone");
    await tp.page.goto(`${server.baseUrl}/tinh-hinh/01`);
    const item = tp.page.locator(byTestId("announcement")).filter({ hasText: tag });
    await item.waitFor();
    expect(await item.locator(byTestId("announcement-title")).textContent()).toBe(NAME);
    expect(await item.locator(byTestId("announcement-body")).textContent()).toBe(TEXT);
    await expectInert(tp);
  });
});
