/**
 * Running a trace and reading it back. A hop (trace.ts) finds the overlaps; this file turns them
 * into contacts (one per case and person, evidence in `exposures`), records the case's visits,
 * and answers with the visits, the summary over every province and the caller's area's contacts.
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { pgArray } from "../../db/client";
import { caseVisits, contacts, venues, type Case } from "../../db/schema";
import { recordAudit, type Actor, type AuditEntry } from "../audit/service";
import type { Deps } from "../deps";
import { assertWriter, findCase, windowOf, type SignedIn } from "./cases";
import { contactScope, exposuresOf, presentContact, selectContactPage } from "./contact-view";
import { runHop, type HopRow, type HopStart } from "./trace";
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

/**
 * Stores a hop's result in ONE statement (so it is atomic and one round trip): the case's visits,
 * the contacts (upserted: re-exposure extends the quarantine and re-opens a released contact; a
 * person found nearer becomes F1), their evidence, and the case's traced mark. Rows travel as
 * arrays (unnest), so the text is the same whatever the size and stays prepared.
 */
const STORE_SQL = `
with found as (
  select * from unnest($3::uuid[], $4::text[], $5::text[], $6::int[], $7::uuid[], $8::uuid[], $9::timestamptz[], $10::timestamptz[], $11::int[], $12::date[])
    as f(person_id, province_code, commune_code, degree, via_contact_id, venue_id, first_exposure_at, last_exposure_at, minutes_together, quarantine_until)
), up as (
  insert into contacts as k (case_id, case_province_code, province_code, commune_code, person_id, degree, source, via_contact_id, venue_id,
    first_exposure_at, last_exposure_at, minutes_together, quarantine_until, created_at, updated_at)
  select $1, $2, province_code, nullif(commune_code, ''), person_id, degree, 'venue', via_contact_id, venue_id,
    first_exposure_at, last_exposure_at, minutes_together, quarantine_until, $13, $13
  from found
  on conflict (case_id, person_id) do update set
    status = case when k.status = 'released' and excluded.last_exposure_at > k.last_exposure_at then 'identified' else k.status end,
    first_exposure_at = least(k.first_exposure_at, excluded.first_exposure_at),
    last_exposure_at = greatest(k.last_exposure_at, excluded.last_exposure_at),
    minutes_together = greatest(k.minutes_together, excluded.minutes_together),
    quarantine_until = greatest(k.quarantine_until, excluded.quarantine_until),
    via_contact_id = case when excluded.degree < k.degree then null else k.via_contact_id end,
    degree = least(k.degree, excluded.degree),
    venue_id = coalesce(k.venue_id, excluded.venue_id),
    updated_at = excluded.updated_at
  returning k.id, k.person_id, (xmax = 0) as inserted
), ev as (
  insert into exposures (contact_id, case_id, province_code, venue_id, checkin_id, source_checkin_id, overlap_start, overlap_end, minutes)
  select up.id, $1, e.province_code, e.venue_id, e.checkin_id, e.source_checkin_id, e.overlap_start, e.overlap_end, e.minutes
  from unnest($14::uuid[], $15::text[], $16::uuid[], $17::uuid[], $18::uuid[], $19::timestamptz[], $20::timestamptz[], $21::int[])
    as e(person_id, province_code, venue_id, checkin_id, source_checkin_id, overlap_start, overlap_end, minutes)
  join up on up.person_id = e.person_id
  on conflict do nothing
  returning 1
), cv as (
  insert into case_visits (case_id, province_code, commune_code, venue_id, checkin_id, visit_start, visit_end)
  select $1, v.province_code, nullif(v.commune_code, ''), v.venue_id, v.checkin_id, v.visit_start, v.visit_end
  from unnest($22::text[], $23::text[], $24::uuid[], $25::uuid[], $26::timestamptz[], $27::timestamptz[])
    as v(province_code, commune_code, venue_id, checkin_id, visit_start, visit_end)
  on conflict (case_id, checkin_id) do update set visit_start = excluded.visit_start, visit_end = excluded.visit_end
  returning 1
), traced as (
  update cases set traced_at = $13, traced_degree = greatest(traced_degree, $28::smallint) where id = $1 returning 1
)
select (select count(*) from up where inserted)::int as created,
  (select count(*) from ev)::int as exposures, (select count(*) from cv)::int as visits, (select count(*) from traced)::int as traced`;

