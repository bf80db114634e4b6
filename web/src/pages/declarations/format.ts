/**
 * Small formatters shared by the declarations and reports pages: Vietnam days and times
 * (whatever the browser's zone), day arithmetic on YYYY-MM-DD, the area filter of a role.
 */
import { ApiError, type User } from "../../api";
import { VENUE_TIME_ZONE, formatDay } from "../venues.data";

const vnFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: VENUE_TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "21/11/2026 14:05" in Vietnam time (the same in both languages). */
export function formatVnDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = vnFormat.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("day")}/${get("month")}/${get("year")} ${get("hour")}:${get("minute")}`;
}

/** A calendar day from the server ("2026-11-28") as 28/11/2026. */
export const formatVnDay = (day: string | null | undefined): string => (day ? formatDay(day.slice(0, 10)) : "");

/** "2026-11-28" → "28/11" (the stats rows, where the year is in the heading). */
export const formatShortDay = (day: string): string => {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[2]}/${m[1]}` : day;
};

/** A YYYY-MM-DD day moved by `n` calendar days (UTC arithmetic, so no time-zone shifts). */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t)) return day;
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

export const isDay = (value: string | undefined | null): value is string => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

/**
 * Which area filters a role gets: national admins pick a province then a commune; officers of a
 * province (province officers, health officers of a whole province) pick a commune of theirs;
 * officers of one commune have nothing to pick.
 */
export function areaFilterOf(user: User): "province" | "commune" | "none" {
  if (user.role === "national_admin") return "province";
  if (user.communeCode || !user.provinceCode) return "none";
  return "commune";
}


/** The first field message of a 400 for `field` (paths like "body.reviewNote" or "note"). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 400) return undefined;
  return error.details.find((d) => d.path.split(/[./]/).filter((p) => p && p !== "body")[0] === field)?.message;
}
