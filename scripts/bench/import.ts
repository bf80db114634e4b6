/**
 * Benchmark of the CSV import of dose records over HTTP (`npm run bench:import`, or
 * `npx tsx scripts/bench/import.ts`).
 *
 * Target (issue 6): a file of 100,000 rows previews and commits in under a minute on PostgreSQL.
 *
 * 1. A throwaway, durable PostgreSQL (fsync and synchronous_commit on) and the server as a child
 *    process (`node --import tsx server/main.ts`; DEMO_DATA for the communes, the demo sites and
 *    lots; JOBS off, LOG_LEVEL=warn), signed in as the national admin.
 * 2. Not timed: --existing people are registered with their first dose by a first, small import
 *    through the same API (so their ID numbers are hashed with the server's own key).
 * 3. A --rows CSV for the Hoàn Kiếm site: the existing people's second dose (half of them matched by
 *    ID number, half by name + birth date + phone), new people with one or two doses, and --bad
 *    broken rows (bad dates, unknown lots, expired lots, duplicates, doses out of order), shuffled.
 * 4. Timed, the whole HTTP exchange each: POST /api/vaccination-imports (the preview), then
 *    POST /api/vaccination-imports/{id}/commit.
 * 5. Checks that the preview's counts are the expected ones and that the doses stored with the
 *    import's id are exactly the accepted rows (create + merge); exits 1 otherwise.
 *
 *   --rows N (100000)  --existing N (10000)  --bad N (200)  --seed N (42)
 *
 * Counts accept 1e5, 100k. Last line of output:
 * {"bench":"import","rows":…,"preview_s":…,"commit_s":…,"rows_per_s":…,"rejected":…,"accepted":…,"stored":…,
 *  "created_people":…,"target_met":…,"machine":…,"date":…}
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { FAMILY, GIVEN, MIDDLE, pick, prng } from "../../db/seed/names";
import { vnDay } from "../../server/checkins/colour";
import { addDays } from "../../server/vaccination/doses/rules";
import { machineString } from "../lib/bench-proc";
import { startReaper } from "../lib/bench-reaper";
import { api, startServer, type ServerChild } from "../lib/bench-server";
import { parseCount } from "../lib/synthetic";
import { startTempPostgres, type TempPostgres } from "../lib/temp-postgres";
import { startedSteps, stopOnExit } from "../lib/bench-stop";

const ADMIN_PASSWORD = "Bench-admin-2026";
const TARGET_S = 60;
const SITE = "Trạm Y tế phường Hoàn Kiếm";
const HEADER = "ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui";

const say = (line: string) => process.stderr.write(`${line}\n`);
const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");

interface Options {
  rows: number;
  existing: number;
  bad: number;
  seed: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "100000" },
      existing: { type: "string", default: "10000" },
      bad: { type: "string", default: "200" },
      seed: { type: "string", default: "42" },
    },
    strict: true,
  });
  const o = {
    rows: parseCount(values.rows, "--rows"),
    existing: parseCount(values.existing, "--existing"),
    bad: parseCount(values.bad, "--bad"),
    seed: Number(values.seed),
  };
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new Error(`--seed must be an integer ≥ 0 (got ${values.seed})`);
  if (o.existing + o.bad > o.rows) throw new Error("--existing + --bad must not exceed --rows");
  return o;
}

/** A person of the file: sequential phones and ID numbers, so no two are the same human by chance. */
interface Person {
  name: string;
  birth: string;
  phone: string;
  id: string;
}

function people(rand: () => number, count: number, offset: number): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const year = 1940 + Math.floor(rand() * 65);
    const month = 1 + Math.floor(rand() * 12);
    const dayOfMonth = 1 + Math.floor(rand() * 28);
    return {
      name: `${pick(rand, FAMILY)} ${pick(rand, MIDDLE)} ${pick(rand, GIVEN)}`,
      birth: `${year}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`,
      phone: `09${String(n).padStart(8, "0")}`,
      id: `0${String(10_000_000_000 + n).padStart(11, "0")}`,
    };
  });
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const line = (p: Person, withId: boolean, product: string, lot: string, on: string, dose: number, birth = p.birth) =>
  `${p.name},${birth},${p.phone},${withId ? p.id : ""},${product},${lot},${on},${dose}`;

