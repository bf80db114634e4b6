import { and, asc, count, eq, gt, ilike, type SQL } from "drizzle-orm";
import { adminUnits } from "../../db/schema";
import type { Deps } from "../deps";
import { notFound } from "../http/errors";
import { decodeCursor, page } from "../http/pagination";
import { containsPattern } from "../http/search";

export interface AdminUnitQueryInput {
  level?: "province" | "commune" | undefined;
  parent?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The hierarchy is public reference data (no personal data): no scope, no audit. */
export async function listAdminUnits(deps: Deps, input: AdminUnitQueryInput) {
  const after = decodeCursor<[string]>(input.cursor, 1);
  const pattern = containsPattern(input.q);
  const conds: (SQL | undefined)[] = [
    input.level ? eq(adminUnits.level, input.level) : undefined,
    input.parent ? eq(adminUnits.parentCode, input.parent) : undefined,
    pattern ? ilike(adminUnits.name, pattern) : undefined,
    after ? gt(adminUnits.code, after[0]) : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(adminUnits)
    .where(and(...conds))
    .orderBy(asc(adminUnits.code))
    .limit(input.limit + 1);
  return page(rows, input.limit, (r) => [r.code]);
}

export async function getAdminUnit(deps: Deps, code: string) {
  const [unit] = await deps.db.select().from(adminUnits).where(eq(adminUnits.code, code)).limit(1);
  if (!unit) throw notFound("Administrative unit");
  const [parent] = unit.parentCode
    ? await deps.db.select().from(adminUnits).where(eq(adminUnits.code, unit.parentCode)).limit(1)
    : [];
  const [c] = await deps.db.select({ n: count() }).from(adminUnits).where(eq(adminUnits.parentCode, unit.code));
  return { ...unit, parent: parent ?? null, communeCount: Number(c?.n ?? 0) };
}
