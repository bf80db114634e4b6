/**
 * The access matrix: every route of the OpenAPI document × every role (and a caller without a
 * token), against the expectations written down in tests/support/access.ts. Anonymous callers of
 * protected routes get 401 (with WWW-Authenticate), roles outside a route's gate get 403, roles the
 * service refuses (read-only roles on writes) get 403 for a request that is otherwise valid, and
 * every allowed caller gets an answer that is neither 401/403 nor a 5xx. A route of the document
 * without an expectation (or an expectation without a route) fails the suite.
 *
 * Requests name real rows of the callers' own area (Hà Nội 01 / Hoàn Kiếm 00070), so allowed
 * callers reach the service. Area scope (another province's rows → 404) is proven route by route
 * in tests/api/scope.security.test.ts and the capabilities' own tests (tests/support/scope/*.ts).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS, expectedClass, MATRIX_ROLES, type Caller } from "../support/access";
import { createTestPlatform, engines } from "../support/platform";
import { buildWorld, operations, realValues, type World } from "../support/fuzz/world";

const CALLERS: Caller[] = ["anonymous", ...MATRIX_ROLES];
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * Valid bodies for the routes whose service refuses some roles that pass the gate: without them
 * the request would stop at validation (400) before the service could refuse it.
 */
function probes(w: World): Record<string, { body?: unknown; query?: string }> {
  const person = w.ids.people![0]!;
  return {
    "POST /api/venues": { body: { name: "Quán Thử Quyền", category: "shop", address: "1 Hàng Bạc", provinceCode: "01", communeCode: "00070" } },
    "PATCH /api/venues/{id}": { body: { address: "2 Hàng Bạc" } },
    "POST /api/venues/{id}/status": { body: { action: "approve" } },
    "POST /api/venues/{id}/checkins": { body: { id: randomUUID(), person: { fullName: "Khách Thử", phone: "0912000111", birthYear: 1990 } } },
    "POST /api/cases": { body: { personId: person, confirmedOn: today(), method: "pcr" } },
    "PATCH /api/cases/{id}": { body: { notes: "kiểm tra quyền" } },
    "POST /api/cases/{id}/trace": { body: { degree: 1 } },
    "POST /api/cases/{id}/contacts": { body: { personId: person, source: "household" } },
    "PATCH /api/contacts/{id}": { body: { notes: "kiểm tra quyền" } },
    "POST /api/contacts/{id}/follow-ups": { body: { reached: true } },
    "POST /api/contacts/{id}/confirm": { body: { confirmedOn: today(), method: "pcr" } },
    "PATCH /api/declarations/{id}": { body: { review: "contacted" } },
    "POST /api/reports/{id}/notes": { body: { note: "kiểm tra quyền" } },
    "PATCH /api/adverse-events/{id}": { body: { status: "following_up" } },
    "POST /api/adverse-events/{id}/notes": { body: { note: "kiểm tra quyền" } },
  };
}

