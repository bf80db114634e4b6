/**
 * Benchmark of close-contact tracing over HTTP (`npm run bench:trace`, or `npx tsx scripts/bench/trace.ts`).
 *
 * Target (the tracing issue): the F1 listing of an F0 with 14 days of visits, over 10^7 check-ins,
 * answers with p99 ≤ 50 ms; F2 with p99 ≤ 1 s.
 *
 * 1. A throwaway, durable PostgreSQL (scripts/lib/temp-postgres.ts) loaded with the synthetic
 *    population of `npm run seed` (scripts/lib/synthetic.ts: by default 1 M people, 20 k venues and
 *    10 M check-ins over the last 28 days, ~360 k a day), then VACUUMed (hint bits and visibility
 *    maps set, as autovacuum leaves a live database; --skip-vacuum to measure the fresh load).
 * 2. --cases random people with a check-in in the infectious window (symptom onset --onset-days
 *    ago → window from onset − 2 days, 00:00 Vietnam time, to now), drawn with SQL
 *    (TABLESAMPLE of people, kept when they have a check-in since the window's start).
 * 3. The server as a child process (`node --import tsx server/main.ts`; JOBS=false, LOG_LEVEL=warn,
 *    DEMO_DATA=false: the seed made the communes), signed in as the national admin.
 * 4. Each person registered as a case over HTTP (POST /api/cases {personId, confirmedOn: today,
 *    method: "pcr", symptomOnset}) — not timed; a few extra cases traced first as a warm-up (not
 *    counted); then, timed, POST /api/cases/:id/trace {degree: 1} for every case, then
 *    {degree: 2} for the first --f2 of them (F2 starts from the F1s the first trace stored).
 *    Times are the whole HTTP exchange, until the last byte of the answer: what an officer waits.
 *
 * Baseline (trace-naive.ts; --no-baseline leaves it out): right after the F1 traces, the same F1
 * answer for each measured case by the naive plan — a query per visit of the case — timed from the
 * bench on one connection, and checked against the contacts the server stored (the same people).
 * "ratio" = the naive plan's p50 / the server's hop p50 (Server-Timing "hop": the one set-based
 * statement, the same work); "ratio_http" = the naive p50 / the whole F1 HTTP exchange's p50.
 *
 * Reports p50/p95/p99/max of F1 and F2, contacts found per case (summary.f1, summary.f2), the
 * case's visits, answer sizes, the server's own `summary.ms`, the server's peak RSS, CPU per trace
 * (server, PostgreSQL cluster, this process, other processes: from /proc), and where the database
 * time of a trace goes (pg_stat_statements, loaded at the cluster's start: the server's statements
 * by planning + execution time per trace, IN lists and VALUES rows of any length counted as one
 * statement; --no-stats leaves it out). "target_met": both p99 targets met and no trace failed.
 * With --explain MS, after the measurement the server is restarted with auto_explain in its
 * sessions (plans with actual rows and buffers, no per-node timing) and traces 3 more cases (F1,
 * then F2); the plans of the slowest statements ≥ MS are printed. The measured times are not
 * affected.
 *
 *   --checkins N (10M)  --people N (checkins/10)  --venues N (checkins/500)  --days N (28)  --seed N (42)
 *   --cases N (200)  --f2 N (50)  --warmup N (5)  --concurrency N (1): traces in flight at once
 *   --onset-days N (12)  --explain MS  --no-stats  --skip-vacuum  --no-baseline
 *   --shared-buffers SIZE (25 % of the machine's memory)  --no-huge-pages  --no-prewarm: the memory
 *   set-up (trace-prewarm.ts): shared memory on huge pages (reserved when run as root), the
 *   window's check-ins and their trace indexes, people and venues read into shared_buffers after
 *   the load, as a live database has them; --no-prewarm --no-huge-pages --shared-buffers 256MB
 *   measures the cold database right after a bulk load instead.
 *   --server-node-args="…": node options for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *
 * Counts accept 1e6, 250k, 10M. Exits 0 whether or not the targets are met (see "target_met"),
 * 1 if the benchmark could not run (e.g. the tracing routes are missing) or every trace failed.
 * Last line of output:
 * {"bench":"trace","checkins":…,"people":…,"cases":…,"f1_p50_ms":…,"f1_p99_ms":…,"f2_p50_ms":…,"f2_p99_ms":…,
 *  "baseline_f1_p50_ms":…,"baseline_f1_p99_ms":…,"baseline_mismatches":…,"ratio":…,"ratio_http":…,
 *  "f1_mean":…,"f2_mean":…,"server_rss_mb":…,"target_met":…,"machine":…,"date":…}
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openDatabase, type Database } from "../../db/client";
import { prng } from "../../db/seed/names";
import { vnDay, vnDayRange } from "../../server/checkins/colour";
import { startReaper } from "../lib/bench-reaper";
import { startedSteps, stopOnExit } from "../lib/bench-stop";
import { clusterCpuSeconds, cpuBetween, machineString, peakRssBytes, postmasterPid, processCpuSeconds, sampleCpu } from "../lib/bench-proc";
import { api, ApiError, apiText, serverTiming, startServer, type ServerChild } from "../lib/bench-server";
import { fmtDuration, parseCount, seedSynthetic } from "../lib/synthetic";
import { startTempPostgres, type TempPostgres } from "../lib/temp-postgres";
import { naiveF1, type NaiveAnswer } from "./trace-naive";
import { autoSharedBuffers, prewarmTraceData, type Prewarmed } from "./trace-prewarm";

const ADMIN_PASSWORD = "Bench-admin-2026";
const F1_TARGET_P99_MS = 50;
const F2_TARGET_P99_MS = 1000;
const DAY_MS = 86_400_000;
/** Cases traced (F1, then F2) after the measurement with auto_explain on, with --explain. */
const EXPLAIN_CASES = 3;

