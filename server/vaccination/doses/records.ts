/**
 * What every part of the dose registry shares: the scope of dose rows, the product rules as
 * rules.ts wants them, a dose as the API shows it, and the lock that serialises the recording
 * and correction of one person's doses.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { people, vaccinationSites, vaccinations, vaccineLots, vaccineProducts } from "../../../db/schema";
import type { Db } from "../../../db/client";
import type { Actor } from "../../audit/service";
import { areaFilter, type AuthUser } from "../../auth/scope";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { nextDose, type DoseFact, type DoseViolation, type ProductRule } from "./rules";

export type SignedIn = Actor & { user: AuthUser };

/** Dose rows are scoped by the site's area, and for site staff by their sites. */
export const doseScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: vaccinations.provinceCode, communeCode: vaccinations.communeCode, siteId: vaccinations.siteId });

export const siteScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: vaccinationSites.provinceCode, communeCode: vaccinationSites.communeCode, siteId: vaccinationSites.id });

export const areaOf = (actor: SignedIn) => ({ provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode });

export type ProductRules = Map<string, ProductRule & { name: string }>;

/** The products and their rules (a handful of reference rows), by code so allowedProducts comes in a stable order. */
export async function productRules(db: Db): Promise<ProductRules> {
  const rows = await db.select().from(vaccineProducts).orderBy(vaccineProducts.code);
  return new Map(
    rows.map((p) => [
      p.code,
      { code: p.code, name: p.name, primaryDoses: p.primaryDoses, minIntervalDays: p.minIntervalDays, mixableWith: p.mixableWith, boosterAllowed: p.boosterAllowed, active: p.active },
    ]),
  );
}

/** A rule broken, as the error the API answers (422, or 409 for a dose already recorded). */
export function ruleError(v: DoseViolation, extra: { path: string; message: string }[] = []): AppError {
  return new AppError(v.code, v.message, [{ path: v.path, message: v.message }, ...extra]);
}

/** What nextDose() says, or null when no product may follow (nothing left to give). */
export function nextDoseOf(history: readonly DoseFact[], products: ProductRules) {
  const next = nextDose(history, products);
  return next.allowedProducts.length ? next : null;
}

// ---- presenting doses ----

export const doseColumns = {
  id: vaccinations.id,
  personId: vaccinations.personId,
  productCode: vaccinations.productCode,
  productName: sql<string>`coalesce(${vaccineProducts.name}, ${vaccinations.productCode})`,
  lotId: vaccinations.lotId,
  lotNumber: sql<string>`coalesce(${vaccineLots.lotNumber}, '')`,
  doseNumber: vaccinations.doseNumber,
  givenOn: vaccinations.givenOn,
  siteId: vaccinations.siteId,
  siteName: sql<string>`coalesce(${vaccinationSites.name}, '')`,
  vaccinator: vaccinations.vaccinator,
  source: vaccinations.source,
  createdAt: vaccinations.createdAt,
  provinceCode: vaccinations.provinceCode,
  communeCode: vaccinations.communeCode,
};
export type DoseRow = {
  id: string;
  personId: string;
  productCode: string;
  productName: string;
  lotId: string;
  lotNumber: string;
  doseNumber: number;
  givenOn: string;
  siteId: string;
  siteName: string;
  vaccinator: string | null;
  source: "recorded" | "import";
  createdAt: Date;
  provinceCode: string;
  communeCode: string | null;
};

/** Doses with their product, lot and site names, in dose order per person. */
export async function selectDoses(db: Db, where: SQL | undefined, limit?: number): Promise<DoseRow[]> {
  const q = db
    .select(doseColumns)
    .from(vaccinations)
    .leftJoin(vaccineProducts, eq(vaccineProducts.code, vaccinations.productCode))
    .leftJoin(vaccineLots, eq(vaccineLots.id, vaccinations.lotId))
    .leftJoin(vaccinationSites, eq(vaccinationSites.id, vaccinations.siteId))
    .where(where)
    .orderBy(asc(vaccinations.personId), asc(vaccinations.doseNumber));
  return (limit ? await q.limit(limit) : await q) as DoseRow[];
}

export function presentDose(d: DoseRow) {
  return {
    id: d.id,
    personId: d.personId,
    productCode: d.productCode,
    productName: d.productName,
    lotId: d.lotId,
    lotNumber: d.lotNumber,
    doseNumber: Number(d.doseNumber),
    givenOn: String(d.givenOn).slice(0, 10),
    siteId: d.siteId,
    siteName: d.siteName,
    vaccinator: d.vaccinator,
    source: d.source,
    createdAt: d.createdAt.toISOString(),
  };
}

export const factOf = (d: { doseNumber: number; productCode: string; givenOn: string }): DoseFact => ({
  doseNumber: Number(d.doseNumber),
  productCode: d.productCode,
  givenOn: String(d.givenOn).slice(0, 10),
});

/** A dose of the caller's scope (404 otherwise). */
export async function findDose(db: Db, user: AuthUser, id: string): Promise<DoseRow> {
  const [row] = await selectDoses(db, and(eq(vaccinations.id, id), doseScope(user)), 1);
  if (!row) throw notFound("Dose");
  return row;
}

export async function lotById(db: Db, id: string) {
  const [lot] = await db.select().from(vaccineLots).where(eq(vaccineLots.id, id)).limit(1);
  if (!lot) throw new AppError("validation_failed", "Unknown lot", [{ path: "lotId", message: msg("Không có lô vắc xin này", "No such vaccine lot") }]);
  return lot;
}

/** Locks the person's record so two recordings or corrections of one person run one after the other. */
export async function lockPerson(tx: Db, personId: string) {
  await tx.select({ id: people.id }).from(people).where(eq(people.id, personId)).for("update");
}
