/**
 * The platform's server as a child process of a benchmark (its own event loop, as in production:
 * `node --import tsx server/main.ts`), on a free loopback port, and a tiny JSON client for it.
 * Used by bench:checkin and bench:trace. The server's warnings and errors
 * (LOG_LEVEL=warn) are echoed to stderr with a prefix, its last 50 lines kept for error messages,
 * and `start` waits for /healthz (migrations applied, admin prepared) for up to 90 s.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./temp-postgres";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`${line}\n`);

export interface ServerChild {
  proc: ChildProcess;
  pid: number;
  /** http://127.0.0.1:<port> */
  base: string;
  /** Last lines the server printed (for errors). */
  tail(): string;
  /** SIGTERM (the server drains and closes its pool), SIGKILL after 8 s. */
  stop(): Promise<void>;
  /** SIGKILL at once (synchronous, for signal handlers). */
  kill(): void;
}

export async function startServer(env: Record<string, string>, nodeArgs: string[], onSpawn: (pid: number) => void): Promise<ServerChild> {
  const port = await freePort();
  const proc = spawn(process.execPath, [...nodeArgs, "--import", "tsx", join(ROOT, "server/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (proc.pid) onSpawn(proc.pid);
  const lines: string[] = [];
  const keep = (prefix: string, echo: boolean) => (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 50) lines.shift();
      if (echo || /"level":"(warn|error)"/.test(line)) say(`  [server${prefix}] ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`);
    }
  };
  proc.stdout!.on("data", keep("", false));
  proc.stderr!.on("data", keep(" stderr", true));
  let exited = false;
  const exitedP = new Promise<void>((r) => proc.once("exit", () => ((exited = true), r())));
  const base = `http://127.0.0.1:${port}`;
  const server: ServerChild = {
    proc,
    pid: proc.pid!,
    base,
    tail: () => lines.join("\n"),
    async stop() {
      if (exited) return;
      proc.kill("SIGTERM");
      await Promise.race([exitedP, sleep(8000)]);
      if (!exited) proc.kill("SIGKILL");
    },
    kill() {
      if (!exited) proc.kill("SIGKILL");
    },
  };
  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`the server exited during start-up:\n${server.tail()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 90_000) {
      server.kill();
      throw new Error(`the server did not answer /healthz within 90 s:\n${server.tail()}`);
    }
    await sleep(100);
  }
  return server;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One JSON request; throws ApiError with the answer's start on a non-2xx status. */
export async function api<T>(base: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const { status, text } = await apiText(base, method, path, body, token);
  if (status < 200 || status >= 300) throw new ApiError(status, `${method} ${path} → ${status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** One request, the answer's status and whole body as text (what a timed call should wait for). */
export async function apiText(base: string, method: string, path: string, body: unknown, token?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** A Server-Timing header ("hop;dur=3.1, store;dur=2.0") as { hop: 3.1, store: 2.0 }. */
export function serverTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /^\s*([\w-]+)\s*;\s*dur=([\d.]+)/.exec(part);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}
