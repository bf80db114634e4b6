/**
 * Backup and restore (docs/OPERATIONS.md): a platform's database, seeded with the demo data and a
 * few writes of our own, is dumped with `pg_dump --format=custom`, restored with `pg_restore`
 * into a fresh, empty database, and a platform started on the restored database (with the same
 * DATA_DIR/keys, which the backup keeps beside the dump) serves the same data: every table holds
 * the same rows, and API reads (a sign-in, venue lists with today's check-in counts, a venue's
 * visitors, declarations, cases, test campaigns) answer the same. The source's poster code still
 * checks in, and a check-in made before the dump, sent again, is recognised as a replay.
 *
 * The embedded engine's backup: stop the server, copy DATA_DIR (PGlite's files and the keys);
 * a platform started on the copy serves the same data.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { buildDeps, prepare } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import type { Deps } from "../../server/deps";
import { startReaper } from "../../scripts/lib/bench-reaper";
import { findPostgresBin, startTempPostgres, type TempPostgres } from "../../scripts/lib/temp-postgres";
import { havePostgres } from "./harness";

const ADMIN_PASSWORD = "Backup-admin-2026";
const DEMO_PASSWORD = "Demo@2026";

interface Platform {
  deps: Deps;
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  login(username: string, password?: string): Promise<{ token: string; user: unknown }>;
  close(): Promise<void>;
}

/** The platform on PostgreSQL (`databaseUrl`) or, without one, on PGlite in DATA_DIR/pglite; keys in DATA_DIR/keys. */
async function startPlatform(databaseUrl: string | undefined, dataDir: string): Promise<Platform> {
  const config = loadConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    PUBLIC_URL: "http://platform.test",
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD,
    DEMO_DATA: "true",
    DEMO_PASSWORD,
    LOGIN_RATE_LIMIT: "1000",
    DATABASE_POOL: "4",
    JOBS: "false",
  });
  const deps = await buildDeps(config);
  await prepare(deps, () => {});
  const app = createApp(deps);
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await app.request(path, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
  };
  return {
    deps,
    call,
    async login(username, password = username === "admin" ? ADMIN_PASSWORD : DEMO_PASSWORD) {
      const r = await call("POST", "/api/auth/login", { username, password });
      if (r.status !== 200) throw new Error(`login ${username} → ${r.status} ${JSON.stringify(r.body)}`);
      return { token: r.body.accessToken as string, user: r.body.user };
    },
    close: () => deps.database.close(),
  };
}

/** Exact row counts of every table of the public schema (partitions counted in their parent). */
async function tableCounts(url: string): Promise<Record<string, number>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
    const out: Record<string, number> = {};
    for (const { name } of tables) out[name] = Number((await sql.unsafe(`select count(*)::int as n from "${name}"`))[0]!.n);
    const [mig] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    out["drizzle.__drizzle_migrations"] = mig!.n;
    return out;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A copy without what moves by itself between two reads: `lastLoginAt` (each sign-in of the
 * comparison sets it) and an open case's infectious window end (`window.to` = now).
 */
function withoutClock(x: unknown, key = ""): unknown {
  if (Array.isArray(x)) return x.map((v) => withoutClock(v));
  if (x && typeof x === "object")
    return Object.fromEntries(
      Object.entries(x)
        .filter(([k]) => k !== "lastLoginAt" && !(key === "window" && k === "to"))
        .map(([k, v]) => [k, withoutClock(v, k)]),
    );
  return x;
}

