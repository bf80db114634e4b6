/** What tracing tells the public and the venues' officers: exposure notices and risky venues. */
import { and, eq, inArray, sql } from "drizzle-orm";
import { caseVisits, contacts, exposures, venues } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/service";
import { areaFilter } from "../auth/scope";
import { vnDay } from "../checkins/colour";
import type { Deps } from "../deps";
import { decodeCursor, encodeCursor } from "../http/pagination";
import type { SignedIn } from "./cases";

/**
 * Notices for the check-ins a phone remembers. Check-in ids are random and known only to the
 * phone that made them, so they prove the visit was the asker's. A notice says where and when,
 * never who the case was.
 */
export async function lookupNotices(deps: Deps, actor: Actor, checkinIds: string[]) {
  const rows = await deps.db
    .select({
      checkinId: exposures.checkinId,
      provinceCode: exposures.provinceCode,
      name: venues.name,
      address: venues.address,
      from: sql<string>`min(${exposures.overlapStart})`,
      to: sql<string>`max(${exposures.overlapEnd})`,
      quarantineUntil: sql<string>`max(${contacts.quarantineUntil})::text`,
      status: sql<string>`(array_agg(${contacts.status} order by ${contacts.updatedAt} desc))[1]`,
    })
    .from(exposures)
    .innerJoin(contacts, eq(contacts.id, exposures.contactId))
    .innerJoin(venues, and(eq(venues.id, exposures.venueId), eq(venues.provinceCode, exposures.provinceCode)))
    .where(inArray(exposures.checkinId, [...new Set(checkinIds)]))
    .groupBy(exposures.checkinId, exposures.provinceCode, venues.name, venues.address);
  const items = rows.map((r) => {
    const from = new Date(r.from);
    return {
      checkinId: r.checkinId,
      venue: { name: r.name, address: r.address },
      day: vnDay(from),
      from: from.toISOString(),
      to: new Date(r.to).toISOString(),
      quarantineUntil: r.quarantineUntil,
      status: r.status as (typeof contacts.$inferSelect)["status"],
    };
  });
  if (items.length)
    await recordAudit(deps, actor, {
      action: "exposure.lookup",
      subjectType: "checkin",
      area: { provinceCode: rows[0]!.provinceCode, communeCode: null },
      details: { asked: checkinIds.length, found: items.length },
    });
  return { items };
}

/** Venues of the caller's area a case visited in the last `days`, the most recent first. */
export async function riskyVenues(deps: Deps, actor: SignedIn, input: { days: number; communeCode?: string | undefined; limit: number; cursor?: string | undefined }) {
  const since = new Date(deps.now().getTime() - input.days * 86400_000);
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  const scope = areaFilter(actor.user, { provinceCode: caseVisits.provinceCode, communeCode: caseVisits.communeCode });
  const grouped = deps.db
    .select({
      venueId: caseVisits.venueId,
      provinceCode: caseVisits.provinceCode,
      cases: sql<number>`count(distinct ${caseVisits.caseId})::int`.as("cases"),
      visits: sql<number>`count(*)::int`.as("visits"),
      lastVisitAt: sql<Date>`max(${caseVisits.visitStart})`.as("last_visit_at"),
    })
    .from(caseVisits)
    .where(
      and(
        scope,
        sql`${caseVisits.visitStart} >= ${since.toISOString()}::timestamptz`,
        input.communeCode ? eq(caseVisits.communeCode, input.communeCode) : undefined,
      ),
    )
    .groupBy(caseVisits.venueId, caseVisits.provinceCode)
    .as("g");
  const rows = await deps.db
    .select({
      venueId: grouped.venueId,
      name: venues.name,
      address: venues.address,
      provinceCode: grouped.provinceCode,
      communeCode: venues.communeCode,
      cases: grouped.cases,
      visits: grouped.visits,
      lastVisitAt: grouped.lastVisitAt,
      contacts: sql<number>`(select count(distinct e.contact_id)::int from exposures e where e.venue_id = ${grouped.venueId})`,
    })
    .from(grouped)
    .innerJoin(venues, and(eq(venues.id, grouped.venueId), eq(venues.provinceCode, grouped.provinceCode)))
    .where(after ? sql`(${grouped.lastVisitAt}, ${grouped.venueId}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined)
    .orderBy(sql`${grouped.lastVisitAt} desc`, sql`${grouped.venueId} desc`)
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const items = rows.slice(0, input.limit).map((r) => ({
    ...r,
    cases: Number(r.cases),
    visits: Number(r.visits),
    contacts: Number(r.contacts),
    lastVisitAt: new Date(r.lastVisitAt).toISOString(),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.lastVisitAt, last.venueId]) : null };
}
