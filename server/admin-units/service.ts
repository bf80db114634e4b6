import { and, asc, count, eq, gt, ilike, type SQL } from "drizzle-orm";
import { adminUnits } from "../../db/schema";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
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
  const after = decodeCursor<[string]>(input.cursor, ["text"]);
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

/** Throws a 400 naming `path` unless the commune exists and lies in the province. */
export async function assertCommuneInProvince(deps: Deps, provinceCode: string, communeCode: string, path = "communeCode") {
  const [c] = await deps.db
    .select({ parent: adminUnits.parentCode })
    .from(adminUnits)
    .where(and(eq(adminUnits.code, communeCode), eq(adminUnits.level, "commune")))
    .limit(1);
  if (!c) throw new AppError("validation_failed", "Unknown commune", [{ path, message: "No such commune" }]);
  if (c.parent !== provinceCode)
    throw new AppError("validation_failed", "The commune is not in that province", [{ path, message: "The commune is not in that province" }]);
}

/** Per database (tests run several platforms in one process). */
const communeCaches = new WeakMap<object, Map<string, { at: number; province: string | null }>>();

/** The province of a commune (cached: the hierarchy changes rarely); 400 naming `path` if unknown. */
export async function provinceOfCommune(deps: Deps, communeCode: string, path: string): Promise<string> {
  let communeProvinces = communeCaches.get(deps.db);
  if (!communeProvinces) communeCaches.set(deps.db, (communeProvinces = new Map()));
  let hit = communeProvinces.get(communeCode);
  if (!hit || Date.now() - hit.at > 600_000) {
    const [c] = await deps.db
      .select({ parent: adminUnits.parentCode })
      .from(adminUnits)
      .where(and(eq(adminUnits.code, communeCode), eq(adminUnits.level, "commune")))
      .limit(1);
    hit = { at: Date.now(), province: c?.parent ?? null };
    if (communeProvinces.size > 20_000) communeProvinces.clear();
    communeProvinces.set(communeCode, hit);
  }
  if (!hit.province) throw new AppError("validation_failed", "Unknown commune", [{ path, message: "No such commune" }]);
  return hit.province;
}