function run(bin: string, args: string[]): string {
  const res = spawnSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (res.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${res.status}): ${res.stderr || res.stdout}`);
  return res.stderr;
}

describe.skipIf(!havePostgres() && !process.env.CI)("backup with pg_dump, restore with pg_restore into a fresh database", () => {
  let pg: TempPostgres | undefined;
  const work = mkdtempSync(join(tmpdir(), "phc-backup-"));
  const dataDir = join(work, "data");
  let source: Platform | undefined;
  let restored: Platform | undefined;

  beforeAll(async () => {
    pg = await startTempPostgres();
    startReaper(work, pg.dir); // stops the cluster if this test process dies before afterAll
  });
  afterAll(async () => {
    await source?.close();
    await restored?.close();
    pg?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("the restored database holds the same rows and the platform on it serves the same data", async () => {
    const bin = findPostgresBin()!;
    const sourceUrl = await pg!.createDatabase("phc_source");
    source = await startPlatform(sourceUrl, dataDir);
    const s = source;

    // Writes of our own on top of the demo data: a venue, its code, two check-ins, a declaration.
    const admin = (await s.login("admin")).token;
    const venue = await s.call("POST", "/api/venues", { name: "Nhà sách Tràng Tiền", category: "shop", address: "1 Tràng Tiền", provinceCode: "01", communeCode: "00070", capacity: 80 }, admin);
    expect(venue.status).toBe(201);
    const rotated = await s.call("POST", `/api/venues/${venue.body.id}/rotate`, {}, admin);
    const code = (rotated.body.url as string).split("/c/")[1]!;
    const guest = { personId: randomUUID(), fullName: "Lê Sao Lưu", phone: "0912345678", birthYear: 1988 };
    const firstCheckin = { token: code, id: randomUUID(), guest };
    expect((await s.call("POST", "/api/checkins", firstCheckin)).status).toBe(201);
    expect((await s.call("POST", "/api/checkins", { token: code, id: randomUUID(), guest })).status).toBe(201);
    const declaration = await s.call("POST", "/api/declarations", {
      kind: "domestic",
      fullName: "Lê Sao Lưu",
      birthYear: 1988,
      phone: "0912345678",
      communeCode: "00070",
      symptoms: ["fever"],
      travel: { means: "bus", from: "Hải Phòng", to: "Hà Nội" },
    });
    expect(declaration.status).toBe(201);

    /** The reads compared on both platforms (each signs in on its own platform). */
    const reads = async (p: Platform) => {
      const province = await p.login("hn.province");
      const venueStaff = await p.login("hn.venue");
      const t = province.token;
      const get = async (path: string, token = t) => {
        const r = await p.call("GET", path, undefined, token);
        expect({ path, status: r.status }).toEqual({ path, status: 200 });
        return r.body;
      };
      return {
        provinceUser: withoutClock(province.user),
        venueStaffUser: withoutClock(venueStaff.user),
        venues: await get("/api/venues?limit=100"),
        ourVenue: await get(`/api/venues/${venue.body.id}`),
        visitors: await get(`/api/venues/${venue.body.id}/visitors`),
        staffVenues: await get("/api/venues", venueStaff.token),
        declarations: await get("/api/declarations?limit=100"),
        cases: withoutClock(await get("/api/cases?limit=100")),
        campaigns: await get("/api/test-campaigns"),
        users: withoutClock(await get("/api/users?limit=100", admin)),
      };
    };
    const before = await reads(s);
    expect(before.ourVenue.todayCheckins).toBe(2);
    expect((before.visitors.items as unknown[]).length).toBe(2);
    expect((before.declarations.items as unknown[]).length).toBeGreaterThanOrEqual(1);

    // Backup: pg_dump, custom format (compressed, restorable selectively and in parallel).
    const dump = join(work, "phc.dump");
    run(join(bin, "pg_dump"), ["--format=custom", "--file", dump, "--dbname", sourceUrl]);
    expect(statSync(dump).size).toBeGreaterThan(10_000);
    const sourceCounts = await tableCounts(sourceUrl);
    await s.close();
    source = undefined;

    // Restore into a fresh, empty database.
    const restoredUrl = await pg!.createDatabase("phc_restored");
    run(join(bin, "pg_restore"), ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", restoredUrl, dump]);
    const restoredCounts = await tableCounts(restoredUrl);
    expect(restoredCounts).toEqual(sourceCounts);
    expect(restoredCounts.checkins).toBeGreaterThan(2);
    expect(restoredCounts.people).toBeGreaterThan(0);

    // The platform on the restored database (same DATA_DIR/keys): same answers.
    restored = await startPlatform(restoredUrl, dataDir);
    const after = await reads(restored);
    expect(after.provinceUser).toEqual(before.provinceUser);
    expect(after.venueStaffUser).toEqual(before.venueStaffUser);
    expect(after.venues).toEqual(before.venues);
    expect(after.ourVenue).toEqual(before.ourVenue);
    expect(after.visitors).toEqual(before.visitors);
    expect(after.staffVenues).toEqual(before.staffVenues);
    expect(after.declarations).toEqual(before.declarations);
    expect(after.cases).toEqual(before.cases);
    expect(after.campaigns).toEqual(before.campaigns);
    expect(after.users).toEqual(before.users);

    // The printed poster still works, and a check-in made before the backup is a replay, not a second visit.
    const replay = await restored.call("POST", "/api/checkins", firstCheckin);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: firstCheckin.id, replay: true });
    expect((await restored.call("POST", "/api/checkins", { token: code, id: randomUUID(), guest })).status).toBe(201);
    const sql = postgres(restoredUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from checkins where venue_id = ${venue.body.id}`;
      expect(row!.n).toBe(3);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

describe("PGlite: backup by copying DATA_DIR of a stopped server", () => {
  const work = mkdtempSync(join(tmpdir(), "phc-backup-pglite-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("a platform started on the copy serves the same data", async () => {
    const live = join(work, "data");
    const copy = join(work, "backup");
    const first = await startPlatform(undefined, live);
    let checkin: { token: string; id: string; guest: Record<string, unknown> };
    let before: unknown[];
    let venueId: string;
    try {
      const admin = (await first.login("admin")).token;
      const venue = await first.call("POST", "/api/venues", { name: "Quán sao chép", category: "shop", address: "9 Hàng Bông", provinceCode: "01", communeCode: "00070" }, admin);
      expect(venue.status).toBe(201);
      venueId = venue.body.id;
      const code = ((await first.call("POST", `/api/venues/${venueId}/rotate`, {}, admin)).body.url as string).split("/c/")[1]!;
      checkin = { token: code, id: randomUUID(), guest: { personId: randomUUID(), fullName: "Phạm Bản Sao", phone: "0933000111", birthYear: 1979 } };
      expect((await first.call("POST", "/api/checkins", checkin)).status).toBe(201);
      const t = (await first.login("hn.province")).token;
      before = [
        (await first.call("GET", "/api/venues?limit=100", undefined, t)).body,
        (await first.call("GET", `/api/venues/${venueId}/visitors`, undefined, t)).body,
        (await first.call("GET", "/api/declarations?limit=100", undefined, t)).body,
      ];
    } finally {
      await first.close(); // the server is stopped: PGlite's files are consistent
    }
    cpSync(live, copy, { recursive: true });
    rmSync(live, { recursive: true, force: true }); // the machine is lost; only the copy is left
    expect(existsSync(join(copy, "pglite"))).toBe(true);
    expect(existsSync(join(copy, "keys", "venue.jwk"))).toBe(true);

    const second = await startPlatform(undefined, copy);
    try {
      const t = (await second.login("hn.province")).token;
      const after = [
        (await second.call("GET", "/api/venues?limit=100", undefined, t)).body,
        (await second.call("GET", `/api/venues/${venueId}/visitors`, undefined, t)).body,
        (await second.call("GET", "/api/declarations?limit=100", undefined, t)).body,
      ];
      expect(after).toEqual(before);
      const replay = await second.call("POST", "/api/checkins", checkin);
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ id: checkin.id, replay: true });
    } finally {
      await second.close();
    }
  });
});
