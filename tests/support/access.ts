/**
 * Who may call each API route: the access matrix's expectations (tests/api/access-matrix.test.ts),
 * written down apart from the code so the matrix checks the code against them. Every route of the
 * OpenAPI document must have exactly one entry here: a new route without one fails the matrix.
 *
 * - `gate`: who passes the route's own check (requireAuth in the route): "public" (anyone, no
 *   token needed), "signed_in" (any valid token), or the list of roles. Anonymous callers of a
 *   non-public route get 401; signed-in roles outside the list get 403.
 * - `refused`: roles that pass the gate but that the service then refuses with 403 for what the
 *   route does (e.g. health officers read tracing data but may not change it). The matrix proves
 *   these with a valid request (a probe, in the test file).
 *
 * Area scope (another province's or commune's rows answer 404) is a different question, proven
 * route by route in tests/api/scope.security.test.ts and each capability's tests
 * (tests/support/scope/*.ts names them).
 */
import { ROLES, type Role } from "../../server/auth/roles";

export type Gate = "public" | "signed_in" | readonly Role[];
export interface RouteAccess {
  gate: Gate;
  refused?: readonly Role[];
}

/** Every role of the platform (server/auth/roles.ts: a new role joins the matrix by itself). */
export const MATRIX_ROLES = ROLES;
export type Caller = Role | "anonymous";

const OFFICERS = ["commune_officer", "province_officer", "health_officer", "national_admin"] as const;
/** Officers who change data (health officers read). */
const WRITERS = ["commune_officer", "province_officer", "national_admin"] as const;
const CITIZEN = ["citizen"] as const;

const pub: RouteAccess = { gate: "public" };
const signedIn: RouteAccess = { gate: "signed_in" };
const only = (...roles: Role[]): RouteAccess => ({ gate: roles });
const citizen: RouteAccess = { gate: CITIZEN };
const officers: RouteAccess = { gate: OFFICERS };
const writers: RouteAccess = { gate: WRITERS };
/** Officers pass the gate, health officers are refused by the service (read-only role). */
const officersHealthReads: RouteAccess = { gate: OFFICERS, refused: ["health_officer"] };

const venueGate = ["venue_staff", ...OFFICERS] as const;
const siteReaders = ["site_staff", ...OFFICERS] as const;
const siteWorkers = ["site_staff", ...WRITERS] as const;
const testReaders = ["site_staff", "lab_staff", ...OFFICERS] as const;
const labWriters = ["lab_staff", "province_officer", "national_admin"] as const;

