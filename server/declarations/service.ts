/**
 * Health declarations (docs/CITIZENS.md, "Declarations"): filing (public, or a signed-in citizen
 * for themselves or a family member), the citizen's own list, and the officers' views (area list
 * with the risky first, one declaration, review, counts per day). Every officer read is audited.
 */
import { and, asc, desc, eq, gte, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import { contacts, declarations, familyMembers, OPEN_CONTACT_STATUSES, people, users, venues, type Declaration, type SYMPTOMS } from "../../db/schema";
import { provinceOfCommune } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import { areaFilter, type AuthUser } from "../auth/scope";
import { vnDay } from "../checkins/colour";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { decodeCursor, page } from "../http/pagination";
import { recordsOf } from "../tracing/people";
import { hashIdNumber } from "./id-hash";
import { classify, RISK_RANK } from "./risk";
import { msg, type CitizenDeclarationInputT, type PublicDeclarationInputT, type RiskReason } from "./schemas";

export type SignedIn = Actor & { user: AuthUser };

const DAY_MS = 86400_000;
/** Roles that review declarations; health officers read. */
const WRITERS = new Set(["commune_officer", "province_officer", "national_admin"]);

const invalid = (path: string, vi: string, en: string) =>
  new AppError("validation_failed", en, [{ path, message: msg(vi, en) }]);

async function provinceOf(deps: Deps, communeCode: string): Promise<string> {
  try {
    return await provinceOfCommune(deps, communeCode, "communeCode");
  } catch (e) {
    if (e instanceof AppError && e.code === "validation_failed") throw invalid("communeCode", "Không có xã/phường này", "No such commune");
    throw e;
  }
}

async function assertActiveVenue(deps: Deps, venueId: string) {
  const [v] = await deps.db.select({ status: venues.status }).from(venues).where(eq(venues.id, venueId)).limit(1);
  if (!v || v.status !== "active") throw new AppError("not_found", msg("Không tìm thấy địa điểm đang hoạt động", "Venue not found or not active"));
}

/** Whether any record of this person is an open F1 contact (still followed, quarantine not over). */
async function isOpenContact(deps: Deps, personId: string): Promise<boolean> {
  const ids = await recordsOf(deps, [personId]);
  const today = vnDay(deps.now());
  const [row] = await deps.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        inArray(contacts.personId, ids),
        eq(contacts.degree, 1),
        inArray(contacts.status, [...OPEN_CONTACT_STATUSES]),
        sql`${contacts.quarantineUntil} >= ${today}::date`,
      ),
    )
    .limit(1);
  return !!row;
}

type AnyInput = PublicDeclarationInputT | CitizenDeclarationInputT;

interface Filing {
  personId: string;
  filedBy: string | null;
  provinceCode: string;
  communeCode: string;
  fullName: string;
  birthYear: number;
  phone: string;
}

async function insertDeclaration(deps: Deps, actor: Actor, input: AnyInput, f: Filing): Promise<Declaration> {
  const { risk, reasons } = classify(input, { openContact: await isOpenContact(deps, f.personId) });
  const now = deps.now();
  const travel = input.kind === "domestic" ? input.travel : input.kind === "entry" ? input.entry : null;
  const [row] = await deps.db
    .insert(declarations)
    .values({
      provinceCode: f.provinceCode,
      communeCode: f.communeCode,
      personId: f.personId,
      filedBy: f.filedBy,
      kind: input.kind,
      venueId: input.kind === "venue" ? input.venueId : null,
      fullName: f.fullName,
      birthYear: f.birthYear,
      sex: input.sex ?? null,
      nationality: input.nationality,
      idNumberHash: input.idNumber ? hashIdNumber(deps.keys, input.idNumber) : null,
      phone: f.phone,
      address: input.address ?? null,
      symptoms: [...input.symptoms],
      contactWithCase: input.contactWithCase,
      fromOutbreakArea: input.fromOutbreakArea,
      contactWithSymptomatic: input.contactWithSymptomatic,
      travel,
      placesVisited: input.placesVisited ?? null,
      risk,
      riskReasons: reasons,
      day: vnDay(now),
      // Millisecond precision, so the keyset cursor (an ISO time) compares exactly.
      createdAt: now,
    })
    .returning();
  if (!row) throw notFound("Declaration");
  await recordAudit(deps, actor, {
    action: "declaration.create",
    subjectType: "declaration",
    subjectId: row.id,
    area: { provinceCode: row.provinceCode, communeCode: row.communeCode },
    details: { kind: row.kind, risk: row.risk, filedBy: f.filedBy ? "citizen" : "public" },
  });
  return row;
}

