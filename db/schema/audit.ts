import { bigint, char, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Who read or changed which personal data, and every login. Rows carry the area of the
 * subject, so officers see the audit trail of their own area only.
 * province_code "00" marks national-level events (e.g. a national admin's own login).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    actorUsername: text("actor_username"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id"),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: char("commune_code", { length: 5 }),
    ip: text("ip"),
    requestId: text("request_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_log_area_at_idx").on(t.provinceCode, t.at),
    index("audit_log_subject_idx").on(t.subjectType, t.subjectId),
    index("audit_log_actor_idx").on(t.actorUserId, t.at),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
