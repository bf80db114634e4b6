import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

describe.each(engines())("administrative units on %s", (engine) => {
  let t: TestPlatform;
  let admin: string;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
    admin = await t.login("admin");
  });
  afterAll(() => t?.close());

  const csv = (text: string, token = admin, query = "") =>
    t.request("POST", `/api/admin-units/communes/import${query}`, { token, body: text, headers: { "content-type": "text/csv" } });

  it("has the 34 provinces", async () => {
    const body = (await (await t.request("GET", "/api/admin-units?level=province&limit=100")).json()) as any;
    expect(body.items).toHaveLength(34);
    expect(body.items.find((p: any) => p.code === "79").name).toBe("Hồ Chí Minh");
    expect(body.items.find((p: any) => p.code === "46").name).toBe("Huế");
    expect(body.nextCursor).toBeNull();
  });

  it("lists communes of a province, searches by name, and shows a unit with its parent", async () => {
    const body = (await (await t.request("GET", "/api/admin-units?level=commune&parent=01&limit=5")).json()) as any;
    expect(body.items).toHaveLength(5);
    expect(body.items.every((c: any) => c.parentCode === "01")).toBe(true);
    expect(body.nextCursor).toBeTruthy();
    const next = (await (await t.request("GET", `/api/admin-units?level=commune&parent=01&limit=50&cursor=${body.nextCursor}`)).json()) as any;
    expect(next.items[0].code > body.items[4].code).toBe(true);
    const search = (await (await t.request("GET", "/api/admin-units?q=ho%C3%A0n%20ki%E1%BA%BFm")).json()) as any;
    expect(search.items.map((c: any) => c.code)).toEqual(["00070"]);
    const unit = (await (await t.request("GET", "/api/admin-units/00070")).json()) as any;
    expect(unit).toMatchObject({ code: "00070", level: "commune", parent: { code: "01", name: "Hà Nội" }, communeCount: 0 });
    const province = (await (await t.request("GET", "/api/admin-units/01")).json()) as any;
    expect(province.communeCount).toBeGreaterThanOrEqual(12);
    expect((await t.request("GET", "/api/admin-units/99")).status).toBe(404);
  });

  it("imports communes: creates, updates, and reports bad rows by line without writing them", async () => {
    const file = [
      "code,name,province_code,population",
      "38001,Hạc Thành,38,120000",
      "38002,Quảng Phú,38,",
      "00070,Hoàn Kiếm,01,60000",
      "3800X,Bad Code,38,1",
      "38003,,38,1",
      "38004,Nowhere,99,1",
      "38005,Negative,38,-5",
      "38001,Duplicate,38,1",
    ].join("\n");
    const preview = (await (await csv(file, admin, "?dryRun=true")).json()) as any;
    expect(preview).toMatchObject({ dryRun: true, received: 8, created: 2, updated: 1 });
    expect((await t.request("GET", "/api/admin-units/38001")).status).toBe(404);
    const res = await csv(file);
    expect(res.status).toBe(200);
    const report = (await res.json()) as any;
    expect(report).toMatchObject({ dryRun: false, received: 8, created: 2, updated: 1 });
    expect(report.rejected.map((r: any) => r.line)).toEqual([5, 6, 7, 8, 9]);
    expect(report.rejected[0].message).toMatch(/5 digits/);
    const unit = (await (await t.request("GET", "/api/admin-units/00070")).json()) as any;
    expect(unit.population).toBe(60000);
    expect((await (await t.request("GET", "/api/admin-units/38002")).json()) as any).toMatchObject({ population: null, parentCode: "38" });
    expect((await t.request("GET", "/api/admin-units/38003")).status).toBe(404);
  });

  it("refuses a file without the required columns, a non-CSV body, and anonymous callers", async () => {
    const res = await csv("code,name\n1,2");
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/province_code/);
    const json = await t.request("POST", "/api/admin-units/communes/import", { token: admin, body: { a: 1 } });
    expect(json.status).toBe(415);
    const anon = await t.request("POST", "/api/admin-units/communes/import", { body: "x", headers: { "content-type": "text/csv" } });
    expect(anon.status).toBe(401);
  });

  it("imports a file of thousands of communes in one go", async () => {
    const lines = ["code,name,province_code,population"];
    for (let i = 0; i < 3300; i++) lines.push(`${String(50000 + i)},Xã số ${i},${i % 2 ? "40" : "38"},${1000 + i}`);
    const report = (await (await csv(lines.join("\n"))).json()) as any;
    expect(report.created).toBe(3300);
    expect(report.rejected).toEqual([]);
    const page = (await (await t.request("GET", "/api/admin-units?level=commune&parent=40&limit=500")).json()) as any;
    expect(page.items).toHaveLength(500);
  });
});
