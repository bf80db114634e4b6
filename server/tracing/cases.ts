/** Cases (F0): register, list, read, change. Tracing itself is in run-trace.ts. */
import { and, desc, eq, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { cases, contacts, people, type Case } from "../../db/schema";
import { provinceOfCommune } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import { areaFilter, inArea, type AuthUser } from "../auth/scope";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { decodeCursor, page } from "../http/pagination";
import { containsPattern } from "../http/search";
import { contactsBecameCase, openContactsOf } from "./became-case";
import { personArea, personById, personColumns, resolvePerson, type PersonRef, type PersonSummary } from "./people";
import { infectiousWindow } from "./window";

export type SignedIn = Actor & { user: AuthUser };

/** Roles that register, change and trace; health officers read. */
const WRITERS = new Set(["commune_officer", "province_officer", "national_admin"]);

export function assertWriter(user: AuthUser) {
  if (!WRITERS.has(user.role)) throw new AppError("forbidden", "Your role may read tracing data but not change it");
}

export const caseScope = (user: AuthUser) => areaFilter(user, { provinceCode: cases.provinceCode, communeCode: cases.communeCode });

/** A case of the caller's area (404 otherwise). */
export async function findCase(deps: Deps, user: AuthUser, id: string): Promise<Case> {
  const [row] = await deps.db
    .select()
    .from(cases)
    .where(and(eq(cases.id, id), caseScope(user)))
    .limit(1);
  if (!row) throw notFound("Case");
  return row;
}

export function windowOf(deps: Deps, c: Case) {
  return infectiousWindow(deps.config, c, deps.now());
}

async function contactCounts(deps: Deps, ids: string[]) {
  const counts = new Map<string, { f1: number; f2: number }>();
  if (!ids.length) return counts;
  const rows = await deps.db
    .select({
      caseId: contacts.caseId,
      f1: sql<number>`(count(*) filter (where ${contacts.degree} = 1))::int`,
      f2: sql<number>`(count(*) filter (where ${contacts.degree} = 2))::int`,
    })
    .from(contacts)
    .where(inArray(contacts.caseId, ids))
    .groupBy(contacts.caseId);
  for (const r of rows) counts.set(r.caseId, { f1: Number(r.f1), f2: Number(r.f2) });
  return counts;
}

function present(deps: Deps, c: Case, person: PersonSummary, counts?: { f1: number; f2: number }) {
  const w = windowOf(deps, c);
  return {
    id: c.id,
    provinceCode: c.provinceCode,
    communeCode: c.communeCode,
    person,
    confirmedOn: c.confirmedOn,
    method: c.method,
    symptomOnset: c.symptomOnset,
    sampleDate: c.sampleDate,
    isolatedAt: c.isolatedAt?.toISOString() ?? null,
    treatmentPlace: c.treatmentPlace,
    status: c.status,
    sourceCaseId: c.sourceCaseId,
    sourceContactId: c.sourceContactId,
    notes: c.notes,
    tracedAt: c.tracedAt?.toISOString() ?? null,
    tracedDegree: c.tracedDegree,
    window: { from: w.from.toISOString(), to: w.to.toISOString() },
    contacts: counts ?? { f1: 0, f2: 0 },
    createdAt: c.createdAt.toISOString(),
  };
}

export async function presentCase(deps: Deps, c: Case) {
  const person = await personById(deps, c.personId).catch(() => missingPerson(c));
  return present(deps, c, person, (await contactCounts(deps, [c.id])).get(c.id));
}

const missingPerson = (c: Case): PersonSummary => ({
  id: c.personId,
  fullName: "?",
  phone: null,
  birthYear: null,
  provinceCode: c.provinceCode,
  communeCode: c.communeCode,
});

export interface CaseFields {
  confirmedOn: string;
  method: Case["method"];
  symptomOnset?: string | null | undefined;
  sampleDate?: string | null | undefined;
  isolatedAt?: string | null | undefined;
  treatmentPlace?: string | null | undefined;
  notes?: string | null | undefined;
}

function checkDates(deps: Deps, f: Partial<CaseFields>) {
  const today = new Date(deps.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  const future = (["confirmedOn", "symptomOnset", "sampleDate"] as const).filter((k) => f[k] && f[k]! > today);
  if (future.length)
    throw new AppError(
      "validation_failed",
      "Dates cannot be in the future",
      future.map((path) => ({ path, message: "This date is in the future" })),
    );
  if (f.confirmedOn && f.sampleDate && f.sampleDate > f.confirmedOn)
    throw new AppError("validation_failed", "The sample was taken after the confirmation", [
      { path: "sampleDate", message: "The sample date must not be after the confirmation date" },
    ]);
}

/** Inserts a case in an area the caller may write to, audited. */
export async function insertCase(
  deps: Deps,
  actor: SignedIn,
  personId: string,
  area: { provinceCode: string; communeCode: string | null },
  f: CaseFields & { sourceCaseId?: string | null; sourceContactId?: string | null },
): Promise<Case> {
  checkDates(deps, f);
  const [row] = await deps.db
    .insert(cases)
    .values({
      ...area,
      personId,
      confirmedOn: f.confirmedOn,
      method: f.method,
      symptomOnset: f.symptomOnset ?? null,
      sampleDate: f.sampleDate ?? null,
      isolatedAt: f.isolatedAt ? new Date(f.isolatedAt) : null,
      treatmentPlace: f.treatmentPlace ?? null,
      notes: f.notes ?? null,
      sourceCaseId: f.sourceCaseId ?? null,
      sourceContactId: f.sourceContactId ?? null,
      createdBy: actor.user.id,
      // Millisecond precision, so the list's keyset cursor (an ISO time) compares exactly.
      createdAt: deps.now(),
      updatedAt: deps.now(),
    })
    .returning();
  if (!row) throw notFound("Case");
  await recordAudit(deps, actor, { action: "case.create", subjectType: "case", subjectId: row.id, area, details: { personId } });
  return row;
}

/** Registers an F0 in the caller's area: the person's commune, or the commune given. Nothing is written if refused. */
export async function createCase(deps: Deps, actor: SignedIn, input: PersonRef & CaseFields & { communeCode?: string | null | undefined }) {
  const { user } = actor;
  assertWriter(user);
  checkDates(deps, input);
  const fallback = { provinceCode: user.provinceCode, communeCode: user.communeCode };
  const lives = await personArea(deps, input, fallback);
  const communeCode = input.communeCode ?? lives.communeCode ?? user.communeCode;
  const provinceCode = communeCode ? await provinceOfCommune(deps, communeCode, "communeCode") : lives.provinceCode;
  const area = { provinceCode, communeCode: communeCode ?? null };
  if (!inArea(user, area)) throw new AppError("forbidden", "You may register cases only in your own area; choose a commune of your area");
  const person = await resolvePerson(deps, input, fallback);
  // A person who is someone's open contact: the case comes from the latest exposure, as for a positive test.
  const open = await openContactsOf(deps.db, person.id);
  const source = open[0];
  const created = await insertCase(deps, actor, person.id, area, { ...input, sourceCaseId: source?.caseId ?? null, sourceContactId: source?.id ?? null });
  if (source) await contactsBecameCase(deps.db, open.map((c) => c.id), source.id, created, deps.now());
  return presentCase(deps, created);
}

export async function getCase(deps: Deps, actor: SignedIn, id: string) {
  const c = await findCase(deps, actor.user, id);
  await recordAudit(deps, actor, { action: "case.read", subjectType: "case", subjectId: c.id, area: c });
  return presentCase(deps, c);
}

export async function updateCase(deps: Deps, actor: SignedIn, id: string, input: Partial<CaseFields> & { status?: Case["status"] | undefined }) {
  assertWriter(actor.user);
  const c = await findCase(deps, actor.user, id);
  checkDates(deps, { confirmedOn: input.confirmedOn ?? c.confirmedOn, sampleDate: input.sampleDate === undefined ? c.sampleDate : input.sampleDate, symptomOnset: input.symptomOnset ?? null });
  const set: Partial<typeof cases.$inferInsert> = { updatedAt: deps.now() };
  if (input.confirmedOn !== undefined) set.confirmedOn = input.confirmedOn;
  if (input.method !== undefined) set.method = input.method;
  if (input.symptomOnset !== undefined) set.symptomOnset = input.symptomOnset;
  if (input.sampleDate !== undefined) set.sampleDate = input.sampleDate;
  if (input.isolatedAt !== undefined) set.isolatedAt = input.isolatedAt ? new Date(input.isolatedAt) : null;
  if (input.treatmentPlace !== undefined) set.treatmentPlace = input.treatmentPlace;
  if (input.notes !== undefined) set.notes = input.notes;
  if (input.status !== undefined) set.status = input.status;
  const [row] = await deps.db.update(cases).set(set).where(eq(cases.id, c.id)).returning();
  await recordAudit(deps, actor, {
    action: "case.update",
    subjectType: "case",
    subjectId: c.id,
    area: c,
    details: { fields: Object.keys(input) },
  });
  return presentCase(deps, row!);
}

export interface CaseListInput {
  q?: string | undefined;
  status?: Case["status"] | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Cases of the area, newest first (keyset on created_at, id), searchable by name or phone. */
export async function listCases(deps: Deps, actor: SignedIn, input: CaseListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  const pattern = containsPattern(input.q);
  const conds: (SQL | undefined)[] = [
    caseScope(actor.user),
    input.status ? eq(cases.status, input.status) : undefined,
    input.provinceCode ? eq(cases.provinceCode, input.provinceCode) : undefined,
    input.communeCode ? eq(cases.communeCode, input.communeCode) : undefined,
    pattern ? or(ilike(people.fullName, pattern), ilike(people.phone, pattern)) : undefined,
    after ? or(lt(cases.createdAt, new Date(after[0])), and(eq(cases.createdAt, new Date(after[0])), lt(cases.id, after[1]))) : undefined,
  ];
  const rows = await deps.db
    .select({ c: cases, person: personColumns })
    .from(cases)
    .leftJoin(people, eq(people.id, cases.personId))
    .where(and(...conds))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (r) => [r.c.createdAt.toISOString(), r.c.id]);
  const counts = await contactCounts(deps, result.items.map((r) => r.c.id));
  await recordAudit(deps, actor, {
    action: "case.list",
    subjectType: "case",
    area: { provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode },
    details: { count: result.items.length, q: input.q ?? null },
  });
  return {
    items: result.items.map((r) => present(deps, r.c, r.person ?? missingPerson(r.c), counts.get(r.c.id))),
    nextCursor: result.nextCursor,
  };
}
