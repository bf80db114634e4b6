/**
 * The statistics API as the portal calls it (docs/STATS.md): the dashboard and the metric list
 * take their shapes from the server's zod schemas (types only: no zod in the bundle); the exports
 * are files fetched with the officer's token (GET with a query string) and saved by the browser.
 */
import type { z } from "@hono/zod-openapi";
import type * as D from "../../../../server/stats/dashboard/schemas";
import { request, requestBlob, type Download } from "../../api";

type Out<T extends z.ZodTypeAny> = z.output<T>;

export type Dashboard = Out<typeof D.Dashboard>;
export type DashboardQuery = z.input<typeof D.DashboardQuery>;
export type Headline = Dashboard["headline"];
export type SeriesDay = Dashboard["series"][number];
export type ChildUnit = Dashboard["children"][number];
export type MetricInfo = Out<typeof D.MetricInfo>;
export type Level = Dashboard["unit"]["level"];
/** A roll-up metric: a key of a series day other than `day`. */
export type MetricKey = Exclude<keyof SeriesDay, "day">;
/** Anything the headline carries: metrics and derived figures. */
export type HeadlineKey = keyof Headline;

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const getDashboard = (query: DashboardQuery, signal?: AbortSignal) =>
  request<Dashboard>("GET", "/api/stats/dashboard", { query: { ...query }, ...withSignal(signal) });

export const getMetrics = () => request<{ items: MetricInfo[] }>("GET", "/api/stats/metrics");

// ---------------------------------------------------------------------------------------------
// Exports (server/stats/exports): the portal only builds the address.

export const EXPORT_FORMATS = ["csv", "xlsx", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const LINE_LIST_KINDS = ["cases", "contacts", "doses"] as const;
export type LineListKind = (typeof LINE_LIST_KINDS)[number];

export interface StatsExportQuery {
  level?: "province" | "commune";
  provinceCode?: string;
  communeCode?: string;
  from?: string;
  to?: string;
}

export const downloadStats = (format: ExportFormat, query: StatsExportQuery): Promise<Download> =>
  requestBlob("GET", `/api/exports/stats.${format}`, { query: { ...query } });

export const downloadLineList = (kind: LineListKind, format: ExportFormat, query: { from?: string; to?: string; communeCode?: string }): Promise<Download> =>
  requestBlob("GET", `/api/exports/line-lists/${kind}.${format}`, { query: { ...query } });

export const downloadDailyReport = (query: { day?: string; provinceCode?: string }): Promise<Download> =>
  requestBlob("GET", "/api/exports/daily-report.xlsx", { query: { ...query } });
