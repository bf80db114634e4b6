/**
 * A benchmark's last line of defence: a detached shell that waits for the benchmark process to
 * end, however it ends (even SIGKILL — e.g. `tsx` kills its child when it does not acknowledge a
 * Ctrl-C within 30 ms on a busy machine), then stops the throwaway PostgreSQL cluster, kills the
 * server child whose pid was recorded, gives back the huge pages reserved for the cluster, and
 * removes the directories. When the benchmark cleaned
 * up after itself there is nothing left for it to do.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPostgresBin, HUGE_PAGES_RESTORE_FILE } from "./temp-postgres";

const SCRIPT = `
parent=$1; work=$2; pgdir=$3; pgctl=$4; asroot=$5
while kill -0 "$parent" 2>/dev/null; do sleep 0.5; done
if [ -f "$work/server.pid" ]; then
  p=$(cat "$work/server.pid")
  grep -q "server/main.ts" "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p" 2>/dev/null
fi
if [ -d "$pgdir/data" ]; then
  if [ "$asroot" = 1 ]; then runuser -u postgres -- "$pgctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1
  else "$pgctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1; fi
fi
[ -f "$pgdir/${HUGE_PAGES_RESTORE_FILE}" ] && cat "$pgdir/${HUGE_PAGES_RESTORE_FILE}" > /proc/sys/vm/nr_hugepages 2>/dev/null
rm -rf "$pgdir" "$work"
`;

export interface Reaper {
  /** Records the server child's pid, so it is killed too if the benchmark dies. */
  serverStarted(pid: number): void;
}

/** `work` is the benchmark's scratch directory (removed too); `pgDir` the TempPostgres's `dir`. */
export function startReaper(work: string, pgDir: string): Reaper {
  const bin = findPostgresBin();
  const child = spawn("sh", ["-c", SCRIPT, "bench-reaper", String(process.pid), work, pgDir, bin ? join(bin, "pg_ctl") : "pg_ctl", process.getuid?.() === 0 ? "1" : "0"], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  return {
    serverStarted(pid) {
      writeFileSync(join(work, "server.pid"), String(pid));
    },
  };
}
