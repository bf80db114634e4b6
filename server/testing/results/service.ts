/**
 * Results of single samples (docs/TESTING.md, "Results"), and what pools, batches and files share:
 * who may record which result, the time checks, and the Sample and Pool answers.
 *
 * Who records a sample's own result:
 *  - an individual PCR (sent to a lab, not in a pool): lab staff of its lab, province officers
 *    and national admins of its area;
 *  - a rapid test: site staff of its site, commune, province and national officers of its area.
 * Outside the caller's lab, site or area the sample is 404; a sample the caller can see but whose
 * kind their role may not record (a PCR for site staff or a commune officer, a rapid test for lab
 * staff) is 403. A sample in a pool takes its result from the pool (409: record the pool's).
 */
import { and, asc, count, eq, exists, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { labs, testPools, testSamples, testSites, type TestSample } from "../../../db/schema";
import { recordAudit, type Actor } from "../../audit/service";
import { areaFilter, type AuthUser } from "../../auth/scope";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { sampleStatusSql } from "../status";
import { afterCasesOpened, caseOfSample, openCaseForSample, type CaseLink } from "./positive";
import type { RecordResultT } from "./schemas";

export type SignedIn = Actor & { user: AuthUser };
type TestResult = NonNullable<TestSample["result"]>;

/** A result may be read a few minutes "in the future" of the server's clock (a lab machine's clock). */
export const CLOCK_SKEW_MS = 5 * 60_000;

export const sampleScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: testSamples.provinceCode, communeCode: testSamples.communeCode, testSiteId: testSamples.siteId, labId: testSamples.labId });
export const poolScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: testPools.provinceCode, communeCode: testPools.communeCode, testSiteId: testPools.siteId, labId: testPools.labId });

const RESULT_WORDS: Record<TestResult, string> = { negative: "âm tính / negative", positive: "dương tính / positive", invalid: "không xác định / invalid" };

export const resultConflict = (was: TestResult) =>
  new AppError("result_conflict", msg(`Đã ghi kết quả khác (${RESULT_WORDS[was].split(" / ")[0]})`, `A different result is already recorded (${RESULT_WORDS[was].split(" / ")[1]})`));

const badTime = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "resultAt", message: msg(vi, en) }]);

/** The result's time: now by default; never in the future, never before `notBefore` (the sample taken, the pool sealed). */
export function resultTime(deps: Deps, given: string | undefined, notBefore: Date | null): Date {
  const at = given ? new Date(given) : deps.now();
  if (at.getTime() > deps.now().getTime() + CLOCK_SKEW_MS) throw badTime("Thời gian có kết quả ở tương lai", "The result time is in the future");
  if (notBefore && at < notBefore) throw badTime("Thời gian có kết quả trước khi lấy mẫu hoặc niêm phong", "The result time is before the sample was taken or the pool sealed");
  return at;
}

/** Whether the caller's role records a result of this kind of sample (403 otherwise). */
export function mayRecordSample(user: AuthUser, s: Pick<TestSample, "testType">): boolean {
  if (s.testType === "rapid_antigen") return ["site_staff", "commune_officer", "province_officer", "national_admin"].includes(user.role);
  return ["lab_staff", "province_officer", "national_admin"].includes(user.role);
}

/** Why a sample the caller may record cannot take an individual result now, or null. */
export function sampleNotReady(s: Pick<TestSample, "poolId" | "testType" | "labId">): AppError | null {
  if (s.poolId) return new AppError("conflict", msg("Mẫu nằm trong mẫu gộp: ghi kết quả của mẫu gộp", "The sample is in a pool: record the pool's result"));
  if (s.testType === "pcr" && !s.labId) return new AppError("conflict", msg("Mẫu chưa được gửi tới phòng xét nghiệm", "The sample has not been sent to a lab"));
  return null;
}

// ---- answers ----

const sampleView = {
  id: testSamples.id,
  barcode: testSamples.barcode,
  campaignId: testSamples.campaignId,
  siteId: testSamples.siteId,
  siteName: testSites.name,
  personId: testSamples.personId,
  testType: testSamples.testType,
  takenAt: testSamples.takenAt,
  team: testSamples.team,
  poolId: testSamples.poolId,
  poolCode: testPools.code,
  labId: testSamples.labId,
  result: testSamples.result,
  resultAt: testSamples.resultAt,
  retestOf: testSamples.retestOf,
  status: sampleStatusSql,
};

export async function presentSample(q: Db, id: string) {
  const [s] = await q
    .select(sampleView)
    .from(testSamples)
    .innerJoin(testSites, eq(testSites.id, testSamples.siteId))
    .leftJoin(testPools, eq(testPools.id, testSamples.poolId))
    .where(eq(testSamples.id, id))
    .limit(1);
  if (!s) throw notFound("Sample");
  return { ...s, siteName: s.siteName, takenAt: s.takenAt.toISOString(), resultAt: s.resultAt?.toISOString() ?? null };
}

