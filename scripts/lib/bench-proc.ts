/**
 * Where the CPU goes during a benchmark, from /proc (Linux only; elsewhere every reading is
 * undefined): CPU seconds of one process, of a whole PostgreSQL cluster (the postmaster, its
 * live backends and the backends it has reaped), of the machine, and a process's peak RSS.
 * Readings are cumulative: take one before and one after, and subtract.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { arch, cpus, platform, totalmem } from "node:os";

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** Fields of /proc/<pid>/stat after the command name (field 3 = index 0). */
function statFields(pid: number | "self"): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used by a process (user + system); with `children`, also by its children that it
 * has already waited for (e.g. a finished pgbench, or PostgreSQL backends that have exited).
 */
export function processCpuSeconds(pid: number | "self", children = false): number | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  // utime, stime, cutime, cstime are fields 14–17 of stat: indexes 11–14 here.
  const t = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return t / clockTicks();
}

/** CPU seconds of a PostgreSQL cluster: its postmaster with reaped children, plus every live child. */
export function clusterCpuSeconds(postmasterPid: number | undefined): number | undefined {
  if (!postmasterPid) return undefined;
  let total = processCpuSeconds(postmasterPid, true);
  if (total === undefined) return undefined;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return total;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(Number(e));
    if (!f || Number(f[1]) !== postmasterPid) continue; // field 4: ppid
    total += (Number(f[11]) + Number(f[12])) / clockTicks();
  }
  return total;
}

/** The postmaster's pid, from the first line of <data dir>/postmaster.pid. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores) since boot. */
export function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: (total - idle) / clockTicks(), total: total / clockTicks() };
  } catch {
    return undefined;
  }
}

/** Peak resident set size of a process (VmHWM), in bytes. */
export function peakRssBytes(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Same shape as the seed benchmark's machine string. */
export function machineString(serverVersion: string): string {
  const c = cpus();
  const model = (c[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  return `${c.length} cores (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${arch()}, PostgreSQL ${serverVersion}, Node ${process.version}`;
}

/** A CPU account of an interval: take `sample()` at both ends and `diff` them. */
export interface CpuSample {
  at: number;
  machine: { busy: number; total: number } | undefined;
  parts: Record<string, number | undefined>;
}

export function sampleCpu(parts: Record<string, () => number | undefined>): CpuSample {
  const out: Record<string, number | undefined> = {};
  for (const [k, f] of Object.entries(parts)) out[k] = f();
  return { at: performance.now(), machine: machineCpuSeconds(), parts: out };
}

/** Cores used on average over the interval, per part and for the whole machine (cores = CPU s / wall s). */
export function cpuBetween(a: CpuSample, b: CpuSample): { seconds: number; machineCores?: number; cores: Record<string, number> } {
  const seconds = (b.at - a.at) / 1000;
  const cores: Record<string, number> = {};
  for (const k of Object.keys(b.parts)) {
    const x = a.parts[k];
    const y = b.parts[k];
    if (x !== undefined && y !== undefined && seconds > 0) cores[k] = (y - x) / seconds;
  }
  const machineCores = a.machine && b.machine && seconds > 0 ? (b.machine.busy - a.machine.busy) / seconds : undefined;
  return machineCores === undefined ? { seconds, cores } : { seconds, machineCores, cores };
}
