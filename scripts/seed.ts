/**
 * `npm run seed -- [options]`: a large synthetic population for benchmarks, in the database the
 * server is configured for (DATABASE_URL → PostgreSQL via COPY; else PGlite in DATA_DIR).
 *
 *   --people N                 people (default 1,000,000)
 *   --venues N                 venues (default 20,000)
 *   --checkins N               check-ins (default 10,000,000)
 *   --days N                   check-ins spread over the last N days (default 28)
 *   --provinces 01,79,…        provinces to populate (default: all 34)
 *   --communes-per-province N  synthetic communes made in a province that has none (default 100)
 *   --seed N                   PRNG seed (default 42); the same seed gives the same rows
 *   --truncate                 empty people, venues and checkins first
 *   --keep-indexes             maintain indexes row by row instead of rebuilding them after the load
 *   --batch N                  rows per INSERT on PGlite (default 1000)
 *
 * Counts accept 1_000_000, 1e6, 250k, 10M. Progress goes to stderr; a summary and, last, one
 * JSON line go to stdout.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { loadConfig } from "../server/config";
import { DEFAULTS, fmtDuration, fmtInt, parseCount, seedSynthetic } from "./lib/synthetic";

const USAGE = `usage: npm run seed -- [--people N] [--venues N] [--checkins N] [--days N]
                        [--provinces 01,79,...] [--communes-per-province N] [--seed N]
                        [--truncate] [--keep-indexes] [--batch N]`;

function parse() {
  const { values } = parseArgs({
    options: {
      people: { type: "string" },
      venues: { type: "string" },
      checkins: { type: "string" },
      days: { type: "string" },
      provinces: { type: "string" },
      "communes-per-province": { type: "string" },
      seed: { type: "string" },
      truncate: { type: "boolean", default: false },
      "keep-indexes": { type: "boolean", default: false },
      batch: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const count = (flag: keyof typeof values, fallback: number) => {
    const v = values[flag];
    return typeof v === "string" ? parseCount(v, `--${flag}`) : fallback;
  };
  const provinces = values.provinces
    ?.split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of provinces ?? []) if (!/^\d{2}$/.test(p)) throw new Error(`--provinces: "${p}" is not a 2-digit province code`);
  const days = count("days", DEFAULTS.days);
  if (days < 1) throw new Error("--days must be at least 1");
  return {
    people: count("people", DEFAULTS.people),
    venues: count("venues", DEFAULTS.venues),
    checkins: count("checkins", DEFAULTS.checkins),
    days,
    provinces,
    communesPerProvince: count("communes-per-province", DEFAULTS.communesPerProvince),
    seed: count("seed", DEFAULTS.seed),
    truncate: values.truncate,
    deferIndexes: values["keep-indexes"] ? false : ("auto" as const),
    batchSize: count("batch", DEFAULTS.batchSize),
  };
}

function where(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `PGlite in ${dataDir}`;
  const u = new URL(databaseUrl);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

async function main() {
  let options: ReturnType<typeof parse>;
  try {
    options = parse();
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 2 });
  const err = (line: string) => process.stderr.write(`${line}\n`);
  try {
    err(
      `Seeding ${where(config.databaseUrl, config.dataDir)}: ${fmtInt(options.people)} people, ${fmtInt(options.venues)} venues, ` +
        `${fmtInt(options.checkins)} check-ins over ${options.days} days (seed ${options.seed})`,
    );
    if (database.engine === "pglite" && options.people + options.checkins > 1_000_000)
      err(
        "Hint: PGlite is single-threaded and loads through INSERTs; for 10^6–10^7 rows use PostgreSQL " +
          "(DATABASE_URL=…, e.g. from `npm run pg:temp`), where the seed streams COPY.",
      );
    const result = await seedSynthetic(database, { ...options, log: err });
    const t = result.tables;
    console.log(
      [
        `Seeded ${result.engine === "postgres" ? "PostgreSQL" : "PGlite"} in ${fmtDuration(result.seconds)}:`,
        `  provinces ${result.provinces}, communes ${fmtInt(result.communes)} (${fmtInt(result.communesCreated)} created)`,
        ...Object.values(t).map(
          (r) =>
            `  ${r.table.padEnd(9)} ${fmtInt(r.rows).padStart(12)} rows in ${fmtDuration(r.seconds).padStart(6)}  ${fmtInt(r.rowsPerSecond).padStart(10)} rows/s` +
            (r.indexesRebuilt ? `  (incl. ${fmtDuration(r.indexSeconds)} rebuilding ${r.indexesRebuilt} indexes)` : ""),
        ),
        `  analyze   ${fmtDuration(result.analyzeSeconds)}`,
        `  roll-ups  ${fmtDuration(result.rollupSeconds)}`,
      ].join("\n"),
    );
    console.log(
      JSON.stringify({
        seed: "synthetic",
        engine: result.engine,
        people: t.people.rows,
        venues: t.venues.rows,
        checkins: t.checkins.rows,
        seconds: Number(result.seconds.toFixed(2)),
        checkins_per_s: Math.round(t.checkins.rowsPerSecond),
      }),
    );
  } finally {
    await database.close();
  }
}

main().catch((e) => {
  console.error(`seed failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
