/**
 * The venue pages of the portal in real Chromium against the real server (PGlite with the demo
 * data): the door staff checks in a person without a phone and sees them inside, downloads the
 * QR posters (the PNG's QR is decoded), checks in a visitor by the personal QR text; a venue
 * registered by its staff waits for the commune officer's approval; the on-screen code; the
 * venue page on a phone. Needs the built portal (web/dist): `npm run test:e2e` builds it first;
 * run alone, this file builds it when it is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { chromium, type Page } from "playwright-core";
import { create as createQr } from "qrcode";
import { describe, expect, it } from "vitest";
import { newPhonePage } from "../support/browser";
import { byTestId, signIn, useBrowserSuite } from "../support/portal-suite";

const VENUE_STAFF = { username: "hn.venue", password: "Demo@2026" };
const COMMUNE_OFFICER = { username: "hn.commune", password: "Demo@2026" };
const VENUE_NAME = "Chợ Đồng Xuân";


/** pngjs comes with qrcode and has no type declarations: only the part used here. */
const { PNG } = createRequire(import.meta.url)("pngjs") as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

const rowOf = (name: string) => `${byTestId("venue-row")}[data-venue-name="${name}"]`;
const unique = () => Math.random().toString(36).slice(2, 7).toUpperCase();

/** From the venues list (where venue staff land), the page of the venue called `name`. */
async function openVenue(page: Page, name: string) {
  await page.locator(`${rowOf(name)} ${byTestId("venue-open")}`).click();
  await page.locator(byTestId("venue-name")).waitFor();
  expect(await page.locator(byTestId("venue-name")).textContent()).toBe(name);
  // Today's numbers are in once the counters show digits.
  await page.waitForFunction((sel) => /^\d+$/.test(document.querySelector(sel)?.textContent?.trim() ?? ""), byTestId("venue-inside-now"));
}

const counter = async (page: Page, id: string) => Number((await page.locator(byTestId(id)).textContent())?.trim());

/**
 * A visitor who checked in once with their phone (the citizen API, with the venue's screen code),
 * so they have a personal QR to show at the door the next time.
 */
async function visitorWithPersonalQr(baseUrl: string, fullName: string): Promise<string> {
  const api = async <T,>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok, `${method} ${path} → ${res.status} ${res.ok ? "" : await res.clone().text()}`).toBe(true);
    return (await res.json()) as T;
  };
  const { accessToken } = await api<{ accessToken: string }>("POST", "/api/auth/login", VENUE_STAFF);
  const venues = await api<{ items: { id: string; name: string }[] }>("GET", `/api/venues?q=${encodeURIComponent(VENUE_NAME)}`, undefined, accessToken);
  const venueId = venues.items.find((v) => v.name === VENUE_NAME)!.id;
  const code = await api<{ token: string }>("GET", `/api/venues/${venueId}/code`, undefined, accessToken);
  const first = await api<{ personalQr: string }>("POST", "/api/checkins", {
    token: code.token,
    id: crypto.randomUUID(),
    guest: { personId: crypto.randomUUID(), fullName, phone: "0987654321", birthYear: 1990 },
  });
  expect(first.personalQr.length).toBeGreaterThan(10);
  return first.personalQr;
}

/**
 * A Y4M video (what Chromium's fake camera plays) of `text` as a QR code: black modules on white,
 * 640×480, a few identical grey-scale frames.
 */
