/**
 * Benchmark of the check-in path over HTTP (`npm run bench:checkin`, or `npx tsx scripts/bench/checkin.ts`).
 *
 * Starts a throwaway, durable PostgreSQL cluster (fsync and synchronous_commit on) and the server
 * in a child process (its own event loop: `node --import tsx server/main.ts`, DEMO_DATA for the
 * communes, JOBS off, LOG_LEVEL=warn), creates venues as the national admin and takes their poster
 * codes (rotate), then drives `POST /api/checkins` from many concurrent keep-alive connections for
 * a fixed time: every request a fresh check-in id, a guest from a fixed pool and a venue of the
 * guest's home province. Afterwards it checks in the database that every acknowledged (2xx)
 * check-in is stored: `lost` counts acknowledged ids that are missing (must be 0); rows beyond the
 * acknowledged ones (`extra`) are requests in flight when autocannon stopped, which the server
 * committed after the client had hung up (the lean client waits for them, so it has none).
 *
 * Baseline, in the same run and on the same cluster and table (the partitioned `checkins`, so
 * index and partition costs are equal): pgbench inserting the same kind of row one per
 * transaction (prepared statements, one script per venue) with the same number of connections
 * for the same time — PostgreSQL's own single-row commit rate; then again with the table's roll-up
 * triggers disabled (they run once per statement, so one-row transactions pay them once per row). Falls back to postgres.js loops
 * when pgbench is not installed. Both measured runs start from an empty `checkins` after a
 * CHECKPOINT; a warm-up of the server comes first and is not counted: at least --warmup seconds and
 * until every guest has checked in once (JIT, connection pool, the guests' people rows and
 * day-long personal QR codes), so the measured check-ins are repeat visits.
 *
 * Besides rate and latency it reports where the CPU went (server, PostgreSQL, this process — the
 * load generator — and other processes, from /proc), PostgreSQL's write transactions and WAL per
 * row, and the server's peak RSS: on a 2-core machine the load generator, the server and
 * PostgreSQL share the cores, so CPU per check-in decides the rate.
 *
 *   --connections N (64)  --duration S (20)  --warmup S (5)  --venues N (100)  --guests N (10000)
 *   --client autocannon|lean (autocannon): lean is scripts/lib/bench-http.ts, ~⅓ of autocannon's CPU per request
 *   --pool N (server DATABASE_POOL)  --batch-max N (CHECKIN_BATCH_MAX)  --batch-wait-ms MS (CHECKIN_BATCH_WAIT_MS)
 *   --baseline pgbench|postgres (pgbench when found)  --timeout S (10, per request)  --seed N (42)
 *   --runs N (1): alternate N (baseline, server) pairs and report the medians (single runs swing on a busy machine)
 *   --server-node-args="…": node options for the server, e.g. --server-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   --no-huge-pages: shared memory on 4 KiB pages (by default huge pages are reserved for the cluster when
 *   run as root, as docs/OPERATIONS.md advises for production; the server and pgbench share the cluster)
 *
 * Exits 1 if any check-in was lost or answered with an error. Last line of output:
 * {"bench":"checkin","rate_per_s":…,"p50_ms":…,"p99_ms":…,"errors":…,"lost":…,"baseline_rate_per_s":…,"ratio":…,
 *  "connections":…,"seconds":…,"acked":…,"stored":…,"extra":…,…,"server_rss_mb":…,"machine":…,"date":…}
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { fullName, phone, prng } from "../../db/seed/names";
import { leanLoad } from "../lib/bench-http";
import { api, startServer, type ServerChild } from "../lib/bench-server";
import { startReaper } from "../lib/bench-reaper";
import { clusterCpuSeconds, cpuBetween, machineString, peakRssBytes, postmasterPid, processCpuSeconds, sampleCpu } from "../lib/bench-proc";
import { findPostgresBin, startTempPostgres, type TempPostgres } from "../lib/temp-postgres";
import { startedSteps, stopOnExit } from "../lib/bench-stop";

const ADMIN_PASSWORD = "Bench-admin-2026";

// Communes of the demo data (db/seed/demo-communes.csv), which DEMO_DATA=true imports.
const COMMUNES: [province: string, commune: string][] = [
  ["01", "00004"], ["01", "00008"], ["01", "00025"], ["01", "00070"], ["01", "00082"], ["01", "00091"],
  ["01", "00103"], ["01", "00118"], ["01", "00127"], ["01", "00136"], ["01", "00166"], ["01", "00178"],
  ["79", "26734"], ["79", "26737"], ["79", "26740"], ["79", "26743"], ["79", "26752"], ["79", "26758"],
];
const CATEGORIES = ["market", "shop", "station", "hospital", "worship"];

interface Options {
  connections: number;
  duration: number;
  warmup: number;
  venues: number;
  guests: number;
  pool?: number | undefined;
  batchMax?: number | undefined;
  batchWaitMs?: number | undefined;
  baseline: "pgbench" | "postgres";
  timeout: number;
  seed: number;
  runs: number;
  client: Client;
  /** Extra node options for the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
  serverNodeArgs: string[];
  hugePages: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      connections: { type: "string", short: "c", default: "64" },
      duration: { type: "string", short: "d", default: "20" },
      warmup: { type: "string", default: "5" },
      venues: { type: "string", default: "100" },
      guests: { type: "string", default: "10000" },
      pool: { type: "string" },
      "batch-max": { type: "string" },
      "batch-wait-ms": { type: "string" },
      baseline: { type: "string" },
      timeout: { type: "string", default: "10" },
      seed: { type: "string", default: "42" },
      runs: { type: "string", default: "1" },
      "server-node-args": { type: "string", default: "" },
      "no-huge-pages": { type: "boolean", default: false },
      client: { type: "string", default: "autocannon" },
    },
    strict: true,
  });
  const int = (v: string | undefined, name: string, min = 1): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${v})`);
    return n;
  };
  const num = (v: string | undefined, name: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0 (got ${v})`);
    return n;
  };
  const pgbench = findPgbench();
  const baseline = values.baseline ?? (pgbench ? "pgbench" : "postgres");
  if (baseline !== "pgbench" && baseline !== "postgres") throw new Error(`--baseline must be pgbench or postgres (got ${baseline})`);
  if (baseline === "pgbench" && !pgbench) throw new Error("--baseline pgbench: pgbench not found next to initdb (set PG_BIN)");
  return {
    connections: int(values.connections, "--connections"),
    duration: int(values.duration, "--duration"), // whole seconds: pgbench -T
    warmup: num(values.warmup, "--warmup"),
    venues: int(values.venues, "--venues"),
    guests: int(values.guests, "--guests"),
    pool: values.pool === undefined ? undefined : int(values.pool, "--pool"),
    batchMax: values["batch-max"] === undefined ? undefined : int(values["batch-max"], "--batch-max"),
    batchWaitMs: values["batch-wait-ms"] === undefined ? undefined : num(values["batch-wait-ms"], "--batch-wait-ms"),
    baseline,
    timeout: int(values.timeout, "--timeout"),
    seed: int(values.seed, "--seed", 0),
    runs: int(values.runs, "--runs"),
    client: client(values.client),
    serverNodeArgs: values["server-node-args"].split(/\s+/).filter(Boolean),
    hugePages: !values["no-huge-pages"],
  };
}

function client(v: string): Client {
  if (v !== "autocannon" && v !== "lean") throw new Error(`--client must be autocannon or lean (got ${v})`);
  return v;
}

function findPgbench(): string | undefined {
  const bin = findPostgresBin();
  return bin && existsSync(join(bin, "pgbench")) ? join(bin, "pgbench") : undefined;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const median = (xs: number[]) => {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`${line}\n`);

interface BenchVenue {
  id: string;
  provinceCode: string;
  token: string;
}

/** Venues created by the national admin (active at once), each with a fresh poster code. */
async function createVenues(base: string, count: number): Promise<BenchVenue[]> {
  const session = await api<{ accessToken: string }>(base, "POST", "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD });
  const out: BenchVenue[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const [provinceCode, communeCode] = COMMUNES[i % COMMUNES.length]!;
      const v = await api<{ id: string }>(
        base,
        "POST",
        "/api/venues",
        { name: `Bench venue ${i + 1}`, category: CATEGORIES[i % CATEGORIES.length], address: `${i + 1} Bench street`, provinceCode, communeCode, capacity: 500 },
        session.accessToken,
      );
      const { url } = await api<{ url: string }>(base, "POST", `/api/venues/${v.id}/rotate`, {}, session.accessToken);
      const token = url.slice(url.indexOf("/c/") + 3);
      if (!token || url.indexOf("/c/") < 0) throw new Error(`unexpected venue code URL ${url}`);
      out[i] = { id: v.id, provinceCode, token };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

// ───────────────────────────── load ─────────────────────────────

interface LoadResult {
  seconds: number;
  acked: string[];
  created: number;
  replays: number;
  non2xx: number;
  connErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  errorSamples: string[];
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Check-in bodies from pre-serialised parts (the load generator shares the cores with the server):
 * a random guest of the pool, at a random venue of the guest's home province (people check in
 * near home, so a guest's day-long personal QR is reused as in life), and a fresh id.
 */
function checkinBodies(venues: BenchVenue[], guestsJson: string[]) {
  const byProvince = new Map<string, { head: string; bytes: number }[]>();
  for (const v of venues) {
    const head = `{"token":${JSON.stringify(v.token)},"id":"`;
    let list = byProvince.get(v.provinceCode);
    if (!list) byProvince.set(v.provinceCode, (list = []));
    list.push({ head, bytes: Buffer.byteLength(head) });
  }
  const guests = guestsJson.map((g, i) => {
    const tail = `","guest":${g}}`;
    return { tail, bytes: Buffer.byteLength(tail), venues: byProvince.get(venues[i % venues.length]!.provinceCode)! };
  });
  let inTurn = -1; // ≥ 0: guests take turns (the warm-up), so that every one of them gets seen
  const next = () => {
    const g = inTurn >= 0 ? guests[inTurn++ % guests.length]! : guests[(Math.random() * guests.length) | 0]!;
    const v = g.venues[(Math.random() * g.venues.length) | 0]!;
    const id = randomUUID();
    return { id, body: v.head + id + g.tail, bytes: v.bytes + 36 + g.bytes };
  };
  return Object.assign(next, {
    takeTurns(on: boolean) {
      inTurn = on ? Math.max(0, inTurn) : -1;
    },
    /** Guests sent at least once while taking turns. */
    seen: () => Math.min(Math.max(0, inTurn), guests.length),
  });
}

type Client = "autocannon" | "lean";

/** POST /api/checkins from `connections` keep-alive connections for `seconds`; every request a new check-in. */
async function drive(
  base: string,
  nextBody: ReturnType<typeof checkinBodies>,
  o: { client: Client; connections: number; seconds: number; timeout: number; progress: boolean },
): Promise<LoadResult> {
  const acked: string[] = [];
  let created = 0;
  let replays = 0;
  const errorSamples = new Map<string, number>();
  const onAnswer = (status: number, id: string, body: string | undefined) => {
    if (status === 201) {
      created++;
      acked.push(id);
    } else if (status >= 200 && status < 300) {
      replays++;
      acked.push(id);
    } else {
      const key = `${status} ${(body ?? "").slice(0, 200)}`;
      errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
    }
  };
  let second = 0;
  let window = 0;
  const onSecond = (answers: number) => {
    second++;
    window += answers;
    if (o.progress && second % 5 === 0) {
      say(`    ${String(second).padStart(3)} s  ${fmtInt(window / 5).padStart(7)} req/s`);
      window = 0;
    }
  };
  const samples = () => [...errorSamples].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, n]) => `${n}× ${k}`);

  if (o.client === "lean") {
    const url = new URL(base);
    const prefix = `POST /api/checkins HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: `;
    const r = await leanLoad({
      host: url.hostname,
      port: Number(url.port),
      connections: o.connections,
      seconds: o.seconds,
      timeoutMs: o.timeout * 1000,
      next: () => {
        const b = nextBody();
        return { bytes: Buffer.from(`${prefix}${b.bytes}\r\n\r\n${b.body}`), tag: b.id };
      },
      onAnswer,
      onSecond,
    });
    const non2xx = Object.entries(r.statusCounts).reduce((a, [code, n]) => a + (Number(code) >= 200 && Number(code) < 300 ? 0 : n), 0);
    return {
      seconds: r.seconds,
      acked,
      created,
      replays,
      non2xx,
      connErrors: r.connErrors,
      timeouts: r.timeouts,
      statusCodes: r.statusCounts,
      errorSamples: samples(),
      ...r.latency,
    };
  }

  const options = {
    url: base,
    connections: o.connections,
    pipelining: 1,
    duration: o.seconds,
    timeout: o.timeout,
    requests: [
      {
        method: "POST",
        path: "/api/checkins",
        headers: { "content-type": "application/json" },
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          const b = nextBody();
          context.id = b.id;
          req.body = b.body;
          return req;
        },
        onResponse: (status: number, body: string, context: Record<string, unknown>) =>
          onAnswer(status, context.id as string, status >= 200 && status < 300 ? undefined : body),
      },
    ],
  } as unknown as autocannon.Options;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolveP, reject) => {
    instance = autocannon(options, (err: unknown, result: autocannon.Result) => (err ? reject(err) : resolveP(result)));
  });
  (instance as unknown as NodeJS.EventEmitter).on("tick", ({ counter }: { counter: number }) => onSecond(counter));
  const r = await done;
  // autocannon's own count of 2xx answers must match the ids this script saw acknowledged.
  if (r["2xx"] !== acked.length) say(`  note: autocannon counted ${r["2xx"]} 2xx answers, onResponse saw ${acked.length}`);
  const statusCodes: Record<string, number> = {};
  for (const [code, st] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = st.count ?? 0;
  return {
    seconds: r.duration,
    acked,
    created,
    replays,
    non2xx: r.non2xx,
    connErrors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    errorSamples: samples(),
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    mean: r.latency.average,
  };
}