interface Options {
  checkins: number;
  people: number;
  venues: number;
  days: number;
  seed: number;
  cases: number;
  f2: number;
  warmup: number;
  concurrency: number;
  onsetDays: number;
  explainMs: number | undefined;
  stats: boolean;
  vacuum: boolean;
  sharedBuffers: string;
  hugePages: boolean;
  prewarm: boolean;
  baseline: boolean;
  serverNodeArgs: string[];
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      checkins: { type: "string", default: "10M" },
      people: { type: "string" },
      venues: { type: "string" },
      days: { type: "string", default: "28" },
      seed: { type: "string", default: "42" },
      cases: { type: "string", default: "200" },
      f2: { type: "string", default: "50" },
      warmup: { type: "string", default: "5" },
      concurrency: { type: "string", default: "1" },
      "onset-days": { type: "string", default: "12" },
      explain: { type: "string" },
      "no-stats": { type: "boolean", default: false },
      "skip-vacuum": { type: "boolean", default: false },
      "shared-buffers": { type: "string", default: autoSharedBuffers() },
      "no-huge-pages": { type: "boolean", default: false },
      "no-prewarm": { type: "boolean", default: false },
      "no-baseline": { type: "boolean", default: false },
      "server-node-args": { type: "string", default: "" },
    },
    strict: true,
  });
  const checkins = parseCount(values.checkins, "--checkins");
  const people = values.people !== undefined ? parseCount(values.people, "--people") : Math.max(1000, Math.round(checkins / 10));
  const venues = values.venues !== undefined ? parseCount(values.venues, "--venues") : Math.max(100, Math.round(checkins / 500));
  const o: Options = {
    checkins,
    people,
    venues,
    days: parseCount(values.days, "--days"),
    seed: parseCount(values.seed, "--seed"),
    cases: parseCount(values.cases, "--cases"),
    f2: parseCount(values.f2, "--f2"),
    warmup: parseCount(values.warmup, "--warmup"),
    concurrency: parseCount(values.concurrency, "--concurrency"),
    onsetDays: parseCount(values["onset-days"], "--onset-days"),
    explainMs: values.explain !== undefined ? parseCount(values.explain, "--explain") : undefined,
    stats: !values["no-stats"],
    vacuum: !values["skip-vacuum"],
    sharedBuffers: values["shared-buffers"],
    hugePages: !values["no-huge-pages"],
    prewarm: !values["no-prewarm"],
    baseline: !values["no-baseline"],
    serverNodeArgs: values["server-node-args"].split(/\s+/).filter(Boolean),
  };
  if (o.cases < 1) throw new Error("--cases must be at least 1");
  if (o.concurrency < 1) throw new Error("--concurrency must be at least 1");
  if (o.people < 1 || o.venues < 1 || o.checkins < 1) throw new Error("--people, --venues and --checkins must be at least 1");
  if (o.days < 1) throw new Error("--days must be at least 1");
  if (!/^\d+(kB|MB|GB)$/.test(o.sharedBuffers)) throw new Error(`--shared-buffers: a size like 256MB or 2GB (got ${o.sharedBuffers})`);
  o.f2 = Math.min(o.f2, o.cases);
  return o;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const say = (line: string) => process.stderr.write(`${line}\n`);
/** A trace rule's setting as the server child gets it (its environment is this process's). */
const envMinutes = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Nearest-rank percentile of an ascending array. */
function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}
function stats(xs: number[]): Stats {
  const a = [...xs].sort((x, y) => x - y);
  return { n: a.length, p50: pct(a, 50), p95: pct(a, 95), p99: pct(a, 99), max: a.length ? a[a.length - 1]! : NaN, mean: a.length ? a.reduce((s, x) => s + x, 0) / a.length : NaN };
}

/** The parts of the trace answer (server/tracing/schemas.ts TraceResult) this benchmark reads. */
interface TraceAnswer {
  visits: unknown[];
  summary: { f1: number; f2: number; newContacts: number; ms: number };
  contacts: unknown[];
}

interface TraceSample {
  caseId: string;
  ms: number;
  bytes: number;
  visits: number;
  f1: number;
  f2: number;
  newContacts: number;
  serverMs: number;
  contactsListed: number;
  /** The server's phases (Server-Timing): case, hop, store, read. */
  phases: Record<string, number>;
}

interface Phase {
  samples: TraceSample[];
  errors: string[];
  seconds: number;
}

