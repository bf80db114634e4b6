/**
 * Cases and close-contact tracing in the portal, in real Chromium against the real server
 * (PGlite with the demo data). Two guests check in at Chợ Đồng Xuân at overlapping times (the
 * citizen API, with the venue's screen code); the first is registered as a case; the commune
 * officer opens the case, runs the trace, finds the second guest among the F1s with the
 * evidence, sees the transmission graph drawn, and marks the contact notified (checked through
 * the API). The new-case form on a phone: lookup by phone, a field error from the API's 400,
 * "trace now". A health officer reads the case without the buttons that change it.
 * Needs the built portal (web/dist): `npm run test:e2e` builds it first; run alone, this file
 * builds it when it is missing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { byTestId, signIn, useBrowserSuite } from "../support/portal-suite";

const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const HEALTH_OFFICER = { username: "hn.health", password: "Demo@2026" };
const VENUE_NAME = "Chợ Đồng Xuân";

interface Guest {
  personId: string;
  fullName: string;
  phone: string;
  birthYear: number;
}

const suffix = () => Math.random().toString(36).slice(2, 6).toUpperCase();
/** A phone number no demo person has (demo phones are random, so a fresh one per guest). */
const freshPhone = () => `08${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const guest = (label: string, birthYear: number): Guest => ({
  personId: crypto.randomUUID(),
  fullName: `${label} ${suffix()}`,
  phone: freshPhone(),
  birthYear,
});
/** Today in Vietnam, YYYY-MM-DD. */
const vnDay = (offsetDays = 0) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + offsetDays * 86400_000));

const rowOf = (name: string) => `${byTestId("contact-row")}[data-person-name="${name}"]`;

describe("cases and contact tracing (browser)", { timeout: 90_000 }, () => {
  let token: string;
  let venueId: string;

  const server = useBrowserSuite(async () => {
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(COMMUNE_OFFICER),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { accessToken: string }).accessToken;
    const venues = await api<{ items: { id: string; name: string }[] }>("GET", `/api/venues?q=${encodeURIComponent(VENUE_NAME)}`);
    const venue = venues.items.find((v) => v.name === VENUE_NAME);
    expect(venue, "the demo venue is in hn.commune's area").toBeDefined();
    venueId = venue!.id;
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

  /** A guest's check-in `minutesAgo` at the venue, as the citizen page sends it (no sign-in). */
  async function checkIn(g: Guest, minutesAgo: number) {
    const { url } = await api<{ url: string }>("GET", `/api/venues/${venueId}/code`);
    const res = await fetch(`${server.baseUrl}/api/checkins`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: new URL(url).pathname.replace(/^\/c\//, ""), id: crypto.randomUUID(), ageMs: minutesAgo * 60_000, guest: g }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }

  /** Two guests whose visits overlap: the first 40 minutes ago, the second 30 (visits last an hour without check-out). */
  async function overlappingPair(label: string) {
    const source = guest(`Nguyễn Văn Nguồn ${label}`, 1984);
    const contact = guest(`Trần Thị Tiếp Xúc ${label}`, 1991);
    await checkIn(source, 40);
    await checkIn(contact, 30);
    return { source, contact };
  }

  async function registerCase(g: Guest): Promise<string> {
    const found = await api<{ items: { id: string }[] }>("GET", `/api/people/lookup?phone=${g.phone}`);
    expect(found.items.map((p) => p.id)).toContain(g.personId);
    const created = await api<{ id: string }>("POST", "/api/cases", {
      personId: g.personId,
      confirmedOn: vnDay(),
      method: "pcr",
      symptomOnset: vnDay(),
      trace: false,
    });
    return created.id;
  }

  async function graphDrawn(page: Page, minNodes: number) {
    const canvas = page.locator(byTestId("case-graph-canvas"));
    await page.waitForFunction(
      ([sel, n]) => {
        const el = document.querySelector(sel as string);
        return el?.getAttribute("data-ready") === "true" && Number(el.getAttribute("data-nodes")) >= (n as number);
      },
      [byTestId("case-graph-canvas"), minNodes] as const,
    );
    // cytoscape drew into its own canvases, with real size.
    expect(await canvas.locator("canvas").count()).toBeGreaterThan(0);
    const box = await canvas.locator("canvas").first().boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
    expect(box?.height ?? 0).toBeGreaterThan(100);
  }

  it("the officer opens the case, runs the trace, sees the F1 and the graph, and marks the contact notified", async () => {
    const { source, contact } = await overlappingPair("A");
    const caseId = await registerCase(source);

    const tp = await server.open("desktop");
    const { page } = tp;
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await signIn(page, server.baseUrl, COMMUNE_OFFICER);
    await page.click(byTestId("nav-cases"));
    await page.locator(byTestId("cases-title")).waitFor();
    expect(scripts.some((s) => s.includes("cytoscape")), "the graph library loads only with the case page").toBe(false);

    await page.fill(byTestId("cases-search"), source.fullName);
    const caseRow = page.locator(`${byTestId("case-row")}[data-case-id="${caseId}"]`);
    await caseRow.waitFor();
    expect(await caseRow.textContent()).toContain(source.phone);
    await caseRow.locator(byTestId("case-open")).click();
    await page.locator(byTestId("case-name")).waitFor();
    expect(await page.locator(byTestId("case-name")).textContent()).toContain(source.fullName);
    expect(new URL(page.url()).pathname).toBe(`/cases/${caseId}`);
    // Never traced: no contacts yet, the graph holds only the case.
    await page.locator(byTestId("case-contacts-empty")).waitFor();
    await graphDrawn(page, 1);

    await page.click(byTestId("trace-run-f1"));
    const row = page.locator(rowOf(contact.fullName));
    await row.waitFor();
    expect(Number(await page.locator(byTestId("trace-f1")).textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.locator(byTestId("trace-ms")).textContent()).toMatch(/\d+(,\d)? ?m?s/);
    expect(await page.locator(byTestId("flash")).textContent()).toContain("F1");
    // The evidence: the venue, the overlap (the contact arrived 30 minutes ago), minutes together, F1.
    expect(await row.getAttribute("data-degree")).toBe("1");
    expect(await row.getAttribute("data-status")).toBe("identified");
    expect(await row.locator(byTestId("contact-venue")).textContent()).toContain(VENUE_NAME);
    expect(await row.locator(byTestId("contact-phone")).textContent()).toBe(contact.phone);
    expect(await row.locator(byTestId("contact-overlap")).textContent()).toMatch(/\d{2}:\d{2} – \d{2}:\d{2}/);
    expect(await row.locator(byTestId("contact-minutes")).textContent()).toMatch(/\d+ phút/);
    expect(await row.locator(byTestId("contact-quarantine")).textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    // The case's own visit is listed with the contacts it gave.
    const visit = page.locator(`${byTestId("trace-visit-row")}[data-venue-id="${venueId}"]`);
    expect(await visit.count()).toBeGreaterThan(0);
    expect(await page.locator(byTestId("trace-visits")).textContent()).toContain(VENUE_NAME);

    // The graph: the case, the venue and at least this F1, drawn by the lazily loaded library.
    await graphDrawn(page, 3);
    expect(scripts.some((s) => s.includes("cytoscape"))).toBe(true);
    expect(await page.locator(byTestId("case-graph-counts")).textContent()).toMatch(/1 ca bệnh · 1 địa điểm · [1-9]\d* F1/);
    await page.click(byTestId("graph-f2-expanded"));
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("data-mode") === "expanded", byTestId("case-graph-canvas"));
    await graphDrawn(page, 3);

    // Mark notified: the row changes, and the server has it.
    const contactId = await row.getAttribute("data-contact-id");
    expect(contactId).toBeTruthy();
    await row.locator(byTestId("contact-mark-notified")).click();
    await page.locator(`${rowOf(contact.fullName)}[data-status="notified"]`).waitFor();
    expect(await page.locator(rowOf(contact.fullName)).locator(byTestId("contact-status")).textContent()).toBe("Đã thông báo");
    const stored = await api<{ status: string; notifiedAt: string | null; person: { fullName: string } }>("GET", `/api/contacts/${contactId}`);
    expect(stored.status).toBe("notified");
    expect(stored.notifiedAt).not.toBeNull();
    expect(stored.person.fullName).toBe(contact.fullName);

    // The contact's page shows the evidence and takes today's call.
    await page.locator(rowOf(contact.fullName)).locator(byTestId("contact-open")).click();
    await page.locator(byTestId("contact-name")).waitFor();
    expect(await page.locator(byTestId("contact-name")).textContent()).toContain(contact.fullName);
    expect(await page.locator(byTestId("exposure-row")).first().textContent()).toContain(VENUE_NAME);
    await page.fill(byTestId("follow-up-temperature"), "37.2");
    await page.check(byTestId("follow-up-symptom-cough"));
    await page.click(byTestId("follow-up-submit"));
    await page.locator(`${byTestId("follow-up-row")}[data-day="${vnDay()}"]`).waitFor();
    expect(await page.locator(byTestId("follow-up-row")).first().textContent()).toContain("37.2 °C");
    expect(await page.locator(byTestId("follow-up-row")).first().textContent()).toContain("Ho");
    expect(tp.pageErrors).toEqual([]);
  });

  it("on a phone, the new-case form finds the person by phone, shows the API's field error, and traces at once", async () => {
    const { source, contact } = await overlappingPair("B");
    const tp = await server.open("phone");
    const { page } = tp;
    await signIn(page, server.baseUrl, COMMUNE_OFFICER);
    await page.goto(`${server.baseUrl}/cases`);
    await page.click(byTestId("case-new"));
    await page.locator(byTestId("case-form")).waitFor();

    await page.fill(byTestId("case-person-lookup-phone"), source.phone);
    await page.click(byTestId("case-person-lookup"));
    const result = page.locator(`${byTestId("person-result")}[data-person-id="${source.personId}"]`);
    await result.waitFor();
    expect(await result.textContent()).toContain(source.fullName);
    await result.locator(byTestId("person-pick")).click();

    // A sample taken after the confirmation: the server's 400 lands under the sample date.
    await page.fill(byTestId("case-form-confirmedOn"), vnDay(-1));
    await page.fill(byTestId("case-form-sampleDate"), vnDay());
    await page.selectOption(byTestId("case-form-method"), "rapid_antigen");
    await page.fill(byTestId("case-form-symptomOnset"), vnDay(-1));
    expect(await page.isChecked(byTestId("case-form-trace"))).toBe(true);
    await page.click(byTestId("case-form-submit"));
    const sampleError = page.locator(byTestId("case-form-sampleDate-error"));
    await sampleError.waitFor();
    expect((await sampleError.textContent())?.length).toBeGreaterThan(5);
    expect(await page.getAttribute(byTestId("case-form-sampleDate"), "aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/cases/new");

    await page.fill(byTestId("case-form-sampleDate"), vnDay(-1));
    await page.click(byTestId("case-form-submit"));
    await page.locator(byTestId("case-name")).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/cases\/[0-9a-f-]{36}$/);
    expect(await page.locator(byTestId("flash")).textContent()).toContain(source.fullName);
    // Traced on registration: the stored trace, read when the page opens, lists the F1.
    await page.locator(rowOf(contact.fullName)).waitFor();
    await graphDrawn(page, 3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(tp.pageErrors).toEqual([]);
  });

  it("a health officer reads the case and its contacts without the buttons that change them", async () => {
    const { source, contact } = await overlappingPair("C");
    const caseId = await registerCase(source);
    await api("POST", `/api/cases/${caseId}/trace`, { degree: 1 });

    const tp = await server.open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, HEALTH_OFFICER);
    await page.goto(`${server.baseUrl}/cases/${caseId}`);
    await page.locator(rowOf(contact.fullName)).waitFor();
    expect(await page.locator(byTestId("trace-run-f1")).count()).toBe(0);
    expect(await page.locator(byTestId("trace-run-f2")).count()).toBe(0);
    expect(await page.locator(byTestId("contact-mark-notified")).count()).toBe(0);
    expect(await page.locator(byTestId("contact-add-open")).count()).toBe(0);
    expect(await page.locator(byTestId("case-edit")).count()).toBe(0);
    await page.goto(`${server.baseUrl}/cases`);
    await page.locator(byTestId("cases-title")).waitFor();
    expect(await page.locator(byTestId("case-new")).count()).toBe(0);
    expect(tp.pageErrors).toEqual([]);
  });
});
