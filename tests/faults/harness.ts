/**
 * What the fault tests share: a throwaway PostgreSQL cluster of the test's own (not the run's
 * shared one) that can be stopped and started again on the same port, the platform's server as a
 * child process (`node --import tsx server/main.ts`, as in production), and a closed-loop
 * check-in load that records every answer (status, time taken, Retry-After) by check-in id.
 *
 * Durability: the cluster runs with synchronous_commit on (fsync may stay off: the machine does
 * not crash, only PostgreSQL or the server does, and a committed transaction's WAL has reached
 * the kernel before COMMIT answers), so an acknowledged check-in must survive `pg_ctl stop -m immediate`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { startReaper } from "../../scripts/lib/bench-reaper";
import { findPostgresBin, freePort, startTempPostgres, type TempPostgres } from "../../scripts/lib/temp-postgres";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ADMIN_PASSWORD = "Faults-admin-2026";
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const isRoot = process.getuid?.() === 0;

function pgRun(bin: string, args: string[]): void {
  const cmd = isRoot ? "runuser" : bin;
  const full = isRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  const res = spawnSync(cmd, full, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (res.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${res.stderr || res.stdout}`);
}

export interface FaultPostgres extends TempPostgres {
  /** Stops the cluster: "immediate" is a crash (no checkpoint; crash recovery at the next start), "fast" a clean shutdown. */
  halt(mode: "immediate" | "fast"): void;
  /** Starts it again on the same port and socket directory; resolves when it accepts connections. */
  restart(): void;
  /**
   * Records a server child's pid: if this test process dies (a timeout, Ctrl-C), a detached
   * watcher kills that server and stops the cluster (scripts/lib/bench-reaper.ts).
   */
  serverStarted(pid: number): void;
}

/** PostgreSQL binaries present (else the fault tests are skipped, as the API tests' PostgreSQL half is). */
export const havePostgres = () => !!findPostgresBin();

export async function startFaultPostgres(): Promise<FaultPostgres> {
  const pg = await startTempPostgres({ settings: { synchronous_commit: "on", max_connections: 60, shared_buffers: "32MB" } });
  const reaperDir = mkdtempSync(join(tmpdir(), "phc-fault-reaper-"));
  const reaper = startReaper(reaperDir, pg.dir);
  const bin = findPostgresBin()!;
  const dataDir = join(pg.dir, "data");
  // The same settings temp-postgres gave at the first start (pg_ctl start does not remember -o).
  const opts = [
    `-c listen_addresses='127.0.0.1'`,
    `-c port=${pg.port}`,
    `-c unix_socket_directories='${pg.dir}'`,
    `-c max_connections=60`,
    `-c shared_buffers=32MB`,
    `-c fsync=off`,
    `-c synchronous_commit=on`,
    `-c full_page_writes=off`,
  ].join(" ");
  return {
    ...pg,
    stop() {
      pg.stop();
      rmSync(reaperDir, { recursive: true, force: true });
    },
    serverStarted: (pid) => reaper.serverStarted(pid),
    halt(mode) {
      pgRun(join(bin, "pg_ctl"), ["-D", dataDir, "-m", mode, "-w", "-t", "30", "stop"]);
    },
    restart() {
      pgRun(join(bin, "pg_ctl"), ["-D", dataDir, "-l", join(pg.dir, "log"), "-o", opts, "-w", "-t", "60", "start"]);
    },
  };
}

export interface ServerProcess {
  proc: ChildProcess;
  base: string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** The server's last output lines (for failure messages). */
  tail(): string;
  kill(signal: NodeJS.Signals): void;
  /** RSS of the process in MiB (Linux /proc). */
  rssMb(): number | undefined;
}

