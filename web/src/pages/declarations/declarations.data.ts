/**
 * Data of the declarations pages: the filtered keyset list, the counts per day, labels of the
 * server's enums (risk, reasons, kinds, review, symptoms, means of travel).
 */
import { createEffect, createSignal, on, onCleanup, type Accessor } from "solid-js";
import { hasMessage, t } from "../../i18n";
import { createKeysetList } from "../../pagination";
import {
  getDeclarationStats,
  listDeclarations,
  type Declaration,
  type DeclarationKind,
  type DeclarationStats,
  type ReviewStatus,
  type RiskLevel,
  type RiskReason,
  type Sex,
  type TravelMeans,
} from "./declarations.api";

export const DECLARATIONS_PAGE_SIZE = 30;
/** The default range: the last 14 days, today included (the server's default for the stats). */
export const DEFAULT_RANGE_DAYS = 14;

export interface DeclarationFilters {
  from: string;
  to: string;
  risk: RiskLevel | "";
  kind: DeclarationKind | "";
  review: ReviewStatus | "";
  provinceCode: string;
  communeCode: string;
}

export const sameDeclarationFilters = (a: DeclarationFilters, b: DeclarationFilters) =>
  a.from === b.from &&
  a.to === b.to &&
  a.risk === b.risk &&
  a.kind === b.kind &&
  a.review === b.review &&
  a.provinceCode === b.provinceCode &&
  a.communeCode === b.communeCode;

export const createDeclarationList = (filters: Accessor<DeclarationFilters>) =>
  createKeysetList<Declaration, DeclarationFilters>(filters, (f, cursor, signal) =>
    listDeclarations({ ...f, limit: DECLARATIONS_PAGE_SIZE, cursor }, signal),
  );

export interface StatsRange {
  from: string;
  to: string;
  provinceCode: string;
  communeCode: string;
}

/** The counts per day of a range, refetched when the range (or the area) changes. */
export function createDeclarationStats(range: Accessor<StatsRange>) {
  const [stats, setStats] = createSignal<DeclarationStats | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  let controller: AbortController | null = null;

  const load = () => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    setLoading(true);
    setError(null);
    getDeclarationStats(range(), mine.signal)
      .then((s) => !mine.signal.aborted && setStats(s))
      .catch((err: unknown) => !mine.signal.aborted && setError(err))
      .finally(() => {
        if (controller === mine) {
          setLoading(false);
          controller = null;
        }
      });
  };
  createEffect(on(range, load));
  onCleanup(() => controller?.abort());
  return { stats, loading, error, reload: load };
}

// ---------------------------------------------------------------------------------------------
// Labels

/** A label for a server code; a code this portal does not know yet is shown as it is. */
const labelOr = (key: string, code: string): string => (hasMessage(key) ? t(key) : code);

export const riskLabel = (r: RiskLevel): string => t(`decl.risk.${r}`);
export const reasonLabel = (r: RiskReason | string): string => labelOr(`decl.reason.${r}`, r);
export const reasonsText = (reasons: readonly string[]): string => reasons.map(reasonLabel).join(" · ");
export const kindLabel = (k: DeclarationKind): string => t(`decl.kind.${k}`);
export const reviewLabel = (r: ReviewStatus): string => t(`decl.review.${r}`);
export const sexLabel = (s: Sex): string => t(`decl.sex.${s}`);
export const meansLabel = (m: TravelMeans | string): string => labelOr(`decl.means.${m}`, m);
/** Symptoms share their names with the contacts' follow-up (tracing.symptom.*). */
export const symptomLabel = (s: string): string => labelOr(`tracing.symptom.${s}`, s);

/** "Việt Nam", "Hàn Quốc"… from an ISO 3166 code, in the portal's language; the code if unknown. */
export function countryName(code: string, lang: "vi" | "en"): string {
  try {
    return new Intl.DisplayNames([lang === "vi" ? "vi" : "en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
