/**
 * `npm run db:migrate`: applies the committed migrations to the database the server is
 * configured for (DATABASE_URL → PostgreSQL, else PGlite in DATA_DIR), says which, and exits.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { migrationsFolder, openDatabase } from "../db/client";
import { loadConfig } from "../server/config";

function describe(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return dataDir.startsWith("memory://") ? "PGlite in memory (nothing is kept)" : `PGlite in ${resolve(dataDir, "pglite")}`;
  const u = new URL(databaseUrl);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}${u.username ? ` as ${decodeURIComponent(u.username)}` : ""}`;
}

async function main() {
  const config = loadConfig();
  const target = describe(config.databaseUrl, config.dataDir);
  console.log(`Migrating ${target} …`);
  const t0 = performance.now();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 1 });
  try {
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const [row] = await database.query<{ n: number | string }>(sql`select count(*) as n from drizzle.__drizzle_migrations`);
    const latest = journal.entries[journal.entries.length - 1]?.tag ?? "none";
    console.log(
      `Up to date: ${Number(row?.n ?? 0)} migration(s) applied (latest ${latest}) on ${database.engine === "postgres" ? "PostgreSQL" : "PGlite"} ` +
        `in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
    );
  } finally {
    await database.close();
  }
}

main().catch((e) => {
  console.error(`migration failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
