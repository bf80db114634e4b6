import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type every query is written against, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseConfig {
  /** postgres://… of a real PostgreSQL server; absent → embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; "memory://" keeps nothing (tests). */
  dataDir: string;
  /** Pool size for postgres.js. */
  maxConnections?: number;
}

export interface Database {
  db: Db;
  engine: "postgres" | "pglite";
  /** Run raw SQL and get the rows, the same on both engines. */
  query<T = Record<string, unknown>>(statement: SQL): Promise<T[]>;
  /** Run one SQL text with positional parameters ($1…), prepared once per connection on PostgreSQL (hot paths). */
  run<T = Record<string, unknown>>(text: string, params: unknown[]): Promise<T[]>;
  /**
   * Same, with a generic plan: planned once per connection, partitions skipped at run time.
   * For statements over the many day partitions of `checkins`, where planning a custom plan
   * every call costs more than running it.
   */
  runGeneric<T = Record<string, unknown>>(text: string, params: unknown[]): Promise<T[]>;
  /** The postgres.js client, when on real PostgreSQL (for COPY and tuned hot paths). */
  pg?: postgres.Sql;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * Opens the platform's database and applies the committed migrations:
 * postgres.js on PostgreSQL when a URL is given, else PGlite persisted in dataDir.
 * Everything above this function sees the same drizzle `Db`.
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.databaseUrl) {
    const options = (max: number, connection: Record<string, string>) => ({
      max,
      onnotice: () => {},
      connection: { application_name: "phc-server", ...connection },
      // While the database is down a request must fail fast (503, server/http/unavailable.ts) and the
      // pool must reconnect as soon as it is back. postgres.js waits up to 30 s for a connection and,
      // after each failed one, backs off up to 20 s before the next try (a request waits that long
      // before it even tries): bound both. Connections are made on demand, so no loop hammers a dead server.
      connect_timeout: 5,
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    });
    const client = postgres(config.databaseUrl, options(config.maxConnections ?? 10, {}));
    // Statements run with a generic plan get connections of their own, started with
    // plan_cache_mode = force_generic_plan: one round trip, not begin + set local + statement +
    // commit. Made on demand, so a server that never traces never opens them.
    const generic = postgres(config.databaseUrl, options(Math.max(1, Math.ceil((config.maxConnections ?? 10) / 4)), { plan_cache_mode: "force_generic_plan" }));
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    return {
      db,
      engine: "postgres",
      pg: client,
      run: async <T>(text: string, params: unknown[]) =>
        (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[],
      runGeneric: async <T>(text: string, params: unknown[]) =>
        (await generic.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[],
      query: async <T>(statement: SQL) => (await db.execute(statement)) as unknown as T[],
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), generic.end({ timeout: 5 })]);
      },
    };
  }
  const inMemory = config.dataDir.startsWith("memory://");
  const pgDataDir = inMemory ? config.dataDir : `${config.dataDir}/pglite`;
  if (!inMemory) mkdirSync(pgDataDir, { recursive: true });
  const client = await PGlite.create(pgDataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(drizzlePglite(client), { migrationsFolder });
  return {
    db,
    engine: "pglite",
    run: async <T>(text: string, params: unknown[]) => (await client.query<T>(text, params)).rows,
    runGeneric: async <T>(text: string, params: unknown[]) => (await client.query<T>(text, params)).rows,
    query: async <T>(statement: SQL) => ((await db.execute(statement)) as unknown as { rows: T[] }).rows,
    close: () => client.close(),
  };
}

/** Rows of a drizzle `execute` result, whichever engine answered (postgres.js: an array; PGlite: {rows}). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A PostgreSQL array literal of text values, for `${pgArray(xs)}::type[]` parameters (one parameter, any length). */
export function pgArray(values: readonly (string | number | boolean | null | undefined)[]): string {
  const items = values.map((v) => (v === null || v === undefined ? "NULL" : `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`));
  return `{${items.join(",")}}`;
}

/** Cheap liveness probe used by /healthz; gives up after `timeoutMs` (error code DATABASE_DEADLINE) so the probe never hangs. */
export async function ping(database: Database, timeoutMs = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`The database did not answer within ${timeoutMs} ms`), { code: "DATABASE_DEADLINE" })), timeoutMs);
  });
  try {
    await Promise.race([database.query(sql`select 1`), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
