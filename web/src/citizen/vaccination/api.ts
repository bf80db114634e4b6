/**
 * The citizen's vaccination API (docs/VACCINATION.md): doses, appointments, open sites and slots,
 * reactions, certificates. The JSON shapes are the server's own zod schemas, imported as types
 * only (nothing of zod or the server reaches the bundle).
 */
import type { z } from "@hono/zod-openapi";
import type * as D from "../../../../server/vaccination/doses/schemas";
import type * as A from "../../../../server/vaccination/sites/appointments-schemas";
import type * as S from "../../../../server/vaccination/sites/schemas";
import { call, callBlob, publicCall } from "../session";

type Out<T extends z.ZodTypeAny> = z.output<T>;

export type Dose = Out<typeof D.Dose>;
export type NextDose = NonNullable<Out<typeof D.NextDose>>;
export type AdverseEvent = Out<typeof D.AdverseEvent>;
export type PersonVaccination = Out<typeof D.MyVaccination>["people"][number];
export type NewReaction = z.input<typeof D.CreateAdverseEvent>;
export type Severity = AdverseEvent["severity"];
export type Appointment = Out<typeof A.Appointment>;
export type AppointmentStatus = Appointment["status"];
export type PriorityGroup = Appointment["priorityGroup"];
export type OpenSite = Out<typeof S.OpenSite>;
export type Slot = Out<typeof S.Slot>;

// The server's enums repeated as values (db/schema), checked against the contract both ways.
type Exactly<T extends readonly string[], U extends string> = [U] extends [T[number]] ? T : never;
export const PRIORITY_GROUPS = ["health_worker", "frontline", "elderly", "chronic_disease", "pregnant", "general"] as const satisfies readonly PriorityGroup[];
export const SEVERITIES = ["mild", "moderate", "severe", "serious"] as const satisfies readonly Severity[];
const _exhaustive: [Exactly<typeof PRIORITY_GROUPS, PriorityGroup>, Exactly<typeof SEVERITIES, Severity>] = [PRIORITY_GROUPS, SEVERITIES];
void _exhaustive;
/** Reactions a citizen can tick (AEFI commonly reported after COVID-19 vaccines); sent as these codes. */
export const REACTION_SYMPTOMS = ["injection_site_pain", "fever", "headache", "fatigue", "muscle_pain", "nausea", "rash", "breathing_difficulty", "chest_pain", "palpitations"] as const;

/** GET /api/me/certificates/vaccination. */
export interface Certificate {
  jws: string;
  qr: string;
  issuedAt: string;
}

interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

const enc = encodeURIComponent;
const personQuery = (personId?: string) => (personId ? `?personId=${enc(personId)}` : "");

export const myVaccination = () => call<{ people: PersonVaccination[] }>("GET", "/api/me/vaccination");
export const myAppointments = (cursor?: string | null) =>
  call<Page<Appointment>>("GET", `/api/me/vaccination/appointments?limit=50${cursor ? `&cursor=${enc(cursor)}` : ""}`);
export const register = (a: { personId?: string; priorityGroup: PriorityGroup; slotId?: string }) =>
  call<Appointment>("POST", "/api/me/vaccination/appointments", a);
export const book = (id: string, slotId: string) => call<Appointment>("POST", `/api/me/vaccination/appointments/${enc(id)}/book`, { slotId });
export const cancelAppointment = (id: string) => call<Appointment>("POST", `/api/me/vaccination/appointments/${enc(id)}/cancel`);
export const appointmentQr = (id: string) => callBlob(`/api/me/vaccination/appointments/${enc(id)}/qr.svg`);
export const reportReaction = (doseId: string, r: NewReaction) => call<AdverseEvent>("POST", `/api/me/vaccinations/${enc(doseId)}/adverse-events`, r);

export const openSites = (where: { provinceCode: string; communeCode?: string }) =>
  publicCall<Page<OpenSite>>("GET", `/api/vaccination-sites/open?limit=100&provinceCode=${enc(where.provinceCode)}${where.communeCode ? `&communeCode=${enc(where.communeCode)}` : ""}`);
/** The site's slots, today … +14 days unless told. */
export const siteSlots = (siteId: string, range?: { from: string; to: string }) =>
  publicCall<Page<Slot>>("GET", `/api/vaccination-sites/${enc(siteId)}/slots${range ? `?from=${range.from}&to=${range.to}` : ""}`);

export const certificate = (personId?: string) => call<Certificate>("GET", `/api/me/certificates/vaccination${personQuery(personId)}`);
export const certificatePdf = (personId?: string) => callBlob(`/api/me/certificates/vaccination.pdf${personQuery(personId)}`);
export const certificateFile = (personId?: string) => callBlob(`/api/me/certificates/vaccination.smart-health-card${personQuery(personId)}`);

/** Hands a Blob to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
