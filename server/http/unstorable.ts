/**
 * Text PostgreSQL cannot store: NUL (U+0000, refused in text and jsonb) and unpaired UTF-16
 * surrogates (no UTF-8 form: they would be stored as U+FFFD, so not what was sent). Validated
 * input is checked for them (server/http/openapi.ts) so they answer 400 instead of failing in
 * the database as a 500, or being changed silently.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string in `value` that cannot be stored ("" for the value itself), or undefined. */
export function findUnstorableText(value: unknown, path = "", depth = 0): string | undefined {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path : undefined;
  if (value === null || typeof value !== "object" || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const found = findUnstorableText(v, path ? `${path}.${k}` : k, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
