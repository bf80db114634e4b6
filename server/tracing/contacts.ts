/** Contacts (F1, F2): lists, the commune team's worklist, follow-up calls, status, and "tested positive". */
import { and, asc, desc, eq, ilike, inArray, lt, notExists, or, sql } from "drizzle-orm";
import { cases, contacts, followUps, people, OPEN_CONTACT_STATUSES, type Contact } from "../../db/schema";
import { assertCommuneInProvince } from "../admin-units/service";
import { recordAudit } from "../audit/service";
import { inArea } from "../auth/scope";
import { vnDay } from "../checkins/colour";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { decodeCursor, page } from "../http/pagination";
import { containsPattern } from "../http/search";
import { assertWriter, findCase, insertCase, presentCase, type CaseFields, type SignedIn } from "./cases";
import { contactsBecameCase, openContactsOf } from "./became-case";
import { contactScope, exposuresOf, presentContact, selectContactPage, selectContacts } from "./contact-view";
import { resolvePerson, type PersonRef } from "./people";
import { traceCase } from "./run-trace";
import { quarantineEnd } from "./window";

const areaOf = (actor: SignedIn) => ({ provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode });

/** A contact of the caller's area (404 otherwise). */
async function findContact(deps: Deps, actor: SignedIn, id: string): Promise<Contact> {
  const [row] = await deps.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), contactScope(actor.user)))
    .limit(1);
  if (!row) throw notFound("Contact");
  return row;
}

async function presentOne(deps: Deps, id: string) {
  const [row] = await selectContacts(deps, eq(contacts.id, id), undefined, 1);
  if (!row) throw notFound("Contact");
  return presentContact(row);
}

