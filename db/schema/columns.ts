import { char, timestamp } from "drizzle-orm/pg-core";

/** When a row was created and last changed. */
export const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

/**
 * The area a row belongs to. Every table of personal data carries it: it is the
 * scope filter (server/auth/scope.ts) and the Citus distribution column (docs/SCALING.md).
 */
export const area = {
  provinceCode: char("province_code", { length: 2 }).notNull(),
  communeCode: char("commune_code", { length: 5 }),
};
