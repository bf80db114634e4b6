/**
 * The officers' community-reports API as the portal calls it (docs/CITIZENS.md). The JSON
 * shapes are the server's own zod schemas (server/reports/schemas.ts), imported as types only.
 */
import type { z } from "@hono/zod-openapi";
import type * as S from "../../../../server/reports/schemas";
import { request, type Page } from "../../api";

type Out<T extends z.ZodTypeAny> = z.output<T>;
type In<T extends z.ZodTypeAny> = z.input<T>;

export type ReportSummary = Out<typeof S.ReportSummary>;
export type ReportDetail = Out<typeof S.ReportDetail>;
export type ReportNote = Out<typeof S.ReportNote>;
export type NewReportNote = In<typeof S.AddReportNote>;

export type ReportKind = ReportSummary["kind"];
export type ReportStatus = ReportSummary["status"];
/** The statuses a note may move a report to ("new" is only where reports start). */
export type ReportMove = NonNullable<NewReportNote["status"]>;

type Exactly<A extends readonly string[], U extends string> = [U] extends [A[number]] ? A : never;
export const REPORT_STATUSES = ["new", "checking", "resolved", "unfounded"] as const satisfies readonly ReportStatus[];
export const REPORT_KINDS = ["suspected_case", "arrival_from_outbreak", "violation", "other"] as const satisfies readonly ReportKind[];
export const REPORT_MOVES = ["checking", "resolved", "unfounded"] as const satisfies readonly ReportMove[];
const _exhaustive: [Exactly<typeof REPORT_STATUSES, ReportStatus>, Exactly<typeof REPORT_KINDS, ReportKind>, Exactly<typeof REPORT_MOVES, ReportMove>] = [
  REPORT_STATUSES,
  REPORT_KINDS,
  REPORT_MOVES,
];
void _exhaustive;

export interface ReportListQuery {
  status?: ReportStatus | "";
  kind?: ReportKind | "";
  provinceCode?: string;
  communeCode?: string;
  limit?: number;
  cursor?: string | null;
}

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});
const reportPath = (id: string, rest = "") => `/api/reports/${encodeURIComponent(id)}${rest}`;

export const listReports = (query: ReportListQuery, signal?: AbortSignal) =>
  request<Page<ReportSummary>>("GET", "/api/reports", { query: { ...query }, ...withSignal(signal) });
export const getReport = (id: string, signal?: AbortSignal) => request<ReportDetail>("GET", reportPath(id), withSignal(signal));
/** Adds a note (and moves the status); answers the report with its notes. */
export const addReportNote = (id: string, input: NewReportNote) => request<ReportDetail>("POST", reportPath(id, "/notes"), { body: input });
