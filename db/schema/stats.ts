import { bigint, char, date, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { area, timestamps } from "./columns";

/**
 * The roll-up metrics (docs/STATS.md). Each is a count of rows of one raw table, keyed by a day
 * that never changes for the row and by the row's area, for the rows' current state, so it can
 * be kept current by triggers (contribution of the new rows − contribution of the old rows) and
 * recounted from the raw tables by the same definition (server/stats/rollups/metrics.ts).
 */
export const METRICS = [
  // check-ins (day: checked_in_at in Asia/Ho_Chi_Minh; area: the venue's)
  "checkins",
  "visitors",
  "venues_active",
  // declarations (day: the declaration's day; area: the declaration's)
  "declarations",
  "declarations_risky",
  // testing (samples: day taken, the site's area; results: day of the result)
  "samples",
  "results_negative",
  "results_positive",
  "results_invalid",
  "pools_resulted",
  "pools_positive",
  // vaccination (day given, the dose's area); doses_3 counts the third and later doses
  "doses_1",
  "doses_2",
  "doses_3",
  // cases by confirmation day, split by current status (active now = sum of cases_active)
  "cases_new",
  "cases_active",
  "cases_recovered",
  "cases_died",
  // contacts by the day identified (created), current status
  "f1_identified",
  "f2_identified",
  "contacts_quarantined",
  // follow-ups by their day, the contact's area
  "follow_ups",
  "follow_ups_reached",
] as const;
export type Metric = (typeof METRICS)[number];

/**
 * One number per (day, province, commune, metric). `commune_code` is '' for rows whose area has
 * no commune, and for the province-level distinct counts (visitors, venues_active) that cannot
 * be summed from communes.
 */
export const dailyStats = pgTable(
  "daily_stats",
  {
    day: date("day").notNull(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: text("commune_code").notNull().default(""),
    metric: text("metric", { enum: METRICS }).notNull(),
    value: bigint("value", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.provinceCode, t.communeCode, t.metric] }), index("daily_stats_metric_idx").on(t.provinceCode, t.metric, t.day)],
);

/**
 * The province totals of daily_stats (the country view sums 34 provinces, not every commune),
 * kept by triggers on daily_stats itself (migration 0009): flow metrics summed over the
 * province's rows, the distinct counts (visitors, venues_active) from the province row ''.
 */
export const dailyProvinceStats = pgTable(
  "daily_province_stats",
  {
    day: date("day").notNull(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    metric: text("metric", { enum: METRICS }).notNull(),
    value: bigint("value", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.provinceCode, t.metric] }), index("daily_province_stats_metric_idx").on(t.metric, t.day)],
);

/** Who visited an area on a day (for the distinct `visitors` count): per commune, and per province with commune ''. */
export const dailyVisitors = pgTable(
  "daily_visitors",
  {
    day: date("day").notNull(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: text("commune_code").notNull(),
    personId: uuid("person_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.provinceCode, t.communeCode, t.personId] })],
);

/** Which venues had a check-in on a day (for `venues_active`). */
export const dailyActiveVenues = pgTable(
  "daily_active_venues",
  {
    day: date("day").notNull(),
    venueId: uuid("venue_id").notNull(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: text("commune_code").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.venueId] })],
);

export const ANNOUNCEMENT_KINDS = ["announcement", "guidance", "measure"] as const;
export const ANNOUNCEMENT_STATUSES = ["draft", "published", "withdrawn"] as const;

/** What a province's steering committee publishes on its public situation page. */
export const announcements = pgTable(
  "announcements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    kind: text("kind", { enum: ANNOUNCEMENT_KINDS }).notNull().default("announcement"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ANNOUNCEMENT_STATUSES }).notNull().default("draft"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [index("announcements_public_idx").on(t.provinceCode, t.status, t.publishedAt)],
);

export type DailyStat = typeof dailyStats.$inferSelect;
export type Announcement = typeof announcements.$inferSelect;
