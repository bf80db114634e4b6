/**
 * Fault (c): SIGTERM during a check-in load (what an orchestrator sends before replacing a
 * container). The server stops accepting connections at once, lets the requests it has begun
 * finish (their answers arrive), writes what the check-in writer holds, closes its pool and exits
 * with code 0; every check-in answered 201 is stored.
 *
 * To have a request that is certainly in flight when the signal lands, one check-in is sent by
 * hand with its body cut in two: the headers and the first half before SIGTERM, the rest after.
 * Requests of the load that got no answer (a connection closed between two requests, or refused
 * after the signal) must have stored nothing: whatever the server began, it finished.
 */
import { request as httpRequest } from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  byStatus,
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

/** A POST whose body is sent in two parts when the caller says so; resolves with the answer. */
function splitRequest(base: string, path: string, body: string) {
  const url = new URL(base);
  const bytes = Buffer.from(body);
  const half = bytes.length >> 1;
  let resolveAnswer!: (a: { status: number; body: string; connection: string | undefined }) => void;
  let rejectAnswer!: (e: unknown) => void;
  const answer = new Promise<{ status: number; body: string; connection: string | undefined }>((res, rej) => ((resolveAnswer = res), (rejectAnswer = rej)));
  const req = httpRequest(
    { host: url.hostname, port: Number(url.port), path, method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": bytes.length } },
    (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolveAnswer({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
    },
  );
  req.on("error", rejectAnswer);
  req.flushHeaders();
  req.write(bytes.subarray(0, half));
  return { answer, finish: () => req.end(bytes.subarray(half)) };
}

/** Whether a new TCP connection + request to the server gets anywhere. */
async function accepts(base: string): Promise<boolean> {
  try {
    await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000), headers: { connection: "close" } });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!havePostgres() && !process.env.CI)("fault: SIGTERM during a check-in load (graceful shutdown)", () => {
  let pg: FaultPostgres | undefined;
  let srv: ServerProcess | undefined;
  let url: string;
  let venue: { id: string; token: string };

  beforeAll(async () => {
    pg = await startFaultPostgres();
    url = await pg.createDatabase("faults_sigterm");
    srv = await startServerProcess(url, {}, (pid) => pg!.serverStarted(pid));
    venue = await venueWithCode(srv.base, await login(srv.base, "admin", ADMIN_PASSWORD));
  });
  afterAll(async () => {
    srv?.kill("SIGKILL");
    await srv?.exited;
    pg?.stop();
  });

  it("drains in-flight requests, exits 0, and every acknowledged check-in is stored", async () => {
    const s = srv!;
    const load = checkinLoad(s.base, venue.token, { workers: 6, timeoutMs: 15_000, pauseMs: 20 });
    const slowId = randomUUID();
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    let exitMs: number;
    let slow: { status: number; body: string; connection: string | undefined };
    try {
      await waitFor("check-ins acknowledged before SIGTERM", () => load.acked().length >= 60, 30_000, 20);
      const split = splitRequest(
        s.base,
        "/api/checkins",
        JSON.stringify({ token: venue.token, id: slowId, guest: { personId: randomUUID(), fullName: "Khách Chậm", phone: "0987654321", birthYear: 1980 } }),
      );
      await sleep(300); // the server has the headers and half the body: the request is in flight

      const t0 = performance.now();
      s.kill("SIGTERM");
      await sleep(300);
      // The listening socket is closed: a new connection is refused while the in-flight request goes on.
      expect(await accepts(s.base)).toBe(false);
      expect(s.isRunning()).toBe(true);
      split.finish();
      slow = await split.answer;
      exit = await s.exited;
      exitMs = performance.now() - t0;
    } finally {
      await load.stop();
    }

    expect(slow.status).toBe(201);
    expect(JSON.parse(slow.body)).toMatchObject({ id: slowId, replay: false });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(10_000); // the server's own deadline is 10 s (then exit 1)

    // Answers from the load: 201s, and requests that found the server closed (no answer); never a 5xx.
    const statuses = Object.keys(byStatus(load.answers));
    expect(statuses.filter((k) => k !== "201" && !k.startsWith("none:"))).toEqual([]);
    const acked = [...load.acked(), slowId];
    const stored = await storedIds(url, acked);
    expect(acked.filter((id) => !stored.checkins.has(id))).toEqual([]);
    expect(acked.filter((id) => !stored.keys.has(id))).toEqual([]);
    // A request without an answer (its connection closed, or refused) was never processed: nothing of it is stored.
    const unanswered = load.answers.filter((a) => a.status === 0).map((a) => a.id);
    expect(unanswered.length).toBeGreaterThan(0);
    expect((await storedIds(url, unanswered)).keys.size).toBe(0);
    console.log(
      `[faults] SIGTERM: exited 0 after ${Math.round(exitMs)} ms; the in-flight request answered ${slow.status}; ${acked.length} acknowledged, all stored; answers ${JSON.stringify(byStatus(load.answers))}`,
    );
  });
});