/** POST /api/declarations: anyone; the declaration creates a person record in the province of its commune. */
export async function filePublicDeclaration(deps: Deps, actor: Actor, input: PublicDeclarationInputT) {
  const provinceCode = await provinceOf(deps, input.communeCode);
  if (input.kind === "venue") await assertActiveVenue(deps, input.venueId);
  const [person] = await deps.db
    .insert(people)
    .values({
      provinceCode,
      communeCode: input.communeCode,
      fullName: input.fullName,
      birthYear: input.birthYear,
      sex: input.sex ?? null,
      phone: input.phone,
      idNumberHash: input.idNumber ? hashIdNumber(deps.keys, input.idNumber) : null,
    })
    .returning({ id: people.id });
  const row = await insertDeclaration(deps, actor, input, {
    personId: person!.id,
    filedBy: null,
    provinceCode,
    communeCode: input.communeCode,
    fullName: input.fullName,
    birthYear: input.birthYear,
    phone: input.phone,
  });
  return receipt(row);
}

function receipt(d: Declaration) {
  return { id: d.id, kind: d.kind, risk: d.risk, riskReasons: d.riskReasons as RiskReason[], day: d.day, createdAt: d.createdAt.toISOString() };
}

/** The people a citizen files for and reads: their own record and their family's. */
async function peopleOf(deps: Deps, userId: string): Promise<string[]> {
  const [u] = await deps.db.select({ personId: users.personId }).from(users).where(eq(users.id, userId)).limit(1);
  const family = await deps.db.select({ personId: familyMembers.personId }).from(familyMembers).where(eq(familyMembers.userId, userId));
  return [...new Set([...(u?.personId ? [u.personId] : []), ...family.map((f) => f.personId)])];
}

const personNotFound = () => new AppError("not_found", msg("Không tìm thấy người này trong tài khoản", "Person not found in your account"));

/** POST /api/me/declarations: for the account's own person or a family member (404 for anyone else). */
export async function fileCitizenDeclaration(deps: Deps, actor: SignedIn, input: CitizenDeclarationInputT) {
  const mine = await peopleOf(deps, actor.user.id);
  if (!mine.includes(input.personId)) throw personNotFound();
  const [p] = await deps.db.select().from(people).where(eq(people.id, input.personId)).limit(1);
  if (!p) throw personNotFound();
  const communeCode = input.communeCode ?? p.communeCode?.trim() ?? null;
  const fullName = input.fullName ?? p.fullName?.trim() ?? null;
  const birthYear = input.birthYear ?? p.birthYear ?? null;
  const phone = input.phone ?? p.phone ?? (/^0\d{9}$/.test(actor.user.username) ? actor.user.username : null);
  const missing = [
    !communeCode && { path: "communeCode", message: msg("Chọn xã/phường", "Choose the commune") },
    (!fullName || fullName.length < 2) && { path: "fullName", message: msg("Nhập họ tên", "Enter the full name") },
    !birthYear && { path: "birthYear", message: msg("Nhập năm sinh", "Enter the year of birth") },
    !phone && { path: "phone", message: msg("Nhập số điện thoại", "Enter the phone number") },
  ].filter((x): x is { path: string; message: string } => !!x);
  if (missing.length) throw new AppError("validation_failed", "Invalid request body", missing);
  const provinceCode = await provinceOf(deps, communeCode!);
  if (input.kind === "venue") await assertActiveVenue(deps, input.venueId);
  const row = await insertDeclaration(deps, actor, input, {
    personId: p.id,
    filedBy: actor.user.id,
    provinceCode,
    communeCode: communeCode!,
    fullName: fullName!,
    birthYear: birthYear!,
    phone: phone!,
  });
  return presentMine(row, await venueNames(deps, [row]));
}

async function venueNames(deps: Deps, rows: Declaration[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.venueId).filter((v): v is string => !!v))];
  if (!ids.length) return new Map();
  const vs = await deps.db.select({ id: venues.id, name: venues.name }).from(venues).where(inArray(venues.id, ids));
  return new Map(vs.map((v) => [v.id, v.name]));
}

