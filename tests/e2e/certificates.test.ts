/**
 * Vaccination in the citizen app (/app) and the health-card verifier (/verify), in real Chromium
 * against the real server (PGlite with the demo data, SMS_SENDER=log for the sign-in codes).
 *
 * The server's PUBLIC_URL is the test server's own origin, so the cards it issues name the
 * verifier page's origin as their issuer (the one issuer /verify trusts).
 *
 * A citizen signs in by phone; an officer records two doses for them (AZ then PF); the app shows
 * the doses and the next dose; the citizen registers for the next one at the Hoàn Kiếm site and
 * books a time, and the appointment QR decodes to PHC-APT:<code>. The certificate screen draws the
 * SMART Health Card QR (decoded: the same `shc:/` text the API gives), and downloads the PDF and
 * the .smart-health-card file. The verifier checks the pasted text in the browser: VALID with the
 * name; still VALID offline; a text with one digit changed is refused; a card signed by a key
 * of another issuer is "unknown issuer"; once the person's cards are revoked, the verifier
 * reloaded online says "revoked". A second test feeds the card's QR to the camera (Chromium's
 * fake capture device playing a Y4M file) and the verifier reads it with jsQR.
 * Needs the built pages (web/dist): `npm run test:e2e` builds them; run alone, this file builds
 * them when one is missing.
 */
import { serve } from "@hono/node-server";
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, inflateRawSync } from "node:zlib";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import jsQR from "jsqr";
import QRCode from "qrcode";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardQrSegments, signCard } from "../../server/certificates/issue";
import { fhirBundle, healthCardPayload, immunizationResource } from "../../server/certificates/fhir";
import { jwsToNumeric, numericToJws } from "../../server/certificates/shc";
import { launchBrowser, newPhonePage, type TestPage } from "../support/browser";
import { createTestPlatform, type TestPlatform } from "../support/platform";
import { byTestId } from "../support/portal-suite";

/** pngjs comes with qrcode and has no type declarations: only the part used here. */
const { PNG } = createRequire(import.meta.url)("pngjs") as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

const webConfig = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));
const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const COMMUNE_OFFICER = "hn.commune";
const PROVINCE_OFFICER = "hn.province";
const HK_SITE = "Trạm Y tế phường Hoàn Kiếm";

