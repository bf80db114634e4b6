/**
 * What the testing pages share: labels of the contract's codes, the keyset lists, codes typed or
 * scanned (a label's barcode, a pool's code), errors in the reader's language, small formatters.
 */
import type { Accessor } from "solid-js";
import { ApiError } from "../../api";
import { hasMessage, locale, t, type MessageKey } from "../../i18n";
import { createKeysetList } from "../../pagination";
import { formatCount, formatPct, inMyLanguage, localised, sameFilters } from "../vaccination/vaccination.data";
import { formatDay, formatTime, todayInVietnam } from "../venues.data";
import {
  listCampaigns,
  listPools,
  listSamples,
  type CampaignListQuery,
  type PoolListQuery,
  type SampleListQuery,
  type SampleStatus,
  type TestResult,
} from "./testing.api";

export { formatCount, formatPct, inMyLanguage, localised, sameFilters };

export const PAGE_SIZE = 30;

const labelOr = (key: string, code: string): string => (hasMessage(key) ? t(key) : code);
export const testTypeLabel = (s: string): string => labelOr(`test.type.${s}`, s);
export const resultLabel = (s: string): string => labelOr(`test.result.${s}`, s);
export const sampleStatusLabel = (s: string): string => labelOr(`test.status.${s}`, s);
export const poolStatusLabel = (s: string): string => labelOr(`test.pool.status.${s}`, s);
export const campaignStatusLabel = (s: string): string => labelOr(`test.campaign.status.${s}`, s);
export const siteStatusLabel = (s: string): string => labelOr(`test.site.status.${s}`, s);
export const rejectReasonLabel = (s: string): string => labelOr(`test.reject.${s}`, s);

/** The badge class of a sample's status (green negative, red positive, amber retest, grey waiting). */
export const statusClass = (s: SampleStatus | string): string => `test-badge test-status-${s}`;
export const resultClass = (r: TestResult | string): string => `test-badge test-result-${r}`;

// ---------------------------------------------------------------------------------------------
// Codes

/** The server's rule: upper-cased, spaces and dashes ignored ("p 12ab-34cd" → "P12AB34CD"). */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

/** What a scanned or typed code is: a pool (`P` + 8), a sample (`S` + 10), or neither. */
export function codeKind(code: string): "pool" | "sample" | null {
  if (/^P[0-9A-Z]{8}$/.test(code)) return "pool";
  if (/^S[0-9A-Z]{10}$/.test(code)) return "sample";
  return null;
}

/** The keys N, P, I of the lab page (Vietnamese keyboards type the same letters). */
export const RESULT_KEYS: Record<string, TestResult> = { n: "negative", p: "positive", i: "invalid" };

// ---------------------------------------------------------------------------------------------
// Lists

type Filters<Q> = Omit<Q, "limit" | "cursor">;

export const createCampaignList = (filters: Accessor<Filters<CampaignListQuery>>) =>
  createKeysetList(filters, (f, cursor, signal) => listCampaigns({ ...f, limit: PAGE_SIZE, cursor }, signal));
export const createSampleList = (filters: Accessor<Filters<SampleListQuery>>, pageSize = PAGE_SIZE) =>
  createKeysetList(filters, (f, cursor, signal) => listSamples({ ...f, limit: pageSize, cursor }, signal));
export const createPoolList = (filters: Accessor<Filters<PoolListQuery>>) =>
  createKeysetList(filters, (f, cursor, signal) => listPools({ ...f, limit: PAGE_SIZE, cursor }, signal));

// ---------------------------------------------------------------------------------------------
// Errors

/** Portal sentences for the testing rules, used when the server's message is not bilingual. */
const RULE_KEYS: Partial<Record<string, MessageKey>> = {
  campaign_closed: "test.error.campaign_closed",
  person_in_open_pool: "test.error.person_in_open_pool",
  pool_full: "test.error.pool_full",
  pool_not_open: "test.error.pool_not_open",
  pool_not_sealed: "test.error.pool_not_sealed",
  result_conflict: "test.error.result_conflict",
  retest_not_needed: "test.error.retest_not_needed",
  import_rejected: "test.error.import_rejected",
};

/**
 * The error as the reader should see it: the server's words in their language when the server
 * wrote both ("vi / en"), else the portal's sentence for a known rule, else unchanged.
 */
export function testingError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.message.includes(" / ")) return localised(error);
  const key = RULE_KEYS[error.code];
  return key ? new ApiError(error.status, error.code, t(key), error.requestId, error.details) : error;
}

/** The message of an error, in the reader's language (for one-line notices). */
export function errorText(error: unknown): string {
  const e = testingError(error);
  if (e instanceof ApiError && e.message) return inMyLanguage(e.message);
  return t("error.unknown");
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** "18,5 h" / "18.5 h"; "–" when unknown. */
export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined || Number.isNaN(h)) return "–";
  const n = new Intl.NumberFormat(locale() === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 }).format(h);
  return `${n} h`;
}

/** A share 0–1 (positivity) as a percentage: "4,2 %". */
export const formatShare = (share: number | null | undefined): string => (share === null || share === undefined ? "–" : formatPct(share * 100));

/** Initials and birth year, what a label and a pool member line show ("N.V.A · 1985"). */
export function personShort(name: string, birthYear: number | null | undefined): string {
  return birthYear ? `${name} · ${birthYear}` : name;
}

/** A moment in Vietnam time: "05/12/2026 14:05". */
export function formatVnDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatDay(todayInVietnam(d))} ${formatTime(iso)}`;
}
