import { boolean, char, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { area, timestamps } from "./columns";

/** Who gets a dose first (Resolution 21/NQ-CP order, simplified). */
export const PRIORITY_GROUPS = [
  "health_worker",
  "frontline",
  "elderly",
  "chronic_disease",
  "pregnant",
  "general",
] as const;
export const SITE_STATUSES = ["active", "closed"] as const;
export const APPOINTMENT_STATUSES = ["registered", "booked", "checked_in", "vaccinated", "cancelled", "no_show"] as const;
export const DOSE_SOURCES = ["recorded", "import"] as const;
export const ADVERSE_SEVERITIES = ["mild", "moderate", "severe", "serious"] as const;
export const ADVERSE_STATUSES = ["open", "following_up", "resolved"] as const;
export const IMPORT_STATUSES = ["previewed", "committed", "discarded"] as const;

/**
 * A vaccine product (reference data, seeded from DOMAIN.md). `mixableWith` lists the products
 * that may give the next dose of the primary series after this one (policy); boosters may use
 * any product whose `boosterAllowed` is set.
 */
export const vaccineProducts = pgTable("vaccine_products", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  manufacturer: text("manufacturer").notNull(),
  /** CVX code (http://hl7.org/fhir/sid/cvx), the vaccineCode in certificates. */
  cvx: text("cvx").notNull(),
  primaryDoses: smallint("primary_doses").notNull(),
  minIntervalDays: smallint("min_interval_days").notNull(),
  mixableWith: text("mixable_with").array().notNull().default([]),
  boosterAllowed: boolean("booster_allowed").notNull().default(true),
  active: boolean("active").notNull().default(true),
});

/** A lot (batch) of a product; a dose from an expired lot is refused. */
export const vaccineLots = pgTable(
  "vaccine_lots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    productCode: text("product_code").notNull(),
    lotNumber: text("lot_number").notNull(),
    expiresOn: date("expires_on").notNull(),
    dosesReceived: integer("doses_received"),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("vaccine_lots_number_idx").on(t.productCode, t.lotNumber), index("vaccine_lots_lot_idx").on(t.lotNumber)],
);

/** A place that vaccinates, in a commune, with a daily capacity. */
export const vaccinationSites = pgTable(
  "vaccination_sites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: char("commune_code", { length: 5 }).notNull(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    capacityPerDay: integer("capacity_per_day").notNull(),
    status: text("status", { enum: SITE_STATUSES }).notNull().default("active"),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [index("vaccination_sites_area_idx").on(t.provinceCode, t.communeCode, t.name)],
);

/** Which site_staff accounts work at which site. */
export const siteStaff = pgTable(
  "site_staff",
  {
    siteId: uuid("site_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.userId] }), index("site_staff_user_idx").on(t.userId)],
);

/** A bookable time slot a site publishes (e.g. 08:00–09:00, 40 people). */
export const vaccinationSlots = pgTable(
  "vaccination_slots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    siteId: uuid("site_id").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    capacity: integer("capacity").notNull(),
    booked: integer("booked").notNull().default(0),
    /** Product given in this slot, when the site says. */
    productCode: text("product_code"),
    ...timestamps,
  },
  (t) => [index("vaccination_slots_site_idx").on(t.siteId, t.startsAt)],
);

/**
 * A registration for a dose, then its booking into a slot. Its area is the site's when booked,
 * else the person's. `code` is the random secret the appointment QR carries.
 */
export const appointments = pgTable(
  "appointments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    personId: uuid("person_id").notNull(),
    doseNumber: smallint("dose_number").notNull(),
    priorityGroup: text("priority_group", { enum: PRIORITY_GROUPS }).notNull().default("general"),
    siteId: uuid("site_id"),
    slotId: uuid("slot_id"),
    status: text("status", { enum: APPOINTMENT_STATUSES }).notNull().default("registered"),
    code: text("code").notNull(),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }),
    vaccinationId: uuid("vaccination_id"),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("appointments_code_idx").on(t.code),
    index("appointments_person_idx").on(t.personId),
    index("appointments_site_idx").on(t.siteId, t.status),
    index("appointments_area_idx").on(t.provinceCode, t.communeCode, t.createdAt),
  ],
);

