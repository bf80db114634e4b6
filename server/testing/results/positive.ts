/**
 * A positive individual result (rapid test, individual PCR or retest) opens exactly one F0 case
 * (docs/TESTING.md, "Rules"):
 *
 *  - inside the transaction that records the result: the case row, `source_sample_id` = the
 *    sample (unique: `on conflict do nothing`, so the same sample never opens two); the person is
 *    locked (advisory lock) so two samples of one person recorded at once still give one case, and
 *    a person who already has an active case gets none (the answer names that case);
 *  - `method` = the test type, `sampleDate` = the day the sample was taken, `confirmedOn` = the
 *    result's day (Vietnam days), area = where the person lives, else the site's commune;
 *  - a person who was an open contact: that contact (the most recent exposure) becomes `became_f0`,
 *    the case links to it and to its case, its F2s become the new case's F1s, as
 *    POST /api/contacts/{id}/confirm does; the person's other open contacts also become `became_f0`;
 *  - after the commit: audited (`case.create`, under the user who recorded the result) and traced
 *    (F1) at once with traceHop, which records that user in the `case.trace` audit row without
 *    requiring a tracing role.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cases, people, type TEST_TYPES } from "../../../db/schema";
import { recordAudit, type Actor } from "../../audit/service";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { contactsBecameCase, openContactsOf } from "../../tracing/became-case";
import { traceHop } from "../../tracing/run-trace";

export interface PositiveSample {
  id: string;
  personId: string;
  /** The site's area (where the sample was taken). */
  provinceCode: string;
  communeCode: string;
  testType: (typeof TEST_TYPES)[number];
  takenAt: Date;
  resultAt: Date;
}

export interface CaseLink {
  caseId: string;
  /** True when this call opened the case (it is then audited and traced after the commit). */
  created: boolean;
  sampleId: string;
  personId: string;
  area: { provinceCode: string; communeCode: string | null };
  sourceContactId: string | null;
}

/** The case a positive sample already opened, or the person's active case; null when none. */
export async function caseOfSample(q: Db, sample: { id: string; personId: string }): Promise<string | null> {
  const [own] = await q.select({ id: cases.id }).from(cases).where(eq(cases.sourceSampleId, sample.id)).limit(1);
  if (own) return own.id;
  const [active] = await q
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.personId, sample.personId), eq(cases.status, "active")))
    .orderBy(desc(cases.createdAt))
    .limit(1);
  return active?.id ?? null;
}

/** Whether a positive sample would open a new case now (for a dry run's count). */
export async function wouldOpenCase(q: Db, sample: { id: string; personId: string }): Promise<boolean> {
  return (await caseOfSample(q, sample)) === null;
}

/**
 * Opens the F0 case of a positive sample, or links to the one there is. Run inside the
 * transaction that records the result (`tx`), after the sample row is locked.
 */
export async function openCaseForSample(tx: Db, now: Date, userId: string, s: PositiveSample): Promise<CaseLink> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`case-of-person:${s.personId}`}))`);
  const [person] = await tx.select({ provinceCode: people.provinceCode, communeCode: people.communeCode }).from(people).where(eq(people.id, s.personId)).limit(1);
  const area = person?.communeCode ? { provinceCode: person.provinceCode, communeCode: person.communeCode } : { provinceCode: s.provinceCode, communeCode: s.communeCode };
  const existing = await caseOfSample(tx, s);
  if (existing) return { caseId: existing, created: false, sampleId: s.id, personId: s.personId, area, sourceContactId: null };

  const open = await openContactsOf(tx, s.personId).for("update");
  const source = open[0] ?? null;

  const [row] = await tx
    .insert(cases)
    .values({
      ...area,
      personId: s.personId,
      confirmedOn: vnDay(s.resultAt),
      method: s.testType,
      sampleDate: vnDay(s.takenAt),
      sourceSampleId: s.id,
      sourceCaseId: source?.caseId ?? null,
      sourceContactId: source?.id ?? null,
      createdBy: userId,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: cases.sourceSampleId })
    .returning({ id: cases.id, provinceCode: cases.provinceCode });
  if (!row) {
    // Opened by another transaction between our read and our insert (the sample lock makes this rare).
    const [other] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.sourceSampleId, s.id)).limit(1);
    return { caseId: other!.id, created: false, sampleId: s.id, personId: s.personId, area, sourceContactId: null };
  }

  // Every open contact of the person became the case; the source contact's F2s are its F1s.
  if (source) await contactsBecameCase(tx, open.map((c) => c.id), source.id, row, now);
  return { caseId: row.id, created: true, sampleId: s.id, personId: s.personId, area, sourceContactId: source?.id ?? null };
}

/**
 * After the commit: each case opened is audited under the user who recorded the result and traced
 * (F1) at once. A trace that fails is logged, not thrown: the result is recorded and the officer
 * can run the trace again from the case.
 */
export async function afterCasesOpened(deps: Deps, actor: Actor, links: CaseLink[]): Promise<void> {
  for (const link of links) {
    if (!link.created) continue;
    await recordAudit(deps, actor, {
      action: "case.create",
      subjectType: "case",
      subjectId: link.caseId,
      area: link.area,
      details: { personId: link.personId, sampleId: link.sampleId, sourceContactId: link.sourceContactId, from: "test_result" },
    });
    try {
      const [c] = await deps.db.select().from(cases).where(eq(cases.id, link.caseId)).limit(1);
      if (c) await traceHop(deps, actor, c, { degree: 1 });
    } catch (e) {
      deps.log.error("trace of a case opened by a test result failed", { caseId: link.caseId, error: String(e) });
    }
  }
}
