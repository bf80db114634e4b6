/**
 * The vaccination API as the portal calls it (docs/VACCINATION.md). Doses, reactions, coverage,
 * imports, sites, slots, lots and appointments take their shapes from the server's zod schemas
 * (types only: no zod in the bundle), so a change of the contract breaks the type check, not a page.
 */
import type { z } from "@hono/zod-openapi";
import type * as D from "../../../../server/vaccination/doses/schemas";
import type * as R from "../../../../server/vaccination/reference/schemas";
import type * as A from "../../../../server/vaccination/sites/appointments-schemas";
import type * as S from "../../../../server/vaccination/sites/schemas";
import type * as I from "../../../../server/vaccination/imports/schemas";
import { request, requestBlob, type Download, type Page } from "../../api";

type Out<T extends z.ZodTypeAny> = z.output<T>;
type In<T extends z.ZodTypeAny> = z.input<T>;

// ---------------------------------------------------------------------------------------------
// Shapes

export type Product = Out<typeof R.Product>;
export type Lot = Out<typeof R.Lot>;
export type NewLot = In<typeof R.CreateLot>;
export type Site = Out<typeof S.Site>;
export type SiteDetail = Out<typeof S.SiteDetail>;
export type SiteStaffMember = Out<typeof S.SiteStaffMember>;
export type Slot = Out<typeof S.Slot>;
export type NewSite = In<typeof S.CreateSite>;
export type SitePatch = In<typeof S.UpdateSite>;
export type PublishDay = In<typeof S.PublishSlots>;
export type Appointment = Out<typeof A.Appointment>;
export type AppointmentDetail = Out<typeof A.AppointmentDetail>;
export type NewAppointment = In<typeof A.StaffRegistration>;

export type SiteStatus = Site["status"];
export type PriorityGroup = Appointment["priorityGroup"];
export type AppointmentStatus = Appointment["status"];

export type Dose = Out<typeof D.Dose>;
export type DoseListItem = Out<typeof D.DoseListItem>;
export type DoseDetail = Out<typeof D.DoseDetail>;
export type NextDose = Out<typeof D.NextDose>;
export type PersonVaccinations = Out<typeof D.PersonVaccinations>;
export type AdverseEvent = Out<typeof D.AdverseEvent>;
export type AdverseEventDetail = Out<typeof D.AdverseEventDetail>;
export type AdverseEventNote = Out<typeof D.AdverseEventNote>;
export type NewAdverseEvent = In<typeof D.CreateAdverseEvent>;
export type AdverseEventPatch = In<typeof D.UpdateAdverseEvent>;
export type Coverage = Out<typeof D.Coverage>;
export type Severity = AdverseEvent["severity"];
export type ReactionStatus = AdverseEvent["status"];

export type ImportSummary = Out<typeof I.ImportSummary>;
export type ImportPreview = Out<typeof I.ImportPreview>;
export type ImportStatus = ImportPreview["status"];
export type ImportAction = ImportPreview["sample"][number]["action"];

type Exactly<A extends readonly string[], U extends string> = [U] extends [A[number]] ? A : never;
export const PRIORITY_GROUPS = ["health_worker", "frontline", "elderly", "chronic_disease", "pregnant", "general"] as const satisfies readonly PriorityGroup[];
export const APPOINTMENT_STATUSES = ["registered", "booked", "checked_in", "vaccinated", "cancelled", "no_show"] as const satisfies readonly AppointmentStatus[];
export const SITE_STATUSES = ["active", "closed"] as const satisfies readonly SiteStatus[];
export const SEVERITIES = ["mild", "moderate", "severe", "serious"] as const satisfies readonly Severity[];
export const REACTION_STATUSES = ["open", "following_up", "resolved"] as const satisfies readonly ReactionStatus[];
export const IMPORT_STATUSES = ["previewed", "committed", "discarded"] as const satisfies readonly ImportStatus[];
const _exhaustive: [
  Exactly<typeof PRIORITY_GROUPS, PriorityGroup>,
  Exactly<typeof APPOINTMENT_STATUSES, AppointmentStatus>,
  Exactly<typeof SITE_STATUSES, SiteStatus>,
  Exactly<typeof SEVERITIES, Severity>,
  Exactly<typeof REACTION_STATUSES, ReactionStatus>,
  Exactly<typeof IMPORT_STATUSES, ImportStatus>,
] = [PRIORITY_GROUPS, APPOINTMENT_STATUSES, SITE_STATUSES, SEVERITIES, REACTION_STATUSES, IMPORT_STATUSES];
void _exhaustive;

