import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env";

/** The content security policy of every page: our own scripts only, no framing, no plugins. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The headers every response carries (the set hono/secure-headers sends, with our CSP). */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["content-security-policy", CSP],
  ["cross-origin-opener-policy", "same-origin"],
  ["origin-agent-cluster", "?1"],
  ["referrer-policy", "no-referrer"],
  ["strict-transport-security", "max-age=31536000; includeSubDomains"],
  ["x-content-type-options", "nosniff"],
  ["x-dns-prefetch-control", "off"],
  ["x-download-options", "noopen"],
  ["x-frame-options", "SAMEORIGIN"],
  ["x-permitted-cross-domain-policies", "none"],
  ["x-xss-protection", "0"],
  ["permissions-policy", "camera=(self), microphone=(), geolocation=()"],
];

/**
 * Sets the security headers before the handler runs, so they travel in the headers the response
 * is built with. (hono/secure-headers sets them on the finished response instead, which makes
 * @hono/node-server turn its light response into a full web Response: ~65 µs a request, a quarter
 * of a check-in's CPU.) Handlers build responses with c.json/c.body/c.html, which keep them.
 */
export function securityHeaders() {
  return createMiddleware<AppEnv>(async (c, next) => {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    await next();
  });
}
