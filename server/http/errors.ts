import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { AppEnv } from "./env";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from "./unavailable";

const STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  invalid_code: 400,
  invalid_personal_qr: 400,
  venue_not_active: 409,
  venue_suspended: 409,
  old_poster: 410,
  expired_code: 410,
  otp_invalid: 400,
  otp_expired: 410,
  otp_exhausted: 429,
  sms_unavailable: 503,
  // Vaccination (docs/VACCINATION.md)
  slot_full: 409,
  wrong_day: 409,
  appointment_cancelled: 409,
  import_closed: 409,
  dose_exists: 409,
  lot_expired: 422,
  lot_product_mismatch: 422,
  dose_out_of_order: 422,
  interval_too_short: 422,
  product_mix_not_allowed: 422,
  dose_in_future: 422,
  product_inactive: 422,
  // Testing (docs/TESTING.md)
  campaign_closed: 409,
  person_in_open_pool: 409,
  pool_full: 409,
  pool_not_open: 409,
  pool_not_sealed: 409,
  result_conflict: 409,
  retest_not_needed: 409,
  import_rejected: 422,
  // Certificates
  no_doses: 404,
  no_tests: 404,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS;

export interface ErrorDetail {
  path: string;
  message: string;
}

/** The platform's one error: a code that maps to a status, a message a person can read. */
export class AppError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(STATUS[code], { message });
  }
}

export const notFound = (what = "Resource") => new AppError("not_found", `${what} not found`);

export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

export function validationError(error: ZodError, where: string): AppError {
  return new AppError("validation_failed", `Invalid ${where}`, zodDetails(error));
}

export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return {
    error: { code, message, requestId: c.get("requestId") ?? "", ...(details?.length ? { details } : {}) },
  };
}

/** The one onError: known errors keep their code; anything else is a 500 with no internals. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json(errorBody(c, err.code, err.message, err.details), STATUS[err.code]);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ErrorCode =
      status === 413 ? "payload_too_large" : status === 415 ? "unsupported_media_type" : status === 401 ? "unauthorized" : status === 404 ? "not_found" : "bad_request";
    const message = status === 413 ? "Request body too large" : err.message || "Bad request";
    return c.json(errorBody(c, code, message), status >= 500 ? 500 : (status as ContentfulStatusCode));
  }
  if (isDatabaseUnavailable(err)) {
    c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    return c.json(errorBody(c, "unavailable", UNAVAILABLE_MESSAGE), 503);
  }
  c.get("log")?.error("unhandled error", { requestId: c.get("requestId"), error: String(err), stack: err.stack });
  return c.json(errorBody(c, "internal", "Internal server error"), 500);
}
