import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { OFFICER_ROLES } from "../auth/roles";
import { actorOf, anonymousActor } from "../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { createRateLimiter } from "../http/rate-limit";
import { createCase, getCase, listCases, updateCase } from "./cases";
import { addContact, confirmContact, getContact, listContacts, recordFollowUp, updateContact, worklist } from "./contacts";
import { caseGraph } from "./graph";
import { lookupNotices, riskyVenues } from "./notices";
import { lookupPeople } from "./people";
import { getTrace, traceCase } from "./run-trace";
import {
  AddContact,
  CaseIdParam,
  CaseList,
  CaseListQuery,
  CaseSchema,
  ConfirmContact,
  ContactDetail,
  ContactIdParam,
  ContactList,
  ContactListQuery,
  ContactSchema,
  CreateCase,
  FollowUpInput,
  FollowUpSchema,
  GraphQuery,
  GraphSchema,
  NoticeList,
  NoticeLookup,
  PeopleLookupQuery,
  PeopleLookupResult,
  RiskyVenueList,
  RiskyVenuesQuery,
  TraceRequest,
  TraceResult,
  UpdateCase,
  UpdateContact,
  WorklistQuery,
} from "./schemas";

const tags = ["Tracing"];
const middleware = requireAuth(...OFFICER_ROLES);
/** Finding an existing record by phone: officers who register cases, and site staff for a walk-in at the vaccination desk. */
const lookers = requireAuth("commune_officer", "province_officer", "national_admin", "site_staff");
const writeErrors = { ...authErrors, 409: errors[409] };
/** Notices: per address (generous: phones behind one carrier NAT share it), so nobody sweeps ids; they are random 128-bit ids anyway. */
const noticeLimiter = createRateLimiter(600, 60);