/** POST /api/cases/:id/trace for each case, `concurrency` at a time; every call timed on its own. */
async function tracePhase(base: string, token: () => string, caseIds: string[], degree: 1 | 2, concurrency: number, label: string): Promise<Phase> {
  const samples: TraceSample[] = [];
  const errors: string[] = [];
  let next = 0;
  let done = 0;
  let lastReport = performance.now();
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < caseIds.length; i = next++) {
      const id = caseIds[i]!;
      const s = performance.now();
      let res: Awaited<ReturnType<typeof apiText>>;
      try {
        res = await apiText(base, "POST", `/api/cases/${id}/trace`, { degree }, token());
      } catch (e) {
        errors.push(`${id}: ${(e as Error).message}`);
        continue;
      }
      const ms = performance.now() - s;
      done++;
      if (res.status !== 200) {
        errors.push(`${id}: ${res.status} ${res.text.slice(0, 300)}`);
        continue;
      }
      const t = JSON.parse(res.text) as TraceAnswer;
      samples.push({
        caseId: id,
        ms,
        bytes: Buffer.byteLength(res.text),
        visits: t.visits.length,
        f1: t.summary.f1,
        f2: t.summary.f2,
        newContacts: t.summary.newContacts,
        serverMs: t.summary.ms,
        contactsListed: t.contacts.length,
        phases: serverTiming(res.headers.get("server-timing")),
      });
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        const st = stats(samples.map((x) => x.ms));
        say(`  ${label}: ${done}/${caseIds.length}, p50 ${st.p50.toFixed(1)} ms, max ${st.max.toFixed(1)} ms`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, caseIds.length) }, worker));
  return { samples, errors, seconds: (performance.now() - t0) / 1000 };
}

/** People with a check-in since `since`, drawn at random (TABLESAMPLE of people, deterministic per seed). */
async function pickPeople(sql: postgres.Sql, want: number, people: number, since: Date, seed: number): Promise<string[]> {
  let percent = Math.min(100, Math.max(0.01, (100 * 20 * want) / people));
  for (;;) {
    const rows = await sql.unsafe<{ id: string }[]>(
      `select p.id::text as id from people p tablesample system (${percent}) repeatable (${seed})
        where exists (select 1 from checkins c where c.person_id = p.id and c.checked_in_at >= $1)`,
      [since.toISOString()],
    );
    if (rows.length >= want || percent >= 100) {
      const ids = rows.map((r) => r.id);
      const rand = prng(seed);
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      if (ids.length < want) say(`  only ${ids.length} people have check-ins since ${since.toISOString()} (wanted ${want})`);
      return ids.slice(0, want);
    }
    percent = Math.min(100, percent * 4);
  }
}

interface StatementStat {
  calls: number;
  /** Planning and execution. */
  totalMs: number;
  planMs: number;
  meanMs: number;
  rows: number;
  query: string;
}

/** What the server's statements cost since the last pg_stat_statements_reset(), most expensive first. */
async function topStatements(sql: postgres.Sql): Promise<StatementStat[]> {
  const rows = await sql<{ calls: string; total: number; plan: number; rows: string; query: string }[]>`
    select calls::text, total_exec_time + total_plan_time as total, total_plan_time as plan, rows::text, query
      from pg_stat_statements s join pg_database d on d.oid = s.dbid
     where d.datname = current_database() and s.query not ilike '%pg_stat_statements%'
     order by total_exec_time + total_plan_time desc`;
  // One entry per statement shape: IN lists and multi-row VALUES of different lengths are
  // different statements to PostgreSQL (and to pg_stat_statements), the same code to us.
  const groups = new Map<string, StatementStat & { variants: number }>();
  for (const r of rows) {
    const shape = r.query
      .replace(/\s+/g, " ")
      .trim()
      .replace(/\$\d+/g, "$")
      .replace(/\$(, \$)+/g, "$…")
      .replace(/(\([^()]*\))(, \1)+/g, "$1, …");
    const g = groups.get(shape) ?? { calls: 0, totalMs: 0, planMs: 0, meanMs: 0, rows: 0, query: shape.length > 110 ? `${shape.slice(0, 110)} …` : shape, variants: 0 };
    g.calls += Number(r.calls);
    g.totalMs += Number(r.total);
    g.planMs += Number(r.plan);
    g.rows += Number(r.rows);
    g.variants++;
    groups.set(shape, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, meanMs: g.totalMs / Math.max(1, g.calls), query: g.variants > 1 ? `[${g.variants} variants] ${g.query}` : g.query }))
    .sort((a, b) => b.totalMs - a.totalMs);
}

/** A plan without the partitions run-time pruning skipped ("never executed" nodes and their detail lines). */
function compactPlan(lines: string[]): string[] {
  const out: string[] = [];
  let skipped = 0;
  let skipIndent = -1;
  for (const l of lines) {
    const indent = l.length - l.trimStart().length;
    if (skipIndent >= 0) {
      if (indent > skipIndent && !/^\s*->/.test(l)) continue;
      skipIndent = -1;
    }
    if (/\(never executed\)/.test(l)) {
      skipped++;
      skipIndent = indent;
      continue;
    }
    out.push(l.length > 260 ? `${l.slice(0, 260)} …` : l);
  }
  if (skipped) out.push(`(${skipped} never-executed nodes left out: partitions pruned at run time)`);
  return out;
}

interface LoggedPlan {
  ms: number;
  text: string;
  query: string;
}

