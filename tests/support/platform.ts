/**
 * A whole platform (deps + Hono app) on a fresh database, for API tests: PGlite in memory,
 * or a new database in the run's PostgreSQL cluster. Requests go through app.request(),
 * the same code path as a real server minus the socket.
 */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import postgres from "postgres";
import { createApp } from "../../server/app";
import { buildDeps, prepare } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import type { Deps } from "../../server/deps";

export type Engine = "pglite" | "postgres";

export const ADMIN = { username: "admin", password: "Admin@12345" };
export const DEMO_PASSWORD = "Demo@2026";

/** The engines this run covers: both, unless PostgreSQL is unavailable outside CI. */
export function engines(): Engine[] {
  return inject("postgresUrl") ? ["pglite", "postgres"] : ["pglite"];
}

async function newPostgresDatabase(): Promise<string> {
  const base = inject("postgresUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return base.replace(/\/[^/]*$/, `/${name}`);
}

export interface RequestOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestPlatform {
  engine: Engine;
  deps: Deps;
  app: ReturnType<typeof createApp>;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Signs in and returns the access token (throws on failure). */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestPlatform(engine: Engine, env: Record<string, string> = {}): Promise<TestPlatform> {
  const config = loadConfig({
    DATA_DIR: "memory://",
    LOG_LEVEL: "silent",
    PUBLIC_URL: "http://platform.test",
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    DEMO_DATA: "true",
    DEMO_PASSWORD,
    LOGIN_RATE_LIMIT: "1000",
    DATABASE_POOL: "4",
    ...(engine === "postgres" ? { DATABASE_URL: await newPostgresDatabase() } : {}),
    ...env,
  });
  const deps = await buildDeps(config);
  await prepare(deps, () => {});
  const app = createApp(deps);
  const request = (method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };
  return {
    engine,
    deps,
    app,
    request,
    async login(username, password = username === ADMIN.username ? ADMIN.password : DEMO_PASSWORD) {
      const res = await request("POST", "/api/auth/login", { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${await res.text()}`);
      return ((await res.json()) as { accessToken: string }).accessToken;
    },
    close: () => deps.database.close(),
  };
}
