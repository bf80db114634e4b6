/**
 * Test results in the citizen app (/app/tests) and the test certificate checked by the verifier
 * (/verify), in real Chromium against the real server (PGlite with the demo data, SMS_SENDER=log).
 * The server's PUBLIC_URL is the test server's own origin, so the cards name the verifier page's
 * origin as their issuer.
 *
 * A citizen signs in by phone; the registry holds (inserted directly) a negative pooled PCR of
 * theirs and, for a family member, a sample of a positive pool waiting for its retest. The tests
 * screen says "Âm tính" for the citizen (green) and "Cần xét nghiệm lại" for the family member
 * (no certificate for them); the certificate screen draws the SMART Health Card QR (decoded: the
 * text the screen shows) and downloads the PDF; the verifier, given the text, says VALID and shows
 * the PCR test, its time and NEGATIVE in green (English on request).
 * Needs the built pages (web/dist): `npm run test:e2e` builds them; run alone, this file builds
 * them when one is missing.
 */
import { serve } from "@hono/node-server";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import jsQR from "jsqr";
import { type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labs, testCampaigns, testPools, testSamples, testSites } from "../../db/schema";
import { numericToJws } from "../../server/certificates/shc";
import { launchBrowser, newPhonePage, type TestPage } from "../support/browser";
import { createTestPlatform, type TestPlatform } from "../support/platform";
import { byTestId } from "../support/portal-suite";

/** pngjs comes with qrcode and has no type declarations: only the part used here. */
const { PNG } = createRequire(import.meta.url)("pngjs") as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

const webConfig = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));
const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const LAB = "Phòng xét nghiệm CDC Hà Nội (thử)";

const suffix = () => Math.random().toString(36).slice(2, 6).toUpperCase();
const freshPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const code = (prefix: string, n: number) => `${prefix}${Array.from({ length: n }, () => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[Math.floor(Math.random() * 32)]).join("")}`;

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

