/**
 * Fault (b): the server process is killed with SIGKILL (no handler runs, nothing is drained) in
 * the middle of a check-in load. Every check-in answered 201 is stored: a check-in is answered
 * only after its batch has committed. A new server on the same database then takes the requests
 * that got no answer again (same ids): each is stored exactly once, whether or not the killed
 * server had committed it (200 replay or 201), so the phone's resend never counts a visit twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  byStatus,
  checkinLoad,
  havePostgres,
  login,
  startFaultPostgres,
  startServerProcess,
  storedIds,
  venueWithCode,
  waitFor,
  type FaultPostgres,
  type ServerProcess,
} from "./harness";

describe.skipIf(!havePostgres() && !process.env.CI)("fault: the server killed with SIGKILL during a check-in load", () => {
  let pg: FaultPostgres | undefined;
  let first: ServerProcess | undefined;
  let second: ServerProcess | undefined;
  let url: string;
  let venue: { id: string; token: string };
  /** Shared by both servers: the signing keys live there (as DATA_DIR does for a restarted production server). */
  const dataDir = mkdtempSync(join(tmpdir(), "phc-fault-kill-"));

  beforeAll(async () => {
    pg = await startFaultPostgres();
    url = await pg.createDatabase("faults_kill");
    first = await startServerProcess(url, { DATA_DIR: dataDir }, (pid) => pg!.serverStarted(pid));
    venue = await venueWithCode(first.base, await login(first.base, "admin", ADMIN_PASSWORD));
  });
  afterAll(async () => {
    first?.kill("SIGKILL");
    second?.kill("SIGKILL");
    await Promise.all([first?.exited, second?.exited]);
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("stores every acknowledged check-in; a resend of the unanswered ones stores each exactly once", async () => {
    const s = first!;
    const load = checkinLoad(s.base, venue.token, { workers: 8, timeoutMs: 15_000, pauseMs: 20 });
    let killedAt = 0;
    try {
      await waitFor("check-ins acknowledged before the kill", () => load.acked().length >= 150, 40_000, 20);
      s.kill("SIGKILL");
      killedAt = performance.now();
      const exit = await s.exited;
      expect(exit).toEqual({ code: null, signal: "SIGKILL" });
    } finally {
      await load.stop();
    }

    const acked = load.acked();
    // Requests the killed server never answered (connection reset, or refused once it was gone).
    const unanswered = load.answers.filter((a) => a.status === 0);
    const inFlight = unanswered.filter((a) => a.startedAt < killedAt);
    expect(Object.keys(byStatus(load.answers)).filter((k) => k !== "201" && !k.startsWith("none:"))).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(150);

    const stored = await storedIds(url, acked);
    expect(acked.filter((id) => !stored.checkins.has(id))).toEqual([]);
    expect(acked.filter((id) => !stored.keys.has(id))).toEqual([]);

    // Committed but never answered: possible (the kill fell between COMMIT and the answer).
    const committedUnanswered = (await storedIds(url, unanswered.map((a) => a.id))).checkins.size;

    // A new server on the same database; the phones resend what got no answer.
    second = await startServerProcess(url, { DATA_DIR: dataDir }, (pid) => pg!.serverStarted(pid));
    let replays = 0;
    let created = 0;
    for (const a of unanswered) {
      const res = await fetch(`${second.base}/api/checkins`, { method: "POST", headers: { "content-type": "application/json" }, body: a.body });
      const body = (await res.json()) as { id: string; replay: boolean };
      expect([200, 201]).toContain(res.status);
      expect(body.id).toBe(a.id);
      if (res.status === 200) {
        expect(body.replay).toBe(true);
        replays++;
      } else created++;
    }
    expect(replays).toBe(committedUnanswered);

    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ rows: number; ids: number }[]>`
        select count(*)::int as rows, count(distinct id)::int as ids from checkins where venue_id = ${venue.id}`;
      // Every request ever sent is now stored, each once.
      const sent = new Set(load.answers.map((a) => a.id));
      expect(row).toEqual({ rows: sent.size, ids: sent.size });
    } finally {
      await sql.end({ timeout: 5 });
    }
    console.log(
      `[faults] server SIGKILL: ${acked.length} acknowledged, all stored; ${inFlight.length} in flight at the kill, ${unanswered.length} unanswered in all (${committedUnanswered} of them committed before the kill); resent to a new server: ${created} stored, ${replays} replays, no duplicate`,
    );
  });
});
