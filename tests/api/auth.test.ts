import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform, DEMO_PASSWORD, engines, type TestPlatform } from "../support/platform";

describe.each(engines())("identity on %s", (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string) =>
    t.request("POST", "/api/auth/login", { body: { username, password } });

  it("signs in and returns tokens and the user without its password hash", async () => {
    const res = await login("hn.province", DEMO_PASSWORD);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.accessToken.split(".")).toHaveLength(3);
    expect(body.refreshToken.length).toBeGreaterThan(20);
    expect(body.expiresIn).toBe(900);
    expect(body.user).toMatchObject({ username: "hn.province", role: "province_officer", provinceCode: "01", communeCode: null });
    expect(JSON.stringify(body)).not.toContain("scrypt");
    const me = await t.request("GET", "/api/me", { token: body.accessToken });
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).username).toBe("hn.province");
  });

  it("accepts the username in any case", async () => {
    expect((await login("HN.Province", DEMO_PASSWORD)).status).toBe(200);
  });

  it("refuses a wrong password and an unknown user with the same answer", async () => {
    const a = await login("hn.province", "wrong-password");
    const b = await login("nobody.here", "wrong-password");
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const ea = ((await a.json()) as any).error;
    const eb = ((await b.json()) as any).error;
    expect(ea.code).toBe("invalid_credentials");
    expect(ea.message).toBe(eb.message);
  });

  it("stores refresh tokens only as hashes", async () => {
    const res = await login("hn.commune", DEMO_PASSWORD);
    const { refreshToken } = (await res.json()) as any;
    const rows = await t.deps.db.query.refreshTokens.findMany();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.tokenHash === refreshToken)).toBe(false);
  });

  it("rotates refresh tokens; a reused token ends the whole session family", async () => {
    const first = (await (await login("hn.health", DEMO_PASSWORD)).json()) as any;
    const r1 = await t.request("POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } });
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as any;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // the first token again: reuse → refused, and the rotated one dies with it
    const reuse = await t.request("POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } });
    expect(reuse.status).toBe(401);
    const after = await t.request("POST", "/api/auth/refresh", { body: { refreshToken: second.refreshToken } });
    expect(after.status).toBe(401);
  });

  it("refuses a refresh token after logout", async () => {
    const s = (await (await login("hcm.province", DEMO_PASSWORD)).json()) as any;
    const out = await t.request("POST", "/api/auth/logout", { body: { refreshToken: s.refreshToken } });
    expect(out.status).toBe(204);
    const again = await t.request("POST", "/api/auth/refresh", { body: { refreshToken: s.refreshToken } });
    expect(again.status).toBe(401);
    expect(((await again.json()) as any).error.code).toBe("unauthorized");
  });

  it("refuses an unknown refresh token", async () => {
    const res = await t.request("POST", "/api/auth/refresh", { body: { refreshToken: "x".repeat(43) } });
    expect(res.status).toBe(401);
  });

  it("does not let a disabled account sign in or refresh", async () => {
    const admin = await t.login("admin");
    const created = await t.request("POST", "/api/users", {
      token: admin,
      body: { username: "to.disable", displayName: "Tạm", password: "Passw0rd!", role: "province_officer", provinceCode: "01" },
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as any;
    const session = (await (await login("to.disable", "Passw0rd!")).json()) as any;
    const patch = await t.request("PATCH", `/api/users/${user.id}`, { token: admin, body: { disabled: true } });
    expect(patch.status).toBe(200);
    expect((await login("to.disable", "Passw0rd!")).status).toBe(401);
    expect((await t.request("POST", "/api/auth/refresh", { body: { refreshToken: session.refreshToken } })).status).toBe(401);
  });

  it("writes an audit row for every login and failed login", async () => {
    await login("hn.venue", DEMO_PASSWORD);
    await login("hn.venue", "nope-nope");
    const rows = await t.deps.db.query.auditLog.findMany();
    const mine = rows.filter((r) => r.actorUsername === "hn.venue");
    expect(mine.map((r) => r.action)).toEqual(expect.arrayContaining(["auth.login", "auth.login_failed"]));
    expect(mine.every((r) => r.provinceCode === "01")).toBe(true);
  });

  it("validates the login body with field paths", async () => {
    const res = await t.request("POST", "/api/auth/login", { body: { username: "" } });
    expect(res.status).toBe(400);
    const err = ((await res.json()) as any).error;
    expect(err.code).toBe("validation_failed");
    expect(err.details.map((d: any) => d.path)).toEqual(expect.arrayContaining(["username", "password"]));
    expect(err.requestId).toBe(res.headers.get("x-request-id"));
  });
});

describe("login rate limit", () => {
  it("answers 429 with Retry-After once the limit is passed", async () => {
    const t = await createTestPlatform("pglite", { LOGIN_RATE_LIMIT: "3", LOGIN_RATE_WINDOW: "60" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t.request("POST", "/api/auth/login", { body: { username: "hn.province", password: "wrong-one" } });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // even the right password is refused while limited
      const ok = await t.request("POST", "/api/auth/login", { body: { username: "hn.province", password: DEMO_PASSWORD } });
      expect(ok.status).toBe(429);
    } finally {
      await t.close();
    }
  });
});
