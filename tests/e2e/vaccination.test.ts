/**
 * The vaccination pages of the portal in real Chromium against the real server (PGlite with the
 * demo data; SMS_SENDER=log so a citizen can sign in and book: tests/support/otp.ts).
 *
 * - A province officer's coverage page shows the demo numbers (12 people with dose 1 and dose 2
 *   at Hoàn Kiếm) in the table of communes, with bars, and goes down to the commune.
 * - On a phone, Hoàn Kiếm's site staff signs in and lands on the site's day; publishes a slot for
 *   today; a citizen books it in the API (as the app does); a wrong code and tomorrow's appointment
 *   are refused in words; the staff types the appointment code, which opens the dose form already
 *   filled in (person, dose 1); forcing an expired lot (shown on request) gets the 422 in words
 *   next to the lot; with PF-2026-001 the dose is saved and shows in the person's record, and the
 *   appointment is vaccinated.
 * - A commune officer uploads a CSV with one bad row, sees the preview (counts, the rejected row
 *   with its reason), commits it and sees the counts; the doses are in the registry.
 * - A commune officer opens a site in their commune (refused empty first) and assigns it a
 *   site-staff account of the commune.
 * - A province officer prints a demo person's certificate (a PDF), records a reaction after their
 *   dose, finds it in the list by severity, adds a note and moves it to "following up".
 * Needs the built portal (web/dist): `npm run test:e2e` builds it; run alone, this file builds it
 * when it is missing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useCitizenSuite } from "../support/otp";
import { byTestId, signIn } from "../support/portal-suite";

const SITE_STAFF = { username: "hn.site", password: "Demo@2026" };
const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const PROVINCE_OFFICER = { username: "hn.province", password: "Demo@2026" };
const HOAN_KIEM_SITE = "Trạm Y tế phường Hoàn Kiếm";

const suffix = () => Math.random().toString(36).slice(2, 6).toUpperCase();
const freshPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
/** A Vietnam day, YYYY-MM-DD, `offset` days from today. */
const vnDay = (offset = 0) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + offset * 86_400_000));
const ddmmyyyy = (day: string) => day.split("-").reverse().join("/");

interface Slot {
  id: string;
  startsAt: string;
  endsAt: string;
  free: number;
}

