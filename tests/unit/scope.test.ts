import { describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { people } from "../../db/schema";
import { areaFilter, areaRuleFor, canGrant, inArea, type AuthUser } from "../../server/auth/scope";

const user = (role: AuthUser["role"], provinceCode: string | null = null, communeCode: string | null = null): AuthUser => ({
  id: "00000000-0000-4000-8000-000000000001",
  username: "u",
  role,
  provinceCode,
  communeCode,
});
const dialect = new PgDialect();
const render = (u: AuthUser) => {
  const f = areaFilter(u, people);
  return f ? dialect.sqlToQuery(f) : undefined;
};

describe("areaFilter", () => {
  it("lets a national admin see everything", () => {
    expect(render(user("national_admin"))).toBeUndefined();
  });
  it("filters a province user by province", () => {
    const q = render(user("province_officer", "01"))!;
    expect(q.sql).toBe('"people"."province_code" = $1');
    expect(q.params).toEqual(["01"]);
  });
  it("filters a commune user by province and commune", () => {
    const q = render(user("commune_officer", "01", "00070"))!;
    expect(q.sql).toContain('"people"."commune_code" = $2');
    expect(q.params).toEqual(["01", "00070"]);
  });
  it("gives citizens, venue staff (on non-venue tables) and users without area nothing", () => {
    expect(render(user("citizen", "01", "00070"))!.sql).toBe("false");
    expect(render(user("venue_staff", "01", "00070"))!.sql).toBe("false");
    expect(render(user("province_officer"))!.sql).toBe("false");
  });
});

describe("inArea", () => {
  const a = { provinceCode: "01", communeCode: "00070" };
  it("knows above, beside and below", () => {
    expect(inArea(user("national_admin"), a)).toBe(true);
    expect(inArea(user("province_officer", "01"), a)).toBe(true);
    expect(inArea(user("province_officer", "79"), a)).toBe(false);
    expect(inArea(user("commune_officer", "01", "00070"), a)).toBe(true);
    expect(inArea(user("commune_officer", "01", "00082"), a)).toBe(false);
    expect(inArea(user("commune_officer", "01", "00070"), { provinceCode: "01", communeCode: null })).toBe(false);
    expect(inArea(user("venue_staff", "01", "00070"), a)).toBe(false);
  });
});

describe("roles", () => {
  it("grants only roles at or below the manager's", () => {
    expect(canGrant(user("province_officer", "01"), "national_admin")).toBe(false);
    expect(canGrant(user("province_officer", "01"), "commune_officer")).toBe(true);
    expect(canGrant(user("commune_officer", "01", "00070"), "province_officer")).toBe(false);
    expect(canGrant(user("health_officer", "01"), "venue_staff")).toBe(false);
    expect(canGrant(user("national_admin"), "citizen")).toBe(false);
  });
  it("says which area each role carries", () => {
    expect(areaRuleFor("national_admin")).toEqual({ province: "none", commune: "none" });
    expect(areaRuleFor("commune_officer")).toEqual({ province: "required", commune: "required" });
  });
});