/** auto_explain's entries in the cluster's log: "… LOG:  duration: X ms  plan:" and the tab-indented lines after it. */
function loggedPlans(logFile: string): LoggedPlan[] {
  let text: string;
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return [];
  }
  const out: LoggedPlan[] = [];
  let cur: LoggedPlan | undefined;
  for (const line of text.split("\n")) {
    const m = /LOG:\s+duration: ([\d.]+) ms\s+plan:/.exec(line);
    if (m) {
      cur = { ms: Number(m[1]), text: "", query: "" };
      out.push(cur);
      continue;
    }
    if (cur && line.startsWith("\t")) {
      cur.text += `${line.slice(1)}\n`;
      const q = /^\tQuery Text: (.*)$/.exec(line);
      if (q) cur.query = q[1]!;
    } else if (cur && !line.startsWith("\t")) cur = undefined;
  }
  return out;
}

// ───────────────────────────── main ─────────────────────────────

let server: ServerChild | undefined;
let pg: TempPostgres | undefined;
let workDir: string | undefined;

const stopAllNow = stopOnExit(
  "bench trace",
  say,
  startedSteps({ server: () => server, pg: () => pg, workDir: () => workDir }, () => void ((server = undefined), (pg = undefined), (workDir = undefined))),
);

async function main() {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`bench trace: ${(e as Error).message}`);
    process.exit(2);
  }

  let database: Database | undefined;
  try {
    workDir = mkdtempSync(join(tmpdir(), "phc-bench-trace-"));
    say(`Starting a throwaway PostgreSQL (durable: fsync and synchronous_commit on; shared_buffers ${o.sharedBuffers}) …`);
    pg = await startTempPostgres({
      durable: true,
      hugePages: o.hugePages,
      settings: { shared_buffers: o.sharedBuffers, ...(o.stats ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track_planning": "on" } : {}) },
    });
    // Stops PostgreSQL and the server if this process dies without cleaning up.
    const reaper = startReaper(workDir, pg.dir);
    const url = await pg.createDatabase("bench_trace");
    database = await openDatabase({ databaseUrl: url, dataDir: "memory://", maxConnections: 2 });
    const sql = database.pg!;
    const [{ server_version: serverVersion } = { server_version: "?" }] = await sql<{ server_version: string }[]>`show server_version`;

    // 1. The population.
    say(`Seeding ${fmtInt(o.people)} people, ${fmtInt(o.venues)} venues, ${fmtInt(o.checkins)} check-ins over ${o.days} days …`);
    const seeded = await seedSynthetic(database, {
      people: o.people,
      venues: o.venues,
      checkins: o.checkins,
      days: o.days,
      seed: o.seed,
      communesPerProvince: 100,
      deferIndexes: "auto",
      // Tracing never reads daily_stats: the roll-ups are left behind the load (the triggers are
      // on again for the contacts and cases the run writes, as in production).
      rollups: "skip",
      log: say,
    });
    say(`  seeded in ${fmtDuration(seeded.seconds)} (check-ins ${fmtInt(seeded.tables.checkins.rowsPerSecond)}/s)`);
    let vacuumSeconds = 0;
    if (o.vacuum) {
      say("VACUUM checkins, people, venues …");
      const t0 = performance.now();
      await sql.unsafe("vacuum checkins, people, venues");
      vacuumSeconds = (performance.now() - t0) / 1000;
      say(`  ${fmtDuration(vacuumSeconds)}`);
    }
    // The load's dirty pages written now, not by a background checkpoint during the measurement
    // (a live database's bulk loads are long past when an officer traces).
    say("CHECKPOINT …");
    await sql.unsafe("checkpoint");
    say(`  huge pages: ${pg.hugePages.on ? "on" : "off"} (${pg.hugePages.note})`);
    let prewarmed: Prewarmed | undefined;
    if (o.stats) await sql.unsafe("create extension if not exists pg_stat_statements");
    const [sizes] = await sql<{ checkins: string; people: string }[]>`
      select pg_size_pretty(sum(pg_total_relation_size(i.inhrelid))) as checkins, pg_size_pretty(pg_total_relation_size('people')) as people
        from pg_inherits i where i.inhparent = 'checkins'::regclass`;

    // 2. The cases-to-be: people with a check-in in the window a case with this onset has.
    const now = new Date();
    const today = vnDay(now);
    const onset = vnDay(new Date(now.getTime() - o.onsetDays * DAY_MS));
    const windowStart = vnDayRange(vnDay(new Date(now.getTime() - (o.onsetDays + 2) * DAY_MS))).start;
    if (o.prewarm) {
      say(`Reading the window's check-ins (from ${windowStart.toISOString()}, a day before for long visits) with their trace indexes, people and venues into shared_buffers (pg_prewarm) …`);
      prewarmed = await prewarmTraceData(sql, new Date(windowStart.getTime() - DAY_MS));
      say(`  ${fmtInt(prewarmed.megabytes)} MB from ${prewarmed.relations} relations in ${fmtDuration(prewarmed.seconds)}`);
    }
    const explainCases = o.explainMs !== undefined ? EXPLAIN_CASES : 0;
    const want = o.cases + o.warmup + explainCases;
    say(`Drawing ${want} people with a check-in since ${windowStart.toISOString()} …`);
    const personIds = await pickPeople(sql, want, o.people, windowStart, o.seed);
    if (personIds.length < Math.min(want, 1 + o.warmup + explainCases)) throw new Error("not enough people with check-ins in the window");

    // 3. The server.
    const serverEnv: Record<string, string> = {
      DATABASE_URL: url,
      DATA_DIR: join(workDir, "data"),
      LOG_LEVEL: "warn",
      DEMO_DATA: "false",
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD,
      ACCESS_TOKEN_TTL: "14400",
      JOBS: "false",
      WEB_DIST: join(workDir, "no-web"),
    };
    const effective = (k: string, dflt: string) => process.env[k] ?? dflt;
    const serverSettings = ["DATABASE_POOL", "TRACE_MARGIN_MINUTES", "TRACE_MAX_VISIT_MINUTES", "CHECKIN_DWELL_MINUTES"]
      .map((k) => `${k}=${effective(k, { DATABASE_POOL: "10", TRACE_MARGIN_MINUTES: "15", TRACE_MAX_VISIT_MINUTES: "480", CHECKIN_DWELL_MINUTES: "60" }[k]!)}`)
      .join(" ");
    say(`Starting the server (node --import tsx server/main.ts; ${serverSettings}) …`);
    server = await startServer(serverEnv, o.serverNodeArgs, (pid) => reaper.serverStarted(pid));
    let srv = server;
    const login = async () => (await api<{ accessToken: string }>(srv.base, "POST", "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD })).accessToken;
    let accessToken = await login();
    const token = () => accessToken;

    // 4. Cases (not timed).
    say(`Registering ${personIds.length} cases (confirmed ${today}, onset ${onset}) …`);
    const caseIds: string[] = new Array(personIds.length);
    {
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < personIds.length; i = next++) {
          try {
            const c = await api<{ id: string }>(
              srv.base,
              "POST",
              "/api/cases",
              { personId: personIds[i], confirmedOn: today, method: "pcr", symptomOnset: onset },
              token(),
            );
            caseIds[i] = c.id;
          } catch (e) {
            if (e instanceof ApiError && (e.status === 404 || e.status === 405))
              throw new Error(`the tracing routes are not mounted (POST /api/cases answered ${e.status}); see server/app.ts`);
            throw e;
          }
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
    }
    const explainIds = caseIds.slice(0, explainCases);
    const warmIds = caseIds.slice(explainCases, explainCases + o.warmup);
    const measuredIds = caseIds.slice(explainCases + o.warmup);
    const f2Ids = measuredIds.slice(0, o.f2);

    // 5. Warm-up (not counted): F1 of the warm-up cases, then F2 of one of them.
    if (warmIds.length) {
      say(`Warm-up: F1 of ${warmIds.length} cases, F2 of ${Math.min(2, warmIds.length)} (not counted) …`);
      const w1 = await tracePhase(srv.base, token, warmIds, 1, 1, "warm-up F1");
      const w2 = await tracePhase(srv.base, token, warmIds.slice(0, 2), 2, 1, "warm-up F2");
      const ws = [...w1.samples, ...w2.samples].map((s) => `${s.ms.toFixed(0)}`).join(", ");
      say(`  ${ws} ms${w1.errors.length + w2.errors.length ? `; errors: ${[...w1.errors, ...w2.errors].slice(0, 3).join(" | ")}` : ""}`);
    }

    // 6. Measured.
    say(`F1: POST /api/cases/:id/trace {degree: 1} for ${measuredIds.length} cases, ${o.concurrency} at a time …`);
    const pmPid = postmasterPid(join(pg.dir, "data"));
    const cpuParts = { server: () => processCpuSeconds(srv.pid), postgres: () => clusterCpuSeconds(pmPid), bench: () => processCpuSeconds("self") };
    let c0 = sampleCpu(cpuParts);
    if (o.stats) await sql`select pg_stat_statements_reset()`;
    const f1 = await tracePhase(srv.base, token, measuredIds, 1, o.concurrency, "F1");
    const f1cpu = cpuBetween(c0, sampleCpu(cpuParts));
    const f1db = o.stats ? await topStatements(sql) : [];
    const naive: NaiveAnswer[] = [];
    let naiveMismatches = 0;
    if (o.baseline) {
      say(`Baseline: the same F1 answers by the naive plan (a query per visit) for the ${measuredIds.length} cases …`);
      const measuredPeople = personIds.slice(explainCases + o.warmup);
      const rules = { dwellMinutes: envMinutes("CHECKIN_DWELL_MINUTES", 60), maxVisitMinutes: envMinutes("TRACE_MAX_VISIT_MINUTES", 480), marginMinutes: envMinutes("TRACE_MARGIN_MINUTES", 15) };
      const one = postgres(url, { max: 1, onnotice: () => {} });
      try {
        for (const [i, caseId] of measuredIds.entries()) {
          const answer = await naiveF1(one, measuredPeople[i]!, { from: windowStart, to: new Date() }, rules);
          naive.push(answer);
          const stored = await sql<{ p: string }[]>`select person_id::text as p from contacts where case_id = ${caseId} and degree = 1`;
          if (stored.length !== answer.f1.size || stored.some((r) => !answer.f1.has(r.p))) naiveMismatches++;
        }
      } finally {
        await one.end();
      }
      const nb = stats(naive.map((a) => a.ms));
      say(`  p50 ${nb.p50.toFixed(1)} ms, p99 ${nb.p99.toFixed(1)} ms; ${naiveMismatches} case(s) where it found other people than the server`);
    }
    say(`F2: POST /api/cases/:id/trace {degree: 2} for ${f2Ids.length} of them, ${o.concurrency} at a time …`);
    if (o.stats) await sql`select pg_stat_statements_reset()`;
    c0 = sampleCpu(cpuParts);
    const f2 = await tracePhase(srv.base, token, f2Ids, 2, o.concurrency, "F2");
    const f2cpu = cpuBetween(c0, sampleCpu(cpuParts));
    const f2db = o.stats ? await topStatements(sql) : [];

    const rssBytes = peakRssBytes(srv.pid);
    await srv.stop();
    server = undefined;

    // 7. Plans (--explain): the server again, its new sessions with auto_explain, on cases of their own.
    let plans: LoggedPlan[] = [];
    if (o.explainMs !== undefined && explainIds.length) {
      await sql.unsafe("load 'auto_explain'");
      for (const [k, v] of [
        ["session_preload_libraries", "auto_explain"],
        ["auto_explain.log_min_duration", `${o.explainMs}ms`],
        ["auto_explain.log_analyze", "on"],
        ["auto_explain.log_buffers", "on"],
        ["auto_explain.log_timing", "off"],
        ["auto_explain.log_nested_statements", "on"],
      ] as const)
        await sql.unsafe(`alter system set ${k} = '${v}'`);
      await sql`select pg_reload_conf()`;
      say(`Plans: the server restarted with auto_explain (statements ≥ ${o.explainMs} ms); F1 then F2 of ${explainIds.length} more cases …`);
      server = await startServer(serverEnv, o.serverNodeArgs, (pid) => reaper.serverStarted(pid));
      srv = server;
      accessToken = await login();
      const e1 = await tracePhase(srv.base, token, explainIds, 1, 1, "explain F1");
      const e2 = await tracePhase(srv.base, token, explainIds, 2, 1, "explain F2");
      say(`  F1 ${e1.samples.map((x) => x.ms.toFixed(0)).join(", ")} ms; F2 ${e2.samples.map((x) => x.ms.toFixed(0)).join(", ")} ms (with auto_explain)`);
      await srv.stop();
      server = undefined;
      plans = loggedPlans(join(pg.dir, "log"));
    }

    // ── report ──
    const f1ms = stats(f1.samples.map((s) => s.ms));
    const f2ms = stats(f2.samples.map((s) => s.ms));
    const f1n = stats(f1.samples.map((s) => s.f1));
    const f2n = stats(f2.samples.map((s) => s.f2));
    const visits = stats(f1.samples.map((s) => s.visits));
    const f1server = stats(f1.samples.map((s) => s.serverMs));
    const f2server = stats(f2.samples.map((s) => s.serverMs));
    const f1bytes = stats(f1.samples.map((s) => s.bytes));
    const f2bytes = stats(f2.samples.map((s) => s.bytes));
    const f1zero = f1.samples.filter((s) => s.f1 === 0).length;
    const hop = stats(f1.samples.flatMap((s) => (s.phases.hop !== undefined ? [s.phases.hop] : [])));
    const naiveMs = stats(naive.map((a) => a.ms));
    const naiveQueries = stats(naive.map((a) => a.queries));
    const ratio = naive.length && hop.n ? naiveMs.p50 / hop.p50 : null;
    const ratioHttp = naive.length ? naiveMs.p50 / f1ms.p50 : null;
    const f1met = f1.samples.length > 0 && f1ms.p99 <= F1_TARGET_P99_MS;
    const f2met = f2Ids.length === 0 || (f2.samples.length > 0 && f2ms.p99 <= F2_TARGET_P99_MS);
    const errors = f1.errors.length + f2.errors.length;
    const targetMet = f1met && f2met && errors === 0;

    const ms = (s: Stats) => `p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)}  max ${s.max.toFixed(1)}  mean ${s.mean.toFixed(1)} ms`;
    const counts = (s: Stats) => `mean ${s.mean.toFixed(1)}, p50 ${fmtInt(s.p50)}, p99 ${fmtInt(s.p99)}, max ${fmtInt(s.max)}`;
    const kib = (s: Stats) => `mean ${fmtInt(s.mean / 1024)} KiB, max ${fmtInt(s.max / 1024)} KiB`;
    const lines = [
      `Trace benchmark — ${machineString(serverVersion)}`,
      `  data      ${fmtInt(o.people)} people, ${fmtInt(o.venues)} venues, ${fmtInt(o.checkins)} check-ins over ${o.days} days ` +
        `(checkins ${sizes?.checkins ?? "?"} with indexes, people ${sizes?.people ?? "?"}); seed ${fmtDuration(seeded.seconds)}` +
        (o.vacuum ? `, vacuum ${fmtDuration(vacuumSeconds)}` : ", not vacuumed"),
      `  server    ${serverSettings}; ${o.concurrency} trace(s) at a time${o.stats ? "; pg_stat_statements on" : ""}`,
      `  memory    shared_buffers ${o.sharedBuffers}, huge pages ${pg.hugePages.on ? "on" : "off"} (${pg.hugePages.note}); ` +
        (prewarmed ? `prewarmed ${fmtInt(prewarmed.megabytes)} MB (window's check-ins, trace indexes, people, venues) in ${fmtDuration(prewarmed.seconds)}` : "not prewarmed (--no-prewarm)"),
      `  cases     ${fmtInt(measuredIds.length)} measured (+${warmIds.length} warm-up), onset ${onset} (window from ${windowStart.toISOString()}), confirmed ${today}`,
      `  visits    per case in the window: ${counts(visits)}`,
      `  F1 time   ${ms(f1ms)}   target p99 ≤ ${F1_TARGET_P99_MS} ms: ${f1met ? "met" : "NOT met"}`,
      `            server summary.ms ${ms(f1server)}`,
      `  F1 found  per case: ${counts(f1n)}; ${f1zero} case(s) with none; answer ${kib(f1bytes)}; ${f1.seconds.toFixed(1)} s in all`,
      `  F2 time   ${f2Ids.length ? `${ms(f2ms)}   target p99 ≤ ${F2_TARGET_P99_MS} ms: ${f2met ? "met" : "NOT met"}` : "not run (--f2 0)"}`,
      ...(f2Ids.length
        ? [
            `            server summary.ms ${ms(f2server)}`,
            `  F2 found  per case (${f2.samples.length} cases): ${counts(f2n)}; answer ${kib(f2bytes)}; ${f2.seconds.toFixed(1)} s in all`,
          ]
        : []),
      ...(naive.length
        ? [
            `  baseline  naive plan, a query per visit (${naiveQueries.mean.toFixed(1)} queries per case): ${ms(naiveMs)}; ` +
              `${naiveMismatches} of ${naive.length} case(s) with other people than the server found`,
            `            ratio (naive p50 / server hop p50 ${hop.p50.toFixed(1)} ms) ${ratio?.toFixed(2) ?? "?"}; naive p50 / F1 HTTP p50 ${ratioHttp?.toFixed(2) ?? "?"}`,
          ]
        : []),
      `  errors    ${errors}${errors ? `: ${[...f1.errors, ...f2.errors].slice(0, 5).join(" | ")}` : ""}`,
      `  server peak RSS ${rssBytes !== undefined ? `${(rssBytes / 2 ** 20).toFixed(0)} MiB` : "unknown"}`,
    ];
    const phaseLine = (label: string, p: Phase) => {
      const names = [...new Set(p.samples.flatMap((s) => Object.keys(s.phases)))];
      if (!names.length) return [];
      const part = (n: string) => {
        const st = stats(p.samples.map((s) => s.phases[n] ?? 0));
        return `${n} ${st.p50.toFixed(1)} / ${st.p99.toFixed(1)}`;
      };
      return [`  ${label} phases  p50 / p99 ms (Server-Timing): ${names.map(part).join(", ")}`];
    };
    lines.push(...phaseLine("F1", f1), ...phaseLine("F2", f2));
    const slowest = (p: Phase, k: number) =>
      [...p.samples]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, k)
        .map(
          (s) =>
            `${s.ms.toFixed(0)} ms (visits ${s.visits}, f1 ${s.f1}, f2 ${s.f2}, server ${s.serverMs.toFixed(0)} ms` +
            `${Object.entries(s.phases).map(([n, v]) => ` ${n} ${v.toFixed(0)}`).join("")}, ${fmtInt(s.bytes / 1024)} KiB)`,
        );
    lines.push(`  slowest F1  ${slowest(f1, 3).join("; ")}`);
    if (f2.samples.length) lines.push(`  slowest F2  ${slowest(f2, 3).join("; ")}`);

    const cpuLine = (label: string, c: ReturnType<typeof cpuBetween>, traces: number) => {
      if (!traces) return [];
      const per = (cores: number | undefined) => (cores === undefined ? "?" : ((cores * c.seconds * 1000) / traces).toFixed(1));
      const known = Object.values(c.cores).reduce((a, b) => a + b, 0);
      return [
        `  ${label} CPU per trace  server ${per(c.cores.server)} ms, PostgreSQL ${per(c.cores.postgres)} ms, this process ${per(c.cores.bench)} ms` +
          (c.machineCores !== undefined ? `, other processes ${per(Math.max(0, c.machineCores - known))} ms (machine busy ${((100 * c.machineCores) / cpus().length).toFixed(0)} %)` : ""),
      ];
    };
    lines.push(...cpuLine("F1", f1cpu, f1.samples.length + f1.errors.length), ...cpuLine("F2", f2cpu, f2.samples.length + f2.errors.length));
    const dbLines = (label: string, rows: StatementStat[], traces: number) => {
      if (!rows.length || !traces) return [];
      const total = rows.reduce((a, r) => a + r.totalMs, 0);
      const plan = rows.reduce((a, r) => a + r.planMs, 0);
      const calls = rows.reduce((a, r) => a + r.calls, 0);
      const out = [
        `  ${label} database time per trace ${(total / traces).toFixed(1)} ms (${(plan / traces).toFixed(1)} of it planning), ${(calls / traces).toFixed(1)} statements (pg_stat_statements; the commits' WAL flushes are not in it); the most expensive:`,
      ];
      for (const r of rows.slice(0, 8))
        out.push(
          `    ${((100 * r.totalMs) / Math.max(total, 1e-9)).toFixed(0).padStart(3)} %  ${(r.totalMs / traces).toFixed(1).padStart(7)} ms/trace (plan ${(r.planMs / traces).toFixed(1)})  ${(r.calls / traces).toFixed(1).padStart(5)} calls/trace  mean ${r.meanMs.toFixed(2)} ms  rows/call ${(r.rows / Math.max(1, r.calls)).toFixed(0)}  ${r.query}`,
        );
      return out;
    };
    lines.push(...dbLines("F1", f1db, f1.samples.length + f1.errors.length), ...dbLines("F2", f2db, f2.samples.length + f2.errors.length));

    if (o.explainMs !== undefined) {
      const byQuery = new Map<string, { n: number; worst: LoggedPlan }>();
      for (const p of plans) {
        const key = p.query.replace(/\s+/g, " ").replace(/\$\d+/g, "$").slice(0, 200);
        const e = byQuery.get(key);
        if (!e) byQuery.set(key, { n: 1, worst: p });
        else {
          e.n++;
          if (p.ms > e.worst.ms) e.worst = p;
        }
      }
      const top = [...byQuery.values()].sort((a, b) => b.worst.ms - a.worst.ms).slice(0, 4);
      lines.push(`  auto_explain: ${plans.length} statement(s) ≥ ${o.explainMs} ms in ${explainIds.length} F1 + F2 traces, ${byQuery.size} distinct; the slowest:`);
      for (const { n, worst } of top) {
        lines.push(`  ── ${worst.ms.toFixed(1)} ms (slowest of ${n}) ──`);
        const planLines = worst.text.split("\n").filter((l) => l.trim());
        // The statement's text first, cut short (multi-row INSERTs run to thousands of parameters).
        const at = planLines.findIndex((l, i) => i > 0 && /^\S/.test(l) && !/^Query Text:/.test(l) && /\(cost=|\(actual/.test(l));
        const head = (at > 0 ? planLines.slice(0, at) : planLines.slice(0, 1)).join("\n");
        lines.push(...(head.length > 2500 ? `${head.slice(0, 2500)} …` : head).split("\n").map((l) => `    ${l.length > 300 ? `${l.slice(0, 300)} …` : l}`));
        const plan = compactPlan(at > 0 ? planLines.slice(at) : planLines.slice(1));
        lines.push(...plan.slice(0, 150).map((l) => `    ${l}`));
        if (plan.length > 150) lines.push(`    … ${plan.length - 150} more lines`);
      }
    }
    console.log(lines.join("\n"));
    console.log(
      JSON.stringify({
        bench: "trace",
        checkins: o.checkins,
        people: o.people,
        venues: o.venues,
        days: o.days,
        cases: f1.samples.length,
        f2_cases: f2.samples.length,
        concurrency: o.concurrency,
        visits_mean: r1(visits.mean),
        f1_p50_ms: r1(f1ms.p50),
        f1_p95_ms: r1(f1ms.p95),
        f1_p99_ms: r1(f1ms.p99),
        f1_max_ms: r1(f1ms.max),
        f2_p50_ms: f2.samples.length ? r1(f2ms.p50) : null,
        f2_p95_ms: f2.samples.length ? r1(f2ms.p95) : null,
        f2_p99_ms: f2.samples.length ? r1(f2ms.p99) : null,
        f2_max_ms: f2.samples.length ? r1(f2ms.max) : null,
        f1_hop_p50_ms: hop.n ? r1(hop.p50) : null,
        f1_hop_p99_ms: hop.n ? r1(hop.p99) : null,
        baseline_f1_p50_ms: naive.length ? r1(naiveMs.p50) : null,
        baseline_f1_p99_ms: naive.length ? r1(naiveMs.p99) : null,
        baseline_queries_mean: naive.length ? r1(naiveQueries.mean) : null,
        baseline_mismatches: naive.length ? naiveMismatches : null,
        ratio: ratio !== null ? Math.round(ratio * 100) / 100 : null,
        ratio_http: ratioHttp !== null ? Math.round(ratioHttp * 100) / 100 : null,
        f1_mean: r1(f1n.mean),
        f1_max: f1n.max,
        f2_mean: f2.samples.length ? r1(f2n.mean) : null,
        f2_max: f2.samples.length ? f2n.max : null,
        errors,
        server_rss_mb: rssBytes !== undefined ? Math.round(rssBytes / 2 ** 20) : null,
        shared_buffers: o.sharedBuffers,
        huge_pages: pg.hugePages.on,
        prewarmed_mb: prewarmed?.megabytes ?? null,
        target_met: targetMet,
        machine: machineString(serverVersion),
        date: new Date().toISOString(),
      }),
    );
    if (!f1.samples.length) process.exitCode = 1;
  } finally {
    await database?.close().catch(() => {});
    await server?.stop().catch(() => {});
    server = undefined;
    stopAllNow();
  }
}

main().catch((e) => {
  console.error(`bench trace failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  stopAllNow();
  process.exit(1);
});
