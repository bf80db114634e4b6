/**
 * Data of the tracing pages: the filtered case and contact lists, labels of the server's enums,
 * and small formatters (overlaps, durations, dates in Vietnam time).
 */
import type { Accessor } from "solid-js";
import { ApiError } from "../../api";
import { hasMessage, intlLocale, t } from "../../i18n";
import { createKeysetList } from "../../pagination";
import { VENUE_TIME_ZONE, formatDay } from "../venues.data";
import {
  contactWorklist,
  listCases,
  listContacts,
  listRiskyVenues,
  type Case,
  type CaseStatus,
  type ConfirmationMethod,
  type Contact,
  type ContactSource,
  type ContactStatus,
  type RiskyVenue,
  type Symptom,
} from "./tracing.api";

export const CASES_PAGE_SIZE = 25;
export const CONTACTS_PAGE_SIZE = 50;

// ---------------------------------------------------------------------------------------------
// Lists

export interface CaseFilters {
  q: string;
  status: CaseStatus | "";
}
export const sameCaseFilters = (a: CaseFilters, b: CaseFilters) => a.q === b.q && a.status === b.status;
export const createCaseList = (filters: Accessor<CaseFilters>) =>
  createKeysetList<Case, CaseFilters>(filters, (f, cursor, signal) => listCases({ ...f, limit: CASES_PAGE_SIZE, cursor }, signal));

export interface ContactFilters {
  /** "today": the day's worklist; "all": every contact of the area. */
  view: "today" | "all";
  day: string;
  q: string;
  status: ContactStatus | "";
  degree: 1 | 2 | "";
  /** Only the contacts of one case (from the case page's "see all"). */
  caseId: string;
}
export const sameContactFilters = (a: ContactFilters, b: ContactFilters) =>
  a.view === b.view && a.day === b.day && a.q === b.q && a.status === b.status && a.degree === b.degree && a.caseId === b.caseId;
export const createContactList = (filters: Accessor<ContactFilters>) =>
  createKeysetList<Contact, ContactFilters>(filters, (f, cursor, signal) =>
    f.view === "today"
      ? contactWorklist({ day: f.day || undefined, limit: CONTACTS_PAGE_SIZE, cursor }, signal)
      : listContacts({ q: f.q, status: f.status, degree: f.degree, caseId: f.caseId || undefined, limit: CONTACTS_PAGE_SIZE, cursor }, signal),
  );

export const createRiskyVenueList = (days: Accessor<number>) =>
  createKeysetList<RiskyVenue, number>(days, (d, cursor, signal) => listRiskyVenues({ days: d, limit: CONTACTS_PAGE_SIZE, cursor }, signal));

// ---------------------------------------------------------------------------------------------
// Labels

export const caseStatusLabel = (s: CaseStatus): string => t(`tracing.caseStatus.${s}`);
export const contactStatusLabel = (s: ContactStatus): string => t(`tracing.contactStatus.${s}`);
export const methodLabel = (m: ConfirmationMethod): string => t(`tracing.method.${m}`);
export const sourceLabel = (s: ContactSource): string => t(`tracing.source.${s}`);
/** A symptom's name; a code this portal does not know yet is shown as it is. */
export const symptomLabel = (s: Symptom | string): string => {
  const key = `tracing.symptom.${s}`;
  return hasMessage(key) ? t(key) : s;
};
export const degreeLabel = (d: number): string => `F${d}`;

// ---------------------------------------------------------------------------------------------
// Formatting

const vnFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: VENUE_TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The Vietnam day and time of an instant: { day: "21/11/2026", time: "14:05" } (the same in both languages). */
function vnParts(iso: string): { day: string; time: string } | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const parts = vnFormat.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: `${get("day")}/${get("month")}/${get("year")}`, time: `${get("hour")}:${get("minute")}` };
}

/** "21/11/2026 14:05" in Vietnam time, whatever the browser's zone. */
export function formatVnDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const p = vnParts(iso);
  return p ? `${p.day} ${p.time}` : iso;
}

/** "21/11/2026 14:05 – 15:20", or with both days when the range crosses midnight. */
export function formatRange(from: string, to: string): string {
  const a = vnParts(from);
  const b = vnParts(to);
  if (!a || !b) return `${from} – ${to}`;
  return a.day === b.day ? `${a.day} ${a.time} – ${b.time}` : `${a.day} ${a.time} – ${b.day} ${b.time}`;
}

/** A calendar day from the server ("2026-11-28") as 28/11/2026. */
export const formatVnDay = (day: string | null | undefined): string => (day ? formatDay(day.slice(0, 10)) : "");

/** "1 h 25 min" / "25 phút". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t("tracing.minutes", { n: m });
  return m === 0 ? t("tracing.hours", { h }) : t("tracing.hoursMinutes", { h, m });
}

/** A duration in milliseconds: "320 ms", "2,4 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

/** A `datetime-local` value ("2026-11-21T08:30", read as Vietnam time) → ISO 8601 with +07:00. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  return `${value}:00+07:00`;
}

/** An ISO instant → the `datetime-local` value of the same moment in Vietnam time. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: VENUE_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

// ---------------------------------------------------------------------------------------------
// Errors of forms

/**
 * Field messages of a 400, keyed by the path without "body" ("person.phone", "confirmedOn"):
 * the case form has a `communeCode` of its own and one inside `person`.
 */
export function fieldErrorsByPath(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.details) {
    const path = issue.path
      .split(/[./]/)
      .filter((p) => p !== "" && p !== "body")
      .join(".");
    if (path && !(path in out)) out[path] = issue.message;
  }
  return out;
}

/** Whether every detail of a 400 is shown next to one of `fields` (then no banner is needed). */
export function shownByFields(error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError) || error.status !== 400 || error.details.length === 0) return false;
  const shown = Object.keys(fieldErrorsByPath(error));
  return shown.length > 0 && shown.every((path) => fields.includes(path)) && error.details.every((d) => d.path !== "");
}

