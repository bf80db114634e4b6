/**
 * Test certificates (docs/TESTING.md "Test certificates"): a person's final COVID-19 test result
 * as a SMART Health Card with one FHIR Observation, signed with the vaccination card's key, rid and
 * revocation (revoking a person's cards revokes both kinds). Read straight from the registry:
 * test_samples with their pool, site and lab; a result is final when the sample's derived status
 * (server/testing/status.ts) is negative, positive or invalid, so a member of a positive pool
 * waiting for its retest, or an invalid sample already retested, has no certificate.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { labs, testPools, testSamples, testSites } from "../../db/schema";
import { recordAudit } from "../audit/service";
import { familyIdsOf, ownPerson, peopleByIds, recordsByPerson, recordsOfPerson } from "../citizens/account";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { msg } from "../http/fields";
import { sampleStatusSql } from "../testing/status";
import { fhirBundle, healthCardPayload, TEST_CARD_TYPES, testObservation } from "./fhir";
import { cardQr, cardRid, signCard } from "./issue";
import { areaOf, personInArea, revokedUntil, type CardFormat, type CardPerson, type SignedIn } from "./service";
import { jwsToNumeric, type CardTestResult, type CardTestType } from "./shc";

/** A final result as the registry holds it. */
export interface RegistryTest {
  sampleId: string;
  personId: string;
  barcode: string;
  testType: CardTestType;
  takenAt: string;
  result: CardTestResult;
  /** When the result was recorded (the sample's own, or its pool's). */
  resultAt: string | null;
  siteName: string;
  /** The lab that ran it (null for a rapid test read at the site). */
  labName: string | null;
  /** Who the card names as performer: the lab, else the site. */
  performer: string;
}

export interface IssuedTestCard {
  person: CardPerson;
  jws: string;
  qr: string;
  issuedAt: string;
  test: RegistryTest;
}

const FINAL = ["negative", "positive", "invalid"] as const;
const sampleLab = alias(labs, "sample_lab");
const poolLab = alias(labs, "pool_lab");

/** The final results among `recordIds`' samples (or the one sample named), latest sample first. */
export async function finalTests(deps: Deps, recordIds: string[], sampleId?: string, limit = 1): Promise<RegistryTest[]> {
  if (!recordIds.length) return [];
  const rows = await deps.db
    .select({
      sampleId: testSamples.id,
      personId: testSamples.personId,
      barcode: testSamples.barcode,
      testType: testSamples.testType,
      takenAt: testSamples.takenAt,
      status: sampleStatusSql,
      ownResult: testSamples.result,
      ownResultAt: testSamples.resultAt,
      poolResultAt: testPools.resultAt,
      siteName: testSites.name,
      sampleLab: sampleLab.name,
      poolLab: poolLab.name,
    })
    .from(testSamples)
    .innerJoin(testSites, eq(testSites.id, testSamples.siteId))
    .leftJoin(testPools, eq(testPools.id, testSamples.poolId))
    .leftJoin(sampleLab, eq(sampleLab.id, testSamples.labId))
    .leftJoin(poolLab, eq(poolLab.id, testPools.labId))
    .where(and(inArray(testSamples.personId, recordIds), sampleId ? eq(testSamples.id, sampleId) : undefined, sql`${sampleStatusSql} in ('negative', 'positive', 'invalid')`))
    .orderBy(desc(testSamples.takenAt), desc(testSamples.createdAt))
    .limit(limit);
  return rows.flatMap((r) => {
    const result = FINAL.find((f) => f === r.status);
    if (!result) return [];
    // The sample's own result (rapid, individual PCR, retest) or its pool's.
    const own = r.ownResult !== null;
    const labName = own ? r.sampleLab : r.poolLab;
    const resultAt = own ? r.ownResultAt : r.poolResultAt;
    return [
      {
        sampleId: r.sampleId,
        personId: r.personId,
        barcode: r.barcode,
        testType: r.testType,
        takenAt: r.takenAt.toISOString(),
        result,
        resultAt: resultAt ? resultAt.toISOString() : null,
        siteName: r.siteName,
        labName,
        performer: labName ?? r.siteName,
      },
    ];
  });
}

const noTests = (sample: boolean) =>
  new AppError(
    "no_tests",
    sample
      ? msg("Mẫu xét nghiệm này chưa có kết quả cuối cùng", "This sample has no final result yet")
      : msg("Chưa có kết quả xét nghiệm nào cho người này", "No test result is recorded for this person"),
  );

