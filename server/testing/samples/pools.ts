/**
 * Pools (xét nghiệm gộp): opened at a site of a PCR campaign, filled with that site's samples up
 * to the campaign's pool size, sealed to a lab of the province. Every change locks the pool row,
 * so two desks adding the last place at once cannot both succeed; a person in two open pools is
 * refused by the checks and, failing those, by the unique index on test_samples.
 */
import { and, eq, like, sql, type SQL } from "drizzle-orm";
import { labs, testPools, testSamples } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { dayOf, findTestSite } from "../campaigns/service";
import { newPoolCode, normaliseCode } from "./barcodes";
import type { AddToPoolT, PoolListInput } from "./schemas";
import {
  areaOf,
  checkPoolTakes,
  findPool,
  findSample,
  lockPool,
  poolById,
  poolMembers,
  poolNotOpen,
  poolScope,
  presentPool,
  ruleOfUniqueViolation,
  selectPools,
  uniqueViolation,
  type PoolView,
  type SignedIn,
} from "./service";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** POST /api/test-pools: a new open pool at a site of a PCR campaign that is taking samples today. */
export async function createPool(deps: Deps, actor: SignedIn, siteId: string) {
  const now = deps.now();
  const { site, campaign } = await findTestSite(deps, actor.user, siteId);
  if (site.status !== "active") throw new AppError("conflict", msg("Điểm lấy mẫu đã đóng", "The testing site is closed"));
  const today = vnDay(now);
  if (campaign.status !== "open" || today < dayOf(campaign.startsOn) || today > dayOf(campaign.endsOn))
    throw new AppError("campaign_closed", msg(`Đợt xét nghiệm "${campaign.name}" không lấy mẫu hôm nay`, `The campaign "${campaign.name}" takes no samples today`));
  if (campaign.testType !== "pcr")
    throw new AppError("conflict", msg("Chỉ gộp mẫu trong đợt xét nghiệm PCR", "Only PCR campaigns pool samples"));
  const area = { provinceCode: site.provinceCode, communeCode: site.communeCode };
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await deps.db
        .insert(testPools)
        .values({ ...area, campaignId: campaign.id, siteId: site.id, code: newPoolCode(), maxSize: campaign.poolSize, createdBy: actor.user.id, createdAt: now, updatedAt: now })
        .returning();
      await recordAudit(deps, actor, { action: "test_pool.create", subjectType: "test_pool", subjectId: row!.id, area, details: { code: row!.code, siteId: site.id } });
      return poolById(deps.db, row!.id);
    } catch (e) {
      if (attempt < 3 && uniqueViolation(e)?.includes("test_pools_code_idx")) continue;
      throw e;
    }
  }
}

