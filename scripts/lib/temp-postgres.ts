/**
 * A throwaway PostgreSQL cluster from the machine's own binaries, on a free loopback port,
 * for tests and benchmarks. PostgreSQL refuses to run as root, so as root the cluster is
 * created and run as the `postgres` user.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempPostgres {
  url: string;
  port: number;
  dir: string;
  /** postgres://… of a new empty database in this cluster. */
  createDatabase(name: string): Promise<string>;
  /** Whether the shared memory is on huge pages (asked for with `hugePages`), and why not. */
  hugePages: { on: boolean; pages: number; note: string };
  stop(): void;
}

export function findPostgresBin(): string | undefined {
  const candidates = [process.env.PG_BIN];
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) candidates.push(join(base, v, "bin"));
  }
  return candidates.find((d): d is string => !!d && existsSync(join(d, "initdb")) && existsSync(join(d, "pg_ctl")));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

const isRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]): string {
  const cmd = isRoot ? "runuser" : bin;
  const full = isRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  const res = spawnSync(cmd, full, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (res.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${res.stderr || res.stdout}`);
  return res.stdout;
}

const NR_HUGEPAGES = "/proc/sys/vm/nr_hugepages";
/** The file in the cluster's directory that holds the machine's huge page count to restore (the reaper reads it too). */
export const HUGE_PAGES_RESTORE_FILE = "hugepages.prev";

/** Huge pages nobody holds: free and not reserved by another process's mapping. */
function freeHugePages(): number {
  const info = readFileSync("/proc/meminfo", "utf8");
  const count = (name: string) => Number(new RegExp(`^HugePages_${name}:\\s+(\\d+)`, "m").exec(info)?.[1] ?? 0);
  return count("Free") - count("Rsvd");
}

/**
 * Reserves the huge pages a cluster's shared memory needs (PostgreSQL tells how many:
 * shared_memory_size_in_huge_pages), so every backend maps shared_buffers with 2 MiB pages
 * instead of faulting in 4 KiB pages one by one. Needs root (it writes vm.nr_hugepages); the
 * previous count is kept in the cluster's directory and put back when the cluster stops.
 */
function reserveHugePages(bin: string, dir: string, dataDir: string, opts: string[]): TempPostgres["hugePages"] {
  const pages = Number(run(join(bin, "postgres"), ["-D", dataDir, "-C", "shared_memory_size_in_huge_pages", ...opts]).trim());
  if (!Number.isFinite(pages) || pages <= 0) return { on: false, pages: 0, note: "this PostgreSQL cannot tell its huge page need" };
  if (!isRoot) return { on: false, pages, note: `needs root to reserve ${pages} huge pages (vm.nr_hugepages)` };
  try {
    const before = Number(readFileSync(NR_HUGEPAGES, "utf8").trim());
    const missing = pages - freeHugePages();
    if (missing > 0) {
      writeFileSync(join(dir, HUGE_PAGES_RESTORE_FILE), String(before));
      writeFileSync(NR_HUGEPAGES, String(before + missing));
    }
    if (freeHugePages() < pages) return { on: false, pages, note: `the kernel gave only ${freeHugePages()} of ${pages} huge pages (memory fragmented?)` };
    return { on: true, pages, note: `${pages} huge pages of 2 MiB` };
  } catch (e) {
    return { on: false, pages, note: `could not reserve huge pages: ${(e as Error).message}` };
  }
}

function restoreHugePages(dir: string): void {
  try {
    writeFileSync(NR_HUGEPAGES, readFileSync(join(dir, HUGE_PAGES_RESTORE_FILE), "utf8").trim());
  } catch {
    /* nothing reserved */
  }
}

export interface TempPostgresOptions {
  /** Durability off (fsync, synchronous_commit) for fast tests; keep it on for benchmarks. */
  durable?: boolean;
  settings?: Record<string, string | number>;
  /** Shared memory on huge pages, reserved for the cluster when run as root (huge_pages=on); else huge_pages=try. */
  hugePages?: boolean;
}

export async function startTempPostgres(options: TempPostgresOptions = {}): Promise<TempPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL binaries not found (install postgresql, or set PG_BIN)");
  const dir = mkdtempSync(join(tmpdir(), "phc-pg-"));
  chmodSync(dir, 0o777);
  if (isRoot) execFileSync("chown", ["postgres", dir]);
  const dataDir = join(dir, "data");
  run(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const settings: Record<string, string | number> = {
    listen_addresses: "'127.0.0.1'",
    port,
    unix_socket_directories: `'${dir}'`,
    max_connections: 200,
    shared_buffers: "256MB",
    ...(options.durable ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }),
    ...options.settings,
  };
  const hugePages = options.hugePages
    ? reserveHugePages(bin, dir, dataDir, Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${String(v).replace(/^'(.*)'$/, "$1")}`]))
    : { on: false, pages: 0, note: "not asked for" };
  settings.huge_pages = hugePages.on ? "on" : "try";
  const opts = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
  try {
    run(join(bin, "pg_ctl"), ["-D", dataDir, "-l", join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"]);
  } catch (e) {
    restoreHugePages(dir);
    let log = "";
    try {
      log = readFileSync(join(dir, "log"), "utf8").trim().split("\n").slice(-5).join("\n");
    } catch {
      /* no log written */
    }
    throw new Error(`${(e as Error).message}${log ? `\nPostgreSQL's log ends with:\n${log}` : ""}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } catch {
      /* already gone */
    }
    restoreHugePages(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    url,
    port,
    dir,
    hugePages,
    stop,
    async createDatabase(name: string) {
      const { default: postgres } = await import("postgres");
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database "${name.replace(/"/g, "")}"`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
