/**
 * Benchmark of the statistics read paths over HTTP (`npm run bench:export`, or
 * `npx tsx scripts/bench/export.ts`; docs/STATS.md, "Benchmark").
 *
 * Targets: the province dashboard answers with p99 ≤ 100 ms over 10^7 check-ins; a streamed CSV
 * line list runs at ≥ 0.5 × the rows per second of PostgreSQL's own `COPY (…) TO STDOUT` of the
 * same rows, in constant memory.
 *
 * 1. A throwaway, durable PostgreSQL (scripts/lib/temp-postgres.ts) loaded with the synthetic
 *    population of the trace benchmark (scripts/lib/synthetic.ts: by default 1 M people, 20 k
 *    venues, 10 M check-ins over the last 28 days) and --doses dose records (scripts/lib/
 *    synthetic-doses.ts: one site per commune, by default 1 M doses), then VACUUM ANALYZE.
 * 2. The roll-ups: filled by the triggers as the rows went in; if daily_stats does not add up to
 *    the rows loaded (no triggers, or they were off), rebuilt (server/stats/rollups/rebuild.ts,
 *    what `npm run stats:rebuild -- --all` runs).
 * 3. The server as a child process (`node --import tsx server/main.ts`; JOBS=false,
 *    LOG_LEVEL=warn, DEMO_DATA=false), signed in as the national admin.
 * 4. Dashboard: GET /api/stats/dashboard?provinceCode=<the province with most people> (default
 *    range: the last 30 days), --warmup requests not counted, then --requests timed one after the
 *    other (the whole exchange, to the last byte): p50, p99.
 * 5. Export: the doses line list of the whole country over the seeded days, as CSV
 *    (GET /api/exports/line-lists/doses.csv), timed to its last byte: rows per second; and the
 *    same statement (server/stats/exports/line-lists.ts, for the same user and filters) through
 *    `COPY (…) TO STDOUT WITH (FORMAT csv, HEADER)` via postgres.js in this process: rows per
 *    second. A COPY first warms the caches (not counted). ratio = export ÷ COPY.
 * 6. The server's peak RSS (VmHWM of /proc/<pid>/status), read before the export and after it.
 *
 *   --small: a quick run (10^5 check-ins, 20 k doses, 200 dashboard requests); also BENCH_SMALL=1
 *   --checkins N (10M)  --people N (checkins/10)  --venues N (checkins/500)  --days N (28)  --seed N (42)
 *   --doses N (1M)  --requests N (200)  --warmup N (20)  --shared-buffers SIZE (256MB)  --skip-vacuum
 *   --server-node-args="…": node options for the server, e.g. "--max-old-space-size=96" (is the
 *   export's memory really constant?) or "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *
 * Counts accept 1e6, 250k, 10M. Exits 0 whether or not the targets are met, 1 if the benchmark
 * could not run. Last line of output:
 * {"bench":"export","checkins":…,"dashboard_p50_ms":…,"dashboard_p99_ms":…,"export_rows":…,
 *  "export_rows_per_s":…,"copy_rows_per_s":…,"ratio":…,"peak_rss_mb":…}
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openDatabase, type Database } from "../../db/client";
import type { AuthUser } from "../../server/auth/scope";
import { vnDay } from "../../server/checkins/colour";
import { lineListSql } from "../../server/stats/exports/line-lists";
import { toQuery } from "../../server/stats/exports/stream";
import { rebuildRollups } from "../../server/stats/rollups/rebuild";
import { addDays } from "../../server/vaccination/doses/rules";
import { machineString, peakRssBytes } from "../lib/bench-proc";
import { startReaper } from "../lib/bench-reaper";
import { startedSteps, stopOnExit } from "../lib/bench-stop";
import { api, ApiError, apiText, startServer, type ServerChild } from "../lib/bench-server";
import { seedDoses } from "../lib/synthetic-doses";
import { fmtDuration, parseCount, seedSynthetic } from "../lib/synthetic";
import { startTempPostgres, type TempPostgres } from "../lib/temp-postgres";

const ADMIN_PASSWORD = "Bench-admin-2026";
const DASHBOARD_TARGET_P99_MS = 100;
const RATIO_TARGET = 0.5;
/** The national admin, as the server sees it: the same area filter (none) as the export's. */
const ADMIN: AuthUser = { id: "00000000-0000-4000-8000-000000000000", username: "admin", role: "national_admin", provinceCode: null, communeCode: null };

