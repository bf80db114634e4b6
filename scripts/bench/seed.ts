/**
 * Benchmark of the synthetic seed (`npm run bench -- seed`, or `npx tsx scripts/bench/seed.ts`).
 *
 * Starts a throwaway, durable PostgreSQL cluster, migrates it, seeds it with the same code as
 * `npm run seed` (scripts/lib/synthetic.ts: rows generated in Node and streamed through
 * `COPY … FROM STDIN`), then measures in the same run a baseline: PostgreSQL's own
 * `COPY checkins FROM '/file'` of a pre-generated file of exactly the same check-in rows, read by
 * the server itself (no client, no network). Both loads start from an empty table after a
 * CHECKPOINT and use the same strategy (truncate + COPY FREEZE, secondary indexes rebuilt after
 * the load unless --keep-indexes), so the ratio is the cost of generating and streaming the rows
 * from Node.
 *
 *   --people N (200k)  --venues N (2k)  --checkins N (2M)  --days N (28)  --seed N (42)
 *   --provinces 01,79,…  --communes-per-province N (100)  --keep-indexes
 *   --runs N (1): alternate N (seed check-ins, baseline) pairs and report the medians — worth it on
 *   a busy machine, where single runs swing by ±30 %.
 *
 * Last line of output: {"bench":"seed","checkins":…,"rate_per_s":…,"baseline_rate_per_s":…,"ratio":…,"machine":…,"date":…}
 */
import { chmodSync, createWriteStream, statSync } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { cpus, platform, arch, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase, type Database } from "../../db/client";
import { startTempPostgres, type TempPostgres } from "../lib/temp-postgres";
import {
  checkinsSource,
  defaultProgress,
  fmtDuration,
  fmtInt,
  loadTable,
  parseCount,
  seedSynthetic,
  streamCopyText,
  withBulkLoad,
  type SyntheticOptions,
} from "../lib/synthetic";

function options(): SyntheticOptions & { runs: number } {
  const { values } = parseArgs({
    options: {
      people: { type: "string", default: "200000" },
      venues: { type: "string", default: "2000" },
      checkins: { type: "string", default: "2000000" },
      days: { type: "string", default: "28" },
      seed: { type: "string", default: "42" },
      provinces: { type: "string" },
      "communes-per-province": { type: "string", default: "100" },
      "keep-indexes": { type: "boolean", default: false },
      runs: { type: "string", default: "1" },
    },
    strict: true,
  });
  return {
    people: parseCount(values.people, "--people"),
    venues: parseCount(values.venues, "--venues"),
    checkins: parseCount(values.checkins, "--checkins"),
    days: parseCount(values.days, "--days"),
    seed: parseCount(values.seed, "--seed"),
    provinces: values.provinces?.split(",").map((p) => p.trim()).filter(Boolean),
    communesPerProvince: parseCount(values["communes-per-province"], "--communes-per-province"),
    truncate: true,
    deferIndexes: values["keep-indexes"] ? false : "auto",
    now: Date.now(),
    runs: Math.max(1, parseCount(values.runs, "--runs")),
  };
}

