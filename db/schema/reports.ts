import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { area } from "./columns";

export const REPORT_KINDS = ["suspected_case", "arrival_from_outbreak", "violation", "other"] as const;
export const REPORT_STATUSES = ["new", "checking", "resolved", "unfounded"] as const;

/**
 * A community report (phản ánh): anyone, signed in or not, tells the commune about a suspected
 * case, someone arriving from an outbreak area, or a violation. The reporter follows it with the
 * receipt code; the commune and province teams work it in their inbox.
 */
export const reports = pgTable(
  "reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    receipt: text("receipt").notNull().unique(),
    kind: text("kind", { enum: REPORT_KINDS }).notNull(),
    description: text("description").notNull(),
    place: text("place"),
    reporterName: text("reporter_name"),
    reporterPhone: text("reporter_phone"),
    reporterUserId: uuid("reporter_user_id"),
    status: text("status", { enum: REPORT_STATUSES }).notNull().default("new"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("reports_area_idx").on(t.provinceCode, t.communeCode, t.status, t.createdAt)],
);

/** The team's notes on a report, each possibly moving its status. */
export const reportNotes = pgTable(
  "report_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reportId: uuid("report_id").notNull(),
    authorUserId: uuid("author_user_id"),
    authorName: text("author_name"),
    note: text("note").notNull(),
    status: text("status", { enum: REPORT_STATUSES }),
    /** Shown to the reporter who follows the receipt code. */
    isPublic: boolean("is_public").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("report_notes_report_idx").on(t.reportId, t.createdAt)],
);

export type Report = typeof reports.$inferSelect;
