/**
 * Reactions after a dose (adverse events following immunization): recorded on a dose by the
 * staff or officers who may record doses there, or reported by the citizen for their own or a
 * family member's dose; followed up (status, severity, outcome, notes) by officers and site
 * staff of the dose's scope. Every read and change is audited.
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { adverseEventNotes, adverseEvents, people, users, vaccinationSites, vaccinations } from "../../../db/schema";
import type { Db } from "../../../db/client";
import { recordAudit, type Actor } from "../../audit/service";
import { areaFilter, type AuthUser } from "../../auth/scope";
import { vnDayRange } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { personColumns } from "../../tracing/people";
import { areaOf, findDose, presentDose, selectDoses, type DoseRow, type SignedIn } from "./records";
import type { CreateAdverseEventT, UpdateAdverseEventT } from "./schemas";

/** Roles that follow reactions up (health officers read them). */
const FOLLOWERS = new Set(["site_staff", "commune_officer", "province_officer", "national_admin"]);

/** Reactions are scoped like their dose: its area, and for site staff the dose's site. Needs the join to vaccinations. */
const eventScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: adverseEvents.provinceCode, communeCode: adverseEvents.communeCode, siteId: vaccinations.siteId });

const eventColumns = {
  id: adverseEvents.id,
  vaccinationId: adverseEvents.vaccinationId,
  personId: adverseEvents.personId,
  personName: sql<string>`coalesce(${people.fullName}, '')`,
  provinceCode: adverseEvents.provinceCode,
  communeCode: adverseEvents.communeCode,
  doseNumber: vaccinations.doseNumber,
  productCode: vaccinations.productCode,
  givenOn: vaccinations.givenOn,
  siteName: sql<string>`coalesce(${vaccinationSites.name}, '')`,
  onsetAt: adverseEvents.onsetAt,
  severity: adverseEvents.severity,
  symptoms: adverseEvents.symptoms,
  description: adverseEvents.description,
  hospitalised: adverseEvents.hospitalised,
  status: adverseEvents.status,
  outcome: adverseEvents.outcome,
  reportedByCitizen: sql<boolean>`exists (select 1 from ${users} where ${users.id} = ${adverseEvents.recordedBy} and ${users.role} = 'citizen')`,
  createdAt: adverseEvents.createdAt,
  updatedAt: adverseEvents.updatedAt,
};

function selectEvents(db: Db) {
  return db
    .select(eventColumns)
    .from(adverseEvents)
    .innerJoin(vaccinations, eq(vaccinations.id, adverseEvents.vaccinationId))
    .leftJoin(people, eq(people.id, adverseEvents.personId))
    .leftJoin(vaccinationSites, eq(vaccinationSites.id, vaccinations.siteId));
}

type EventRow = Awaited<ReturnType<ReturnType<typeof selectEvents>["where"]>>[number];

