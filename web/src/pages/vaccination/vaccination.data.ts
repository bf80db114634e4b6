/**
 * What the vaccination pages share: labels of the contract's codes, the keyset lists, the dose
 * rule errors in the reader's language next to the field they are about, and small formatters.
 */
import type { Accessor } from "solid-js";
import { ApiError } from "../../api";
import { hasMessage, locale, t } from "../../i18n";
import { createKeysetList } from "../../pagination";
import {
  listDoses,
  listImports,
  listLots,
  listProducts,
  listReactions,
  listSites,
  type DoseListQuery,
  type ImportListQuery,
  type LotListQuery,
  type Product,
  type ReactionListQuery,
  type SiteListQuery,
} from "./vaccination.api";

export const PAGE_SIZE = 30;

const labelOr = (key: string, code: string): string => (hasMessage(key) ? t(key) : code);
export const priorityLabel = (g: string): string => labelOr(`vacc.priority.${g}`, g);
export const appointmentStatusLabel = (s: string): string => labelOr(`vacc.appointment.${s}`, s);
export const siteStatusLabel = (s: string): string => labelOr(`vacc.site.status.${s}`, s);
export const severityLabel = (s: string): string => labelOr(`vacc.severity.${s}`, s);
export const reactionStatusLabel = (s: string): string => labelOr(`vacc.reaction.status.${s}`, s);
export const symptomLabel = (s: string): string => labelOr(`vacc.symptom.${s}`, s);
export const importStatusLabel = (s: string): string => labelOr(`vacc.import.status.${s}`, s);
export const importActionLabel = (s: string): string => labelOr(`vacc.import.action.${s}`, s);
export const sourceLabel = (s: string): string => labelOr(`vacc.source.${s}`, s);
export const doseLabel = (n: number): string => t("vacc.doseN", { n });

// ---------------------------------------------------------------------------------------------
// Lists (filters compared field by field, so an unchanged filter does not refetch)

export function sameFilters<T extends object>(a: T, b: T): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

type Filters<Q> = Omit<Q, "limit" | "cursor">;

export const createSiteList = (filters: Accessor<Filters<SiteListQuery>>) =>
  createKeysetList(filters, (f, cursor, signal) => listSites({ ...f, limit: PAGE_SIZE, cursor }, signal));
export const createDoseList = (filters: Accessor<Filters<DoseListQuery>>) =>
  createKeysetList(filters, (f, cursor, signal) => listDoses({ ...f, limit: PAGE_SIZE, cursor }, signal));
export const createReactionList = (filters: Accessor<Filters<ReactionListQuery>>) =>
  createKeysetList(filters, (f, cursor, signal) => listReactions({ ...f, limit: PAGE_SIZE, cursor }, signal));
export const createLotList = (filters: Accessor<Filters<LotListQuery>>) =>
  createKeysetList(filters, (f, cursor, signal) => listLots({ ...f, limit: PAGE_SIZE, cursor }, signal));
export const createImportList = (filters: Accessor<Filters<ImportListQuery>>) =>
  createKeysetList(filters, (f, cursor, signal) => listImports({ ...f, limit: PAGE_SIZE, cursor }, signal));

/** The products, fetched once per session (reference data). */
let products: Promise<Product[]> | null = null;
export function loadProducts(): Promise<Product[]> {
  if (!products) {
    products = listProducts()
      .then((r) => r.items)
      .catch((error: unknown) => {
        products = null;
        throw error;
      });
  }
  return products;
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * The server writes its messages "Vietnamese / English" (server/http/fields.ts msg()): the half
 * in the reader's language. A message without the separator is shown whole.
 */
export function inMyLanguage(message: string): string {
  const at = message.indexOf(" / ");
  if (at < 0) return message;
  return locale() === "vi" ? message.slice(0, at) : message.slice(at + 3);
}

/** The dose rule codes (server/vaccination/doses/rules.ts) and the 409 that goes with them. */
export const DOSE_RULE_CODES = [
  "lot_expired",
  "lot_product_mismatch",
  "dose_out_of_order",
  "dose_exists",
  "interval_too_short",
  "product_mix_not_allowed",
  "dose_in_future",
  "product_inactive",
] as const;

/** Which form field a rule's `details[].path` points at (a product is chosen through its lot). */
const RULE_FIELD: Record<string, string> = { lotId: "lotId", productCode: "lotId", doseNumber: "doseNumber", givenOn: "givenOn" };

/**
 * Field messages of a refused dose: a broken rule (422, 409 dose_exists) or a 400 validation,
 * each in the reader's language under the field it is about (a rule about the product goes
 * under the lot, which decides the product). Paths without a field are left for the banner.
 */
export function doseFieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  const isRule = (DOSE_RULE_CODES as readonly string[]).includes(error.code);
  for (const d of error.details) {
    const path = d.path
      .split(/[./]/)
      .filter((p) => p && p !== "body")
      .join(".");
    const field = isRule ? RULE_FIELD[path] : path;
    if (!field || field in out) continue;
    // The server's words name the specifics (which day, which dose); the portal's own are the fallback.
    const ruleKey = `vacc.rule.${error.code}`;
    out[field] = d.message ? inMyLanguage(d.message) : isRule && hasMessage(ruleKey) ? t(ruleKey) : error.message;
  }
  return out;
}

/** The error with its message in the reader's language (for banners). */
export function localised(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.message.includes(" / ")) return error;
  return new ApiError(error.status, error.code, inMyLanguage(error.message), error.requestId, error.details);
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** "42,5 %" (vi) or "42.5%" (en), small shares to two decimals ("0,02 %"); "–" when the population is unknown. */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || Number.isNaN(pct)) return "–";
  const n = new Intl.NumberFormat(locale() === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: pct < 10 ? 2 : 1 }).format(pct);
  return locale() === "vi" ? `${n} %` : `${n}%`;
}

export const formatCount = (n: number | null | undefined): string =>
  n === null || n === undefined ? "–" : new Intl.NumberFormat(locale() === "vi" ? "vi-VN" : "en-GB").format(n);

/** Minutes since midnight of "HH:MM"; null when it is not a time. */
export function minutesOf(time: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
