import type { Deps } from "../deps";
import type { AuthUser } from "../auth/scope";
import type { Logger } from "./log";

/** What every handler finds on its context. */
export interface AppEnv {
  Variables: {
    deps: Deps;
    log: Logger;
    requestId: string;
    /** Set by requireAuth. */
    user: AuthUser;
    /** Caller's address (for audit and rate limits). */
    ip: string;
  };
}