// ───────────────────────────── baseline ─────────────────────────────

interface BaselineResult {
  tps: number;
  transactions: number;
  latencyMs: number | undefined;
  how: string;
}

/** pgbench: one single-row INSERT per transaction, one script per venue (picked at random), prepared. */
async function pgbenchBaseline(pgbench: string, port: number, db: string, dir: string, venues: BenchVenue[], connections: number, seconds: number): Promise<BaselineResult> {
  const scripts = venues.slice(0, 100).map((v, i) => {
    const file = join(dir, `checkin-${i}.sql`);
    writeFileSync(
      file,
      `insert into checkins (id, province_code, venue_id, person_id, checked_in_at, method) values (gen_random_uuid(), '${v.provinceCode}', '${v.id}', gen_random_uuid(), now(), 'guest_scan');\n`,
    );
    return file;
  });
  const threads = Math.max(1, Math.min(2, connections));
  const args = ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-n", "-M", "prepared", "-c", String(connections), "-j", String(threads), "-T", String(seconds)];
  for (const f of scripts) args.push("-f", f);
  args.push(db);
  const out = await new Promise<string>((resolveP, reject) => {
    const child = spawn(pgbench, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PGCONNECT_TIMEOUT: "10" } });
    baselineChild = child;
    let text = "";
    child.stdout.on("data", (c: Buffer) => (text += c.toString()));
    child.stderr.on("data", (c: Buffer) => (text += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      baselineChild = undefined;
      if (code === 0) resolveP(text);
      else reject(new Error(`pgbench exited with ${code}:\n${text.slice(-2000)}`));
    });
  });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  const n = /number of transactions actually processed: (\d+)/.exec(out);
  const lat = /latency average = ([\d.]+) ms/.exec(out);
  const failed = /number of failed transactions: (\d+)/.exec(out);
  if (!tps || !n) throw new Error(`could not read pgbench's output:\n${out}`);
  if (failed && Number(failed[1]) > 0) say(`  pgbench: ${failed[1]} failed transactions`);
  return {
    tps: Number(tps[1]),
    transactions: Number(n[1]),
    latencyMs: lat ? Number(lat[1]) : undefined,
    how: `pgbench -M prepared -c ${connections} -j ${threads} -T ${seconds}, ${scripts.length} one-row INSERT scripts`,
  };
}

