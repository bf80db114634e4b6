/**
 * Area scope: the ONE place that turns a user into the filter on personal data.
 * National admins see the whole country; province users their province; commune users
 * their commune; venue staff the rows of their venues; citizens nothing through officer
 * routes (they read their own data through /api/me). Requests for rows outside the
 * filter answer 404, so ids of other areas do not leak.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { labStaff, siteStaff, testSiteStaff, venueStaff } from "../../db/schema";
import { grantableBy, type Role } from "./roles";

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  provinceCode: string | null;
  communeCode: string | null;
}

export interface Area {
  provinceCode: string | null;
  communeCode: string | null;
}

export interface AreaColumns {
  provinceCode: AnyPgColumn;
  communeCode?: AnyPgColumn;
  /** For tables of venue data: venue staff see the rows of their own venues. */
  venueId?: AnyPgColumn;
  /** For tables of vaccination-site data: site staff see the rows of their own sites. */
  siteId?: AnyPgColumn;
  /** For tables of testing-site data: site staff see the rows of the testing sites they work at. */
  testSiteId?: AnyPgColumn;
  /** For tables of lab data: lab staff see the rows of their own labs. */
  labId?: AnyPgColumn;
}

const NOTHING = sql`false`;

/** The where-clause that keeps a query of personal data inside the user's area. */
export function areaFilter(user: AuthUser, cols: AreaColumns): SQL | undefined {
  switch (user.role) {
    case "national_admin":
      return undefined;
    case "citizen":
      return NOTHING;
    case "venue_staff":
      if (!cols.venueId) return NOTHING;
      return inArray(
        cols.venueId,
        sql`(select ${venueStaff.venueId} from ${venueStaff} where ${venueStaff.userId} = ${user.id})`,
      );
    case "site_staff":
      if (cols.siteId) return inArray(cols.siteId, sql`(select ${siteStaff.siteId} from ${siteStaff} where ${siteStaff.userId} = ${user.id})`);
      if (cols.testSiteId) return inArray(cols.testSiteId, sql`(select ${testSiteStaff.siteId} from ${testSiteStaff} where ${testSiteStaff.userId} = ${user.id})`);
      return NOTHING;
    case "lab_staff":
      if (!cols.labId) return NOTHING;
      return inArray(cols.labId, sql`(select ${labStaff.labId} from ${labStaff} where ${labStaff.userId} = ${user.id})`);
    default: {
      if (!user.provinceCode) return NOTHING;
      const province = eq(cols.provinceCode, user.provinceCode);
      if (!user.communeCode) return province;
      if (!cols.communeCode) return NOTHING;
      return and(province, eq(cols.communeCode, user.communeCode));
    }
  }
}

/** Whether an area (of a row about to be written or read) lies within the user's area. */
export function inArea(user: AuthUser, target: Area): boolean {
  if (user.role === "national_admin") return true;
  if (user.role === "citizen" || user.role === "venue_staff" || user.role === "site_staff" || user.role === "lab_staff" || !user.provinceCode) return false;
  if (target.provinceCode !== user.provinceCode) return false;
  if (!user.communeCode) return true;
  return target.communeCode === user.communeCode;
}

export { OFFICER_ROLES, USER_MANAGER_ROLES, areaRuleFor } from "./roles";

export function canGrant(actor: AuthUser, role: Role): boolean {
  return grantableBy(actor.role).includes(role);
}

/** Province code used on audit rows of national-level subjects. */
export const NATIONAL = "00";