/**
 * A dose given. Its area is the site's (who recorded it); one row per (person, dose number).
 * Imported doses carry the import they came from.
 */
export const vaccinations = pgTable(
  "vaccinations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    personId: uuid("person_id").notNull(),
    productCode: text("product_code").notNull(),
    lotId: uuid("lot_id").notNull(),
    doseNumber: smallint("dose_number").notNull(),
    givenOn: date("given_on").notNull(),
    siteId: uuid("site_id").notNull(),
    vaccinator: text("vaccinator"),
    appointmentId: uuid("appointment_id"),
    source: text("source", { enum: DOSE_SOURCES }).notNull().default("recorded"),
    importId: uuid("import_id"),
    recordedBy: uuid("recorded_by"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("vaccinations_person_dose_idx").on(t.personId, t.doseNumber),
    index("vaccinations_area_day_idx").on(t.provinceCode, t.communeCode, t.givenOn),
    index("vaccinations_site_idx").on(t.siteId, t.givenOn),
  ],
);

/** A reaction after a dose (adverse event following immunization), followed up to resolution. */
export const adverseEvents = pgTable(
  "adverse_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    vaccinationId: uuid("vaccination_id").notNull(),
    personId: uuid("person_id").notNull(),
    onsetAt: timestamp("onset_at", { withTimezone: true }).notNull(),
    severity: text("severity", { enum: ADVERSE_SEVERITIES }).notNull(),
    symptoms: text("symptoms").array().notNull().default([]),
    description: text("description"),
    hospitalised: boolean("hospitalised").notNull().default(false),
    status: text("status", { enum: ADVERSE_STATUSES }).notNull().default("open"),
    outcome: text("outcome"),
    recordedBy: uuid("recorded_by"),
    ...timestamps,
  },
  (t) => [index("adverse_events_area_idx").on(t.provinceCode, t.communeCode, t.status, t.createdAt), index("adverse_events_vaccination_idx").on(t.vaccinationId)],
);

/** Follow-up notes on an adverse event. */
export const adverseEventNotes = pgTable(
  "adverse_event_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    adverseEventId: uuid("adverse_event_id").notNull(),
    note: text("note").notNull(),
    authorId: uuid("author_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("adverse_event_notes_event_idx").on(t.adverseEventId, t.createdAt)],
);

/**
 * A bulk import of dose records from CSV: uploaded and previewed first (nothing written to the
 * registry), then committed in one transaction or discarded. The file is kept until then.
 */
export const vaccinationImports = pgTable(
  "vaccination_imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    siteId: uuid("site_id").notNull(),
    fileName: text("file_name").notNull(),
    csv: text("csv"),
    status: text("status", { enum: IMPORT_STATUSES }).notNull().default("previewed"),
    totalRows: integer("total_rows").notNull().default(0),
    createRows: integer("create_rows").notNull().default(0),
    mergeRows: integer("merge_rows").notNull().default(0),
    rejectedRows: integer("rejected_rows").notNull().default(0),
    createdBy: uuid("created_by"),
    committedAt: timestamp("committed_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("vaccination_imports_area_idx").on(t.provinceCode, t.communeCode, t.createdAt)],
);

/** Revoked health cards, by `rid`, published per issuer key at /.well-known/crl/<kid>.json. */
export const certificateRevocations = pgTable(
  "certificate_revocations",
  {
    kid: text("kid").notNull(),
    rid: text("rid").notNull(),
    personId: uuid("person_id"),
    reason: text("reason"),
    revokedBy: uuid("revoked_by"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kid, t.rid] })],
);

export type VaccineProduct = typeof vaccineProducts.$inferSelect;
export type Vaccination = typeof vaccinations.$inferSelect;