export interface ContactListInput {
  caseId?: string | undefined;
  degree?: number | undefined;
  status?: Contact["status"] | undefined;
  communeCode?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Contacts of the area, most recently exposed first (keyset on last exposure, id). */
export async function listContacts(deps: Deps, actor: SignedIn, input: ContactListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  const pattern = containsPattern(input.q);
  const where = and(
    contactScope(actor.user),
    input.caseId ? eq(contacts.caseId, input.caseId) : undefined,
    input.degree ? eq(contacts.degree, input.degree) : undefined,
    input.status ? eq(contacts.status, input.status) : undefined,
    input.communeCode ? eq(contacts.communeCode, input.communeCode) : undefined,
    pattern ? or(ilike(people.fullName, pattern), ilike(people.phone, pattern)) : undefined,
    after
      ? or(lt(contacts.lastExposureAt, new Date(after[0])), and(eq(contacts.lastExposureAt, new Date(after[0])), lt(contacts.id, after[1])))
      : undefined,
  );
  // A search reads the people's names, so it joins first; otherwise the page is picked from contacts alone.
  const rows = await (pattern ? selectContacts : selectContactPage)(deps, where, [desc(contacts.lastExposureAt), desc(contacts.id)], input.limit + 1);
  const result = page(rows, input.limit, (r) => [r.c.lastExposureAt.toISOString(), r.c.id]);
  await recordAudit(deps, actor, { action: "contact.list", subjectType: "contact", area: areaOf(actor), details: { count: result.items.length, caseId: input.caseId ?? null } });
  return { items: result.items.map(presentContact), nextCursor: result.nextCursor };
}

/**
 * Who to call on `day`: open contacts still in quarantine with no follow-up that day, the newly
 * identified first, then the longest without a call (keyset on status rank, quarantine end, id).
 */
export async function worklist(deps: Deps, actor: SignedIn, input: { day?: string | undefined; communeCode?: string | undefined; limit: number; cursor?: string | undefined }) {
  const day = input.day ?? vnDay(deps.now());
  const after = decodeCursor<[number, string, string]>(input.cursor, ["int", "day", "uuid"]);
  const rank = sql<number>`(case ${contacts.status} when 'identified' then 0 when 'notified' then 1 else 2 end)`;
  const where = and(
    contactScope(actor.user),
    inArray(contacts.status, [...OPEN_CONTACT_STATUSES]),
    sql`${contacts.quarantineUntil} >= ${day}::date`,
    sql`${contacts.firstExposureAt} < (${day}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'`,
    input.communeCode ? eq(contacts.communeCode, input.communeCode) : undefined,
    notExists(deps.db.select({ one: sql`1` }).from(followUps).where(and(eq(followUps.contactId, contacts.id), eq(followUps.day, day)))),
    after
      ? sql`(${rank}, ${contacts.quarantineUntil}, ${contacts.id}) > (${after[0]}, ${after[1]}::date, ${after[2]}::uuid)`
      : undefined,
  );
  const rows = await selectContactPage(deps, where, [asc(rank), asc(contacts.quarantineUntil), asc(contacts.id)], input.limit + 1);
  const rankOf = (s: string) => (s === "identified" ? 0 : s === "notified" ? 1 : 2);
  const result = page(rows, input.limit, (r) => [rankOf(r.c.status), r.c.quarantineUntil, r.c.id]);
  await recordAudit(deps, actor, { action: "contact.worklist", subjectType: "contact", area: areaOf(actor), details: { day, count: result.items.length } });
  return { items: result.items.map(presentContact), nextCursor: result.nextCursor };
}

export async function getContact(deps: Deps, actor: SignedIn, id: string) {
  const c = await findContact(deps, actor, id);
  const [view] = await selectContacts(deps, eq(contacts.id, c.id), undefined, 1);
  const follow = await deps.db.select().from(followUps).where(eq(followUps.contactId, c.id)).orderBy(desc(followUps.day));
  const evidence = await exposuresOf(deps, [c.id]);
  await recordAudit(deps, actor, { action: "contact.read", subjectType: "contact", subjectId: c.id, area: c });
  return {
    ...presentContact(view!),
    exposures: evidence.get(c.id) ?? [],
    followUps: follow.map(presentFollowUp),
  };
}

const presentFollowUp = (f: typeof followUps.$inferSelect) => ({
  id: f.id,
  day: f.day,
  reached: f.reached,
  temperature: f.temperature,
  symptoms: f.symptoms,
  note: f.note,
  createdAt: f.createdAt.toISOString(),
});

export async function updateContact(
  deps: Deps,
  actor: SignedIn,
  id: string,
  input: { status?: Exclude<Contact["status"], "became_f0"> | undefined; quarantineUntil?: string | undefined; communeCode?: string | undefined; notes?: string | null | undefined },
) {
  assertWriter(actor.user);
  const c = await findContact(deps, actor, id);
  if (c.status === "became_f0" && input.status) throw new AppError("conflict", "This contact became a case; change the case instead");
  const set: Partial<typeof contacts.$inferInsert> = { updatedAt: deps.now() };
  if (input.status) {
    set.status = input.status;
    if (input.status === "notified" && !c.notifiedAt) set.notifiedAt = deps.now();
  }
  if (input.quarantineUntil) set.quarantineUntil = input.quarantineUntil;
  if (input.notes !== undefined) set.notes = input.notes;
  if (input.communeCode && input.communeCode !== c.communeCode) {
    await assertCommuneInProvince(deps, c.provinceCode, input.communeCode);
    set.communeCode = input.communeCode;
  }
  await deps.db.update(contacts).set(set).where(eq(contacts.id, c.id));
  await recordAudit(deps, actor, { action: "contact.update", subjectType: "contact", subjectId: c.id, area: c, details: { fields: Object.keys(input), status: input.status ?? null } });
  return presentOne(deps, c.id);
}

/** The day's call; one per contact and day (sending again replaces it). */
export async function recordFollowUp(
  deps: Deps,
  actor: SignedIn,
  id: string,
  input: { day?: string | undefined; reached: boolean; temperature?: number | null | undefined; symptoms: string[]; note?: string | null | undefined },
) {
  assertWriter(actor.user);
  const c = await findContact(deps, actor, id);
  const day = input.day ?? vnDay(deps.now());
  if (day > vnDay(deps.now())) throw new AppError("validation_failed", "A follow-up cannot be in the future", [{ path: "day", message: "This day is in the future" }]);
  const values = {
    provinceCode: c.provinceCode,
    communeCode: c.communeCode,
    contactId: c.id,
    day,
    reached: input.reached,
    temperature: input.temperature ?? null,
    symptoms: input.symptoms,
    note: input.note ?? null,
    recordedBy: actor.user.id,
    createdAt: deps.now(),
  };
  const [row] = await deps.db
    .insert(followUps)
    .values(values)
    .onConflictDoUpdate({ target: [followUps.contactId, followUps.day], set: { reached: values.reached, temperature: values.temperature, symptoms: values.symptoms, note: values.note, recordedBy: values.recordedBy, createdAt: values.createdAt } })
    .returning();
  await recordAudit(deps, actor, { action: "contact.follow_up", subjectType: "contact", subjectId: c.id, area: c, details: { day, reached: input.reached, symptoms: input.symptoms.length } });
  return presentFollowUp(row!);
}

/** A household, workplace or declared contact added by hand; its team is the person's commune. */
export async function addContact(
  deps: Deps,
  actor: SignedIn,
  caseId: string,
  input: PersonRef & { source: "household" | "workplace" | "declared"; exposedAt?: string | undefined; notes?: string | null | undefined },
) {
  assertWriter(actor.user);
  const c = await findCase(deps, actor.user, caseId);
  const exposedAt = input.exposedAt ? new Date(input.exposedAt) : deps.now();
  if (exposedAt > deps.now()) throw new AppError("validation_failed", "The contact cannot be in the future", [{ path: "exposedAt", message: "This time is in the future" }]);
  if ("personId" in input && input.personId === c.personId)
    throw new AppError("validation_failed", "The case cannot be its own contact", [{ path: "personId", message: "This is the case's own person" }]);
  const person = await resolvePerson(deps, input, { provinceCode: c.provinceCode, communeCode: c.communeCode });
  const now = deps.now();
  const [row] = await deps.db
    .insert(contacts)
    .values({
      caseId: c.id,
      caseProvinceCode: c.provinceCode,
      provinceCode: person.provinceCode,
      communeCode: person.communeCode,
      personId: person.id,
      degree: 1,
      source: input.source,
      firstExposureAt: exposedAt,
      lastExposureAt: exposedAt,
      quarantineUntil: quarantineEnd(deps.config, exposedAt),
      notes: input.notes ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [contacts.caseId, contacts.personId],
      set: {
        degree: 1,
        viaContactId: null,
        source: input.source,
        lastExposureAt: sql`greatest(${contacts.lastExposureAt}, excluded.last_exposure_at)`,
        quarantineUntil: sql`greatest(${contacts.quarantineUntil}, excluded.quarantine_until)`,
        status: sql`case when ${contacts.status} = 'released' then 'identified' else ${contacts.status} end`,
        updatedAt: now,
      },
    })
    .returning({ id: contacts.id });
  await recordAudit(deps, actor, { action: "contact.create", subjectType: "contact", subjectId: row!.id, area: { provinceCode: person.provinceCode, communeCode: person.communeCode }, details: { caseId: c.id, source: input.source } });
  return presentOne(deps, row!.id);
}

/**
 * The contact tested positive: an F0 case in the contact's area, linked to the case it came from;
 * the contact's F2s become the new case's F1s; the new case is traced at once (unless asked not to).
 */
export async function confirmContact(deps: Deps, actor: SignedIn, id: string, input: CaseFields & { trace: boolean }) {
  assertWriter(actor.user);
  const contact = await findContact(deps, actor, id);
  if (contact.status === "became_f0") throw new AppError("conflict", "This contact is already a case");
  const area = { provinceCode: contact.provinceCode, communeCode: contact.communeCode };
  if (!inArea(actor.user, area)) throw new AppError("forbidden", "This contact belongs to another commune team");
  const created = await insertCase(deps, actor, contact.personId, area, { ...input, sourceCaseId: contact.caseId, sourceContactId: contact.id });
  // Every open contact of the person became the case too (as for a positive test); the source is the one confirmed.
  const open = await openContactsOf(deps.db, contact.personId);
  await contactsBecameCase(deps.db, [...new Set([contact.id, ...open.map((c) => c.id)])], contact.id, created, deps.now());
  if (input.trace) await traceCase(deps, actor, created.id, { degree: 1 });
  const [fresh] = await deps.db.select().from(cases).where(eq(cases.id, created.id));
  return presentCase(deps, fresh ?? created);
}

/**
 * Hourly: contacts whose quarantine ended before today and who never reported a symptom are
 * released. Returns how many.
 */
export async function releaseContacts(deps: Deps): Promise<number> {
  const today = vnDay(deps.now());
  const rows = await deps.db
    .update(contacts)
    .set({ status: "released", updatedAt: deps.now() })
    .where(
      and(
        inArray(contacts.status, [...OPEN_CONTACT_STATUSES]),
        lt(contacts.quarantineUntil, today),
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(followUps)
            .where(and(eq(followUps.contactId, contacts.id), sql`cardinality(${followUps.symptoms}) > 0`)),
        ),
      ),
    )
    .returning({ id: contacts.id });
  return rows.length;
}
