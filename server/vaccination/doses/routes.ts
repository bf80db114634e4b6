/** Dose records, reactions (adverse events), a person's record and coverage (docs/VACCINATION.md). */
import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../../http/openapi";
import { addAdverseEventNote, getAdverseEvent, listAdverseEvents, recordAdverseEvent, updateAdverseEvent } from "./adverse-events";
import { coverage } from "./coverage";
import { myVaccination, reportMyAdverseEvent } from "./mine";
import {
  AddAdverseEventNote,
  AdverseEvent,
  AdverseEventDetail,
  AdverseEventIdParam,
  AdverseEventList,
  AdverseEventListQuery,
  Coverage,
  CoverageQuery,
  CreateAdverseEvent,
  CreateDose,
  Dose,
  DoseDetail,
  DoseIdParam,
  DoseList,
  DoseListQuery,
  MyVaccination,
  PersonIdParam,
  PersonVaccinations,
  UpdateAdverseEvent,
  UpdateDose,
} from "./schemas";
import { getDose, listDoses, personVaccinations, recordDose, updateDose } from "./service";

const tags = ["Vaccination"];
/** Record doses and reactions: site staff at their sites, commune/province/national officers at sites of their area. */
const recorders = requireAuth("site_staff", "commune_officer", "province_officer", "national_admin");
/** Read doses and reactions: every officer of the area (health officers too) and site staff. */
const readers = requireAuth(...OFFICER_ROLES, "site_staff");
const officers = requireAuth(...OFFICER_ROLES);
const citizen = requireAuth("citizen");
const ruleErrors = { ...authErrors, 409: errors[409], 422: errors[422] };

export const vaccinationDoseRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccinations",
      tags,
      summary: "Record a dose given at a site of the caller's scope (the dose rules are enforced; 422/409 name the rule broken)",
      security: bearer,
      middleware: recorders,
      request: { body: jsonBody(CreateDose) },
      responses: { 201: json(Dose, "Recorded"), ...ruleErrors },
    }),
    async (c) => c.json(await recordDose(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccinations",
      tags,
      summary: "Doses of the caller's area (site staff: of their sites), newest first",
      security: bearer,
      middleware: readers,
      request: { query: DoseListQuery },
      responses: { 200: json(DoseList, "A page of doses"), ...authErrors },
    }),
    async (c) => c.json(await listDoses(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccinations/{id}",
      tags,
      summary: "One dose with its person and reactions (audited)",
      security: bearer,
      middleware: readers,
      request: { params: DoseIdParam },
      responses: { 200: json(DoseDetail, "The dose"), ...authErrors },
    }),
    async (c) => c.json(await getDose(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/vaccinations/{id}",
      tags,
      summary: "Correct a dose's lot, day or vaccinator (the rules are checked again; audited with before and after)",
      security: bearer,
      middleware: recorders,
      request: { params: DoseIdParam, body: jsonBody(UpdateDose) },
      responses: { 200: json(Dose, "Corrected"), ...ruleErrors },
    }),
    async (c) => c.json(await updateDose(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/people/{id}/vaccinations",
      tags,
      summary: "A person's doses, reactions and next dose: officers of the person's area or of a site that vaccinated them, site staff likewise (audited)",
      security: bearer,
      middleware: readers,
      request: { params: PersonIdParam },
      responses: { 200: json(PersonVaccinations, "The person's record"), ...authErrors },
    }),
    async (c) => c.json(await personVaccinations(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccinations/{id}/adverse-events",
      tags,
      summary: "Record a reaction after this dose",
      security: bearer,
      middleware: recorders,
      request: { params: DoseIdParam, body: jsonBody(CreateAdverseEvent) },
      responses: { 201: json(AdverseEvent, "Recorded"), ...authErrors },
    }),
    async (c) => c.json(await recordAdverseEvent(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/adverse-events",
      tags,
      summary: "Reactions of the caller's area (site staff: after doses of their sites), newest first",
      security: bearer,
      middleware: readers,
      request: { query: AdverseEventListQuery },
      responses: { 200: json(AdverseEventList, "A page of reactions"), ...authErrors },
    }),
    async (c) => c.json(await listAdverseEvents(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/adverse-events/{id}",
      tags,
      summary: "One reaction with the dose, the person and the follow-up notes (audited)",
      security: bearer,
      middleware: readers,
      request: { params: AdverseEventIdParam },
      responses: { 200: json(AdverseEventDetail, "The reaction"), ...authErrors },
    }),
    async (c) => c.json(await getAdverseEvent(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/adverse-events/{id}",
      tags,
      summary: "Follow a reaction up: status, severity, outcome (site staff, commune, province and national officers)",
      security: bearer,
      middleware: readers,
      request: { params: AdverseEventIdParam, body: jsonBody(UpdateAdverseEvent) },
      responses: { 200: json(AdverseEventDetail, "Changed"), ...authErrors },
    }),
    async (c) => c.json(await updateAdverseEvent(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/adverse-events/{id}/notes",
      tags,
      summary: "Add a follow-up note (site staff, commune, province and national officers)",
      security: bearer,
      middleware: readers,
      request: { params: AdverseEventIdParam, body: jsonBody(AddAdverseEventNote) },
      responses: { 201: json(AdverseEventDetail, "The reaction with the new note"), ...authErrors },
    }),
    async (c) => c.json(await addAdverseEventNote(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json").note), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/vaccination",
      tags,
      summary: "The citizen's and their family members' doses, next dose and reactions (audited)",
      security: bearer,
      middleware: citizen,
      responses: { 200: json(MyVaccination, "Doses per person"), ...authErrors },
    }),
    async (c) => c.json(await myVaccination(c.get("deps"), actorOf(c)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/vaccinations/{id}/adverse-events",
      tags,
      summary: "Report a reaction to one's own or a family member's dose",
      security: bearer,
      middleware: citizen,
      request: { params: DoseIdParam, body: jsonBody(CreateAdverseEvent) },
      responses: { 201: json(AdverseEvent, "Reported"), ...authErrors },
    }),
    async (c) => c.json(await reportMyAdverseEvent(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination/coverage",
      tags,
      summary: "Coverage of the caller's area (or a unit inside it) and of each child unit, with the doses given per day",
      security: bearer,
      middleware: officers,
      request: { query: CoverageQuery },
      responses: { 200: json(Coverage, "Coverage"), ...authErrors },
    }),
    async (c) => c.json(await coverage(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  );