interface Options {
  checkins: number;
  people: number;
  venues: number;
  days: number;
  seed: number;
  doses: number;
  requests: number;
  warmup: number;
  sharedBuffers: string;
  vacuum: boolean;
  small: boolean;
  serverNodeArgs: string[];
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      small: { type: "boolean", default: false },
      checkins: { type: "string" },
      people: { type: "string" },
      venues: { type: "string" },
      days: { type: "string", default: "28" },
      seed: { type: "string", default: "42" },
      doses: { type: "string" },
      requests: { type: "string", default: "200" },
      warmup: { type: "string", default: "20" },
      "shared-buffers": { type: "string", default: "256MB" },
      "skip-vacuum": { type: "boolean", default: false },
      "server-node-args": { type: "string", default: "" },
    },
    strict: true,
  });
  const small = values.small || process.env.BENCH_SMALL === "1" || process.env.BENCH_SMALL === "true";
  const checkins = parseCount(values.checkins ?? (small ? "100k" : "10M"), "--checkins");
  const o: Options = {
    checkins,
    people: values.people !== undefined ? parseCount(values.people, "--people") : Math.max(1000, Math.round(checkins / 10)),
    venues: values.venues !== undefined ? parseCount(values.venues, "--venues") : Math.max(100, Math.round(checkins / 500)),
    days: parseCount(values.days, "--days"),
    seed: parseCount(values.seed, "--seed"),
    doses: parseCount(values.doses ?? (small ? "20k" : "1M"), "--doses"),
    requests: parseCount(values.requests, "--requests"),
    warmup: parseCount(values.warmup, "--warmup"),
    sharedBuffers: values["shared-buffers"],
    vacuum: !values["skip-vacuum"],
    small,
    serverNodeArgs: values["server-node-args"].split(/\s+/).filter(Boolean),
  };
  if (o.requests < 1) throw new Error("--requests must be at least 1");
  if (o.days < 1) throw new Error("--days must be at least 1");
  if (o.people < 1 || o.venues < 1 || o.checkins < 1 || o.doses < 1) throw new Error("--people, --venues, --checkins and --doses must be at least 1");
  if (!/^\d+(kB|MB|GB)$/.test(o.sharedBuffers)) throw new Error(`--shared-buffers: a size like 256MB or 2GB (got ${o.sharedBuffers})`);
  return o;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const say = (line: string) => process.stderr.write(`${line}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const mib = (bytes: number | undefined) => (bytes === undefined ? null : Math.round(bytes / 2 ** 20));

/** Nearest-rank percentile of an ascending array. */
function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A statement's text with its $n parameters written in as literals (COPY takes no parameters). */
function inlineParams(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (v === null || v === undefined) return "null";
    if (typeof v === "number") return String(v);
    return `'${String(v).replace(/'/g, "''")}'`;
  });
}

interface Transfer {
  rows: number;
  bytes: number;
  seconds: number;
}

/** Counts rows (LF) and bytes of a stream of chunks, to its end. */
async function drain(chunks: AsyncIterable<Uint8Array>, t0: number): Promise<Transfer> {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return { rows: lines - 1, bytes, seconds: (performance.now() - t0) / 1000 };
}

/** GET the CSV export, read to its last byte. */
async function httpExport(base: string, path: string, token: string): Promise<Transfer> {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new ApiError(res.status, `GET ${path} → ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return drain(res.body as unknown as AsyncIterable<Uint8Array>, t0);
}

/**
 * COPY (statement) TO STDOUT as CSV with a header, read to its last byte, on a connection of its
 * own (opened before the clock starts, closed after): postgres.js 3.4.9 can leave a connection's
 * socket paused after a COPY … TO STDOUT whose reader was slower than the server, and the next
 * query on it would then wait forever.
 */
async function copyOut(url: string, statement: string): Promise<Transfer> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select 1`;
    const t0 = performance.now();
    const stream = await client.unsafe(`copy (${statement}) to stdout with (format csv, header)`).readable();
    return await drain(stream as AsyncIterable<Uint8Array>, t0);
  } finally {
    await client.end({ timeout: 5 });
  }
}

// ───────────────────────────── main ─────────────────────────────

let server: ServerChild | undefined;
let pg: TempPostgres | undefined;
let workDir: string | undefined;

const stopAllNow = stopOnExit(
  "bench export",
  say,
  startedSteps({ server: () => server, pg: () => pg, workDir: () => workDir }, () => void ((server = undefined), (pg = undefined), (workDir = undefined))),
);

