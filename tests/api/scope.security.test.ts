/**
 * Area scope, route by route: every role of province A (Hà Nội, 01) against data of
 * province B (Hồ Chí Minh City, 79). Reads and writes outside the area are refused (404 for
 * ids, 403 for creating into another area), lists never show another area's rows, and the
 * route list is checked against the OpenAPI document so a new route without a scope case
 * fails this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { cases, checkins, contacts, declarations, followUps, people, reportNotes, reports, users, venues } from "../../db/schema";
import { hashPassword } from "../../server/auth/passwords";
import { authUserOf } from "../../server/auth/service";
import { signAccessToken } from "../../server/auth/tokens";
import { createTestPlatform, DEMO_PASSWORD, engines, type TestPlatform } from "../support/platform";
import type { RouteScope } from "../support/scope/kinds";
import { ROUTES as CERTIFICATE_ROUTES } from "../support/scope/certificates";
import { ROUTES as DOSE_ROUTES } from "../support/scope/vaccination-doses";
import { ROUTES as IMPORT_ROUTES } from "../support/scope/vaccination-imports";
import { ROUTES as SITE_ROUTES } from "../support/scope/vaccination-sites";
import { ROUTES as TEST_CAMPAIGN_ROUTES } from "../support/scope/testing-campaigns";
import { ROUTES as TEST_SAMPLE_ROUTES } from "../support/scope/testing-samples";
import { ROUTES as TEST_RESULT_ROUTES } from "../support/scope/testing-results";
import { ROUTES as TEST_STATS_ROUTES } from "../support/scope/testing-stats";
import { ROUTES as DASHBOARD_ROUTES } from "../support/scope/stats-dashboard";
import { ROUTES as EXPORT_ROUTES } from "../support/scope/stats-exports";
import { ROUTES as OPEN_DATA_ROUTES } from "../support/scope/stats-open-data";
import { ROUTES as ANNOUNCEMENT_ROUTES } from "../support/scope/stats-announcements";

type Role = "province_officer" | "health_officer" | "commune_officer" | "venue_staff" | "citizen";
const ROLES_OF_A: Record<Role, string> = {
  province_officer: "hn.province",
  health_officer: "hn.health",
  commune_officer: "hn.commune",
  venue_staff: "hn.venue",
  citizen: "hn.citizen",
};

/** Every API route and how its scope is proven. Public routes carry no personal data. */
const ROUTES: Record<string, RouteScope> = {
  ...SITE_ROUTES,
  ...DOSE_ROUTES,
  ...IMPORT_ROUTES,
  ...CERTIFICATE_ROUTES,
  ...TEST_CAMPAIGN_ROUTES,
  ...TEST_SAMPLE_ROUTES,
  ...TEST_RESULT_ROUTES,
  ...TEST_STATS_ROUTES,
  ...DASHBOARD_ROUTES,
  ...EXPORT_ROUTES,
  ...OPEN_DATA_ROUTES,
  ...ANNOUNCEMENT_ROUTES,
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
  "GET /api/people/lookup": "scoped",
  "GET /api/cases": "scoped",
  "POST /api/cases": "scoped",
  "GET /api/cases/{id}": "scoped",
  "PATCH /api/cases/{id}": "scoped",
  "POST /api/cases/{id}/trace": "scoped",
  "GET /api/cases/{id}/trace": "scoped",
  "POST /api/cases/{id}/contacts": "scoped",
  "GET /api/cases/{id}/graph": "scoped",
  "GET /api/contacts": "scoped",
  "GET /api/contacts/worklist": "scoped",
  "GET /api/contacts/{id}": "scoped",
  "PATCH /api/contacts/{id}": "scoped",
  "POST /api/contacts/{id}/follow-ups": "scoped",
  "POST /api/contacts/{id}/confirm": "scoped",
  "GET /api/risky-venues": "scoped",
  "POST /api/exposures/lookup": "public",
  "POST /api/citizen/otp": "public",
  "POST /api/citizen/verify": "public",
  "GET /api/me/profile": "self",
  "PUT /api/me/profile": "self",
  "GET /api/me/family": "self",
  "POST /api/me/family": "self",
  "DELETE /api/me/family/{personId}": "self",
  "GET /api/me/exposures": "self",
  "GET /api/me/health-qr": "self",
  "POST /api/health-qr/verify": "scoped",
  "POST /api/declarations": "public",
  "POST /api/me/declarations": "self",
  "GET /api/me/declarations": "self",
  "GET /api/declarations": "scoped",
  "GET /api/declarations/stats": "scoped",
  "GET /api/declarations/{id}": "scoped",
  "PATCH /api/declarations/{id}": "scoped",
  "POST /api/reports": "public",
  "GET /api/reports/receipt/{receipt}": "public",
  "GET /api/reports": "scoped",
  "GET /api/reports/{id}": "scoped",
  "POST /api/reports/{id}/notes": "scoped",
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

/** Case routes that name one case: each must answer 404 for a case of province B. */
const CASE_ROUTES: [string, string, unknown?][] = [
  ["GET", ""],
  ["PATCH", "", { status: "died", notes: "Hijacked" }],
  ["POST", "/trace", { degree: 1 }],
  ["POST", "/trace", { degree: 2 }],
  ["GET", "/trace"],
  ["POST", "/contacts", { source: "household", person: { fullName: "Người Lạ Hộ Gia Đình", phone: "0912345670", birthYear: 1990, communeCode: "00070" } }],
  ["GET", "/graph"],
];

/** Contact routes that name one contact: each must answer 404 for a contact of province B. */
const CONTACT_ROUTES: [string, string, unknown?][] = [
  ["GET", ""],
  ["PATCH", "", { status: "released", notes: "Hijacked", communeCode: "00070" }],
  ["POST", "/follow-ups", { reached: true, note: "Hijacked" }],
  ["POST", "/confirm", { confirmedOn: "2026-10-20", method: "pcr" }],
];

/** Declaration and report routes that name one row: each must answer 404 for a row of province B. */
const DECLARATION_ROUTES: [string, string, unknown?][] = [
  ["GET", ""],
  ["PATCH", "", { review: "closed", reviewNote: "Hijacked" }],
];
const REPORT_ROUTES: [string, string, unknown?][] = [
  ["GET", ""],
  ["POST", "/notes", { note: "Hijacked", status: "unfounded", isPublic: true }],
];

describe.each(engines())("area scope on %s", (engine) => {
  let t: TestPlatform;
  const tokens = {} as Record<Role, string>;
  let bUserId: string;
  let bCommuneUserId: string;
  let bVenueId: string;
  /** A case of province B (registered and traced by B's officer) and its F1 at B's venue. */
  let bCaseId: string;
  let bContactId: string;
  let bContactCheckinId: string;
  let aCaseId: string;
  let bVenueCommune: string;
  /** A declaration and a community report of province B, and of A. */
  let bDeclarationId: string;
  let bReportId: string;
  let aDeclarationId: string;
  let aReportId: string;

  /** A person, a venue visit on 2026-10-12 10:00–11:00 (Vietnam time), written straight to the tables. */
  async function personAt(provinceCode: string, communeCode: string, name: string, venueId: string) {
    const [p] = await t.deps.db
      .insert(people)
      .values({ provinceCode, communeCode, fullName: name, birthYear: 1980, phone: `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` })
      .returning({ id: people.id });
    const checkinId = randomUUID();
    await t.deps.db.insert(checkins).values({
      id: checkinId,
      provinceCode,
      venueId,
      personId: p!.id,
      checkedInAt: new Date("2026-10-12T10:00:00+07:00"),
      checkedOutAt: new Date("2026-10-12T11:00:00+07:00"),
      method: "staff_typed",
    });
    return { personId: p!.id, checkinId };
  }

  /** Registers and traces a case of the signed-in officer's area; returns the case and its first contact. */
  async function tracedCase(token: string, personId: string) {
    const res = await t.request("POST", "/api/cases", {
      token,
      body: { personId, confirmedOn: "2026-10-14", method: "pcr", symptomOnset: "2026-10-10", isolatedAt: "2026-10-15T12:00:00+07:00" },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const id = ((await res.json()) as any).id as string;
    const traced = await t.request("POST", `/api/cases/${id}/trace`, { token, body: { degree: 1, marginMinutes: 0 } });
    expect(traced.status, await traced.clone().text()).toBe(200);
    return id;
  }

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
    // Citizens have no password (they sign in by one-time code): the citizen's token is signed directly.
    for (const [role, username] of Object.entries(ROLES_OF_A)) tokens[role as Role] = role === "citizen" ? await tokenOf(username) : await t.login(username);
    const [b] = await t.deps.db.select().from(users).where(eq(users.username, "hcm.province"));
    const [bc] = await t.deps.db.select().from(users).where(eq(users.username, "hcm.commune"));
    bUserId = b!.id;
    bCommuneUserId = bc!.id;
    // B's officers leave audit rows of their own area
    const bToken = await t.login("hcm.province");
    bVenueId = ((await (await t.request("GET", "/api/venues", { token: bToken })).json()) as any).items[0].id;
    await t.request("GET", `/api/users/${bCommuneUserId}`, { token: bToken });
    // B's case and contact (at B's venue) …
    const [bVenue] = await t.deps.db.select().from(venues).where(eq(venues.id, bVenueId));
    bVenueCommune = bVenue!.communeCode!;
    const bF0 = await personAt("79", bVenueCommune, "Ca Bệnh Tỉnh B", bVenueId);
    const bF1 = await personAt("79", bVenueCommune, "Tiếp Xúc Tỉnh B", bVenueId);
    bContactCheckinId = bF1.checkinId;
    bCaseId = await tracedCase(bToken, bF0.personId);
    const [bc1] = await t.deps.db.select().from(contacts).where(eq(contacts.caseId, bCaseId));
    bContactId = bc1!.id;
    // … and A's own, so A's lists are not empty (Chợ Đồng Xuân, Hoàn Kiếm)
    const aVenueId = ((await (await t.request("GET", "/api/venues", { token: tokens.venue_staff })).json()) as any).items[0].id;
    const aF0 = await personAt("01", "00070", "Ca Bệnh Tỉnh A", aVenueId);
    await personAt("01", "00070", "Tiếp Xúc Tỉnh A", aVenueId);
    aCaseId = await tracedCase(tokens.province_officer, aF0.personId);
    // declarations and reports filed by the public in B's commune and in A's
    const fileIn = async (communeCode: string, name: string) => {
      const d = await t.request("POST", "/api/declarations", {
        body: { kind: "domestic", fullName: name, birthYear: 1980, phone: "0912345679", communeCode, symptoms: ["fever"], travel: { means: "bus", from: "A", to: "B" } },
      });
      expect(d.status, await d.clone().text()).toBe(201);
      const r = await t.request("POST", "/api/reports", { body: { kind: "suspected_case", communeCode, description: `Phản ánh về ${name}`, name, phone: "0912345679" } });
      expect(r.status, await r.clone().text()).toBe(201);
      const receipt = ((await r.json()) as any).receipt as string;
      const [row] = await t.deps.db.select().from(reports).where(eq(reports.receipt, receipt));
      return { declarationId: ((await d.json()) as any).id as string, reportId: row!.id };
    };
    ({ declarationId: bDeclarationId, reportId: bReportId } = await fileIn(bVenueCommune, "Khai Báo Tỉnh B"));
    ({ declarationId: aDeclarationId, reportId: aReportId } = await fileIn("00070", "Khai Báo Tỉnh A"));
  });
  afterAll(() => t?.close());

  async function tokenOf(username: string) {
    const [u] = await t.deps.db.select().from(users).where(eq(users.username, username));
    return signAccessToken(t.deps.keys, t.deps.config.publicUrl, t.deps.config.accessTokenTtl, authUserOf(u!), new Date());
  }

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

    const canRead = role !== "venue_staff" && role !== "citizen";

    it("every case route answers 404 for a case of province B and changes nothing", async () => {
      for (const [method, suffix, body] of CASE_ROUTES) {
        const res = await t.request(method, `/api/cases/${bCaseId}${suffix}`, { token: token(), body });
        if (isManager || (canRead && method === "GET")) expect(res.status, `${method} ${suffix}`).toBe(404);
        else expect([403, 404], `${method} ${suffix}`).toContain(res.status);
      }
      const [row] = await t.deps.db.select().from(cases).where(eq(cases.id, bCaseId));
      expect(row).toMatchObject({ status: "active", notes: null, tracedDegree: 1 });
      const rows = await t.deps.db.select().from(contacts).where(eq(contacts.caseId, bCaseId));
      expect(rows.map((r) => r.id)).toEqual([bContactId]);
      const strangers = await t.deps.db.select().from(people).where(eq(people.fullName, "Người Lạ Hộ Gia Đình"));
      expect(strangers).toEqual([]);
    });

    it("every contact route answers 404 for a contact of province B and changes nothing", async () => {
      for (const [method, suffix, body] of CONTACT_ROUTES) {
        const res = await t.request(method, `/api/contacts/${bContactId}${suffix}`, { token: token(), body });
        if (isManager || (canRead && method === "GET")) expect(res.status, `${method} ${suffix}`).toBe(404);
        else expect([403, 404], `${method} ${suffix}`).toContain(res.status);
      }
      const [row] = await t.deps.db.select().from(contacts).where(eq(contacts.id, bContactId));
      expect(row).toMatchObject({ status: "identified", notes: null, provinceCode: "79", communeCode: bVenueCommune, caseId: bCaseId });
      expect(await t.deps.db.select().from(followUps).where(eq(followUps.contactId, bContactId))).toEqual([]);
      expect(await t.deps.db.select().from(cases).where(eq(cases.sourceContactId, bContactId))).toEqual([]);
    });

    it("GET /api/cases, /api/contacts, /api/contacts/worklist and /api/risky-venues show nothing of province B", async () => {
      const lists = ["/api/cases?limit=500", "/api/contacts?limit=500", "/api/contacts/worklist?limit=500&day=2026-10-14", "/api/risky-venues?limit=500&days=60"];
      for (const path of lists) {
        const res = await t.request("GET", path, { token: token() });
        if (!canRead) {
          expect(res.status, path).toBe(403);
          continue;
        }
        expect(res.status, path).toBe(200);
        const items = ((await res.json()) as { items: any[] }).items;
        expect(items.every((r) => r.provinceCode === "01"), path).toBe(true);
        if (role === "commune_officer") expect(items.every((r) => r.communeCode === "00070"), path).toBe(true);
        expect(JSON.stringify(items), path).not.toContain(bCaseId);
        expect(JSON.stringify(items), path).not.toContain(bVenueId);
      }
      if (!canRead) return;
      // A's own case is listed, so the lists above were not empty by accident
      const mine = (await (await t.request("GET", "/api/cases?limit=500", { token: token() })).json()) as any;
      expect(mine.items.map((c: any) => c.id)).toContain(aCaseId);
      const contactsOfA = (await (await t.request("GET", "/api/contacts?limit=500", { token: token() })).json()) as any;
      expect(contactsOfA.items.length).toBeGreaterThan(0);
      // filters naming B return nothing rather than B's rows
      const bc = bVenueCommune;
      for (const path of ["/api/cases?provinceCode=79", `/api/cases?communeCode=${bc}`, `/api/contacts?caseId=${bCaseId}`, `/api/contacts?communeCode=${bc}`, `/api/contacts/worklist?communeCode=${bc}&day=2026-10-14`, `/api/risky-venues?communeCode=${bc}&days=60`]) {
        const res = await t.request("GET", path, { token: token() });
        expect(res.status, path).toBe(200);
        expect(((await res.json()) as any).items, path).toEqual([]);
      }
    });

    it("POST /api/cases into province B is refused and stores nothing", async () => {
      const name = `Ca Lạ ${role}`;
      const res = await t.request("POST", "/api/cases", {
        token: token(),
        body: { person: { fullName: name, phone: "0912345671", birthYear: 1990, communeCode: "26734" }, confirmedOn: "2026-10-14", method: "pcr" },
      });
      expect(res.status).toBe(403);
      const byCommune = await t.request("POST", "/api/cases", {
        token: token(),
        body: { personId: (await t.deps.db.select().from(contacts).where(eq(contacts.id, bContactId)))[0]!.personId, communeCode: bVenueCommune, confirmedOn: "2026-10-14", method: "pcr" },
      });
      expect(byCommune.status).toBe(403);
      const [n] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from cases where province_code = '79'`);
      expect(Number(n!.n)).toBe(1);
      // not even the person record of the refused case
      expect(await t.deps.db.select().from(people).where(eq(people.fullName, name))).toEqual([]);
    });

    it("every declaration and report route answers 404 for a row of province B and changes nothing", async () => {
      for (const [base, id, routes] of [["/api/declarations/", bDeclarationId, DECLARATION_ROUTES], ["/api/reports/", bReportId, REPORT_ROUTES]] as const) {
        for (const [method, suffix, body] of routes) {
          const res = await t.request(method, `${base}${id}${suffix}`, { token: token(), body });
          if (isManager || (canRead && method === "GET")) expect(res.status, `${method} ${base}${suffix}`).toBe(404);
          else expect([403, 404], `${method} ${base}${suffix}`).toContain(res.status);
        }
      }
      const [d] = await t.deps.db.select().from(declarations).where(eq(declarations.id, bDeclarationId));
      expect(d).toMatchObject({ review: "new", reviewNote: null, provinceCode: "79" });
      const [r] = await t.deps.db.select().from(reports).where(eq(reports.id, bReportId));
      expect(r).toMatchObject({ status: "new", provinceCode: "79" });
      expect(await t.deps.db.select().from(reportNotes).where(eq(reportNotes.reportId, bReportId))).toEqual([]);
    });

    it("GET /api/declarations, /api/declarations/stats and /api/reports show nothing of province B", async () => {
      for (const path of ["/api/declarations?limit=500", "/api/reports?limit=500"]) {
        const res = await t.request("GET", path, { token: token() });
        if (!canRead) {
          expect(res.status, path).toBe(403);
          continue;
        }
        expect(res.status, path).toBe(200);
        const items = ((await res.json()) as { items: any[] }).items;
        expect(items.every((r) => r.provinceCode === "01"), path).toBe(true);
        if (role === "commune_officer") expect(items.every((r) => r.communeCode === "00070"), path).toBe(true);
        expect(JSON.stringify(items), path).not.toContain("Tỉnh B");
        // A's own rows are listed, so the lists were not empty by accident
        expect(items.map((r) => r.id), path).toContain(path.startsWith("/api/declarations") ? aDeclarationId : aReportId);
      }
      const stats = await t.request("GET", "/api/declarations/stats", { token: token() });
      if (!canRead) return expect(stats.status).toBe(403);
      const s = (await stats.json()) as any;
      expect(s.totals.total).toBe(1);
      for (const path of ["/api/declarations?provinceCode=79", `/api/declarations?communeCode=${bVenueCommune}`, "/api/reports?provinceCode=79", `/api/reports?communeCode=${bVenueCommune}`]) {
        const res = await t.request("GET", path, { token: token() });
        expect(res.status, path).toBe(200);
        expect(((await res.json()) as any).items, path).toEqual([]);
      }
      const bStats = (await (await t.request("GET", `/api/declarations/stats?communeCode=${bVenueCommune}`, { token: token() })).json()) as any;
      expect(bStats.totals.total).toBe(0);
    });

    it("GET /api/me/declarations is the citizen's own only; officers' tokens are refused", async () => {
      const res = await t.request("GET", "/api/me/declarations", { token: token() });
      if (role !== "citizen") return expect(res.status).toBe(403);
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).items).toEqual([]);
      const other = await t.request("POST", "/api/me/declarations", {
        token: token(),
        body: { kind: "domestic", personId: (await t.deps.db.select().from(declarations).where(eq(declarations.id, bDeclarationId)))[0]!.personId, travel: { means: "car", from: "A", to: "B" } },
      });
      expect(other.status).toBe(404);
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

  it("an exposure notice is given for B's check-in to anyone who has its id, without the case", async () => {
    const res = await t.request("POST", "/api/exposures/lookup", { body: { checkinIds: [bContactCheckinId] } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.items.map((n: any) => n.checkinId)).toEqual([bContactCheckinId]);
    expect(JSON.stringify(body)).not.toContain("Ca Bệnh Tỉnh B");
    expect(JSON.stringify(body)).not.toContain(bCaseId);
  });

  it("a province officer cannot see or change the national admin", async () => {
    const [admin] = await t.deps.db.select().from(users).where(eq(users.username, "admin"));
    expect((await t.request("GET", `/api/users/${admin!.id}`, { token: tokens.province_officer })).status).toBe(404);
    expect((await t.request("PATCH", `/api/users/${admin!.id}`, { token: tokens.province_officer, body: { disabled: true } })).status).toBe(404);
  });
});
