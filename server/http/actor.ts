import type { Context } from "hono";
import type { Actor } from "../audit/service";
import type { AuthUser } from "../auth/scope";
import type { AppEnv } from "./env";

/** The acting user, address and request id, as services and the audit log want them. */
export function actorOf(c: Context<AppEnv>): Actor & { user: AuthUser } {
  return { user: c.get("user"), ip: c.get("ip"), requestId: c.get("requestId") };
}

/** Same, before anyone has signed in (login, refresh). */
export function anonymousActor(c: Context<AppEnv>): Actor {
  return { user: null, ip: c.get("ip"), requestId: c.get("requestId") };
}
