/**
 * Area scope, route by route: every role of province A (Hà Nội, 01) against data of
 * province B (Hồ Chí Minh City, 79). Reads and writes outside the area are refused (404 for
 * ids, 403 for creating into another area), lists never show another area's rows, and the
 * route list is checked against the OpenAPI document so a new route without a scope case
 * fails this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { users, venues } from "../../db/schema";
import { hashPassword } from "../../server/auth/passwords";
import { createTestPlatform, DEMO_PASSWORD, engines, type TestPlatform } from "../support/platform";

type Role = "province_officer" | "health_officer" | "commune_officer" | "venue_staff" | "citizen";
const ROLES_OF_A: Record<Role, string> = {
  province_officer: "hn.province",
  health_officer: "hn.health",
  commune_officer: "hn.commune",
  venue_staff: "hn.venue",
  citizen: "hn.citizen",
};

/** Every API route and how its scope is proven. Public routes carry no personal data. */
const ROUTES: Record<string, "public" | "self" | "scoped"> = {
  "POST /api/auth/login": "public",
  "POST /api/auth/refresh": "public",
  "POST /api/auth/logout": "public",
  "GET /api/me": "self",
  "GET /api/users": "scoped",
  "POST /api/users": "scoped",
  "GET /api/users/{id}": "scoped",
  "PATCH /api/users/{id}": "scoped",
  "GET /api/admin-units": "public",
  "GET /api/admin-units/{code}": "public",
  "POST /api/admin-units/communes/import": "scoped",
  "GET /api/audit": "scoped",
  "GET /api/venues": "scoped",
  "POST /api/venues": "scoped",
  "GET /api/venues/{id}": "scoped",
  "PATCH /api/venues/{id}": "scoped",
  "POST /api/venues/{id}/status": "scoped",
  "POST /api/venues/{id}/rotate": "scoped",
  "GET /api/venues/{id}/code": "scoped",
  "GET /api/venues/{id}/poster.pdf": "scoped",
  "GET /api/venues/{id}/poster.png": "scoped",
  "GET /api/venues/{id}/poster.svg": "scoped",
  "GET /api/venues/{id}/visitors": "scoped",
  "POST /api/venues/{id}/checkins": "scoped",
  "POST /api/checkins": "public",
  "POST /api/checkins/{id}/checkout": "public",
};

/** Venue routes that name one venue: each must answer 404 for a venue of province B. */
const VENUE_ROUTES: [string, string, unknown?][] = [
  ["GET", ""],
  ["PATCH", "", { name: "Hijacked" }],
  ["POST", "/status", { action: "suspend", reason: "x" }],
  ["POST", "/rotate"],
  ["GET", "/code"],
  ["GET", "/poster.pdf"],
  ["GET", "/poster.png"],
  ["GET", "/poster.svg"],
  ["GET", "/visitors"],
  ["POST", "/checkins", { id: "6b1d3c1e-0000-4000-8000-000000000001", person: { fullName: "Người Lạ", phone: "0912345678", birthYear: 1990 } }],
];

