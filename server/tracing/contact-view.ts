/** How contacts are read and shown: one query for a page of contacts with person, venue and last follow-up. */
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { contacts, exposures, people, venues, type Contact } from "../../db/schema";
import { areaFilter, type AuthUser } from "../auth/scope";
import type { Deps } from "../deps";
import { pgArray } from "../../db/client";
import { personColumns, type PersonSummary } from "./people";

export const contactScope = (user: AuthUser) => areaFilter(user, { provinceCode: contacts.provinceCode, communeCode: contacts.communeCode });

const lastFollowUp = sql<string | null>`(select max(f.day)::text from follow_ups f where f.contact_id = ${contacts.id})`;

export interface ContactRow {
  c: Contact;
  person: PersonSummary | null;
  venueName: string | null;
  lastFollowUp: string | null;
}

/** Contacts matching `where`, in the given order, with what a list row shows. */
export async function selectContacts(deps: Deps, where: SQL | undefined, order: SQL[] = [asc(contacts.degree), desc(contacts.lastExposureAt), asc(contacts.id)], limit = 1000) {
  return deps.db
    .select({ c: contacts, person: personColumns, venueName: venues.name, lastFollowUp })
    .from(contacts)
    .leftJoin(people, eq(people.id, contacts.personId))
    .leftJoin(venues, eq(venues.id, contacts.venueId))
    .where(where)
    .orderBy(...order)
    .limit(limit) as Promise<ContactRow[]>;
}

export function presentContact(r: ContactRow) {
  const c = r.c;
  return {
    id: c.id,
    caseId: c.caseId,
    caseProvinceCode: c.caseProvinceCode,
    provinceCode: c.provinceCode,
    communeCode: c.communeCode,
    person: r.person ?? { id: c.personId, fullName: "?", phone: null, birthYear: null, provinceCode: c.provinceCode, communeCode: c.communeCode },
    degree: c.degree,
    source: c.source,
    viaContactId: c.viaContactId,
    venue: c.venueId ? { id: c.venueId, name: r.venueName ?? "?" } : null,
    firstExposureAt: c.firstExposureAt.toISOString(),
    lastExposureAt: c.lastExposureAt.toISOString(),
    minutesTogether: c.minutesTogether,
    status: c.status,
    quarantineUntil: c.quarantineUntil,
    notifiedAt: c.notifiedAt?.toISOString() ?? null,
    notes: c.notes,
    lastFollowUp: r.lastFollowUp,
    createdAt: c.createdAt.toISOString(),
  };
}

/**
 * The evidence of contacts, keyed by contact id: of the given contacts, one index range each and
 * one statement text whatever their number (`contact_id = any($1)`, index exposures_pair_idx).
 */
export async function exposuresOf(deps: Deps, contactIds: readonly string[]) {
  const byContact = new Map<string, { venueId: string; venueName: string; provinceCode: string; overlapStart: string; overlapEnd: string; minutes: number }[]>();
  const rows = await deps.db
    .select({ e: exposures, venueName: venues.name })
    .from(exposures)
    .leftJoin(venues, and(eq(venues.id, exposures.venueId), eq(venues.provinceCode, exposures.provinceCode)))
    .where(sql`${exposures.contactId} = any(${pgArray(contactIds)}::uuid[])`)
    .orderBy(asc(exposures.overlapStart));
  for (const { e, venueName } of rows) {
    let list = byContact.get(e.contactId);
    if (!list) byContact.set(e.contactId, (list = []));
    list.push({
      venueId: e.venueId,
      venueName: venueName ?? "?",
      provinceCode: e.provinceCode,
      overlapStart: e.overlapStart.toISOString(),
      overlapEnd: e.overlapEnd.toISOString(),
      minutes: e.minutes,
    });
  }
  return byContact;
}
