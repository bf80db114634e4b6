import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { recordAudit } from "../audit/service";
import { actorOf } from "../http/actor";
import { AppError } from "../http/errors";
import { authErrors, bearer, createRouter, errors, json } from "../http/openapi";
import { CsvFormatError, importCommunes } from "./import";
import { AdminUnitDetail, AdminUnitList, AdminUnitQuery, ImportQuery, ImportReport } from "./schemas";
import { getAdminUnit, listAdminUnits } from "./service";

const tags = ["Administrative units"];

export const adminUnitRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/admin-units",
      tags,
      summary: "Provinces and communes (public reference data)",
      request: { query: AdminUnitQuery },
      responses: { 200: json(AdminUnitList, "A page of units ordered by code"), 400: errors[400] },
    }),
    async (c) => c.json(await listAdminUnits(c.get("deps"), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/admin-units/{code}",
      tags,
      summary: "One unit with its parent and number of communes",
      request: { params: z.object({ code: z.string().regex(/^\d{2}(\d{3})?$/, "2-digit province or 5-digit commune code") }) },
      responses: { 200: json(AdminUnitDetail, "The unit"), 400: errors[400], 404: errors[404] },
    }),
    async (c) => c.json(await getAdminUnit(c.get("deps"), c.req.valid("param").code), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/admin-units/communes/import",
      tags,
      summary: "Import communes from CSV (code,name,province_code,population); a province officer imports only their province",
      security: bearer,
      middleware: [requireAuth("national_admin", "province_officer")] as const,
      request: {
        query: ImportQuery,
        body: { required: true, content: { "text/csv": { schema: z.string().openapi({ example: "code,name,province_code,population\n00070,Hoàn Kiếm,01,135000" }) } } },
      },
      responses: { 200: json(ImportReport, "What was (or would be) created, updated and rejected"), ...authErrors, 413: errors[413] },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^text\/(csv|plain)/i.test(type)) throw new AppError("unsupported_media_type", "Send the file as text/csv");
      const actor = actorOf(c);
      const deps = c.get("deps");
      let report;
      try {
        report = await importCommunes(deps.db, await c.req.text(), {
          province: actor.user.role === "national_admin" ? null : actor.user.provinceCode,
          dryRun: c.req.valid("query").dryRun,
        });
      } catch (e) {
        if (e instanceof CsvFormatError) throw new AppError("validation_failed", e.message, [{ path: "(body)", message: e.message }]);
        throw e;
      }
      if (!report.dryRun)
        await recordAudit(deps, actor, {
          action: "admin_units.import",
          subjectType: "admin_unit",
          area: { provinceCode: actor.user.provinceCode, communeCode: null },
          details: { received: report.received, created: report.created, updated: report.updated, rejected: report.rejected.length },
        });
      return c.json(report, 200);
    },
  );
