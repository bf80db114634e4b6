import { boolean, char, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";

import { ROLES } from "../../server/auth/roles";
export { ROLES, type Role } from "../../server/auth/roles";

/** Accounts of the platform. Everyone but citizens and national admins carries an area. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull().unique(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    provinceCode: char("province_code", { length: 2 }),
    communeCode: char("commune_code", { length: 5 }),
    disabled: boolean("disabled").notNull().default(false),
    /** A citizen's own person record (profile, check-ins, declarations); null for officers. */
    personId: uuid("person_id"),
    createdBy: uuid("created_by"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("users_area_idx").on(t.provinceCode, t.communeCode, t.username), index("users_person_idx").on(t.personId)],
);

/**
 * Refresh tokens, stored as SHA-256 hashes. Tokens rotate on use; a token of the same
 * family presented after rotation or logout revokes the whole family (reuse detection).
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    familyId: uuid("family_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("refresh_tokens_user_idx").on(t.userId), index("refresh_tokens_family_idx").on(t.familyId)],
);

export type User = typeof users.$inferSelect;