export const tracingRoutes = createRouter()
  .openapi(
    createRoute({ method: "get", path: "/people/lookup", tags, summary: "People with this phone number, nationwide (to register a case or a walk-in dose)", security: bearer, middleware: lookers, request: { query: PeopleLookupQuery }, responses: { 200: json(PeopleLookupResult, "Matches"), ...authErrors } }),
    async (c) => c.json(await lookupPeople(c.get("deps"), actorOf(c), c.req.valid("query").phone), 200),
  )
  .openapi(
    createRoute({ method: "get", path: "/cases", tags, summary: "Cases (F0) of the caller's area, newest first", security: bearer, middleware, request: { query: CaseListQuery }, responses: { 200: json(CaseList, "A page of cases"), ...authErrors } }),
    async (c) => c.json(await listCases(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/cases", tags, summary: "Register a case (F0); trace:true traces at once", security: bearer, middleware, request: { body: jsonBody(CreateCase) }, responses: { 201: json(CaseSchema, "Registered"), ...authErrors } }),
    async (c) => {
      const deps = c.get("deps");
      const actor = actorOf(c);
      const input = c.req.valid("json");
      const created = await createCase(deps, actor, input);
      if (input.trace) await traceCase(deps, actor, created.id, { degree: 1 });
      return c.json(input.trace ? await getCase(deps, actor, created.id) : created, 201);
    },
  )
  .openapi(
    createRoute({ method: "get", path: "/cases/{id}", tags, summary: "One case with its infectious window and contact counts", security: bearer, middleware, request: { params: CaseIdParam }, responses: { 200: json(CaseSchema, "The case"), ...authErrors } }),
    async (c) => c.json(await getCase(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({ method: "patch", path: "/cases/{id}", tags, summary: "Change a case's dates, isolation or status", security: bearer, middleware, request: { params: CaseIdParam, body: jsonBody(UpdateCase) }, responses: { 200: json(CaseSchema, "Changed"), ...authErrors } }),
    async (c) => c.json(await updateCase(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/cases/{id}/trace", tags, summary: "Trace the case: F1 from its visits (degree 1) or F2 from its F1s' (degree 2)", security: bearer, middleware, request: { params: CaseIdParam, body: jsonBody(TraceRequest) }, responses: { 200: json(TraceResult, "The trace"), ...authErrors } }),
    async (c) => {
      const phases: string[] = [];
      const result = await traceCase(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json"), (phase, ms) => phases.push(`${phase};dur=${ms.toFixed(1)}`));
      c.header("Server-Timing", phases.join(", "));
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({ method: "get", path: "/cases/{id}/trace", tags, summary: "The stored trace: visits, summary over all provinces, the area's contacts", security: bearer, middleware, request: { params: CaseIdParam }, responses: { 200: json(TraceResult, "The trace"), ...authErrors } }),
    async (c) => c.json(await getTrace(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/cases/{id}/contacts", tags, summary: "Add a household, workplace or declared contact", security: bearer, middleware, request: { params: CaseIdParam, body: jsonBody(AddContact) }, responses: { 201: json(ContactSchema, "Added"), ...authErrors } }),
    async (c) => c.json(await addContact(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({ method: "get", path: "/cases/{id}/graph", tags, summary: "The transmission graph of the case's cluster", security: bearer, middleware, request: { params: CaseIdParam, query: GraphQuery }, responses: { 200: json(GraphSchema, "Nodes and edges"), ...authErrors } }),
    async (c) => c.json(await caseGraph(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ method: "get", path: "/contacts", tags, summary: "Contacts (F1, F2) of the caller's area", security: bearer, middleware, request: { query: ContactListQuery }, responses: { 200: json(ContactList, "A page of contacts"), ...authErrors } }),
    async (c) => c.json(await listContacts(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ method: "get", path: "/contacts/worklist", tags, summary: "Who to call today: open contacts without a follow-up that day", security: bearer, middleware, request: { query: WorklistQuery }, responses: { 200: json(ContactList, "A page of contacts to call"), ...authErrors } }),
    async (c) => c.json(await worklist(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ method: "get", path: "/contacts/{id}", tags, summary: "One contact with its exposures and follow-ups", security: bearer, middleware, request: { params: ContactIdParam }, responses: { 200: json(ContactDetail, "The contact"), ...authErrors } }),
    async (c) => c.json(await getContact(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({ method: "patch", path: "/contacts/{id}", tags, summary: "Change a contact's status, quarantine end, team or notes", security: bearer, middleware, request: { params: ContactIdParam, body: jsonBody(UpdateContact) }, responses: { 200: json(ContactSchema, "Changed"), ...writeErrors } }),
    async (c) => c.json(await updateContact(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/contacts/{id}/follow-ups", tags, summary: "Record the day's call (one per day; sending again replaces it)", security: bearer, middleware, request: { params: ContactIdParam, body: jsonBody(FollowUpInput) }, responses: { 201: json(FollowUpSchema, "Recorded"), ...authErrors } }),
    async (c) => c.json(await recordFollowUp(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({ method: "post", path: "/contacts/{id}/confirm", tags, summary: "The contact tested positive: a new F0 case, traced at once", security: bearer, middleware, request: { params: ContactIdParam, body: jsonBody(ConfirmContact) }, responses: { 201: json(CaseSchema, "The new case"), ...writeErrors } }),
    async (c) => c.json(await confirmContact(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({ method: "get", path: "/risky-venues", tags, summary: "Venues of the area a case visited in the last days", security: bearer, middleware, request: { query: RiskyVenuesQuery }, responses: { 200: json(RiskyVenueList, "Venues"), ...authErrors } }),
    async (c) => c.json(await riskyVenues(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/exposures/lookup", tags, summary: "Exposure notices for the check-ins a phone made (no sign-in; nothing about the case)", request: { body: jsonBody(NoticeLookup) }, responses: { 200: json(NoticeList, "Notices"), 400: errors[400], 429: errors[429] } }),
    async (c) => {
      noticeLimiter.hit(c.get("ip"));
      return c.json(await lookupNotices(c.get("deps"), anonymousActor(c), c.req.valid("json").checkinIds), 200);
    },
  );
