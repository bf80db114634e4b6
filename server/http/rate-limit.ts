import { AppError } from "./errors";

/**
 * Fixed-window counter per key, in memory. Enough for one server; behind a load balancer
 * the windows are per instance (docs/SCALING.md).
 */
export interface RateLimiter {
  /** Counts one hit for key; throws 429 with Retry-After once the limit is passed. */
  hit(key: string): void;
  reset(key: string): void;
}

export function createRateLimiter(limit: number, windowSeconds: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();
  const windowMs = windowSeconds * 1000;
  return {
    hit(key) {
      const t = now();
      if (t - lastSweep > windowMs) {
        for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
        lastSweep = t;
      }
      let w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      if (w.count > limit) {
        const retry = Math.max(1, Math.ceil((w.start + windowMs - t) / 1000));
        throw new AppError("rate_limited", "Too many attempts; try again later", undefined, { "Retry-After": String(retry) });
      }
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