describe("test certificates (browser)", { timeout: 90_000 }, () => {
  let platform: TestPlatform;
  let server: ReturnType<typeof serve>;
  let baseUrl = "";
  let browser: Browser;
  const opened: TestPage[] = [];

  beforeAll(async () => {
    if (!["citizen.html", "verify.html"].every((f) => existsSync(`${dist}${f}`))) {
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
    return (await res.json()) as T;
  }

  async function phone(): Promise<TestPage> {
    const tp = await newPhonePage(browser, { viewport: { width: 375, height: 780 } });
    opened.push(tp);
    return tp;
  }

  async function signInCitizen(page: Page, phoneNumber: string) {
    await page.goto(`${baseUrl}/app`);
    await page.fill(byTestId("signin-phone"), phoneNumber);
    await page.click(byTestId("signin-send"));
    await page.locator(byTestId("signin-code")).waitFor();
    let otp: string | undefined;
    for (let i = 0; i < 100 && !otp; i++) {
      otp = platform.deps.sms.lastCode(phoneNumber) ?? undefined;
      if (!otp) await new Promise((r) => setTimeout(r, 50));
    }
    await page.fill(byTestId("signin-code"), otp!);
    await page.click(byTestId("signin-verify"));
    await page.locator(byTestId("welcome")).waitFor();
    return page.evaluate(() => JSON.parse(localStorage.getItem("phc.citizen.session")!) as { accessToken: string });
  }

  /** A PCR campaign of Hoàn Kiếm with a site and a lab; a negative pool with the citizen, a positive one with the family member. */
  async function registry(personId: string, familyId: string) {
    const db = platform.deps.db;
    const [campaign] = await db
      .insert(testCampaigns)
      .values({ provinceCode: "01", communeCode: "00070", name: "Xét nghiệm diện rộng (thử)", testType: "pcr", startsOn: "2026-05-01", endsOn: "2026-05-31", poolSize: 5 })
      .returning();
    const [site] = await db.insert(testSites).values({ provinceCode: "01", communeCode: "00070", campaignId: campaign!.id, name: "Điểm lấy mẫu Nhà văn hóa (thử)", address: "1 Phố Huế" }).returning();
    const [lab] = await db.insert(labs).values({ provinceCode: "01", name: LAB, address: "70 Nguyễn Chí Thanh" }).returning();
    const pool = async (result: "negative" | "positive") =>
      (
        await db
          .insert(testPools)
          .values({ provinceCode: "01", communeCode: "00070", campaignId: campaign!.id, siteId: site!.id, code: code("P", 8), maxSize: 5, status: "resulted", labId: lab!.id, sealedAt: new Date("2026-05-10T05:00:00Z"), result, resultAt: new Date("2026-05-11T01:00:00Z") })
          .returning()
      )[0]!;
    const sample = (who: string, poolId: string) =>
      db.insert(testSamples).values({ provinceCode: "01", communeCode: "00070", campaignId: campaign!.id, siteId: site!.id, personId: who, barcode: code("S", 10), testType: "pcr", takenAt: new Date("2026-05-10T02:30:00Z"), poolId });
    await sample(personId, (await pool("negative")).id);
    await sample(familyId, (await pool("positive")).id);
  }

  it("the tests screen says Âm tính, shows the certificate's QR and PDF; the verifier checks the card", async () => {
    const tp = await phone();
    const { page } = tp;
    const fullName = `Phạm Thị Xét ${suffix()}`;
    const session = await signInCitizen(page, freshPhone());
    const profile = await api<{ personId: string }>("PUT", "/api/me/profile", { fullName, birthDate: "1992-07-15", sex: "female", communeCode: "00070" }, session.accessToken);
    const child = await api<{ personId: string; fullName: string }>("POST", "/api/me/family", { relation: "child", fullName: `Phạm Bé Gộp ${suffix()}`, birthYear: 2016 }, session.accessToken);
    await registry(profile.personId, child.personId);

    // ---- More → Tests: the citizen's negative, the child's "retest needed" ----
    await page.goto(`${baseUrl}/app`);
    await page.locator(byTestId("home")).waitFor();
    await page.click(byTestId("tab-more"));
    await page.click(byTestId("menu-tests"));
    const me = page.locator(`${byTestId("test-person")}[data-person-id="${profile.personId}"]`);
    await me.waitFor();
    expect(await page.locator(byTestId("test-person")).count()).toBe(2);
    // the account's own card comes first
    expect(await page.locator(byTestId("test-person")).first().getAttribute("data-person-id")).toBe(profile.personId);
    const status = me.locator(byTestId("test-person-status"));
    expect(await status.getAttribute("data-status")).toBe("negative");
    expect(await status.textContent()).toContain("Âm tính");
    expect(await status.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
    expect(await me.locator(byTestId("test-sample")).count()).toBe(1);
    expect(await me.locator(byTestId("test-sample")).textContent()).toContain("Xét nghiệm RT-PCR");
    expect(await me.locator(byTestId("test-sample")).textContent()).toContain("09:30 10/05/2026");
    const kid = page.locator(`${byTestId("test-person")}[data-person-id="${child.personId}"]`);
    expect(await kid.locator(byTestId("test-person-status")).getAttribute("data-status")).toBe("retest_needed");
    expect(await kid.locator(byTestId("test-person-status")).textContent()).toContain("Cần xét nghiệm lại");
    expect(await kid.locator(byTestId("test-advice")).textContent()).toContain("xét nghiệm riêng");
    expect(await kid.locator(byTestId("test-certificate")).count()).toBe(0);

    // ---- English on request ----
    await page.click(byTestId("lang-toggle"));
    expect(await status.textContent()).toContain("Negative");
    await page.click(byTestId("lang-toggle"));

    // ---- the certificate: the QR decodes to the text shown; the PDF downloads ----
    await me.locator(byTestId("test-certificate")).click();
    await page.locator(`${byTestId("tcert-qr")}[data-ready="true"]`).waitFor();
    expect(await page.locator(byTestId("tcert-test")).getAttribute("data-result")).toBe("negative");
    expect(await page.locator(byTestId("tcert-result")).textContent()).toContain("Âm tính");
    await page.locator(byTestId("tcert-name")).waitFor();
    expect(await page.locator(byTestId("tcert-name")).textContent()).toBe(fullName);
    const shown = await page.locator(byTestId("tcert-shc")).inputValue();
    expect(shown).toMatch(/^shc:\/\d+$/);
    const png = await page.locator(byTestId("tcert-qr-canvas")).evaluate((c) => (c as HTMLCanvasElement).toDataURL("image/png"));
    expect(decodePng(png)).toBe(shown);
    const claims = JSON.parse(inflateRawSync(Buffer.from(numericToJws(shown).split(".")[1]!, "base64url")).toString("utf8"));
    expect(claims.iss).toBe(baseUrl);
    expect(claims.vc.type).toContain("https://smarthealth.cards#laboratory");
    const [pdf] = await Promise.all([page.waitForEvent("download"), page.click(byTestId("tcert-pdf"))]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    expect(readFileSync((await pdf.path())!).subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // ---- the verifier: VALID, a test card, NEGATIVE in green with the PCR and the time ----
    const checker = await phone();
    const v = checker.page;
    await v.goto(`${baseUrl}/verify`);
    await v.locator(`${byTestId("verify-keys")}[data-state="fresh"]`).waitFor();
    await v.fill(byTestId("verify-text"), shown);
    await v.click(byTestId("verify-submit"));
    const result = v.locator(byTestId("verify-result"));
    await result.waitFor();
    expect(await result.getAttribute("data-valid")).toBe("true");
    expect(await result.getAttribute("data-kind")).toBe("test");
    expect(await v.locator(byTestId("verify-verdict")).textContent()).toBe("HỢP LỆ");
    expect(await v.locator(byTestId("verify-name")).textContent()).toBe(fullName);
    expect(await v.locator(byTestId("verify-birthdate")).textContent()).toBe("15/07/1992");
    expect(await v.locator(byTestId("verify-dose")).count()).toBe(0);
    const test = v.locator(byTestId("verify-test"));
    expect(await test.count()).toBe(1);
    expect(await test.getAttribute("data-result")).toBe("negative");
    const word = v.locator(byTestId("verify-test-result"));
    expect(await word.textContent()).toBe("ÂM TÍNH");
    expect(await word.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(11, 122, 62)");
    expect(await v.locator(byTestId("verify-test-type")).textContent()).toBe("Xét nghiệm RT-PCR");
    expect(await v.locator(byTestId("verify-test-taken")).textContent()).toMatch(/^Lấy mẫu lúc 09:30 10\/05\/2026 \(cách đây \d+ ngày\)$/);
    expect(await test.textContent()).toContain(LAB);
    await v.click(byTestId("lang-toggle"));
    expect(await word.textContent()).toBe("NEGATIVE");
    expect(await v.locator(byTestId("verify-test-type")).textContent()).toBe("RT-PCR test");

    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(tp.pageErrors).toEqual([]);
    expect(checker.pageErrors).toEqual([]);
  });
});
