import { z } from "@hono/zod-openapi";
import { AppError } from "./errors";
import { findUnstorableText } from "./unstorable";

/** Keyset pagination: the cursor is the last row's sort key, opaque to clients. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "Rows per page (1–500)" }),
  cursor: z.string().max(500).optional().openapi({ description: "nextCursor of the previous page" }),
};

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * What each key of a cursor must be, so a forged cursor answers 400 instead of reaching the
 * database with a value of the wrong type (a 500): text, a uuid, a time (ISO or PostgreSQL's own
 * text form), a calendar day, or a safe integer.
 */
export type CursorKey = "text" | "uuid" | "time" | "day" | "int";

const UUID_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME_KEY = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4])(:?[0-5]\d)?)?$/;
const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;

function keyFits(v: unknown, kind: CursorKey | "scalar"): boolean {
  switch (kind) {
    case "int":
      return Number.isSafeInteger(v);
    case "uuid":
      return typeof v === "string" && UUID_KEY.test(v);
    case "time": {
      const m = typeof v === "string" ? TIME_KEY.exec(v) : null;
      return !!m && keyFits(m[1], "day");
    }
    case "day": {
      if (typeof v !== "string" || !DAY_KEY.test(v) || v.startsWith("0000")) return false;
      const t = Date.parse(`${v}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
    }
    case "text":
      return typeof v === "string" && v.length <= 1000 && findUnstorableText(v) === undefined;
    case "scalar":
      return keyFits(v, "text") || (typeof v === "number" && Number.isFinite(v));
  }
}

/**
 * The keys of a cursor made by encodeCursor: `shape` is either the kind of every key, or (older
 * lists) just their number, in which case each key must at least be text or a finite number.
 */
export function decodeCursor<T extends unknown[]>(cursor: string | undefined, shape: number | readonly CursorKey[]): T | undefined {
  if (!cursor) return undefined;
  const kinds: readonly (CursorKey | "scalar")[] = typeof shape === "number" ? Array.from({ length: shape }, () => "scalar" as const) : shape;
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && key.length === kinds.length && kinds.every((k, i) => keyFits(key[i], k))) return key as T;
  } catch {
    /* fall through */
  }
  throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
}

/** Fetch limit+1 rows, return a page and the cursor of its last row when more exist. */
export function page<R>(rows: R[], limit: number, keyOf: (row: R) => unknown[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

export const pageSchema = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