async function storeTrace(deps: Deps, c: Case, degree: 1 | 2, now: Date, visitRows: HopRow[], found: Found[]): Promise<number> {
  const visits = [...new Map(visitRows.map((r) => [r.sourceCheckinId, r])).values()];
  const evidence = found.flatMap((f) => f.evidence.map((r) => ({ personId: f.personId, r, c: r.contact! })));
  const iso = (d: Date) => d.toISOString();
  const [result] = await deps.database.run<{ created: number }>(STORE_SQL, [
    c.id,
    c.provinceCode,
    pgArray(found.map((f) => f.personId)),
    pgArray(found.map((f) => f.provinceCode)),
    pgArray(found.map((f) => f.communeCode ?? "")),
    pgArray(found.map((f) => f.degree)),
    pgArray(found.map((f) => f.viaContactId)),
    pgArray(found.map((f) => f.venueId)),
    pgArray(found.map((f) => iso(f.first))),
    pgArray(found.map((f) => iso(f.last))),
    pgArray(found.map((f) => f.minutes)),
    pgArray(found.map((f) => quarantineEnd(deps.config, f.last))),
    iso(now),
    pgArray(evidence.map((e) => e.personId)),
    pgArray(evidence.map((e) => e.r.provinceCode)),
    pgArray(evidence.map((e) => e.r.venueId)),
    pgArray(evidence.map((e) => e.c.checkinId)),
    pgArray(evidence.map((e) => e.r.sourceCheckinId)),
    pgArray(evidence.map((e) => iso(e.c.overlapStart))),
    pgArray(evidence.map((e) => iso(e.c.overlapEnd))),
    pgArray(evidence.map((e) => e.c.minutes)),
    pgArray(visits.map((v) => v.provinceCode)),
    pgArray(visits.map((v) => v.communeCode ?? "")),
    pgArray(visits.map((v) => v.venueId)),
    pgArray(visits.map((v) => v.sourceCheckinId)),
    pgArray(visits.map((v) => iso(v.visitStart))),
    pgArray(visits.map((v) => iso(v.visitEnd))),
    degree,
  ]);
  return Number(result?.created ?? 0);
}

/** Runs one hop for a case (degree 1 from its visits, 2 from its F1s') and stores what it finds. */
export async function traceCase(deps: Deps, actor: SignedIn, id: string, input: HopInput, timing: Timing = () => {}) {
  assertWriter(actor.user);
  const started = performance.now();
  const c = await findCase(deps, actor.user, id);
  timing("case", performance.now() - started);
  const hop = await hopAndStore(deps, c, input, timing);
  // The audit row and the read-back are independent: written and read at the same time.
  const t0 = performance.now();
  const [result] = await Promise.all([readTrace(deps, actor, c, input.degree, hop.margin), recordAudit(deps, actor, hop.audit)]);
  timing("read", performance.now() - t0);
  return { ...result, summary: { ...result.summary, newContacts: hop.created, ms: Math.round((performance.now() - started) * 10) / 10 } };
}

/** Where a trace's time went, phase by phase (the route sends it as a Server-Timing header). */
export type Timing = (phase: "case" | "hop" | "store" | "read", ms: number) => void;

/**
 * The hop itself for a case already found, audited as `case.trace` under the actor, with no role
 * or area check of its own: traceCase checks the officer; a positive test result (server/testing/
 * results/positive.ts) traces the case it opened at once, under the lab or site user who recorded it.
 */
export async function traceHop(deps: Deps, actor: Actor, c: Case, input: HopInput) {
  const hop = await hopAndStore(deps, c, input);
  await recordAudit(deps, actor, hop.audit);
  return { created: hop.created, margin: hop.margin };
}

