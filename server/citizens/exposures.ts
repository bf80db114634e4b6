/**
 * GET /api/me/exposures: the exposure notices of the account's person and its family, found
 * through contacts.person_id (no check-in ids needed, unlike the anonymous lookup of
 * server/tracing/notices.ts). Like those, a notice says where and when, never who the case was.
 */
import { and, desc, eq, gte, inArray } from "drizzle-orm";
import { contacts, venues } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/service";
import type { AuthUser } from "../auth/scope";
import { vnDay } from "../checkins/colour";
import type { Deps } from "../deps";
import { accountOf, familyIdsOf, peopleByIds, recordsByPerson } from "./account";

/** Notices stay listed this many days after the quarantine ended. */
const SHOWN_DAYS = 30;

export async function myExposures(deps: Deps, actor: Actor & { user: AuthUser }) {
  const { person } = await accountOf(deps, actor.user.id);
  const family = await peopleByIds(deps, await familyIdsOf(deps, actor.user.id));
  const byRecord = await recordsByPerson(deps, [{ person, own: true }, ...family.map((p) => ({ person: p, own: false }))]);
  const since = vnDay(new Date(deps.now().getTime() - SHOWN_DAYS * 86400_000));
  const rows = await deps.db
    .select({
      personId: contacts.personId,
      degree: contacts.degree,
      source: contacts.source,
      venueName: venues.name,
      venueAddress: venues.address,
      from: contacts.firstExposureAt,
      to: contacts.lastExposureAt,
      quarantineUntil: contacts.quarantineUntil,
      status: contacts.status,
    })
    .from(contacts)
    .leftJoin(venues, eq(venues.id, contacts.venueId))
    .where(and(inArray(contacts.personId, [...byRecord.keys()]), gte(contacts.quarantineUntil, since)))
    .orderBy(desc(contacts.lastExposureAt))
    .limit(200);
  const items = rows.map((r) => ({
    personId: byRecord.get(r.personId) ?? r.personId,
    degree: r.degree,
    source: r.source,
    venue: r.venueName !== null ? { name: r.venueName, address: r.venueAddress ?? "" } : null,
    day: vnDay(r.to),
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    quarantineUntil: r.quarantineUntil,
    status: r.status,
  }));
  await recordAudit(deps, actor, {
    action: "me.exposures.read",
    subjectType: "person",
    subjectId: person.id,
    area: { provinceCode: person.provinceCode, communeCode: person.communeCode },
    details: { people: 1 + family.length, found: items.length },
  });
  return { items };
}
