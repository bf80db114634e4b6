import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

describe.each(engines())("HTTP conventions on %s", (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform(engine, { BODY_LIMIT: "4096" });
  });
  afterAll(() => t?.close());

  it("GET /healthz answers ok", async () => {
    const res = await t.request("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("gives every response a request id and the one error shape", async () => {
    const res = await t.request("GET", "/api/no-such-thing");
    expect(res.status).toBe(404);
    const id = res.headers.get("x-request-id");
    expect(id).toBeTruthy();
    expect(await res.json()).toEqual({ error: { code: "not_found", message: expect.any(String), requestId: id } });
  });

  it.each(["/healthz", "/api/no-such-thing", "/api/docs", "/.well-known/jwks.json", "/c/not-a-token", "/"])("sends security headers and a CSP on %s", async (path) => {
    const res = await t.request("GET", path);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("refuses bodies over the limit with 413 and malformed JSON with 400", async () => {
    const big = await t.request("POST", "/api/auth/login", { body: { username: "x", password: "y".repeat(10_000) } });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.code).toBe("payload_too_large");
    const broken = await t.request("POST", "/api/auth/login", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as any).error.requestId).toBeTruthy();
  });

  it("publishes an OpenAPI 3.1 document generated from the schemas, and a docs page", async () => {
    const doc = (await (await t.request("GET", "/api/openapi.json")).json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/users"].post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/CreateUser");
    expect(doc.components.schemas.User.properties.role.$ref ?? doc.components.schemas.User.properties.role.enum).toBeTruthy();
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
    const page = await t.request("GET", "/api/docs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/api/docs/init.js");
    const bundle = await t.request("GET", "/api/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect((await t.request("GET", "/api/docs/package.json")).status).toBe(404);
  });

  it("answers 500 without internals when something unexpected breaks", async () => {
    const { handleError } = await import("../../server/http/errors");
    const { Hono } = await import("hono");
    const app = new Hono<any>();
    app.use("*", async (c, next) => {
      c.set("requestId", "req-1");
      c.set("log", { error() {} });
      await next();
    });
    app.onError(handleError as any);
    app.get("/boom", () => {
      throw new Error("secret internal detail");
    });
    const boom = await app.request("/boom");
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "Internal server error", requestId: "req-1" } });
  });
});
