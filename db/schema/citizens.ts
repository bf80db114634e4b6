import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const FAMILY_RELATIONS = ["child", "parent", "grandparent", "spouse", "sibling", "other"] as const;

/**
 * One-time sign-in codes sent by SMS. Only a keyed hash of the code is kept; a code expires after
 * a few minutes and allows a few attempts; sends are limited per phone and per address.
 */
export const otpCodes = pgTable(
  "otp_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phone: text("phone").notNull(),
    codeHash: text("code_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("otp_codes_phone_idx").on(t.phone, t.createdAt), index("otp_codes_ip_idx").on(t.ip, t.createdAt)],
);

/** People a citizen declares for: children, elderly parents without phones. */
export const familyMembers = pgTable(
  "family_members",
  {
    userId: uuid("user_id").notNull(),
    personId: uuid("person_id").notNull(),
    relation: text("relation", { enum: FAMILY_RELATIONS }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.personId] }), index("family_members_person_idx").on(t.personId)],
);
