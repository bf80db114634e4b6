import { z } from "@hono/zod-openapi";
import { PageQuery, pageSchema } from "../http/pagination";

export const AdminUnitSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(["province", "commune"]),
    parentCode: z.string().nullable(),
    population: z.number().int().nullable(),
  })
  .openapi("AdminUnit");

export const AdminUnitList = pageSchema(AdminUnitSchema).openapi("AdminUnitList");

export const AdminUnitQuery = z.object({
  level: z.enum(["province", "commune"]).optional(),
  parent: z.string().regex(/^\d{2}$/, "Province code is 2 digits").optional().openapi({ description: "Province code" }),
  q: z.string().max(100).optional().openapi({ description: "Part of the name" }),
  ...PageQuery,
});

export const AdminUnitDetail = AdminUnitSchema.extend({
  parent: AdminUnitSchema.nullable(),
  communeCount: z.number().int(),
}).openapi("AdminUnitDetail");

export const ImportReport = z
  .object({
    dryRun: z.boolean(),
    received: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    rejected: z.array(z.object({ line: z.number().int(), code: z.string().nullable(), message: z.string() })),
  })
  .openapi("CommuneImportReport");

export const ImportQuery = z.object({
  dryRun: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .openapi({ description: "Validate and report without writing" }),
});