function machine(serverVersion: string): string {
  const c = cpus();
  const model = (c[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  return `${c.length} cores (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${arch()}, PostgreSQL ${serverVersion}, Node ${process.version}`;
}

async function main() {
  let parsed: ReturnType<typeof options>;
  try {
    parsed = options();
  } catch (e) {
    console.error(`bench seed: ${(e as Error).message}`);
    process.exit(2);
  }
  const { runs, ...opts } = parsed;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let pg: TempPostgres | undefined;
  let database: Database | undefined;
  const stop = () => {
    pg?.stop();
    pg = undefined;
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the temporary PostgreSQL`);
    stop();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    say("Starting a throwaway PostgreSQL (durable: fsync on) …");
    pg = await startTempPostgres({ durable: true });
    const url = await pg.createDatabase("bench_seed");
    database = await openDatabase({ databaseUrl: url, dataDir: "memory://", maxConnections: 2 });
    const sql = database.pg!;
    const [{ server_version: serverVersion } = { server_version: "?" }] = await sql<{ server_version: string }[]>`show server_version`;

    // 1. The seed, as `npm run seed` does it.
    say(`Seeding ${fmtInt(opts.people)} people, ${fmtInt(opts.venues)} venues, ${fmtInt(opts.checkins)} check-ins …`);
    const seeded = await seedSynthetic(database, {
      ...opts,
      rollups: "skip", // the check-ins are loaded again below
      log: say,
      beforeTable: async () => {
        await sql`checkpoint`;
      },
    });
    const first = seeded.tables.checkins;

    // 2. The same check-in rows, written to a file the server can read.
    const file = join(pg.dir, "checkins.copy");
    say(`Writing the same ${fmtInt(opts.checkins)} check-ins to ${file} for the baseline …`);
    const out = createWriteStream(file);
    await streamCopyText(checkinsSource(seeded.plan), async (chunk) => {
      if (!out.write(chunk)) await once(out, "drain");
    });
    out.end();
    await finished(out);
    chmodSync(file, 0o644);
    const bytes = statSync(file).size;
    const columns = checkinsSource(seeded.plan).columns.join(", ");

    // 3. Baseline: the server's own COPY FROM file, same strategy, same empty table.
    const baseline = async (): Promise<{ seconds: number; indexSeconds: number }> => {
      await sql`checkpoint`;
      say("Baseline: COPY checkins FROM the file, done by the server …");
      const t0 = performance.now();
      let indexSeconds = 0;
      await sql.begin(async (tx) => {
        const exec = (text: string) => tx.unsafe(text) as unknown as Promise<Record<string, unknown>[]>;
        await exec("set local maintenance_work_mem = '512MB'");
        const info = await withBulkLoad(exec, "checkins", { truncate: true, deferIndexes: opts.deferIndexes, rows: opts.checkins }, async ({ copyOptions }) => {
          await exec(`copy checkins (${columns}) from '${file.replace(/'/g, "''")}'${copyOptions}`);
        });
        indexSeconds = info.indexSeconds;
      });
      const seconds = (performance.now() - t0) / 1000;
      const [{ n } = { n: "0" }] = await sql<{ n: string }[]>`select count(*)::text as n from checkins`;
      if (Number(n) !== opts.checkins) throw new Error(`baseline loaded ${n} rows, expected ${opts.checkins}`);
      return { seconds, indexSeconds };
    };

    // Alternate (seed, baseline) pairs; the first seed run is the one above.
    const ours: { seconds: number; indexSeconds: number }[] = [first];
    const theirs: { seconds: number; indexSeconds: number }[] = [];
    for (let r = 0; r < runs; r++) {
      if (r > 0) {
        await sql`checkpoint`;
        say(`Run ${r + 1}/${runs}: the seed's check-ins again …`);
        ours.push(await loadTable(database, checkinsSource(seeded.plan), { ...opts, truncate: true }, defaultProgress()));
      }
      theirs.push(await baseline());
    }

    const median = (xs: number[]) => {
      const a = [...xs].sort((x, y) => x - y);
      const m = a.length >> 1;
      return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
    };
    const rates = ours.map((o) => opts.checkins / o.seconds);
    const baselineRates = theirs.map((b) => opts.checkins / b.seconds);
    const rate = median(rates);
    const baselineRate = median(baselineRates);
    const ratio = rate / baselineRate;
    const list = (xs: number[]) => (xs.length > 1 ? `  [${xs.map(fmtInt).join(", ")}]` : "");
    const row = (label: string, rows: number, seconds: number, perS: number) =>
      `  ${label.padEnd(9)} ${fmtInt(rows).padStart(11)} in ${fmtDuration(seconds).padStart(6)}  ${fmtInt(perS).padStart(9)} rows/s`;
    const medianOf = runs > 1 ? ` (median of ${runs} runs)` : "";
    console.log(
      [
        `Seed benchmark${medianOf} — ${machine(serverVersion)}`,
        row("people", seeded.tables.people.rows, seeded.tables.people.seconds, seeded.tables.people.rowsPerSecond),
        row("venues", seeded.tables.venues.rows, seeded.tables.venues.seconds, seeded.tables.venues.rowsPerSecond),
        row("checkins", opts.checkins, opts.checkins / rate, rate) +
          `  seed: Node → COPY FROM STDIN (${fmtDuration(median(ours.map((o) => o.indexSeconds)))} of it rebuilding indexes)${list(rates)}`,
        row("baseline", opts.checkins, opts.checkins / baselineRate, baselineRate) +
          `  server COPY FROM a ${(bytes / 2 ** 20).toFixed(0)} MiB file (${fmtDuration(median(theirs.map((b) => b.indexSeconds)))} rebuilding indexes)${list(baselineRates)}`,
        `  ratio     ${ratio.toFixed(2)} of PostgreSQL's own COPY rate; whole first seed ${fmtDuration(seeded.seconds)}`,
      ].join("\n"),
    );
    console.log(
      JSON.stringify({
        bench: "seed",
        people: opts.people,
        venues: opts.venues,
        checkins: opts.checkins,
        runs,
        rate_per_s: Math.round(rate),
        baseline_rate_per_s: Math.round(baselineRate),
        ratio: Number(ratio.toFixed(3)),
        machine: machine(serverVersion),
        date: new Date().toISOString(),
      }),
    );
  } finally {
    await database?.close().catch(() => {});
    stop();
  }
}

main().catch((e) => {
  console.error(`bench seed failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
