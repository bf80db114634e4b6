/**
 * Running a trace and reading it back. A hop (trace.ts) finds the overlaps; this file turns them
 * into contacts (one per case and person, evidence in `exposures`), records the case's visits,
 * and answers with the visits, the summary over every province and the caller's area's contacts.
 */
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { cases, caseVisits, contacts, exposures, venues } from "../../db/schema";
import { recordAudit } from "../audit/service";
import type { Deps } from "../deps";
import { assertWriter, findCase, windowOf, type SignedIn } from "./cases";
import { contactScope, exposuresOf, presentContact, selectContacts } from "./contact-view";
import { recordsOf } from "./people";
import { runHop, type HopRow, type HopSource } from "./trace";
import { quarantineEnd } from "./window";

interface Found {
  personId: string;
  degree: 1 | 2;
  viaContactId: string | null;
  first: Date;
  last: Date;
  minutes: number;
  /** The venue of the last exposure: the new contact's team (a later trace keeps the team assigned). */
  venueId: string;
  provinceCode: string;
  communeCode: string | null;
  evidence: HopRow[];
}

/** Groups a hop's overlaps by person (an F2 keeps the first F1 it was found through). */
function groupByPerson(rows: HopRow[], degree: 1 | 2): Found[] {
  const byPerson = new Map<string, Found>();
  for (const r of rows) {
    const c = r.contact;
    if (!c) continue;
    let f = byPerson.get(c.personId);
    if (!f) {
      f = {
        personId: c.personId,
        degree,
        viaContactId: degree === 2 ? r.tag : null,
        first: c.overlapStart,
        last: c.overlapEnd,
        minutes: 0,
        venueId: r.venueId,
        provinceCode: r.provinceCode,
        communeCode: r.communeCode,
        evidence: [],
      };
      byPerson.set(c.personId, f);
    }
    if (c.overlapStart < f.first) f.first = c.overlapStart;
    if (c.overlapEnd >= f.last) {
      f.last = c.overlapEnd;
      f.venueId = r.venueId;
      f.provinceCode = r.provinceCode;
      f.communeCode = r.communeCode;
    }
    f.minutes += c.minutes;
    f.evidence.push(r);
  }
  return [...byPerson.values()];
}

/** People among `ids` who are themselves active cases: they are not anyone's contacts. */
async function activeCasesAmong(deps: Deps, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await deps.db
    .select({ personId: cases.personId })
    .from(cases)
    .where(and(inArray(cases.personId, ids), eq(cases.status, "active")));
  return new Set(rows.map((r) => r.personId));
}

