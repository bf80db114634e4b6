/** Streamed exports: aggregated tables, line lists (audited), the daily report (docs/STATS.md). */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter } from "../../http/openapi";
import { exportDailyReport } from "./daily-report";
import { exportLineList } from "./line-lists";
import { DailyReportQuery, LINE_LIST_KINDS, LineListQuery, StatsExportQuery } from "./schemas";
import { exportStats } from "./service";
import { CONTENT_TYPES, FORMATS, type Format } from "./stream";

const tags = ["Statistics"];
/** The aggregated tables and the daily report: every officer, of their area. */
const officers = requireAuth(...OFFICER_ROLES);
/** Line lists (personal data): province officers, health officers and national admins; commune officers 403. */
const lineListReaders = requireAuth("province_officer", "health_officer", "national_admin");

const FILE_DESCRIPTION: Record<Format, string> = {
  csv: "CSV: UTF-8 with BOM, comma-separated, CRLF, RFC 4180 quoting; text cells starting with = + - @ tab or CR are prefixed with '",
  xlsx: "XLSX (Office Open XML workbook), streamed",
  json: "A JSON array of objects, streamed",
};
const file = (format: Format, what: string) => ({
  description: `${what}. ${FILE_DESCRIPTION[format]}. Content-Disposition names the file with the area and the dates.`,
  content: {
    [CONTENT_TYPES[format]]: {
      schema: format === "json" ? z.array(z.record(z.string(), z.unknown())) : z.string().openapi({ format: "binary" }),
    },
  },
});

export const exportRoutes = createRouter();

for (const format of FORMATS) {
  exportRoutes.openapi(
    createRoute({
      method: "get",
      path: `/exports/stats.${format}`,
      tags,
      summary: `The aggregated table (${format.toUpperCase()}): one row per day × province or commune of the caller's area, every roll-up metric a column`,
      security: bearer,
      middleware: officers,
      request: { query: StatsExportQuery },
      responses: { 200: file(format, "The table"), ...authErrors },
    }),
    async (c) => {
      const { body, headers } = await exportStats(c.get("deps"), actorOf(c), format, c.req.valid("query"));
      return c.body(body, 200, headers);
    },
  );
}

for (const kind of LINE_LIST_KINDS) {
  for (const format of FORMATS) {
    exportRoutes.openapi(
      createRoute({
        method: "get",
        path: `/exports/line-lists/${kind}.${format}`,
        tags,
        summary: `The line list of ${kind} of the caller's area (${format.toUpperCase()}), no row cap; audited (export.line_list)`,
        security: bearer,
        middleware: lineListReaders,
        request: { query: LineListQuery },
        responses: { 200: file(format, `One row per ${kind === "doses" ? "dose" : kind === "cases" ? "case" : "contact"}`), ...authErrors },
      }),
      async (c) => {
        const { body, headers } = await exportLineList(c.get("deps"), actorOf(c), kind, format, c.req.valid("query"));
        return c.body(body, 200, headers);
      },
    );
  }
}

exportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/exports/daily-report.xlsx",
    tags,
    summary: "The daily report of a province (sheets \"Tổng hợp\": the day and cumulative; \"Theo xã\": one row per commune)",
    security: bearer,
    middleware: officers,
    request: { query: DailyReportQuery },
    responses: { 200: file("xlsx", "The report"), ...authErrors },
  }),
  async (c) => {
    const { body, headers } = await exportDailyReport(c.get("deps"), actorOf(c), c.req.valid("query"));
    return c.body(body, 200, headers);
  },
);
