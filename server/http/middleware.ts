import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Deps } from "../deps";
import type { AppEnv } from "./env";

/** Puts the deps, the logger and the caller's address on the context. */
export function provideDeps(deps: Deps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("deps", deps);
    c.set("log", deps.log);
    c.set("ip", clientIp(c, deps.config.trustProxy));
    await next();
  });
}

function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** One structured line per request: id, method, path, status, duration, user. */
export function requestLog() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const start = performance.now();
    await next();
    const status = c.res.status;
    const fields = {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      user: c.get("user")?.username,
      ip: c.get("ip"),
    };
    if (status >= 500) c.get("log").error("request", fields);
    else c.get("log").info("request", fields);
  });
}
