/**
 * Real Chromium for the browser tests, through playwright-core and the system's binary (no
 * browser download). Pages come in two sizes: a desktop window and a 375 px phone.
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown by the page's scripts, for tests to assert there are none. */
  pageErrors: Error[];
  close(): Promise<void>;
}

async function openPage(browser: Browser, options: BrowserContextOptions): Promise<TestPage> {
  // A fresh context per page: its own localStorage, so tests never share a session.
  const context = await browser.newContext({ locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  return { context, page, pageErrors, close: () => context.close() };
}

export function newDesktopPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  return openPage(browser, { viewport: { width: 1280, height: 800 }, ...options });
}

/** An iPhone-X-sized phone: 375×812 CSS pixels, touch, mobile viewport rules. */
export function newPhonePage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  return openPage(browser, {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    ...options,
  });
}
