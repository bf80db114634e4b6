/**
 * Audit completeness: every route of the OpenAPI document either leaves an audit row (found by
 * the request's id, audit_log.request_id) for each successful call, or is listed in NOT_AUDITED
 * with the reason it carries no personal data to audit. A new route that reads or changes
 * personal data without auditing it fails this file until it audits (or is listed, reviewed).
 *
 * Successful calls come from SAMPLES (requests written by hand for routes a generated request
 * rarely gets right) or from requests generated from the route's schemas with valid values only
 * (tests/support/fuzz), by an authorised role (tests/support/access.ts), seeded and bounded.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS, authorisedRole, type Caller } from "../support/access";
import { engines } from "../support/platform";
import { earlierToday } from "../support/vn-time";
import { requestArbitrary, send, type FuzzRequest } from "../support/fuzz/requests";
import { buildWorld, operations, type World } from "../support/fuzz/world";
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

const REFERENCE = "reference data (no personal data)";
const ORGANISATION = "an organisation, a place or its staff accounts: no personal data of the public";
const AGGREGATED = "aggregated figures (counts per area and day), no personal data";
const PLACE = "a venue is a place, not a person: no personal data (its visitors are audited at /visitors)";

/** Routes that leave no audit row, and why that is right. */
const NOT_AUDITED: Record<string, string> = {
  "GET /api/admin-units": REFERENCE,
  "GET /api/admin-units/{code}": REFERENCE,
  "GET /api/vaccine-products": REFERENCE,
  "GET /api/vaccine-lots": REFERENCE,
  "GET /api/stats/metrics": REFERENCE,
  "GET /api/announcements": "officers' public notices: no personal data",
  "GET /api/exports/stats.csv": AGGREGATED,
  "GET /api/exports/stats.json": AGGREGATED,
  "GET /api/exports/stats.xlsx": AGGREGATED,
  "GET /api/exports/daily-report.xlsx": AGGREGATED,
  "GET /api/open-data/daily": `${AGGREGATED}, small counts suppressed`,
  "GET /api/open-data/daily.csv": `${AGGREGATED}, small counts suppressed`,
  "GET /api/public/situation/{provinceCode}": `${AGGREGATED}, and published announcements`,
  "GET /api/risky-venues": "venues (places) with counts of cases: aggregated, no person named",
  "GET /api/labs": ORGANISATION,
  "GET /api/labs/{id}": ORGANISATION,
  "GET /api/test-campaigns": ORGANISATION,
  "GET /api/test-campaigns/{id}": ORGANISATION,
  "GET /api/test-campaigns/{id}/sites": ORGANISATION,
  "GET /api/test-sites/mine": ORGANISATION,
  "GET /api/test-sites/{id}": ORGANISATION,
  "GET /api/vaccination-sites/open": ORGANISATION,
  "GET /api/vaccination-sites": ORGANISATION,
  "GET /api/vaccination-sites/{id}": ORGANISATION,
  "GET /api/vaccination-sites/{id}/slots": ORGANISATION,
  "GET /api/test-pools": "pools by code, size and status: no person in them (a pool's members are audited at GET /api/test-pools/{id})",
  "GET /api/test-pools/{id}/label.pdf": "the pool's code as a barcode label: no personal data",
  "GET /api/vaccination-imports": "uploads by file name and row counts: no personal data (the rows are audited at GET /api/vaccination-imports/{id})",
  "GET /api/venues": PLACE,
  "GET /api/venues/{id}": PLACE,
  "GET /api/venues/{id}/code": PLACE,
  "GET /api/venues/{id}/poster.pdf": PLACE,
  "GET /api/venues/{id}/poster.png": PLACE,
  "GET /api/venues/{id}/poster.svg": PLACE,
  "GET /api/reports/receipt/{receipt}": "the status and public notes of a report for whoever holds its receipt: no personal data",
  "POST /api/auth/refresh":
    "renews a signed-in session: no personal data read or changed (the sign-in is audited, and a reused refresh token is audited as auth.refresh_reuse)",
  "POST /api/auth/logout": "ends the session of a refresh token: no personal data read or changed (sign-ins are audited)",
  "POST /api/certificates/verify": "checks the card the holder presents: no personal data read from the registry (only the revocation list)",
  "POST /api/exposures/lookup": "notices name a venue and a time, never a person: no personal data",
  "POST /api/citizen/otp": "sends a sign-in code (kept in otp_codes for the attempt and send limits): no personal data read; the sign-in is audited",
  "POST /api/checkins":
    "the person's own check-in, on the hot path: the check-in row itself records who, where and when (own data); a check-in for someone else (POST /api/venues/{id}/checkins) is audited",
  "POST /api/checkins/{id}/checkout": "the person's own check-out of their own check-in (own data, recorded on the row)",
};

