/**
 * The tracing API as the portal calls it (docs/TRACING.md). The JSON shapes are the server's
 * own zod schemas (server/tracing/schemas.ts), imported as types only: nothing of zod reaches
 * the bundle, and a change of the contract breaks the portal's type check instead of a page.
 */
import type { z } from "@hono/zod-openapi";
import type * as S from "../../../../server/tracing/schemas";
import { request, type Page } from "../../api";

type Out<T extends z.ZodTypeAny> = z.output<T>;
type In<T extends z.ZodTypeAny> = z.input<T>;

export type PersonSummary = Out<typeof S.PersonSummary>;
export type Case = Out<typeof S.CaseSchema>;
export type Contact = Out<typeof S.ContactSchema>;
export type Exposure = Out<typeof S.ExposureSchema>;
export type TraceVisit = Out<typeof S.TraceVisit>;
export type TraceResult = Out<typeof S.TraceResult>;
export type TracedContact = TraceResult["contacts"][number];
export type ContactDetail = Out<typeof S.ContactDetail>;
export type FollowUp = Out<typeof S.FollowUpSchema>;
export type Graph = Out<typeof S.GraphSchema>;
export type GraphNode = Graph["nodes"][number];
export type RiskyVenue = Out<typeof S.RiskyVenue>;

export type NewCase = In<typeof S.CreateCase>;
export type CasePatch = In<typeof S.UpdateCase>;
export type NewContact = In<typeof S.AddContact>;
export type ContactPatch = In<typeof S.UpdateContact>;
export type FollowUpInput = In<typeof S.FollowUpInput>;
export type ConfirmInput = In<typeof S.ConfirmContact>;
/** New person details, as a case or a hand-added contact carries them. */
export type NewPerson = Extract<In<typeof S.PersonRef>, { person: unknown }>["person"];

export type CaseStatus = Case["status"];
export type ConfirmationMethod = Case["method"];
export type ContactStatus = Contact["status"];
export type ContactSource = Contact["source"];
export type Symptom = NonNullable<FollowUpInput["symptoms"]>[number];

// The server's enums (db/schema/tracing.ts) repeated as values, checked against the contract both ways.
type Exactly<A extends readonly string[], U extends string> = [U] extends [A[number]] ? A : never;
export const CASE_STATUSES = ["active", "recovered", "died"] as const satisfies readonly CaseStatus[];
export const CONFIRMATION_METHODS = ["pcr", "rapid_antigen", "clinical"] as const satisfies readonly ConfirmationMethod[];
export const CONTACT_STATUSES = ["identified", "notified", "quarantined", "tested_negative", "became_f0", "released"] as const satisfies readonly ContactStatus[];
/** Statuses an officer may set by hand ("became_f0" comes only from "Confirm positive"). */
export const SETTABLE_CONTACT_STATUSES = ["identified", "notified", "quarantined", "tested_negative", "released"] as const satisfies readonly NonNullable<ContactPatch["status"]>[];
export const MANUAL_CONTACT_SOURCES = ["household", "workplace", "declared"] as const satisfies readonly NewContact["source"][];
export const SYMPTOMS = ["fever", "cough", "breathless", "sore_throat", "taste_smell_loss", "fatigue", "other"] as const satisfies readonly Symptom[];
const _exhaustive: [
  Exactly<typeof CASE_STATUSES, CaseStatus>,
  Exactly<typeof CONFIRMATION_METHODS, ConfirmationMethod>,
  Exactly<typeof CONTACT_STATUSES, ContactStatus>,
  Exactly<typeof SYMPTOMS, Symptom>,
] = [CASE_STATUSES, CONFIRMATION_METHODS, CONTACT_STATUSES, SYMPTOMS];
void _exhaustive;

export interface CaseListQuery {
  q?: string;
  status?: CaseStatus | "";
  provinceCode?: string;
  communeCode?: string;
  limit?: number;
  cursor?: string | null;
}

export interface ContactListQuery {
  caseId?: string;
  degree?: 1 | 2 | "";
  status?: ContactStatus | "";
  communeCode?: string;
  q?: string;
  limit?: number;
  cursor?: string | null;
}

export interface WorklistQuery {
  day?: string;
  communeCode?: string;
  limit?: number;
  cursor?: string | null;
}

export interface RiskyVenuesQuery {
  days?: number;
  communeCode?: string;
  limit?: number;
  cursor?: string | null;
}

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});
const casePath = (id: string, rest = "") => `/api/cases/${encodeURIComponent(id)}${rest}`;
const contactPath = (id: string, rest = "") => `/api/contacts/${encodeURIComponent(id)}${rest}`;

export const lookupPeople = (phone: string, signal?: AbortSignal) =>
  request<{ items: PersonSummary[] }>("GET", "/api/people/lookup", { query: { phone }, ...withSignal(signal) });

export const listCases = (query: CaseListQuery, signal?: AbortSignal) =>
  request<Page<Case>>("GET", "/api/cases", { query: { ...query }, ...withSignal(signal) });
export const createCase = (input: NewCase) => request<Case>("POST", "/api/cases", { body: input });
export const getCase = (id: string, signal?: AbortSignal) => request<Case>("GET", casePath(id), withSignal(signal));
export const updateCase = (id: string, patch: CasePatch) => request<Case>("PATCH", casePath(id), { body: patch });

export const runTrace = (id: string, degree: 1 | 2) => request<TraceResult>("POST", casePath(id, "/trace"), { body: { degree } });
export const getTrace = (id: string, signal?: AbortSignal) => request<TraceResult>("GET", casePath(id, "/trace"), withSignal(signal));
export const addContact = (caseId: string, input: NewContact) => request<Contact>("POST", casePath(caseId, "/contacts"), { body: input });
export const getGraph = (id: string, f2: "collapsed" | "expanded", signal?: AbortSignal) =>
  request<Graph>("GET", casePath(id, "/graph"), { query: { f2 }, ...withSignal(signal) });

export const listContacts = (query: ContactListQuery, signal?: AbortSignal) =>
  request<Page<Contact>>("GET", "/api/contacts", { query: { ...query }, ...withSignal(signal) });
export const contactWorklist = (query: WorklistQuery, signal?: AbortSignal) =>
  request<Page<Contact>>("GET", "/api/contacts/worklist", { query: { ...query }, ...withSignal(signal) });
export const getContact = (id: string, signal?: AbortSignal) => request<ContactDetail>("GET", contactPath(id), withSignal(signal));
export const updateContact = (id: string, patch: ContactPatch) => request<Contact>("PATCH", contactPath(id), { body: patch });
export const recordFollowUp = (id: string, input: FollowUpInput) => request<FollowUp>("POST", contactPath(id, "/follow-ups"), { body: input });
export const confirmContact = (id: string, input: ConfirmInput) => request<Case>("POST", contactPath(id, "/confirm"), { body: input });

export const listRiskyVenues = (query: RiskyVenuesQuery, signal?: AbortSignal) =>
  request<Page<RiskyVenue>>("GET", "/api/risky-venues", { query: { ...query }, ...withSignal(signal) });
