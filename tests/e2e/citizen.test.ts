/**
 * The citizen app (/app) in real Chromium on a 360 px phone against the real server (PGlite with
 * the demo data, SMS_SENDER=log: the codes are read from the sender's memory, tests/support/otp.ts).
 * A citizen signs up by phone and code (a wrong code first: the error says how many tries are
 * left), fills the profile (Hoàn Kiếm, Hà Nội), sees the yellow QR of "no declaration yet",
 * files a declaration without symptoms (green), then one with a fever: the app shows the
 * follow-up risk and the QR turns yellow with the reason in words. The QR on the canvas decodes
 * (jsqr) to a signed token whose payload has no name, and the staff's check of it says yellow.
 * The commune officer finds the declaration at the top of GET /api/declarations (risky first).
 * At a venue, the check-in page checks the account's person in with one tap (refreshing the
 * expired access token of the shared session first); a refused token is refreshed by the app;
 * signing out revokes the refresh token.
 * Without signing in, someone sends a community report and follows it by its receipt code.
 * Needs the built pages (web/dist): `npm run test:e2e` builds them; run alone, this file builds
 * them when one is missing.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { byTestId } from "../support/portal-suite";
import { useCitizenSuite } from "../support/otp";

/** pngjs comes with qrcode and has no type declarations: only the part used here. */
const { PNG } = createRequire(import.meta.url)("pngjs") as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const VENUE_STAFF = { username: "hn.venue", password: "Demo@2026" };
/** Everything the app loads, JavaScript gzipped, the QR code library included. */
const JS_BUDGET = 60 * 1024;
const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));

const suffix = () => Math.random().toString(36).slice(2, 6).toUpperCase();
const freshPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/** The JSON payload of a compact JWS. */
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

/** The health QR canvas as PNG, decoded with jsqr. */
async function readQr(page: Page): Promise<string> {
  const canvas = page.locator(byTestId("health-qr-canvas"));
  await page.locator(`${byTestId("health-qr")}[data-ready="true"]`).waitFor();
  // The canvas is drawn after the library loads: wait until it has pixels.
  await page.waitForFunction(() => ((document.querySelector('[data-testid="health-qr-canvas"]') as HTMLCanvasElement | null)?.width ?? 0) > 100);
  const dataUrl = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL("image/png"));
  const image = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64"));
  const qr = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
  expect(qr, "a QR code on the canvas").not.toBeNull();
  return qr!.data;
}