function presentMine(d: Declaration, names: Map<string, string>) {
  const travel = (d.travel ?? null) as Record<string, unknown> | null;
  return {
    id: d.id,
    kind: d.kind,
    personId: d.personId,
    provinceCode: d.provinceCode,
    communeCode: d.communeCode,
    venue: d.venueId ? { id: d.venueId, name: names.get(d.venueId) ?? "?" } : null,
    fullName: d.fullName,
    birthYear: d.birthYear,
    sex: d.sex,
    nationality: d.nationality,
    idNumberSet: !!d.idNumberHash,
    phone: d.phone,
    address: d.address,
    symptoms: d.symptoms as (typeof SYMPTOMS)[number][],
    contactWithCase: d.contactWithCase,
    fromOutbreakArea: d.fromOutbreakArea,
    contactWithSymptomatic: d.contactWithSymptomatic,
    placesVisited: d.placesVisited,
    travel: d.kind === "domestic" && travel ? (travel as never) : null,
    entry: d.kind === "entry" && travel ? (travel as never) : null,
    risk: d.risk,
    riskReasons: d.riskReasons as RiskReason[],
    day: d.day,
    createdAt: d.createdAt.toISOString(),
  };
}

function presentOfficer(d: Declaration, names: Map<string, string>) {
  return { ...presentMine(d, names), filedBy: d.filedBy, review: d.review, reviewNote: d.reviewNote };
}

const afterNewest = (after: [string, string] | undefined) =>
  after
    ? or(sql`${declarations.createdAt} < ${after[0]}::timestamptz`, and(sql`${declarations.createdAt} = ${after[0]}::timestamptz`, sql`${declarations.id} < ${after[1]}::uuid`))
    : undefined;

/** GET /api/me/declarations: own and family's, newest first (keyset on created_at, id). */
export async function listMyDeclarations(deps: Deps, actor: SignedIn, input: { personId?: string | undefined; limit: number; cursor?: string | undefined }) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  const mine = await peopleOf(deps, actor.user.id);
  if (input.personId && !mine.includes(input.personId)) throw personNotFound();
  const ids = input.personId ? [input.personId] : mine;
  if (!ids.length) return { items: [], nextCursor: null };
  const rows = await deps.db
    .select()
    .from(declarations)
    .where(and(inArray(declarations.personId, ids), afterNewest(after)))
    .orderBy(desc(declarations.createdAt), desc(declarations.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (r) => [r.createdAt.toISOString(), r.id]);
  const names = await venueNames(deps, result.items);
  // a read of the account's (or a family member's) health declarations: audited like the other /api/me reads
  const subjectId = input.personId ?? ids[0]!;
  const [p] = await deps.db.select({ provinceCode: people.provinceCode, communeCode: people.communeCode }).from(people).where(eq(people.id, subjectId)).limit(1);
  await recordAudit(deps, actor, {
    action: "me.declarations.read",
    subjectType: "person",
    subjectId,
    area: { provinceCode: p?.provinceCode ?? null, communeCode: p?.communeCode ?? null },
    details: { count: result.items.length, people: ids.length },
  });
  return { items: result.items.map((r) => presentMine(r, names)), nextCursor: result.nextCursor };
}

// ---- officers ----

const scope = (user: AuthUser) => areaFilter(user, { provinceCode: declarations.provinceCode, communeCode: declarations.communeCode });
const areaOf = (actor: SignedIn) => ({ provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode });

async function findDeclaration(deps: Deps, user: AuthUser, id: string): Promise<Declaration> {
  const [row] = await deps.db
    .select()
    .from(declarations)
    .where(and(eq(declarations.id, id), scope(user)))
    .limit(1);
  if (!row) throw notFound("Declaration");
  return row;
}

