/**
 * Scheduled work of a platform process: auto check-out every minute; day partitions, retention
 * the release of contacts whose quarantine ended and the pruning of
 * old one-time codes every hour (and at start). Each run logs
 * what it did; a failed run is logged and retried at the next tick. Several instances may run jobs: every statement is idempotent.
 */
import type { Deps } from "./deps";
import { autoCheckout } from "./checkins/service";
import { dropExpiredPartitions, ensureCurrentPartitions } from "./checkins/partitions";
import { releaseContacts } from "./tracing/contacts";
import { pruneOtpCodes } from "./citizens/otp";

export interface Jobs {
  stop(): void;
  /** Run everything once now (tests, and the first tick). */
  runAll(): Promise<void>;
}

export function startJobs(deps: Deps): Jobs {
  const run = async (name: string, f: () => Promise<unknown>) => {
    try {
      const result = await f();
      deps.log.debug("job", { job: name, result });
    } catch (e) {
      deps.log.error("job failed", { job: name, error: String(e) });
    }
  };
  const minute = () => run("auto-checkout", () => autoCheckout(deps));
  const hourly = async () => {
    await run("partitions", () => ensureCurrentPartitions(deps.database, deps.now()));
    await run("retention", () => dropExpiredPartitions(deps.database, deps.now(), deps.config.checkinRetentionDays));
    await run("release-contacts", () => releaseContacts(deps));
    await run("prune-otp-codes", () => pruneOtpCodes(deps));
  };
  const timers = [setInterval(minute, 60_000), setInterval(hourly, 3600_000)];
  for (const t of timers) t.unref();
  return {
    stop: () => timers.forEach(clearInterval),
    async runAll() {
      await hourly();
      await minute();
    },
  };
}
