/**
 * GET /api/me/tests: the citizen's own and their family members' samples, newest first, with the
 * derived status and the final result (the sample's own, or negative when its pool was negative).
 * The people are found as for GET /api/me/vaccination: the account's own record (with the records
 * of the same phone and birth year, e.g. typed in at the testing site) and each family member's.
 */
import { desc, eq, inArray, sql } from "drizzle-orm";
import { testPools, testSamples, testSites } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { accountOf, familyIdsOf, peopleByIds, recordsByPerson } from "../../citizens/account";
import type { Deps } from "../../deps";
import { sampleStatusSql } from "../status";
import type { SignedIn } from "./service";

/** At most this many samples are listed (a person tested daily for a year stays below). */
const SHOWN = 500;

export async function myTests(deps: Deps, actor: SignedIn) {
  const { person } = await accountOf(deps, actor.user.id);
  const family = await peopleByIds(deps, await familyIdsOf(deps, actor.user.id));
  const byRecord = await recordsByPerson(deps, [{ person, own: true }, ...family.map((p) => ({ person: p, own: false }))]);
  const records = [...byRecord.keys()];
  const names = new Map([person, ...family].map((p) => [p.id, p.fullName]));
  const rows = records.length
    ? await deps.db
        .select({
          sampleId: testSamples.id,
          personId: testSamples.personId,
          barcode: testSamples.barcode,
          testType: testSamples.testType,
          takenAt: testSamples.takenAt,
          siteName: testSites.name,
          status: sampleStatusSql,
          result: sql<"negative" | "positive" | "invalid" | null>`coalesce(${testSamples.result}, case when ${testPools.result} = 'negative' then 'negative' end)`,
          resultAt: sql<Date | null>`(case when ${testSamples.result} is not null then ${testSamples.resultAt} when ${testPools.result} = 'negative' then ${testPools.resultAt} end)`.mapWith(testSamples.resultAt),
          poolId: testSamples.poolId,
        })
        .from(testSamples)
        .innerJoin(testSites, eq(testSites.id, testSamples.siteId))
        .leftJoin(testPools, eq(testPools.id, testSamples.poolId))
        .where(inArray(testSamples.personId, records))
        .orderBy(desc(testSamples.takenAt), desc(testSamples.id))
        .limit(SHOWN)
    : [];
  const items = rows.map((r) => {
    const personId = byRecord.get(r.personId) ?? r.personId;
    return {
      sampleId: r.sampleId,
      personId,
      fullName: names.get(personId) ?? "",
      barcode: r.barcode,
      testType: r.testType,
      takenAt: r.takenAt.toISOString(),
      siteName: r.siteName,
      status: r.status,
      result: r.result ?? null,
      resultAt: r.resultAt ? r.resultAt.toISOString() : null,
      pooled: r.poolId !== null,
    };
  });
  await recordAudit(deps, actor, {
    action: "me.tests.read",
    subjectType: "person",
    subjectId: person.id,
    area: { provinceCode: person.provinceCode, communeCode: person.communeCode },
    details: { people: 1 + family.length, samples: items.length },
  });
  return { items };
}
