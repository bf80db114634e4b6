import { createMiddleware } from "hono/factory";
import type { Role } from "../../db/schema";
import { AppError } from "../http/errors";
import type { AppEnv } from "../http/env";
import { verifyAccessToken } from "./tokens";

/** Requires a valid access token; with roles, also one of those roles (else 403). */
export function requireAuth(...roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError("unauthorized", "Sign in required", undefined, { "WWW-Authenticate": "Bearer" });
    const deps = c.get("deps");
    let user;
    try {
      user = await verifyAccessToken(deps.keys, deps.config.publicUrl, match[1], deps.now());
    } catch {
      throw new AppError("unauthorized", "Invalid or expired access token", undefined, {
        "WWW-Authenticate": 'Bearer error="invalid_token"',
      });
    }
    if (roles.length && !roles.includes(user.role)) throw new AppError("forbidden", "Your role may not do this");
    c.set("user", user);
    await next();
  });
}
