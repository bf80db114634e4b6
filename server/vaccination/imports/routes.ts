/** Bulk import of dose records from CSV: upload and preview, commit, discard (docs/VACCINATION.md). */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { actorOf } from "../../http/actor";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import { authErrors, bearer, createRouter, errors, json } from "../../http/openapi";
import { CsvBody, ImportIdParam, ImportList, ImportListQuery, ImportPreview, UploadQuery } from "./schemas";
import { commitImport, discardImport, getImport, listImports, rejectedCsv, uploadImport } from "./service";

const tags = ["Vaccination imports"];
/** Who imports: site staff for their sites, commune, province and national officers for the sites of their area. */
const writers = requireAuth("site_staff", "commune_officer", "province_officer", "national_admin");
/** Health officers read the area's imports too. */
const readers = requireAuth("site_staff", "commune_officer", "province_officer", "health_officer", "national_admin");

/** ASCII file name for old clients, the real one (RFC 5987) for the others. */
function disposition(fileName: string) {
  const stem = fileName.replace(/\.csv$/i, "");
  const ascii = `${stem}-loi`
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `attachment; filename="${ascii || "loi"}.csv"; filename*=UTF-8''${encodeURIComponent(`${stem}-loi.csv`)}`;
}

export const vaccinationImportRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination-imports",
      tags,
      summary: "Upload a CSV of doses given at a site and get the preview (nothing is written to the registry yet)",
      description:
        "Columns (Vietnamese or English): ho_ten|name, ngay_sinh|birth_date (YYYY-MM-DD or DD/MM/YYYY), so_dien_thoai|phone, cccd|id_number, vac_xin|product (code or name), so_lo|lot, ngay_tiem|date, mui|dose. Up to IMPORT_BODY_LIMIT bytes.",
      security: bearer,
      middleware: writers,
      request: { query: UploadQuery, body: CsvBody },
      responses: { 201: json(ImportPreview, "The preview: what each row would do"), ...authErrors, 413: errors[413] },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^text\/(csv|plain)/i.test(type)) throw new AppError("unsupported_media_type", msg("Gửi tệp dạng text/csv", "Send the file as text/csv"));
      return c.json(await uploadImport(c.get("deps"), actorOf(c), c.req.valid("query"), await c.req.text()), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination-imports",
      tags,
      summary: "Imports of the caller's area (site staff: their sites), newest first",
      security: bearer,
      middleware: readers,
      request: { query: ImportListQuery },
      responses: { 200: json(ImportList, "A page of imports"), ...authErrors },
    }),
    async (c) => c.json(await listImports(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination-imports/{id}",
      tags,
      summary: "One import's preview (planned again while the file is kept; audited)",
      security: bearer,
      middleware: readers,
      request: { params: ImportIdParam },
      responses: { 200: json(ImportPreview, "The preview"), ...authErrors },
    }),
    async (c) => c.json(await getImport(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination-imports/{id}/rejected.csv",
      tags,
      summary: "The rejected rows as CSV with dong (row) and loi (error) columns, to fix and upload again (audited)",
      security: bearer,
      middleware: readers,
      request: { params: ImportIdParam },
      responses: {
        200: { description: "The rejected rows", content: { "text/csv": { schema: z.string() } } },
        ...authErrors,
        409: errors[409],
      },
    }),
    async (c) => {
      const { fileName, text } = await rejectedCsv(c.get("deps"), actorOf(c), c.req.valid("param").id);
      return c.body(text, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": disposition(fileName), "cache-control": "no-store" });
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination-imports/{id}/commit",
      tags,
      summary: "Write every accepted row in one transaction (the rows are checked again first)",
      security: bearer,
      middleware: writers,
      request: { params: ImportIdParam },
      responses: { 200: json(ImportPreview, "Committed: the counts of what was written"), ...authErrors, 409: errors[409] },
    }),
    async (c) => c.json(await commitImport(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination-imports/{id}/discard",
      tags,
      summary: "Discard the import: nothing is written, the file is dropped",
      security: bearer,
      middleware: writers,
      request: { params: ImportIdParam },
      responses: { 200: json(ImportPreview, "Discarded"), ...authErrors, 409: errors[409] },
    }),
    async (c) => c.json(await discardImport(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  );