describe.each(engines())("area scope on %s", (engine) => {
  let t: TestPlatform;
  const tokens = {} as Record<Role, string>;
  let bUserId: string;
  let bCommuneUserId: string;
  let bVenueId: string;

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    await t.deps.db.insert(users).values({
      username: "hn.citizen",
      displayName: "Người dân",
      passwordHash: await hashPassword(DEMO_PASSWORD),
      role: "citizen",
      provinceCode: "01",
      communeCode: "00070",
    });
    for (const [role, username] of Object.entries(ROLES_OF_A)) tokens[role as Role] = await t.login(username);
    const [b] = await t.deps.db.select().from(users).where(eq(users.username, "hcm.province"));
    const [bc] = await t.deps.db.select().from(users).where(eq(users.username, "hcm.commune"));
    bUserId = b!.id;
    bCommuneUserId = bc!.id;
    // B's officers leave audit rows of their own area
    const bToken = await t.login("hcm.province");
    bVenueId = ((await (await t.request("GET", "/api/venues", { token: bToken })).json()) as any).items[0].id;
    await t.request("GET", `/api/users/${bCommuneUserId}`, { token: bToken });
  });
  afterAll(() => t?.close());

  it("covers every route of the OpenAPI document", async () => {
    const doc = (await (await t.request("GET", "/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  describe.each(Object.keys(ROLES_OF_A) as Role[])("a %s of province A", (role) => {
    const token = () => tokens[role];
    const isManager = role === "province_officer" || role === "commune_officer";

    it("GET /api/users shows no user of province B", async () => {
      const res = await t.request("GET", "/api/users?limit=500", { token: token() });
      if (!isManager) return expect(res.status).toBe(403);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { provinceCode: string }[] };
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.every((u) => u.provinceCode === "01")).toBe(true);
      // and a filter naming B's province returns nothing rather than B's users
      const filtered = (await (await t.request("GET", "/api/users?provinceCode=79", { token: token() })).json()) as any;
      expect(filtered.items).toEqual([]);
    });

    it("GET /api/users/{id} of province B answers 404 (or 403 for roles without the route)", async () => {
      for (const id of [bUserId, bCommuneUserId]) {
        const res = await t.request("GET", `/api/users/${id}`, { token: token() });
        expect(res.status).toBe(isManager ? 404 : 403);
      }
    });

    it("PATCH /api/users/{id} of province B is refused and changes nothing", async () => {
      const res = await t.request("PATCH", `/api/users/${bCommuneUserId}`, {
        token: token(),
        body: { displayName: "hijacked", disabled: true },
      });
      expect(res.status).toBe(isManager ? 404 : 403);
      const [row] = await t.deps.db.select().from(users).where(eq(users.id, bCommuneUserId));
      expect(row!.displayName).not.toBe("hijacked");
      expect(row!.disabled).toBe(false);
    });

    it("POST /api/users into province B is refused", async () => {
      const res = await t.request("POST", "/api/users", {
        token: token(),
        body: { username: `x.${role}`, displayName: "X", password: "Passw0rd!", role: "venue_staff", provinceCode: "79", communeCode: "26734" },
      });
      expect(res.status).toBe(403);
      const [row] = await t.deps.db.select().from(users).where(eq(users.username, `x.${role}`));
      expect(row).toBeUndefined();
    });

    it("POST /api/admin-units/communes/import cannot touch province B", async () => {
      const csv = "code,name,province_code,population\n26734,Renamed,79,1\n26740,Moved,01,1\n";
      const res = await t.request("POST", "/api/admin-units/communes/import", {
        token: token(),
        body: csv,
        headers: { "content-type": "text/csv" },
      });
      if (role !== "province_officer") return expect(res.status).toBe(403);
      expect(res.status).toBe(200);
      const report = (await res.json()) as any;
      expect(report.created + report.updated).toBe(0);
      expect(report.rejected).toHaveLength(2);
      const unit = (await (await t.request("GET", "/api/admin-units/26734")).json()) as any;
      expect(unit.name).toBe("Sài Gòn");
      const moved = (await (await t.request("GET", "/api/admin-units/26740")).json()) as any;
      expect(moved.parentCode).toBe("79");
    });

    it("GET /api/audit shows no row of province B", async () => {
      const res = await t.request("GET", "/api/audit?limit=500", { token: token() });
      if (role === "venue_staff" || role === "citizen") return expect(res.status).toBe(403);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { provinceCode: string; communeCode: string | null }[] };
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.every((r) => r.provinceCode === "01")).toBe(true);
      if (role === "commune_officer") expect(body.items.every((r) => r.communeCode === "00070")).toBe(true);
    });

    it("every venue route answers 404 for a venue of province B and changes nothing", async () => {
      for (const [method, suffix, body] of VENUE_ROUTES) {
        const res = await t.request(method, `/api/venues/${bVenueId}${suffix}`, { token: token(), body });
        // Officers who could act in their own area get 404 (the id does not leak);
        // roles that may never do this get 403 before any lookup.
        if (isManager) expect(res.status, `${method} ${suffix}`).toBe(404);
        else expect([403, 404], `${method} ${suffix}`).toContain(res.status);
      }
      const [row] = await t.deps.db.select().from(venues).where(eq(venues.id, bVenueId));
      expect(row).toMatchObject({ name: expect.not.stringMatching("Hijacked"), status: "active", qrVersion: 1 });
    });

    it("GET /api/venues lists no venue of province B; POST /api/venues into B is refused", async () => {
      const res = await t.request("GET", "/api/venues?limit=500", { token: token() });
      if (role === "citizen") return expect(res.status).toBe(403);
      const body = (await res.json()) as { items: { provinceCode: string }[] };
      expect(body.items.every((v) => v.provinceCode === "01")).toBe(true);
      const created = await t.request("POST", "/api/venues", {
        token: token(),
        body: { name: "Quán Lạ", category: "shop", address: "1 Lê Lợi", provinceCode: "79", communeCode: "26740" },
      });
      expect(created.status).toBe(403);
    });

    it("GET /api/me shows only the caller", async () => {
      const res = await t.request("GET", "/api/me", { token: token() });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).username).toBe(ROLES_OF_A[role]);
    });
  });

  it("a commune officer cannot reach users of another commune of the same province", async () => {
    const admin = await t.login("admin");
    const other = (await (
      await t.request("POST", "/api/users", {
        token: admin,
        body: { username: "cuanam.officer", displayName: "Cửa Nam", password: "Passw0rd!", role: "commune_officer", provinceCode: "01", communeCode: "00082" },
      })
    ).json()) as any;
    const res = await t.request("GET", `/api/users/${other.id}`, { token: tokens.commune_officer });
    expect(res.status).toBe(404);
    const ok = await t.request("GET", `/api/users/${other.id}`, { token: tokens.province_officer });
    expect(ok.status).toBe(200);
  });

  it("a province officer cannot see or change the national admin", async () => {
    const [admin] = await t.deps.db.select().from(users).where(eq(users.username, "admin"));
    expect((await t.request("GET", `/api/users/${admin!.id}`, { token: tokens.province_officer })).status).toBe(404);
    expect((await t.request("PATCH", `/api/users/${admin!.id}`, { token: tokens.province_officer, body: { disabled: true } })).status).toBe(404);
  });
});
