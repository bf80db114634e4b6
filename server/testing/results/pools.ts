/**
 * POST /api/test-pools/{id}/result (docs/TESTING.md): lab staff of the pool's lab, province officers
 * and national admins of its area. The pool row is locked for the change. Recording sets the pool's
 * result, time, recorder and status `resulted`, and `pool_open = false` on every member (so each
 * person may join a new pool). Members take their status from the pool: a negative pool clears
 * them, a positive or invalid one sends each to an individual retest (`retest_needed`); no case is
 * opened from a pool. The same result again is a no-op; a different one 409 result_conflict; a pool
 * not sealed 409 pool_not_sealed.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { pgArray, type Db } from "../../../db/client";
import { testPools, testSamples } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import type { RecordResultT } from "./schemas";
import { poolMembers, poolScope, presentPool, resultConflict, resultTime, type SignedIn } from "./service";

export const poolNotSealed = () => new AppError("pool_not_sealed", msg("Mẫu gộp chưa được niêm phong gửi phòng xét nghiệm", "The pool has not been sealed and sent to a lab"));

export interface PoolWrite {
  id: string;
  result: "negative" | "positive" | "invalid";
  resultAt: Date;
}

/** Writes pool results (any number, one statement each for pools and members) inside the caller's transaction. */
export async function writePoolResults(tx: Db, now: Date, userId: string, rows: PoolWrite[]) {
  if (!rows.length) return;
  const ids = rows.map((r) => r.id);
  await tx.execute(sql`
    update test_pools p set status = 'resulted', result = u.result, result_at = u.result_at, result_by = ${userId}::uuid, updated_at = ${now.toISOString()}::timestamptz
    from unnest(${pgArray(ids)}::uuid[], ${pgArray(rows.map((r) => r.result))}::text[], ${pgArray(rows.map((r) => r.resultAt.toISOString()))}::timestamptz[]) as u(id, result, result_at)
    where p.id = u.id`);
  await tx.update(testSamples).set({ poolOpen: false, updatedAt: now }).where(and(inArray(testSamples.poolId, ids), eq(testSamples.poolOpen, true)));
}

export async function recordPoolResult(deps: Deps, actor: SignedIn, id: string, input: RecordResultT) {
  const [found] = await deps.db
    .select()
    .from(testPools)
    .where(and(eq(testPools.id, id), poolScope(actor.user)))
    .limit(1);
  if (!found) throw notFound("Pool");
  if (found.status === "open") throw poolNotSealed();
  const resultAt = resultTime(deps, input.resultAt, found.sealedAt);

  const changed = await deps.db.transaction(async (tx) => {
    const [p] = await tx.select().from(testPools).where(eq(testPools.id, id)).for("update");
    if (!p) throw notFound("Pool");
    if (p.status === "open") throw poolNotSealed();
    if (p.result) {
      if (p.result !== input.result) throw resultConflict(p.result);
      return false;
    }
    await writePoolResults(tx, deps.now(), actor.user.id, [{ id, result: input.result, resultAt }]);
    return true;
  });

  const members = await poolMembers(deps.db, id);
  if (changed)
    await recordAudit(deps, actor, {
      action: "test_pool.result",
      subjectType: "test_pool",
      subjectId: id,
      area: { provinceCode: found.provinceCode, communeCode: found.communeCode },
      details: { code: found.code, result: input.result, resultAt: resultAt.toISOString(), members: members.length },
    });
  return { pool: await presentPool(deps.db, id), members };
}
