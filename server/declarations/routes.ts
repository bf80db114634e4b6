import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { OFFICER_ROLES } from "../auth/roles";
import { actorOf, anonymousActor } from "../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { perIpLimit } from "./limits";
import {
  CitizenDeclarationInput,
  DeclarationIdParam,
  DeclarationList,
  DeclarationListQuery,
  DeclarationReceipt,
  DeclarationSchema,
  DeclarationStats,
  DeclarationStatsQuery,
  MyDeclaration,
  MyDeclarationList,
  MyDeclarationsQuery,
  PublicDeclarationInput,
  ReviewDeclaration,
} from "./schemas";
import {
  declarationStats,
  fileCitizenDeclaration,
  filePublicDeclaration,
  getDeclaration,
  listDeclarations,
  listMyDeclarations,
  reviewDeclaration,
} from "./service";

const tags = ["Declarations"];
const officers = requireAuth(...OFFICER_ROLES);
const citizen = requireAuth("citizen");
/** Public filings per address: generous (a household, or phones behind one carrier NAT, share it). */
const publicLimit = perIpLimit("declarations", 60, 600);

export const declarationRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/declarations",
      tags,
      summary: "File a health declaration without an account (rate-limited per address)",
      middleware: publicLimit,
      request: { body: jsonBody(PublicDeclarationInput) },
      responses: { 201: json(DeclarationReceipt, "Filed: the risk classification"), 400: errors[400], 404: errors[404], 429: errors[429] },
    }),
    async (c) => c.json(await filePublicDeclaration(c.get("deps"), anonymousActor(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/declarations",
      tags,
      summary: "File a declaration for yourself or a family member (personId)",
      security: bearer,
      middleware: citizen,
      request: { body: jsonBody(CitizenDeclarationInput) },
      responses: { 201: json(MyDeclaration, "Filed"), ...authErrors },
    }),
    async (c) => c.json(await fileCitizenDeclaration(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/declarations",
      tags,
      summary: "Your own and your family's declarations, newest first",
      security: bearer,
      middleware: citizen,
      request: { query: MyDeclarationsQuery },
      responses: { 200: json(MyDeclarationList, "A page of declarations"), ...authErrors },
    }),
    async (c) => c.json(await listMyDeclarations(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/declarations",
      tags,
      summary: "Declarations of the caller's area: follow_up first, then watch, then none; newest first within",
      security: bearer,
      middleware: officers,
      request: { query: DeclarationListQuery },
      responses: { 200: json(DeclarationList, "A page of declarations"), ...authErrors },
    }),
    async (c) => c.json(await listDeclarations(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  // before /declarations/{id}, so "stats" is not taken for an id
  .openapi(
    createRoute({
      method: "get",
      path: "/declarations/stats",
      tags,
      summary: "Declarations of the area per day of filing: all, follow_up, watch (default the last 14 days)",
      security: bearer,
      middleware: officers,
      request: { query: DeclarationStatsQuery },
      responses: { 200: json(DeclarationStats, "Counts per day"), ...authErrors },
    }),
    async (c) => c.json(await declarationStats(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/declarations/{id}",
      tags,
      summary: "One declaration of the caller's area",
      security: bearer,
      middleware: officers,
      request: { params: DeclarationIdParam },
      responses: { 200: json(DeclarationSchema, "The declaration"), ...authErrors },
    }),
    async (c) => c.json(await getDeclaration(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/declarations/{id}",
      tags,
      summary: "Review a declaration: contacted or closed, with a note (commune, province and national officers)",
      security: bearer,
      middleware: officers,
      request: { params: DeclarationIdParam, body: jsonBody(ReviewDeclaration) },
      responses: { 200: json(DeclarationSchema, "Reviewed"), ...authErrors },
    }),
    async (c) => c.json(await reviewDeclaration(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
