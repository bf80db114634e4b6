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

// ---------------------------------------------------------------------------------------------
// Vaccination (docs/VACCINATION.md, "Who does what")

/** Roles that open the vaccination pages: site staff (their sites) and the officers of an area. */
export const VACCINATION_ROLES: readonly Role[] = ["site_staff", ...OFFICER_ROLES];
/** Officers who create and edit sites and assign their staff. */
export const SITE_MANAGER_ROLES: readonly Role[] = ["commune_officer", "province_officer", "national_admin"];
/** Who publishes slots, checks people in, records doses and reactions, imports lists. */
export const VACCINATOR_ROLES: readonly Role[] = ["site_staff", ...SITE_MANAGER_ROLES];
/** Who adds vaccine lots. */
export const LOT_WRITER_ROLES: readonly Role[] = ["province_officer", "health_officer", "national_admin"];
/** Who revokes a person's health cards. */
export const REVOKER_ROLES: readonly Role[] = ["province_officer", "national_admin"];
/** Coverage is the officers' view of an area (site staff work on their own sites). */
export const COVERAGE_ROLES: readonly Role[] = OFFICER_ROLES;

export const canManageSites = (role: Role): boolean => SITE_MANAGER_ROLES.includes(role);
export const canVaccinate = (role: Role): boolean => VACCINATOR_ROLES.includes(role);
export const canAddLots = (role: Role): boolean => LOT_WRITER_ROLES.includes(role);
export const canRevokeCertificates = (role: Role): boolean => REVOKER_ROLES.includes(role);
/** Reactions are followed up (status, notes) by site staff and the officers who record doses; health officers read. */
export const canFollowUpReactions = (role: Role): boolean => VACCINATOR_ROLES.includes(role);
/** Who searches the registry by phone (the server's rule for GET /api/people/lookup): officers who register cases, and vaccinators for walk-ins. */
export const canLookUpPeople = (role: Role): boolean => VACCINATOR_ROLES.includes(role);
/** Whether an area lies within the caller's (the server's inArea): national admins everywhere, others their province or commune. */
export function withinArea(user: User, area: { provinceCode: string | null; communeCode: string | null }): boolean {
  if (user.role === "national_admin") return true;
  if (!user.provinceCode || area.provinceCode !== user.provinceCode) return false;
  return !user.communeCode || area.communeCode === user.communeCode;
}
/** Certificates are printed by the officers of the person's area (a person vaccinated here but living elsewhere is not theirs). */
export const canPrintCertificates = (user: User, person: { provinceCode: string | null; communeCode: string | null }): boolean =>
  (OFFICER_ROLES as readonly Role[]).includes(user.role) && withinArea(user, person);

// ---------------------------------------------------------------------------------------------
// Testing (docs/TESTING.md, "Who does what")

/** Roles that open the testing pages: site staff (their sites), lab staff (their lab) and the officers of an area. */
export const TESTING_ROLES: readonly Role[] = ["site_staff", "lab_staff", ...OFFICER_ROLES];
/** Officers who open campaigns, sites and labs and assign their staff (health officers only read). */
export const TEST_MANAGER_ROLES: readonly Role[] = ["commune_officer", "province_officer", "national_admin"];
/** Who takes samples and fills pools: site staff at their sites, the managing officers at every site of their area. */
export const SAMPLER_ROLES: readonly Role[] = ["site_staff", ...TEST_MANAGER_ROLES];
/** Who records a lab's results: lab staff, and province officers and national admins for the labs of their area. */
export const LAB_ROLES: readonly Role[] = ["lab_staff", "province_officer", "national_admin"];
/** Who creates labs and assigns lab staff. */
export const LAB_MANAGER_ROLES: readonly Role[] = ["province_officer", "national_admin"];
/** Campaigns, sites and statistics are the officers' view of an area. */
export const TEST_OFFICER_ROLES: readonly Role[] = OFFICER_ROLES;
/** A testing site's page: its staff and the officers of its area. */
export const TEST_SITE_ROLES: readonly Role[] = ["site_staff", ...OFFICER_ROLES];
/** The labs list: the officers of an area and lab staff (their own lab). */
export const LABS_PAGE_ROLES: readonly Role[] = ["lab_staff", ...OFFICER_ROLES];

export const canManageTesting = (role: Role): boolean => TEST_MANAGER_ROLES.includes(role);
export const canTakeSamples = (role: Role): boolean => SAMPLER_ROLES.includes(role);
export const canRecordLabResults = (role: Role): boolean => LAB_ROLES.includes(role);
export const canManageLabs = (role: Role): boolean => LAB_MANAGER_ROLES.includes(role);
/** A rapid test's result is read at the site: its staff and the officers who take samples. */
export const canRecordRapidResults = (role: Role): boolean => SAMPLER_ROLES.includes(role);

// ---------------------------------------------------------------------------------------------
// Statistics, exports and announcements (docs/STATS.md)

/** The dashboard and the aggregated exports: the officers of an area (national admins the country). */
export const STATS_ROLES: readonly Role[] = OFFICER_ROLES;
/** Line lists (personal data, audited): province officers, health officers and national admins; not commune officers. */
export const LINE_LIST_ROLES: readonly Role[] = ["province_officer", "health_officer", "national_admin"];
/** The daily report of a province: every officer of it. */
export const DAILY_REPORT_ROLES: readonly Role[] = OFFICER_ROLES;
/** The announcements page: the officers of an area (health officers read). */
export const ANNOUNCEMENT_ROLES: readonly Role[] = OFFICER_ROLES;
/** Who writes, publishes and withdraws announcements. */
export const ANNOUNCEMENT_WRITER_ROLES: readonly Role[] = ["commune_officer", "province_officer", "national_admin"];
