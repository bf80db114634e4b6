/**
 * A platform with the demo data, a signed-in caller of every role, a few more rows of area A
 * (Hà Nội 01 / Hoàn Kiếm 00070: a case, a declaration, a report, an announcement, a reaction, an
 * import, a citizen with a profile), and pools of real ids and codes by table, area A first. Used
 * by the fuzzing, access-matrix and audit-completeness tests, so requests reach the services
 * with ids that exist instead of stopping at "not found".
 */
import { randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Role } from "../../../server/auth/roles";
import { createTestPlatform, type Engine, type TestPlatform } from "../platform";
import { earlierToday } from "../vn-time";

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}
export type JsonSchema = Record<string, any>;
export interface Operation {
  parameters?: { name: string; in: "path" | "query" | "header"; required?: boolean; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}

/** The demo accounts of area A, one per role (the national admin has no area). */
export const ACCOUNTS: Record<Exclude<Role, "citizen">, string> = {
  venue_staff: "hn.venue",
  site_staff: "hn.site",
  lab_staff: "hn.lab",
  commune_officer: "hn.commune",
  province_officer: "hn.province",
  health_officer: "hn.health",
  national_admin: "admin",
};

export interface World {
  t: TestPlatform;
  doc: OpenApiDoc;
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
  citizen: { phone: string; personId: string };
  /** Ids by table name, rows of area A first. */
  ids: Record<string, string[]>;
  /** Codes that name rows: sample barcodes, pool codes, report receipts, communes and provinces. */
  codes: { barcode: string[]; poolCode: string[]; receipt: string[]; commune: string[]; province: string[] };
  /** Every id of every table, for uuid fields the world cannot place. */
  allIds: string[];
  /** Signed things the routes take: a venue's poster and screen codes, a health QR, a refresh token, a health card. */
  tokens2: { venue: string[]; healthQr: string[]; refresh: string[]; card: string[] };
}

/** Tables whose ids the routes take, and the query that lists them (area A first). */
const ID_TABLES: Record<string, string> = {
  venues: "select id from venues order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, created_at",
  users: "select id from users order by (username = 'hn.venue') desc, (province_code = '01') desc, created_at",
  people: "select id from people order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  cases: "select id from cases order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, created_at",
  contacts: "select id from contacts order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  declarations: "select id from declarations order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  reports: "select id from reports order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  announcements: "select id from announcements order by (province_code = '01') desc, id",
  vaccination_sites: "select id from vaccination_sites order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  vaccination_slots:
    "select s.id from vaccination_slots s join vaccination_sites v on v.id = s.site_id order by (v.commune_code = '00070') desc nulls last, s.starts_at desc",
  appointments: "select id from appointments order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  vaccinations: "select id from vaccinations order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  adverse_events: "select id from adverse_events order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  vaccination_imports: "select id from vaccination_imports order by (province_code = '01') desc, id",
  test_campaigns: "select id from test_campaigns order by (province_code = '01') desc, id",
  test_sites: "select id from test_sites order by (province_code = '01') desc, (commune_code = '00070') desc nulls last, id",
  labs: "select id from labs order by (province_code = '01') desc, id",
  test_samples: "select id from test_samples order by (province_code = '01') desc, id",
  test_pools: "select id from test_pools order by (province_code = '01') desc, id",
  checkins: "select id from checkins order by (province_code = '01') desc, checked_in_at desc limit 20",
};

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;

async function rows(t: TestPlatform, query: string): Promise<string[]> {
  const result = await t.deps.database.query<{ v: string }>(sql.raw(`select v::text from (${query}) q(v) limit 20`));
  return result.map((r) => r.v);
}

async function ok(res: Response, what: string, status = [200, 201, 202]): Promise<any> {
  if (!status.includes(res.status)) throw new Error(`${what} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

export async function buildWorld(engine: Engine, env: Record<string, string> = {}): Promise<World> {
  const t = await createTestPlatform(engine, { TRUST_PROXY: "true", SMS_SENDER: "log", ...env });
  const tokens = {} as Record<Role, string>;
  for (const [role, username] of Object.entries(ACCOUNTS)) tokens[role as Role] = await t.login(username);

  // a citizen by one-time code, with a profile in Hoàn Kiếm (creates the person)
  const phone = newPhone();
  await ok(await t.request("POST", "/api/citizen/otp", { body: { phone } }), "otp");
  const code = t.deps.sms.lastCode(phone);
  const session = await ok(await t.request("POST", "/api/citizen/verify", { body: { phone, code } }), "verify");
  tokens.citizen = session.accessToken;
  const profile = await ok(
    await t.request("PUT", "/api/me/profile", { token: tokens.citizen, body: { fullName: "Trần Văn Dân", birthDate: "1985-03-04", sex: "male", communeCode: "00070" } }),
    "profile",
  );
  const citizen = { phone, personId: profile.personId as string };

  // more rows of area A
  const province = tokens.province_officer;
  await ok(
    await t.request("POST", "/api/declarations", {
      body: { kind: "domestic", fullName: "Lê Thị Khai", birthYear: 1979, phone: newPhone(), communeCode: "00070", symptoms: ["cough"], travel: { means: "bus", from: "Hải Phòng", to: "Hà Nội" } },
    }),
    "declaration",
  );
  await ok(
    await t.request("POST", "/api/me/declarations", { token: tokens.citizen, body: { kind: "domestic", personId: profile.personId, travel: { means: "car", from: "Huế", to: "Hà Nội" } } }),
    "citizen declaration",
  );
  await ok(
    await t.request("POST", "/api/reports", { body: { kind: "suspected_case", communeCode: "00070", description: "Một người ho nhiều ở chợ", name: "Người báo", phone: newPhone() } }),
    "report",
  );
  await ok(await t.request("POST", "/api/announcements", { token: province, body: { title: "Thông báo", body: "Nội dung" } }), "announcement");
  const [person] = await rows(t, "select id from people where province_code = '01' and commune_code = '00070' order by id");
  await ok(await t.request("POST", "/api/cases", { token: province, body: { personId: person, confirmedOn: "2026-10-14", method: "pcr", trace: true } }), "case");
  const [dose] = await rows(t, "select id from vaccinations where province_code = '01' order by id");
  if (dose)
    await ok(
      await t.request("POST", `/api/vaccinations/${dose}/adverse-events`, {
        token: province,
        body: { onsetAt: earlierToday(new Date(), 1), severity: "mild", symptoms: ["sốt nhẹ"] },
      }),
      "adverse event",
    );
  const [site] = await rows(t, "select id from vaccination_sites where commune_code = '00070' order by id");
  const csv = `ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui\nTạ Văn Nhập,1999-09-09,${newPhone()},,PF,PF-2026-001,2026-01-05,1\n`;
  await ok(
    await t.request("POST", `/api/vaccination-imports?siteId=${site}&fileName=nhap.csv`, { token: tokens.site_staff, body: csv, headers: { "content-type": "text/csv" } }),
    "import",
  );

  const ids: Record<string, string[]> = {};
  for (const [table, query] of Object.entries(ID_TABLES)) ids[table] = await rows(t, query);
  const userIds = {} as Record<Role, string>;
  for (const [role, username] of Object.entries(ACCOUNTS))
    userIds[role as Role] = (await rows(t, `select id from users where username = '${username}'`))[0]!;
  userIds.citizen = (await rows(t, `select id from users where username = '${phone}'`))[0]!;
  const codes = {
    barcode: await rows(t, "select barcode from test_samples order by (province_code = '01') desc, barcode"),
    poolCode: await rows(t, "select code from test_pools order by (province_code = '01') desc, code"),
    receipt: await rows(t, "select receipt from reports order by (province_code = '01') desc, receipt"),
    commune: await rows(t, "select code from admin_units where level = 'commune' order by (code = '00070') desc, code"),
    province: await rows(t, "select code from admin_units where level = 'province' order by (code = '01') desc, code"),
  };
  const doc = (await (await t.request("GET", "/api/openapi.json")).json()) as OpenApiDoc;
  // signed tokens, so bodies that carry one can reach past the signature check
  const venueId = ids.venues![0]!;
  const poster = await ok(await t.request("GET", `/api/venues/${venueId}/code`, { token: tokens.venue_staff }), "venue code");
  const rotated = await ok(await t.request("POST", `/api/venues/${venueId}/rotate`, { token: tokens.venue_staff }), "rotate");
  const qr = await ok(await t.request("GET", "/api/me/health-qr", { token: tokens.citizen }), "health qr");
  const card = await t.request("GET", `/api/people/${ids.vaccinations?.length ? (await rows(t, `select person_id from vaccinations where id = '${ids.vaccinations[0]}'`))[0] : citizen.personId}/certificates/vaccination`, { token: province });
  const cardBody = card.status === 200 ? ((await card.json()) as Record<string, unknown>) : {};
  const tokens2 = {
    venue: [poster.token, new URL(rotated.url).pathname.replace(/^\/c\//, "")].filter(Boolean) as string[],
    healthQr: [qr.token as string],
    refresh: [session.refreshToken as string],
    card: Object.values(cardBody).filter((v): v is string => typeof v === "string" && (v.startsWith("shc:/") || v.split(".").length === 3)),
  };
  return { t, doc, tokens, userIds, citizen, ids, codes, allIds: Object.values(ids).flat(), tokens2 };
}

/** "METHOD /path" of every operation of the OpenAPI document. */
export function operations(doc: OpenApiDoc): { key: string; method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op })),
  );
}

/** The table a path parameter names, from the route's path (e.g. {id} of /api/venues/{id} → venues). */
export function tableOfParam(path: string, param: string): string | undefined {
  if (param === "userId") return "users";
  if (param === "personId") return "people";
  if (param === "sampleId") return "test_samples";
  const segments: [RegExp, string][] = [
    [/^\/api\/venues\//, "venues"],
    [/^\/api\/users\//, "users"],
    [/^\/api\/checkins\//, "checkins"],
    [/^\/api\/cases\//, "cases"],
    [/^\/api\/contacts\//, "contacts"],
    [/^\/api\/declarations\//, "declarations"],
    [/^\/api\/reports\//, "reports"],
    [/^\/api\/people\//, "people"],
    [/^\/api\/announcements\//, "announcements"],
    [/^\/api\/vaccination-sites\//, "vaccination_sites"],
    [/^\/api\/vaccination-slots\//, "vaccination_slots"],
    [/^\/api\/(me\/)?vaccination\/appointments\//, "appointments"],
    [/^\/api\/(me\/)?vaccinations\//, "vaccinations"],
    [/^\/api\/adverse-events\//, "adverse_events"],
    [/^\/api\/vaccination-imports\//, "vaccination_imports"],
    [/^\/api\/test-campaigns\//, "test_campaigns"],
    [/^\/api\/test-sites\//, "test_sites"],
    [/^\/api\/labs\//, "labs"],
    [/^\/api\/test-samples\//, "test_samples"],
    [/^\/api\/test-pools\//, "test_pools"],
  ];
  return segments.find(([re]) => re.test(path))?.[1];
}

/** Real values for a path parameter (area A first), or undefined when the world has none. */
export function realValues(world: World, path: string, param: string): string[] | undefined {
  if (param === "barcode") return world.codes.barcode;
  if (param === "code" && path.includes("/test-pools/")) return world.codes.poolCode;
  if (param === "code") return world.codes.commune;
  if (param === "receipt") return world.codes.receipt;
  if (param === "provinceCode") return world.codes.province;
  const table = tableOfParam(path, param);
  return table ? world.ids[table] : undefined;
}
