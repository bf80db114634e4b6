/** How contacts are read and shown: one query for a page of contacts with person, venue and last follow-up. */
import { asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { contacts, people, venues, type Contact } from "../../db/schema";
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

const BY_DEGREE = [asc(contacts.degree), desc(contacts.lastExposureAt), asc(contacts.id)];

/** Contacts matching `where`, in the given order, with what a list row shows. */
export async function selectContacts(deps: Deps, where: SQL | undefined, order: SQL[] = BY_DEGREE, limit = 1000) {
  return deps.db
    .select({ c: contacts, person: personColumns, venueName: venues.name, lastFollowUp })
    .from(contacts)
    .leftJoin(people, eq(people.id, contacts.personId))
    .leftJoin(venues, eq(venues.id, contacts.venueId))
    .where(where)
    .orderBy(...order)
    .limit(limit) as Promise<ContactRow[]>;
}

/**
 * The same rows as selectContacts for a `where` and `order` on the contacts' own columns, with the
 * page picked from contacts alone (a top-N of their ids) before anything is joined: a case with
 * thousands of contacts joins people, venues and follow-ups for the page's rows only.
 */
export async function selectContactPage(deps: Deps, where: SQL | undefined, order: SQL[] = BY_DEGREE, limit = 1000) {
  // A join with the page (not `id = any(…)`): index probes by primary key whatever the table's
  // statistics say (a young contacts table, not yet analysed, is otherwise scanned whole).
  const page = deps.db.select({ id: contacts.id }).from(contacts).where(where).orderBy(...order).limit(limit).as("page");
  return deps.db
    .select({ c: contacts, person: personColumns, venueName: venues.name, lastFollowUp })
    .from(page)
    .innerJoin(contacts, eq(contacts.id, page.id))
    .leftJoin(people, eq(people.id, contacts.personId))
    .leftJoin(venues, eq(venues.id, contacts.venueId))
    .orderBy(...order) as Promise<ContactRow[]>;
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
 * The evidence of contacts, keyed by contact id: one statement text whatever their number, the ids
 * joined as a set (`unnest`), so each is an index range of exposures_pair_idx — or, on a young
 * table with no statistics yet, one hash probe per row, never a scan comparing every row with
 * every id as `contact_id = any($1)` can plan.
 */
const EXPOSURES_SQL = `
select e.contact_id, e.venue_id, v.name as venue_name, e.province_code, e.overlap_start, e.overlap_end, e.minutes
from unnest($1::uuid[]) as k(id)
join exposures e on e.contact_id = k.id
left join venues v on v.id = e.venue_id and v.province_code = e.province_code
order by e.overlap_start, e.id`;

export interface Evidence {
  venueId: string;
  venueName: string;
  provinceCode: string;
  overlapStart: string;
  overlapEnd: string;
  minutes: number;
}

export async function exposuresOf(deps: Deps, contactIds: readonly string[]) {
  const byContact = new Map<string, Evidence[]>();
  if (!contactIds.length) return byContact;
  const rows = await deps.database.run<{
    contact_id: string;
    venue_id: string;
    venue_name: string | null;
    province_code: string;
    overlap_start: Date | string;
    overlap_end: Date | string;
    minutes: number;
  }>(EXPOSURES_SQL, [pgArray(contactIds)]);
  const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
  for (const e of rows) {
    let list = byContact.get(e.contact_id);
    if (!list) byContact.set(e.contact_id, (list = []));
    list.push({
      venueId: e.venue_id,
      venueName: e.venue_name ?? "?",
      provinceCode: e.province_code,
      overlapStart: iso(e.overlap_start),
      overlapEnd: iso(e.overlap_end),
      minutes: Number(e.minutes),
    });
  }
  return byContact;
}
