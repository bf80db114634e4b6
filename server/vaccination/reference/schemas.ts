/** Vaccine products and lots: request and answer shapes (docs/VACCINATION.md "Reference data"). */
import { z } from "@hono/zod-openapi";
import { Day, msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";

export const Product = z
  .object({
    code: z.string().openapi({ example: "PF" }),
    name: z.string(),
    manufacturer: z.string(),
    cvx: z.string().openapi({ description: "CVX code, the vaccineCode in certificates", example: "208" }),
    primaryDoses: z.number().int(),
    minIntervalDays: z.number().int(),
    mixableWith: z.array(z.string()),
    boosterAllowed: z.boolean(),
    active: z.boolean(),
  })
  .openapi("VaccineProduct");
export const ProductList = z.object({ items: z.array(Product) }).openapi("VaccineProductList");

export const Lot = z
  .object({
    id: z.string().uuid(),
    productCode: z.string(),
    lotNumber: z.string(),
    expiresOn: z.string().openapi({ example: "2027-06-30" }),
    dosesReceived: z.number().int().nullable(),
    expired: z.boolean().openapi({ description: "Expired before today (Asia/Ho_Chi_Minh)" }),
    createdAt: z.string(),
  })
  .openapi("VaccineLot");
export const LotList = pageSchema(Lot).openapi("VaccineLotList");

export const ProductCode = z
  .string({ error: msg("Chọn vắc xin", "Choose the vaccine product") })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{1,10}$/, msg("Mã vắc xin không hợp lệ", "Not a product code"))
  .openapi({ example: "PF" });

export const LotListQuery = z.object({
  productCode: ProductCode.optional(),
  q: z
    .string()
    .trim()
    .max(60, msg("Tối đa 60 ký tự", "At most 60 characters"))
    .optional()
    .openapi({ description: "Start of the lot number" }),
  includeExpired: z
    .enum(["true", "false"], { error: msg("includeExpired: true hoặc false", "includeExpired: true or false") })
    .default("false")
    .transform((v) => v === "true")
    .openapi({ description: "Also list lots expired before today" }),
  ...PageQuery,
});

export const CreateLot = z
  .object({
    productCode: ProductCode,
    lotNumber: z
      .string({ error: msg("Nhập số lô", "Enter the lot number") })
      .trim()
      .min(1, { error: msg("Nhập số lô", "Enter the lot number"), abort: true })
      .max(60, msg("Số lô tối đa 60 ký tự", "At most 60 characters"))
      .regex(/^[\p{L}\p{N}][\p{L}\p{N}._\/-]*$/u, msg("Số lô chỉ gồm chữ, số và . _ / -", "A lot number has letters, digits and . _ / - only"))
      .openapi({ example: "PF-2026-002" }),
    expiresOn: Day.openapi({ description: "Last day the lot may be used" }),
    dosesReceived: z
      .number({ error: msg("Số liều là số nguyên", "Doses received is a whole number") })
      .int(msg("Số liều là số nguyên", "Doses received is a whole number"))
      .min(0, msg("Số liều không âm", "Doses received may not be negative"))
      .max(100_000_000, msg("Số liều quá lớn", "Too many doses"))
      .nullish(),
  })
  .openapi("CreateVaccineLot");
export type CreateLotT = z.infer<typeof CreateLot>;
