/**
 * The role rules, as plain data with no dependencies, so the server enforces them and the
 * portal (web/src/access.ts) offers exactly the same choices.
 */
export const ROLES = [
  "citizen",
  "venue_staff",
  "site_staff",
  "lab_staff",
  "commune_officer",
  "province_officer",
  "health_officer",
  "national_admin",
] as const;
export type Role = (typeof ROLES)[number];

/** Officer roles that work on the personal data of an area. */
export const OFFICER_ROLES = ["commune_officer", "province_officer", "health_officer", "national_admin"] as const satisfies readonly Role[];
/** Roles that manage user accounts of their area. */
export const USER_MANAGER_ROLES = ["commune_officer", "province_officer", "national_admin"] as const satisfies readonly Role[];

/** Which roles each manager may create or edit (always within its own area). Citizens sign up themselves. */
export const GRANTABLE: Partial<Record<Role, readonly Role[]>> = {
  national_admin: ["national_admin", "province_officer", "health_officer", "commune_officer", "venue_staff", "site_staff", "lab_staff"],
  province_officer: ["province_officer", "health_officer", "commune_officer", "venue_staff", "site_staff", "lab_staff"],
  commune_officer: ["commune_officer", "venue_staff", "site_staff"],
};

export function grantableBy(role: Role): readonly Role[] {
  return GRANTABLE[role] ?? [];
}

export interface AreaRule {
  province: "none" | "required";
  commune: "none" | "optional" | "required";
}

/** The shape of area each role must carry. */
export function areaRuleFor(role: Role): AreaRule {
  switch (role) {
    case "national_admin":
      return { province: "none", commune: "none" };
    case "province_officer":
      return { province: "required", commune: "none" };
    case "health_officer":
    case "lab_staff":
      return { province: "required", commune: "optional" };
    case "commune_officer":
    case "venue_staff":
    case "site_staff":
      return { province: "required", commune: "required" };
    case "citizen":
      return { province: "none", commune: "optional" };
  }
}
