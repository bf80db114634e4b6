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
