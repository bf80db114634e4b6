/**
 * Samples (docs/TESTING.md "Samples and pools"): registering a swab at a testing site (a known
 * person, one typed in, one scanned from their personal health QR, or the retest of an earlier
 * sample), listing and reading them with their derived status, and what the pool code shares:
 * the scopes of samples and pools, how both are selected and shown, and the checks made under
 * the pool's row lock before a person joins it.
 *
 * Scope: officers see the samples taken at the sites of their area, site staff those of their
 * sites, lab staff those sent to their lab (alone, or in a pool sealed to it); anything else is
 * 404. Every read of a person's samples is audited.
 */
import { and, asc, desc, eq, ilike, like, or, sql, type SQL } from "drizzle-orm";
import { cases, labs, people, testPools, testSamples, testSiteStaff, testSites } from "../../../db/schema";
import type { Db } from "../../../db/client";
import { recordAudit } from "../../audit/service";
import { areaFilter, type AuthUser } from "../../auth/scope";
import { vnDay, vnDayRange } from "../../checkins/colour";
import { verifyHealthToken } from "../../citizens/health-qr";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { containsPattern } from "../../http/search";
import { personById, resolvePerson } from "../../tracing/people";
import { CodeError } from "../../venues/codes";
import { dayOf, findTestSite, type SignedIn } from "../campaigns/service";
import { sampleStatusSql, type SampleStatus } from "../status";
import { newSampleBarcode, normaliseCode } from "./barcodes";
import type { CreateSampleT, SampleListInput } from "./schemas";

export type { SignedIn };
type PoolRow = typeof testPools.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const badCursor = () => new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
export const areaOf = (r: { provinceCode: string | null; communeCode: string | null }) => ({ provinceCode: r.provinceCode, communeCode: r.communeCode });

// ---- scope ----

/** Samples a user may see (queries must left-join test_pools on the sample's pool). */
export function sampleScope(user: AuthUser): SQL | undefined {
  const base = areaFilter(user, {
    provinceCode: testSamples.provinceCode,
    communeCode: testSamples.communeCode,
    testSiteId: testSamples.siteId,
    labId: testSamples.labId,
  });
  if (user.role !== "lab_staff") return base;
  return or(base, areaFilter(user, { provinceCode: testPools.provinceCode, labId: testPools.labId }));
}

/** Pools a user may see: officers of the area, site staff of their sites, lab staff those sealed to their lab. */
export const poolScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: testPools.provinceCode, communeCode: testPools.communeCode, testSiteId: testPools.siteId, labId: testPools.labId });

// ---- unique violations (both engines; drizzle wraps the driver's error in `cause`) ----

/** The name of the unique index a write broke, or null when the error is something else. */
export function uniqueViolation(e: unknown): string | null {
  for (let err = e as Record<string, unknown> | null | undefined, depth = 0; err && depth < 5; err = err.cause as typeof err, depth++)
    if (err.code === "23505") return [err.constraint_name, err.constraint, err.detail, err.message].filter((x) => typeof x === "string").join(" ");
  return null;
}

// ---- presenting samples ----

const sampleColumns = {
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
  provinceCode: testSamples.provinceCode,
  communeCode: testSamples.communeCode,
  fullName: sql<string>`coalesce(${people.fullName}, '?')`,
  birthYear: people.birthYear,
};

export interface SampleView {
  id: string;
  barcode: string;
  campaignId: string;
  siteId: string;
  siteName: string;
  personId: string;
  testType: "pcr" | "rapid_antigen";
  takenAt: Date;
  team: string | null;
  poolId: string | null;
  poolCode: string | null;
  labId: string | null;
  result: "negative" | "positive" | "invalid" | null;
  resultAt: Date | null;
  retestOf: string | null;
  status: SampleStatus;
  provinceCode: string;
  communeCode: string;
  fullName: string;
  birthYear: number | null;
}

/** Samples with their site, pool, person and derived status, newest first. */
export async function selectSamples(db: Db, where: SQL | undefined, limit?: number, order: SQL[] = [desc(testSamples.takenAt), desc(testSamples.id)]): Promise<SampleView[]> {
  const q = db
    .select(sampleColumns)
    .from(testSamples)
    .innerJoin(testSites, eq(testSites.id, testSamples.siteId))
    .leftJoin(testPools, eq(testPools.id, testSamples.poolId))
    .leftJoin(people, eq(people.id, testSamples.personId))
    .where(where)
    .orderBy(...order);
  return (limit ? await q.limit(limit) : await q) as SampleView[];
}

