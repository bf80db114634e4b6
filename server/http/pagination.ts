import { z } from "@hono/zod-openapi";
import { AppError } from "./errors";

/** Keyset pagination: the cursor is the last row's sort key, opaque to clients. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "Rows per page (1–500)" }),
  cursor: z.string().max(500).optional().openapi({ description: "nextCursor of the previous page" }),
};

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor<T extends unknown[]>(cursor: string | undefined, arity: number): T | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && key.length === arity) return key as T;
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