export interface DeclarationListInput {
  from?: string | undefined;
  to?: string | undefined;
  risk?: Declaration["risk"] | undefined;
  kind?: Declaration["kind"] | undefined;
  review?: Declaration["review"] | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const rankSql = sql<number>`(case ${declarations.risk} when 'follow_up' then 0 when 'watch' then 1 else 2 end)`;

function checkRange(from: string | undefined, to: string | undefined) {
  if (from && to && from > to) throw invalid("from", "Ngày bắt đầu sau ngày kết thúc", "`from` is after `to`");
}

/** The area's declarations: follow_up first, then watch, then none; newest first within (keyset on rank, created_at, id). */
export async function listDeclarations(deps: Deps, actor: SignedIn, input: DeclarationListInput) {
  checkRange(input.from, input.to);
  const after = decodeCursor<[number, string, string]>(input.cursor, ["int", "time", "uuid"]);
  if (after && (typeof after[0] !== "number" || typeof after[1] !== "string" || typeof after[2] !== "string" || Number.isNaN(Date.parse(after[1]))))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const conds: (SQL | undefined)[] = [
    scope(actor.user),
    input.from ? gte(declarations.day, input.from) : undefined,
    input.to ? lte(declarations.day, input.to) : undefined,
    input.risk ? eq(declarations.risk, input.risk) : undefined,
    input.kind ? eq(declarations.kind, input.kind) : undefined,
    input.review ? eq(declarations.review, input.review) : undefined,
    input.provinceCode ? eq(declarations.provinceCode, input.provinceCode) : undefined,
    input.communeCode ? eq(declarations.communeCode, input.communeCode) : undefined,
    after
      ? or(
          sql`${rankSql} > ${after[0]}`,
          and(sql`${rankSql} = ${after[0]}`, afterNewest([after[1], after[2]])),
        )
      : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(declarations)
    .where(and(...conds))
    .orderBy(asc(rankSql), desc(declarations.createdAt), desc(declarations.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (r) => [RISK_RANK[r.risk], r.createdAt.toISOString(), r.id]);
  const names = await venueNames(deps, result.items);
  await recordAudit(deps, actor, {
    action: "declaration.list",
    subjectType: "declaration",
    area: areaOf(actor),
    details: { count: result.items.length, filters: { from: input.from, to: input.to, risk: input.risk, kind: input.kind, review: input.review, communeCode: input.communeCode } },
  });
  return { items: result.items.map((r) => presentOfficer(r, names)), nextCursor: result.nextCursor };
}

export async function getDeclaration(deps: Deps, actor: SignedIn, id: string) {
  const d = await findDeclaration(deps, actor.user, id);
  await recordAudit(deps, actor, { action: "declaration.read", subjectType: "declaration", subjectId: d.id, area: d });
  return presentOfficer(d, await venueNames(deps, [d]));
}

export async function reviewDeclaration(
  deps: Deps,
  actor: SignedIn,
  id: string,
  input: { review: "contacted" | "closed"; reviewNote?: string | null | undefined },
) {
  if (!WRITERS.has(actor.user.role)) throw new AppError("forbidden", "Your role may read declarations but not review them");
  const d = await findDeclaration(deps, actor.user, id);
  const set: Partial<typeof declarations.$inferInsert> = { review: input.review };
  if (input.reviewNote !== undefined) set.reviewNote = input.reviewNote || null;
  const [row] = await deps.db.update(declarations).set(set).where(eq(declarations.id, d.id)).returning();
  await recordAudit(deps, actor, {
    action: "declaration.review",
    subjectType: "declaration",
    subjectId: d.id,
    area: d,
    details: { from: d.review, to: input.review, note: input.reviewNote !== undefined },
  });
  return presentOfficer(row!, await venueNames(deps, [row!]));
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Counts per Vietnam calendar day of filing, every day of the range (zeros included). */
export async function declarationStats(
  deps: Deps,
  actor: SignedIn,
  input: { from?: string | undefined; to?: string | undefined; provinceCode?: string | undefined; communeCode?: string | undefined },
) {
  const to = input.to ?? vnDay(deps.now());
  const from = input.from ?? addDays(to, -13);
  checkRange(from, to);
  if (Date.parse(to) - Date.parse(from) > 366 * DAY_MS) throw invalid("from", "Tối đa 367 ngày", "At most 367 days");
  const rows = await deps.db
    .select({
      day: declarations.day,
      total: sql<number>`count(*)::int`,
      followUp: sql<number>`(count(*) filter (where ${declarations.risk} = 'follow_up'))::int`,
      watch: sql<number>`(count(*) filter (where ${declarations.risk} = 'watch'))::int`,
    })
    .from(declarations)
    .where(
      and(
        scope(actor.user),
        gte(declarations.day, from),
        lte(declarations.day, to),
        input.provinceCode ? eq(declarations.provinceCode, input.provinceCode) : undefined,
        input.communeCode ? eq(declarations.communeCode, input.communeCode) : undefined,
      ),
    )
    .groupBy(declarations.day);
  const byDay = new Map(rows.map((r) => [String(r.day).slice(0, 10), r]));
  const days = [];
  const totals = { total: 0, followUp: 0, watch: 0 };
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const r = byDay.get(d);
    const item = { day: d, total: Number(r?.total ?? 0), followUp: Number(r?.followUp ?? 0), watch: Number(r?.watch ?? 0) };
    totals.total += item.total;
    totals.followUp += item.followUp;
    totals.watch += item.watch;
    days.push(item);
  }
  await recordAudit(deps, actor, {
    action: "declaration.stats",
    subjectType: "declaration",
    area: areaOf(actor),
    details: { from, to, communeCode: input.communeCode ?? null },
  });
  return { from, to, days, totals };
}
