/**
 * Soak test (`npm run soak`, or `npx tsx scripts/soak.ts --seconds 60`): a mixed load against a
 * real PostgreSQL for a long time, then proof that nothing was lost and memory stayed flat.
 *
 * Starts a throwaway, durable PostgreSQL cluster (fsync and synchronous_commit on) and the server
 * as a child process (`node --import tsx server/main.ts`, demo data, scheduled jobs on, as in
 * production), prepares venues with their poster codes and a traced F0 case, then `--workers`
 * closed loops (one request in flight each) send for SOAK_SECONDS (default 600; `--seconds`):
 *
 *   kind         share  request                                  acknowledged    stored (checked at the end)
 *   checkin       72 %  POST /api/checkins, a fresh id           201 (200 replay) the id in `checkins` and `checkin_keys`
 *   declaration   10 %  POST /api/declarations (public)          201             the id in `declarations`
 *   login          3 %  POST /api/auth/login (officers)          200             one more `refresh_tokens` row of the user
 *   trace          4 %  POST /api/cases/{id}/trace (degree 1)    200             one more `case.trace` audit row of the case
 *   export         3 %  GET /api/exports/stats.csv (a read)      200             (a read: the CSV's header is checked)
 *   bad_checkin    4 %  POST /api/checkins with a bad id         400 expected    (asked-for error)
 *   bad_login      4 %  POST /api/auth/login, wrong password     401 expected    (asked-for error)
 *
 * Public routes limit requests per address: the load stands for many phones behind a proxy
 * (TRUST_PROXY=true, a random X-Forwarded-For per request); sign-in limits are raised for the
 * few officer accounts it uses (LOGIN_RATE_LIMIT). `errors` counts every answer other than the
 * one expected for its kind (including a bad_* request that did NOT get its 400/401), every
 * connection error and every request not answered within --timeout. `lost` counts acknowledged
 * writes missing from the database. The server's RSS is sampled when the load starts, once warm
 * (a fifth of the run, at most 60 s in: `rss_warm_mb`), every 10 s, and at the end; memory is
 * flat when the end is close to the warm sample (the start is before JIT and heap growth).
 *
 *   --seconds S (SOAK_SECONDS or 600)  --workers N (8)  --venues N (20)  --guests N (2000)  --timeout S (15)  --seed N (7)
 *
 * Exits 1 if anything was lost or any unexpected error was seen. The last line of output:
 * {"bench":"soak","seconds":…,"acked":…,"stored":…,"lost":0,"errors":0,"rss_start_mb":…,"rss_end_mb":…, …details}
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { fullName, phone, prng } from "../db/seed/names";
import { vnDay } from "../server/checkins/colour";
import { api, startServer, type ServerChild } from "./lib/bench-server";
import { startReaper } from "./lib/bench-reaper";
import { startTempPostgres, type TempPostgres } from "./lib/temp-postgres";
import { startedSteps, stopOnExit } from "./lib/bench-stop";

const ADMIN_PASSWORD = "Soak-admin-2026";
const DEMO_PASSWORD = "Demo@2026";
/** Officers whose sign-ins are part of the load (demo accounts). */
const LOGIN_USERS = ["hn.province", "hn.health", "hcm.province", "hn.commune"];
const COMMUNES: [province: string, commune: string][] = [
  ["01", "00004"], ["01", "00008"], ["01", "00025"], ["01", "00070"], ["01", "00082"], ["01", "00091"],
  ["79", "26734"], ["79", "26737"], ["79", "26740"], ["79", "26743"],
];
const KINDS = ["checkin", "declaration", "login", "trace", "export", "bad_checkin", "bad_login"] as const;
type Kind = (typeof KINDS)[number];
const WEIGHTS: Record<Kind, number> = { checkin: 72, declaration: 10, login: 3, trace: 4, export: 3, bad_checkin: 4, bad_login: 4 };
/** The answer each kind expects; anything else is an error. */
const EXPECTED: Record<Kind, number[]> = { checkin: [201], declaration: [201], login: [200], trace: [200], export: [200], bad_checkin: [400], bad_login: [401] };