async function main() {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`bench export: ${(e as Error).message}`);
    process.exit(2);
  }

  let database: Database | undefined;
  try {
    workDir = mkdtempSync(join(tmpdir(), "phc-bench-export-"));
    say(`Starting a throwaway PostgreSQL (durable; shared_buffers ${o.sharedBuffers})${o.small ? " — small run" : ""} …`);
    pg = await startTempPostgres({ durable: true, settings: { shared_buffers: o.sharedBuffers } });
    const reaper = startReaper(workDir, pg.dir);
    const url = await pg.createDatabase("bench_export");
    database = await openDatabase({ databaseUrl: url, dataDir: "memory://", maxConnections: 2 });
    const sql = database.pg!;
    const [{ server_version: serverVersion } = { server_version: "?" }] = await sql<{ server_version: string }[]>`show server_version`;

    // 1. The population and the doses.
    say(`Seeding ${fmtInt(o.people)} people, ${fmtInt(o.venues)} venues, ${fmtInt(o.checkins)} check-ins over ${o.days} days …`);
    const seeded = await seedSynthetic(database, {
      people: o.people,
      venues: o.venues,
      checkins: o.checkins,
      days: o.days,
      seed: o.seed,
      communesPerProvince: 100,
      deferIndexes: "auto",
      rollups: "skip", // recounted below, once the doses are in too
      log: say,
    });
    say(`  seeded in ${fmtDuration(seeded.seconds)} (check-ins ${fmtInt(seeded.tables.checkins.rowsPerSecond)}/s)`);
    say(`Seeding ${fmtInt(o.doses)} doses …`);
    const doses = await seedDoses(database, seeded.plan, { doses: o.doses });
    say(`  ${fmtInt(doses.doses)} doses at ${fmtInt(doses.sites)} sites in ${fmtDuration(doses.seconds)}`);
    if (o.vacuum) {
      const t0 = performance.now();
      say("VACUUM ANALYZE …");
      await sql.unsafe("vacuum analyze checkins, people, venues, vaccinations, daily_stats");
      say(`  ${fmtDuration((performance.now() - t0) / 1000)}`);
    }

    // 2. The roll-ups: the triggers' work, checked; rebuilt when it does not add up.
    const rollupTotals = async () => {
      const [r] = await sql<{ checkins: string | null; doses: string | null }[]>`
        select sum(value) filter (where metric = 'checkins')::text as checkins,
               sum(value) filter (where metric in ('doses_1', 'doses_2', 'doses_3'))::text as doses
          from daily_stats`;
      return { checkins: Number(r?.checkins ?? 0), doses: Number(r?.doses ?? 0) };
    };
    let totals = await rollupTotals();
    let rollups = "filled by the triggers";
    if (totals.checkins !== o.checkins || totals.doses !== o.doses) {
      say(`Roll-ups: daily_stats has ${fmtInt(totals.checkins)} check-ins and ${fmtInt(totals.doses)} doses; rebuilding (stats:rebuild --all) …`);
      const report = await rebuildRollups(database, { all: true, onProgress: (s) => say(`  [${s.index}/${s.total}] ${s.name} ${(s.ms / 1000).toFixed(1)} s`) });
      rollups = `rebuilt in ${fmtDuration(report.ms / 1000)}`;
      await sql.unsafe("analyze daily_stats");
      totals = await rollupTotals();
      if (totals.checkins !== o.checkins || totals.doses !== o.doses)
        throw new Error(`the roll-ups do not add up after the rebuild: ${totals.checkins} check-ins, ${totals.doses} doses`);
    }
    say(`  roll-ups ${rollups}: ${fmtInt(totals.checkins)} check-ins, ${fmtInt(totals.doses)} doses`);
    const [statsRows] = await sql<{ n: string }[]>`select count(*)::text as n from daily_stats`;

    // The province the dashboard is asked about: the one with most people.
    const plan = seeded.plan;
    let best = 0;
    for (let p = 1; p < plan.areas.provinces.length; p++)
      if (plan.peopleAt[p + 1]! - plan.peopleAt[p]! > plan.peopleAt[best + 1]! - plan.peopleAt[best]!) best = p;
    const province = plan.areas.provinces[best]!;

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
    say("Starting the server (node --import tsx server/main.ts) …");
    server = await startServer(serverEnv, o.serverNodeArgs, (pid) => reaper.serverStarted(pid));
    const srv = server;
    const token = (await api<{ accessToken: string }>(srv.base, "POST", "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD })).accessToken;

    // 4. The province dashboard.
    const dashboardPath = `/api/stats/dashboard?provinceCode=${province.code}`;
    say(`Dashboard: GET ${dashboardPath} — ${o.warmup} warm-up, then ${o.requests} timed, one at a time …`);
    const times: number[] = [];
    let dashboardBytes = 0;
    for (let i = 0; i < o.warmup + o.requests; i++) {
      const t0 = performance.now();
      const res = await apiText(srv.base, "GET", dashboardPath, undefined, token);
      const ms = performance.now() - t0;
      if (res.status !== 200) {
        if (res.status === 404 && res.text.includes("No route")) throw new Error("GET /api/stats/dashboard is not mounted (server/stats/dashboard/routes.ts)");
        throw new Error(`GET ${dashboardPath} → ${res.status}: ${res.text.slice(0, 300)}`);
      }
      if (i >= o.warmup) {
        times.push(ms);
        dashboardBytes = Buffer.byteLength(res.text);
      }
    }
    times.sort((a, b) => a - b);
    const dashboard = { p50: pct(times, 50), p99: pct(times, 99), max: times[times.length - 1]!, mean: times.reduce((a, b) => a + b, 0) / times.length };

    // 5. The export against COPY of the same rows.
    const to = vnDay(new Date(plan.options.now));
    const from = addDays(to, -(o.days - 1));
    const exportPath = `/api/exports/line-lists/doses.csv?from=${from}&to=${to}`;
    const q = toQuery(lineListSql("doses", ADMIN, { from, to, communeCode: null }));
    const statement = inlineParams(q.sql, q.params);
    say(`COPY of the same statement, warm-up (not counted) …`);
    const warm = await copyOut(url, statement);
    say(`  ${fmtInt(warm.rows)} rows, ${fmtInt(warm.bytes / 2 ** 20)} MiB in ${warm.seconds.toFixed(1)} s`);
    const rssBefore = peakRssBytes(srv.pid);
    say(`Export: GET ${exportPath} …`);
    const http = await httpExport(srv.base, exportPath, token);
    const rssAfter = peakRssBytes(srv.pid);
    say(`  ${fmtInt(http.rows)} rows, ${fmtInt(http.bytes / 2 ** 20)} MiB in ${http.seconds.toFixed(1)} s`);
    say("COPY (…) TO STDOUT of the same statement …");
    const copy = await copyOut(url, statement);
    say(`  ${fmtInt(copy.rows)} rows, ${fmtInt(copy.bytes / 2 ** 20)} MiB in ${copy.seconds.toFixed(1)} s`);
    if (http.rows !== copy.rows) throw new Error(`the export sent ${http.rows} rows, COPY ${copy.rows}`);
    if (http.rows !== o.doses) say(`  note: ${fmtInt(o.doses)} doses seeded, ${fmtInt(http.rows)} in ${from} … ${to}`);
    await srv.stop();
    server = undefined;

    // ── report ──
    const exportRate = http.rows / http.seconds;
    const copyRate = copy.rows / copy.seconds;
    const ratio = exportRate / copyRate;
    const lines = [
      `Export benchmark — ${machineString(serverVersion)}`,
      `  data       ${fmtInt(o.people)} people, ${fmtInt(o.venues)} venues, ${fmtInt(o.checkins)} check-ins over ${o.days} days, ${fmtInt(o.doses)} doses; ` +
        `daily_stats ${fmtInt(Number(statsRows?.n ?? 0))} rows (${rollups})`,
      `  dashboard  ${province.name} (${province.code}), last 30 days, ${fmtInt(dashboardBytes / 1024)} KiB: p50 ${dashboard.p50.toFixed(1)}  p99 ${dashboard.p99.toFixed(1)}  ` +
        `max ${dashboard.max.toFixed(1)}  mean ${dashboard.mean.toFixed(1)} ms over ${times.length} requests   target p99 ≤ ${DASHBOARD_TARGET_P99_MS} ms: ${dashboard.p99 <= DASHBOARD_TARGET_P99_MS ? "met" : "NOT met"}`,
      `  export     doses.csv ${from} … ${to}, whole country: ${fmtInt(http.rows)} rows, ${fmtInt(http.bytes / 2 ** 20)} MiB in ${http.seconds.toFixed(2)} s = ${fmtInt(exportRate)} rows/s`,
      `  COPY       the same statement as CSV: ${fmtInt(copy.bytes / 2 ** 20)} MiB in ${copy.seconds.toFixed(2)} s = ${fmtInt(copyRate)} rows/s`,
      `  ratio      ${ratio.toFixed(2)}   target ≥ ${RATIO_TARGET}: ${ratio >= RATIO_TARGET ? "met" : "NOT met"}`,
      `  server     peak RSS ${mib(rssBefore) ?? "?"} MiB before the export, ${mib(rssAfter) ?? "?"} MiB after it`,
    ];
    console.log(lines.join("\n"));
    console.log(
      JSON.stringify({
        bench: "export",
        checkins: o.checkins,
        dashboard_p50_ms: r1(dashboard.p50),
        dashboard_p99_ms: r1(dashboard.p99),
        export_rows: http.rows,
        export_rows_per_s: Math.round(exportRate),
        copy_rows_per_s: Math.round(copyRate),
        ratio: Math.round(ratio * 100) / 100,
        peak_rss_mb: mib(rssAfter),
      }),
    );
  } finally {
    await database?.close().catch(() => {});
    await server?.stop().catch(() => {});
    server = undefined;
    stopAllNow();
  }
}

main().catch((e) => {
  console.error(`bench export failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  stopAllNow();
  process.exit(1);
});
