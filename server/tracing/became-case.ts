/**
 * A contact's person became a case: by a positive test (server/testing/results/positive.ts), by
 * confirming the contact (contacts.ts#confirmContact) or by registering a case for the person by
 * hand (cases.ts#createCase). One transition for the three.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { contacts, OPEN_CONTACT_STATUSES } from "../../db/schema";

/** The person's open contacts, of any case and province, the most recent exposure first (the first is the likeliest source). */
export function openContactsOf(db: Db, personId: string) {
  return db
    .select({ id: contacts.id, caseId: contacts.caseId })
    .from(contacts)
    .where(and(eq(contacts.personId, personId), inArray(contacts.status, [...OPEN_CONTACT_STATUSES])))
    .orderBy(desc(contacts.lastExposureAt), desc(contacts.id));
}

/**
 * Contacts whose person became a case: marked `became_f0`, and the F2s found through `source` (the
 * contact the case came from) become the new case's F1s.
 */
export async function contactsBecameCase(db: Db, ids: string[], source: string, made: { id: string; provinceCode: string }, now: Date) {
  await db.update(contacts).set({ status: "became_f0", updatedAt: now }).where(inArray(contacts.id, ids));
  await db
    .update(contacts)
    .set({ caseId: made.id, caseProvinceCode: made.provinceCode, degree: 1, viaContactId: null, updatedAt: now })
    .where(eq(contacts.viaContactId, source));
}