function present(r: EventRow) {
  return {
    id: r.id,
    vaccinationId: r.vaccinationId,
    personId: r.personId,
    personName: r.personName,
    provinceCode: r.provinceCode,
    communeCode: r.communeCode,
    doseNumber: Number(r.doseNumber),
    productCode: r.productCode,
    givenOn: String(r.givenOn).slice(0, 10),
    siteName: r.siteName,
    onsetAt: r.onsetAt.toISOString(),
    severity: r.severity,
    symptoms: r.symptoms,
    description: r.description,
    hospitalised: r.hospitalised,
    status: r.status,
    outcome: r.outcome,
    reportedByCitizen: !!r.reportedByCitizen,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
export type AdverseEventView = ReturnType<typeof present>;

/** Reactions matching `where`, newest first (for a dose's or a person's record: no scope here). */
export async function adverseEventsWhere(db: Db, where: SQL | undefined): Promise<AdverseEventView[]> {
  const rows = await selectEvents(db).where(where).orderBy(desc(adverseEvents.createdAt), desc(adverseEvents.id)).limit(500);
  return rows.map(present);
}

function assertFollower(user: AuthUser) {
  if (!FOLLOWERS.has(user.role)) throw new AppError("forbidden", msg("Vai trò của bạn chỉ được xem phản ứng sau tiêm", "Your role may read reactions but not follow them up"));
}

async function findEvent(db: Db, user: AuthUser, id: string): Promise<EventRow> {
  const [row] = await selectEvents(db)
    .where(and(eq(adverseEvents.id, id), eventScope(user)))
    .limit(1);
  if (!row) throw notFound("Adverse event");
  return row;
}

/** The onset must fall between the day of the dose and now (a few minutes of clock skew allowed). */
function checkOnset(deps: Deps, dose: DoseRow, onsetAt: Date) {
  const bad = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "onsetAt", message: msg(vi, en) }]);
  if (onsetAt.getTime() > deps.now().getTime() + 5 * 60_000) throw bad("Thời điểm khởi phát ở tương lai", "The onset is in the future");
  if (onsetAt < vnDayRange(String(dose.givenOn).slice(0, 10)).start) throw bad("Khởi phát trước ngày tiêm", "The onset is before the day of the dose");
}

async function insertEvent(deps: Deps, actor: Actor & { user: AuthUser }, dose: DoseRow, input: CreateAdverseEventT, via: "staff" | "citizen") {
  const onsetAt = new Date(input.onsetAt);
  checkOnset(deps, dose, onsetAt);
  const now = deps.now();
  const [row] = await deps.db
    .insert(adverseEvents)
    .values({
      provinceCode: dose.provinceCode,
      communeCode: dose.communeCode,
      vaccinationId: dose.id,
      personId: dose.personId,
      onsetAt,
      severity: input.severity,
      symptoms: input.symptoms,
      description: input.description ?? null,
      hospitalised: input.hospitalised,
      recordedBy: actor.user.id,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: adverseEvents.id });
  await recordAudit(deps, actor, {
    action: "adverse_event.create",
    subjectType: "adverse_event",
    subjectId: row!.id,
    area: { provinceCode: dose.provinceCode, communeCode: dose.communeCode },
    details: { vaccinationId: dose.id, personId: dose.personId, severity: input.severity, hospitalised: input.hospitalised, via },
  });
  const [created] = await selectEvents(deps.db).where(eq(adverseEvents.id, row!.id)).limit(1);
  return present(created!);
}

/** POST /api/vaccinations/{id}/adverse-events: staff or officers with scope on the dose. */
export async function recordAdverseEvent(deps: Deps, actor: SignedIn, doseId: string, input: CreateAdverseEventT) {
  const dose = await findDose(deps.db, actor.user, doseId);
  return insertEvent(deps, actor, dose, input, "staff");
}

/** POST /api/me/vaccinations/{id}/adverse-events: a citizen reports a reaction to a dose of theirs (checked by the caller). */
export async function reportOwnAdverseEvent(deps: Deps, actor: SignedIn, dose: DoseRow, input: CreateAdverseEventT) {
  return insertEvent(deps, actor, dose, input, "citizen");
}

