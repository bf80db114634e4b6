import { index, integer, pgTable, primaryKey, text, time, timestamp, uuid } from "drizzle-orm/pg-core";
import { area, timestamps } from "./columns";

export const VENUE_CATEGORIES = [
  "market",
  "shop",
  "restaurant",
  "school",
  "office",
  "hospital",
  "station",
  "worship",
  "other",
] as const;

export const VENUE_STATUSES = ["pending", "active", "suspended"] as const;

/** A public place with a QR check-in code. */
export const venues = pgTable(
  "venues",
  {
    id: uuid("id").notNull().defaultRandom(),
    ...area,
    name: text("name").notNull(),
    category: text("category", { enum: VENUE_CATEGORIES }).notNull(),
    address: text("address").notNull(),
    capacity: integer("capacity"),
    status: text("status", { enum: VENUE_STATUSES }).notNull().default("pending"),
    qrVersion: integer("qr_version").notNull().default(1),
    /** Local (Asia/Ho_Chi_Minh) opening hours; a visit without check-out ends at closing time. */
    openingTime: time("opening_time"),
    closingTime: time("closing_time"),
    statusReason: text("status_reason"),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.provinceCode, t.id] }),
    index("venues_id_idx").on(t.id),
    index("venues_area_idx").on(t.provinceCode, t.communeCode, t.name),
  ],
);

/** Which staff accounts run which venue. */
export const venueStaff = pgTable(
  "venue_staff",
  {
    venueId: uuid("venue_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.userId] }), index("venue_staff_user_idx").on(t.userId)],
);

export type Venue = typeof venues.$inferSelect;
