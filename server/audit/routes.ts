import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { OFFICER_ROLES } from "../auth/scope";
import { actorOf } from "../http/actor";
import { authErrors, bearer, createRouter, json } from "../http/openapi";
import { AuditList, AuditQuerySchema } from "./schemas";
import { listAudit } from "./service";

export const auditRoutes = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/audit",
    tags: ["Audit"],
    summary: "The audit trail of the caller's area, newest first",
    security: bearer,
    middleware: [requireAuth(...OFFICER_ROLES)] as const,
    request: { query: AuditQuerySchema },
    responses: { 200: json(AuditList, "A page of audit rows"), ...authErrors },
  }),
  async (c) => {
    const result = await listAudit(c.get("deps"), actorOf(c), c.req.valid("query"));
    return c.json({ ...result, items: result.items.map((r) => ({ ...r, at: r.at.toISOString() })) }, 200);
  },
);