export interface AdverseEventListInput {
  status?: (typeof adverseEvents.$inferSelect)["status"] | undefined;
  severity?: (typeof adverseEvents.$inferSelect)["severity"] | undefined;
  communeCode?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** GET /api/adverse-events: the scope's reactions, newest first (keyset on created_at, id). */
export async function listAdverseEvents(deps: Deps, actor: SignedIn, input: AdverseEventListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  if (after && (typeof after[0] !== "string" || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== "string" || !/^[0-9a-f-]{36}$/i.test(after[1])))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const rows = await selectEvents(deps.db)
    .where(
      and(
        eventScope(actor.user),
        input.status ? eq(adverseEvents.status, input.status) : undefined,
        input.severity ? eq(adverseEvents.severity, input.severity) : undefined,
        input.communeCode ? eq(adverseEvents.communeCode, input.communeCode) : undefined,
        after ? sql`(${adverseEvents.createdAt}, ${adverseEvents.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(adverseEvents.createdAt), desc(adverseEvents.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (r) => [r.createdAt.toISOString(), r.id]);
  await recordAudit(deps, actor, {
    action: "adverse_event.list",
    subjectType: "adverse_event",
    area: areaOf(actor),
    details: { count: result.items.length, filters: { status: input.status, severity: input.severity, communeCode: input.communeCode } },
  });
  return { items: result.items.map(present), nextCursor: result.nextCursor };
}

async function detail(deps: Deps, r: EventRow) {
  const [dose] = await selectDoses(deps.db, eq(vaccinations.id, r.vaccinationId), 1);
  const [person] = await deps.db.select(personColumns).from(people).where(eq(people.id, r.personId)).limit(1);
  if (!dose || !person) throw notFound("Adverse event");
  const notes = await deps.db
    .select({ id: adverseEventNotes.id, note: adverseEventNotes.note, authorId: adverseEventNotes.authorId, authorName: users.displayName, createdAt: adverseEventNotes.createdAt })
    .from(adverseEventNotes)
    .leftJoin(users, eq(users.id, adverseEventNotes.authorId))
    .where(eq(adverseEventNotes.adverseEventId, r.id))
    .orderBy(adverseEventNotes.createdAt, adverseEventNotes.id);
  return {
    ...present(r),
    dose: presentDose(dose),
    person,
    notes: notes.map((n) => ({ ...n, authorName: n.authorName ?? null, createdAt: n.createdAt.toISOString() })),
  };
}

/** GET /api/adverse-events/{id}: with the dose, the person and the notes (audited). */
export async function getAdverseEvent(deps: Deps, actor: SignedIn, id: string) {
  const r = await findEvent(deps.db, actor.user, id);
  await recordAudit(deps, actor, { action: "adverse_event.read", subjectType: "adverse_event", subjectId: r.id, area: r, details: { personId: r.personId } });
  return detail(deps, r);
}

/** PATCH /api/adverse-events/{id}: moves the follow-up on (status, severity, outcome). */
export async function updateAdverseEvent(deps: Deps, actor: SignedIn, id: string, input: UpdateAdverseEventT) {
  assertFollower(actor.user);
  const r = await findEvent(deps.db, actor.user, id);
  const set: Partial<typeof adverseEvents.$inferInsert> = { updatedAt: deps.now() };
  if (input.status !== undefined) set.status = input.status;
  if (input.severity !== undefined) set.severity = input.severity;
  if (input.outcome !== undefined) set.outcome = input.outcome;
  await deps.db.update(adverseEvents).set(set).where(eq(adverseEvents.id, r.id));
  await recordAudit(deps, actor, {
    action: "adverse_event.update",
    subjectType: "adverse_event",
    subjectId: r.id,
    area: r,
    details: {
      before: { status: r.status, severity: r.severity, outcome: r.outcome },
      after: { status: set.status ?? r.status, severity: set.severity ?? r.severity, outcome: set.outcome === undefined ? r.outcome : set.outcome },
    },
  });
  return detail(deps, await findEvent(deps.db, actor.user, id));
}

/** POST /api/adverse-events/{id}/notes: a follow-up note; answers the event with every note. */
export async function addAdverseEventNote(deps: Deps, actor: SignedIn, id: string, note: string) {
  assertFollower(actor.user);
  const r = await findEvent(deps.db, actor.user, id);
  const now = deps.now();
  await deps.db.insert(adverseEventNotes).values({ adverseEventId: r.id, note, authorId: actor.user.id, createdAt: now });
  await deps.db.update(adverseEvents).set({ updatedAt: now }).where(eq(adverseEvents.id, r.id));
  await recordAudit(deps, actor, { action: "adverse_event.note", subjectType: "adverse_event", subjectId: r.id, area: r });
  return detail(deps, await findEvent(deps.db, actor.user, id));
}
