/**
 * Fault (a): PostgreSQL crashes (`pg_ctl stop -m immediate`: every backend killed, no checkpoint,
 * crash recovery at the next start) in the middle of a check-in load, stays down a few seconds
 * and is started again. While it is down the server answers 503 `unavailable` with Retry-After,
 * promptly (no hang); the server process stays up; it serves again by itself once PostgreSQL is
 * back; and every check-in that was answered 201 is in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  byStatus,
  call,
  checkinLoad,
  havePostgres,
  login,
  sleep,
  startFaultPostgres,
  startServerProcess,
  storedIds,
  venueWithCode,
  waitFor,
  type FaultPostgres,
  type ServerProcess,
} from "./harness";

/** No answer while the database is down may take longer than this (the pool's connect back-off is ≤ 0.5 s). */
const DOWN_ANSWER_BOUND_MS = 5000;

describe.skipIf(!havePostgres() && !process.env.CI)("fault: PostgreSQL killed and restarted during a check-in load", () => {
  let pg: FaultPostgres | undefined;
  let srv: ServerProcess | undefined;
  let url: string;
  let adminToken: string;
  let venue: { id: string; token: string };

  beforeAll(async () => {
    pg = await startFaultPostgres();
    url = await pg.createDatabase("faults_restart");
    srv = await startServerProcess(url, {}, (pid) => pg!.serverStarted(pid));
    adminToken = await login(srv.base, "admin", ADMIN_PASSWORD);
    venue = await venueWithCode(srv.base, adminToken);
  });
  afterAll(async () => {
    srv?.kill("SIGKILL");
    await srv?.exited;
    pg?.stop();
  });

  it("answers 503 with Retry-After while down (no hang, no crash), recovers by itself, loses no acknowledged check-in", async () => {
    const s = srv!;
    const load = checkinLoad(s.base, venue.token, { workers: 6, timeoutMs: 15_000 });
    try {
      await waitFor("check-ins acknowledged before the fault", () => load.acked().length >= 40, 30_000);

      pg!.halt("immediate");
      const downAt = performance.now();
      await waitFor("answers while PostgreSQL is down", () => load.answers.filter((a) => a.startedAt >= downAt).length >= 20, 20_000, 50);
      await sleep(Math.max(0, 2500 - (performance.now() - downAt)));

      // Direct requests while down: the check-in path (postgres.js error), a drizzle query (the error
      // wrapped in a DrizzleQueryError), a sign-in and /healthz: all 503 + Retry-After, quickly.
      const probes = [
        ["POST", "/api/checkins", JSON.parse(load.answers[0]!.body) as unknown, undefined],
        ["GET", `/api/venues/${venue.id}`, undefined, adminToken],
        ["POST", "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD }, undefined],
      ] as const;
      for (const [method, path, body, token] of probes) {
        const t0 = performance.now();
        const r = await call(s.base, method, path, body, token);
        const ms = performance.now() - t0;
        expect({ path, status: r.status, retryAfter: r.headers.get("retry-after") }).toEqual({ path, status: 503, retryAfter: "5" });
        expect((r.body as unknown as { error: { code: string; message: string } }).error.code).toBe("unavailable");
        expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
        expect(ms).toBeLessThan(DOWN_ANSWER_BOUND_MS);
      }
      const h0 = performance.now();
      const health = await call(s.base, "GET", "/healthz");
      const healthMs = performance.now() - h0;
      expect(health.status).toBe(503);
      expect(health.headers.get("retry-after")).toBe("5");
      expect(health.body).toEqual({ status: "unavailable" });
      expect(healthMs).toBeLessThan(DOWN_ANSWER_BOUND_MS);

      const restartAt = performance.now();
      pg!.restart();
      const upAt = performance.now();
      const recoveredMs = await waitFor("the first 201 after the restart", () => load.answers.some((a) => a.startedAt >= upAt && a.status === 201), 20_000, 20);
      await sleep(1500);
      await load.stop();

      const all = load.answers;
      const down = all.filter((a) => a.startedAt >= downAt && a.startedAt + a.ms < restartAt);
      const after = all.filter((a) => a.startedAt >= upAt + recoveredMs);
      // Every answer is a 201 or a 503: no 500, no hang (the client waits 15 s), no dropped connection.
      expect(Object.keys(byStatus(all)).filter((k) => k !== "201" && k !== "503")).toEqual([]);
      expect(down.length).toBeGreaterThanOrEqual(20);
      expect(new Set(down.map((a) => a.status))).toEqual(new Set([503]));
      expect(new Set(down.map((a) => a.retryAfter))).toEqual(new Set(["5"]));
      const slowestDownMs = Math.max(...down.map((a) => a.ms));
      expect(slowestDownMs).toBeLessThan(DOWN_ANSWER_BOUND_MS);
      expect(recoveredMs).toBeLessThan(10_000);
      expect(after.filter((a) => a.status !== 201)).toEqual([]);
      expect(after.length).toBeGreaterThan(10);

      expect(s.isRunning()).toBe(true);
      const healthAfter = await call(s.base, "GET", "/healthz");
      expect(healthAfter.status).toBe(200);
      expect(healthAfter.body).toEqual({ status: "ok" });

      // Every acknowledged check-in survived the crash; the 503s stored nothing the client could not resend.
      const acked = load.acked();
      const stored = await storedIds(url, acked);
      expect(acked.filter((id) => !stored.checkins.has(id))).toEqual([]);
      expect(acked.filter((id) => !stored.keys.has(id))).toEqual([]);

      console.log(
        `[faults] postgres restart: ${acked.length} acknowledged, all stored; while down ${down.length} answers, all 503 + Retry-After, slowest ${Math.round(slowestDownMs)} ms, /healthz ${Math.round(healthMs)} ms; restart took ${Math.round(upAt - restartAt)} ms, first 201 ${Math.round(recoveredMs)} ms after; answers ${JSON.stringify(byStatus(all))}`,
      );
    } finally {
      await load.stop();
    }
  });
});
