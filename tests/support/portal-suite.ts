/**
 * The set-up every browser test file shares: the portal built (once), a platform server with
 * demo data and a Chromium, started in beforeAll and stopped in afterAll with every page opened.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, newDesktopPage, newPhonePage, type TestPage } from "./browser";
import { startTestServer } from "./server";

const webConfig = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));
const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));

export const byTestId = (id: string) => `[data-testid="${id}"]`;

export interface BrowserSuite {
  readonly baseUrl: string;
  readonly browser: Browser;
  open(kind: "desktop" | "phone"): Promise<TestPage>;
}

/** Registers the hooks; `afterStart` runs once the server and browser are up. */
export function useBrowserSuite(afterStart?: (suite: BrowserSuite) => Promise<void>): BrowserSuite {
  let server: { baseUrl: string; stop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  const opened: TestPage[] = [];
  const suite: BrowserSuite = {
    get baseUrl() {
      return server!.baseUrl;
    },
    get browser() {
      return browser!;
    },
    async open(kind) {
      const tp = kind === "desktop" ? await newDesktopPage(browser!) : await newPhonePage(browser!);
      opened.push(tp);
      return tp;
    },
  };
  beforeAll(async () => {
    if (!["index.html", "checkin.html", "citizen.html", "verify.html", "situation.html"].every((f) => existsSync(`${dist}${f}`))) {
      const { build } = await import("vite");
      await build({ configFile: webConfig, logLevel: "warn" });
    }
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await afterStart?.(suite);
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(opened.map((tp) => tp.close()));
    await browser?.close();
    await server?.stop();
  }, 30_000);
  return suite;
}

/** Signs in through the login page and waits for the page the user lands on. */
export async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }, landing = "home-title") {
  await page.goto(`${baseUrl}/login`);
  await page.fill(byTestId("login-username"), user.username);
  await page.fill(byTestId("login-password"), user.password);
  await page.click(byTestId("login-submit"));
  await page.locator(byTestId(landing)).waitFor();
}