const say = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
  seconds: number;
  workers: number;
  venues: number;
  guests: number;
  timeout: number;
  seed: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: process.env.SOAK_SECONDS ?? "600" },
      workers: { type: "string", default: "8" },
      venues: { type: "string", default: "20" },
      guests: { type: "string", default: "2000" },
      timeout: { type: "string", default: "15" },
      seed: { type: "string", default: "7" },
    },
    strict: true,
  });
  const int = (v: string | undefined, name: string, min = 1): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${v})`);
    return n;
  };
  return {
    seconds: int(values.seconds, "--seconds"),
    workers: int(values.workers, "--workers"),
    venues: int(values.venues, "--venues"),
    guests: int(values.guests, "--guests"),
    timeout: int(values.timeout, "--timeout"),
    seed: int(values.seed, "--seed", 0),
  };
}

function rssMb(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

interface Venue {
  id: string;
  provinceCode: string;
  token: string;
}

async function createVenue(base: string, token: string, i: number, [provinceCode, communeCode]: [string, string]): Promise<Venue> {
  const v = await api<{ id: string }>(base, "POST", "/api/venues", { name: `Soak venue ${i}`, category: "market", address: `${i} Soak street`, provinceCode, communeCode, capacity: 1000 }, token);
  const { url } = await api<{ url: string }>(base, "POST", `/api/venues/${v.id}/rotate`, {}, token);
  return { id: v.id, provinceCode, token: url.slice(url.indexOf("/c/") + 3) };
}

// ───────────────────────────── main ─────────────────────────────

let server: ServerChild | undefined;
let pg: TempPostgres | undefined;
let workDir: string | undefined;

const stopAllNow = stopOnExit(
  "soak",
  say,
  startedSteps({ server: () => server, pg: () => pg, workDir: () => workDir }, () => void ((server = undefined), (pg = undefined), (workDir = undefined))),
);

async function main() {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`soak: ${(e as Error).message}`);
    process.exit(2);
  }

  let sql: postgres.Sql | undefined;
  try {
    workDir = mkdtempSync(join(tmpdir(), "phc-soak-"));
    say("Starting a throwaway PostgreSQL (durable: fsync and synchronous_commit on) …");
    pg = await startTempPostgres({ durable: true });
    const reaper = startReaper(workDir, pg.dir);
    const url = await pg.createDatabase("soak");
    sql = postgres(url, { max: 2, onnotice: () => {} });

    say("Starting the server (node --import tsx server/main.ts, demo data, jobs on) …");
    server = await startServer(
      {
        DATABASE_URL: url,
        DATA_DIR: join(workDir, "data"),
        WEB_DIST: join(workDir, "no-web"),
        LOG_LEVEL: "warn",
        DEMO_DATA: "true",
        DEMO_PASSWORD,
        ADMIN_USERNAME: "admin",
        ADMIN_PASSWORD,
        JOBS: "true",
        TRUST_PROXY: "true",
        LOGIN_RATE_LIMIT: "1000000",
      },
      [],
      (pid) => reaper.serverStarted(pid),
    );
    const srv = server;
    const base = srv.base;

    // ── Set-up: venues and codes, an F0 with visits to trace, tokens ──
    say(`Preparing ${o.venues} venues, a traced F0 case …`);
    const admin = (await api<{ accessToken: string }>(base, "POST", "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD })).accessToken;
    const venues: Venue[] = [];
    for (let i = 0; i < o.venues; i++) venues.push(await createVenue(base, admin, i + 1, COMMUNES[i % COMMUNES.length]!));
    const rand = prng(o.seed);
    const guests = Array.from({ length: o.guests }, () => ({ personId: randomUUID(), fullName: fullName(rand), phone: phone(rand), birthYear: 1940 + Math.floor(rand() * 70) }));
    // The F0 and 20 contacts visit a venue of their own (the load never goes there, so every trace finds the same contacts).
    const traceVenue = await createVenue(base, admin, 0, ["01", "00070"]);
    const f0 = { personId: randomUUID(), fullName: "Nguyễn Văn Ca", phone: "0911000000", birthYear: 1985 };
    for (const g of [f0, ...guests.slice(0, 20)]) await api(base, "POST", "/api/checkins", { token: traceVenue.token, id: randomUUID(), guest: g });
    const province = (await api<{ accessToken: string }>(base, "POST", "/api/auth/login", { username: "hn.province", password: DEMO_PASSWORD })).accessToken;
    const theCase = await api<{ id: string }>(base, "POST", "/api/cases", { personId: f0.personId, confirmedOn: vnDay(new Date()), method: "pcr" }, province);
    const firstTrace = await api<Record<string, unknown>>(base, "POST", `/api/cases/${theCase.id}/trace`, { degree: 1 }, province);
    say(`  case ${theCase.id}: first trace answered (${JSON.stringify(firstTrace).length} bytes)`);
    const exportProbe = await fetch(`${base}/api/exports/stats.csv`, { headers: { authorization: `Bearer ${admin}` } });
    await exportProbe.arrayBuffer();
    const exportsAvailable = exportProbe.status === 200;
    if (!exportsAvailable) say(`  note: GET /api/exports/stats.csv answered ${exportProbe.status}: exports are left out of the load`);

    // Baselines of what the load's logins and traces add to.
    const loginUserIds = (await sql<{ id: string }[]>`select id::text from users where username = any(${LOGIN_USERS})`).map((r) => r.id);
    const countLogins = async () => Number((await sql!<{ n: string }[]>`select count(*)::text as n from refresh_tokens where user_id = any(${loginUserIds}::uuid[])`)[0]!.n);
    const countTraces = async () =>
      Number((await sql!<{ n: string }[]>`select count(*)::text as n from audit_log where action = 'case.trace' and subject_id = ${theCase.id}`)[0]!.n);
    const loginsBefore = await countLogins();
    const tracesBefore = await countTraces();

    // ── The load ──
    const kinds = KINDS.filter((k) => k !== "export" || exportsAvailable);
    const totalWeight = kinds.reduce((a, k) => a + WEIGHTS[k], 0);
    const pickKind = (): Kind => {
      let r = Math.random() * totalWeight;
      for (const k of kinds) if ((r -= WEIGHTS[k]) < 0) return k;
      return "checkin";
    };
    const sent: Record<Kind, number> = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    const ackedCount: Record<Kind, number> = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    const ackedCheckins: string[] = [];
    const ackedDeclarations: string[] = [];
    const errorSamples = new Map<string, number>();
    let errors = 0;
    let answers = 0;
    /** Traces and exports run as the national admin (not one of the LOGIN_USERS, so its sign-ins are not counted). */
    let adminToken = admin;
    const xff = () => `10.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${1 + ((Math.random() * 254) | 0)}`;

    const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
    const request = async (kind: Kind): Promise<{ status: number; body: string }> => {
      const headers: Record<string, string> = { "x-forwarded-for": xff() };
      let method = "POST";
      let path = "/api/checkins";
      let body: unknown;
      switch (kind) {
        case "checkin": {
          const g = guests[(Math.random() * guests.length) | 0]!;
          const v = venues[(Math.random() * venues.length) | 0]!;
          body = { token: v.token, id: randomUUID(), guest: g };
          break;
        }
        case "bad_checkin":
          body = { token: venues[0]!.token, id: "not-a-uuid", guest: guests[0] };
          break;
        case "declaration": {
          const [, communeCode] = COMMUNES[(Math.random() * COMMUNES.length) | 0]!;
          body = {
            kind: "domestic",
            fullName: fullName(Math.random),
            birthYear: 1950 + ((Math.random() * 60) | 0),
            phone: phone(Math.random),
            communeCode,
            symptoms: Math.random() < 0.1 ? ["fever"] : [],
            travel: { means: "bus", from: "Hải Phòng", to: "Hà Nội" },
          };
          path = "/api/declarations";
          break;
        }
        case "login":
        case "bad_login": {
          const username = LOGIN_USERS[(Math.random() * LOGIN_USERS.length) | 0]!;
          body = { username, password: kind === "login" ? DEMO_PASSWORD : "Wrong-password-1" };
          path = "/api/auth/login";
          break;
        }
        case "trace":
          path = `/api/cases/${theCase.id}/trace`;
          body = { degree: 1 };
          headers.authorization = `Bearer ${adminToken}`;
          break;
        case "export":
          method = "GET";
          path = "/api/exports/stats.csv";
          headers.authorization = `Bearer ${adminToken}`;
          break;
      }
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body), signal: AbortSignal.timeout(o.timeout * 1000) });
      // ignoreBOM: keep the CSV's byte order mark, which is checked (res.text() would drop it).
      return { status: res.status, body: utf8.decode(await res.arrayBuffer()) };
    };

    const onAnswer = (kind: Kind, status: number, body: string) => {
      answers++;
      if (!EXPECTED[kind].includes(status) && !(kind === "checkin" && status === 200)) {
        errors++;
        const key = `${kind} ${status} ${body.slice(0, 160)}`;
        errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
        return;
      }
      if (kind === "bad_checkin" || kind === "bad_login") return;
      ackedCount[kind]++;
      if (kind === "checkin") ackedCheckins.push((JSON.parse(body) as { id: string }).id);
      else if (kind === "declaration") ackedDeclarations.push((JSON.parse(body) as { id: string }).id);
      else if (kind === "export" && !(body.startsWith("\uFEFF") && body.includes("\r\n"))) {
        // A CSV for spreadsheets: UTF-8 byte order mark, a header line ended by CRLF.
        errors++;
        const key = `export: not a CSV with BOM and header, starts ${JSON.stringify(body.slice(0, 40))}`;
        errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
      }
    };

    const rssStart = rssMb(srv.pid);
    const rssSamples: { t: number; mb: number }[] = [];
    const t0 = performance.now();
    const end = t0 + o.seconds * 1000;
    say(`Load: ${o.workers} workers for ${o.seconds} s (server RSS ${rssStart} MB) …`);
    let lastAnswers = 0;
    /** RSS once warmed up (JIT, heap grown to its working size, caches filled): a fifth of the run, at most 60 s in. */
    const warmAt = Math.min(60, o.seconds / 5);
    let rssWarm: number | undefined;
    const warmTimer = setTimeout(() => (rssWarm = rssMb(srv.pid)), warmAt * 1000);
    const ticker = setInterval(() => {
      const t = (performance.now() - t0) / 1000;
      const mb = rssMb(srv.pid);
      if (mb !== undefined) rssSamples.push({ t, mb });
      say(`  ${t.toFixed(0).padStart(4)} s  ${((answers - lastAnswers) / 10).toFixed(0).padStart(5)} req/s  acked ${ackedCheckins.length} check-ins, ${ackedDeclarations.length} declarations, ${ackedCount.login} logins, ${ackedCount.trace} traces, ${ackedCount.export} exports  errors ${errors}  RSS ${mb} MB`);
      lastAnswers = answers;
    }, 10_000);
    // Access tokens live ACCESS_TOKEN_TTL (15 min): the admin signs in again every 5 min.
    const renew = setInterval(() => {
      void api<{ accessToken: string }>(base, "POST", "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD })
        .then((r) => (adminToken = r.accessToken))
        .catch((e: unknown) => say(`  could not renew the admin's token: ${String(e)}`));
    }, 300_000);
    const worker = async () => {
      while (performance.now() < end) {
        const kind = pickKind();
        sent[kind]++;
        try {
          const r = await request(kind);
          onAnswer(kind, r.status, r.body);
        } catch (e) {
          answers++;
          errors++;
          const err = e as Error & { cause?: { code?: string } };
          const key = `${kind} no answer: ${err.name === "TimeoutError" ? `timeout after ${o.timeout} s` : (err.cause?.code ?? err.message)}`;
          errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: o.workers }, worker));
    clearInterval(ticker);
    clearInterval(renew);
    clearTimeout(warmTimer);
    const seconds = (performance.now() - t0) / 1000;
    const rssEnd = rssMb(srv.pid);
    const rssPeak = rssMb(srv.pid, "VmHWM");

    // ── What is stored ──
    const inTable = async (table: "checkins" | "declarations", ids: string[]) => {
      let n = 0;
      for (let i = 0; i < ids.length; i += 10_000) {
        const part = ids.slice(i, i + 10_000);
        n += Number((await sql!.unsafe(`select count(*)::text as n from ${table} where id = any($1::uuid[])`, [part]))[0]!.n);
      }
      return n;
    };
    const storedCheckins = await inTable("checkins", ackedCheckins);
    const storedDeclarations = await inTable("declarations", ackedDeclarations);
    const storedLogins = (await countLogins()) - loginsBefore;
    const storedTraces = (await countTraces()) - tracesBefore;
    const writes = {
      checkin: { acked: ackedCheckins.length, stored: storedCheckins },
      declaration: { acked: ackedDeclarations.length, stored: storedDeclarations },
      login: { acked: ackedCount.login, stored: storedLogins },
      trace: { acked: ackedCount.trace, stored: storedTraces },
    };
    const acked = Object.values(writes).reduce((a, w) => a + w.acked, 0);
    const stored = Object.values(writes).reduce((a, w) => a + Math.min(w.acked, w.stored), 0);
    const lost = Object.values(writes).reduce((a, w) => a + Math.max(0, w.acked - w.stored), 0);

    say(`Done: ${answers} answers in ${seconds.toFixed(1)} s (${(answers / seconds).toFixed(0)}/s)`);
    for (const [k, w] of Object.entries(writes)) say(`  ${k.padEnd(12)} acked ${String(w.acked).padStart(7)}  stored ${String(w.stored).padStart(7)}`);
    say(`  exports      ${ackedCount.export} read  ·  asked-for errors: ${sent.bad_checkin} bad check-ins (400), ${sent.bad_login} wrong passwords (401)`);
    if (errorSamples.size) for (const [k, n] of [...errorSamples].sort((a, b) => b[1] - a[1]).slice(0, 8)) say(`  error ${n}× ${k}`);
    const rssValues = rssSamples.map((s) => s.mb);
    const out = {
      bench: "soak",
      seconds: Math.round(seconds * 10) / 10,
      acked,
      stored,
      lost,
      errors,
      rss_start_mb: rssStart,
      rss_end_mb: rssEnd,
      rss_warm_mb: rssWarm,
      rss_warm_at_s: Math.round(warmAt),
      rss_peak_mb: rssPeak,
      rss_min_mb: rssValues.length ? Math.min(...rssValues) : rssStart,
      rss_max_mb: rssValues.length ? Math.max(...rssValues) : rssEnd,
      rate_per_s: Math.round(answers / seconds),
      requests: answers,
      writes,
      reads: { export: exportsAvailable ? ackedCount.export : "skipped: /api/exports/stats.csv not available" },
      asked_errors: { bad_checkin_400: sent.bad_checkin, bad_login_401: sent.bad_login },
      workers: o.workers,
      date: new Date().toISOString(),
    };
    await sql.end({ timeout: 5 });
    sql = undefined;
    await srv.stop();
    server = undefined;
    stopAllNow();
    console.log(JSON.stringify(out));
    process.exit(lost > 0 || errors > 0 ? 1 : 0);
  } catch (e) {
    say(`soak: ${(e as Error).stack ?? String(e)}`);
    if (server) say(`server's last lines:\n${server.tail()}`);
    await sql?.end({ timeout: 1 }).catch(() => {});
    stopAllNow();
    process.exit(1);
  }
}

await main();