/**
 * The platform's server as a child process on a free loopback port, on the given database;
 * resolves once /healthz answers 200 (migrations applied, demo data loaded).
 */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}, onSpawn?: (pid: number) => void): Promise<ServerProcess> {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), "phc-fault-srv-"));
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server/main.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      DATA_DIR: join(work, "data"),
      WEB_DIST: join(work, "no-web"),
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      DEMO_DATA: "true",
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD,
      JOBS: "false",
      DATABASE_POOL: "4",
      LOGIN_RATE_LIMIT: "100000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (proc.pid) onSpawn?.(proc.pid);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
      if (lines.length > 80) lines.shift();
    }
  };
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once("exit", (code, signal) => {
      running = false;
      rmSync(work, { recursive: true, force: true });
      r({ code, signal });
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    proc,
    base,
    exited,
    isRunning: () => running,
    tail: () => lines.join("\n"),
    kill(signal) {
      if (running) proc.kill(signal);
    },
    rssMb: () => rssMb(proc.pid!),
  };
  const t0 = Date.now();
  for (;;) {
    if (!running) throw new Error(`the server exited during start-up:\n${server.tail()}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 90_000) {
      server.kill("SIGKILL");
      throw new Error(`the server did not answer /healthz within 90 s:\n${server.tail()}`);
    }
    await sleep(100);
  }
  return server;
}

export function rssMb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON request; the status and the parsed body (or the text when it is not JSON). */
export async function call(base: string, method: string, path: string, body?: unknown, token?: string, timeoutMs = 15_000) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: json as Record<string, unknown> & unknown[] };
}

export async function login(base: string, username: string, password: string): Promise<string> {
  const r = await call(base, "POST", "/api/auth/login", { username, password });
  if (r.status !== 200) throw new Error(`login ${username} → ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as unknown as { accessToken: string }).accessToken;
}

/** An active venue in Hoàn Kiếm (created by the national admin) and its poster code. */
export async function venueWithCode(base: string, adminToken: string, name = "Chợ thử lỗi"): Promise<{ id: string; token: string }> {
  const v = await call(base, "POST", "/api/venues", { name, category: "market", address: "1 Hàng Đào", provinceCode: "01", communeCode: "00070", capacity: 500 }, adminToken);
  if (v.status !== 201) throw new Error(`create venue → ${v.status} ${JSON.stringify(v.body)}`);
  const id = (v.body as unknown as { id: string }).id;
  const r = await call(base, "POST", `/api/venues/${id}/rotate`, {}, adminToken);
  if (r.status !== 200) throw new Error(`rotate → ${r.status} ${JSON.stringify(r.body)}`);
  const url = (r.body as unknown as { url: string }).url;
  return { id, token: url.slice(url.indexOf("/c/") + 3) };
}

export interface Answer {
  id: string;
  /** 0: no answer (connection refused, reset, or the client's timeout). */
  status: number;
  startedAt: number;
  ms: number;
  retryAfter: string | null;
  error?: string;
  /** The request body sent (to resend the same check-in). */
  body: string;
}

export interface CheckinLoad {
  answers: Answer[];
  /** Ids answered 201 (stored and committed) or 200 (a replay of a stored id). */
  acked(): string[];
  /** Stops sending; resolves when every request in flight has its answer (or its error). */
  stop(): Promise<void>;
}

/**
 * `workers` loops, each sending POST /api/checkins with a fresh id, one at a time, each request
 * bounded by `timeoutMs` (a request that takes longer counts as a hang: status 0, error "timeout").
 * When the server is unreachable a worker waits `pauseMs` before the next try.
 */
export function checkinLoad(base: string, venueToken: string, o: { workers?: number; timeoutMs?: number; pauseMs?: number } = {}): CheckinLoad {
  const answers: Answer[] = [];
  let stopping = false;
  const guests = Array.from({ length: 50 }, (_, i) => ({
    personId: randomUUID(),
    fullName: `Khách Thử ${i + 1}`,
    phone: `09${String(10_000_000 + i).padStart(8, "0")}`,
    birthYear: 1960 + (i % 40),
  }));
  const worker = async (w: number) => {
    let n = 0;
    while (!stopping) {
      const id = randomUUID();
      const guest = guests[(w * 7 + n++) % guests.length]!;
      const startedAt = performance.now();
      const body = JSON.stringify({ token: venueToken, id, guest });
      const a: Answer = { id, status: 0, startedAt, ms: 0, retryAfter: null, body };
      try {
        const res = await fetch(`${base}/api/checkins`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer();
        a.status = res.status;
        a.retryAfter = res.headers.get("retry-after");
      } catch (e) {
        a.error = (e as Error).name === "TimeoutError" ? "timeout" : String((e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message);
      }
      a.ms = performance.now() - startedAt;
      answers.push(a);
      if (a.status === 0 && !stopping) await sleep(o.pauseMs ?? 50);
    }
  };
  const running = Promise.all(Array.from({ length: o.workers ?? 6 }, (_, w) => worker(w)));
  return {
    answers,
    acked: () => answers.filter((a) => a.status === 201 || a.status === 200).map((a) => a.id),
    async stop() {
      stopping = true;
      await running;
    },
  };
}

/** Of these check-in ids, the ones stored in `checkins` (and in `checkin_keys`). */
export async function storedIds(databaseUrl: string, ids: string[]): Promise<{ checkins: Set<string>; keys: Set<string> }> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const found = new Set<string>();
    const keys = new Set<string>();
    for (let i = 0; i < ids.length; i += 5000) {
      const part = ids.slice(i, i + 5000);
      for (const r of await sql<{ id: string }[]>`select id::text from checkins where id = any(${part}::uuid[])`) found.add(r.id);
      for (const r of await sql<{ id: string }[]>`select id::text from checkin_keys where id = any(${part}::uuid[])`) keys.add(r.id);
    }
    return { checkins: found, keys };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Counts answers by status (0 = no answer) for messages. */
export function byStatus(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const k = a.status === 0 ? `none:${a.error ?? "?"}` : String(a.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Polls until `f` is true or the time is up; the time it took, ms (or throws). */
export async function waitFor(what: string, f: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await f()) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