/** GET /api/test-pools: newest first (keyset on created_at, id). Pools carry no names: not audited. */
export async function listPools(deps: Deps, actor: SignedIn, input: PoolListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  if (after && (typeof after[0] !== "string" || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== "string" || !UUID.test(after[1])))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const code = input.q ? normaliseCode(input.q) : "";
  const conds: (SQL | undefined)[] = [
    poolScope(actor.user),
    input.siteId ? eq(testPools.siteId, input.siteId) : undefined,
    input.labId ? eq(testPools.labId, input.labId) : undefined,
    input.campaignId ? eq(testPools.campaignId, input.campaignId) : undefined,
    input.status ? eq(testPools.status, input.status) : undefined,
    code ? like(testPools.code, `${code.replace(/[\\%_]/g, "")}%`) : undefined,
    after ? sql`(${testPools.createdAt}, ${testPools.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
  ];
  const rows = await selectPools(deps.db, and(...conds), input.limit + 1);
  const result = page(rows, input.limit, (v) => [v.pool.createdAt.toISOString(), v.pool.id]);
  return { items: result.items.map(presentPool), nextCursor: result.nextCursor };
}

/** A pool with its members and their status (names: audited). */
async function poolDetail(deps: Deps, actor: SignedIn, v: PoolView) {
  const members = await poolMembers(deps.db, v.pool.id);
  await recordAudit(deps, actor, {
    action: "test_pool.read",
    subjectType: "test_pool",
    subjectId: v.pool.id,
    area: areaOf(v.pool),
    details: { code: v.pool.code, members: members.length },
  });
  return {
    ...presentPool(v),
    members: members.map((m) => ({
      sampleId: m.id,
      barcode: m.barcode,
      personId: m.personId,
      fullName: m.fullName,
      birthYear: m.birthYear === null ? null : Number(m.birthYear),
      status: m.status,
    })),
  };
}

export async function getPool(deps: Deps, actor: SignedIn, id: string) {
  return poolDetail(deps, actor, await findPool(deps.db, actor.user, eq(testPools.id, id)));
}

export async function getPoolByCode(deps: Deps, actor: SignedIn, code: string) {
  return poolDetail(deps, actor, await findPool(deps.db, actor.user, eq(testPools.code, normaliseCode(code))));
}

/** POST /api/test-pools/{id}/samples: a sample of the pool's site joins it (again: a no-op). */
export async function addToPool(deps: Deps, actor: SignedIn, poolId: string, input: AddToPoolT) {
  const { user } = actor;
  const v = await findPool(deps.db, user, eq(testPools.id, poolId));
  if (v.pool.status !== "open") throw poolNotOpen(v.pool);
  const s = await findSample(deps.db, user, input.sampleId ? eq(testSamples.id, input.sampleId) : eq(testSamples.barcode, normaliseCode(input.barcode!)));
  if (s.poolId === v.pool.id) return poolDetail(deps, actor, await findPool(deps.db, user, eq(testPools.id, poolId)));
  const refuse = (vi: string, en: string) => new AppError("conflict", msg(vi, en), [{ path: input.sampleId ? "sampleId" : "barcode", message: msg(vi, en) }]);
  if (s.siteId !== v.pool.siteId) throw refuse(`Mẫu ${s.barcode} lấy ở điểm lấy mẫu khác`, `Sample ${s.barcode} was taken at another testing site`);
  if (s.poolId) throw refuse(`Mẫu ${s.barcode} đã ở mẫu gộp ${s.poolCode}`, `Sample ${s.barcode} is already in pool ${s.poolCode}`);
  if (s.retestOf || s.labId || s.result) throw refuse(`Mẫu ${s.barcode} là mẫu đơn`, `Sample ${s.barcode} is an individual sample`);
  try {
    await deps.db.transaction(async (tx) => {
      const pool = await lockPool(tx, v.pool.id);
      await checkPoolTakes(tx, pool, s.personId);
      const [moved] = await tx
        .update(testSamples)
        .set({ poolId: pool.id, poolOpen: true, updatedAt: deps.now() })
        .where(and(eq(testSamples.id, s.id), sql`${testSamples.poolId} is null`, sql`${testSamples.result} is null`))
        .returning({ id: testSamples.id });
      if (!moved) throw refuse(`Mẫu ${s.barcode} vừa được thay đổi; thử lại`, `Sample ${s.barcode} changed meanwhile; try again`);
      await recordAudit({ ...deps, db: tx }, actor, {
        action: "test_pool.add_sample",
        subjectType: "test_pool",
        subjectId: pool.id,
        area: areaOf(pool),
        details: { sampleId: s.id, personId: s.personId },
      });
    });
  } catch (e) {
    ruleOfUniqueViolation(e);
  }
  return poolDetail(deps, actor, await findPool(deps.db, user, eq(testPools.id, poolId)));
}

/** DELETE /api/test-pools/{id}/samples/{sampleId}: only while the pool is open. */
export async function removeFromPool(deps: Deps, actor: SignedIn, poolId: string, sampleId: string) {
  const v = await findPool(deps.db, actor.user, eq(testPools.id, poolId));
  await deps.db.transaction(async (tx) => {
    const pool = await lockPool(tx, v.pool.id);
    if (pool.status !== "open") throw poolNotOpen(pool);
    const [gone] = await tx
      .update(testSamples)
      .set({ poolId: null, poolOpen: false, updatedAt: deps.now() })
      .where(and(eq(testSamples.id, sampleId), eq(testSamples.poolId, pool.id)))
      .returning({ id: testSamples.id, personId: testSamples.personId });
    if (!gone) throw notFound("Sample in this pool");
    await recordAudit({ ...deps, db: tx }, actor, {
      action: "test_pool.remove_sample",
      subjectType: "test_pool",
      subjectId: pool.id,
      area: areaOf(pool),
      details: { sampleId, personId: gone.personId },
    });
  });
  return poolDetail(deps, actor, await findPool(deps.db, actor.user, eq(testPools.id, poolId)));
}

/** POST /api/test-pools/{id}/seal: an open pool with at least one sample goes to a lab of its province. */
export async function sealPool(deps: Deps, actor: SignedIn, poolId: string, labId: string) {
  const v = await findPool(deps.db, actor.user, eq(testPools.id, poolId));
  const [lab] = await deps.db
    .select({ id: labs.id, name: labs.name })
    .from(labs)
    .where(and(eq(labs.id, labId), eq(labs.active, true), eq(labs.provinceCode, v.pool.provinceCode)))
    .limit(1);
  if (!lab)
    throw new AppError("validation_failed", "No such lab in the pool's province", [
      { path: "labId", message: msg("Chọn một phòng xét nghiệm đang hoạt động của tỉnh", "Choose an active lab of the province") },
    ]);
  await deps.db.transaction(async (tx) => {
    const pool = await lockPool(tx, v.pool.id);
    if (pool.status !== "open") throw poolNotOpen(pool);
    const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(testSamples).where(eq(testSamples.poolId, pool.id));
    if (!Number(n?.n ?? 0)) throw new AppError("conflict", msg(`Mẫu gộp ${pool.code} chưa có mẫu nào`, `Pool ${pool.code} holds no sample yet`));
    const now = deps.now();
    await tx.update(testPools).set({ status: "sealed", labId: lab.id, sealedAt: now, updatedAt: now }).where(eq(testPools.id, pool.id));
    await recordAudit({ ...deps, db: tx }, actor, {
      action: "test_pool.seal",
      subjectType: "test_pool",
      subjectId: pool.id,
      area: areaOf(pool),
      details: { labId: lab.id, samples: Number(n?.n ?? 0) },
    });
  });
  return poolDetail(deps, actor, await findPool(deps.db, actor.user, eq(testPools.id, poolId)));
}
