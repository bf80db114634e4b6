/**
 * The database is down (stopped, restarting, unreachable): requests that need it answer
 * 503 `unavailable` with Retry-After at once instead of 500, and the pool reconnects by itself
 * when the database is back (db/client.ts bounds the connect time and the reconnect back-off).
 *
 * Recognised by the error's code, on the error or anywhere on its `cause` chain (drizzle wraps
 * the driver's error in a DrizzleQueryError whose `cause` is the postgres.js error):
 * - socket errors: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, EAI_AGAIN;
 * - postgres.js connection errors: CONNECTION_CLOSED, CONNECTION_ENDED, CONNECTION_DESTROYED, CONNECT_TIMEOUT;
 * - SQLSTATE class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown,
 *   57P03 cannot_connect_now (starting up, shutting down, in recovery), 53300 too_many_connections;
 * - DATABASE_DEADLINE: the /healthz probe given up (db/client.ts `ping`).
 */

/** Seconds a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

export const UNAVAILABLE_MESSAGE =
  "Cơ sở dữ liệu tạm thời không truy cập được, vui lòng thử lại sau ít giây / The database is unavailable; try again in a few seconds";

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
const DRIVER_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "DATABASE_DEADLINE"]);
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The code that marks `err` (or one of its causes) as "the database is unavailable", if any. */
export function unavailableCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === "object"; depth++) {
    const code = codeOf(e);
    if (code && (SOCKET_CODES.has(code) || DRIVER_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return code;
    // AggregateError (e.g. a connect to several addresses that all refused)
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      const inner = errors.map(unavailableCode).find(Boolean);
      if (inner) return inner;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return unavailableCode(err) !== undefined;
}
