/**
 * What each role may see and do in the portal. The server is the authority (it answers 403/404);
 * these rules only keep the portal from offering what the server would refuse.
 */
import { areaRuleFor, grantableBy, OFFICER_ROLES, USER_MANAGER_ROLES } from "../../server/auth/roles";
import type { Role, User } from "./api";

/** Roles that manage accounts: the users page. */
export const USER_ADMIN_ROLES: readonly Role[] = USER_MANAGER_ROLES;
/** Roles that read the audit log. */
export const AUDIT_ROLES: readonly Role[] = OFFICER_ROLES;

/** Which roles a caller may create or assign: the server's own table (server/auth/roles.ts). */
export function assignableRoles(caller: Role): Role[] {
  return [...grantableBy(caller)];
}

/**
 * The area an account of `role` carries: national admins none; province officers a province;
 * health officers a province and optionally a commune; commune officers and venue staff a commune.
 */
export type AreaNeed = "none" | "province" | "provinceOptionalCommune" | "commune";

export function areaNeed(role: Role): AreaNeed {
  const rule = areaRuleFor(role);
  if (rule.province === "none") return "none";
  if (rule.commune === "required") return "commune";
  return rule.commune === "optional" ? "provinceOptionalCommune" : "province";
}

/** The part of the area the caller cannot change: their own province and, for commune officers, commune. */
export function lockedArea(caller: User): { provinceCode: string | null; communeCode: string | null } {
  if (caller.role === "national_admin") return { provinceCode: null, communeCode: null };
  return {
    provinceCode: caller.provinceCode,
    communeCode: caller.role === "commune_officer" ? caller.communeCode : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Venues

/** Roles that see the venues pages: everyone but citizens. */
export const VENUE_ROLES: readonly Role[] = [
  "venue_staff",
  "commune_officer",
  "province_officer",
  "health_officer",
  "national_admin",
];

/** Officers who approve, suspend and reopen venues of their area (the server's rule for POST /status). */
export const VENUE_MODERATOR_ROLES: readonly Role[] = ["commune_officer", "province_officer", "national_admin"];

/** Roles that register venues: staff for their own commune (pending), moderators in their area (active). */
export const VENUE_CREATOR_ROLES: readonly Role[] = ["venue_staff", ...VENUE_MODERATOR_ROLES];

/** Health officers read venues and visitors; they do not change them. */
export const canModerateVenues = (role: Role): boolean => VENUE_MODERATOR_ROLES.includes(role);
export const canCreateVenues = (role: Role): boolean => VENUE_CREATOR_ROLES.includes(role);
/** Edit details, download posters, rotate the code, check people in: the venue's staff and moderators. */
export const canManageVenue = (role: Role): boolean => VENUE_CREATOR_ROLES.includes(role);

/** Which status changes make sense for a venue in `status`. */
export function venueActions(status: "pending" | "active" | "suspended"): ("approve" | "suspend" | "reopen")[] {
  switch (status) {
    case "pending":
      return ["approve", "suspend"]; // suspending a pending venue turns the registration down
    case "active":
      return ["suspend"];
    case "suspended":
      return ["reopen"];
  }
}

// ---------------------------------------------------------------------------------------------
// Cases and close-contact tracing

/** Roles that see cases, contacts and risky venues: the officers of an area. */
export const TRACING_ROLES: readonly Role[] = OFFICER_ROLES;

/** Officers who register cases, run traces and follow contacts up (health officers only read). */
export const TRACING_WRITER_ROLES: readonly Role[] = ["commune_officer", "province_officer", "national_admin"];

export const canEditTracing = (role: Role): boolean => TRACING_WRITER_ROLES.includes(role);

// ---------------------------------------------------------------------------------------------
// Health declarations and community reports

/** Roles that read the area's declarations and community reports: the officers of an area. */
export const DECLARATION_ROLES: readonly Role[] = ["commune_officer", "province_officer", "health_officer", "national_admin"];
export const REPORT_ROLES: readonly Role[] = ["commune_officer", "province_officer", "health_officer", "national_admin"];

/** Officers who mark a declaration contacted or closed (health officers only read). */
export const DECLARATION_REVIEWER_ROLES: readonly Role[] = ["commune_officer", "province_officer", "national_admin"];
/** Officers who add notes to a report and move its status. */
export const REPORT_WORKER_ROLES: readonly Role[] = ["commune_officer", "province_officer", "national_admin"];

export const canReviewDeclarations = (role: Role): boolean => DECLARATION_REVIEWER_ROLES.includes(role);
export const canWorkReports = (role: Role): boolean => REPORT_WORKER_ROLES.includes(role);
