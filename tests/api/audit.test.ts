/** Every read or change of personal data leaves an audit row that names who, what, which subject, from where. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../db/schema";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

describe.each(engines())("audit trail on %s", (engine) => {
  let t: TestPlatform;
  let province: string;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
    province = await t.login("hn.province");
  });
  afterAll(() => t?.close());

  const rows = () => t.deps.db.select().from(auditLog);

  async function expectAudited(action: string, call: () => Promise<Response>, subjectId?: string) {
    const before = (await rows()).length;
    const res = await call();
    expect(res.status).toBeLessThan(300);
    const after = await rows();
    const added = after.slice(before);
    const row = added.find((r) => r.action === action);
    expect(row, `no ${action} row`).toBeTruthy();
    expect(row!.actorUsername).toBe("hn.province");
    expect(row!.requestId).toBe(res.headers.get("x-request-id"));
    if (subjectId) expect(row!.subjectId).toBe(subjectId);
    return res;
  }

  it("audits list, read, create and update of users, and reading the audit log itself", async () => {
    await expectAudited("user.list", () => t.request("GET", "/api/users", { token: province }));
    const created = await expectAudited("user.create", () =>
      t.request("POST", "/api/users", {
        token: province,
        body: { username: "audit.subject", displayName: "S", password: "Str0ng-pass", role: "venue_staff", provinceCode: "01", communeCode: "00070" },
      }),
    );
    const { id } = (await created.json()) as any;
    await expectAudited("user.read", () => t.request("GET", `/api/users/${id}`, { token: province }), id);
    await expectAudited("user.update", () => t.request("PATCH", `/api/users/${id}`, { token: province, body: { displayName: "S2" } }), id);
    await expectAudited("audit.list", () => t.request("GET", "/api/audit", { token: province }));
    await expectAudited("me.read", () => t.request("GET", "/api/me", { token: province }));
  });

  it("lets officers query the trail by action, subject and time, newest first", async () => {
    const res = (await (await t.request("GET", "/api/audit?action=user.create&limit=10", { token: province })).json()) as any;
    expect(res.items.length).toBeGreaterThan(0);
    expect(res.items.every((r: any) => r.action === "user.create")).toBe(true);
    const all = (await (await t.request("GET", "/api/audit?limit=500", { token: province })).json()) as any;
    const ids = all.items.map((r: any) => r.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    const future = (await (await t.request("GET", `/api/audit?from=${new Date(Date.now() + 86400_000).toISOString()}`, { token: province })).json()) as any;
    expect(future.items).toEqual([]);
    const bad = await t.request("GET", "/api/audit?from=yesterday-ish", { token: province });
    expect(bad.status).toBe(400);
  });
});
