/**
 * The portal in real Chromium against the real server (PGlite with the demo data): signing in,
 * the users page and its create form, the phone menu, a wrong password, the language switch.
 * Needs the built portal (web/dist): `npm run test:e2e` builds it first; run alone, this file
 * builds it when it is missing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { byTestId, signIn, useBrowserSuite } from "../support/portal-suite";

const PROVINCE_OFFICER = { username: "hn.province", password: "Demo@2026" };
const ADMIN = { username: "admin", password: "Admin@12345" };



/** The row of `username` in the users table, following "load more" if it is not on the first page. */
async function findUserRow(page: Page, username: string) {
  const row = page.locator(`${byTestId("user-row")}[data-username="${username}"]`);
  const more = page.locator(byTestId("users-load-more"));
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.locator(`${byTestId("user-row")}, ${byTestId("users-empty")}`).first().waitFor();
    if ((await row.count()) > 0) return row.first();
    if ((await more.count()) === 0) break;
    await more.click();
    await page.waitForFunction((sel) => !document.querySelector(sel)?.hasAttribute("disabled"), byTestId("users-load-more"));
  }
  throw new Error(`no row for ${username} in the users table`);
}

describe("portal (browser)", { timeout: 30_000 }, () => {
  const server = useBrowserSuite();
  const open = server.open;

  it("a province officer lists the users of the province and creates a commune officer", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, PROVINCE_OFFICER);

    await page.click(byTestId("nav-users"));
    await page.locator(byTestId("users-title")).waitFor();
    expect(new URL(page.url()).pathname).toBe("/users");
    await page.locator(byTestId("user-row")).first().waitFor();
    expect(await page.locator(byTestId("user-row")).count()).toBeGreaterThan(0);
    const communeOfficer = await findUserRow(page, "hn.commune");
    expect(await communeOfficer.textContent()).toContain("hn.commune");

    const username = `e2e.${Date.now().toString(36)}`;
    await page.click(byTestId("user-create-open"));
    await page.fill(byTestId("user-form-username"), username);
    await page.fill(byTestId("user-form-displayName"), "Nguyễn Văn Thử");
    await page.fill(byTestId("user-form-password"), "E2e-Passw0rd!2026");
    await page.selectOption(byTestId("user-form-role"), "commune_officer");
    // The province is the officer's own (locked); pick the first commune once the list is in.
    const province = page.locator(byTestId("user-form-province"));
    expect(await province.isDisabled()).toBe(true);
    expect(await province.inputValue()).toBe("01");
    const firstCommune = page.locator(`${byTestId("user-form-commune")} option:not([value=""])`).first();
    await firstCommune.waitFor({ state: "attached" });
    const communeCode = await firstCommune.getAttribute("value");
    expect(communeCode).toBeTruthy();
    await page.selectOption(byTestId("user-form-commune"), communeCode!);
    await page.click(byTestId("user-form-submit"));

    const created = page.locator(`${byTestId("user-row")}[data-username="${username}"]`);
    await created.waitFor();
    expect(await created.textContent()).toContain("Nguyễn Văn Thử");
    expect(await page.locator(byTestId("flash")).textContent()).toContain(username);
    expect(await page.locator(byTestId("user-form-error")).count()).toBe(0);

    // The server has it: a search finds it after a reload.
    await page.reload();
    await page.fill(byTestId("users-search"), username);
    await page.locator(`${byTestId("user-row")}[data-username="${username}"]`).waitFor();
    expect(tp.pageErrors).toEqual([]);
  });

  it("on a phone the menu opens from the hamburger and reaches the users page", async () => {
    const tp = await open("phone");
    const { page } = tp;
    await signIn(page, server.baseUrl, PROVINCE_OFFICER);

    const usersLink = page.locator(byTestId("nav-users"));
    expect(await usersLink.isVisible()).toBe(false);
    await page.click(byTestId("nav-toggle"));
    await usersLink.waitFor({ state: "visible" });
    await usersLink.click();
    await page.locator(byTestId("users-title")).waitFor();
    await page.locator(byTestId("user-row")).first().waitFor();
    // The menu closes after navigating, and the page does not scroll sideways.
    expect(await usersLink.isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(tp.pageErrors).toEqual([]);
  });

  it("a wrong password shows an error and stays on the login page", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await page.goto(`${server.baseUrl}/login`);
    await page.fill(byTestId("login-username"), ADMIN.username);
    await page.fill(byTestId("login-password"), "not-the-password");
    await page.click(byTestId("login-submit"));
    const error = page.locator(byTestId("login-error"));
    await error.waitFor();
    expect(await error.getAttribute("role")).toBe("alert");
    expect((await error.textContent())?.trim()).not.toBe("");
    expect(await error.textContent()).toContain("Sai tên đăng nhập hoặc mật khẩu");
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.evaluate(() => localStorage.getItem("php.portal.tokens"))).toBeNull();
    expect(tp.pageErrors).toEqual([]);
  });

  it("a rejected access token is refreshed once; a refused refresh goes back to the login page", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await signIn(page, server.baseUrl, PROVINCE_OFFICER);
    const readTokens = () =>
      page.evaluate(() => JSON.parse(localStorage.getItem("php.portal.tokens") ?? "null") as { accessToken: string; refreshToken: string } | null);
    const before = await readTokens();
    expect(before?.refreshToken).toBeTruthy();

    // The server answers 401 to this access token; the portal refreshes (tokens rotate) and retries.
    await page.evaluate(() => {
      const tokens = JSON.parse(localStorage.getItem("php.portal.tokens")!);
      localStorage.setItem("php.portal.tokens", JSON.stringify({ ...tokens, accessToken: "not-a-token" }));
    });
    await page.goto(`${server.baseUrl}/users`);
    await page.locator(byTestId("user-row")).first().waitFor();
    const after = await readTokens();
    expect(after?.accessToken).not.toBe("not-a-token");
    expect(after?.refreshToken).not.toBe(before?.refreshToken);

    // Both tokens refused: the session is over, the portal says so on the login page.
    await page.evaluate(() => localStorage.setItem("php.portal.tokens", JSON.stringify({ accessToken: "x", refreshToken: "y" })));
    await page.goto(`${server.baseUrl}/audit`);
    await page.locator(byTestId("login-page")).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("next")).toBe("/audit");
    expect(await page.evaluate(() => localStorage.getItem("php.portal.tokens"))).toBeNull();
    expect(tp.pageErrors).toEqual([]);
  });

  it("switching to English relabels the portal and is remembered", async () => {
    const tp = await open("desktop");
    const { page } = tp;
    await page.goto(`${server.baseUrl}/login`);
    expect(await page.locator(byTestId("login-title")).textContent()).toBe("Đăng nhập");
    await page.click(byTestId("lang-en"));
    expect(await page.locator(byTestId("login-title")).textContent()).toBe("Sign in");
    expect(await page.locator(byTestId("login-submit")).textContent()).toBe("Sign in");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");

    await page.reload();
    expect(await page.locator(byTestId("login-title")).textContent()).toBe("Sign in");
    await page.fill(byTestId("login-username"), ADMIN.username);
    await page.fill(byTestId("login-password"), ADMIN.password);
    await page.click(byTestId("login-submit"));
    await page.locator(byTestId("home-title")).waitFor();
    expect(await page.locator(byTestId("nav-users")).textContent()).toBe("Users");
    expect(await page.locator(byTestId("nav-audit")).textContent()).toBe("Audit log");
    expect(await page.locator(byTestId("home-role")).textContent()).toBe("National administrator");
    expect(await page.locator(byTestId("brand")).textContent()).toContain("Public Health Platform");
    expect(tp.pageErrors).toEqual([]);
  });
});