describe.each(engines())("access matrix on %s", (engine) => {
  let w: World;
  let probe: ReturnType<typeof probes>;
  beforeAll(async () => {
    w = await buildWorld(engine);
    probe = probes(w);
  }, 180_000);
  afterAll(() => w?.t.close());

  it("has an expectation for every route of the OpenAPI document, and no other", () => {
    const documented = operations(w.doc).map((o) => o.key);
    expect(documented.sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it("has a valid probe for every route that refuses roles past its gate", () => {
    const needing = Object.entries(ACCESS).filter(([, a]) => a.refused?.length).map(([k]) => k);
    const withBody = needing.filter((k) => !k.startsWith("GET ") && !/\/(rotate)$/.test(k));
    expect(withBody.filter((k) => !probe[k])).toEqual([]);
  });

  /** One request of `caller` to the route: real ids of area A, the probe body or an empty one. */
  async function call(key: string, caller: Caller) {
    const op = operations(w.doc).find((o) => o.key === key)!;
    let path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => realValues(w, op.path, name)?.[0] ?? randomUUID());
    const p = probe[key];
    const queryParams = (op.op.parameters ?? []).filter((x) => x.in === "query" && x.required);
    if (queryParams.length) {
      const q = queryParams.map((x) => `${x.name}=${encodeURIComponent(x.name === "siteId" ? w.ids.vaccination_sites![0]! : x.name === "phone" ? "0912345678" : "x.csv")}`);
      path += `?${q.join("&")}`;
    }
    const csv = op.op.requestBody && !op.op.requestBody.content["application/json"];
    const body = p?.body ?? (op.op.requestBody ? (csv ? "" : {}) : undefined);
    const headers: Record<string, string> = { "x-forwarded-for": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}` };
    if (csv) headers["content-type"] = "text/csv";
    return w.t.request(op.method, path, { token: caller === "anonymous" ? undefined : w.tokens[caller], body, headers });
  }

  it.each(Object.keys(ACCESS).sort())("%s answers each role as declared", async (key) => {
    const access = ACCESS[key]!;
    const wrong: string[] = [];
    for (const caller of CALLERS) {
      const res = await call(key, caller);
      const expected = expectedClass(access, caller);
      const text = await res.text();
      const got = res.status;
      const bad =
        got >= 500 ||
        (expected === "401" && got !== 401) ||
        (expected === "403" && got !== 403) ||
        (expected === "allowed" && (got === 401 || got === 403));
      if (bad) wrong.push(`${caller}: expected ${expected}, got ${got} ${text.slice(0, 200)}`);
      if (expected === "401" && got === 401) {
        expect(res.headers.get("www-authenticate"), `${key} ${caller}`).toMatch(/^Bearer/);
        expect(JSON.parse(text).error.code).toBe("unauthorized");
      }
      if (expected === "403" && got === 403) expect(JSON.parse(text).error.code).toBe("forbidden");
    }
    expect(wrong, key).toEqual([]);
  });

  it("refuses every protected route to a bearer that is not one of our tokens (401)", async () => {
    // a syntactically fine bearer that is not a token of ours → 401 on every protected route
    const protectedKeys = Object.entries(ACCESS).filter(([, a]) => a.gate !== "public").map(([k]) => k);
    for (const key of protectedKeys) {
      const op = operations(w.doc).find((o) => o.key === key)!;
      const path = op.path.replace(/\{(\w+)\}/g, () => randomUUID());
      const res = await w.t.request(op.method, path, { token: "not.a.token" });
      expect(res.status, key).toBe(401);
    }
  });
});

/**
 * A leaked signing key is replaced by giving a new one (AUTH_SIGNING_KEY, VENUE_SIGNING_KEY, … or
 * the file in DATA_DIR/keys) and restarting: everything signed with the old key stops working at
 * once (there is no overlap period), while sessions continue through their refresh tokens, which
 * are random and stored hashed, not signed (docs/SECURITY.md, "Leaked keys").
 */
describe("signing keys replaced after a leak", () => {
  const dir = mkdtempSync(join(tmpdir(), "phc-rotation-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const newKey = async () => JSON.stringify(await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey));

  it("old access tokens and venue codes are refused, refresh tokens still open a session, the JWKS drops the old keys", async () => {
    const before = await createTestPlatform("pglite", { DATA_DIR: dir });
    let session: { accessToken: string; refreshToken: string };
    let venueId: string;
    let oldPoster: string;
    let oldKids: string[];
    try {
      const res = await before.request("POST", "/api/auth/login", { body: { username: "hn.venue", password: "Demo@2026" } });
      session = (await res.json()) as typeof session;
      venueId = ((await (await before.request("GET", "/api/venues", { token: session.accessToken })).json()) as any).items[0].id;
      oldPoster = new URL(((await (await before.request("POST", `/api/venues/${venueId}/rotate`, { token: session.accessToken })).json()) as any).url).pathname.slice(3);
      const checkin = await before.request("POST", "/api/checkins", { body: { token: oldPoster, id: randomUUID(), guest: { personId: randomUUID(), fullName: "Khách Cũ", phone: "0912000222", birthYear: 1990 } } });
      expect(checkin.status).toBe(201);
      oldKids = ((await (await before.request("GET", "/.well-known/jwks.json")).json()) as any).keys.map((k: any) => k.kid);
    } finally {
      await before.close();
    }

    const after = await createTestPlatform("pglite", { DATA_DIR: dir, AUTH_SIGNING_KEY: await newKey(), VENUE_SIGNING_KEY: await newKey() });
    try {
      // the old access token is refused; the refresh token (not signed) opens a new session
      expect((await after.request("GET", "/api/me", { token: session.accessToken })).status).toBe(401);
      const renewed = await after.request("POST", "/api/auth/refresh", { body: { refreshToken: session.refreshToken } });
      expect(renewed.status).toBe(200);
      const fresh = ((await renewed.json()) as any).accessToken as string;
      expect(((await (await after.request("GET", "/api/me", { token: fresh })).json()) as any).username).toBe("hn.venue");
      // posters printed with the old venue key stop working; a poster of the new key works
      const refused = await after.request("POST", "/api/checkins", { body: { token: oldPoster, id: randomUUID(), guest: { personId: randomUUID(), fullName: "Khách Cũ", phone: "0912000222", birthYear: 1990 } } });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as any).error.code).toBe("invalid_code");
      const newPoster = new URL(((await (await after.request("POST", `/api/venues/${venueId}/rotate`, { token: fresh })).json()) as any).url).pathname.slice(3);
      const accepted = await after.request("POST", "/api/checkins", { body: { token: newPoster, id: randomUUID(), guest: { personId: randomUUID(), fullName: "Khách Mới", phone: "0912000333", birthYear: 1990 } } });
      expect(accepted.status).toBe(201);
      // the JWKS publishes the new auth and venue keys, not the old ones; the other purposes keep theirs
      const kids = ((await (await after.request("GET", "/.well-known/jwks.json")).json()) as any).keys.map((k: any) => k.kid) as string[];
      expect(kids).toHaveLength(oldKids.length);
      expect(kids.filter((k) => oldKids.includes(k))).toHaveLength(oldKids.length - 2);
    } finally {
      await after.close();
    }
  }, 120_000);
});
