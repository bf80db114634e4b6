/**
 * The testing registry in the portal, in real Chromium against the real server (PGlite with the
 * demo data), walking the scenario: a site registers five people into a pool, the lab
 * records it positive, the retests are recorded, the positive person appears as an F0 with a
 * trace ready.
 *
 * - Two guests check in at Chợ Đồng Xuân at overlapping times (the citizen API); the first will
 *   turn out positive, the second is their future F1.
 * - On a 390 px phone, hn.site (who works at a vaccination site and at the demo testing site)
 *   lands on a page listing both, opens the testing desk, opens a new pool, finds the first guest
 *   by phone and types four new people in, sees the pool fill to 5/5 and refuse a sixth, prints
 *   the pool's label (a PDF) and seals it to the demo lab. Nothing overflows the phone's width.
 * - hn.lab lands on the keyboard-first lab page: an unknown code is refused in words; the pool's
 *   code typed in lower case with a dash, "P", Enter records it positive (five retests needed).
 * - Back on the phone, the retest list has the five; "take retest" registers each (to the lab
 *   chosen when sealing) and shows its barcode.
 * - hn.lab records the first guest's retest positive with the keyboard (an F0 case is opened), then
 *   uploads a CSV of the four others: a file with an unknown code is refused line by line and
 *   writes nothing; the right file is previewed (dry run, nothing written), then committed.
 * - hn.province opens the positive sample, follows it to the F0 case: the person, traced (F1)
 *   already, with the second guest among the contacts; the server agrees (one case, method PCR,
 *   sample date today, traced).
 * - The province officer's campaign page and statistics show the demo campaign's numbers.
 * Needs the built portal (web/dist): `npm run test:e2e` builds it; run alone, this file builds it
 * when it is missing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPhonePage, type TestPage } from "../support/browser";
import { byTestId, signIn, useBrowserSuite } from "../support/portal-suite";

const SITE_STAFF = { username: "hn.site", password: "Demo@2026" };
const LAB_STAFF = { username: "hn.lab", password: "Demo@2026" };
const PROVINCE_OFFICER = { username: "hn.province", password: "Demo@2026" };
const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const DEMO_CAMPAIGN = "Xét nghiệm diện rộng phường Hoàn Kiếm";
const DEMO_TEST_SITE = "Điểm lấy mẫu Nhà văn hóa Hoàn Kiếm";
const DEMO_LAB = "Phòng xét nghiệm CDC Hà Nội";
const VENUE_NAME = "Chợ Đồng Xuân";
const PHONE_WIDTH = 390;

interface Guest {
  personId: string;
  fullName: string;
  phone: string;
  birthYear: number;
}

const suffix = () => Math.random().toString(36).slice(2, 6).toUpperCase();
const freshPhone = () => `08${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
/** A Vietnam day, YYYY-MM-DD. */
const vnDay = (offset = 0) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + offset * 86_400_000));

interface PoolDetail {
  id: string;
  code: string;
  status: string;
  size: number;
  maxSize: number;
  labName: string | null;
  result: string | null;
  members: { sampleId: string; personId: string; fullName: string; status: string }[];
}
interface SampleDetail {
  id: string;
  barcode: string;
  status: string;
  result: string | null;
  retestOf: string | null;
  caseId: string | null;
  person: { id: string; fullName: string };
}

