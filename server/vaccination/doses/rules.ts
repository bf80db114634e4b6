/**
 * The dose rules, as one pure function: the record form, POST /api/vaccinations and the CSV import
 * all ask it, so a dose refused in one place is refused in every place with the same words.
 * Days are YYYY-MM-DD strings (local Vietnamese calendar days).
 */
import { msg } from "../../http/fields";

export interface ProductRule {
  code: string;
  primaryDoses: number;
  minIntervalDays: number;
  /** Products that may give the next primary-series dose after this one. */
  mixableWith: readonly string[];
  boosterAllowed: boolean;
  active: boolean;
}

export interface DoseFact {
  doseNumber: number;
  productCode: string;
  givenOn: string;
}

export interface ProposedDose {
  doseNumber: number;
  productCode: string;
  givenOn: string;
  lot: { productCode: string; expiresOn: string };
}

export type DoseRuleCode =
  | "lot_expired"
  | "lot_product_mismatch"
  | "dose_out_of_order"
  | "dose_exists"
  | "interval_too_short"
  | "product_mix_not_allowed"
  | "dose_in_future"
  | "product_inactive";

export interface DoseViolation {
  code: DoseRuleCode;
  /** 409 for a dose already recorded, 422 for a dose the rules refuse. */
  status: 409 | 422;
  /** The field to point at: lotId, doseNumber, givenOn, productCode. */
  path: string;
  message: string;
}

const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The doses of one person in order, whatever order they came in. */
function ordered(history: readonly DoseFact[]): DoseFact[] {
  return [...history].sort((a, b) => a.doseNumber - b.doseNumber);
}

export function nextDoseNumber(history: readonly DoseFact[]): number {
  return history.reduce((n, d) => Math.max(n, d.doseNumber), 0) + 1;
}

/** Products allowed for dose `doseNumber` after `history` (policy only; lots and dates aside). */
export function allowedProducts(history: readonly DoseFact[], doseNumber: number, products: ReadonlyMap<string, ProductRule>): string[] {
  const doses = ordered(history);
  const first = doses[0] && products.get(doses[0].productCode);
  const previous = doses.find((d) => d.doseNumber === doseNumber - 1);
  const active = [...products.values()].filter((p) => p.active);
  if (!first || !previous) return active.map((p) => p.code);
  if (doseNumber > first.primaryDoses) return active.filter((p) => p.boosterAllowed).map((p) => p.code);
  const prev = products.get(previous.productCode);
  return active.filter((p) => p.code === previous.productCode || (prev?.mixableWith.includes(p.code) ?? false)).map((p) => p.code);
}

/** What the person may have next: the dose number, the first day it may be given, which products. */
export function nextDose(
  history: readonly DoseFact[],
  products: ReadonlyMap<string, ProductRule>,
): { doseNumber: number; earliestOn: string | null; allowedProducts: string[] } {
  const doseNumber = nextDoseNumber(history);
  const previous = ordered(history).at(-1);
  const prevProduct = previous && products.get(previous.productCode);
  return {
    doseNumber,
    earliestOn: previous ? addDays(previous.givenOn, prevProduct?.minIntervalDays ?? 0) : null,
    allowedProducts: allowedProducts(history, doseNumber, products),
  };
}

function violation(code: DoseRuleCode, path: string, vi: string, en: string): DoseViolation {
  return { code, status: code === "dose_exists" ? 409 : 422, path, message: msg(vi, en) };
}

/**
 * Whether `proposed` may be recorded for a person whose doses so far are `history`, on `today`.
 * Returns the first rule broken, or null. Checks in the order a vaccinator would fix them.
 */
export function checkDose(
  history: readonly DoseFact[],
  proposed: ProposedDose,
  products: ReadonlyMap<string, ProductRule>,
  today: string,
): DoseViolation | null {
  const product = products.get(proposed.productCode);
  if (!product || !product.active)
    return violation("product_inactive", "productCode", `Vắc xin ${proposed.productCode} không còn được sử dụng`, `Product ${proposed.productCode} is not in use`);
  if (proposed.lot.productCode !== proposed.productCode)
    return violation("lot_product_mismatch", "lotId", "Lô này thuộc vắc xin khác", "This lot belongs to another product");
  if (proposed.givenOn > today) return violation("dose_in_future", "givenOn", "Ngày tiêm sau hôm nay", "The day given is after today");
  if (proposed.lot.expiresOn < proposed.givenOn)
    return violation(
      "lot_expired",
      "lotId",
      `Lô đã hết hạn ngày ${proposed.lot.expiresOn}`,
      `The lot expired on ${proposed.lot.expiresOn}`,
    );
  if (history.some((d) => d.doseNumber === proposed.doseNumber))
    return violation("dose_exists", "doseNumber", `Đã ghi nhận mũi ${proposed.doseNumber}`, `Dose ${proposed.doseNumber} is already recorded`);
  const next = nextDoseNumber(history);
  if (proposed.doseNumber !== next)
    return violation("dose_out_of_order", "doseNumber", `Mũi tiếp theo là mũi ${next}`, `The next dose is dose ${next}`);
  const previous = history.find((d) => d.doseNumber === proposed.doseNumber - 1);
  if (previous) {
    const prevProduct = products.get(previous.productCode);
    const minDays = prevProduct?.minIntervalDays ?? 0;
    const gap = daysBetween(previous.givenOn, proposed.givenOn);
    if (gap < minDays)
      return violation(
        "interval_too_short",
        "givenOn",
        `Cách mũi trước ${gap} ngày, cần ít nhất ${minDays} ngày (từ ${addDays(previous.givenOn, minDays)})`,
        `${gap} days after the previous dose; at least ${minDays} are needed (from ${addDays(previous.givenOn, minDays)})`,
      );
    if (!allowedProducts(history, proposed.doseNumber, products).includes(proposed.productCode))
      return violation(
        "product_mix_not_allowed",
        "productCode",
        `Không được tiêm ${proposed.productCode} sau ${previous.productCode} cho mũi ${proposed.doseNumber}`,
        `${proposed.productCode} may not follow ${previous.productCode} for dose ${proposed.doseNumber}`,
      );
  }
  return null;
}
