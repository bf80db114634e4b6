/** Per-address rate limits of the public citizen routes, one set per platform (tests run several in one process). */
import { createMiddleware } from "hono/factory";
import type { Deps } from "../deps";
import type { AppEnv } from "../http/env";
import { createRateLimiter, type RateLimiter } from "../http/rate-limit";

/**
 * A middleware that counts every request (valid or not) against the caller's address.
 * Generous: phones behind one carrier NAT share an address.
 */
export function perIpLimit(name: string, limit: number, windowSeconds: number) {
  const limiters = new WeakMap<Deps, RateLimiter>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const deps = c.get("deps");
    let limiter = limiters.get(deps);
    if (!limiter) limiters.set(deps, (limiter = createRateLimiter(limit, windowSeconds, () => deps.now().getTime())));
    limiter.hit(`${name}:${c.get("ip")}`);
    await next();
  });
}
