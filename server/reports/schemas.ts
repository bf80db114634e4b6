import { z } from "@hono/zod-openapi";
import { REPORT_KINDS, REPORT_STATUSES } from "../../db/schema";
import { msg, Phone } from "../declarations/schemas";
import { PageQuery, pageSchema } from "../http/pagination";
import { CommuneCode as CommuneCodeBase, ProvinceCode } from "../users/schemas";

/** Receipt codes: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
export const RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const RECEIPT_LENGTH = 8;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, msg(`Tối đa ${max} ký tự`, `At most ${max} characters`))
    .nullish()
    .transform((s) => (s ? s : null));

export const CreateReport = z
  .object({
    kind: z.enum(REPORT_KINDS, {
      error: msg("Loại phản ánh: suspected_case, arrival_from_outbreak, violation hoặc other", "Kind: suspected_case, arrival_from_outbreak, violation or other"),
    }),
    communeCode: z
      .string({ error: msg("Chọn xã/phường", "Choose the commune") })
      .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
      .openapi({ example: "00070" }),
    place: optionalText(300).openapi({ description: "Where (address, landmark)" }),
    description: z
      .string({ error: msg("Mô tả sự việc", "Describe what happened") })
      .trim()
      .min(10, msg("Mô tả ít nhất 10 ký tự", "Describe it in at least 10 characters"))
      .max(4000, msg("Tối đa 4000 ký tự", "At most 4000 characters")),
    /** Optional: the reporter may stay anonymous. */
    name: optionalText(120).openapi({ description: "Reporter's name (optional)" }),
    phone: Phone.nullish().openapi({ description: "Reporter's phone (optional)" }),
  })
  .openapi("CreateReport");
export type CreateReportT = z.infer<typeof CreateReport>;

export const ReportReceipt = z
  .object({ receipt: z.string().openapi({ example: "7KQ2MZ4H" }), status: z.enum(REPORT_STATUSES), createdAt: z.string() })
  .openapi("ReportReceipt");

export const ReceiptParam = z.object({
  receipt: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[2-9A-HJKMNP-Z]{8}$/, msg("Mã tiếp nhận gồm 8 ký tự", "The receipt code is 8 characters"))
    .openapi({ param: { name: "receipt", in: "path" }, example: "7KQ2MZ4H" }),
});

export const PublicNote = z.object({ note: z.string(), status: z.enum(REPORT_STATUSES).nullable(), createdAt: z.string() }).openapi("ReportPublicNote");

/** What the reporter sees by receipt: nothing about who reported. */
export const PublicReport = z
  .object({
    receipt: z.string(),
    kind: z.enum(REPORT_KINDS),
    status: z.enum(REPORT_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
    notes: z.array(PublicNote),
  })
  .openapi("PublicReport");

/** A report in the officers' inbox (no reporter details: those are in the audited detail). */
export const ReportSummary = z
  .object({
    id: z.string().uuid(),
    receipt: z.string(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    kind: z.enum(REPORT_KINDS),
    place: z.string().nullable(),
    description: z.string(),
    status: z.enum(REPORT_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("ReportSummary");
export const ReportList = pageSchema(ReportSummary).openapi("ReportList");

export const ReportNote = z
  .object({
    id: z.string().uuid(),
    note: z.string(),
    status: z.enum(REPORT_STATUSES).nullable(),
    isPublic: z.boolean(),
    authorUserId: z.string().uuid().nullable(),
    authorName: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("ReportNote");

export const ReportDetail = ReportSummary.extend({
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable(), userId: z.string().uuid().nullable() }),
  notes: z.array(ReportNote),
}).openapi("ReportDetail");

export const ReportListQuery = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  kind: z.enum(REPORT_KINDS).optional(),
  provinceCode: ProvinceCode.optional(),
  communeCode: CommuneCodeBase.optional(),
  ...PageQuery,
});

export const ReportIdParam = z.object({
  id: z.string().uuid(msg("Mã phản ánh không hợp lệ", "Not a report id")).openapi({ param: { name: "id", in: "path" } }),
});

export const AddReportNote = z
  .object({
    note: z
      .string({ error: msg("Nhập ghi chú", "Enter the note") })
      .trim()
      .min(1, msg("Nhập ghi chú", "Enter the note"))
      .max(2000, msg("Tối đa 2000 ký tự", "At most 2000 characters")),
    /** Moves the report: new → checking → resolved | unfounded. */
    status: z
      .enum(["checking", "resolved", "unfounded"], { error: msg("Trạng thái: checking, resolved hoặc unfounded", "Status: checking, resolved or unfounded") })
      .optional(),
    /** Shown to the reporter who follows the receipt code. */
    isPublic: z.boolean().default(false),
  })
  .openapi("AddReportNote");