/** Runs one hop for a case (degree 1 from its visits, 2 from its F1s') and stores what it finds. */
export async function traceCase(deps: Deps, actor: SignedIn, id: string, input: { degree: 1 | 2; marginMinutes?: number | undefined }) {
  assertWriter(actor.user);
  const started = performance.now();
  const c = await findCase(deps, actor.user, id);
  const now = deps.now();
  const margin = input.marginMinutes ?? deps.config.traceMarginMinutes;
  const window = windowOf(deps, c);
  const self = await recordsOf(deps, [c.personId]);
  let sources: HopSource[];
  let exclude: string[];
  if (input.degree === 1) {
    sources = self.map((personId) => ({ personId, from: window.from, to: window.to, tag: "" }));
    exclude = self;
  } else {
    const f1 = await deps.db
      .select({ id: contacts.id, personId: contacts.personId, first: contacts.firstExposureAt })
      .from(contacts)
      .where(and(eq(contacts.caseId, c.id), eq(contacts.degree, 1), ne(contacts.status, "became_f0")));
    sources = f1.map((f) => ({ personId: f.personId, from: f.first, to: now, tag: f.id }));
    exclude = [...self, ...f1.map((f) => f.personId)];
  }
  const rows = await runHop(deps, sources, exclude, margin);
  const cased = await activeCasesAmong(deps, [...new Set(rows.flatMap((r) => (r.contact ? [r.contact.personId] : [])))]);
  const found = groupByPerson(
    rows.filter((r) => !r.contact || !cased.has(r.contact.personId)),
    input.degree,
  );

  let created = 0;
  await deps.db.transaction(async (tx) => {
    if (input.degree === 1) {
      const visits = new Map(rows.map((r) => [r.sourceCheckinId, r]));
      if (visits.size)
        await tx
          .insert(caseVisits)
          .values(
            [...visits.values()].map((v) => ({
              caseId: c.id,
              provinceCode: v.provinceCode,
              communeCode: v.communeCode,
              venueId: v.venueId,
              checkinId: v.sourceCheckinId,
              visitStart: v.visitStart,
              visitEnd: v.visitEnd,
            })),
          )
          .onConflictDoUpdate({
            target: [caseVisits.caseId, caseVisits.checkinId],
            set: { visitStart: sql`excluded.visit_start`, visitEnd: sql`excluded.visit_end` },
          });
    }
    for (let i = 0; i < found.length; i += 500) {
      const chunk = found.slice(i, i + 500);
      const stored = await tx
        .insert(contacts)
        .values(
          chunk.map((f) => ({
            caseId: c.id,
            caseProvinceCode: c.provinceCode,
            provinceCode: f.provinceCode,
            communeCode: f.communeCode,
            personId: f.personId,
            degree: f.degree,
            source: "venue" as const,
            viaContactId: f.viaContactId,
            venueId: f.venueId,
            firstExposureAt: f.first,
            lastExposureAt: f.last,
            minutesTogether: f.minutes,
            quarantineUntil: quarantineEnd(deps.config, f.last),
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [contacts.caseId, contacts.personId],
          set: {
            // Re-exposure restarts the window and re-opens a released contact.
            status: sql`case when ${contacts.status} = 'released' and excluded.last_exposure_at > ${contacts.lastExposureAt} then 'identified' else ${contacts.status} end`,
            firstExposureAt: sql`least(${contacts.firstExposureAt}, excluded.first_exposure_at)`,
            lastExposureAt: sql`greatest(${contacts.lastExposureAt}, excluded.last_exposure_at)`,
            minutesTogether: sql`greatest(${contacts.minutesTogether}, excluded.minutes_together)`,
            quarantineUntil: sql`greatest(${contacts.quarantineUntil}, excluded.quarantine_until)`,
            viaContactId: sql`case when excluded.degree < ${contacts.degree} then null else ${contacts.viaContactId} end`,
            degree: sql`least(${contacts.degree}, excluded.degree)`,
            venueId: sql`coalesce(${contacts.venueId}, excluded.venue_id)`,
            updatedAt: now,
          },
        })
        .returning({ id: contacts.id, personId: contacts.personId, inserted: sql<boolean>`(xmax = 0)` });
      const idOf = new Map(stored.map((s) => [s.personId, s.id]));
      created += stored.filter((s) => s.inserted === true || String(s.inserted) === "true").length;
      const evidence = chunk.flatMap((f) =>
        f.evidence.map((r) => ({
          contactId: idOf.get(f.personId)!,
          caseId: c.id,
          provinceCode: r.provinceCode,
          venueId: r.venueId,
          checkinId: r.contact!.checkinId,
          sourceCheckinId: r.sourceCheckinId,
          overlapStart: r.contact!.overlapStart,
          overlapEnd: r.contact!.overlapEnd,
          minutes: r.contact!.minutes,
        })),
      );
      for (let j = 0; j < evidence.length; j += 1000) await tx.insert(exposures).values(evidence.slice(j, j + 1000)).onConflictDoNothing();
    }
    await tx
      .update(cases)
      .set({ tracedAt: now, tracedDegree: sql`greatest(${cases.tracedDegree}, ${input.degree})` })
      .where(eq(cases.id, c.id));
  });
  await recordAudit(deps, actor, {
    action: "case.trace",
    subjectType: "case",
    subjectId: c.id,
    area: c,
    details: { degree: input.degree, marginMinutes: margin, visits: new Set(rows.map((r) => r.sourceCheckinId)).size, found: found.length, created },
  });
  const result = await readTrace(deps, actor, c.id, input.degree, margin);
  return { ...result, summary: { ...result.summary, newContacts: created, ms: Math.round((performance.now() - started) * 10) / 10 } };
}

/** The stored trace: the case's visits, counts over every province, and the caller's area's contacts. */
async function readTrace(deps: Deps, actor: SignedIn, caseId: string, degree: number, margin: number) {
  const c = await findCase(deps, actor.user, caseId);
  const window = windowOf(deps, c);
  const visits = await deps.db
    .select({
      checkinId: caseVisits.checkinId,
      venueId: caseVisits.venueId,
      venueName: venues.name,
      provinceCode: caseVisits.provinceCode,
      communeCode: caseVisits.communeCode,
      start: caseVisits.visitStart,
      end: caseVisits.visitEnd,
      contacts: sql<number>`(select count(distinct e.contact_id)::int from exposures e where e.case_id = ${caseVisits.caseId} and e.source_checkin_id = ${caseVisits.checkinId})`,
    })
    .from(caseVisits)
    .leftJoin(venues, and(eq(venues.id, caseVisits.venueId), eq(venues.provinceCode, caseVisits.provinceCode)))
    .where(eq(caseVisits.caseId, c.id))
    .orderBy(asc(caseVisits.visitStart));
  const byProvince = await deps.db
    .select({
      provinceCode: contacts.provinceCode,
      f1: sql<number>`(count(*) filter (where ${contacts.degree} = 1))::int`,
      f2: sql<number>`(count(*) filter (where ${contacts.degree} = 2))::int`,
    })
    .from(contacts)
    .where(eq(contacts.caseId, c.id))
    .groupBy(contacts.provinceCode)
    .orderBy(contacts.provinceCode);
  const rows = await selectContacts(deps, and(eq(contacts.caseId, c.id), contactScope(actor.user)), undefined, 5000);
  const evidence = await exposuresOf(deps, rows.map((r) => r.c.id));
  const sum = (k: "f1" | "f2") => byProvince.reduce((n, p) => n + Number(p[k]), 0);
  return {
    caseId: c.id,
    degree,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    marginMinutes: margin,
    visits: visits.map((v) => ({ ...v, venueName: v.venueName ?? "?", start: v.start.toISOString(), end: v.end.toISOString(), contacts: Number(v.contacts) })),
    summary: {
      f1: sum("f1"),
      f2: sum("f2"),
      byProvince: byProvince.map((p) => ({ provinceCode: p.provinceCode, f1: Number(p.f1), f2: Number(p.f2) })),
      newContacts: 0,
      ms: 0,
    },
    contacts: rows.map((r) => ({ ...presentContact(r), exposures: evidence.get(r.c.id) ?? [] })),
  };
}

/** GET /cases/:id/trace: what the last traces found, audited. */
export async function getTrace(deps: Deps, actor: SignedIn, caseId: string) {
  const c = await findCase(deps, actor.user, caseId);
  await recordAudit(deps, actor, { action: "case.trace.read", subjectType: "case", subjectId: c.id, area: c });
  return readTrace(deps, actor, c.id, c.tracedDegree, deps.config.traceMarginMinutes);
}