/** Routes classified in tests/support/scope/*.ts: the "scoped" and "self" ones carry personal data. */
const SCOPE_FILES = {
  ...CERTIFICATE_ROUTES,
  ...DOSE_ROUTES,
  ...IMPORT_ROUTES,
  ...SITE_ROUTES,
  ...TEST_CAMPAIGN_ROUTES,
  ...TEST_SAMPLE_ROUTES,
  ...TEST_RESULT_ROUTES,
  ...TEST_STATS_ROUTES,
  ...DASHBOARD_ROUTES,
  ...EXPORT_ROUTES,
  ...OPEN_DATA_ROUTES,
  ...ANNOUNCEMENT_ROUTES,
};

interface Sample {
  caller: Caller;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const vnToday = (offset = 0) => new Date(Date.now() + 7 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);
const newPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/** Requests written by hand (with what they need set up first): they must answer 2xx. */
function samples(w: World): Record<string, () => Sample | Promise<Sample>> {
  const admin = () => w.tokens.national_admin;
  const api = async (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await w.t.request(method, path, { token, body, headers });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`set-up ${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const one = async (query: string) =>
    ((await w.t.deps.database.query<{ v: string }>(sql.raw(`select v::text from (${query}) q(v) limit 1`)))[0]?.v ?? "") as string;
  /** Set-ups made once, fresh (the generated calls of this file change the demo rows: a site closed, a role changed). */
  const memo = <T,>(f: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= f());
  };
  const rand = () => Math.random().toString(36).slice(2, 7);
  const vaccinationSite = memo(async () => (await api("POST", "/api/vaccination-sites", admin(), { name: `Điểm tiêm kiểm toán ${rand()}`, address: "1 Tràng Tiền", communeCode: "00070", capacityPerDay: 1000 })).id as string);
  const testSite = memo(async () => {
    const campaign = await api("POST", "/api/test-campaigns", admin(), { name: `Đợt kiểm toán ${rand()}`, testType: "pcr", startsOn: vnToday(), endsOn: vnToday(7), communeCode: "00070" });
    return (await api("POST", `/api/test-campaigns/${campaign.id}/sites`, admin(), { name: "Điểm lấy mẫu kiểm toán", address: "2 Tràng Tiền", communeCode: "00070" })).id as string;
  });
  const lab = memo(async () => (await api("POST", "/api/labs", admin(), { name: `Phòng xét nghiệm kiểm toán ${rand()}`, address: "3 Tràng Tiền", communeCode: "00070" })).id as string);
  const account = async (role: string) => {
    const username = `audit.${role.replace("_", ".")}.${rand()}`;
    const u = await api("POST", "/api/users", admin(), { username, displayName: username, password: "Kiem@Toan2026", role, provinceCode: "01", communeCode: role === "lab_staff" ? null : "00070" });
    return { id: u.id as string, username };
  };
  const lot = () => one("select id from vaccine_lots where expires_on > now() + interval '30 days' order by id");
  const personOfA = () => one("select id from people where province_code = '01' and commune_code = '00070' order by id");
  /** A new person of Hoàn Kiếm (so vaccination and testing rules start afresh). */
  const newPerson = () => ({ fullName: `Người Mẫu ${rand()}`, phone: newPhone(), birthYear: 1985, communeCode: "00070" });
  const dose = async (personId: string) =>
    (await api("POST", "/api/vaccinations", admin(), { personId, siteId: await vaccinationSite(), lotId: await lot(), givenOn: vnToday() })).id as string;
  const sample = async (extra: Record<string, unknown> = {}) =>
    (await api("POST", "/api/test-samples", admin(), { siteId: await testSite(), person: newPerson(), ...extra })).id as string;
  const pool = async () => (await api("POST", "/api/test-pools", admin(), { siteId: await testSite() })).id as string;
  const slots = new Map<string, Promise<string>>();
  const slot = (day = vnToday(3)) => {
    if (!slots.has(day))
      slots.set(
        day,
        vaccinationSite().then(async (site) => {
          const published = await api("POST", `/api/vaccination-sites/${site}/slots`, admin(), { day, startTime: "00:00", endTime: "23:59", slotMinutes: 60, capacityPerSlot: 20 });
          const items = (published.items ?? published) as { id: string; endsAt: string }[];
          // today's check-in needs a slot that is not over yet
          return (items.find((i) => Date.parse(i.endsAt) > Date.now() + 60_000) ?? items[items.length - 1]!).id;
        }),
      );
    return slots.get(day)!;
  };
  const registration = async (slotId?: string) =>
    (await api("POST", "/api/vaccination/appointments", admin(), { person: newPerson(), ...(slotId ? { slotId } : {}) })).id as string;
  /** A family member of the citizen (each a fresh person, so appointment rules start afresh). */
  const familyMember = async () => (await api("POST", "/api/me/family", w.tokens.citizen, { relation: "child", fullName: `Con ${rand()}`, birthYear: 2010 })).personId as string;
  const myAppointment = async () => (await api("POST", "/api/me/vaccination/appointments", w.tokens.citizen, { personId: await familyMember() })).id as string;
  const citizenTested = memo(async () => {
    const id = await sample({ person: undefined, personId: w.citizen.personId, labId: await lab() });
    await api("POST", `/api/test-samples/${id}/result`, admin(), { result: "negative" });
  });
  const citizenVaccinated = memo(() => dose(w.citizen.personId));
  const citizen = (path: string, body?: unknown): Sample => ({ caller: "citizen", path, ...(body !== undefined ? { body } : {}) });
  const asAdmin = (path: string, body?: unknown): Sample => ({ caller: "national_admin", path, ...(body !== undefined ? { body } : {}) });

  return {
    "POST /api/auth/login": async () => ({ caller: "anonymous", path: "/api/auth/login", body: { username: (await account("venue_staff")).username, password: "Kiem@Toan2026" } }),
    "POST /api/auth/refresh": async () => {
      const s = await api("POST", "/api/auth/login", undefined, { username: (await account("venue_staff")).username, password: "Kiem@Toan2026" });
      return { caller: "anonymous", path: "/api/auth/refresh", body: { refreshToken: s.refreshToken } };
    },
    "POST /api/citizen/verify": async () => {
      const phone = newPhone();
      await api("POST", "/api/citizen/otp", undefined, { phone });
      return { caller: "anonymous", path: "/api/citizen/verify", body: { phone, code: w.t.deps.sms.lastCode(phone) } };
    },
    "DELETE /api/me/family/{personId}": async () => {
      const m = await api("POST", "/api/me/family", w.tokens.citizen, { relation: "child", fullName: "Con Mẫu", birthYear: 2015 });
      return citizen(`/api/me/family/${m.personId}`);
    },
    "GET /api/me/certificates/vaccination": async () => (await citizenVaccinated(), citizen("/api/me/certificates/vaccination")),
    "GET /api/me/certificates/vaccination.pdf": async () => (await citizenVaccinated(), citizen("/api/me/certificates/vaccination.pdf")),
    "GET /api/me/certificates/vaccination.smart-health-card": async () => (await citizenVaccinated(), citizen("/api/me/certificates/vaccination.smart-health-card")),
    "GET /api/me/certificates/test": async () => (await citizenTested(), citizen("/api/me/certificates/test")),
    "GET /api/me/certificates/test.pdf": async () => (await citizenTested(), citizen("/api/me/certificates/test.pdf")),
    "POST /api/me/vaccination/appointments": async () => citizen("/api/me/vaccination/appointments", { personId: await familyMember(), priorityGroup: "general" }),
    "GET /api/me/vaccination/appointments/{id}/qr.svg": async () => {
      const id = await myAppointment();
      await api("POST", `/api/me/vaccination/appointments/${id}/book`, w.tokens.citizen, { slotId: await slot() });
      return citizen(`/api/me/vaccination/appointments/${id}/qr.svg`);
    },
    "POST /api/me/vaccination/appointments/{id}/book": async () => citizen(`/api/me/vaccination/appointments/${await myAppointment()}/book`, { slotId: await slot() }),
    "POST /api/me/vaccination/appointments/{id}/cancel": async () => citizen(`/api/me/vaccination/appointments/${await myAppointment()}/cancel`),
    "POST /api/me/vaccinations/{id}/adverse-events": async () =>
      citizen(`/api/me/vaccinations/${await citizenVaccinated()}/adverse-events`, { onsetAt: earlierToday(new Date(), 1), severity: "mild", symptoms: ["đau chỗ tiêm"] }),
    "POST /api/cases": async () => asAdmin("/api/cases", { personId: await personOfA(), confirmedOn: vnToday(), method: "pcr" }),
    "POST /api/contacts/{id}/confirm": async () =>
      asAdmin(`/api/contacts/${await one("select id from contacts where status in ('identified', 'notified', 'quarantined') and province_code = '01' order by id")}/confirm`, {
        confirmedOn: vnToday(),
        method: "pcr",
        trace: false,
      }),
    "POST /api/test-campaigns": () => asAdmin("/api/test-campaigns", { name: "Đợt mẫu", testType: "rapid_antigen", startsOn: vnToday(), endsOn: vnToday(7), communeCode: "00070" }),
    "POST /api/test-samples": async () => asAdmin("/api/test-samples", { siteId: await testSite(), person: newPerson() }),
    "POST /api/test-samples/{id}/result": async () => asAdmin(`/api/test-samples/${await sample({ labId: await lab() })}/result`, { result: "negative" }),
    "POST /api/test-pools": async () => asAdmin("/api/test-pools", { siteId: await testSite() }),
    "POST /api/test-pools/{id}/samples": async () => {
      const [p, s] = [await pool(), await sample()];
      return asAdmin(`/api/test-pools/${p}/samples`, { sampleId: s });
    },
    "DELETE /api/test-pools/{id}/samples/{sampleId}": async () => {
      const p = await pool();
      const s = await sample({ poolId: p });
      return asAdmin(`/api/test-pools/${p}/samples/${s}`);
    },
    "POST /api/test-pools/{id}/seal": async () => {
      const p = await pool();
      await sample({ poolId: p });
      return asAdmin(`/api/test-pools/${p}/seal`, { labId: await lab() });
    },
    "POST /api/test-pools/{id}/result": async () => {
      const p = await pool();
      await sample({ poolId: p });
      await api("POST", `/api/test-pools/${p}/seal`, admin(), { labId: await lab() });
      return asAdmin(`/api/test-pools/${p}/result`, { result: "negative" });
    },
    "POST /api/test-results/import": async () => {
      const p = await pool();
      await sample({ poolId: p });
      const sealed = await api("POST", `/api/test-pools/${p}/seal`, admin(), { labId: await lab() });
      const code = (sealed.pool ?? sealed).code as string;
      return { caller: "national_admin", path: "/api/test-results/import", body: `code,result,result_at\n${code},negative,\n`, headers: { "content-type": "text/csv" } };
    },
    "PUT /api/labs/{id}/staff/{userId}": async () => asAdmin(`/api/labs/${await lab()}/staff/${(await account("lab_staff")).id}`),
    "POST /api/vaccinations": async () => asAdmin("/api/vaccinations", { person: newPerson(), siteId: await vaccinationSite(), lotId: await lot(), givenOn: vnToday() }),
    "POST /api/vaccine-lots": () => asAdmin("/api/vaccine-lots", { productCode: "PF", lotNumber: `PF-AUDIT-${Math.floor(Math.random() * 1e6)}`, expiresOn: "2031-01-31" }),
    "POST /api/vaccination-sites/{id}/slots": async () =>
      asAdmin(`/api/vaccination-sites/${await vaccinationSite()}/slots`, { day: vnToday(5), startTime: "08:00", endTime: "10:00", slotMinutes: 30, capacityPerSlot: 5 }),
    "POST /api/vaccination/appointments/{id}/book": async () => asAdmin(`/api/vaccination/appointments/${await registration()}/book`, { slotId: await slot() }),
    "POST /api/vaccination/appointments/{id}/cancel": async () => asAdmin(`/api/vaccination/appointments/${await registration()}/cancel`),
    "POST /api/vaccination/appointments/check-in": async () => {
      const id = await registration(await slot(vnToday()));
      const [row] = await w.t.deps.database.query<{ code: string }>(sql`select code from appointments where id = ${id}`);
      return asAdmin("/api/vaccination/appointments/check-in", { code: row!.code });
    },
    "POST /api/vaccination-imports": async () => ({
      caller: "national_admin",
      path: `/api/vaccination-imports?siteId=${await vaccinationSite()}&fileName=audit.csv`,
      body: `ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui\nTạ Văn Kiểm,1999-09-09,${newPhone()},,PF,PF-2026-001,2026-01-05,1\n`,
      headers: { "content-type": "text/csv" },
    }),
    "POST /api/vaccination-imports/{id}/discard": async () => {
      const up = await api(
        "POST",
        `/api/vaccination-imports?siteId=${await vaccinationSite()}&fileName=discard.csv`,
        admin(),
        `ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui\nTạ Văn Bỏ,1999-09-09,${newPhone()},,PF,PF-2026-001,2026-01-05,1\n`,
        { "content-type": "text/csv" },
      );
      return asAdmin(`/api/vaccination-imports/${up.id}/discard`);
    },
  };
}

const SEED = 20261014;
const TRIES = 60;

describe.each(engines())("audit completeness on %s", (engine) => {
  let w: World;
  let handmade: ReturnType<typeof samples>;
  beforeAll(async () => {
    w = await buildWorld(engine);
    handmade = samples(w);
  }, 180_000);
  afterAll(() => w?.t.close());

  const auditRows = async (requestId: string) =>
    Number((await w.t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from audit_log where request_id = ${requestId}`))[0]!.n);

  it("every route is audited or listed as not audited with a reason; no stale entries", () => {
    const documented = operations(w.doc).map((o) => o.key);
    expect(Object.keys(NOT_AUDITED).filter((k) => !documented.includes(k))).toEqual([]);
    expect(Object.entries(NOT_AUDITED).filter(([, reason]) => reason.length < 15)).toEqual([]);
    // personal-data routes of the scope files that are not audited must say why in terms of the data
    const personal = Object.entries(SCOPE_FILES).filter(([, s]) => s !== "public").map(([k]) => k);
    expect(personal.filter((k) => NOT_AUDITED[k] && !/personal|no person|aggregat|count|figure|own|reference/i.test(NOT_AUDITED[k]!))).toEqual([]);
  });

  const audited = () => Object.keys(ACCESS).filter((k) => !NOT_AUDITED[k]).sort();

  // routes with a handmade request first, before the generated calls change the rows they set up from
  const handmadeKeys = Object.keys(samples(undefined as unknown as World));
  const order = Object.keys(ACCESS)
    .filter((k) => !NOT_AUDITED[k])
    .sort((a, b) => Number(handmadeKeys.includes(b)) - Number(handmadeKeys.includes(a)) || a.localeCompare(b));

  it.each(order)("%s leaves an audit row for each successful call", async (key) => {
    expect(audited()).toContain(key);
    const op = operations(w.doc).find((o) => o.key === key)!;
    const role = authorisedRole(ACCESS[key]!);
    const tries: FuzzRequest[] = [];
    const made = handmade[key];
    if (made) {
      const s = await made();
      const isJson = s.body !== undefined && typeof s.body !== "string";
      tries.push({
        caller: s.caller,
        method: op.method,
        path: s.path,
        headers: { "x-forwarded-for": `10.55.0.${Math.floor(Math.random() * 250) + 1}`, ...(isJson ? { "content-type": "application/json" } : {}), ...s.headers },
        ...(s.body !== undefined ? { body: typeof s.body === "string" ? s.body : JSON.stringify(s.body) } : {}),
      });
    } else tries.push(...fc.sample(requestArbitrary(w, op.method, op.path, op.op, [role], { validOnly: true }), { seed: SEED, numRuns: TRIES }));
    let successes = 0;
    const seen: string[] = [];
    for (const req of tries) {
      const res = await send(w, req);
      const text = await res.text();
      seen.push(`${res.status} ${text.slice(0, 120)}`);
      if (res.status >= 300) continue;
      successes += 1;
      const id = res.headers.get("x-request-id")!;
      expect(await auditRows(id), `${key}: no audit row for a ${res.status} to ${req.method} ${req.path}`).toBeGreaterThan(0);
      if (successes >= 3) break;
    }
    expect(successes, `${key}: no successful call among ${tries.length} (add one to SAMPLES); answers: ${[...new Set(seen)].slice(0, 6).join(" | ")}`).toBeGreaterThan(0);
  });
});
