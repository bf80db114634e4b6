import { bigint, char, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * One visit of a person to a venue. A check-in belongs to its venue's province.
 * person_id has no foreign key: people and check-ins are sharded apart (docs/SCALING.md).
 */
export const checkins = pgTable(
  "checkins",
  {
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    venueId: uuid("venue_id").notNull(),
    personId: uuid("person_id").notNull(),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }).notNull().defaultNow(),
    checkedOutAt: timestamp("checked_out_at", { withTimezone: true }),
    method: text("method", { enum: ["citizen_scan", "guest_scan", "staff_scan", "staff_typed"] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provinceCode, t.id] }),
    index("checkins_venue_time_idx").on(t.venueId, t.checkedInAt),
    index("checkins_person_time_idx").on(t.personId, t.checkedInAt),
  ],
);

export type Checkin = typeof checkins.$inferSelect;