/** Reactions commonly reported after COVID-19 vaccines (the same codes the citizen app sends). */
export const REACTION_SYMPTOMS = [
  "injection_site_pain",
  "fever",
  "headache",
  "fatigue",
  "muscle_pain",
  "nausea",
  "rash",
  "breathing_difficulty",
  "chest_pain",
  "palpitations",
] as const;

export type NewDose = In<typeof D.CreateDose>;

// ---------------------------------------------------------------------------------------------
// Queries

interface Paged {
  limit?: number;
  cursor?: string | null;
}
export interface SiteListQuery extends Paged {
  q?: string;
  communeCode?: string;
  status?: SiteStatus | "";
}
export interface LotListQuery extends Paged {
  productCode?: string;
  q?: string;
  includeExpired?: boolean;
}
export interface AppointmentListQuery extends Paged {
  siteId?: string;
  day?: string;
  status?: AppointmentStatus | "";
  priorityGroup?: PriorityGroup | "";
  q?: string;
}
export interface DoseListQuery extends Paged {
  siteId?: string;
  communeCode?: string;
  from?: string;
  to?: string;
  productCode?: string;
  doseNumber?: number | "";
  q?: string;
}
export interface ReactionListQuery extends Paged {
  status?: ReactionStatus | "";
  severity?: Severity | "";
  communeCode?: string;
}
export interface ImportListQuery extends Paged {
  siteId?: string;
  status?: ImportStatus | "";
}
export interface CoverageQuery {
  provinceCode?: string;
  communeCode?: string;
  from?: string;
  to?: string;
}

// ---------------------------------------------------------------------------------------------
// Calls

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});
const enc = encodeURIComponent;

export const listProducts = (signal?: AbortSignal) => request<{ items: Product[] }>("GET", "/api/vaccine-products", withSignal(signal));
export const listLots = (query: LotListQuery, signal?: AbortSignal) =>
  request<Page<Lot>>("GET", "/api/vaccine-lots", { query: { ...query, includeExpired: query.includeExpired ? true : undefined }, ...withSignal(signal) });
export const createLot = (input: NewLot) => request<Lot>("POST", "/api/vaccine-lots", { body: input });

export const listSites = (query: SiteListQuery, signal?: AbortSignal) =>
  request<Page<Site>>("GET", "/api/vaccination-sites", { query: { ...query }, ...withSignal(signal) });
export const getSite = (id: string, signal?: AbortSignal) => request<SiteDetail>("GET", `/api/vaccination-sites/${enc(id)}`, withSignal(signal));
export const createSite = (input: NewSite) => request<Site>("POST", "/api/vaccination-sites", { body: input });
export const updateSite = (id: string, patch: SitePatch) => request<Site>("PATCH", `/api/vaccination-sites/${enc(id)}`, { body: patch });
export const assignStaff = (siteId: string, userId: string) => request<void>("PUT", `/api/vaccination-sites/${enc(siteId)}/staff/${enc(userId)}`);
export const unassignStaff = (siteId: string, userId: string) => request<void>("DELETE", `/api/vaccination-sites/${enc(siteId)}/staff/${enc(userId)}`);

export const listSlots = (siteId: string, range: { from?: string; to?: string }, signal?: AbortSignal) =>
  request<{ items: Slot[] }>("GET", `/api/vaccination-sites/${enc(siteId)}/slots`, { query: { ...range }, ...withSignal(signal) });