describe("citizen app (browser)", { timeout: 90_000 }, () => {
  const suite = useCitizenSuite();

  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(`${suite.baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Files a declaration in the app and waits for its result; returns the risk shown. */
  async function fileDeclaration(page: Page, symptoms: string[]) {
    await page.click(byTestId("tab-declare"));
    await page.locator(byTestId("declare-form")).waitFor();
    await page.check(byTestId("declare-kind-domestic"));
    for (const s of symptoms) await page.check(byTestId(`symptom-${s}`));
    await page.selectOption(byTestId("declare-travel.means"), "bus");
    await page.fill(byTestId("declare-travel.from"), "Hải Phòng");
    await page.fill(byTestId("declare-travel.to"), "Hà Nội");
    await page.click(byTestId("declare-submit"));
    const result = page.locator(byTestId("declare-result"));
    await result.waitFor();
    return result;
  }

  it("signs up by phone, fills the profile, declares a fever: the QR turns yellow; the officer sees it first", async () => {
    const tp = await suite.open("phone", 360);
    const { page } = tp;
    const scripts = new Set<string>();
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.add(new URL(r.url()).pathname);
    });
    const phone = freshPhone();
    const fullName = `Nguyễn Thị Công Dân ${suffix()}`;

    // ---- sign-in by phone ----
    const res = await page.goto(`${suite.baseUrl}/app`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["cache-control"]).toBe("no-cache");
    await page.locator(byTestId("signin")).waitFor();
    expect(await page.locator("h1").textContent()).toBe("Đăng nhập bằng số điện thoại");
    await page.fill(byTestId("signin-phone"), "12345");
    await page.click(byTestId("signin-send"));
    expect(await page.locator(byTestId("error-phone")).textContent()).toContain("10 chữ số");
    await page.fill(byTestId("signin-phone"), `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
    await page.click(byTestId("signin-send"));
    await page.locator(byTestId("signin-code")).waitFor();
    expect(await page.locator(byTestId("signin-sent")).textContent()).toContain(phone);
    // The resend button waits for its cooldown.
    expect(await page.locator(byTestId("signin-resend")).isDisabled()).toBe(true);
    expect(await page.locator(byTestId("signin-resend")).textContent()).toMatch(/Gửi lại mã sau \d+ giây/);
    const code = await suite.codeFor(phone);
    expect(code).toMatch(/^\d{6}$/);

    // A wrong code first: the error says so, with the tries left.
    const wrong = code === "000000" ? "111111" : "000000";
    await page.fill(byTestId("signin-code"), wrong);
    await page.click(byTestId("signin-verify"));
    const error = page.locator(byTestId("signin-error"));
    await error.waitFor();
    expect(await error.getAttribute("data-code")).toBe("otp_invalid");
    expect(await error.textContent()).toContain("Mã không đúng. Bạn còn 4 lần thử.");

    await page.fill(byTestId("signin-code"), code);
    await page.click(byTestId("signin-verify"));

    // ---- the new account starts with its profile ----
    await page.locator(byTestId("welcome")).waitFor();
    expect(page.url()).toBe(`${suite.baseUrl}/app/profile?welcome=1`);
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem("phc.citizen.session") ?? "null") as { accessToken: string; refreshToken: string; user: { username: string; role: string } } | null);
    expect(session?.user.role).toBe("citizen");
    expect(session?.user.username).toBe(phone);
    expect(session?.accessToken).toBeTruthy();
    expect(session?.refreshToken).toBeTruthy();

    await page.fill(byTestId("profile-name"), fullName);
    await page.fill(byTestId("profile-birthdate"), "1990-05-17");
    await page.check(byTestId("profile-sex-female"));
    await page.locator(`${byTestId("profile-province")}[data-loaded="true"]`).waitFor();
    await page.selectOption(byTestId("profile-province"), "01");
    await page.locator(`${byTestId("profile-commune")}[data-loaded="true"]`).waitFor();
    await page.selectOption(byTestId("profile-commune"), "00070");
    await page.fill(byTestId("profile-idnumber"), "001190012345");
    await page.click(byTestId("profile-save"));

    // ---- home: no declaration yet → yellow, with the reason in words ----
    await page.locator(byTestId("home")).waitFor();
    const status = page.locator(byTestId("qr-status"));
    await status.waitFor();
    expect(await status.getAttribute("data-status")).toBe("yellow");
    expect(await status.textContent()).toContain("Chưa khai báo y tế trong 14 ngày qua");
    const profile = await api<{ personId: string; fullName: string; communeCode: string; idNumberSet: boolean; birthDate: string }>("GET", "/api/me/profile", undefined, session!.accessToken);
    expect(profile).toMatchObject({ fullName, communeCode: "00070", idNumberSet: true, birthDate: "1990-05-17" });

    // ---- a declaration without symptoms → green ----
    let result = await fileDeclaration(page, []);
    expect(await result.getAttribute("data-risk")).toBe("none");
    await page.click(byTestId("declare-show-qr"));
    await page.locator(`${byTestId("qr-status")}[data-status="green"]`).waitFor();

    // ---- a declaration with a fever → follow-up, and the QR turns yellow ----
    result = await fileDeclaration(page, ["fever"]);
    expect(await result.getAttribute("data-risk")).toBe("follow_up");
    expect(await result.locator(byTestId("declare-risk")).textContent()).toContain("Cần theo dõi");
    expect(await result.locator(byTestId("declare-reasons")).textContent()).toContain("Có triệu chứng");
    await result.locator(`${byTestId("declare-qr-status")}[data-status="yellow"]`).waitFor();
    await page.click(byTestId("declare-show-qr"));
    await page.locator(`${byTestId("qr-status")}[data-status="yellow"]`).waitFor();
    expect(await status.textContent()).toContain("Tờ khai gần đây cần theo dõi");
    // The band wears the server's colour of the status.
    const colour = (await status.getAttribute("data-colour"))!.replace("#", "");
    const rgb = `rgb(${parseInt(colour.slice(0, 2), 16)}, ${parseInt(colour.slice(2, 4), 16)}, ${parseInt(colour.slice(4, 6), 16)})`;
    expect(await status.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(rgb);
    expect(await page.locator(byTestId("qr-countdown")).textContent()).toMatch(/^\d+:\d{2}$/);

    // ---- the QR: a signed token with no name in it; the staff's check says yellow ----
    const token = await readQr(page);
    expect(token.split(".")).toHaveLength(3);
    const payload = payloadOf(token);
    expect(Object.keys(payload).sort()).toEqual(["by", "exp", "iat", "ini", "pid", "st"]);
    expect(payload.st).toBe("yellow");
    expect(payload.by).toBe(1990);
    const decoded = Buffer.from(token.split(".")[1]!, "base64url").toString("utf8");
    for (const part of [fullName, ...fullName.split(" ").filter((w) => w.length > 3), phone, "001190012345"]) expect(decoded).not.toContain(part);
    const staff = await api<{ accessToken: string }>("POST", "/api/auth/login", VENUE_STAFF);
    const verified = await api<{ status: string; birthYear: number }>("POST", "/api/health-qr/verify", { token }, staff.accessToken);
    expect(verified).toMatchObject({ status: "yellow", birthYear: 1990 });

    // ---- my declarations: both, the fever one first ----
    await page.click(byTestId("tab-more"));
    await page.click(byTestId("menu-declarations"));
    await page.locator(byTestId("declaration")).first().waitFor();
    expect(await page.locator(byTestId("declaration")).count()).toBe(2);
    expect(await page.locator(byTestId("declaration")).first().getAttribute("data-risk")).toBe("follow_up");
    const declarationId = await page.locator(byTestId("declaration")).first().getAttribute("data-id");

    // ---- English on request ----
    await page.click(byTestId("lang-toggle"));
    await page.click(byTestId("tab-qr"));
    await page.locator(`${byTestId("qr-status")}[data-status="yellow"]`).waitFor();
    expect(await status.textContent()).toContain("Yellow");
    expect(await status.textContent()).toContain("A recent declaration needs follow-up");
    await page.click(byTestId("lang-toggle"));

    // ---- the commune officer sees it first (risky first, then newest) ----
    const officer = await api<{ accessToken: string }>("POST", "/api/auth/login", COMMUNE_OFFICER);
    const list = await api<{ items: { id: string; fullName: string; risk: string; riskReasons: string[]; communeCode: string }[] }>("GET", "/api/declarations?limit=5", undefined, officer.accessToken);
    expect(list.items[0]).toMatchObject({ id: declarationId, fullName, risk: "follow_up", communeCode: "00070" });
    expect(list.items[0]!.riskReasons).toContain("symptoms");

    // ---- small, its own bundle, fits a 360 px phone ----
    const loaded = [...scripts];
    expect(loaded.some((p) => /portal|index-/i.test(p))).toBe(false);
    const gzipped = loaded.reduce((sum, p) => sum + gzipSync(readFileSync(`${dist}${p.replace(/^\//, "")}`)).length, 0);
    expect(gzipped).toBeLessThanOrEqual(JS_BUDGET);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // ---- one-tap check-in at a venue as the account (the check-in page reads the same session),
    // with an expired access token: the page refreshes it first ----
    const venues = await api<{ items: { id: string; name: string }[] }>("GET", "/api/venues", undefined, staff.accessToken);
    const venue = venues.items.find((v) => v.name === "Chợ Đồng Xuân") ?? venues.items[0]!;
    const { url } = await api<{ url: string }>("GET", `/api/venues/${venue.id}/code`, undefined, staff.accessToken);
    const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem("phc.citizen.session") ?? "null") as { accessToken: string; refreshToken: string; expiresAt: number; person?: { personId: string } });
    expect((await stored()).person?.personId).toBe(profile.personId);
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("phc.citizen.session")!);
      localStorage.setItem("phc.citizen.session", JSON.stringify({ ...s, expiresAt: 0 }));
    });
    const before = await stored();
    await page.goto(`${suite.baseUrl}${new URL(url).pathname}`);
    expect(await page.locator(byTestId("checkin-who")).textContent()).toBe(fullName);
    expect(await page.locator(byTestId("checkin-form")).count()).toBe(0);
    await page.click(byTestId("checkin-submit"));
    await page.locator(byTestId("checkin-confirmation")).waitFor();
    const after = await stored();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now());
    const visitors = await api<{ items: { personId: string; fullName: string }[] }>("GET", `/api/venues/${venue.id}/visitors?limit=100`, undefined, staff.accessToken);
    expect(visitors.items.filter((v) => v.personId === profile.personId)).toHaveLength(1);

    // ---- a refused access token: the app refreshes once and carries on; sign out ends the session ----
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("phc.citizen.session")!);
      localStorage.setItem("phc.citizen.session", JSON.stringify({ ...s, accessToken: "not.a.token" }));
    });
    await page.goto(`${suite.baseUrl}/app/declarations`);
    await page.locator(byTestId("declaration")).first().waitFor();
    const current = await stored();
    expect(current.accessToken).not.toBe("not.a.token");
    expect(current.refreshToken).not.toBe(after.refreshToken);
    await page.click(byTestId("tab-more"));
    await page.click(byTestId("sign-out"));
    await page.locator(byTestId("signin")).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("phc.citizen.session"))).toBeNull();
    const refreshed = await fetch(`${suite.baseUrl}/api/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
    expect(refreshed.status).toBe(401);
    expect(tp.pageErrors).toEqual([]);
  });

  it("sends a community report without signing in and follows it by its receipt", async () => {
    const tp = await suite.open("phone", 360);
    const { page } = tp;
    await page.goto(`${suite.baseUrl}/app`);
    await page.click(byTestId("guest-report"));
    await page.locator(byTestId("report-form")).waitFor();
    await page.check(byTestId("report-kind-arrival_from_outbreak"));
    await page.locator(`${byTestId("report-province")}[data-loaded="true"]`).waitFor();
    await page.selectOption(byTestId("report-province"), "01");
    await page.locator(`${byTestId("report-commune")}[data-loaded="true"]`).waitFor();
    await page.selectOption(byTestId("report-commune"), "00070");
    // Too short: the field says so before anything is sent.
    await page.fill(byTestId("report-description"), "Ngắn");
    await page.click(byTestId("report-submit"));
    expect(await page.locator(byTestId("error-description")).textContent()).toContain("10 ký tự");
    const text = `Nhà bên cạnh có người mới về từ vùng dịch ${suffix()}`;
    await page.fill(byTestId("report-description"), text);
    await page.fill(byTestId("report-place"), "Phố Hàng Đào");
    await page.click(byTestId("report-submit"));
    const receipt = (await page.locator(byTestId("report-receipt")).textContent())!.trim();
    expect(receipt).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);

    await page.click(byTestId("report-follow"));
    const report = page.locator(byTestId("follow-report"));
    await report.waitFor();
    expect(await report.getAttribute("data-status")).toBe("new");
    expect(await page.locator(byTestId("follow-status")).textContent()).toBe("Mới tiếp nhận");

    // An unknown receipt: said in words.
    await page.fill(byTestId("follow-receipt"), "ZZZZ2222");
    await page.click(byTestId("follow-submit"));
    expect(await page.locator(byTestId("follow-error")).textContent()).toContain("Không tìm thấy phản ánh");

    // The officer's inbox has it.
    const officer = await api<{ accessToken: string }>("POST", "/api/auth/login", COMMUNE_OFFICER);
    const inbox = await api<{ items: { receipt: string; kind: string; description: string }[] }>("GET", "/api/reports?limit=20", undefined, officer.accessToken);
    expect(inbox.items.find((r) => r.receipt === receipt)).toMatchObject({ kind: "arrival_from_outbreak", description: text });
    expect(tp.pageErrors).toEqual([]);
  });
});