async function downloadBytes(page: Page, click: () => Promise<unknown>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

async function fitsWidth(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

describe("testing registry portal (browser)", { timeout: 180_000 }, () => {
  const suite = useBrowserSuite();
  const extraPages: TestPage[] = [];

  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(`${suite.baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
  const login = async (user: { username: string; password: string }) => (await api<{ accessToken: string }>("POST", "/api/auth/login", user)).accessToken;

  /** A guest's check-in `minutesAgo` at the demo venue, as the citizen page sends it. */
  async function checkIn(g: Guest, minutesAgo: number) {
    const officer = await login(COMMUNE_OFFICER);
    const venues = await api<{ items: { id: string; name: string }[] }>("GET", `/api/venues?q=${encodeURIComponent(VENUE_NAME)}`, undefined, officer);
    const venue = venues.items.find((v) => v.name === VENUE_NAME)!;
    const { url } = await api<{ url: string }>("GET", `/api/venues/${venue.id}/code`, undefined, officer);
    const res = await fetch(`${suite.baseUrl}/api/checkins`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: new URL(url).pathname.replace(/^\/c\//, ""), id: crypto.randomUUID(), ageMs: minutesAgo * 60_000, guest: g }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }

  /** A 390 px phone (the brief's width), closed with the suite. */
  async function phone(): Promise<TestPage> {
    const tp = await newPhonePage(suite.browser, { viewport: { width: PHONE_WIDTH, height: 844 } });
    extraPages.push(tp);
    return tp;
  }

  it("a site pools five people, the lab records the pool positive, the retests are recorded, and the positive person is an F0 with a trace ready", async () => {
    const tag = suffix();
    const source: Guest = { personId: crypto.randomUUID(), fullName: `Nguyễn Văn Dương ${tag}`, phone: freshPhone(), birthYear: 1986 };
    const neighbour: Guest = { personId: crypto.randomUUID(), fullName: `Trần Thị Gần ${tag}`, phone: freshPhone(), birthYear: 1990 };
    await checkIn(source, 40);
    await checkIn(neighbour, 30);
    const others = [1, 2, 3, 4].map((i) => ({ fullName: `Người Xét Nghiệm ${i} ${tag}`, phone: freshPhone(), birthYear: 1970 + i * 5 }));

    // ---- The site desk, on a phone ----
    const desk = await phone();
    const { page } = desk;
    await signIn(page, suite.baseUrl, SITE_STAFF, "work-chooser-title");
    // hn.site works at both kinds of site: the landing lists both.
    expect(await page.locator(byTestId("work-vacc-site")).count()).toBeGreaterThanOrEqual(1);
    const siteLink = page.locator(byTestId("work-test-site"), { hasText: DEMO_TEST_SITE });
    await siteLink.click();
    await page.locator(byTestId("test-desk-title")).waitFor();
    expect(await page.locator(byTestId("test-desk-title")).textContent()).toBe(DEMO_TEST_SITE);
    expect(await page.locator(byTestId("test-desk-campaign")).textContent()).toContain(DEMO_CAMPAIGN);
    // The demo's open pool (2 of 5) is the current one until a new pool is opened.
    await page.locator(byTestId("test-pool")).waitFor();
    const demoPoolCode = await page.getAttribute(byTestId("test-pool"), "data-pool-code");
    await page.click(byTestId("test-pool-new"));
    const pool = page.locator(`${byTestId("test-pool")}[data-size="0"]`);
    await pool.waitFor();
    const code = (await pool.getAttribute("data-pool-code"))!;
    expect(code).toMatch(/^P[0-9A-Z]{8}$/);
    expect(code).not.toBe(demoPoolCode);
    expect(await page.locator(byTestId("test-pool-size")).textContent()).toContain("0/5");
    expect(await page.locator(byTestId("flash")).textContent()).toContain(code);

    // The first guest is found by phone (their check-in made the record); the others are typed in.
    await page.fill(byTestId("test-person-lookup-phone"), source.phone);
    await page.click(byTestId("test-person-lookup"));
    const found = page.locator(`${byTestId("test-person-result")}[data-person-id="${source.personId}"]`);
    await found.waitFor();
    await found.locator(byTestId("test-person-pick")).click();
    await page.click(byTestId("test-take-submit"));
    await page.locator(`${byTestId("test-pool")}[data-size="1"]`).waitFor();
    expect(await page.locator(byTestId("test-last-sample")).textContent()).toContain(source.fullName);
    expect(await page.getAttribute(byTestId("test-last-sample"), "data-barcode")).toMatch(/^S[0-9A-Z]{10}$/);

    for (const [i, p] of others.entries()) {
      await page.click(byTestId("test-person-mode-new"));
      if (i === 0) {
        // A missing name is refused before anything is sent.
        await page.click(byTestId("test-take-submit"));
        await page.locator(byTestId("test-person-fullName-error")).waitFor();
      }
      await page.fill(byTestId("test-person-fullName"), p.fullName);
      await page.fill(byTestId("test-person-phone"), p.phone);
      await page.fill(byTestId("test-person-birthYear"), String(p.birthYear));
      expect(await page.inputValue(byTestId("test-person-communeCode"))).toBe("00070");
      await page.click(byTestId("test-take-submit"));
      await page.locator(`${byTestId("test-pool")}[data-size="${i + 2}"]`).waitFor();
      expect(await page.locator(byTestId("test-last-sample")).textContent()).toContain(p.fullName);
    }
    expect(await page.locator(byTestId("test-pool-size")).textContent()).toContain("5/5");
    const members = page.locator(byTestId("test-pool-member"));
    expect(await members.count()).toBe(5);
    expect(await page.locator(byTestId("test-pool-members")).textContent()).toContain(source.fullName);
    // Full: no sixth sample, the desk says why.
    expect(await page.locator(byTestId("test-take-form")).count()).toBe(0);
    await page.locator(byTestId("test-take-blocked")).waitFor();
    // The day's list has the five, in the pool.
    for (const p of [source, ...others]) await page.locator(byTestId("test-day-sample"), { hasText: p.fullName }).waitFor();
    await fitsWidth(page, PHONE_WIDTH);

    // The pool's label is a PDF.
    const label = await downloadBytes(page, () => page.click(byTestId("test-pool-label")));
    expect(label.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // Seal and send to the demo lab.
    await page.click(byTestId("test-pool-seal-open"));
    await page.locator(`${byTestId("test-seal-lab")} option:has-text("${DEMO_LAB}")`).waitFor({ state: "attached" });
    await page.selectOption(byTestId("test-seal-lab"), { label: DEMO_LAB });
    await page.click(byTestId("test-seal-submit"));
    await page.locator(`${byTestId("flash")}:has-text("${code}")`).waitFor();
    expect(await page.locator(byTestId("flash")).textContent()).toContain(DEMO_LAB);
    await page.locator(`${byTestId("test-pool")}[data-pool-code="${demoPoolCode}"]`).waitFor();
    await fitsWidth(page, PHONE_WIDTH);

    const siteToken = await login(SITE_STAFF);
    const sealed = await api<PoolDetail>("GET", `/api/test-pools/by-code/${code}`, undefined, siteToken);
    expect(sealed).toMatchObject({ status: "sealed", size: 5, maxSize: 5, labName: DEMO_LAB, result: null });
    expect(sealed.members.map((m) => m.status)).toEqual(["in_lab", "in_lab", "in_lab", "in_lab", "in_lab"]);
    expect(sealed.members.map((m) => m.fullName).sort()).toEqual([source.fullName, ...others.map((o) => o.fullName)].sort());
    expect(sealed.members.find((m) => m.fullName === source.fullName)?.personId).toBe(source.personId);

    // ---- The lab, keyboard first ----
    const labTp = await suite.open("desktop");
    const lab = labTp.page;
    await signIn(lab, suite.baseUrl, LAB_STAFF, "test-lab-page-title");
    expect(new URL(lab.url()).pathname).toBe("/testing/lab");
    const input = lab.locator(byTestId("test-lab-code"));
    expect(await lab.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("test-lab-code");
    await lab.locator(`${byTestId("test-lab-waiting-row")}[data-code="${code}"]`).waitFor();
    // An unknown code is refused in words.
    await input.fill("P-0000 0000");
    await input.press("Enter");
    expect(await lab.locator(byTestId("test-lab-notice")).textContent()).toBe("Không có mã P00000000 ở phòng xét nghiệm của bạn.");
    // The code as a person types it: lower case, a dash.
    await input.fill(`${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`);
    await input.press("Enter");
    await lab.locator(`${byTestId("test-lab-pending")}[data-code="${code}"]`).waitFor();
    expect(await lab.locator(byTestId("test-lab-pending")).textContent()).toContain(DEMO_TEST_SITE);
    await lab.keyboard.type("p");
    expect(await lab.getAttribute(byTestId("test-lab-result-positive"), "aria-pressed")).toBe("true");
    expect(await lab.getAttribute(byTestId("test-lab-result-negative"), "aria-pressed")).toBe("false");
    await lab.keyboard.press("Enter");
    const recorded = lab.locator(`${byTestId("test-lab-recent-row")}[data-code="${code}"][data-result="positive"]`);
    await recorded.waitFor();
    expect(await recorded.textContent()).toContain("5 người cần xét nghiệm lại");
    expect(await lab.locator(byTestId("test-lab-pending")).count()).toBe(0);
    expect(await input.inputValue()).toBe("");
    expect(await lab.locator(`${byTestId("test-lab-waiting-row")}[data-code="${code}"]`).count()).toBe(0);

    const labToken = await login(LAB_STAFF);
    const resulted = await api<PoolDetail>("GET", `/api/test-pools/by-code/${code}`, undefined, labToken);
    expect(resulted).toMatchObject({ status: "resulted", result: "positive" });
    expect(resulted.members.map((m) => m.status)).toEqual(["retest_needed", "retest_needed", "retest_needed", "retest_needed", "retest_needed"]);

    // ---- Retests, back on the phone ----
    await page.click(byTestId("test-desk-retests"));
    await page.locator(byTestId("test-retests-title")).waitFor();
    const retestBarcodes = new Map<string, string>();
    for (const m of resulted.members) {
      const row = page.locator(`${byTestId("test-retest-row")}[data-person-id="${m.personId}"]`);
      await row.waitFor();
      expect(await row.locator(byTestId("test-retest-status")).textContent()).toBe("Cần xét nghiệm lại");
    }
    // The lab chosen when sealing is remembered for the retests.
    expect(await page.locator(`${byTestId("test-retests-lab")} option:checked`).textContent()).toBe(DEMO_LAB);
    for (const m of resulted.members) {
      const row = page.locator(`${byTestId("test-retest-row")}[data-person-id="${m.personId}"]`);
      await row.locator(byTestId("test-retest-take")).click();
      const done = row.locator(byTestId("test-retest-done"));
      await done.waitFor();
      retestBarcodes.set(m.personId, (await done.getAttribute("data-barcode"))!);
      expect(await row.locator(byTestId("test-retest-status")).textContent()).toBe("Đã lấy mẫu lại");
    }
    expect([...retestBarcodes.values()].every((b) => /^S[0-9A-Z]{10}$/.test(b))).toBe(true);
    expect(new Set(retestBarcodes.values()).size).toBe(5);
    await fitsWidth(page, PHONE_WIDTH);
    for (const barcode of retestBarcodes.values()) {
      const retest = await api<SampleDetail>("GET", `/api/test-samples/by-barcode/${barcode}`, undefined, siteToken);
      expect(retest).toMatchObject({ status: "in_lab", result: null });
      expect(retest.retestOf).not.toBeNull();
    }

    // ---- The lab records the retests: the positive one with the keyboard ----
    const positiveBarcode = retestBarcodes.get(source.personId)!;
    await input.fill(positiveBarcode);
    await input.press("Enter");
    await lab.locator(`${byTestId("test-lab-pending")}[data-kind="sample"][data-code="${positiveBarcode}"]`).waitFor();
    expect(await lab.locator(byTestId("test-lab-pending")).textContent()).toContain(source.fullName);
    await lab.keyboard.type("P");
    await lab.keyboard.press("Enter");
    const positiveRow = lab.locator(`${byTestId("test-lab-recent-row")}[data-code="${positiveBarcode}"][data-result="positive"]`);
    await positiveRow.waitFor();
    expect(await positiveRow.locator(byTestId("test-lab-case-opened")).textContent()).toBe("Đã mở ca F0");

    // A file with an unknown code: refused line by line, nothing written.
    const negatives = [...retestBarcodes.entries()].filter(([personId]) => personId !== source.personId).map(([, b]) => b);
    const badCsv = ["code,result,result_at", `${negatives[0]},âm tính,`, "S0000000000,âm tính,"].join("\n");
    await lab.setInputFiles(byTestId("test-csv-file"), { name: `ket-qua-sai-${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(badCsv, "utf8") });
    await lab.click(byTestId("test-csv-preview"));
    const rejectedRow = lab.locator(byTestId("test-csv-rejected-row"));
    await rejectedRow.first().waitFor();
    expect(await rejectedRow.count()).toBe(1);
    expect(await rejectedRow.getAttribute("data-line")).toBe("3");
    expect(await rejectedRow.getAttribute("data-reason")).toBe("unknown_code");
    expect(await rejectedRow.textContent()).toContain("Không có mã này");
    expect(await lab.locator(byTestId("test-csv-commit")).count()).toBe(0);
    expect((await api<SampleDetail>("GET", `/api/test-samples/by-barcode/${negatives[0]}`, undefined, labToken)).status).toBe("in_lab");

    // The right file: previewed (a dry run writes nothing), then committed.
    const csv = ["code,result,result_at", ...negatives.map((b) => `${b},âm tính,`)].join("\n");
    await lab.setInputFiles(byTestId("test-csv-file"), { name: `ket-qua-${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
    await lab.click(byTestId("test-csv-preview"));
    const report = lab.locator(`${byTestId("test-csv-report")}[data-dry-run="true"]`);
    await report.waitFor();
    const count = async (id: string) => Number(await lab.getAttribute(byTestId(`test-csv-${id}`), "data-value"));
    expect(await count("rows")).toBe(4);
    expect(await count("samples")).toBe(4);
    expect(await count("pools")).toBe(0);
    expect(await count("negative")).toBe(4);
    expect(await count("positive")).toBe(0);
    expect(await count("cases")).toBe(0);
    expect(await lab.locator(byTestId("test-csv-rejected-row")).count()).toBe(0);
    for (const b of negatives) expect((await api<SampleDetail>("GET", `/api/test-samples/by-barcode/${b}`, undefined, labToken)).status).toBe("in_lab");
    await lab.click(byTestId("test-csv-commit"));
    await lab.locator(`${byTestId("test-csv-done")}[data-dry-run="false"]`).waitFor();
    expect(await lab.locator(byTestId("flash")).textContent()).toContain("Đã ghi 4 kết quả");
    for (const b of negatives) expect((await api<SampleDetail>("GET", `/api/test-samples/by-barcode/${b}`, undefined, labToken))).toMatchObject({ status: "negative", result: "negative" });
    expect(labTp.pageErrors).toEqual([]);

    // ---- The officer: from the positive sample to the F0 case, traced ----
    const officerTp = await suite.open("desktop");
    const officer = officerTp.page;
    await signIn(officer, suite.baseUrl, PROVINCE_OFFICER);
    await officer.click(byTestId("nav-testing"));
    await officer.locator(byTestId("test-campaigns-title")).waitFor();
    await officer.click(byTestId("test-nav-samples"));
    await officer.fill(byTestId("test-samples-search"), positiveBarcode);
    const sampleRow = officer.locator(`${byTestId("test-sample-row")}[data-barcode="${positiveBarcode}"]`);
    await sampleRow.waitFor();
    expect(await sampleRow.getAttribute("data-status")).toBe("positive");
    expect(await sampleRow.textContent()).toContain(source.fullName);
    await sampleRow.locator(byTestId("test-sample-open")).click();
    await officer.locator(byTestId("test-sample-name")).waitFor();
    expect(await officer.locator(byTestId("test-sample-name")).textContent()).toBe(source.fullName);
    expect(await officer.getAttribute(byTestId("test-sample-status"), "data-status")).toBe("positive");
    await officer.click(byTestId("test-sample-case-link"));
    await officer.locator(byTestId("case-name")).waitFor();
    expect(await officer.locator(byTestId("case-name")).textContent()).toContain(source.fullName);
    // Traced already (F1), with the guest who was at the market at the same time among the contacts.
    await officer.locator(`${byTestId("case-traced-at")}:has-text("F1")`).waitFor();
    await officer.locator(`${byTestId("contact-row")}[data-person-name="${neighbour.fullName}"]`).waitFor();

    const officerToken = await login(PROVINCE_OFFICER);
    const positive = await api<SampleDetail>("GET", `/api/test-samples/by-barcode/${positiveBarcode}`, undefined, officerToken);
    expect(positive.caseId).toBeTruthy();
    const kase = await api<{ id: string; method: string; sampleDate: string | null; confirmedOn: string; tracedAt: string | null; tracedDegree: number; person: { id: string } }>(
      "GET",
      `/api/cases/${positive.caseId}`,
      undefined,
      officerToken,
    );
    expect(kase).toMatchObject({ method: "pcr", sampleDate: vnDay(), confirmedOn: vnDay(), tracedDegree: 1 });
    expect(kase.tracedAt).not.toBeNull();
    expect(kase.person.id).toBe(source.personId);
    const casesOfSource = await api<{ items: { id: string }[] }>("GET", `/api/cases?q=${encodeURIComponent(source.fullName)}`, undefined, officerToken);
    expect(casesOfSource.items.map((c) => c.id)).toEqual([positive.caseId]);

    expect(desk.pageErrors).toEqual([]);
    expect(officerTp.pageErrors).toEqual([]);
    await Promise.allSettled(extraPages.map((tp) => tp.close()));
  });

  it("the officer reads the demo campaign (sites, labs, counts) and the statistics", async () => {
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, PROVINCE_OFFICER);
    await page.click(byTestId("quick-nav-testing"));
    await page.locator(byTestId("test-campaigns-title")).waitFor();
    const row = page.locator(`${byTestId("test-campaign-row")}[data-campaign-name="${DEMO_CAMPAIGN}"]`);
    await row.waitFor();
    await row.locator(byTestId("test-campaign-open")).click();
    await page.locator(byTestId("test-campaign-title")).waitFor();
    expect(await page.locator(byTestId("test-campaign-title")).textContent()).toBe(DEMO_CAMPAIGN);
    expect(await page.locator(byTestId("test-campaign-pool-size")).textContent()).toContain("5");
    await page.locator(`${byTestId("test-site-row")}[data-site-name="${DEMO_TEST_SITE}"]`).waitFor();
    await page.locator(byTestId("test-campaign-lab"), { hasText: DEMO_LAB }).waitFor();

    const token = await login(PROVINCE_OFFICER);
    const campaignId = new URL(page.url()).pathname.split("/").pop()!;
    const detail = await api<{ counts: { samples: number; pools: number; positive: number; retestNeeded: number } }>("GET", `/api/test-campaigns/${campaignId}`, undefined, token);
    const shown = async (id: string) => Number(await page.getAttribute(byTestId(id), "data-value"));
    expect(await shown("test-count-samples")).toBe(detail.counts.samples);
    expect(await shown("test-count-pools")).toBe(detail.counts.pools);
    expect(await shown("test-count-positive")).toBe(detail.counts.positive);
    expect(await shown("test-count-retest")).toBe(detail.counts.retestNeeded);
    expect(detail.counts.pools).toBeGreaterThanOrEqual(4);
    expect(detail.counts.positive).toBeGreaterThanOrEqual(1);

    // The counters lead to the samples behind them.
    await page.click(byTestId("test-count-positive"));
    await page.locator(byTestId("test-samples-title")).waitFor();
    await page.locator(byTestId("test-sample-row")).first().waitFor();
    expect(await page.locator(`${byTestId("test-sample-row")}:not([data-status="positive"])`).count()).toBe(0);
    expect(await page.locator(byTestId("test-sample-row")).count()).toBe(detail.counts.positive);

    // Statistics: the same numbers as the API, per day and per commune.
    await page.click(byTestId("test-nav-stats"));
    await page.locator(byTestId("test-stats-title")).waitFor();
    await page.locator(byTestId("test-stats-summary")).waitFor();
    const stats = await api<{ days: { day: string; samples: number; positive: number }[]; communes: { communeCode: string; samples: number }[]; pools: { total: number } }>(
      "GET",
      "/api/testing/stats",
      undefined,
      token,
    );
    const total = stats.days.reduce((n, d) => n + d.samples, 0);
    expect(Number(await page.getAttribute(byTestId("test-stats-samples"), "data-value"))).toBe(total);
    expect(Number(await page.getAttribute(byTestId("test-stats-pools"), "data-value"))).toBe(stats.pools.total);
    const busiest = stats.days.filter((d) => d.samples > 0)[0]!;
    const dayRow = page.locator(`${byTestId("test-stats-day")}[data-day="${busiest.day}"]`);
    expect(await dayRow.getAttribute("data-samples")).toBe(String(busiest.samples));
    const hoanKiem = stats.communes.find((c) => c.communeCode === "00070")!;
    expect(await page.getAttribute(`${byTestId("test-stats-commune")}[data-commune-code="00070"]`, "data-samples")).toBe(String(hoanKiem.samples));
    expect(pageErrors).toEqual([]);
  });

  it("a province officer creates a lab_staff account on the users page and assigns it to the lab; it lands on the lab page", async () => {
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, PROVINCE_OFFICER);
    await page.click(byTestId("nav-users"));
    await page.locator(byTestId("users-title")).waitFor();
    const username = `lab.${suffix().toLowerCase()}`;
    await page.click(byTestId("user-create-open"));
    await page.fill(byTestId("user-form-username"), username);
    await page.fill(byTestId("user-form-displayName"), "Kỹ thuật viên Thử");
    await page.fill(byTestId("user-form-password"), "Xet-Nghiem@2026");
    // Lab staff is offered to province officers; its area is the officer's province, the commune optional.
    await page.locator(`${byTestId("user-form-role")} option[value="lab_staff"]`).waitFor({ state: "attached" });
    expect(await page.locator(`${byTestId("user-form-role")} option[value="lab_staff"]`).textContent()).toBe("Nhân viên phòng xét nghiệm");
    await page.selectOption(byTestId("user-form-role"), "lab_staff");
    expect(await page.inputValue(byTestId("user-form-province"))).toBe("01");
    await page.click(byTestId("user-form-submit"));
    const created = page.locator(`${byTestId("user-row")}[data-username="${username}"]`);
    await created.waitFor();
    expect(await created.textContent()).toContain("Nhân viên phòng xét nghiệm");

    // The lab's page: assign the new account.
    await page.goto(`${suite.baseUrl}/testing/labs`);
    const labRow = page.locator(`${byTestId("test-lab-row")}[data-lab-name="${DEMO_LAB}"]`);
    await labRow.waitFor();
    await labRow.locator(byTestId("test-lab-open")).click();
    await page.locator(byTestId("test-lab-title")).waitFor();
    await page.locator(`${byTestId("test-lab-staff-member")}`).first().waitFor();
    const staffBefore = await page.locator(byTestId("test-lab-staff-member")).count();
    const token = await login(PROVINCE_OFFICER);
    const users = await api<{ items: { id: string; username: string }[] }>("GET", `/api/users?q=${username}`, undefined, token);
    const account = users.items.find((u) => u.username === username)!;
    await page.locator(`${byTestId("test-lab-staff-user")} option[value="${account.id}"]`).waitFor({ state: "attached" });
    await page.selectOption(byTestId("test-lab-staff-user"), account.id);
    await page.click(byTestId("test-lab-staff-assign"));
    await page.locator(`${byTestId("test-lab-staff-member")}[data-user-id="${account.id}"]`).waitFor();
    expect(await page.locator(byTestId("test-lab-staff-member")).count()).toBe(staffBefore + 1);
    const labId = new URL(page.url()).pathname.split("/").pop()!;
    const lab = await api<{ staff: { userId: string }[] }>("GET", `/api/labs/${labId}`, undefined, token);
    expect(lab.staff.map((m) => m.userId)).toContain(account.id);
    expect(pageErrors).toEqual([]);

    // The new account signs in and lands on the lab page, with the pools waiting at its lab.
    const tech = await suite.open("desktop");
    await signIn(tech.page, suite.baseUrl, { username, password: "Xet-Nghiem@2026" }, "test-lab-page-title");
    expect(new URL(tech.page.url()).pathname).toBe("/testing/lab");
    await tech.page.locator(byTestId("test-lab-waiting-row")).first().waitFor();
    // No home page in a lab technician's menu; no officer pages either.
    expect(await tech.page.locator(byTestId("nav-home")).count()).toBe(0);
    expect(await tech.page.locator(byTestId("test-nav-campaigns")).count()).toBe(0);
    await tech.page.goto(`${suite.baseUrl}/testing/campaigns`);
    await tech.page.locator(byTestId("no-access")).waitFor();
    expect(tech.pageErrors).toEqual([]);
  });

  it("a commune officer opens a rapid-test campaign with a site and a team; the site staff reads a rapid test at the desk", async () => {
    const tag = suffix();
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, COMMUNE_OFFICER);
    await page.goto(`${suite.baseUrl}/testing/campaigns`);
    await page.click(byTestId("test-campaign-new"));
    await page.locator(byTestId("campaign-form")).waitFor();
    // A commune officer's campaign is in their commune.
    expect(await page.isDisabled(byTestId("campaign-form-communeCode"))).toBe(true);
    const name = `Test nhanh chợ Hàng Da ${tag}`;
    await page.fill(byTestId("campaign-form-name"), name);
    await page.selectOption(byTestId("campaign-form-testType"), "rapid_antigen");
    expect(await page.inputValue(byTestId("campaign-form-poolSize"))).toBe("1");
    expect(await page.isDisabled(byTestId("campaign-form-poolSize"))).toBe(true);
    await page.fill(byTestId("campaign-form-endsOn"), vnDay(2));
    await page.click(byTestId("campaign-form-submit"));
    await page.locator(`${byTestId("test-campaign-title")}:has-text("${name}")`).waitFor();
    expect(await page.locator(byTestId("test-campaign-pool-size")).textContent()).toBe("Không gộp mẫu");
    await page.locator(byTestId("test-sites-empty")).waitFor();

    await page.click(byTestId("test-site-new"));
    await page.locator(byTestId("test-site-form")).waitFor();
    const siteName = `Điểm test nhanh ${tag}`;
    await page.fill(byTestId("test-site-form-name"), siteName);
    await page.fill(byTestId("test-site-form-address"), "12 Hàng Da, Hoàn Kiếm");
    expect(await page.inputValue(byTestId("test-site-form-communeCode"))).toBe("00070");
    await page.click(byTestId("test-site-form-submit"));
    const siteRow = page.locator(`${byTestId("test-site-row")}[data-site-name="${siteName}"]`);
    await siteRow.waitFor();
    await siteRow.locator(byTestId("test-site-open")).click();
    await page.locator(byTestId("test-site-title")).waitFor();
    await page.locator(byTestId("test-staff-empty")).waitFor();
    const officer = await login(COMMUNE_OFFICER);
    const staffUser = (await api<{ items: { id: string; username: string }[] }>("GET", "/api/users?q=hn.site", undefined, officer)).items.find((u) => u.username === "hn.site")!;
    await page.locator(`${byTestId("test-staff-user")} option[value="${staffUser.id}"]`).waitFor({ state: "attached" });
    await page.selectOption(byTestId("test-staff-user"), staffUser.id);
    await page.fill(byTestId("test-staff-team"), "Tổ 2");
    await page.click(byTestId("test-staff-assign"));
    const member = page.locator(`${byTestId("test-staff-member")}[data-user-id="${staffUser.id}"]`);
    await member.waitFor();
    expect(await member.textContent()).toContain("Tổ 2");
    const siteId = new URL(page.url()).pathname.split("/").pop()!;
    const site = await api<{ testType: string; poolSize: number; staff: { userId: string; team: string | null }[] }>("GET", `/api/test-sites/${siteId}`, undefined, officer);
    expect(site).toMatchObject({ testType: "rapid_antigen", poolSize: 1, staff: [{ userId: staffUser.id, team: "Tổ 2" }] });
    expect(pageErrors).toEqual([]);

    // The site staff now works at two testing sites: the desk asks which.
    const tp = await phone();
    const desk = tp.page;
    await signIn(desk, suite.baseUrl, SITE_STAFF, "work-chooser-title");
    expect(await desk.locator(byTestId("work-test-site")).count()).toBe(2);
    await desk.goto(`${suite.baseUrl}/testing/desk`);
    await desk.locator(`${byTestId("test-desk-site")}[data-site-id="${siteId}"]`).click();
    await desk.locator(`${byTestId("test-desk-title")}:has-text("${siteName}")`).waitFor();
    // A rapid test has no pool: the desk takes the sample and reads its result.
    expect(await desk.locator(byTestId("test-desk-pool")).count()).toBe(0);
    const person = { fullName: `Lê Văn Nhanh ${tag}`, phone: freshPhone(), birthYear: 1999 };
    await desk.click(byTestId("test-person-mode-new"));
    await desk.fill(byTestId("test-person-fullName"), person.fullName);
    await desk.fill(byTestId("test-person-phone"), person.phone);
    await desk.fill(byTestId("test-person-birthYear"), String(person.birthYear));
    await desk.click(byTestId("test-take-submit"));
    await desk.locator(byTestId("test-last-sample")).waitFor();
    const barcode = (await desk.getAttribute(byTestId("test-last-sample"), "data-barcode"))!;
    const row = desk.locator(`${byTestId("test-day-sample")}[data-barcode="${barcode}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(person.fullName);
    await row.locator(byTestId("test-day-result-negative")).click();
    await desk.locator(`${byTestId("test-day-sample")}[data-barcode="${barcode}"][data-status="negative"]`).waitFor();
    expect(await row.locator(byTestId("test-day-status")).textContent()).toBe("Âm tính");
    await fitsWidth(desk, PHONE_WIDTH);
    const sample = await api<SampleDetail & { team: string | null; testType: string }>("GET", `/api/test-samples/by-barcode/${barcode}`, undefined, await login(SITE_STAFF));
    expect(sample).toMatchObject({ status: "negative", result: "negative", testType: "rapid_antigen", team: "Tổ 2", caseId: null });
    expect(sample.person.fullName).toBe(person.fullName);
    expect(tp.pageErrors).toEqual([]);
    await tp.close();
  });
});
