/**
 * What each role may see and do in the portal. The server is the authority (it answers 403/404);
 * these rules only keep the portal from offering what the server would refuse.
 */
import type { Role, User } from "./api";

/** Roles that manage accounts: the users page. */
export const USER_ADMIN_ROLES: readonly Role[] = ["national_admin", "province_officer", "commune_officer"];
/** Roles that read the audit log. */
export const AUDIT_ROLES: readonly Role[] = [...USER_ADMIN_ROLES, "health_officer"];

/** Which roles a caller may create or assign. Citizens register themselves, not here. */
export function assignableRoles(caller: Role): Role[] {
  switch (caller) {
    case "national_admin":
      return ["national_admin", "province_officer", "health_officer", "commune_officer", "venue_staff"];
    case "province_officer":
      return ["province_officer", "health_officer", "commune_officer", "venue_staff"];
    case "commune_officer":
      return ["commune_officer", "venue_staff"];
    default:
      return [];
  }
}

/**
 * The area an account of `role` carries: national admins none; province officers a province;
 * health officers a province and optionally a commune; commune officers and venue staff a commune.
 */
export type AreaNeed = "none" | "province" | "provinceOptionalCommune" | "commune";

export function areaNeed(role: Role): AreaNeed {
  switch (role) {
    case "national_admin":
    case "citizen":
      return "none";
    case "province_officer":
      return "province";
    case "health_officer":
      return "provinceOptionalCommune";
    case "commune_officer":
    case "venue_staff":
      return "commune";
  }
}

/** The part of the area the caller cannot change: their own province and, for commune officers, commune. */
export function lockedArea(caller: User): { provinceCode: string | null; communeCode: string | null } {
  if (caller.role === "national_admin") return { provinceCode: null, communeCode: null };
  return {
    provinceCode: caller.provinceCode,
    communeCode: caller.role === "commune_officer" ? caller.communeCode : null,
  };
}
