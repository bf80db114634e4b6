import { boolean, char, date, index, integer, pgTable, real, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { area, timestamps } from "./columns";

export const CASE_STATUSES = ["active", "recovered", "died"] as const;
export const CONFIRMATION_METHODS = ["pcr", "rapid_antigen", "clinical"] as const;
export const CONTACT_SOURCES = ["venue", "household", "workplace", "declared"] as const;
export const CONTACT_STATUSES = ["identified", "notified", "quarantined", "tested_negative", "became_f0", "released"] as const;
/** Contacts still followed up by their commune team. */
export const OPEN_CONTACT_STATUSES = ["identified", "notified", "quarantined", "tested_negative"] as const;

/**
 * A confirmed case (F0). Its area is where the person lives (or was registered), which decides
 * who may open and trace it. The infectious window runs from symptom onset − N days (or sample
 * date − M days) to isolation (server/tracing/window.ts).
 */
export const cases = pgTable(
  "cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    personId: uuid("person_id").notNull(),
    confirmedOn: date("confirmed_on").notNull(),
    method: text("method", { enum: CONFIRMATION_METHODS }).notNull(),
    symptomOnset: date("symptom_onset"),
    sampleDate: date("sample_date"),
    isolatedAt: timestamp("isolated_at", { withTimezone: true }),
    treatmentPlace: text("treatment_place"),
    status: text("status", { enum: CASE_STATUSES }).notNull().default("active"),
    /** The contact record this case grew from (who infected whom), when it was one. */
    sourceContactId: uuid("source_contact_id"),
    sourceCaseId: uuid("source_case_id"),
    /** The positive test sample this case was opened from (one case per sample, however often the result is recorded). */
    sourceSampleId: uuid("source_sample_id"),
    notes: text("notes"),
    tracedAt: timestamp("traced_at", { withTimezone: true }),
    tracedDegree: smallint("traced_degree").notNull().default(0),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [
    index("cases_area_idx").on(t.provinceCode, t.communeCode, t.createdAt),
    index("cases_person_idx").on(t.personId),
    index("cases_source_case_idx").on(t.sourceCaseId),
    uniqueIndex("cases_source_sample_idx").on(t.sourceSampleId),
  ],
);

/**
 * A close contact (F1 or F2) of a case. Its area is the team that follows it up: the venue's
 * commune for a contact made at a venue (so an F0 of province A who visited a venue in B gives
 * B's team those F1s), the person's commune for household, workplace and declared contacts.
 * One row per (case, person); every overlap found is kept in `exposures`.
 */
export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    caseId: uuid("case_id").notNull(),
    caseProvinceCode: char("case_province_code", { length: 2 }).notNull(),
    personId: uuid("person_id").notNull(),
    degree: smallint("degree").notNull(),
    source: text("source", { enum: CONTACT_SOURCES }).notNull(),
    /** For an F2: the F1 contact it was exposed to. */
    viaContactId: uuid("via_contact_id"),
    venueId: uuid("venue_id"),
    firstExposureAt: timestamp("first_exposure_at", { withTimezone: true }).notNull(),
    lastExposureAt: timestamp("last_exposure_at", { withTimezone: true }).notNull(),
    minutesTogether: integer("minutes_together").notNull().default(0),
    status: text("status", { enum: CONTACT_STATUSES }).notNull().default("identified"),
    quarantineUntil: date("quarantine_until").notNull(),
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
    notes: text("notes"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("contacts_case_person_idx").on(t.caseId, t.personId),
    index("contacts_area_idx").on(t.provinceCode, t.communeCode, t.status, t.quarantineUntil),
    index("contacts_person_idx").on(t.personId),
    index("contacts_via_idx").on(t.viaContactId),
  ],
);

/**
 * The evidence of a venue contact: the source's visit and the contact's visit at the same venue,
 * overlapping (± margin). `checkin_id` is the contact's own check-in, which is how a phone asks
 * for its exposure notices without an account (server/tracing/notices.ts).
 */
export const exposures = pgTable(
  "exposures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id").notNull(),
    caseId: uuid("case_id").notNull(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    venueId: uuid("venue_id").notNull(),
    checkinId: uuid("checkin_id").notNull(),
    sourceCheckinId: uuid("source_checkin_id").notNull(),
    overlapStart: timestamp("overlap_start", { withTimezone: true }).notNull(),
    overlapEnd: timestamp("overlap_end", { withTimezone: true }).notNull(),
    minutes: integer("minutes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("exposures_pair_idx").on(t.contactId, t.checkinId, t.sourceCheckinId),
    index("exposures_checkin_idx").on(t.checkinId),
    index("exposures_case_idx").on(t.caseId),
  ],
);

/** A visit of a case during its infectious window: what makes a venue "risky" for its officers. */
export const caseVisits = pgTable(
  "case_visits",
  {
    caseId: uuid("case_id").notNull(),
    ...area,
    venueId: uuid("venue_id").notNull(),
    checkinId: uuid("checkin_id").notNull(),
    visitStart: timestamp("visit_start", { withTimezone: true }).notNull(),
    visitEnd: timestamp("visit_end", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("case_visits_pk").on(t.caseId, t.checkinId),
    index("case_visits_area_idx").on(t.provinceCode, t.communeCode, t.visitStart),
    index("case_visits_venue_idx").on(t.venueId, t.visitStart),
  ],
);

/** A commune team's daily call to a contact. */
export const followUps = pgTable(
  "follow_ups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    contactId: uuid("contact_id").notNull(),
    day: date("day").notNull(),
    reached: boolean("reached").notNull(),
    temperature: real("temperature"),
    symptoms: text("symptoms").array().notNull().default([]),
    note: text("note"),
    recordedBy: uuid("recorded_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("follow_ups_contact_day_idx").on(t.contactId, t.day)],
);

export type Case = typeof cases.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type FollowUp = typeof followUps.$inferSelect;