/**
 * Signs the person's test card now: the latest final result among `recordIds` (the person's own
 * record by default), or the sample named; none → 404 no_tests. The card's rid is the person's.
 */
export async function issueTestCard(deps: Deps, person: CardPerson, recordIds: string[] = [person.id], sampleId?: string): Promise<IssuedTestCard> {
  if (!person.fullName.trim())
    throw new AppError("validation_failed", msg("Hồ sơ chưa có họ tên: nhập họ tên trước khi lấy giấy chứng nhận", "The profile has no name: enter the full name before getting the certificate"), [
      { path: "fullName", message: msg("Nhập họ tên", "Enter the full name") },
    ]);
  const [test] = await finalTests(deps, recordIds, sampleId);
  if (!test) throw noTests(!!sampleId);
  const key = deps.keys.signing("shc");
  const nbf = Math.max(Math.floor(deps.now().getTime() / 1000), await revokedUntil(deps, key.kid, person.id));
  const patient = { fullName: person.fullName, birthDate: person.birthDate ?? (person.birthYear ? String(person.birthYear) : null) };
  const rid = cardRid(deps.keys, key.kid, person.id);
  // One Observation fits a QR far below version 22; a performer's name is the only free text, so
  // an absurdly long one is left out rather than refusing the card.
  for (const performer of [test.performer, null]) {
    const bundle = fhirBundle(patient, [testObservation({ testType: test.testType, takenAt: new Date(test.takenAt), result: test.result, performer })]);
    const jws = await signCard(key, healthCardPayload({ iss: deps.config.publicUrl, nbf, bundle, rid, types: TEST_CARD_TYPES }));
    try {
      cardQr(jws);
    } catch (e) {
      if (e instanceof RangeError && performer) continue;
      throw e;
    }
    return { person, jws, qr: jwsToNumeric(jws), issuedAt: new Date(nbf * 1000).toISOString(), test };
  }
  throw new Error("unreachable");
}

async function auditIssue(deps: Deps, actor: SignedIn, card: IssuedTestCard, format: CardFormat, action: string) {
  await recordAudit(deps, actor, {
    action,
    subjectType: "person",
    subjectId: card.person.id,
    area: areaOf(card.person),
    details: { format, kind: "test", sampleId: card.test.sampleId },
  });
}

/**
 * A citizen's test card, or a family member's: `personId` names the family member (anyone else's
 * is 404); `sampleId` names a sample of the account's own records or its family's (anyone else's
 * is 404). The account's own tests include those of its records with the same phone and birth
 * year, as GET /api/me/tests shows them.
 */
export async function myTestCard(deps: Deps, actor: SignedIn, ask: { personId?: string | undefined; sampleId?: string | undefined }, format: CardFormat): Promise<IssuedTestCard> {
  const asked = await ownPerson(deps, actor.user.id, ask.personId);
  let person = asked.person;
  let recordIds = await recordsOfPerson(deps, asked.person, asked.own);
  if (ask.sampleId) {
    const [sample] = await deps.db.select({ personId: testSamples.personId }).from(testSamples).where(eq(testSamples.id, ask.sampleId)).limit(1);
    const candidates = [{ person: asked.person, own: asked.own }];
    if (!ask.personId) for (const p of await peopleByIds(deps, await familyIdsOf(deps, actor.user.id))) candidates.push({ person: p, own: false });
    const owner = sample ? (await recordsByPerson(deps, candidates)).get(sample.personId) : undefined;
    const found = candidates.find((c) => c.person.id === owner);
    if (!sample || !found) throw notFound("Sample");
    person = found.person;
    recordIds = [sample.personId];
  }
  const card = await issueTestCard(deps, person, recordIds, ask.sampleId);
  await auditIssue(deps, actor, card, format, "certificate.issue");
  return card;
}

/** An officer prints the test card of a person of their area (404 outside it); `sampleId` must be the person's. */
export async function personTestCard(deps: Deps, actor: SignedIn, personId: string, sampleId: string | undefined, format: CardFormat): Promise<IssuedTestCard> {
  const person = await personInArea(deps, actor.user, personId);
  if (sampleId) {
    const [sample] = await deps.db
      .select({ id: testSamples.id })
      .from(testSamples)
      .where(and(eq(testSamples.id, sampleId), eq(testSamples.personId, person.id)))
      .limit(1);
    if (!sample) throw notFound("Sample");
  }
  const card = await issueTestCard(deps, person, [person.id], sampleId);
  await auditIssue(deps, actor, card, format, "certificate.print");
  return card;
}
