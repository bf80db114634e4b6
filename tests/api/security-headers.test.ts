/**
 * Security headers on every page and on a sample of API answers (successes, errors, files), and
 * brute-force limits on sign-in. Every response carries exactly the headers of
 * server/http/security-headers.ts, including a CSP with no inline or eval'd script, so an
 * injected <script> or onerror= cannot run; the HTML entries carry no inline script of their own
 * (only JSON data blocks), which is what lets the CSP forbid them. Sign-in is limited per username
 * (from any number of addresses) and per address (over any number of usernames), with 429 and
 * Retry-After. (One-time codes: tests/api/citizens.test.ts, "kills a code after 5 wrong tries" and
 * "concurrent guesses cannot exceed the attempt limit"; the plain login limit: tests/api/auth.test.ts.)
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURITY_HEADERS } from "../../server/http/security-headers";
import { createTestPlatform, DEMO_PASSWORD, engines, type TestPlatform } from "../support/platform";

const webDist = fileURLToPath(new URL("../../web/dist/", import.meta.url));

function expectSecurityHeaders(res: Response, what: string) {
  for (const [name, value] of SECURITY_HEADERS) expect(res.headers.get(name), `${what}: ${name}`).toBe(value);
  const csp = res.headers.get("content-security-policy") ?? "";
  const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";
  expect(scriptSrc, what).toBe("script-src 'self'");
  expect(csp, what).not.toContain("unsafe-eval");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(res.headers.get("x-request-id"), what).toBeTruthy();
}

describe.each(engines())("security headers on %s", (engine) => {
  let t: TestPlatform;
  let officer: string;
  let venueId: string;
  let venueToken: string;

  beforeAll(async () => {
    if (!["index.html", "checkin.html", "citizen.html", "verify.html", "situation.html"].every((f) => existsSync(`${webDist}${f}`))) {
      const { build } = await import("vite");
      await build({ configFile: fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url)), logLevel: "warn" });
    }
    t = await createTestPlatform(engine, { BODY_LIMIT: "4096" });
    officer = await t.login("hn.commune");
    venueId = ((await (await t.request("GET", "/api/venues", { token: officer })).json()) as any).items[0].id;
    venueToken = ((await (await t.request("GET", `/api/venues/${venueId}/code`, { token: officer })).json()) as any).token;
  });
  afterAll(() => t?.close());

  const PAGES = ["/", "/login", "/venues", "/app", "/app/declare", "/verify", "/notices", "/thong-bao", "/api/docs", "/tinh-hinh", "/tinh-hinh/01", "/tinh-hinh/99", "/situation/79", "/c/not-a-token"];

  it.each(PAGES)("the page %s carries every security header and no inline script", async (path) => {
    const res = await t.request("GET", path);
    expect([200, 404, 410], path).toContain(res.status);
    expect(res.headers.get("content-type"), path).toContain("text/html");
    expectSecurityHeaders(res, path);
    const html = await res.text();
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(([, attrs, body]) => !/\bsrc=/.test(attrs!) && !/type="application\/json"/.test(attrs!) && body!.trim());
    expect(inline.map(([tag]) => tag.slice(0, 80)), path).toEqual([]);
    expect(html, path).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
  });

  it("the check-in page of a real venue code carries them too (and no-store, no referrer)", async () => {
    const res = await t.request("GET", `/c/${venueToken}`);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res, "/c/<token>");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("static assets, the JWKS and /healthz carry them", async () => {
    const index = await (await t.request("GET", "/")).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(asset).toBeTruthy();
    for (const path of [asset!, "/.well-known/jwks.json", "/healthz", "/api/openapi.json", "/api/docs/init.js"]) {
      const res = await t.request("GET", path);
      expect(res.status, path).toBe(200);
      expectSecurityHeaders(res, path);
    }
  });

  it("API answers carry them: success, 400, 401, 403, 404, 413, and files (PDF, PNG, SVG, CSV)", async () => {
    const venue = await t.login("hn.venue");
    const cases: [string, string, { token?: string; body?: unknown; headers?: Record<string, string> }, number][] = [
      ["GET", "/api/venues", { token: officer }, 200],
      ["GET", "/api/me", {}, 401],
      ["GET", "/api/audit", { token: venue }, 403],
      ["GET", `/api/venues/00000000-0000-4000-8000-000000000000`, { token: officer }, 404],
      ["POST", "/api/auth/login", { body: { username: "" } }, 400],
      ["POST", "/api/auth/login", { body: { username: "x", password: "y".repeat(10_000) } }, 413],
      ["GET", "/api/no-such-route", {}, 404],
      ["GET", `/api/venues/${venueId}/poster.pdf`, { token: officer }, 200],
      ["GET", `/api/venues/${venueId}/poster.png`, { token: officer }, 200],
      ["GET", `/api/venues/${venueId}/poster.svg`, { token: officer }, 200],
      ["GET", "/api/open-data/daily.csv?provinceCode=01", {}, 200],
    ];
    for (const [method, path, options, status] of cases) {
      const res = await t.request(method, path, options);
      expect(res.status, `${method} ${path}`).toBe(status);
      expectSecurityHeaders(res, `${method} ${path}`);
    }
  });

  it("an SVG poster cannot run script: served as image/svg+xml under the same CSP, with no script in it", async () => {
    const res = await t.request("GET", `/api/venues/${venueId}/poster.svg`, { token: officer });
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    const svg = await res.text();
    expect(svg).not.toMatch(/<script|\son[a-z]+=/i);
  });
});

describe("sign-in brute force", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform("pglite", { LOGIN_RATE_LIMIT: "3", LOGIN_RATE_WINDOW: "60", TRUST_PROXY: "true" });
  });
  afterAll(() => t?.close());

  const attempt = (username: string, ip: string, password = "wrong-password") =>
    t.request("POST", "/api/auth/login", { body: { username, password }, headers: { "x-forwarded-for": ip } });

  it("one username tried from many addresses is limited to LOGIN_RATE_LIMIT per window: 429 with Retry-After, even for the right password", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await attempt("hn.health", `10.1.0.${i + 1}`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect((await res.json()).error.code).toBe("rate_limited");
        const retry = Number(res.headers.get("retry-after"));
        expect(retry).toBeGreaterThan(0);
        expect(retry).toBeLessThanOrEqual(60);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await attempt("hn.health", "10.1.0.99", DEMO_PASSWORD)).status).toBe(429);
  });

  it("one address spraying passwords over many usernames is limited to 10 × LOGIN_RATE_LIMIT per window", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await attempt(`sprayed.user.${i}`, "10.2.0.1")).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // another address is not affected, and an office behind one address can sign in a few people
    expect((await attempt("hn.province", "10.2.0.2", DEMO_PASSWORD)).status).toBe(200);
    expect((await attempt("hn.commune", "10.2.0.2", DEMO_PASSWORD)).status).toBe(200);
  });

  it("every attempt that reached the password check left an audit row (the 429s stop before it)", async () => {
    const rows = await t.deps.database.query<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'auth.login_failed' and details->>'username' like 'sprayed.user.%'`,
    );
    expect(Number(rows[0]!.n)).toBe(30);
  });
});
