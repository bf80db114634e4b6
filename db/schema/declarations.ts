import { boolean, char, date, index, jsonb, pgTable, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { area } from "./columns";

export const DECLARATION_KINDS = ["domestic", "entry", "venue"] as const;
export const SYMPTOMS = ["fever", "cough", "breathless", "sore_throat", "taste_smell_loss", "fatigue"] as const;
export const TRAVEL_MEANS = ["car", "motorbike", "bus", "train", "plane", "ship", "other"] as const;
/** none → nothing to do; watch → the commune keeps an eye; follow_up → on the commune team's worklist. */
export const RISK_LEVELS = ["none", "watch", "follow_up"] as const;
export const DECLARATION_REVIEW = ["new", "contacted", "closed"] as const;

/**
 * An electronic health declaration (tờ khai y tế), as filed: the person's details at the time, the
 * 14-day symptoms and exposures, the travel. Its area is the commune the person declares to
 * live in (for an entry declaration, the commune of destination). The server classifies the risk
 * (server/declarations/risk.ts) and risky declarations go to the commune team's worklist.
 */
export const declarations = pgTable(
  "declarations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    personId: uuid("person_id").notNull(),
    /** The citizen account that filed it (for a family member, the parent's account). */
    filedBy: uuid("filed_by"),
    kind: text("kind", { enum: DECLARATION_KINDS }).notNull(),
    venueId: uuid("venue_id"),
    fullName: text("full_name").notNull(),
    birthYear: smallint("birth_year").notNull(),
    sex: text("sex", { enum: ["male", "female", "other"] }),
    nationality: char("nationality", { length: 2 }).notNull().default("VN"),
    idNumberHash: text("id_number_hash"),
    phone: text("phone"),
    address: text("address"),
    symptoms: text("symptoms").array().notNull().default([]),
    contactWithCase: boolean("contact_with_case").notNull().default(false),
    fromOutbreakArea: boolean("from_outbreak_area").notNull().default(false),
    contactWithSymptomatic: boolean("contact_with_symptomatic").notNull().default(false),
    /** Travel and entry details: means, route, departure, flight, port of entry (validated by zod). */
    travel: jsonb("travel"),
    placesVisited: text("places_visited"),
    risk: text("risk", { enum: RISK_LEVELS }).notNull(),
    riskReasons: text("risk_reasons").array().notNull().default([]),
    review: text("review", { enum: DECLARATION_REVIEW }).notNull().default("new"),
    reviewNote: text("review_note"),
    day: date("day").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("declarations_area_idx").on(t.provinceCode, t.communeCode, t.day),
    index("declarations_risk_idx").on(t.provinceCode, t.risk, t.createdAt),
    index("declarations_person_idx").on(t.personId, t.createdAt),
  ],
);

export type Declaration = typeof declarations.$inferSelect;
