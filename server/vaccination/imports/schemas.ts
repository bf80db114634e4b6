import { z } from "@hono/zod-openapi";
import { IMPORT_STATUSES } from "../../../db/schema";
import { msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";

const ACTIONS = ["create", "merge", "unchanged", "rejected"] as const;

export const ImportIdParam = z.object({
  id: z.string().uuid(msg("Mã lần nhập không hợp lệ", "Not an import id")).openapi({ param: { name: "id", in: "path" } }),
});

export const UploadQuery = z.object({
  siteId: z
    .string({ error: msg("Chọn điểm tiêm", "Choose the vaccination site") })
    .uuid(msg("Mã điểm tiêm không hợp lệ", "Not a site id"))
    .openapi({ description: "The site that gave the doses" }),
  fileName: z
    .string({ error: msg("Nhập tên tệp", "Give the file name") })
    .trim()
    .min(1, msg("Nhập tên tệp", "Give the file name"))
    .max(200, msg("Tên tệp tối đa 200 ký tự", "The file name is at most 200 characters"))
    .openapi({ example: "tiem-chung-thang-5.csv" }),
});

export const CsvBody = {
  required: true,
  content: {
    "text/csv": {
      schema: z.string().openapi({
        example: "ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui\nNguyễn Văn An,15/03/1980,0912345678,001080012345,AZ,AZ-2026-001,2026-05-02,1",
      }),
    },
  },
};

export const ImportListQuery = z.object({
  siteId: z.string().uuid(msg("Mã điểm tiêm không hợp lệ", "Not a site id")).optional(),
  status: z.enum(IMPORT_STATUSES, { error: msg("Trạng thái: previewed, committed hoặc discarded", "Status: previewed, committed or discarded") }).optional(),
  ...PageQuery,
});

const Counts = {
  totalRows: z.number().int(),
  createRows: z.number().int(),
  mergeRows: z.number().int(),
  unchangedRows: z.number().int(),
  rejectedRows: z.number().int(),
};

export const ImportSummary = z
  .object({
    id: z.string().uuid(),
    siteId: z.string().uuid(),
    siteName: z.string(),
    fileName: z.string(),
    status: z.enum(IMPORT_STATUSES),
    ...Counts,
    createdAt: z.string(),
    committedAt: z.string().nullable(),
  })
  .openapi("VaccinationImportSummary");
export const ImportList = pageSchema(ImportSummary).openapi("VaccinationImportList");

export const ImportPreview = z
  .object({
    id: z.string().uuid(),
    siteId: z.string().uuid(),
    fileName: z.string(),
    status: z.enum(IMPORT_STATUSES),
    ...Counts,
    rejected: z
      .array(z.object({ row: z.number().int(), errors: z.array(z.object({ column: z.string(), message: z.string() })) }))
      .openapi({ description: "The first 200 rejected rows (row 1 is the header) with every reason" }),
    sample: z
      .array(
        z.object({
          row: z.number().int(),
          action: z.enum(ACTIONS),
          fullName: z.string().nullable(),
          doseNumber: z.number().int().nullable(),
          productCode: z.string().nullable(),
          givenOn: z.string().nullable(),
        }),
      )
      .openapi({ description: "The first 20 rows and what each does (empty once committed or discarded: the file is not kept)" }),
    createdAt: z.string(),
    committedAt: z.string().nullable(),
  })
  .openapi("ImportPreview");
