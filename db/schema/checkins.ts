import { boolean, char, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const CHECKIN_METHODS = ["citizen_scan", "guest_scan", "staff_scan", "staff_typed"] as const;

/**
 * One visit of a person to a venue. A check-in belongs to its venue's province.
 * The id is the idempotency key the phone generated at the tap, so a retried or queued
 * check-in is the same row. Range-partitioned by day on checked_in_at (migration 0002;
 * server/checkins/partitions.ts keeps the partitions), so retention is a partition drop.
 * person_id has no foreign key: people and check-ins are sharded apart (docs/SCALING.md).
 */
export const checkins = pgTable(
  "checkins",
  {
    id: uuid("id").notNull(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    venueId: uuid("venue_id").notNull(),
    personId: uuid("person_id").notNull(),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }).notNull().defaultNow(),
    checkedOutAt: timestamp("checked_out_at", { withTimezone: true }),
    /** True when the visit was closed by the dwell/closing-time job, not by the person. */
    autoCheckout: boolean("auto_checkout").notNull().default(false),
    method: text("method", { enum: CHECKIN_METHODS }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provinceCode, t.id, t.checkedInAt] }),
    index("checkins_venue_time_idx").on(t.venueId, t.checkedInAt),
    index("checkins_person_time_idx").on(t.personId, t.checkedInAt),
    index("checkins_id_idx").on(t.id),
  ],
);

/**
 * Idempotency keys of recent check-ins (unpartitioned, so a key is unique whatever its day).
 * Kept for two days: long enough for any retry or offline queue, pruned by the retention job.
 */
export const checkinKeys = pgTable("checkin_keys", {
  id: uuid("id").primaryKey(),
  provinceCode: char("province_code", { length: 2 }).notNull(),
  checkedInAt: timestamp("checked_in_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Checkin = typeof checkins.$inferSelect;
