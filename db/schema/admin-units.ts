import { char, index, integer, pgTable, text } from "drizzle-orm/pg-core";

/** Provinces (level "province", 2-digit code) and communes/wards (level "commune", 5-digit code). */
export const adminUnits = pgTable(
  "admin_units",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    level: text("level", { enum: ["province", "commune"] }).notNull(),
    parentCode: char("parent_code", { length: 2 }),
    population: integer("population"),
  },
  (t) => [index("admin_units_parent_idx").on(t.parentCode, t.name)],
);

export type AdminUnit = typeof adminUnits.$inferSelect;
