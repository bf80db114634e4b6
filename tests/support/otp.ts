/**
 * Browser tests of the citizen app need the one-time codes the server "texts". The test server
 * runs in this process with SMS_SENDER=log, whose sender remembers the last code per phone
 * (deps.sms.lastCode, docs/CITIZENS.md); tests/support/server.ts does not hand out the platform,
 * so this file starts the same server keeping it, and offers the same suite as
 * portal-suite.ts's useBrowserSuite plus `codeFor(phone)`.
 */
import { serve } from "@hono/node-server";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, newDesktopPage, newPhonePage, type TestPage } from "./browser";
import { createTestPlatform, type TestPlatform } from "./platform";

const webConfig = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));
const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));

export interface CitizenSuite {
  readonly baseUrl: string;
  readonly browser: Browser;
  readonly platform: TestPlatform;
  /** A phone of `width` CSS pixels (375 by default) or a desktop window. */
  open(kind: "desktop" | "phone", width?: number): Promise<TestPage>;
  /** The code the server last texted to `phone`; waits for it up to `timeoutMs`. */
  codeFor(phone: string, options?: { after?: string | undefined; timeoutMs?: number }): Promise<string>;
}

export function useCitizenSuite(afterStart?: (suite: CitizenSuite) => Promise<void>): CitizenSuite {
  let platform: TestPlatform | undefined;
  let server: ReturnType<typeof serve> | undefined;
  let baseUrl = "";
  let browser: Browser | undefined;
  const opened: TestPage[] = [];
  const suite: CitizenSuite = {
    get baseUrl() {
      return baseUrl;
    },
    get browser() {
      return browser!;
    },
    get platform() {
      return platform!;
    },
    async open(kind, width = 375) {
      const tp = kind === "desktop" ? await newDesktopPage(browser!) : await newPhonePage(browser!, { viewport: { width, height: 780 } });
      opened.push(tp);
      return tp;
    },
    async codeFor(phone, options = {}) {
      const until = Date.now() + (options.timeoutMs ?? 5_000);
      for (;;) {
        const code = platform!.deps.sms.lastCode(phone);
        if (code && code !== options.after) return code;
        if (Date.now() > until) throw new Error(`No new one-time code was sent to ${phone}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  beforeAll(async () => {
    if (!["index.html", "checkin.html", "citizen.html"].every((f) => existsSync(`${dist}${f}`))) {
      const { build } = await import("vite");
      await build({ configFile: webConfig, logLevel: "warn" });
    }
    const [p, b] = await Promise.all([createTestPlatform("pglite", { SMS_SENDER: "log" }), launchBrowser()]);
    platform = p;
    browser = b;
    if (platform.deps.sms.kind !== "log") throw new Error("The citizen tests need SMS_SENDER=log");
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: p.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await afterStart?.(suite);
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(opened.map((tp) => tp.close()));
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await platform?.close();
  }, 30_000);
  return suite;
}
