import { date, index, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
import { area, timestamps } from "./columns";

/**
 * A person known to the platform (citizen, visitor typed in at a door, vaccinee, case).
 * The ID number is kept only as a keyed hash (HMAC), never in clear.
 */
export const people = pgTable(
  "people",
  {
    id: uuid("id").notNull().defaultRandom(),
    ...area,
    fullName: text("full_name").notNull(),
    birthDate: date("birth_date"),
    birthYear: smallint("birth_year"),
    sex: text("sex", { enum: ["male", "female", "other"] }),
    phone: text("phone"),
    idNumberHash: text("id_number_hash"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.provinceCode, t.id] }),
    index("people_id_idx").on(t.id),
    index("people_phone_idx").on(t.phone),
    index("people_id_number_idx").on(t.idNumberHash),
  ],
);

export type Person = typeof people.$inferSelect;