export function presentSample(s: SampleView) {
  return {
    id: s.id,
    barcode: s.barcode,
    campaignId: s.campaignId,
    siteId: s.siteId,
    siteName: s.siteName,
    personId: s.personId,
    testType: s.testType,
    takenAt: s.takenAt.toISOString(),
    team: s.team,
    poolId: s.poolId,
    poolCode: s.poolCode,
    labId: s.labId,
    result: s.result,
    resultAt: s.resultAt?.toISOString() ?? null,
    retestOf: s.retestOf,
    status: s.status,
  };
}

// ---- presenting pools ----

const poolColumns = {
  pool: testPools,
  siteName: testSites.name,
  labName: labs.name,
  size: sql<number>`(select count(*)::int from test_samples m where m.pool_id = ${testPools.id})`,
};
export type PoolView = { pool: PoolRow; siteName: string; labName: string | null; size: number };

export async function selectPools(db: Db, where: SQL | undefined, limit?: number): Promise<PoolView[]> {
  const q = db
    .select(poolColumns)
    .from(testPools)
    .innerJoin(testSites, eq(testSites.id, testPools.siteId))
    .leftJoin(labs, eq(labs.id, testPools.labId))
    .where(where)
    .orderBy(desc(testPools.createdAt), desc(testPools.id));
  return (limit ? await q.limit(limit) : await q) as PoolView[];
}

export function presentPool(v: PoolView) {
  const p = v.pool;
  return {
    id: p.id,
    code: p.code,
    campaignId: p.campaignId,
    siteId: p.siteId,
    siteName: v.siteName,
    provinceCode: p.provinceCode,
    communeCode: p.communeCode,
    maxSize: Number(p.maxSize),
    size: Number(v.size),
    status: p.status,
    labId: p.labId,
    labName: v.labName,
    sealedAt: p.sealedAt?.toISOString() ?? null,
    result: p.result,
    resultAt: p.resultAt?.toISOString() ?? null,
  };
}

/** A pool the user may see, else 404. */
export async function findPool(db: Db, user: AuthUser, where: SQL): Promise<PoolView> {
  const [v] = await selectPools(db, and(where, poolScope(user)), 1);
  if (!v) throw notFound("Pool");
  return v;
}

export async function poolById(db: Db, id: string) {
  const [v] = await selectPools(db, eq(testPools.id, id), 1);
  if (!v) throw notFound("Pool");
  return presentPool(v);
}

// ---- the pool rules, checked under the pool's row lock ----

/** Locks the pool row (a concurrent add waits) and returns it as it is now. */
export async function lockPool(tx: Db, poolId: string): Promise<PoolRow> {
  const [row] = await tx.select().from(testPools).where(eq(testPools.id, poolId)).for("update");
  if (!row) throw notFound("Pool");
  return row;
}

export const poolNotOpen = (p: PoolRow) =>
  new AppError(
    "pool_not_open",
    p.status === "sealed"
      ? msg(`Mẫu gộp ${p.code} đã niêm phong, gửi phòng xét nghiệm`, `Pool ${p.code} is sealed and sent to the lab`)
      : msg(`Mẫu gộp ${p.code} đã có kết quả`, `Pool ${p.code} already has its result`),
  );

export const personInOpenPool = (code?: string) =>
  new AppError(
    "person_in_open_pool",
    code
      ? msg(`Người này đang ở mẫu gộp ${code} chưa có kết quả`, `This person is already in pool ${code}, which has no result yet`)
      : msg("Người này đang ở một mẫu gộp khác chưa có kết quả", "This person is already in another pool without a result"),
  );

/** With the pool locked: still open, not full, and the person in no other open pool. */
export async function checkPoolTakes(tx: Db, pool: PoolRow, personId: string) {
  if (pool.status !== "open") throw poolNotOpen(pool);
  const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(testSamples).where(eq(testSamples.poolId, pool.id));
  if (Number(n?.n ?? 0) >= Number(pool.maxSize))
    throw new AppError("pool_full", msg(`Mẫu gộp ${pool.code} đã đủ ${pool.maxSize} mẫu`, `Pool ${pool.code} already holds ${pool.maxSize} samples`));
  const [other] = await tx
    .select({ code: testPools.code })
    .from(testSamples)
    .innerJoin(testPools, eq(testPools.id, testSamples.poolId))
    .where(and(eq(testSamples.personId, personId), eq(testSamples.poolOpen, true)))
    .limit(1);
  if (other) throw personInOpenPool(other.code);
}

