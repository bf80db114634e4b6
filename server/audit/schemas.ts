import { z } from "@hono/zod-openapi";
import { PageQuery, pageSchema } from "../http/pagination";

export const AuditRowSchema = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ format: "date-time" }),
    actorUserId: z.string().nullable(),
    actorUsername: z.string().nullable(),
    actorRole: z.string().nullable(),
    action: z.string().openapi({ example: "user.read" }),
    subjectType: z.string(),
    subjectId: z.string().nullable(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditRow");

export const AuditList = pageSchema(AuditRowSchema).openapi("AuditList");

export const AuditQuerySchema = z.object({
  action: z.string().max(100).optional(),
  subjectType: z.string().max(100).optional(),
  subjectId: z.string().max(100).optional(),
  actorUserId: z.string().uuid().optional(),
  from: z.coerce.date().optional().openapi({ type: "string", format: "date-time" }),
  to: z.coerce.date().optional().openapi({ type: "string", format: "date-time" }),
  ...PageQuery,
});