function shuffle<T>(rand: () => number, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/**
 * The measured file and what it should do: `existing` merges, `bad` rejections, the rest creates
 * (new people, about a third of them with both doses in the file).
 */
function measuredFile(rand: () => number, o: Options, existing: Person[], today: string) {
  const day = (n: number) => addDays(today, n);
  const lines: string[] = existing.map((p, i) => line(p, i % 2 === 0, "PF", "PF-2026-001", day(-30), 2, i % 4 === 1 ? dmy(p.birth) : p.birth));
  const creates = o.rows - o.existing - o.bad;
  const fresh = people(rand, creates, 1_000_000);
  let made = 0;
  let k = 0;
  const duplicable: string[] = [];
  while (made < creates) {
    const p = fresh[k++]!;
    lines.push(line(p, true, "AZ", "AZ-2026-001", day(-90), 1));
    made++;
    if (made < creates && k % 3 === 0) {
      lines.push(line(p, false, "PF", "PF-2026-001", day(-40), 2));
      made++;
    }
    if (duplicable.length < o.bad) duplicable.push(line(p, true, "AZ", "AZ-2026-001", day(-90), 1));
  }
  const broken = people(rand, o.bad, 5_000_000);
  for (let i = 0; i < o.bad; i++) {
    const p = broken[i]!;
    switch (i % 5) {
      case 0:
        lines.push(line(p, true, "AZ", "AZ-2026-001", "2026-02-30", 1)); // no such day
        break;
      case 1:
        lines.push(line(p, true, "PF", "PF-NO-SUCH-LOT", day(-5), 1)); // unknown lot
        break;
      case 2:
        lines.push(line(p, true, "AZ", "AZ-2025-EXP", day(-3), 1)); // lot expired 30 days ago
        break;
      case 3:
        lines.push(line(p, true, "PF", "PF-2026-001", day(-5), 2)); // dose 2 without dose 1
        break;
      default:
        lines.push(duplicable[i % Math.max(1, duplicable.length)] ?? line(p, true, "XX", "AZ-2026-001", day(-5), 1)); // duplicate of an earlier row
    }
  }
  return { csv: `${HEADER}\n${shuffle(rand, lines).join("\n")}\n`, expected: { merge: o.existing, create: creates, rejected: o.bad } };
}

interface Preview {
  id: string;
  status: string;
  totalRows: number;
  createRows: number;
  mergeRows: number;
  unchangedRows: number;
  rejectedRows: number;
  rejected: { row: number; errors: { column: string; message: string }[] }[];
}

async function postCsv(base: string, token: string, siteId: string, fileName: string, csv: string): Promise<Preview> {
  const res = await fetch(`${base}/api/vaccination-imports?siteId=${siteId}&fileName=${encodeURIComponent(fileName)}`, {
    method: "POST",
    headers: { "content-type": "text/csv; charset=utf-8", authorization: `Bearer ${token}` },
    body: csv,
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`upload ${fileName} → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Preview;
}

let pg: TempPostgres | undefined;
let server: ServerChild | undefined;
let workDir: string | undefined;

const stopAllNow = stopOnExit(
  "bench import",
  say,
  startedSteps({ server: () => server, pg: () => pg, workDir: () => workDir }, () => void ((server = undefined), (pg = undefined), (workDir = undefined))),
);

async function main() {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`bench import: ${(e as Error).message}`);
    process.exit(2);
  }

  let sql: postgres.Sql | undefined;
  try {
    workDir = mkdtempSync(join(tmpdir(), "phc-bench-import-"));
    say("Starting a throwaway PostgreSQL (durable: fsync and synchronous_commit on) …");
    pg = await startTempPostgres({ durable: true });
    const reaper = startReaper(workDir, pg.dir);
    const url = await pg.createDatabase("bench_import");
    sql = postgres(url, { max: 2, onnotice: () => {} });
    const [{ server_version: serverVersion } = { server_version: "?" }] = await sql<{ server_version: string }[]>`show server_version`;

    say("Starting the server (node --import tsx server/main.ts) …");
    server = await startServer(
      {
        DATABASE_URL: url,
        DATA_DIR: join(workDir, "data"),
        LOG_LEVEL: "warn",
        DEMO_DATA: "true", // communes, the demo vaccination sites and lots
        ADMIN_USERNAME: "admin",
        ADMIN_PASSWORD,
        JOBS: "false",
        WEB_DIST: join(workDir, "no-web"),
      },
      [],
      (pid) => reaper.serverStarted(pid),
    );
    const base = server.base;
    const { accessToken: token } = await api<{ accessToken: string }>(base, "POST", "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD });
    const [site] = await sql<{ id: string }[]>`select id from vaccination_sites where name = ${SITE}`;
    if (!site) throw new Error(`the demo site "${SITE}" is missing (DEMO_DATA)`);
    // The server's clock decides "today" (Vietnam): the same here, barring a run across midnight.
    const today = vnDay(new Date());
    const rand = prng(o.seed);

    const existing = people(rand, o.existing, 0);
    if (existing.length) {
      say(`Registering ${fmtInt(existing.length)} people with a first dose (a first import, not timed) …`);
      const first = `${HEADER}\n${existing.map((p) => line(p, true, "AZ", "AZ-2026-001", addDays(today, -60), 1)).join("\n")}\n`;
      const p = await postCsv(base, token, site.id, "dang-ky-truoc.csv", first);
      if (p.createRows !== existing.length) throw new Error(`the first import would create ${p.createRows} people, not ${existing.length}: ${JSON.stringify(p.rejected.slice(0, 3))}`);
      await api(base, "POST", `/api/vaccination-imports/${p.id}/commit`, undefined, token);
      await sql`vacuum analyze people`;
      await sql`vacuum analyze vaccinations`;
    }

    const { csv, expected } = measuredFile(rand, o, existing, today);
    say(`Uploading ${fmtInt(o.rows)} rows (${(Buffer.byteLength(csv) / 2 ** 20).toFixed(1)} MiB) …`);
    const t0 = performance.now();
    const preview = await postCsv(base, token, site.id, "bench-100k.csv", csv);
    const previewS = (performance.now() - t0) / 1000;
    say(`  preview in ${previewS.toFixed(2)} s: ${fmtInt(preview.createRows)} create, ${fmtInt(preview.mergeRows)} merge, ${fmtInt(preview.unchangedRows)} unchanged, ${fmtInt(preview.rejectedRows)} rejected`);

    say("Committing …");
    const t1 = performance.now();
    const committed = await api<Preview>(base, "POST", `/api/vaccination-imports/${preview.id}/commit`, undefined, token);
    const commitS = (performance.now() - t1) / 1000;
    say(`  committed in ${commitS.toFixed(2)} s`);

    const [stored] = await sql<{ doses: number; people: number }[]>`
      select count(*)::int as doses, count(distinct person_id)::int as people from vaccinations where import_id = ${preview.id}`;
    const [createdPeople] = await sql<{ n: number }[]>`
      select count(*)::int as n from people p where exists (select 1 from vaccinations v where v.person_id = p.id and v.import_id = ${preview.id})
        and not exists (select 1 from vaccinations v where v.person_id = p.id and v.import_id is distinct from ${preview.id})`;
    const accepted = committed.createRows + committed.mergeRows;
    const problems: string[] = [];
    if (committed.status !== "committed") problems.push(`status ${committed.status}`);
    if (preview.totalRows !== o.rows) problems.push(`${preview.totalRows} rows read, not ${o.rows}`);
    if (preview.createRows !== expected.create || preview.mergeRows !== expected.merge || preview.rejectedRows !== expected.rejected)
      problems.push(`preview counts create ${preview.createRows}/${expected.create}, merge ${preview.mergeRows}/${expected.merge}, rejected ${preview.rejectedRows}/${expected.rejected}`);
    if (committed.createRows !== preview.createRows || committed.mergeRows !== preview.mergeRows || committed.rejectedRows !== preview.rejectedRows)
      problems.push("the commit's counts differ from the preview's");
    if (stored!.doses !== accepted) problems.push(`${stored!.doses} doses stored for ${accepted} accepted rows`);
    for (const p of problems) say(`bench import: ${p}`);

    const totalS = previewS + commitS;
    console.log(
      JSON.stringify({
        bench: "import",
        rows: o.rows,
        preview_s: Number(previewS.toFixed(2)),
        commit_s: Number(commitS.toFixed(2)),
        rows_per_s: Math.round(o.rows / totalS),
        rejected: preview.rejectedRows,
        accepted,
        stored: stored!.doses,
        created_people: createdPeople!.n,
        target_met: totalS < TARGET_S && problems.length === 0,
        machine: machineString(serverVersion),
        date: new Date().toISOString(),
      }),
    );
    if (problems.length) process.exitCode = 1;
  } catch (e) {
    say(`bench import: ${(e as Error).message}`);
    if (server) say(server.tail());
    process.exitCode = 1;
  } finally {
    await sql?.end({ timeout: 5 });
    await server?.stop();
    server = undefined;
    stopAllNow();
  }
}

void main();
