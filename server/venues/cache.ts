/**
 * What the check-in hot path needs of a venue, cached for a few seconds so a scan costs no
 * venue lookup. Changes made through this server (rotate, suspend) drop the entry at once;
 * other instances see them within the TTL.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { venues, type Venue } from "../../db/schema";

export interface VenueCache {
  get(venueId: string): Promise<Venue | undefined>;
  forget(venueId: string): void;
}

export function createVenueCache(db: Db, ttlMs = 5000, now: () => number = Date.now): VenueCache {
  const entries = new Map<string, { at: number; venue: Venue | undefined }>();
  return {
    async get(venueId) {
      const hit = entries.get(venueId);
      if (hit && now() - hit.at < ttlMs) return hit.venue;
      const [venue] = await db.select().from(venues).where(eq(venues.id, venueId)).limit(1);
      if (entries.size > 50_000) entries.clear();
      entries.set(venueId, { at: now(), venue });
      return venue;
    },
    forget(venueId) {
      entries.delete(venueId);
    },
  };
}
