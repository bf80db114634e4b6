/**
 * Reference data: vaccine products (seeded by the migration) and lots. A lot's `expired` flag is
 * computed against today's Vietnamese calendar day, the same comparison the dose rules make.
 */
import { and, asc, eq, gte, like, or, sql, type SQL } from "drizzle-orm";
import { vaccineLots, vaccineProducts } from "../../../db/schema";
import { recordAudit, type Actor } from "../../audit/service";
import type { AuthUser } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import type { CreateLotT } from "./schemas";

type SignedIn = Actor & { user: AuthUser };
type LotRow = typeof vaccineLots.$inferSelect;

export async function listProducts(deps: Deps) {
  const rows = await deps.db.select().from(vaccineProducts).orderBy(asc(vaccineProducts.code));
  return { items: rows };
}

function presentLot(l: LotRow, today: string) {
  return {
    id: l.id,
    productCode: l.productCode,
    lotNumber: l.lotNumber,
    expiresOn: l.expiresOn,
    dosesReceived: l.dosesReceived,
    expired: l.expiresOn < today,
    createdAt: l.createdAt.toISOString(),
  };
}

export interface LotListInput {
  productCode?: string | undefined;
  q?: string | undefined;
  includeExpired: boolean;
  limit: number;
  cursor?: string | undefined;
}

/** Lots by lot number (keyset on lot number, id); expired ones only when asked. */
export async function listLots(deps: Deps, input: LotListInput) {
  const today = vnDay(deps.now());
  const after = decodeCursor<[string, string]>(input.cursor, ["text", "uuid"]);
  if (after && (typeof after[0] !== "string" || typeof after[1] !== "string" || !/^[0-9a-f-]{36}$/.test(after[1])))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const prefix = input.q ? `${input.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : undefined;
  const conds: (SQL | undefined)[] = [
    input.productCode ? eq(vaccineLots.productCode, input.productCode) : undefined,
    prefix ? like(sql`upper(${vaccineLots.lotNumber})`, prefix.toUpperCase()) : undefined,
    input.includeExpired ? undefined : gte(vaccineLots.expiresOn, today),
    after
      ? or(sql`${vaccineLots.lotNumber} > ${after[0]}`, and(sql`${vaccineLots.lotNumber} = ${after[0]}`, sql`${vaccineLots.id} > ${after[1]}::uuid`))
      : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(vaccineLots)
    .where(and(...conds))
    .orderBy(asc(vaccineLots.lotNumber), asc(vaccineLots.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (l) => [l.lotNumber, l.id]);
  return { items: result.items.map((l) => presentLot(l, today)), nextCursor: result.nextCursor };
}

/** A new lot of a known product; the same lot number of the same product twice is a conflict. */
export async function createLot(deps: Deps, actor: SignedIn, input: CreateLotT) {
  const [product] = await deps.db.select({ code: vaccineProducts.code }).from(vaccineProducts).where(eq(vaccineProducts.code, input.productCode)).limit(1);
  if (!product)
    throw new AppError("validation_failed", "Unknown product", [{ path: "productCode", message: msg("Không có vắc xin này", "No such vaccine product") }]);
  const [row] = await deps.db
    .insert(vaccineLots)
    .values({
      productCode: input.productCode,
      lotNumber: input.lotNumber,
      expiresOn: input.expiresOn,
      dosesReceived: input.dosesReceived ?? null,
      createdBy: actor.user.id,
    })
    .onConflictDoNothing({ target: [vaccineLots.productCode, vaccineLots.lotNumber] })
    .returning();
  if (!row)
    throw new AppError("conflict", msg(`Lô ${input.lotNumber} của ${input.productCode} đã có`, `Lot ${input.lotNumber} of ${input.productCode} is already recorded`), [
      { path: "lotNumber", message: msg("Số lô đã có", "This lot number is already recorded") },
    ]);
  await recordAudit(deps, actor, {
    action: "vaccine_lot.create",
    subjectType: "vaccine_lot",
    subjectId: row.id,
    area: { provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode },
    details: { productCode: row.productCode, lotNumber: row.lotNumber, expiresOn: row.expiresOn },
  });
  return presentLot(row, vnDay(deps.now()));
}