export const ACCESS: Record<string, RouteAccess> = {
  // identity
  "POST /api/auth/login": pub,
  "POST /api/auth/refresh": pub,
  "POST /api/auth/logout": pub,
  "GET /api/me": signedIn,
  "GET /api/users": writers,
  "POST /api/users": writers,
  "GET /api/users/{id}": writers,
  "PATCH /api/users/{id}": writers,
  // administrative units
  "GET /api/admin-units": pub,
  "GET /api/admin-units/{code}": pub,
  "POST /api/admin-units/communes/import": only("national_admin", "province_officer"),
  "GET /api/audit": officers,
  // venues: staff of the venue and officers; health officers read only, venue staff do not approve
  "GET /api/venues": { gate: venueGate },
  "POST /api/venues": { gate: venueGate, refused: ["health_officer"] },
  "GET /api/venues/{id}": { gate: venueGate },
  "PATCH /api/venues/{id}": { gate: venueGate, refused: ["health_officer"] },
  "POST /api/venues/{id}/status": { gate: venueGate, refused: ["venue_staff", "health_officer"] },
  "POST /api/venues/{id}/rotate": { gate: venueGate, refused: ["health_officer"] },
  "GET /api/venues/{id}/code": { gate: venueGate, refused: ["health_officer"] },
  "GET /api/venues/{id}/poster.pdf": { gate: venueGate, refused: ["health_officer"] },
  "GET /api/venues/{id}/poster.png": { gate: venueGate, refused: ["health_officer"] },
  "GET /api/venues/{id}/poster.svg": { gate: venueGate, refused: ["health_officer"] },
  "GET /api/venues/{id}/visitors": { gate: venueGate },
  "POST /api/venues/{id}/checkins": { gate: venueGate, refused: ["health_officer"] },
  // check-in: anyone holding a venue code (a signed-in citizen checks in as itself)
  "POST /api/checkins": pub,
  "POST /api/checkins/{id}/checkout": pub,
  // tracing
  "GET /api/people/lookup": only("site_staff", ...WRITERS),
  "GET /api/cases": officers,
  "POST /api/cases": officersHealthReads,
  "GET /api/cases/{id}": officers,
  "PATCH /api/cases/{id}": officersHealthReads,
  "POST /api/cases/{id}/trace": officersHealthReads,
  "GET /api/cases/{id}/trace": officers,
  "POST /api/cases/{id}/contacts": officersHealthReads,
  "GET /api/cases/{id}/graph": officers,
  "GET /api/contacts": officers,
  "GET /api/contacts/worklist": officers,
  "GET /api/contacts/{id}": officers,
  "PATCH /api/contacts/{id}": officersHealthReads,
  "POST /api/contacts/{id}/follow-ups": officersHealthReads,
  "POST /api/contacts/{id}/confirm": officersHealthReads,
  "GET /api/risky-venues": officers,
  "POST /api/exposures/lookup": pub,
  // citizens
  "POST /api/citizen/otp": pub,
  "POST /api/citizen/verify": pub,
  "GET /api/me/profile": citizen,
  "PUT /api/me/profile": citizen,
  "GET /api/me/family": citizen,
  "POST /api/me/family": citizen,
  "DELETE /api/me/family/{personId}": citizen,
  "GET /api/me/exposures": citizen,
  "GET /api/me/health-qr": citizen,
  "POST /api/health-qr/verify": only("venue_staff", "site_staff", ...OFFICERS),
  // declarations and community reports
  "POST /api/declarations": pub,
  "POST /api/me/declarations": citizen,
  "GET /api/me/declarations": citizen,
  "GET /api/declarations": officers,
  "GET /api/declarations/stats": officers,
  "GET /api/declarations/{id}": officers,
  "PATCH /api/declarations/{id}": officersHealthReads,
  "POST /api/reports": pub,
  "GET /api/reports/receipt/{receipt}": pub,
  "GET /api/reports": officers,
  "GET /api/reports/{id}": officers,
  "POST /api/reports/{id}/notes": officersHealthReads,
  // vaccination: reference data, sites, slots, appointments
  "GET /api/vaccine-products": signedIn,
  "GET /api/vaccine-lots": { gate: siteReaders },
  "POST /api/vaccine-lots": only("province_officer", "health_officer", "national_admin"),
  "GET /api/vaccination-sites/open": pub,
  "GET /api/vaccination-sites": { gate: siteReaders },
  "POST /api/vaccination-sites": writers,
  "GET /api/vaccination-sites/{id}": { gate: siteReaders },
  "PATCH /api/vaccination-sites/{id}": writers,
  "PUT /api/vaccination-sites/{id}/staff/{userId}": writers,
  "DELETE /api/vaccination-sites/{id}/staff/{userId}": writers,
  "GET /api/vaccination-sites/{id}/slots": pub,
  "POST /api/vaccination-sites/{id}/slots": { gate: siteWorkers },
  "DELETE /api/vaccination-slots/{id}": { gate: siteWorkers },
  "GET /api/me/vaccination/appointments": citizen,
  "POST /api/me/vaccination/appointments": citizen,
  "POST /api/me/vaccination/appointments/{id}/book": citizen,
  "POST /api/me/vaccination/appointments/{id}/cancel": citizen,
  "GET /api/me/vaccination/appointments/{id}/qr.svg": citizen,
  "POST /api/vaccination/appointments/check-in": { gate: siteWorkers },
  "GET /api/vaccination/appointments": { gate: siteReaders },
  "POST /api/vaccination/appointments": { gate: siteWorkers },
  "POST /api/vaccination/appointments/{id}/book": { gate: siteWorkers },
  "POST /api/vaccination/appointments/{id}/cancel": { gate: siteWorkers },
  // vaccination: doses and reactions
  "POST /api/vaccinations": { gate: siteWorkers },
  "GET /api/vaccinations": { gate: siteReaders },
  "GET /api/vaccinations/{id}": { gate: siteReaders },
  "PATCH /api/vaccinations/{id}": { gate: siteWorkers },
  "GET /api/people/{id}/vaccinations": { gate: siteReaders },
  "POST /api/vaccinations/{id}/adverse-events": { gate: siteWorkers },
  "GET /api/adverse-events": { gate: siteReaders },
  "GET /api/adverse-events/{id}": { gate: siteReaders },
  "PATCH /api/adverse-events/{id}": { gate: siteReaders, refused: ["health_officer"] },
  "POST /api/adverse-events/{id}/notes": { gate: siteReaders, refused: ["health_officer"] },
  "GET /api/me/vaccination": citizen,
  "POST /api/me/vaccinations/{id}/adverse-events": citizen,
  "GET /api/vaccination/coverage": officers,
  // vaccination imports
  "POST /api/vaccination-imports": { gate: siteWorkers },
  "GET /api/vaccination-imports": { gate: siteReaders },
  "GET /api/vaccination-imports/{id}": { gate: siteReaders },
  "GET /api/vaccination-imports/{id}/rejected.csv": { gate: siteReaders },
  "POST /api/vaccination-imports/{id}/commit": { gate: siteWorkers },
  "POST /api/vaccination-imports/{id}/discard": { gate: siteWorkers },
  // certificates
  "GET /api/me/certificates/vaccination": citizen,
  "GET /api/me/certificates/vaccination.pdf": citizen,
  "GET /api/me/certificates/vaccination.smart-health-card": citizen,
  "GET /api/people/{id}/certificates/vaccination": officers,
  "GET /api/people/{id}/certificates/vaccination.pdf": officers,
  "GET /api/me/certificates/test": citizen,
  "GET /api/me/certificates/test.pdf": citizen,
  "GET /api/people/{id}/certificates/test": officers,
  "GET /api/people/{id}/certificates/test.pdf": officers,
  "POST /api/certificates/revocations": only("province_officer", "national_admin"),
  "POST /api/certificates/verify": pub,
  // testing: campaigns, sites, labs
  "GET /api/test-campaigns": { gate: testReaders },
  "POST /api/test-campaigns": writers,
  "GET /api/test-campaigns/{id}": { gate: testReaders },
  "PATCH /api/test-campaigns/{id}": writers,
  "GET /api/test-campaigns/{id}/sites": { gate: testReaders },
  "POST /api/test-campaigns/{id}/sites": writers,
  "GET /api/test-sites/mine": only("site_staff"),
  "GET /api/test-sites/{id}": { gate: siteReaders },
  "PATCH /api/test-sites/{id}": writers,
  "PUT /api/test-sites/{id}/staff/{userId}": writers,
  "DELETE /api/test-sites/{id}/staff/{userId}": writers,
  "GET /api/labs": { gate: testReaders },
  "POST /api/labs": only("province_officer", "national_admin"),
  "GET /api/labs/{id}": { gate: testReaders },
  "PUT /api/labs/{id}/staff/{userId}": only("province_officer", "national_admin"),
  "DELETE /api/labs/{id}/staff/{userId}": only("province_officer", "national_admin"),
  // testing: samples and pools
  "POST /api/test-samples": { gate: siteWorkers },
  "GET /api/test-samples": { gate: testReaders },
  "GET /api/test-samples/by-barcode/{barcode}": { gate: testReaders },
  "GET /api/test-samples/{id}": { gate: testReaders },
  "GET /api/test-samples/{id}/label.pdf": { gate: testReaders },
  "POST /api/test-pools": { gate: siteWorkers },
  "GET /api/test-pools": { gate: testReaders },
  "GET /api/test-pools/by-code/{code}": { gate: testReaders },
  "GET /api/test-pools/{id}": { gate: testReaders },
  "POST /api/test-pools/{id}/samples": { gate: siteWorkers },
  "DELETE /api/test-pools/{id}/samples/{sampleId}": { gate: siteWorkers },
  "POST /api/test-pools/{id}/seal": { gate: siteWorkers },
  "GET /api/test-pools/{id}/label.pdf": { gate: testReaders },
  // testing: results
  "POST /api/test-pools/{id}/result": { gate: labWriters },
  "POST /api/test-samples/{id}/result": only("lab_staff", "site_staff", ...WRITERS),
  "POST /api/test-results/batch": { gate: labWriters },
  "POST /api/test-results/import": { gate: labWriters },
  "GET /api/me/tests": citizen,
  "GET /api/testing/stats": officers,
  // statistics
  "GET /api/stats/dashboard": officers,
  "GET /api/stats/metrics": officers,
  "GET /api/exports/stats.csv": officers,
  "GET /api/exports/stats.json": officers,
  "GET /api/exports/stats.xlsx": officers,
  "GET /api/exports/line-lists/cases.csv": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/cases.json": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/cases.xlsx": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/contacts.csv": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/contacts.json": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/contacts.xlsx": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/doses.csv": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/doses.json": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/line-lists/doses.xlsx": only("province_officer", "health_officer", "national_admin"),
  "GET /api/exports/daily-report.xlsx": officers,
  "GET /api/open-data/daily": pub,
  "GET /api/open-data/daily.csv": pub,
  "GET /api/announcements": officers,
  "POST /api/announcements": writers,
  "PATCH /api/announcements/{id}": writers,
  "GET /api/public/situation/{provinceCode}": pub,
};

/** Does `caller` pass the route's gate? */
export function passesGate(access: RouteAccess, caller: Caller): boolean {
  if (access.gate === "public") return true;
  if (caller === "anonymous") return false;
  return access.gate === "signed_in" || access.gate.includes(caller);
}

/** Is the route open without a token? */
export const isPublic = (access: RouteAccess) => access.gate === "public";

/** The status class the matrix expects: "denied_401", "denied_403", or "allowed" (any non-401/403 answer below 500). */
export function expectedClass(access: RouteAccess, caller: Caller): "401" | "403" | "allowed" {
  if (!passesGate(access, caller)) return caller === "anonymous" ? "401" : "403";
  if (caller !== "anonymous" && access.refused?.includes(caller)) return "403";
  return "allowed";
}

/** The role a test uses to call a route as an authorised user: the widest-scoped role that passes the gate. */
export function authorisedRole(access: RouteAccess): Role | "anonymous" {
  if (access.gate === "public") return "anonymous";
  const order: Role[] = ["national_admin", "province_officer", "commune_officer", "health_officer", "site_staff", "lab_staff", "venue_staff", "citizen"];
  const gate = access.gate;
  return order.find((r) => (gate === "signed_in" || gate.includes(r)) && !access.refused?.includes(r))!;
}
