/**
 * Which errors mean "the database is unavailable" (→ 503 + Retry-After) and which stay 500:
 * the classification server/http/unavailable.ts makes and the app's onError applies.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { handleError } from "../../server/http/errors";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, unavailableCode } from "../../server/http/unavailable";

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
/** What drizzle throws: a wrapper whose cause is the driver's error. */
const drizzleWrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1\nparams: "), { cause });

describe("database-unavailable errors", () => {
  it.each([
    ["ECONNREFUSED"],
    ["ECONNRESET"],
    ["EPIPE"],
    ["ETIMEDOUT"],
    ["CONNECTION_CLOSED"],
    ["CONNECTION_ENDED"],
    ["CONNECTION_DESTROYED"],
    ["CONNECT_TIMEOUT"],
    ["DATABASE_DEADLINE"],
    ["57P01"], // admin_shutdown: terminating connection due to administrator command
    ["57P02"], // crash_shutdown
    ["57P03"], // cannot_connect_now: the database system is starting up / shutting down
    ["08006"], // connection_failure
    ["08001"],
    ["53300"], // too_many_connections
  ])("%s → unavailable, on the error itself and under a drizzle wrapper", (code) => {
    expect(unavailableCode(withCode(code))).toBe(code);
    expect(unavailableCode(drizzleWrapped(withCode(code)))).toBe(code);
    expect(unavailableCode(drizzleWrapped(drizzleWrapped(withCode(code))))).toBe(code);
  });

  it("finds the code inside an AggregateError (every address refused)", () => {
    const agg = new AggregateError([new Error("x"), withCode("ECONNREFUSED")], "connect failed");
    expect(unavailableCode(drizzleWrapped(agg))).toBe("ECONNREFUSED");
  });

  it.each([
    ["23505"], // unique_violation: a bug or a conflict, not an outage
    ["42P01"], // undefined_table
    ["22P02"], // invalid_text_representation
    ["40001"], // serialization_failure
    ["57014"], // query_canceled
    ["ENOENT"],
  ])("%s → not unavailable", (code) => {
    expect(isDatabaseUnavailable(withCode(code))).toBe(false);
    expect(isDatabaseUnavailable(drizzleWrapped(withCode(code)))).toBe(false);
  });

  it("no code, null, strings and cause cycles → not unavailable (and no endless loop)", () => {
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
    const a: Error & { cause?: unknown } = new Error("a");
    const b: Error & { cause?: unknown } = new Error("b");
    a.cause = b;
    b.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });

  it("the app's onError answers 503 `unavailable` with Retry-After and a bilingual message; other errors 500 with no internals", async () => {
    const app = new OpenAPIHono();
    app.get("/down", () => {
      throw drizzleWrapped(withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"));
    });
    app.get("/shutdown", () => {
      throw drizzleWrapped(withCode("57P01", "terminating connection due to administrator command"));
    });
    app.get("/bug", () => {
      throw drizzleWrapped(withCode("23505", "duplicate key value violates unique constraint"));
    });
    app.onError(handleError as never);
    for (const path of ["/down", "/shutdown"]) {
      const res = await app.request(path);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unavailable");
      expect(body.error.message).toMatch(/^Cơ sở dữ liệu .* \/ The database is unavailable/);
      expect(JSON.stringify(body)).not.toMatch(/5432|ECONNREFUSED|administrator/);
    }
    const bug = await app.request("/bug");
    expect(bug.status).toBe(500);
    expect(bug.headers.get("retry-after")).toBeNull();
    expect(((await bug.json()) as { error: { code: string } }).error.code).toBe("internal");
  });
});