type HopInput = { degree: 1 | 2; marginMinutes?: number | undefined };

/** The hop and its storing, with the audit entry it owes (recorded by the two callers above). */
async function hopAndStore(deps: Deps, c: Case, input: HopInput, timing: Timing = () => {}): Promise<{ created: number; margin: number; audit: AuditEntry }> {
  const started = performance.now();
  const now = deps.now();
  const margin = input.marginMinutes ?? deps.config.traceMarginMinutes;
  let start: HopStart;
  if (input.degree === 1) start = { casePersonId: c.personId, window: windowOf(deps, c) };
  else {
    const f1 = await deps.db
      .select({ id: contacts.id, personId: contacts.personId, first: contacts.firstExposureAt })
      .from(contacts)
      .where(and(eq(contacts.caseId, c.id), eq(contacts.degree, 1), ne(contacts.status, "became_f0")));
    const sources = f1.map((f) => ({ personId: f.personId, from: f.first, to: now, tag: f.id }));
    start = { casePersonId: c.personId, sources, exclude: sources.map((s) => s.personId) };
  }
  const rows = await runHop(deps, start, margin);
  const found = groupByPerson(rows, input.degree);

  const stored = performance.now();
  timing("hop", stored - started);
  const created = await storeTrace(deps, c, input.degree, now, input.degree === 1 ? rows : [], found);
  timing("store", performance.now() - stored);
  const audit: AuditEntry = {
    action: "case.trace",
    subjectType: "case",
    subjectId: c.id,
    area: c,
    details: { degree: input.degree, marginMinutes: margin, visits: new Set(rows.map((r) => r.sourceCheckinId)).size, found: found.length, created },
  };
  return { created, margin, audit };
}

/**
 * Contacts in a trace's answer (F1 first, most recent exposure first) with their evidence: the
 * first page only, so the answer stays small however many were found; the counts are in the
 * summary and the rest page through GET /api/contacts?caseId= (evidence: GET /api/contacts/:id).
 */
export const TRACE_PAGE = 50;

/** The stored trace: the case's visits, counts over every province, and the caller's area's contacts. */
async function readTrace(deps: Deps, actor: SignedIn, c: Case, degree: number, margin: number) {
  const window = windowOf(deps, c);
  // Four reads, none waiting for another (the evidence waits only for its page of contacts): on
  // PostgreSQL they run on separate pool connections at once; PGlite takes them in turn.
  const visitsQuery = deps.db
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
  const byProvinceQuery = deps.db
    .select({
      provinceCode: contacts.provinceCode,
      f1: sql<number>`(count(*) filter (where ${contacts.degree} = 1))::int`,
      f2: sql<number>`(count(*) filter (where ${contacts.degree} = 2))::int`,
    })
    .from(contacts)
    .where(eq(contacts.caseId, c.id))
    .groupBy(contacts.provinceCode)
    .orderBy(contacts.provinceCode);
  const pageQuery = selectContactPage(deps, and(eq(contacts.caseId, c.id), contactScope(actor.user)), undefined, TRACE_PAGE + 1).then(async (rows) => {
    const more = rows.length > TRACE_PAGE;
    if (more) rows.length = TRACE_PAGE;
    return { rows, more, evidence: await exposuresOf(deps, rows.map((r) => r.c.id)) };
  });
  const [visits, byProvince, { rows, more: moreContacts, evidence }] = await Promise.all([visitsQuery, byProvinceQuery, pageQuery]);
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
    moreContacts,
  };
}

/** GET /cases/:id/trace: what the last traces found, audited. */
export async function getTrace(deps: Deps, actor: SignedIn, caseId: string) {
  const c = await findCase(deps, actor.user, caseId);
  await recordAudit(deps, actor, { action: "case.trace.read", subjectType: "case", subjectId: c.id, area: c });
  return readTrace(deps, actor, c, c.tracedDegree, deps.config.traceMarginMinutes);
}