/** Without pgbench: `connections` postgres.js loops of one-row INSERTs (each its own transaction). */
async function postgresBaseline(url: string, venues: BenchVenue[], connections: number, seconds: number): Promise<BaselineResult> {
  const sql = postgres(url, { max: connections, onnotice: () => {} });
  try {
    await Promise.all(Array.from({ length: connections }, () => sql`select 1`)); // connect first, like pgbench's figure
    let n = 0;
    let latency = 0;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < end) {
          const v = venues[(Math.random() * venues.length) | 0]!;
          const s = performance.now();
          await sql`insert into checkins (id, province_code, venue_id, person_id, checked_in_at, method)
            values (gen_random_uuid(), ${v.provinceCode}, ${v.id}, gen_random_uuid(), now(), 'guest_scan')`;
          latency += performance.now() - s;
          n++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    return { tps: n / elapsed, transactions: n, latencyMs: n ? latency / n : undefined, how: `postgres.js, ${connections} loops of one-row INSERTs` };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// ───────────────────────────── main ─────────────────────────────

let server: ServerChild | undefined;
let pg: TempPostgres | undefined;
let workDir: string | undefined;
let baselineChild: ChildProcess | undefined;

const stopAllNow = stopOnExit(
  "bench checkin",
  say,
  startedSteps({ server: () => server, pg: () => pg, workDir: () => workDir }, () => void ((server = undefined), (pg = undefined), (workDir = undefined), (baselineChild = undefined)), [["stop pgbench", () => baselineChild?.kill("SIGKILL")]]),
);

/** What PostgreSQL did in an interval: write transactions (xids assigned) and WAL written. */
interface PgWork {
  xacts: number;
  walBytes: number;
}

/**
 * CPU used while a phase of `seconds` runs, sampled from 1 s after its start to 1 s before its end:
 * steady state, and no race with processes exiting at the end (PostgreSQL backends of pgbench).
 */
function cpuWindow(seconds: number, parts: Record<string, () => number | undefined>): Promise<ReturnType<typeof cpuBetween>> {
  const margin = seconds >= 4 ? 1000 : 0;
  return new Promise((resolveP) => {
    setTimeout(() => {
      const a = sampleCpu(parts);
      setTimeout(() => resolveP(cpuBetween(a, sampleCpu(parts))), seconds * 1000 - 2 * margin);
    }, margin);
  });
}

interface ServerRun {
  pgWork: PgWork;
  load: LoadResult;
  stored: number;
  lost: number;
  extra: number;
  cpu: ReturnType<typeof cpuBetween>;
}

async function main() {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`bench checkin: ${(e as Error).message}`);
    process.exit(2);
  }

  let sql: postgres.Sql | undefined;
  try {
    workDir = mkdtempSync(join(tmpdir(), "phc-bench-checkin-"));
    say("Starting a throwaway PostgreSQL (durable: fsync and synchronous_commit on) …");
    pg = await startTempPostgres({ durable: true, hugePages: o.hugePages, settings: { max_connections: Math.max(200, o.connections + 50) } });
    say(`  huge pages: ${pg.hugePages.on ? "on" : "off"} (${pg.hugePages.note})`);
    const reaper = startReaper(workDir, pg.dir);
    const dbName = "bench_checkin";
    const url = await pg.createDatabase(dbName);
    sql = postgres(url, { max: 2, onnotice: () => {} });
    const [{ server_version: serverVersion } = { server_version: "?" }] = await sql<{ server_version: string }[]>`show server_version`;
    const [{ fsync, synchronous_commit: syncCommit } = { fsync: "?", synchronous_commit: "?" }] = await sql<{ fsync: string; synchronous_commit: string }[]>`
      select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit`;
    const pmPid = postmasterPid(join(pg.dir, "data"));

    const serverEnv: Record<string, string> = {
      DATABASE_URL: url,
      DATA_DIR: join(workDir, "data"),
      LOG_LEVEL: "warn",
      DEMO_DATA: "true", // the demo communes (venues need one); its few check-ins are truncated below
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD,
      JOBS: "false",
      WEB_DIST: join(workDir, "no-web"),
    };
    if (o.pool !== undefined) serverEnv.DATABASE_POOL = String(o.pool);
    if (o.batchMax !== undefined) serverEnv.CHECKIN_BATCH_MAX = String(o.batchMax);
    if (o.batchWaitMs !== undefined) serverEnv.CHECKIN_BATCH_WAIT_MS = String(o.batchWaitMs);
    const effective = (k: string, dflt: string) => serverEnv[k] ?? process.env[k] ?? dflt;
    const serverSettings = `DATABASE_POOL=${effective("DATABASE_POOL", "10")} CHECKIN_BATCH_MAX=${effective("CHECKIN_BATCH_MAX", "500")} CHECKIN_BATCH_WAIT_MS=${effective("CHECKIN_BATCH_WAIT_MS", "0")}`;

    say(`Starting the server (node --import tsx server/main.ts; ${serverSettings}) …`);
    server = await startServer(serverEnv, o.serverNodeArgs, (pid) => reaper.serverStarted(pid));
    const srv = server;
    say(`Creating ${fmtInt(o.venues)} venues and their codes …`);
    const venues = await createVenues(srv.base, o.venues);

    const rand = prng(o.seed);
    const guestsJson = Array.from({ length: o.guests }, () =>
      JSON.stringify({ personId: randomUUID(), fullName: fullName(rand), phone: phone(rand), birthYear: 1940 + Math.floor(rand() * 70) }),
    );
    const nextBody = checkinBodies(venues, guestsJson);

    const count = async () => Number((await sql!<{ n: string }[]>`select count(*)::text as n from checkins`)[0]!.n);
    const reset = async () => {
      await sql!`truncate checkins, checkin_keys`;
      await sql!`checkpoint`;
    };
    /** Rows stop changing: the server has committed everything it accepted. */
    const settle = async () => {
      let last = await count();
      for (let i = 0; i < 50; i++) {
        await sleep(200);
        const n = await count();
        if (n === last && i >= 2) return n;
        last = n;
      }
      return last;
    };

    if (o.warmup > 0) {
      // Until every guest has checked in once (their people row written, their personal QR signed
      // and cached for the day), at least --warmup seconds: the measured runs are then repeat
      // visits, the common case, and do not depend on how much of the pool a fixed warm-up reached.
      say(`Warm-up: every guest once, at least ${o.warmup} s (not counted) …`);
      nextBody.takeTurns(true);
      for (let round = 0; round < 20; round++) {
        const w = await drive(srv.base, nextBody, { client: o.client, connections: o.connections, seconds: o.warmup, timeout: o.timeout, progress: false });
        const werr = w.non2xx + w.connErrors;
        say(`  ${fmtInt(w.acked.length / w.seconds)}/s, ${fmtInt(nextBody.seen())} of ${fmtInt(o.guests)} guests seen${werr ? `, ${werr} errors: ${w.errorSamples.join(" | ")}` : ""}`);
        if (nextBody.seen() >= o.guests) break;
      }
      nextBody.takeTurns(false);
      await settle();
    }

    const cpuParts = {
      server: () => processCpuSeconds(srv.pid),
      postgres: () => clusterCpuSeconds(pmPid),
      // This process: the load generator (and the bench's own bookkeeping).
      bench: () => processCpuSeconds("self"),
      pgbench: () => (baselineChild?.pid ? processCpuSeconds(baselineChild.pid) : undefined),
    };
    const pgMark = async () => {
      const [r] = await sql!<{ xid: string; lsn: string }[]>`
        select pg_snapshot_xmax(pg_current_snapshot())::text as xid, pg_current_wal_lsn()::text as lsn`;
      return r!;
    };
    const pgBetween = async (a: { xid: string; lsn: string }): Promise<PgWork> => {
      const b = await pgMark();
      const [r] = await sql!<{ bytes: string }[]>`select pg_wal_lsn_diff(${b.lsn}::pg_lsn, ${a.lsn}::pg_lsn)::text as bytes`;
      return { xacts: Number(b.xid) - Number(a.xid), walBytes: Number(r!.bytes) };
    };
    const pgbench = findPgbench();
    const baselineRuns: (BaselineResult & { stored: number; cpu: ReturnType<typeof cpuBetween>; pgWork: PgWork })[] = [];
    const serverRuns: ServerRun[] = [];
    const bareRates: number[] = [];

    for (let run = 0; run < o.runs; run++) {
      const of = o.runs > 1 ? ` (run ${run + 1}/${o.runs})` : "";
      // Baseline: PostgreSQL alone, one row per transaction, same table, same concurrency.
      await reset();
      say(`Baseline${of}: ${o.baseline === "pgbench" ? "pgbench" : "postgres.js"}, one-row INSERT per transaction, ${o.connections} connections, ${o.duration} s …`);
      let m0 = await pgMark();
      let window = cpuWindow(o.duration, cpuParts);
      const b =
        o.baseline === "pgbench"
          ? await pgbenchBaseline(pgbench!, pg.port, dbName, workDir, venues, o.connections, o.duration)
          : await postgresBaseline(url, venues, o.connections, o.duration);
      const bcpu = await window;
      const bWork = await pgBetween(m0);
      const bStored = await count();
      say(`  ${fmtInt(b.tps)} tx/s, ${fmtInt(b.transactions)} rows (table has ${fmtInt(bStored)})${b.latencyMs !== undefined ? `, latency average ${b.latencyMs.toFixed(2)} ms` : ""}`);
      baselineRuns.push({ ...b, stored: bStored, cpu: bcpu, pgWork: bWork });

      // The same without the roll-up triggers (docs/STATS.md): PostgreSQL's bare one-row commit
      // rate. The triggers cost every statement, so one-row transactions pay them once per row
      // where the server's batches pay once per batch; both baselines are reported.
      await reset();
      say(`Baseline${of} without the roll-up triggers (alter table checkins disable trigger user) …`);
      await sql.unsafe("alter table checkins disable trigger user");
      try {
        const bare =
          o.baseline === "pgbench"
            ? await pgbenchBaseline(pgbench!, pg.port, dbName, workDir, venues, o.connections, o.duration)
            : await postgresBaseline(url, venues, o.connections, o.duration);
        say(`  ${fmtInt(bare.tps)} tx/s, ${fmtInt(bare.transactions)} rows`);
        bareRates.push(bare.tps);
      } finally {
        await sql.unsafe("alter table checkins enable trigger user");
      }

      // The server over HTTP.
      await reset();
      say(`Load${of}: POST /api/checkins, ${o.client}, ${o.connections} connections, ${o.duration} s …`);
      m0 = await pgMark();
      window = cpuWindow(o.duration, cpuParts);
      const load = await drive(srv.base, nextBody, { client: o.client, connections: o.connections, seconds: o.duration, timeout: o.timeout, progress: true });
      const cpu = await window;
      const stored = await settle();
      const sWork = await pgBetween(m0);
      // Every acknowledged id must be in the table.
      let lost = 0;
      for (let i = 0; i < load.acked.length; i += 20_000) {
        const chunk = load.acked.slice(i, i + 20_000);
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from unnest(${`{${chunk.join(",")}}`}::uuid[]) as a(id)
          where not exists (select 1 from checkins c where c.id = a.id)`;
        lost += row?.n ?? 0;
      }
      const extra = stored - (load.acked.length - lost);
      serverRuns.push({ load, stored, lost, extra, cpu, pgWork: sWork });
      const errs = load.non2xx + load.connErrors;
      say(
        `  ${fmtInt(load.acked.length / load.seconds)}/s, ${fmtInt(load.acked.length)} acknowledged (${fmtInt(load.created)} × 201, ${fmtInt(load.replays)} other 2xx), ` +
          `${fmtInt(stored)} stored, lost ${lost}, extra ${extra}, errors ${errs}; latency p50 ${load.p50} ms, p99 ${load.p99} ms, max ${load.max} ms`,
      );
      if (errs) say(`  errors: ${load.non2xx} non-2xx, ${load.connErrors} connection errors (${load.timeouts} timeouts); ${load.errorSamples.join(" | ")}`);
    }

    const rssBytes = peakRssBytes(srv.pid);
    await srv.stop();
    server = undefined;

    // ── report ──
    const rates = serverRuns.map((r) => r.load.acked.length / r.load.seconds);
    const baseRates = baselineRuns.map((b) => b.tps);
    const rate = median(rates);
    const baselineRate = median(baseRates);
    const ratio = rate / baselineRate;
    const bareRate = median(bareRates);
    const bareRatio = rate / bareRate;
    // The reported run: the one with the median rate (the last one when runs are even).
    const pickRun = <T>(xs: T[], key: (x: T) => number, m: number) => xs.reduce((best, x) => (Math.abs(key(x) - m) < Math.abs(key(best) - m) ? x : best));
    const sr = pickRun(serverRuns, (r) => r.load.acked.length / r.load.seconds, rate);
    const br = pickRun(baselineRuns, (b) => b.tps, baselineRate);
    const errors = serverRuns.reduce((a, r) => a + r.load.non2xx + r.load.connErrors, 0);
    const lost = serverRuns.reduce((a, r) => a + r.lost, 0);
    const cores = (c: ReturnType<typeof cpuBetween>) =>
      [
        ...Object.entries(c.cores).map(([k, v]) => `${k} ${v.toFixed(2)}`),
        c.machineCores !== undefined
          ? `other processes ${Math.max(0, c.machineCores - Object.values(c.cores).reduce((x, y) => x + y, 0)).toFixed(2)} (whole machine ${c.machineCores.toFixed(2)} of ${cpus().length})`
          : "",
      ]
        .filter(Boolean)
        .join(", ");
    const perRow = (c: ReturnType<typeof cpuBetween>, perS: number) =>
      Object.entries(c.cores)
        .filter(([, v]) => v > 0.005)
        .map(([k, v]) => `${k} ${((v * 1e6) / perS).toFixed(0)}`)
        .join(", ");
    const work = (w: PgWork, rows: number) =>
      `${fmtInt(w.xacts)} write transactions (${(rows / Math.max(1, w.xacts)).toFixed(1)} rows each), ${(w.walBytes / Math.max(1, rows)).toFixed(0)} WAL bytes per row`;
    const list = (xs: number[]) => (xs.length > 1 ? `  [${xs.map(fmtInt).join(", ")}]` : "");
    const medianOf = o.runs > 1 ? ` (median of ${o.runs} runs)` : "";
    console.log(
      [
        `Check-in benchmark${medianOf} — ${machineString(serverVersion)}; fsync=${fsync}, synchronous_commit=${syncCommit}, huge pages ${pg.hugePages.on ? "on" : "off"}`,
        `  server    ${serverSettings}; ${fmtInt(o.venues)} venues, ${fmtInt(o.guests)} guests, ${o.connections} connections, ${o.duration} s, client ${o.client}`,
        `  checkins  ${fmtInt(rate).padStart(7)} /s over HTTP  p50 ${sr.load.p50} ms  p90 ${sr.load.p90} ms  p99 ${sr.load.p99} ms  max ${sr.load.max} ms${list(rates)}`,
        `            acknowledged ${fmtInt(sr.load.acked.length)}, stored ${fmtInt(sr.stored)}, lost ${sr.lost}, extra ${sr.extra} (in flight at the end), errors ${errors}`,
        `  baseline  ${fmtInt(baselineRate).padStart(7)} /s  ${br.how}${br.latencyMs !== undefined ? `, latency average ${br.latencyMs.toFixed(2)} ms` : ""}${list(baseRates)}`,
        `  ratio     ${ratio.toFixed(2)} of PostgreSQL's one-row-per-transaction rate into the same table (the roll-up triggers fire once per statement)`,
        `  without the roll-up triggers: baseline ${fmtInt(bareRate)} /s, ratio ${bareRatio.toFixed(2)}${list(bareRates)}`,
        `  CPU cores used  load: ${cores(sr.cpu)}`,
        `                  baseline: ${cores(br.cpu)}`,
        `  CPU µs per row  load: ${perRow(sr.cpu, rate)}; baseline: ${perRow(br.cpu, baselineRate)}`,
        `  PostgreSQL      load: ${work(sr.pgWork, sr.stored)}`,
        `                  baseline: ${work(br.pgWork, br.stored)}`,
        `  server peak RSS ${rssBytes !== undefined ? `${(rssBytes / 2 ** 20).toFixed(0)} MiB` : "unknown"}`,
      ].join("\n"),
    );
    console.log(
      JSON.stringify({
        bench: "checkin",
        rate_per_s: Math.round(rate),
        p50_ms: sr.load.p50,
        p99_ms: sr.load.p99,
        errors,
        lost,
        baseline_rate_per_s: Math.round(baselineRate),
        ratio: Number(ratio.toFixed(3)),
        baseline_no_rollups_rate_per_s: Math.round(bareRate),
        ratio_no_rollups: Number(bareRatio.toFixed(3)),
        connections: o.connections,
        seconds: o.duration,
        runs: o.runs,
        acked: sr.load.acked.length,
        stored: sr.stored,
        extra: sr.extra,
        venues: o.venues,
        guests: o.guests,
        server_rss_mb: rssBytes !== undefined ? Math.round(rssBytes / 2 ** 20) : null,
        baseline: o.baseline,
        client: o.client,
        huge_pages: pg.hugePages.on,
        machine: machineString(serverVersion),
        date: new Date().toISOString(),
      }),
    );
    if (errors || lost) process.exitCode = 1;
  } finally {
    await sql?.end({ timeout: 5 }).catch(() => {});
    await server?.stop().catch(() => {});
    server = undefined;
    stopAllNow();
  }
}

main().catch((e) => {
  console.error(`bench checkin failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  stopAllNow();
  process.exit(1);
});
