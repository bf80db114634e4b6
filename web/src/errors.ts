import { ApiError } from "./api";
import { hasMessage, t } from "./i18n";

/** Codes whose server message the portal replaces with its own, translated, wording. */
const LOCALISED_CODES = new Set(["invalid_credentials", "rate_limited", "network", "unauthorized"]);

/** The message to show for an error: the server's own message, or a translated one for known codes. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (LOCALISED_CODES.has(error.code) && hasMessage(key)) return t(key);
    if (error.message) return error.message;
    if (hasMessage(key)) return t(key);
    return t("error.unknown");
  }
  return t("error.unknown");
}

/** The last segment of a validation path: "body.provinceCode", "/provinceCode" → "provinceCode". */
export function fieldName(path: string): string {
  const parts = path.split(/[./]/).filter((p) => p !== "" && p !== "body");
  return parts[parts.length - 1] ?? "";
}

/** Field-level messages from a 400's `details`, keyed by field name (first message wins). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.details) {
    const name = fieldName(issue.path);
    if (name && !(name in out)) out[name] = issue.message;
  }
  return out;
}
