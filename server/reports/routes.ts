import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireAuth } from "../auth/middleware";
import { OFFICER_ROLES } from "../auth/roles";
import { verifyAccessToken } from "../auth/tokens";
import { perIpLimit } from "../declarations/limits";
import { actorOf, anonymousActor } from "../http/actor";
import type { AppEnv } from "../http/env";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { AddReportNote, CreateReport, PublicReport, ReceiptParam, ReportDetail, ReportIdParam, ReportList, ReportListQuery, ReportReceipt } from "./schemas";
import { addReportNote, createReport, getReport, listReports, reportByReceipt } from "./service";

const tags = ["Reports"];
const officers = requireAuth(...OFFICER_ROLES);
/** Filing per address: a few a quarter of an hour is plenty for a person, and stops floods. */
const fileLimit = perIpLimit("reports", 20, 900);
/** Receipt lookups per address: enough to follow one's reports, far too few to sweep codes. */
const receiptLimit = perIpLimit("report-receipts", 60, 60);

/** The signed-in citizen behind an optional bearer token (an invalid or non-citizen token counts as none). */
async function optionalCitizen(c: Context<AppEnv>): Promise<{ id: string; username: string } | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (!match?.[1]) return null;
  const deps = c.get("deps");
  try {
    const user = await verifyAccessToken(deps.keys, deps.config.publicUrl, match[1], deps.now());
    return user.role === "citizen" ? user : null;
  } catch {
    return null;
  }
}

export const reportRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/reports",
      tags,
      summary: "Report a suspected case, an arrival from an outbreak area or a violation (no account needed; a citizen's token is optional)",
      middleware: fileLimit,
      request: { body: jsonBody(CreateReport) },
      responses: { 201: json(ReportReceipt, "Filed: keep the receipt code"), 400: errors[400], 429: errors[429] },
    }),
    async (c) => {
      const citizen = await optionalCitizen(c);
      const actor = anonymousActor(c);
      return c.json(await createReport(c.get("deps"), actor, c.req.valid("json"), citizen?.id ?? null), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/reports/receipt/{receipt}",
      tags,
      summary: "Follow a report by its receipt code: kind, status, dates and the team's public notes",
      middleware: receiptLimit,
      request: { params: ReceiptParam },
      responses: { 200: json(PublicReport, "The report's progress"), 400: errors[400], 404: errors[404], 429: errors[429] },
    }),
    async (c) => c.json(await reportByReceipt(c.get("deps"), c.req.valid("param").receipt), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/reports",
      tags,
      summary: "The area's reports inbox, newest first",
      security: bearer,
      middleware: officers,
      request: { query: ReportListQuery },
      responses: { 200: json(ReportList, "A page of reports"), ...authErrors },
    }),
    async (c) => c.json(await listReports(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/reports/{id}",
      tags,
      summary: "One report with the reporter's details and every note (audited)",
      security: bearer,
      middleware: officers,
      request: { params: ReportIdParam },
      responses: { 200: json(ReportDetail, "The report"), ...authErrors },
    }),
    async (c) => c.json(await getReport(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/reports/{id}/notes",
      tags,
      summary: "Add a note, optionally moving the status and showing it to the reporter (commune, province and national officers)",
      security: bearer,
      middleware: officers,
      request: { params: ReportIdParam, body: jsonBody(AddReportNote) },
      responses: { 201: json(ReportDetail, "The report with the new note"), ...authErrors },
    }),
    async (c) => c.json(await addReportNote(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  );
