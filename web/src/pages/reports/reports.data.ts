/** Data of the community-reports pages: the filtered inbox, labels, the status moves a note may make. */
import type { Accessor } from "solid-js";
import { hasMessage, t } from "../../i18n";
import { createKeysetList } from "../../pagination";
import { REPORT_MOVES, listReports, type ReportKind, type ReportMove, type ReportStatus, type ReportSummary } from "./reports.api";

export const REPORTS_PAGE_SIZE = 30;

export interface ReportFilters {
  status: ReportStatus;
  kind: ReportKind | "";
  provinceCode: string;
  communeCode: string;
}

export const sameReportFilters = (a: ReportFilters, b: ReportFilters) =>
  a.status === b.status && a.kind === b.kind && a.provinceCode === b.provinceCode && a.communeCode === b.communeCode;

export const createReportList = (filters: Accessor<ReportFilters>) =>
  createKeysetList<ReportSummary, ReportFilters>(filters, (f, cursor, signal) => listReports({ ...f, limit: REPORTS_PAGE_SIZE, cursor }, signal));

const labelOr = (key: string, code: string): string => (hasMessage(key) ? t(key) : code);
export const reportStatusLabel = (s: ReportStatus | string): string => labelOr(`reports.status.${s}`, s);
export const reportKindLabel = (k: ReportKind | string): string => labelOr(`reports.kind.${k}`, k);

/**
 * Where a note may move a report: new → checking → resolved | unfounded; a new report may be
 * settled at once, and a settled one reopened for checking.
 */
export function movesFrom(status: ReportStatus): ReportMove[] {
  switch (status) {
    case "new":
      return [...REPORT_MOVES];
    case "checking":
      return ["resolved", "unfounded"];
    case "resolved":
    case "unfounded":
      return ["checking"];
  }
}

export const isSettled = (status: ReportStatus): boolean => status === "resolved" || status === "unfounded";

/** The first line of a description, at most `max` characters. */
export function excerpt(text: string, max = 140): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
