/**
 * What the statistics page shares: the metric labels (from /api/stats/metrics, in the reader's
 * language), the date range (presets, checks), the file names of the exports, small formatters.
 */
import { createResource } from "solid-js";
import { locale } from "../../i18n";
import { addDays } from "../declarations/format";
import { formatCount, formatPct, inMyLanguage, localised, sameFilters } from "../vaccination/vaccination.data";
import { todayInVietnam } from "../venues.data";
import { getMetrics, type MetricInfo } from "./stats.api";

export { addDays, formatCount, inMyLanguage, localised, sameFilters, todayInVietnam };

/** The server's limits (server/stats/dashboard/service.ts). */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;
/** Quick ranges of the date picker, in days ending today. */
export const RANGE_PRESETS = [7, 30, 90, 365] as const;

/** Whole days from `from` to `to`, both included (0 when reversed). */
export function rangeDays(from: string, to: string): number {
  const n = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return Number.isNaN(n) || n < 0 ? 0 : n;
}

/** A 0–1 share as "12,5 %" / "12.5%"; "–" when unknown. */
export const formatShare = (share: number | null | undefined): string => (share === null || share === undefined ? "–" : formatPct(share * 100));

/** Incidence per 100,000: one decimal; "–" when the population is unknown. */
export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined) return "–";
  return new Intl.NumberFormat(locale() === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: n < 10 ? 2 : 1 }).format(n);
}

// ---------------------------------------------------------------------------------------------
// Metric labels: one request per session, shared by every page that needs them.

let metricsPromise: Promise<MetricInfo[]> | null = null;
function loadMetrics(): Promise<MetricInfo[]> {
  metricsPromise ??= getMetrics()
    .then((r) => r.items)
    .catch((error: unknown) => {
      metricsPromise = null;
      throw error;
    });
  return metricsPromise;
}

/** The metric list and a label lookup that follows the language switch (the key itself until the list arrives). */
export function createMetricLabels() {
  const [metrics] = createResource(loadMetrics);
  const label = (key: string): string => {
    const m = metrics.latest?.find((x) => x.key === key);
    if (!m) return key;
    return locale() === "vi" ? m.labelVi : m.labelEn;
  };
  return { metrics, label };
}

/** "thong-ke-01-2026-03-01-2026-03-30.csv": the fallback when the server names no file. */
export function exportFileName(what: string, code: string, from: string, to: string, format: string): string {
  return `${what}-${code.toLowerCase()}-${from}-${to}.${format}`;
}