const suffix = () => Math.random().toString(36).slice(2, 6).toUpperCase();
const freshPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const vnToday = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const daysFromToday = (n: number) => new Date(Date.parse(`${vnToday()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The claims of a card (raw DEFLATE payload). */
const payloadOf = (jws: string) => JSON.parse(inflateRawSync(Buffer.from(jws.split(".")[1]!, "base64url")).toString("utf8")) as { iss: string; nbf: number };

/** A free loopback port, so the platform's PUBLIC_URL can be the server's own origin. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Decodes the QR in a PNG data URL. */
function decodePng(dataUrl: string): string | null {
  const image = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64"));
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height)?.data ?? null;
}

/**
 * A Y4M video (the format Chromium's fake camera plays) showing one QR code: grey-scale in the Y
 * plane, neutral chroma. A few identical frames; Chromium loops the file.
 */
function qrVideo(jws: string, size = 720): Buffer {
  const qr = QRCode.create(cardQrSegments(jws), { errorCorrectionLevel: "L" });
  const n = qr.modules.size;
  const scale = Math.floor(size / (n + 8));
  const offset = Math.floor((size - n * scale) / 2);
  const y = Buffer.alloc(size * size, 255);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c))
        for (let dy = 0; dy < scale; dy++) y.fill(0, (offset + r * scale + dy) * size + offset + c * scale, (offset + r * scale + dy) * size + offset + (c + 1) * scale);
  const chroma = Buffer.alloc((size / 2) * (size / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${size} H${size} F5:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 5 }, () => frame)]);
}

describe("vaccination certificates (browser)", { timeout: 120_000 }, () => {
  let platform: TestPlatform;
  let server: ReturnType<typeof serve>;
  let baseUrl = "";
  let browser: Browser;
  const opened: TestPage[] = [];
  /** What the first test leaves for the second: the citizen's card. */
  let citizenCard = { jws: "", fullName: "" };

  beforeAll(async () => {
    if (!["index.html", "checkin.html", "citizen.html", "verify.html"].every((f) => existsSync(`${dist}${f}`))) {
      const { build } = await import("vite");
      await build({ configFile: webConfig, logLevel: "warn" });
    }
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const [p, b] = await Promise.all([createTestPlatform("pglite", { SMS_SENDER: "log", PUBLIC_URL: baseUrl }), launchBrowser()]);
    platform = p;
    browser = b;
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: p.app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((tp) => tp.close()));
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await platform?.close();
  }, 30_000);

  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  async function phone(): Promise<TestPage> {
    const tp = await newPhonePage(browser, { viewport: { width: 375, height: 780 } });
    opened.push(tp);
    return tp;
  }

  /** Signs a citizen in through the app (phone, then the texted code); returns the stored session. */
  async function signInCitizen(page: Page, phoneNumber: string) {
    await page.goto(`${baseUrl}/app`);
    await page.fill(byTestId("signin-phone"), phoneNumber);
    await page.click(byTestId("signin-send"));
    await page.locator(byTestId("signin-code")).waitFor();
    let code: string | undefined;
    for (let i = 0; i < 100 && !code; i++) {
      code = platform.deps.sms.lastCode(phoneNumber) ?? undefined;
      if (!code) await new Promise((r) => setTimeout(r, 50));
    }
    await page.fill(byTestId("signin-code"), code!);
    await page.click(byTestId("signin-verify"));
    await page.locator(byTestId("welcome")).waitFor();
    return page.evaluate(() => JSON.parse(localStorage.getItem("phc.citizen.session")!) as { accessToken: string });
  }

  /** Books the chosen time; fails with the screen's error when the booking is refused. */
  async function submitBooking(page: Page) {
    await page.click(byTestId("vax-book-submit"));
    const outcome = page.locator(`${byTestId("vax-appointment-page")}, ${byTestId("vax-book-error")}`).first();
    await outcome.waitFor().catch(async (e: unknown) => {
      throw new Error(`no answer to the booking: ${String(e)}\n${(await page.locator("main").innerText()).slice(-1500)}`);
    });
    if ((await outcome.getAttribute("data-testid")) === "vax-book-error") throw new Error(`booking refused: ${await outcome.textContent()}`);
  }

  /** Pastes a text into the verifier and returns its verdict. */
  async function verifyText(page: Page, text: string) {
    if (await page.locator(byTestId("verify-again")).isVisible()) await page.click(byTestId("verify-again"));
    await page.fill(byTestId("verify-text"), text);
    await page.click(byTestId("verify-submit"));
    const result = page.locator(byTestId("verify-result"));
    await result.waitFor();
    return {
      valid: await result.getAttribute("data-valid"),
      reason: await result.getAttribute("data-reason"),
      verdict: await page.locator(byTestId("verify-verdict")).textContent(),
      words: await page.locator(byTestId("verify-reason")).textContent(),
      name: (await page.locator(byTestId("verify-name")).count()) ? await page.locator(byTestId("verify-name")).textContent() : null,
    };
  }

  it("books a dose with its QR, shows and downloads the certificate; the verifier checks it offline, refuses tampered, foreign and revoked cards", async () => {
    const tp = await phone();
    const { page } = tp;
    const phoneNumber = freshPhone();
    const fullName = `Trần Văn Tiêm ${suffix()}`;

    // ---- the citizen signs in; the profile (Hoàn Kiếm) is saved through the API ----
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    page.on("dialog", (d) => void d.accept());
    const session = await signInCitizen(page, phoneNumber);
    const profile = await api<{ personId: string }>("PUT", "/api/me/profile", { fullName, birthDate: "1985-03-09", sex: "male", communeCode: "00070" }, session.accessToken);
    const child = await api<{ personId: string; fullName: string }>("POST", "/api/me/family", { relation: "child", fullName: `Trần Bảo Con ${suffix()}`, birthYear: 2014 }, session.accessToken);

    // ---- an officer records two doses: AZ 60 days ago, PF 20 days ago ----
    const officer = await platform.login(COMMUNE_OFFICER);
    const sites = await api<{ items: { id: string; name: string }[] }>("GET", `/api/vaccination-sites?q=${encodeURIComponent("Hoàn Kiếm")}`, undefined, officer);
    const site = sites.items.find((s) => s.name === HK_SITE)!;
    const lots = await api<{ items: { id: string; lotNumber: string }[] }>("GET", "/api/vaccine-lots?limit=50", undefined, officer);
    const lot = (n: string) => lots.items.find((l) => l.lotNumber === n)!.id;
    await api("POST", "/api/vaccinations", { personId: profile.personId, siteId: site.id, lotId: lot("AZ-2026-001"), doseNumber: 1, givenOn: daysFromToday(-60) }, officer);
    await api("POST", "/api/vaccinations", { personId: profile.personId, siteId: site.id, lotId: lot("PF-2026-001"), doseNumber: 2, givenOn: daysFromToday(-20) }, officer);

    // ---- the vaccination screen: both doses, the next one ----
    await page.goto(`${baseUrl}/app`);
    await page.locator(byTestId("home")).waitFor();
    // The vaccination screens are a chunk of their own, loaded when first opened.
    expect(scripts.some((p) => /vaccination-/.test(p))).toBe(false);
    await page.click(byTestId("tab-vaccination"));
    const me = page.locator(`${byTestId("vax-person")}[data-person-id="${profile.personId}"]`);
    await me.waitFor();
    expect(scripts.some((p) => /vaccination-/.test(p))).toBe(true);
    expect(await page.locator(byTestId("vax-person")).count()).toBe(2);
    const childCard = page.locator(`${byTestId("vax-person")}[data-person-id="${child.personId}"]`);
    expect(await childCard.textContent()).toContain("Chưa có mũi tiêm nào");
    expect(await childCard.locator(byTestId("vax-certificate")).count()).toBe(0);
    expect(await me.locator(byTestId("vax-dose")).count()).toBe(2);
    expect(await me.locator(byTestId("vax-dose")).first().textContent()).toContain("AZ-2026-001");
    const next = me.locator(byTestId("vax-next"));
    expect(await next.getAttribute("data-dose")).toBe("3");
    expect(await next.textContent()).toContain("Mũi tiếp theo: mũi 3");
    expect(await page.locator(byTestId("vax-appointments")).textContent()).toContain("Chưa có lịch hẹn nào");

    // ---- register and book: the Hoàn Kiếm site (the profile's commune), a time three days on ----
    await page.click(byTestId("vax-register"));
    await page.locator(byTestId("vax-book-form")).waitFor();
    await page.selectOption(byTestId("vax-priority"), "chronic_disease");
    const siteOption = page.locator(`${byTestId("vax-site")}[data-name="${HK_SITE}"]`);
    await siteOption.waitFor();
    await siteOption.check();
    await page.locator(byTestId("vax-slot-day")).first().waitFor();
    const days = page.locator(byTestId("vax-slot-day"));
    expect(await days.count()).toBeGreaterThanOrEqual(4);
    // Dose 3 may follow dose 2 (20 days ago, PF: 21 days) from tomorrow: today's times are greyed.
    expect(await page.locator(byTestId("vax-earliest")).textContent()).toContain(`từ ngày ${daysFromToday(1).split("-").reverse().join("/")}`);
    expect(await days.first().locator(`${byTestId("vax-slot")}[data-state="ok"]`).count()).toBe(0);
    expect(await days.first().locator(`${byTestId("vax-slot")}:not([disabled])`).count()).toBe(0);
    const slot = days.nth(3).locator(`${byTestId("vax-slot")}[data-state="ok"]`).first();
    expect(Number(await slot.getAttribute("data-free"))).toBeGreaterThan(0);
    expect(await days.nth(3).textContent()).toMatch(/còn \d+ chỗ/);
    // Submitting without a time says so first.
    await page.click(byTestId("vax-book-submit"));
    expect(await page.locator(byTestId("vax-book-error")).textContent()).toContain("Vui lòng chọn một giờ tiêm");
    await slot.check();
    await submitBooking(page);

    // ---- the appointment's QR: big, and it reads PHC-APT:<code> ----
    await page.locator(byTestId("vax-appointment-detail")).waitFor();
    expect(await page.locator(byTestId("vax-appointment-detail")).getAttribute("data-status")).toBe("booked");
    expect(await page.locator(byTestId("vax-appointment-site")).textContent()).toBe(HK_SITE);
    const img = page.locator(byTestId("vax-appointment-qr-img"));
    await page.waitForFunction(() => ((document.querySelector('[data-testid="vax-appointment-qr-img"]') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    expect((await img.boundingBox())!.width).toBeGreaterThanOrEqual(250);
    const aptPng = await img.evaluate((el) => {
      const image = el as HTMLImageElement;
      const c = document.createElement("canvas");
      c.width = c.height = 600;
      const ctx = c.getContext("2d")!;
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, 600, 600);
      ctx.drawImage(image, 0, 0, 600, 600);
      return c.toDataURL("image/png");
    });
    const mine = await api<{ items: { id: string; status: string; code: string; priorityGroup: string; doseNumber: number; siteName: string }[] }>("GET", "/api/me/vaccination/appointments", undefined, session.accessToken);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ status: "booked", priorityGroup: "chronic_disease", doseNumber: 3, siteName: HK_SITE });
    expect(decodePng(aptPng)).toBe(`PHC-APT:${mine.items[0]!.code}`);

    // The list shows it booked, with a cancel button.
    await page.click(byTestId("vax-back"));
    const apt = page.locator(`${byTestId("vax-appointment")}[data-id="${mine.items[0]!.id}"]`);
    await apt.waitFor();
    expect(await apt.getAttribute("data-status")).toBe("booked");
    expect(await apt.locator(byTestId("vax-appointment-status")).textContent()).toBe("Đã đặt lịch");
    expect(await apt.locator(byTestId("vax-appointment-cancel")).count()).toBe(1);

    // ---- the child: registered first without a time, then booked, then cancelled ----
    await childCard.locator(byTestId("vax-person-register")).click();
    await page.locator(byTestId("vax-book-form")).waitFor();
    expect(await page.locator(`${byTestId("vax-person-option")}[data-person-id="${child.personId}"]`).getAttribute("aria-pressed")).toBe("true");
    await page.click(byTestId("vax-register-only"));
    await page.locator(byTestId("vax-registered")).waitFor();
    await page.click(byTestId("vax-back"));
    const kidApt = page.locator(byTestId("vax-appointment")).filter({ hasText: child.fullName });
    await kidApt.waitFor();
    expect(await kidApt.getAttribute("data-status")).toBe("registered");
    expect(await kidApt.locator(byTestId("vax-appointment-qr")).count()).toBe(0);
    await kidApt.locator(byTestId("vax-appointment-book")).click();
    await page.locator(`${byTestId("vax-book")}[data-mode="book"]`).waitFor();
    await page.locator(`${byTestId("vax-site")}[data-name="${HK_SITE}"]`).check();
    // A first dose has no day to wait for: tomorrow's times are open.
    const kidSlot = page.locator(byTestId("vax-slot-day")).nth(1).locator(`${byTestId("vax-slot")}[data-state="ok"]`).first();
    await kidSlot.check();
    await submitBooking(page);
    await page.locator(`${byTestId("vax-appointment-detail")}[data-status="booked"]`).waitFor();
    await page.click(byTestId("vax-back"));
    await kidApt.locator(byTestId("vax-appointment-cancel")).click();
    await page.locator(`${byTestId("vax-appointment")}[data-status="cancelled"]`).waitFor();
    expect(await page.locator(byTestId("vax-notice")).textContent()).toBe("Đã hủy lịch hẹn.");
    const afterCancel = await api<{ items: { personId: string; status: string }[] }>("GET", "/api/me/vaccination/appointments", undefined, session.accessToken);
    expect(afterCancel.items.find((a) => a.personId === child.personId)?.status).toBe("cancelled");

    // ---- a reaction to dose 2, reported from the app ----
    await me.locator(`${byTestId("vax-dose")}[data-dose="2"] ${byTestId("vax-report-reaction")}`).click();
    await page.locator(byTestId("vax-reaction-form")).waitFor();
    expect(await page.locator(byTestId("vax-reaction-dose")).textContent()).toContain(fullName);
    await page.click(byTestId("vax-reaction-submit"));
    expect(await page.locator(byTestId("error-symptoms")).textContent()).toContain("ít nhất một triệu chứng");
    await page.check(byTestId("vax-symptom-fever"));
    await page.check(byTestId("vax-symptom-headache"));
    await page.check(byTestId("vax-severity-moderate"));
    await page.fill(byTestId("vax-reaction-description"), "Sốt 38,5 độ từ tối hôm tiêm");
    await page.click(byTestId("vax-reaction-submit"));
    await page.locator(byTestId("vax-reaction-sent")).waitFor();
    await page.click(byTestId("vax-back"));
    const reaction = me.locator(`${byTestId("vax-dose")}[data-dose="2"] ${byTestId("vax-reaction")}`);
    await reaction.waitFor();
    expect(await reaction.textContent()).toContain("Vừa · Sốt, Đau đầu");
    const record = await api<{ people: { person: { id: string }; adverseEvents: { severity: string; symptoms: string[]; description: string | null }[] }[] }>("GET", "/api/me/vaccination", undefined, session.accessToken);
    expect(record.people.find((p) => p.person.id === profile.personId)?.adverseEvents).toMatchObject([{ severity: "moderate", symptoms: ["fever", "headache"], description: "Sốt 38,5 độ từ tối hôm tiêm" }]);

    // ---- English on request ----
    await page.click(byTestId("lang-toggle"));
    expect(await page.locator(byTestId("tab-vaccination")).textContent()).toBe("Vaccines");
    expect(await me.locator(byTestId("vax-next")).textContent()).toContain("dose 3");
    await page.click(byTestId("lang-toggle"));

    // ---- the certificate: the QR decodes to the card the API gives ----
    await me.locator(byTestId("vax-certificate")).click();
    await page.locator(`${byTestId("cert-qr")}[data-ready="true"]`).waitFor();
    expect(await page.locator(byTestId("cert-name")).textContent()).toContain(fullName);
    expect(await page.locator(byTestId("cert-dose")).count()).toBe(2);
    // Every request signs a fresh card, so the QR is compared with the text the screen got.
    const shown = await page.locator(byTestId("cert-shc")).inputValue();
    expect(shown).toMatch(/^shc:\/\d+$/);
    const certPng = await page.locator(byTestId("cert-qr-canvas")).evaluate((c) => (c as HTMLCanvasElement).toDataURL("image/png"));
    expect(decodePng(certPng)).toBe(shown);
    const card = { qr: shown, jws: numericToJws(shown) };
    const fromApi = await api<{ qr: string; jws: string }>("GET", "/api/me/certificates/vaccination", undefined, session.accessToken);
    expect(fromApi.qr).toBe(jwsToNumeric(fromApi.jws));
    expect(payloadOf(fromApi.jws).iss).toBe(baseUrl);
    expect(payloadOf(card.jws).iss).toBe(baseUrl);

    // The PDF and the .smart-health-card file, fetched with the token and saved.
    const [pdf] = await Promise.all([page.waitForEvent("download"), page.click(byTestId("cert-pdf"))]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    expect(readFileSync((await pdf.path())!).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const [file] = await Promise.all([page.waitForEvent("download"), page.click(byTestId("cert-file"))]);
    expect(file.suggestedFilename()).toMatch(/\.smart-health-card$/);
    const shcFile = JSON.parse(readFileSync((await file.path())!, "utf8")) as { verifiableCredential: string[] };
    expect(shcFile.verifiableCredential).toHaveLength(1);
    expect(shcFile.verifiableCredential[0]!.split(".")).toHaveLength(3);

    // ---- the verifier: keys fetched and kept; the pasted card is VALID with the name ----
    const checker = await phone();
    const v = checker.page;
    await v.goto(`${baseUrl}/verify`);
    await v.locator(`${byTestId("verify-keys")}[data-state="fresh"]`).waitFor();
    expect(await v.locator(byTestId("verify-keys-status")).textContent()).toMatch(/Khóa kiểm tra cập nhật lúc \d\d:\d\d/);
    const stored = await v.evaluate(() => JSON.parse(localStorage.getItem("phc.verify.keys") ?? "null") as { iss: string; jwks: { keys: unknown[] }; fetchedAt: number } | null);
    expect(stored?.iss).toBe(baseUrl);
    expect(stored?.jwks.keys.length).toBeGreaterThan(0);
    let result = await verifyText(v, card.qr);
    expect(result).toMatchObject({ valid: "true", verdict: "HỢP LỆ", name: fullName });
    expect(await v.locator(byTestId("verify-birthdate")).textContent()).toBe("09/03/1985");
    expect(await v.locator(byTestId("verify-dose")).count()).toBe(2);
    expect(await v.locator(byTestId("verify-doses")).textContent()).toContain("AZ-2026-001");

    // ---- offline: the cached keys still verify it (no request leaves the page) ----
    await checker.context.setOffline(true);
    const requests: string[] = [];
    v.on("request", (r) => requests.push(r.url()));
    result = await verifyText(v, card.qr);
    expect(result).toMatchObject({ valid: "true", name: fullName });
    expect(requests).toEqual([]);

    // ---- one digit changed in the signature: refused ----
    const sigStart = card.qr.length - 2 * (card.jws.length - card.jws.lastIndexOf(".") - 1);
    let at = -1;
    for (let i = sigStart + 2; i < card.qr.length - 4; i += 2) {
      const pair = card.qr.slice(i, i + 2);
      if (pair[0] === "2" || pair[0] === "6") {
        at = i + 1;
        break;
      }
    }
    expect(at).toBeGreaterThan(0);
    const tampered = card.qr.slice(0, at) + String((Number(card.qr[at]) + 1) % 10) + card.qr.slice(at + 1);
    expect(tampered).not.toBe(card.qr);
    result = await verifyText(v, tampered);
    expect(result).toMatchObject({ valid: "false", reason: "bad_signature", verdict: "KHÔNG HỢP LỆ", name: null });
    expect(result.words).toContain("Chữ ký số không đúng");

    // ---- not a health card at all ----
    result = await verifyText(v, "shc:/1234");
    expect(result).toMatchObject({ valid: "false", reason: "malformed" });
    expect(result.words).toContain("Không phải mã chứng nhận");

    // ---- a card signed by another issuer's key: unknown issuer ----
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
    const foreign = await signCard(
      { kid, privateKey } as Parameters<typeof signCard>[0],
      healthCardPayload({
        iss: "https://health.example.org",
        nbf: Math.floor(Date.now() / 1000) - 60,
        bundle: fhirBundle({ fullName, birthDate: "1985-03-09" }, [immunizationResource({ cvx: "208", date: daysFromToday(-20), lotNumber: "FAKE-1", performer: "Elsewhere" })]),
        rid: "foreign1",
      }),
    );
    result = await verifyText(v, jwsToNumeric(foreign));
    expect(result).toMatchObject({ valid: "false", reason: "unknown_issuer", name: null });
    expect(result.words).toContain("Nơi cấp không nằm trong danh sách tin cậy");

    // English on request.
    await v.click(byTestId("lang-toggle"));
    expect(await v.locator(byTestId("verify-verdict")).textContent()).toBe("NOT VALID");
    expect(await v.locator(byTestId("verify-reason")).textContent()).toContain("Unknown issuer");
    await v.click(byTestId("lang-toggle"));

    // ---- the person's cards revoked: the verifier reloaded online says so ----
    await checker.context.setOffline(false);
    const province = await platform.login(PROVINCE_OFFICER);
    await api("POST", "/api/certificates/revocations", { personId: profile.personId, reason: "Cấp nhầm người / issued in error" }, province);
    await v.reload();
    await v.locator(`${byTestId("verify-keys")}[data-state="fresh"]`).waitFor();
    result = await verifyText(v, card.qr);
    expect(result).toMatchObject({ valid: "false", reason: "revoked" });
    expect(result.words).toContain("Chứng nhận đã bị thu hồi");
    // A card issued after the revocation verifies again (revocations count in whole seconds).
    await new Promise((r) => setTimeout(r, 1100));
    const renewed = await api<{ qr: string; jws: string }>("GET", "/api/me/certificates/vaccination", undefined, session.accessToken);
    result = await verifyText(v, renewed.qr);
    expect(result).toMatchObject({ valid: "true", name: fullName });
    citizenCard = { jws: renewed.jws, fullName };

    // ---- everything the app loaded (the vaccination chunk and the QR library included) stays small ----
    const gzipped = [...new Set(scripts)].reduce((sum, p) => sum + gzipSync(readFileSync(`${dist}${p.replace(/^\//, "")}`)).length, 0);
    expect(gzipped).toBeLessThanOrEqual(60 * 1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // ---- the verifier is its own small entry: no portal or citizen-app code ----
    const html = readFileSync(`${dist}verify.html`, "utf8");
    expect(html).not.toMatch(/portal-|citizen-/);
    expect(tp.pageErrors).toEqual([]);
    expect(checker.pageErrors).toEqual([]);
  });

  it("reads a card's QR with the camera (Chromium's fake capture device) and verifies it", async () => {
    expect(citizenCard.jws, "the first test issued a card").toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const dir = mkdtempSync(join(tmpdir(), "phc-cam-"));
    const video = join(dir, "card.y4m");
    writeFileSync(video, qrVideo(citizenCard.jws));
    const camera = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const context = await camera.newContext({ locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", viewport: { width: 375, height: 780 } });
      const page = await context.newPage();
      const errors: Error[] = [];
      page.on("pageerror", (e) => errors.push(e));
      const scripts: string[] = [];
      page.on("request", (r) => {
        if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
      });
      await page.goto(`${baseUrl}/verify`);
      // jsQR is loaded only once the camera is opened.
      expect(scripts.some((p) => /jsQR-/.test(p))).toBe(false);
      await page.locator(`${byTestId("verify-keys")}[data-state="fresh"]`).waitFor({ timeout: 10_000 });
      await page.click(byTestId("verify-camera-start"));
      const result = page.locator(byTestId("verify-result"));
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute("data-valid")).toBe("true");
      expect(await page.locator(byTestId("verify-name")).textContent()).toBe(citizenCard.fullName);
      expect(await page.locator(byTestId("verify-scanner")).count()).toBe(0);
      // Linux Chromium has no BarcodeDetector: the frames went through jsQR.
      if (!(await page.evaluate(() => "BarcodeDetector" in window))) expect(scripts.some((p) => /jsQR-/.test(p))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await camera.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
