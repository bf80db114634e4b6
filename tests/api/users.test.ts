import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

describe.each(engines())("users on %s", (engine) => {
  let t: TestPlatform;
  let admin: string;
  let province: string;
  let commune: string;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
    admin = await t.login("admin");
    province = await t.login("hn.province");
    commune = await t.login("hn.commune");
  });
  afterAll(() => t?.close());

  const create = (token: string, body: Record<string, unknown>) => t.request("POST", "/api/users", { token, body });

  it("a province officer creates a commune officer of a commune of the province, who can then sign in", async () => {
    const res = await create(province, {
      username: "BaDinh.Officer",
      displayName: "Tổ cộng đồng Ba Đình",
      password: "Str0ng-pass",
      role: "commune_officer",
      provinceCode: "01",
      communeCode: "00004",
    });
    expect(res.status).toBe(201);
    const user = (await res.json()) as any;
    expect(user).toMatchObject({ username: "badinh.officer", role: "commune_officer", provinceCode: "01", communeCode: "00004", disabled: false });
    await expect(t.login("badinh.officer", "Str0ng-pass")).resolves.toBeTruthy();
    const got = await t.request("GET", `/api/users/${user.id}`, { token: province });
    expect(got.status).toBe(200);
  });

  it("refuses roles above the caller's", async () => {
    const res = await create(province, { username: "new.admin", displayName: "N", password: "Str0ng-pass", role: "national_admin" });
    expect(res.status).toBe(403);
    const res2 = await create(commune, { username: "new.prov", displayName: "N", password: "Str0ng-pass", role: "province_officer", provinceCode: "01" });
    expect(res2.status).toBe(403);
    const res3 = await create(commune, { username: "new.health", displayName: "N", password: "Str0ng-pass", role: "health_officer", provinceCode: "01", communeCode: "00070" });
    expect(res3.status).toBe(403);
  });

  it("a commune officer creates venue staff of the own commune only", async () => {
    const ok = await create(commune, { username: "shop.staff", displayName: "Quầy", password: "Str0ng-pass", role: "venue_staff", provinceCode: "01", communeCode: "00070" });
    expect(ok.status).toBe(201);
    const beside = await create(commune, { username: "shop.staff2", displayName: "Quầy", password: "Str0ng-pass", role: "venue_staff", provinceCode: "01", communeCode: "00082" });
    expect(beside.status).toBe(403);
  });

  it("validates with field paths", async () => {
    const res = await create(admin, { username: "a", displayName: "", password: "short", role: "mayor" });
    expect(res.status).toBe(400);
    const err = ((await res.json()) as any).error;
    expect(err.code).toBe("validation_failed");
    expect(err.details.map((d: any) => d.path).sort()).toEqual(["displayName", "password", "role", "username"]);
  });

  it("checks the area's shape and that units exist", async () => {
    const noCommune = await create(admin, { username: "cc.nocommune", displayName: "X", password: "Str0ng-pass", role: "commune_officer", provinceCode: "01" });
    expect(noCommune.status).toBe(400);
    expect(((await noCommune.json()) as any).error.details[0].path).toBe("communeCode");
    const wrongParent = await create(admin, { username: "cc.wrongparent", displayName: "X", password: "Str0ng-pass", role: "commune_officer", provinceCode: "79", communeCode: "00070" });
    expect(wrongParent.status).toBe(400);
    const noProvince = await create(admin, { username: "po.none", displayName: "X", password: "Str0ng-pass", role: "province_officer", provinceCode: "99" });
    expect(noProvince.status).toBe(400);
  });

  it("answers 409 for a taken username", async () => {
    const res = await create(admin, { username: "hn.province", displayName: "X", password: "Str0ng-pass", role: "province_officer", provinceCode: "01" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.details[0].path).toBe("username");
  });

  it("lists with keyset pages, text search and role filter", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const body = (await (await t.request("GET", q, { token: admin })).json()) as any;
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((u: any) => u.username));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(["admin", "hn.province", "hcm.province"]));
    const search = (await (await t.request("GET", "/api/users?q=c%C3%B4ng%20ngh%E1%BB%87", { token: admin })).json()) as any;
    expect(search.items.map((u: any) => u.username).sort()).toEqual(["hcm.province", "hn.province"]);
    const wildcard = (await (await t.request("GET", "/api/users?q=%25", { token: admin })).json()) as any;
    expect(wildcard.items).toEqual([]);
    const byRole = (await (await t.request("GET", "/api/users?role=venue_staff", { token: province })).json()) as any;
    expect(byRole.items.every((u: any) => u.role === "venue_staff")).toBe(true);
    const bad = await t.request("GET", "/api/users?cursor=garbage", { token: admin });
    expect(bad.status).toBe(400);
  });

  it("disables and re-enables an account, changes role and password", async () => {
    const created = (await (await create(province, { username: "temp.health", displayName: "T", password: "Str0ng-pass", role: "health_officer", provinceCode: "01" })).json()) as any;
    const off = await t.request("PATCH", `/api/users/${created.id}`, { token: province, body: { disabled: true } });
    expect(((await off.json()) as any).disabled).toBe(true);
    const on = await t.request("PATCH", `/api/users/${created.id}`, { token: province, body: { disabled: false, role: "commune_officer", communeCode: "00091", password: "New-pass-123" } });
    expect(on.status).toBe(200);
    expect(await on.json()).toMatchObject({ disabled: false, role: "commune_officer", communeCode: "00091" });
    await expect(t.login("temp.health", "New-pass-123")).resolves.toBeTruthy();
  });

  it("will not let a manager disable itself", async () => {
    const me = (await (await t.request("GET", "/api/me", { token: province })).json()) as any;
    const res = await t.request("PATCH", `/api/users/${me.id}`, { token: province, body: { disabled: true } });
    expect(res.status).toBe(400);
  });

  it("answers 400 for an id that is not a uuid", async () => {
    const res = await t.request("GET", "/api/users/not-an-id", { token: admin });
    expect(res.status).toBe(400);
  });
});