export const publishSlots = (siteId: string, input: PublishDay) => request<{ items: Slot[] }>("POST", `/api/vaccination-sites/${enc(siteId)}/slots`, { body: input });
export const deleteSlot = (id: string) => request<void>("DELETE", `/api/vaccination-slots/${enc(id)}`);

export const listAppointments = (query: AppointmentListQuery, signal?: AbortSignal) =>
  request<Page<Appointment>>("GET", "/api/vaccination/appointments", { query: { ...query }, ...withSignal(signal) });
export const registerAppointment = (input: NewAppointment) => request<Appointment>("POST", "/api/vaccination/appointments", { body: input });
export const cancelAppointment = (id: string) => request<Appointment>("POST", `/api/vaccination/appointments/${enc(id)}/cancel`);
export const checkInAppointment = (code: string) => request<AppointmentDetail>("POST", "/api/vaccination/appointments/check-in", { body: { code } });

export const recordDose = (input: NewDose) => request<Dose>("POST", "/api/vaccinations", { body: input });
export const listDoses = (query: DoseListQuery, signal?: AbortSignal) =>
  request<Page<DoseListItem>>("GET", "/api/vaccinations", { query: { ...query }, ...withSignal(signal) });
export const getDose = (id: string, signal?: AbortSignal) => request<DoseDetail>("GET", `/api/vaccinations/${enc(id)}`, withSignal(signal));
export const getPersonVaccinations = (personId: string, signal?: AbortSignal) =>
  request<PersonVaccinations>("GET", `/api/people/${enc(personId)}/vaccinations`, withSignal(signal));
export const printCertificate = (personId: string): Promise<Download> => requestBlob("GET", `/api/people/${enc(personId)}/certificates/vaccination.pdf`);
export const revokeCertificates = (personId: string, reason: string) =>
  request<unknown>("POST", "/api/certificates/revocations", { body: { personId, reason } });

export const reportReaction = (doseId: string, input: NewAdverseEvent) =>
  request<AdverseEvent>("POST", `/api/vaccinations/${enc(doseId)}/adverse-events`, { body: input });
export const listReactions = (query: ReactionListQuery, signal?: AbortSignal) =>
  request<Page<AdverseEvent>>("GET", "/api/adverse-events", { query: { ...query }, ...withSignal(signal) });
export const getReaction = (id: string, signal?: AbortSignal) => request<AdverseEventDetail>("GET", `/api/adverse-events/${enc(id)}`, withSignal(signal));
/** Both answer the reaction with its dose, person and notes. */
export const updateReaction = (id: string, patch: AdverseEventPatch) => request<AdverseEventDetail>("PATCH", `/api/adverse-events/${enc(id)}`, { body: patch });
export const addReactionNote = (id: string, note: string) => request<AdverseEventDetail>("POST", `/api/adverse-events/${enc(id)}/notes`, { body: { note } });

export const getCoverage = (query: CoverageQuery, signal?: AbortSignal) =>
  request<Coverage>("GET", "/api/vaccination/coverage", { query: { ...query }, ...withSignal(signal) });

export const uploadImport = (siteId: string, file: File) =>
  request<ImportPreview>("POST", "/api/vaccination-imports", { query: { siteId, fileName: file.name }, raw: { body: file, type: "text/csv" } });
export const listImports = (query: ImportListQuery, signal?: AbortSignal) =>
  request<Page<ImportSummary>>("GET", "/api/vaccination-imports", { query: { ...query }, ...withSignal(signal) });
export const getImport = (id: string, signal?: AbortSignal) => request<ImportPreview>("GET", `/api/vaccination-imports/${enc(id)}`, withSignal(signal));
export const commitImport = (id: string) => request<ImportPreview>("POST", `/api/vaccination-imports/${enc(id)}/commit`);
export const discardImport = (id: string) => request<ImportPreview>("POST", `/api/vaccination-imports/${enc(id)}/discard`);
export const downloadRejected = (id: string): Promise<Download> => requestBlob("GET", `/api/vaccination-imports/${enc(id)}/rejected.csv`);