export async function presentPool(q: Db, id: string) {
  const [p] = await q
    .select({
      id: testPools.id,
      code: testPools.code,
      campaignId: testPools.campaignId,
      siteId: testPools.siteId,
      siteName: testSites.name,
      provinceCode: testPools.provinceCode,
      communeCode: testPools.communeCode,
      maxSize: testPools.maxSize,
      size: sql<number>`(select count(*)::int from test_samples m where m.pool_id = ${testPools.id})`,
      status: testPools.status,
      labId: testPools.labId,
      labName: labs.name,
      sealedAt: testPools.sealedAt,
      result: testPools.result,
      resultAt: testPools.resultAt,
    })
    .from(testPools)
    .innerJoin(testSites, eq(testSites.id, testPools.siteId))
    .leftJoin(labs, eq(labs.id, testPools.labId))
    .where(eq(testPools.id, id))
    .limit(1);
  if (!p) throw notFound("Pool");
  return {
    ...p,
    maxSize: Number(p.maxSize),
    size: Number(p.size),
    labName: p.labName ?? null,
    sealedAt: p.sealedAt?.toISOString() ?? null,
    resultAt: p.resultAt?.toISOString() ?? null,
  };
}

/** A pool's members and their derived status, by time taken. */
export async function poolMembers(q: Db, poolId: string) {
  return q
    .select({ sampleId: testSamples.id, status: sampleStatusSql })
    .from(testSamples)
    .leftJoin(testPools, eq(testPools.id, testSamples.poolId))
    .where(eq(testSamples.poolId, poolId))
    .orderBy(asc(testSamples.takenAt), asc(testSamples.id));
}

export const poolSize = async (q: Db, poolId: string) => Number((await q.select({ n: count() }).from(testSamples).where(eq(testSamples.poolId, poolId)))[0]?.n ?? 0);

// ---- one sample ----

/**
 * POST /api/test-samples/{id}/result. The sample row is locked: the same result again is a no-op
 * (200, nothing changes; a positive answers its case), a different one 409 result_conflict.
 */
export async function recordSampleResult(deps: Deps, actor: SignedIn, id: string, input: RecordResultT) {
  // Lab staff also see the members of their lab's pools (to be told to record the pool's result).
  // (No filter at all, for national admins, stays no filter.)
  const scope = sampleScope(actor.user);
  const inMyPool = exists(
    deps.db
      .select({ one: sql`1` })
      .from(testPools)
      .where(and(eq(testPools.id, testSamples.poolId), poolScope(actor.user))),
  );
  const [found] = await deps.db
    .select()
    .from(testSamples)
    .where(and(eq(testSamples.id, id), scope === undefined ? undefined : or(scope, inMyPool)))
    .limit(1);
  if (!found) throw notFound("Sample");
  if (!mayRecordSample(actor.user, found))
    throw new AppError(
      "forbidden",
      found.testType === "pcr"
        ? msg("Kết quả PCR do phòng xét nghiệm hoặc cán bộ tỉnh ghi", "PCR results are recorded by the lab or province officers")
        : msg("Kết quả test nhanh do điểm lấy mẫu ghi", "Rapid test results are recorded at the testing site"),
    );
  const notReady = sampleNotReady(found);
  if (notReady) throw notReady;
  const resultAt = resultTime(deps, input.resultAt, found.takenAt);

  const outcome = await deps.db.transaction(async (tx) => {
    const [s] = await tx.select().from(testSamples).where(eq(testSamples.id, id)).for("update");
    if (!s) throw notFound("Sample");
    if (s.result) {
      if (s.result !== input.result) throw resultConflict(s.result);
      return { changed: false, link: null as CaseLink | null, caseId: s.result === "positive" ? await caseOfSample(tx, s) : null };
    }
    const now = deps.now();
    await tx.update(testSamples).set({ result: input.result, resultAt, resultBy: actor.user.id, updatedAt: now }).where(eq(testSamples.id, id));
    const link = input.result === "positive" ? await openCaseForSample(tx, now, actor.user.id, { ...s, resultAt }) : null;
    return { changed: true, link, caseId: link?.caseId ?? null };
  });

  if (outcome.changed) {
    await recordAudit(deps, actor, {
      action: "test_sample.result",
      subjectType: "test_sample",
      subjectId: id,
      area: { provinceCode: found.provinceCode, communeCode: found.communeCode },
      details: { result: input.result, resultAt: resultAt.toISOString(), caseId: outcome.caseId, caseOpened: outcome.link?.created ?? false },
    });
    if (outcome.link) await afterCasesOpened(deps, actor, [outcome.link]);
  }
  const sample = await presentSample(deps.db, id);
  return outcome.caseId ? { sample, caseId: outcome.caseId } : { sample };
}
