/** Access tokens that must be refused: expired, not yet valid, forged, alg:none, HS256 with our public key, foreign key, wrong audience/issuer. */
import { createHmac } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAccessToken } from "../../server/auth/tokens";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

describe.each(engines())("access token attacks on %s", (engine) => {
  let t: TestPlatform;
  let good: string;
  let claims: Record<string, unknown>;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
    good = await t.login("admin");
    claims = JSON.parse(Buffer.from(good.split(".")[1]!, "base64url").toString());
  });
  afterAll(() => t?.close());

  const me = (token: string) => t.request("GET", "/api/users?limit=1", { token });
  const expectRefused = async (token: string) => {
    const res = await me(token);
    expect(res.status).toBe(401);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe("unauthorized");
  };

  it("accepts the genuine token (control)", async () => {
    expect((await me(good)).status).toBe(200);
  });

  it("refuses a request without a token", async () => {
    const res = await t.request("GET", "/api/users");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("refuses an expired token", async () => {
    const user = { id: String(claims.sub), username: "admin", role: "national_admin" as const, provinceCode: null, communeCode: null };
    const old = await signAccessToken(t.deps.keys, t.deps.config.publicUrl, 60, user, new Date(Date.now() - 3600_000));
    await expectRefused(old);
  });

  it("refuses a token not yet valid", async () => {
    const user = { id: String(claims.sub), username: "admin", role: "national_admin" as const, provinceCode: null, communeCode: null };
    const future = await signAccessToken(t.deps.keys, t.deps.config.publicUrl, 900, user, new Date(Date.now() + 3600_000));
    await expectRefused(future);
  });

  it("refuses a token whose payload was changed (signature no longer matches)", async () => {
    const [h, , s] = good.split(".");
    const forged = `${h}.${b64({ ...claims, role: "national_admin", prov: "79" })}.${s}`;
    await expectRefused(forged);
  });

  it("refuses alg:none", async () => {
    const unsigned = `${b64({ alg: "none", typ: "at+jwt" })}.${b64(claims)}.`;
    await expectRefused(unsigned);
  });

  it("refuses HS256 signed with the server's public key", async () => {
    const jwk = t.deps.keys.jwks().keys[0]!;
    const header = b64({ alg: "HS256", typ: "at+jwt", kid: jwk.kid });
    const body = b64(claims);
    const secret = JSON.stringify(jwk);
    const sig = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
    await expectRefused(`${header}.${body}.${sig}`);
  });

  it("refuses a token signed by another ES256 key, even with our kid", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const kid = t.deps.keys.jwks().keys[0]!.kid!;
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
      .sign(privateKey);
    await expectRefused(forged);
  });

  it("refuses the right key with the wrong audience or issuer", async () => {
    const key = t.deps.keys.signing("auth");
    const now = Math.floor(Date.now() / 1000);
    const base = { ...claims, iat: now, nbf: now, exp: now + 600 };
    const wrongAud = await new SignJWT({ ...base, aud: "someone-else" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt" })
      .sign(key.privateKey);
    const wrongIss = await new SignJWT({ ...base, iss: "https://evil.example" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt" })
      .sign(key.privateKey);
    await expectRefused(wrongAud);
    await expectRefused(wrongIss);
  });

  it("publishes only public keys in the JWKS, with CORS", async () => {
    const res = await t.request("GET", "/.well-known/jwks.json", { headers: { origin: "https://verifier.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const jwks = (await res.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(k.d).toBeUndefined();
      expect(k.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });
});