describe("vaccination portal (browser)", { timeout: 120_000 }, () => {
  const suite = useCitizenSuite();

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

  /** A citizen signed in by one-time code, with a profile in Hoàn Kiếm: their token and person. */
  async function citizen(fullName: string) {
    const phone = freshPhone();
    await api("POST", "/api/citizen/otp", { phone });
    const session = await api<{ accessToken: string }>("POST", "/api/citizen/verify", { phone, code: await suite.codeFor(phone) });
    const profile = await api<{ personId: string }>("PUT", "/api/me/profile", { fullName, birthDate: "1958-04-12", sex: "male", communeCode: "00070" }, session.accessToken);
    return { token: session.accessToken, personId: profile.personId, phone };
  }

  const optionValue = (page: Page, select: string, attr: string, value: string) =>
    page.locator(`${byTestId(select)} option[${attr}="${value}"]`).getAttribute("value");

  it("coverage shows the demo numbers for Hoàn Kiếm, with bars, and goes down to the commune", async () => {
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, PROVINCE_OFFICER);
    await page.click(byTestId("nav-vaccination"));
    await page.locator(byTestId("vacc-sites-title")).waitFor();
    await page.click(byTestId("vacc-nav-coverage"));
    await page.locator(byTestId("vacc-coverage-title")).waitFor();
    await page.locator(`${byTestId("vacc-coverage-unit")}[data-unit-code="01"]`).waitFor();

    // The demo: the first twelve people of Hà Nội have dose 1 (AZ) and dose 2 (PF), both given at Hoàn Kiếm.
    const row = page.locator(`${byTestId("vacc-coverage-row")}[data-unit-code="00070"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-dose1")).toBe("12");
    expect(await row.getAttribute("data-dose2")).toBe("12");
    expect(await row.getAttribute("data-dose3")).toBe("0");
    expect(await row.textContent()).toContain("12");
    expect(Number(await page.locator(byTestId("vacc-coverage-dose1")).getAttribute("data-people"))).toBeGreaterThanOrEqual(12);
    // The daily table has the day of each demo dose (60 and 20 days ago fall outside the default 30 days: ask for them).
    await page.fill(byTestId("vacc-coverage-from"), vnDay(-61));
    await page.locator(`${byTestId("vacc-coverage-day")}[data-day="${vnDay(-60)}"]`).waitFor();
    expect(await page.locator(`${byTestId("vacc-coverage-day")}[data-day="${vnDay(-20)}"]`).textContent()).toContain("12");

    // Down to the commune: its own unit card, the same numbers.
    await row.locator(byTestId("vacc-coverage-drill")).click();
    const unit = page.locator(`${byTestId("vacc-coverage-unit")}[data-unit-code="00070"]`);
    await unit.waitFor();
    expect(await page.locator(byTestId("vacc-coverage-dose1")).getAttribute("data-people")).toBe("12");
    expect(await page.locator(byTestId("vacc-coverage-dose2")).getAttribute("data-people")).toBe("12");
    expect(new URL(page.url()).searchParams.get("commune")).toBe("00070");
    expect(pageErrors).toEqual([]);
  });

  it("site staff on a phone check an appointment in by its code, meet the expired-lot rule, and record the dose", async () => {
    const { page, pageErrors } = await suite.open("phone");
    // hn.site works at a vaccination site and a testing site: the landing page offers both.
    await signIn(page, suite.baseUrl, SITE_STAFF, "work-chooser-title");
    await page.locator(byTestId("work-vacc-site"), { hasText: HOAN_KIEM_SITE }).click();
    await page.locator(byTestId("vacc-site-title")).waitFor();
    // The chosen site's day.
    expect(await page.locator(byTestId("vacc-site-title")).textContent()).toBe(HOAN_KIEM_SITE);
    const siteId = new URL(page.url()).pathname.split("/").pop()!;
    await page.locator(byTestId("vacc-checkin")).waitFor();

    // Publish today's slots from 11:00 (after the demo's 08–11) to 23:59, in the page.
    await page.click(byTestId("vacc-site-tab-slots"));
    await page.locator(byTestId("vacc-publish-form")).waitFor();
    await page.fill(byTestId("vacc-publish-startTime"), "11:00");
    await page.fill(byTestId("vacc-publish-endTime"), "23:59");
    await page.fill(byTestId("vacc-publish-slotMinutes"), "720");
    await page.fill(byTestId("vacc-publish-capacityPerSlot"), "5");
    await page.selectOption(byTestId("vacc-publish-productCode"), "PF");
    expect(await page.locator(byTestId("vacc-publish-places")).textContent()).toContain("10");
    await page.click(byTestId("vacc-publish-submit"));
    await page.locator(byTestId("flash")).waitFor();
    await page.locator(`${byTestId("vacc-slot-day")}[data-day="${vnDay()}"]`).waitFor();

    // A citizen books the slot still open today, in the API as the app does, and gets the code.
    const slots = await api<{ items: Slot[] }>("GET", `/api/vaccination-sites/${siteId}/slots?from=${vnDay()}&to=${vnDay()}`);
    const open = slots.items.filter((s) => Date.parse(s.endsAt) > Date.now() && s.free > 0).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    expect(open.length).toBeGreaterThan(0);
    const name = `Trần Văn Tiêm ${suffix()}`;
    const person = await citizen(name);
    const appointment = await api<{ id: string; code: string; status: string }>(
      "POST",
      "/api/me/vaccination/appointments",
      { priorityGroup: "elderly", slotId: open[0]!.id },
      person.token,
    );
    expect(appointment.status).toBe("booked");
    expect(appointment.code).toBeTruthy();

    // The day's list has the appointment, with its priority group.
    await page.click(byTestId("vacc-site-tab-day"));
    const row = page.locator(`${byTestId("vacc-appointment-row")}[data-appointment-id="${appointment.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-priority")).toBe("elderly");
    expect(await row.locator(byTestId("vacc-appointment-priority")).textContent()).toBe("Người cao tuổi");

    // A wrong code, and tomorrow's appointment, are refused in words; the right one opens the dose form, filled in.
    const checkinError = `${byTestId("vacc-checkin-error")} ${byTestId("error-message")}`;
    await page.fill(byTestId("vacc-checkin-code"), "KHONGCOMA");
    await page.click(byTestId("vacc-checkin-submit"));
    expect(await page.locator(checkinError).textContent()).toBe("Mã lịch hẹn không đúng. Kiểm tra lại mã in dưới mã QR.");
    const tomorrow = (await api<{ items: Slot[] }>("GET", `/api/vaccination-sites/${siteId}/slots?from=${vnDay(1)}&to=${vnDay(1)}`)).items[0]!;
    const early = await citizen(`Lê Thị Sớm ${suffix()}`);
    const later = await api<{ code: string }>("POST", "/api/me/vaccination/appointments", { priorityGroup: "general", slotId: tomorrow.id }, early.token);
    await page.fill(byTestId("vacc-checkin-code"), `PHC-APT:${later.code}`);
    await page.click(byTestId("vacc-checkin-submit"));
    await page.locator(`${checkinError}:has-text("không phải hôm nay")`).waitFor();
    expect(await page.locator(checkinError).textContent()).toContain(vnDay(1));
    await page.fill(byTestId("vacc-checkin-code"), appointment.code);
    await page.click(byTestId("vacc-checkin-submit"));
    await page.locator(byTestId("vacc-record-form")).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe("/vaccination/record");
    expect(url.searchParams.get("appointmentId")).toBe(appointment.id);
    expect(await page.locator(byTestId("vacc-record-person-name")).textContent()).toBe(name);
    await page.locator(byTestId("vacc-record-appointment")).waitFor();
    expect(await page.inputValue(byTestId("vacc-record-dose-number"))).toBe("1");
    expect(await page.inputValue(byTestId("vacc-record-site"))).toBe(siteId);
    expect(await page.inputValue(byTestId("vacc-record-given-on"))).toBe(vnDay());

    // Expired lots are not offered until asked for; forced, the server's rule answers next to the lot.
    await page.locator(`${byTestId("vacc-record-lot")} option[data-lot-number="PF-2026-001"]`).waitFor({ state: "attached" });
    expect(await page.locator(`${byTestId("vacc-record-lot")} option[data-lot-number="AZ-2025-EXP"]`).count()).toBe(0);
    await page.check(byTestId("vacc-record-show-expired"));
    await page.locator(`${byTestId("vacc-record-lot")} option[data-lot-number="AZ-2025-EXP"]`).waitFor({ state: "attached" });
    await page.selectOption(byTestId("vacc-record-lot"), (await optionValue(page, "vacc-record-lot", "data-lot-number", "AZ-2025-EXP"))!);
    await page.fill(byTestId("vacc-record-vaccinator"), "ĐD. Lê Thu");
    await page.click(byTestId("vacc-record-submit"));
    const lotError = page.locator(byTestId("vacc-record-lotId-error"));
    await lotError.waitFor();
    expect(await lotError.textContent()).toMatch(/^Lô đã hết hạn ngày \d{4}-\d{2}-\d{2}$/);
    expect(await page.getAttribute(byTestId("vacc-record-lot"), "aria-invalid")).toBe("true");

    // The right lot: saved, and the person's record shows it.
    await page.selectOption(byTestId("vacc-record-lot"), (await optionValue(page, "vacc-record-lot", "data-lot-number", "PF-2026-001"))!);
    expect(await lotError.count()).toBe(0);
    await page.click(byTestId("vacc-record-submit"));
    await page.locator(byTestId("vacc-person-name")).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/vaccination/people/${person.personId}`);
    expect(await page.locator(byTestId("vacc-person-name")).textContent()).toBe(name);
    expect(await page.locator(byTestId("flash")).textContent()).toContain("Đã ghi nhận mũi tiêm");
    const dose = page.locator(`${byTestId("vacc-person-dose")}[data-dose-number="1"]`);
    await dose.waitFor();
    expect(await dose.locator(byTestId("vacc-person-dose-lot")).textContent()).toBe("PF-2026-001");
    expect(await dose.locator(byTestId("vacc-person-dose-product")).textContent()).toContain("PF");
    expect(await dose.textContent()).toContain(ddmmyyyy(vnDay()));
    expect(await dose.textContent()).toContain("ĐD. Lê Thu");
    // Next: dose 2, 21 days after a PF dose.
    expect(await page.locator(byTestId("vacc-person-next")).textContent()).toContain(ddmmyyyy(vnDay(21)));

    // The server agrees: one dose, and the appointment is vaccinated.
    const staffToken = await login(SITE_STAFF);
    const record = await api<{ doses: { doseNumber: number; lotNumber: string; vaccinator: string | null }[] }>("GET", `/api/people/${person.personId}/vaccinations`, undefined, staffToken);
    expect(record.doses).toEqual([expect.objectContaining({ doseNumber: 1, lotNumber: "PF-2026-001", vaccinator: "ĐD. Lê Thu" })]);
    const mine = await api<{ items: { id: string; status: string }[] }>("GET", "/api/me/vaccination/appointments", undefined, person.token);
    expect(mine.items.find((a) => a.id === appointment.id)?.status).toBe("vaccinated");

    // The day's list says so too.
    await page.goBack();
    await page.goBack();
    await page.locator(byTestId("vacc-site-title")).waitFor();
    await page.locator(`${byTestId("vacc-appointment-row")}[data-appointment-id="${appointment.id}"][data-status="vaccinated"]`).waitFor();
    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(pageErrors).toEqual([]);
  });

  it("an officer uploads a CSV with one bad row, sees the preview, commits it and sees the counts", async () => {
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, COMMUNE_OFFICER);
    await page.goto(`${suite.baseUrl}/vaccination/imports`);
    await page.locator(byTestId("vacc-upload-form")).waitFor();

    const tag = suffix();
    const given = vnDay(-10);
    const csv = [
      "ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui",
      `Phạm Thị Nhập ${tag},12/03/1985,${freshPhone()},,AZ,AZ-2026-001,${given},1`,
      `Đỗ Văn Nhập ${tag},1979-07-30,${freshPhone()},,PF,PF-2026-001,${given},1`,
      `Lỗi Lô Sai ${tag},1990-01-01,${freshPhone()},,PF,KHONG-CO-LO,${given},1`,
    ].join("\n");
    await page.locator(`${byTestId("vacc-upload-site")} option:has-text("${HOAN_KIEM_SITE}")`).waitFor({ state: "attached" });
    await page.selectOption(byTestId("vacc-upload-site"), { label: HOAN_KIEM_SITE });
    await page.setInputFiles(byTestId("vacc-upload-file"), { name: `tiem-${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
    await page.click(byTestId("vacc-upload-submit"));

    // The preview: nothing written yet, the rejected row with its reason.
    await page.locator(byTestId("vacc-import-title")).waitFor();
    expect(await page.locator(byTestId("vacc-import-title")).textContent()).toBe(`tiem-${tag}.csv`);
    expect(await page.getAttribute(byTestId("vacc-import-status"), "data-status")).toBe("previewed");
    const count = async (id: string) => Number(await page.getAttribute(byTestId(id), "data-value"));
    expect(await count("vacc-import-total")).toBe(3);
    expect(await count("vacc-import-create")).toBe(2);
    expect(await count("vacc-import-merge")).toBe(0);
    expect(await count("vacc-import-rejected")).toBe(1);
    const rejected = page.locator(byTestId("vacc-import-rejected-row"));
    expect(await rejected.count()).toBe(1);
    expect(await rejected.getAttribute("data-row")).toBe("4");
    expect(await rejected.locator(byTestId("vacc-import-reason")).first().textContent()).toContain("so_lo");
    expect(await page.locator(`${byTestId("vacc-import-sample-row")}[data-action="create"]`).count()).toBe(2);
    const officer = await login(COMMUNE_OFFICER);
    const before = await api<{ items: unknown[] }>("GET", `/api/vaccinations?q=${encodeURIComponent(`Nhập ${tag}`)}`, undefined, officer);
    expect(before.items).toHaveLength(0);

    // Commit: the counts of what was written, and the doses are in the registry.
    await page.click(byTestId("vacc-import-commit"));
    await page.locator(`${byTestId("vacc-import-status")}[data-status="committed"]`).waitFor();
    expect(await page.locator(byTestId("flash")).textContent()).toContain("Đã ghi 2 mũi tiêm");
    expect(await count("vacc-import-create")).toBe(2);
    expect(await count("vacc-import-rejected")).toBe(1);
    expect(await page.locator(byTestId("vacc-import-commit")).count()).toBe(0);
    const after = await api<{ items: { personName: string; lotNumber: string; givenOn: string; source: string }[] }>(
      "GET",
      `/api/vaccinations?q=${encodeURIComponent(`Nhập ${tag}`)}`,
      undefined,
      officer,
    );
    expect(after.items.map((d) => d.lotNumber).sort()).toEqual(["AZ-2026-001", "PF-2026-001"]);
    expect(after.items.every((d) => d.source === "import" && d.givenOn === given)).toBe(true);

    // The imports list shows it committed.
    await page.click(byTestId("vacc-import-back"));
    await page.locator(byTestId("vacc-imports-title")).waitFor();
    const listed = page.locator(`${byTestId("vacc-import-row")}[data-status="committed"]`, { hasText: `tiem-${tag}.csv` });
    await listed.waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("a commune officer opens a site and assigns a site-staff account of the commune", async () => {
    const officer = await login(COMMUNE_OFFICER);
    const tag = suffix().toLowerCase();
    const account = await api<{ id: string; displayName: string }>(
      "POST",
      "/api/users",
      { username: `site.${tag}`, displayName: `Nhân viên tiêm ${tag}`, password: "Tiem@chung2026", role: "site_staff", provinceCode: "01", communeCode: "00070" },
      officer,
    );
    const { page, pageErrors } = await suite.open("desktop");
    await signIn(page, suite.baseUrl, COMMUNE_OFFICER);
    await page.goto(`${suite.baseUrl}/vaccination/sites`);
    await page.locator(`${byTestId("vacc-site-row")}[data-site-name="${HOAN_KIEM_SITE}"]`).waitFor();
    await page.click(byTestId("vacc-site-new"));
    await page.locator(byTestId("site-form")).waitFor();
    // A commune officer's sites are in their commune: the area is fixed.
    expect(await page.isDisabled(byTestId("site-form-communeCode"))).toBe(true);
    const name = `Điểm tiêm lưu động ${tag}`;
    await page.click(byTestId("site-form-submit"));
    await page.locator(byTestId("site-form-name-error")).waitFor();
    await page.fill(byTestId("site-form-name"), name);
    await page.fill(byTestId("site-form-address"), "1 Tràng Tiền, Hoàn Kiếm");
    await page.fill(byTestId("site-form-capacityPerDay"), "150");
    await page.click(byTestId("site-form-submit"));
    await page.locator(`${byTestId("vacc-site-title")}:has-text("${name}")`).waitFor();
    const siteId = new URL(page.url()).pathname.split("/").pop()!;

    await page.click(byTestId("vacc-site-tab-staff"));
    await page.locator(byTestId("vacc-staff-empty")).waitFor();
    await page.locator(`${byTestId("vacc-staff-user")} option[value="${account.id}"]`).waitFor({ state: "attached" });
    await page.selectOption(byTestId("vacc-staff-user"), account.id);
    await page.click(byTestId("vacc-staff-assign"));
    await page.locator(`${byTestId("vacc-staff-member")}[data-user-id="${account.id}"]`).waitFor();
    const site = await api<{ name: string; communeCode: string; capacityPerDay: number; staff: { userId: string }[] }>("GET", `/api/vaccination-sites/${siteId}`, undefined, officer);
    expect(site).toMatchObject({ name, communeCode: "00070", capacityPerDay: 150 });
    expect(site.staff.map((s) => s.userId)).toEqual([account.id]);
    expect(pageErrors).toEqual([]);
  });

  it("a province officer prints a certificate, records a reaction after a demo dose, finds it by severity and follows it up", async () => {
    const { page, pageErrors } = await suite.open("desktop");
    // The province officer: the demo people live anywhere in Hà Nội, and certificates are for the officers of where they live.
    await signIn(page, suite.baseUrl, PROVINCE_OFFICER);
    await page.goto(`${suite.baseUrl}/vaccination/doses`);
    // A demo dose 2 (PF, 20 days ago) at Hoàn Kiếm.
    await page.selectOption(byTestId("vacc-doses-number"), "2");
    const doseRow = page.locator(`${byTestId("vacc-dose-row")}[data-dose-number="2"]`).first();
    await doseRow.waitFor();
    const personId = (await doseRow.getAttribute("data-person-id"))!;
    await doseRow.locator(byTestId("vacc-dose-person")).click();
    await page.locator(byTestId("vacc-person-name")).waitFor();
    const person = (await page.locator(byTestId("vacc-person-name")).textContent())!;

    // The printed certificate comes down as a PDF, fetched with the officer's token.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(byTestId("vacc-person-print"))]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const pdf = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    await page.locator(`${byTestId("vacc-person-dose")}[data-dose-number="2"]`).locator(byTestId("vacc-person-add-reaction")).click();
    await page.locator(byTestId("vacc-reaction-form")).waitFor();
    await page.click(byTestId("vacc-reaction-submit"));
    await page.locator(byTestId("vacc-reaction-severity-error")).waitFor();
    await page.selectOption(byTestId("vacc-reaction-severity"), "moderate");
    await page.check(byTestId("vacc-reaction-symptom-fever"));
    await page.fill(byTestId("vacc-reaction-other"), "ớn lạnh");
    await page.fill(byTestId("vacc-reaction-description"), "Sốt 38,5 độ tối hôm sau tiêm");
    await page.click(byTestId("vacc-reaction-submit"));
    const listed = page.locator(`${byTestId("vacc-person-reaction")}[data-severity="moderate"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain("Sốt, ớn lạnh");

    // The reactions list, filtered by severity, has it; its page follows it up.
    await page.click(byTestId("vacc-nav-reactions"));
    await page.selectOption(byTestId("vacc-reactions-severity"), "moderate");
    const row = page.locator(`${byTestId("vacc-reaction-row")}[data-severity="moderate"]`, { hasText: person });
    await row.waitFor();
    expect(await page.locator(`${byTestId("vacc-reaction-row")}:not([data-severity="moderate"])`).count()).toBe(0);
    await row.locator(byTestId("vacc-reaction-open")).click();
    await page.locator(byTestId("vacc-reaction-title")).waitFor();
    expect(await page.locator(byTestId("vacc-reaction-status")).textContent()).toBe("Mới");
    await page.fill(byTestId("vacc-note-text"), "Đã gọi điện, hạ sốt bằng paracetamol");
    await page.click(byTestId("vacc-note-submit"));
    await page.locator(byTestId("vacc-reaction-note"), { hasText: "paracetamol" }).waitFor();
    await page.selectOption(byTestId("vacc-followup-status"), "following_up");
    await page.fill(byTestId("vacc-followup-outcome"), "Ổn định sau 1 ngày");
    await page.click(byTestId("vacc-followup-submit"));
    await page.locator(`${byTestId("vacc-reaction-status")}:has-text("Đang theo dõi")`).waitFor();

    const officer = await login(PROVINCE_OFFICER);
    const record = await api<{ adverseEvents: { id: string; status: string; outcome: string | null; symptoms: string[] }[] }>("GET", `/api/people/${personId}/vaccinations`, undefined, officer);
    expect(record.adverseEvents).toEqual([expect.objectContaining({ status: "following_up", outcome: "Ổn định sau 1 ngày", symptoms: ["fever", "ớn lạnh"] })]);
    expect(pageErrors).toEqual([]);
  });
});