function qrVideo(text: string): Buffer {
  const width = 640;
  const height = 480;
  const qr = createQr(text, { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const scale = Math.floor((height - 40) / (size + 8));
  const left = Math.floor((width - size * scale) / 2);
  const top = Math.floor((height - size * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!qr.modules.get(row, col)) continue;
      for (let y = 0; y < scale; y++) luma.fill(16, (top + row * scale + y) * width + left + col * scale, (top + row * scale + y) * width + left + (col + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame, frame, frame]);
}

describe("venues (browser)", { timeout: 45_000 }, () => {
  const server = useBrowserSuite();
  const open = server.open;

  it("venue staff types in a person without a phone and sees them among today's visitors, inside", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
    expect(new URL(page.url()).pathname).toBe("/venues");
    await openVenue(page, VENUE_NAME);
    const todayBefore = await counter(page, "venue-today-checkins");

    await page.click(byTestId("venue-checkin-tab-type"));
    await page.fill(byTestId("venue-checkin-fullName"), "Trần Thị Test");
    await page.fill(byTestId("venue-checkin-phone"), "0912345678");
    await page.fill(byTestId("venue-checkin-birthYear"), "1980");
    await page.click(byTestId("venue-checkin-person-submit"));

    const ok = page.locator(byTestId("venue-checkin-ok"));
    await ok.waitFor();
    expect(await ok.textContent()).toContain("Trần Thị Test");
    const row = page.locator(byTestId("visitor-row"), { hasText: "Trần Thị Test" }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain("0912345678");
    expect(await row.textContent()).toContain("1980");
    // Newest first: the person just checked in heads the list.
    expect(await page.locator(byTestId("visitor-name")).first().textContent()).toBe("Trần Thị Test");
    expect(await counter(page, "venue-inside-now")).toBeGreaterThanOrEqual(1);
    expect(await counter(page, "venue-today-checkins")).toBeGreaterThanOrEqual(todayBefore + 1);
    // The form is ready for the next person.
    expect(await page.inputValue(byTestId("venue-checkin-fullName"))).toBe("");
    // Today's colour is there for the door staff to compare with visitors' screens.
    expect(await page.locator(byTestId("venue-colour")).getAttribute("data-hex")).toMatch(/^#[0-9a-f]{6}$/i);
    expect(tp.pageErrors).toEqual([]);
  });

  it("today's visitors refresh themselves every 15 seconds", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await page.clock.install();
    await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
    await openVenue(page, VENUE_NAME);

    // Someone else (another door, another device) checks a visitor in.
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(VENUE_STAFF),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const venueId = new URL(page.url()).pathname.split("/")[2]!;
    const fullName = `Hoàng Thị Tự ${unique()}`;
    const res = await fetch(`${server.baseUrl}/api/venues/${venueId}/checkins`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ id: crypto.randomUUID(), person: { fullName, phone: "0933333333", birthYear: 1961 } }),
    });
    expect(res.status).toBe(201);

    const refreshed = page.waitForResponse((r) => r.url().includes("/visitors") && r.status() === 200);
    await page.clock.fastForward(16_000);
    await refreshed;
    const row = page.locator(byTestId("visitor-row"), { hasText: fullName });
    await row.waitFor();
    expect(await row.getAttribute("class")).toContain("row-inside");
    expect(await counter(page, "venue-inside-now")).toBeGreaterThanOrEqual(1);
    expect(tp.pageErrors).toEqual([]);
  });

  it("venue staff downloads the QR posters: a PDF, and a PNG whose QR opens /c/…", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
    await openVenue(page, VENUE_NAME);

    const [png] = await Promise.all([page.waitForEvent("download"), page.click(byTestId("venue-poster-png"))]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const pngBytes = readFileSync((await png.path())!);
    const image = PNG.sync.read(pngBytes);
    const qr = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
    expect(qr, "a QR code in the PNG poster").not.toBeNull();
    const url = new URL(qr!.data);
    expect(url.pathname.startsWith("/c/")).toBe(true);

    const [pdf] = await Promise.all([page.waitForEvent("download"), page.click(byTestId("venue-poster-pdf-a4"))]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfBytes = readFileSync((await pdf.path())!);
    expect(pdfBytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
    await page.locator(byTestId("venue-poster-saved")).waitFor();
    expect(tp.pageErrors).toEqual([]);
  });

  it("a visitor's personal QR, pasted by the door staff, checks them in again", async () => {
    const fullName = `Lê Văn Mã ${unique()}`;
    const personalQr = await visitorWithPersonalQr(server.baseUrl, fullName);

    const tp = await open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
    await openVenue(page, VENUE_NAME);
    // A forged code is refused with a message, and nothing is recorded.
    await page.fill(byTestId("venue-checkin-qr"), "not-a-personal-qr-code");
    await page.click(byTestId("venue-checkin-qr-submit"));
    await page.locator(byTestId("venue-checkin-error")).waitFor();
    expect(await page.locator(byTestId("venue-checkin-error")).textContent()).toContain("Mã QR cá nhân không hợp lệ");

    await page.fill(byTestId("venue-checkin-qr"), personalQr);
    await page.click(byTestId("venue-checkin-qr-submit"));
    const ok = page.locator(byTestId("venue-checkin-ok"));
    await ok.waitFor();
    // The name comes from the refreshed visitors list.
    await page.waitForFunction(
      ([sel, name]) => document.querySelector(sel!)?.textContent?.includes(name!) ?? false,
      [byTestId("venue-checkin-ok"), fullName],
    );
    expect(await page.locator(byTestId("visitor-row"), { hasText: fullName }).count()).toBe(2);
    expect(tp.pageErrors).toEqual([]);
  });

  it("the door staff scans a visitor's personal QR with the phone camera", async () => {
    const fullName = `Vũ Thị Quét ${unique()}`;
    const personalQr = await visitorWithPersonalQr(server.baseUrl, fullName);
    // A Chromium whose camera films the visitor's personal QR.
    const dir = mkdtempSync(join(tmpdir(), "venue-camera-"));
    const video = join(dir, "qr.y4m");
    writeFileSync(video, qrVideo(personalQr));
    const cameraBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const tp = await newPhonePage(cameraBrowser, { permissions: ["camera"] });
      const { page } = tp;
      await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
      await openVenue(page, VENUE_NAME);
      await page.click(byTestId("venue-camera-start"));
      await page.locator(`${byTestId("venue-scanner")}[data-state="on"]`).waitFor();
      await page.waitForFunction(
        ([sel, name]) => document.querySelector(sel!)?.textContent?.includes(name!) ?? false,
        [byTestId("venue-checkin-ok"), fullName],
        { timeout: 15_000 },
      );
      // The code stays in front of the camera: it counts once (the phone check-in, then this one).
      await page.waitForTimeout(1_500);
      expect(await page.locator(byTestId("visitor-row"), { hasText: fullName }).count()).toBe(2);
      await page.click(byTestId("venue-camera-stop"));
      await page.locator(`${byTestId("venue-scanner")}[data-state="off"]`).waitFor();
      expect(tp.pageErrors).toEqual([]);
      await tp.close();
    } finally {
      await cameraBrowser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("venue staff registers a venue, it waits for approval; the commune officer approves it", async () => {
    const name = `Quán Phở Thử ${unique()}`;
    const staff = await open("desktop");
    await signIn(staff.page, server.baseUrl, VENUE_STAFF, "venues-title");
    await staff.page.click(byTestId("venue-create-open"));
    await staff.page.fill(byTestId("venue-form-name"), name);
    await staff.page.selectOption(byTestId("venue-form-category"), "restaurant");
    await staff.page.fill(byTestId("venue-form-address"), "12 Hàng Bạc, Hoàn Kiếm");
    // The staff's own commune, fixed.
    expect(await staff.page.locator(byTestId("venue-form-commune")).isDisabled()).toBe(true);
    expect(await staff.page.locator(byTestId("venue-form-commune")).inputValue()).toBe("00070");
    await staff.page.fill(byTestId("venue-form-capacity"), "40");
    await staff.page.fill(byTestId("venue-form-openingTime"), "06:30");
    await staff.page.fill(byTestId("venue-form-closingTime"), "22:00");
    await staff.page.click(byTestId("venue-form-submit"));

    await staff.page.locator(`${rowOf(name)}[data-status="pending"]`).waitFor();
    expect(await staff.page.locator(byTestId("venue-pending-notice")).textContent()).toContain("chờ");
    // Its page explains that posters come after approval.
    await openVenue(staff.page, name);
    await staff.page.locator(byTestId("venue-qr-unavailable")).waitFor();
    expect(await staff.page.locator(byTestId("venue-poster-png")).count()).toBe(0);

    const officer = await open("desktop");
    const { page } = officer;
    await signIn(page, server.baseUrl, COMMUNE_OFFICER, "home-title");
    await page.click(byTestId("nav-venues"));
    await page.locator(byTestId("venues-title")).waitFor();
    await page.selectOption(byTestId("venues-status-filter"), "pending");
    await page.fill(byTestId("venues-search"), name);
    const row = page.locator(`${rowOf(name)}[data-status="pending"]`);
    await row.waitFor();
    await row.locator(byTestId("venue-approve")).click();
    await page.locator(`${rowOf(name)}[data-status="active"]`).waitFor();
    expect(await page.locator(byTestId("flash")).textContent()).toContain(name);

    // The staff sees it active, with posters.
    await staff.page.reload();
    await staff.page.locator(byTestId("venue-page-status")).waitFor();
    expect(await staff.page.locator(byTestId("venue-page-status")).getAttribute("data-status")).toBe("active");
    await staff.page.locator(byTestId("venue-poster-png")).waitFor();
    expect(staff.pageErrors).toEqual([]);
    expect(officer.pageErrors).toEqual([]);
  });

  it("the door display shows the venue and a QR of a fresh /c/ code, without the portal's menu", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
    await openVenue(page, VENUE_NAME);
    const href = await page.locator(byTestId("venue-display-link")).getAttribute("href");
    expect(href).toMatch(/^\/venues\/[0-9a-f-]+\/display$/);
    await page.goto(`${server.baseUrl}${href}`);
    await page.locator(byTestId("display-qr")).waitFor();
    expect(await page.locator(byTestId("display-venue-name")).textContent()).toBe(VENUE_NAME);
    expect(await page.locator(byTestId("display-instruction")).textContent()).toBe("Quét mã bằng camera điện thoại để khai báo");
    const url = new URL((await page.locator(byTestId("display-qr")).getAttribute("data-url"))!);
    expect(url.pathname.startsWith("/c/")).toBe(true);
    expect(await page.locator(byTestId("nav")).count()).toBe(0);
    expect(await page.locator(byTestId("display-countdown")).textContent()).toMatch(/\d+/);
    expect(tp.pageErrors).toEqual([]);
  });

  it("the door display keeps the last code through a failed renewal, recovers, and still renews after the access token expired", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await page.clock.install();
    await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
    await openVenue(page, VENUE_NAME);
    await page.goto(`${server.baseUrl}${await page.locator(byTestId("venue-display-link")).getAttribute("href")}`);
    const qr = page.locator(byTestId("display-qr"));
    await qr.waitFor();
    const shown = await qr.getAttribute("data-url");

    // The network fails at the next renewal: the code stays on screen, the page says it retries.
    await page.route("**/api/venues/*/code", (route) => route.abort("internetdisconnected"));
    await page.clock.fastForward(61_000);
    await page.locator(byTestId("display-offline")).waitFor();
    expect(await qr.getAttribute("data-url")).toBe(shown);

    // Back online: the retry brings a fresh code and the countdown.
    await page.unroute("**/api/venues/*/code");
    await page.clock.fastForward(5_000);
    await page.locator(byTestId("display-countdown")).waitFor();
    expect(await page.locator(byTestId("display-offline")).count()).toBe(0);

    // Much later (the 15-minute access token long expired): api.ts refreshes it and renewals go on.
    const tokens = () => page.evaluate(() => JSON.parse(localStorage.getItem("php.portal.tokens") ?? "null") as { refreshToken: string } | null);
    const before = (await tokens())?.refreshToken;
    const renewed = page.waitForResponse((res) => res.url().includes("/code") && res.status() === 200);
    await page.clock.fastForward(20 * 60_000);
    await renewed;
    expect((await tokens())?.refreshToken).not.toBe(before);
    await page.locator(byTestId("display-countdown")).waitFor();
    expect(new URL((await qr.getAttribute("data-url"))!).pathname.startsWith("/c/")).toBe(true);
    expect(tp.pageErrors).toEqual([]);
  });

  it("on a phone the venue page's counters fit the screen, without sideways scrolling", async () => {
    const tp = await open("phone");
    const { page } = tp;
    await signIn(page, server.baseUrl, VENUE_STAFF, "venues-title");
    await openVenue(page, VENUE_NAME);
    const counters = page.locator(byTestId("venue-counters"));
    expect(await counters.isVisible()).toBe(true);
    const box = (await counters.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    for (const id of ["venue-inside-now", "venue-today-checkins"]) {
      const b = (await page.locator(byTestId(id)).boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(viewport.width);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(tp.pageErrors).toEqual([]);
  });
});