/** Turns a broken unique index into the rule it enforces; rethrows anything else. */
export function ruleOfUniqueViolation(e: unknown): never {
  const which = uniqueViolation(e);
  if (which?.includes("test_samples_one_open_pool_idx")) throw personInOpenPool();
  if (which?.includes("test_samples_one_retest_idx"))
    throw new AppError("retest_not_needed", msg("Mẫu này đã được lấy mẫu xét nghiệm lại", "A retest was already taken for this sample"), [
      { path: "retestOf", message: msg("Đã có mẫu xét nghiệm lại", "Already retested") },
    ]);
  throw e;
}

// ---- register a sample ----

const RETEST_WHEN: readonly SampleStatus[] = ["retest_needed", "invalid"];
/** Clocks of phones and desks drift: a sample "taken" a few minutes ahead is accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** POST /api/test-samples. */
export async function createSample(deps: Deps, actor: SignedIn, input: CreateSampleT) {
  const { user } = actor;
  const now = deps.now();
  const { site, campaign } = await findTestSite(deps, user, input.siteId);
  const area = { provinceCode: site.provinceCode, communeCode: site.communeCode };
  if (site.status !== "active") throw new AppError("conflict", msg("Điểm lấy mẫu đã đóng", "The testing site is closed"));
  const takenAt = input.takenAt ? new Date(input.takenAt) : now;
  if (takenAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw new AppError("validation_failed", "takenAt is in the future", [{ path: "takenAt", message: msg("Thời điểm lấy mẫu ở tương lai", "The time taken is in the future") }]);
  const day = vnDay(takenAt);
  if (campaign.status !== "open" || day < dayOf(campaign.startsOn) || day > dayOf(campaign.endsOn))
    throw new AppError(
      "campaign_closed",
      campaign.status !== "open"
        ? msg(`Đợt xét nghiệm "${campaign.name}" đã đóng`, `The campaign "${campaign.name}" is closed`)
        : msg(
            `Đợt xét nghiệm "${campaign.name}" lấy mẫu từ ${dayOf(campaign.startsOn)} đến ${dayOf(campaign.endsOn)}`,
            `The campaign "${campaign.name}" takes samples from ${dayOf(campaign.startsOn)} to ${dayOf(campaign.endsOn)}`,
          ),
    );

  // The sample this one retests: visible to the caller, and needing a retest.
  let retested: SampleView | undefined;
  if (input.retestOf) {
    [retested] = await selectSamples(deps.db, and(eq(testSamples.id, input.retestOf), sampleScope(user)), 1);
    if (!retested)
      throw new AppError("not_found", msg("Không tìm thấy mẫu cần xét nghiệm lại", "No such sample to retest"), [
        { path: "retestOf", message: msg("Không tìm thấy mẫu", "No such sample") },
      ]);
    if (!RETEST_WHEN.includes(retested.status))
      throw new AppError(
        "retest_not_needed",
        retested.status === "retested"
          ? msg(`Mẫu ${retested.barcode} đã được lấy mẫu xét nghiệm lại`, `A retest was already taken for sample ${retested.barcode}`)
          : msg(`Mẫu ${retested.barcode} không cần xét nghiệm lại`, `Sample ${retested.barcode} does not need a retest`),
        [{ path: "retestOf", message: msg(`Trạng thái của mẫu: ${retested.status}`, `The sample's status: ${retested.status}`) }],
      );
    if (input.personId && input.personId !== retested.personId)
      throw new AppError("validation_failed", "The retest is someone else's", [
        { path: "personId", message: msg("Mẫu xét nghiệm lại phải của cùng một người", "A retest is of the same person") },
      ]);
    if (takenAt < retested.takenAt)
      throw new AppError("validation_failed", "The retest is taken before the sample it retests", [
        { path: "takenAt", message: msg("Mẫu xét nghiệm lại lấy trước mẫu ban đầu", "The retest is taken before the first sample") },
      ]);
  }

  // An individual PCR sent to a lab of the campaign's province.
  if (input.labId) {
    if (campaign.testType !== "pcr")
      throw new AppError("validation_failed", "Only PCR samples go to a lab", [
        { path: "labId", message: msg("Chỉ mẫu PCR được gửi phòng xét nghiệm", "Only PCR samples go to a lab") },
      ]);
    const [lab] = await deps.db
      .select({ id: labs.id })
      .from(labs)
      .where(and(eq(labs.id, input.labId), eq(labs.active, true), eq(labs.provinceCode, campaign.provinceCode)))
      .limit(1);
    if (!lab)
      throw new AppError("validation_failed", "No such lab in the campaign's province", [
        { path: "labId", message: msg("Không có phòng xét nghiệm này trong tỉnh", "No such active lab in the province") },
      ]);
  }

  // The pool to join at once: one of the caller's, at this very site.
  if (input.poolId) {
    const pool = await findPool(deps.db, user, eq(testPools.id, input.poolId));
    if (pool.pool.siteId !== site.id)
      throw new AppError("conflict", msg(`Mẫu gộp ${pool.pool.code} thuộc điểm lấy mẫu khác`, `Pool ${pool.pool.code} belongs to another testing site`), [
        { path: "poolId", message: msg("Chỉ gộp mẫu của cùng điểm lấy mẫu", "A sample joins only a pool of its own site") },
      ]);
    if (pool.pool.status !== "open") throw poolNotOpen(pool.pool);
  }

  // Who: the retested sample's person, the person of the health QR, a record, or one typed in.
  let via: "retest" | "health_qr" | "person_id" | "typed";
  let knownPersonId: string | undefined;
  if (retested) {
    via = "retest";
    knownPersonId = retested.personId;
  } else if (input.healthQr) {
    via = "health_qr";
    try {
      knownPersonId = (await verifyHealthToken(deps.keys, input.healthQr, now)).pid;
    } catch (e) {
      if (e instanceof CodeError) throw new AppError(e.code, msg("Mã QR cá nhân không hợp lệ hoặc đã hết hạn", e.message), [{ path: "healthQr", message: e.message }]);
      throw e;
    }
    await personById(deps, knownPersonId).catch(() => {
      throw new AppError("validation_failed", "Unknown person", [{ path: "healthQr", message: msg("Không tìm thấy người của mã QR", "No such person") }]);
    });
  } else if (input.personId) {
    via = "person_id";
    knownPersonId = (await personById(deps, input.personId)).id;
  } else via = "typed";

  const [assignment] =
    user.role === "site_staff"
      ? await deps.db
          .select({ team: testSiteStaff.team })
          .from(testSiteStaff)
          .where(and(eq(testSiteStaff.siteId, site.id), eq(testSiteStaff.userId, user.id)))
          .limit(1)
      : [];

  let id: string | undefined;
  for (let attempt = 1; !id; attempt++) {
    try {
      id = await deps.db.transaction(async (tx) => {
        const txDeps: Deps = { ...deps, db: tx };
        const personId = knownPersonId ?? (await resolvePerson(txDeps, { person: input.person! }, area)).id;
        if (input.poolId) await checkPoolTakes(tx, await lockPool(tx, input.poolId), personId);
        const [row] = await tx
          .insert(testSamples)
          .values({
            ...area,
            campaignId: campaign.id,
            siteId: site.id,
            personId,
            barcode: newSampleBarcode(),
            testType: campaign.testType,
            takenAt,
            collectedBy: user.id,
            team: assignment?.team ?? null,
            poolId: input.poolId ?? null,
            poolOpen: !!input.poolId,
            retestOf: retested?.id ?? null,
            labId: input.labId ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: testSamples.id });
        await recordAudit(txDeps, actor, {
          action: "test_sample.create",
          subjectType: "test_sample",
          subjectId: row!.id,
          area,
          details: { personId, siteId: site.id, via, poolId: input.poolId ?? null, labId: input.labId ?? null, retestOf: retested?.id ?? null },
        });
        return row!.id;
      });
    } catch (e) {
      // A barcode drawn twice (2^-50 per pair): draw again.
      if (attempt < 3 && uniqueViolation(e)?.includes("test_samples_barcode_idx")) continue;
      ruleOfUniqueViolation(e);
    }
  }
  const [created] = await selectSamples(deps.db, eq(testSamples.id, id), 1);
  return presentSample(created!);
}

// ---- list and read ----

/** GET /api/test-samples: the caller's samples, newest first (keyset on taken_at, id); audited with the count. */
export async function listSamples(deps: Deps, actor: SignedIn, input: SampleListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  if (after && (typeof after[0] !== "string" || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== "string" || !UUID.test(after[1]))) throw badCursor();
  const q = input.q?.trim();
  const code = q ? normaliseCode(q) : "";
  const range = input.day ? vnDayRange(input.day) : undefined;
  const conds: (SQL | undefined)[] = [
    sampleScope(actor.user),
    input.siteId ? eq(testSamples.siteId, input.siteId) : undefined,
    input.campaignId ? eq(testSamples.campaignId, input.campaignId) : undefined,
    input.poolId ? eq(testSamples.poolId, input.poolId) : undefined,
    input.status ? sql`${sampleStatusSql} = ${input.status}` : undefined,
    range ? and(sql`${testSamples.takenAt} >= ${range.start.toISOString()}::timestamptz`, sql`${testSamples.takenAt} < ${range.end.toISOString()}::timestamptz`) : undefined,
    q
      ? or(/^S[0-9A-Z]+$/.test(code) ? like(testSamples.barcode, `${code}%`) : undefined, ilike(people.fullName, containsPattern(q)!))
      : undefined,
    after ? sql`(${testSamples.takenAt}, ${testSamples.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
  ];
  const rows = await selectSamples(deps.db, and(...conds), input.limit + 1);
  const result = page(rows, input.limit, (r) => [r.takenAt.toISOString(), r.id]);
  await recordAudit(deps, actor, {
    action: "test_samples.list",
    subjectType: "test_sample",
    area: areaOf(actor.user),
    details: {
      count: result.items.length,
      filters: { siteId: input.siteId, campaignId: input.campaignId, poolId: input.poolId, status: input.status, day: input.day, q: !!q },
    },
  });
  return {
    items: result.items.map((r) => ({ ...presentSample(r), fullName: r.fullName, birthYear: r.birthYear === null ? null : Number(r.birthYear) })),
    nextCursor: result.nextCursor,
  };
}

/** A sample the user may see, else 404. */
export async function findSample(db: Db, user: AuthUser, where: SQL): Promise<SampleView> {
  const [s] = await selectSamples(db, and(where, sampleScope(user)), 1);
  if (!s) throw notFound("Sample");
  return s;
}

/** The case this sample opened, or (a positive sample of someone already an F0) the person's active case. */
async function caseOfSample(db: Db, s: SampleView): Promise<string | null> {
  const [own] = await db.select({ id: cases.id }).from(cases).where(eq(cases.sourceSampleId, s.id)).limit(1);
  if (own) return own.id;
  if (s.status !== "positive") return null;
  const [active] = await db
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.personId, s.personId), eq(cases.status, "active")))
    .orderBy(desc(cases.createdAt))
    .limit(1);
  return active?.id ?? null;
}

async function sampleDetail(deps: Deps, actor: SignedIn, s: SampleView, how: "id" | "barcode") {
  const [person] = await deps.db
    .select({ id: people.id, fullName: people.fullName, phone: people.phone, birthYear: people.birthYear })
    .from(people)
    .where(eq(people.id, s.personId))
    .limit(1);
  const [retest] = await selectSamples(deps.db, eq(testSamples.retestOf, s.id), 1);
  const pool = s.poolId ? await poolById(deps.db, s.poolId) : null;
  const caseId = await caseOfSample(deps.db, s);
  await recordAudit(deps, actor, {
    action: "test_sample.read",
    subjectType: "test_sample",
    subjectId: s.id,
    area: areaOf(s),
    details: { personId: s.personId, by: how },
  });
  return {
    ...presentSample(s),
    person: person
      ? { ...person, birthYear: person.birthYear === null ? null : Number(person.birthYear) }
      : { id: s.personId, fullName: "?", phone: null, birthYear: null },
    pool,
    retest: retest ? presentSample(retest) : null,
    caseId,
  };
}

export async function getSample(deps: Deps, actor: SignedIn, id: string) {
  return sampleDetail(deps, actor, await findSample(deps.db, actor.user, eq(testSamples.id, id)), "id");
}

export async function getSampleByBarcode(deps: Deps, actor: SignedIn, barcode: string) {
  return sampleDetail(deps, actor, await findSample(deps.db, actor.user, eq(testSamples.barcode, normaliseCode(barcode))), "barcode");
}

/** Used by the pool code: the members of a pool in the order they were taken. */
export const poolMembers = (db: Db, poolId: string) => selectSamples(db, eq(testSamples.poolId, poolId), undefined, [asc(testSamples.takenAt), asc(testSamples.id)]);

