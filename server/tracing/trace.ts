/**
 * One hop of a trace, as ONE set-based query: the sources' visits in their windows (index
 * checkins(person_id, checked_in_at)), each joined laterally to the same venue's check-ins in a
 * bounded time range (index checkins(venue_id, checked_in_at)). The bound is what makes it an
 * index range scan: no visit counts longer than TRACE_MAX_VISIT_MINUTES, so a visit overlapping
 * [a1, a2] ± margin checked in after a1 − max − margin. The same statement finds the case's
 * other records (same human) and leaves out active cases, so a hop is one round trip. Rules in
 * docs/TRACING.md.
 */
import { pgArray } from "../../db/client";
import type { Deps } from "../deps";
import { RECORDS_LIMIT, SAME_HUMAN } from "./people";

export interface HopSource {
  personId: string;
  from: Date;
  to: Date;
  /** Carried through to the result (the F1 contact id for an F2 hop). */
  tag: string;
}

export interface HopRow {
  sourceCheckinId: string;
  sourcePersonId: string;
  tag: string;
  venueId: string;
  venueName: string;
  provinceCode: string;
  communeCode: string | null;
  /** The source's visit, clipped to its window. */
  visitStart: Date;
  visitEnd: Date;
  /** Null when nobody overlapped this visit. */
  contact: null | {
    checkinId: string;
    personId: string;
    overlapStart: Date;
    overlapEnd: Date;
    minutes: number;
  };
}

const HOP_SQL = `
with self as materialized (
  select $9::uuid as id
  union
  (select p2.id from people p1 join people p2 on ${SAME_HUMAN} where p1.id = $9 and p1.phone is not null limit ${RECORDS_LIMIT})
), src as (
  select * from unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::text[]) as s(person_id, ws, we, tag)
  union all
  select id, $10::timestamptz, $11::timestamptz, '' from self where $10::timestamptz is not null
), excluded as materialized (
  select id from self union select unnest($8::uuid[])
), visits as materialized (
  select c.id as checkin_id, c.venue_id, c.province_code, s.person_id as source_person, s.tag,
    greatest(c.checked_in_at, s.ws) as a1,
    least(coalesce(c.checked_out_at, c.checked_in_at + $5::interval), c.checked_in_at + $6::interval, s.we) as a2
  from src s
  join checkins c on c.person_id = s.person_id and c.checked_in_at >= s.ws - $6::interval and c.checked_in_at < s.we
)
select v.checkin_id, v.source_person, v.tag, v.venue_id, ve.name as venue_name, v.province_code, ve.commune_code,
  v.a1, v.a2, h.id as contact_checkin, h.person_id as contact_person, h.b1, h.b2
from visits v
join venues ve on ve.id = v.venue_id and ve.province_code = v.province_code
left join lateral (
  select c2.id, c2.person_id, c2.checked_in_at as b1,
    least(coalesce(c2.checked_out_at, c2.checked_in_at + $5::interval), c2.checked_in_at + $6::interval) as b2
  from checkins c2
  where c2.venue_id = v.venue_id and c2.province_code = v.province_code
    and c2.checked_in_at >= v.a1 - $6::interval - $7::interval
    and c2.checked_in_at < v.a2 + $7::interval
    and least(coalesce(c2.checked_out_at, c2.checked_in_at + $5::interval), c2.checked_in_at + $6::interval) > v.a1 - $7::interval
    and c2.person_id <> all(array(select id from excluded))
    and not exists (select 1 from cases k where k.person_id = c2.person_id and k.status = 'active')
) h on true
where v.a2 > v.a1
order by v.a1, v.checkin_id, h.b1`;

interface RawRow {
  checkin_id: string;
  source_person: string;
  tag: string;
  venue_id: string;
  venue_name: string;
  province_code: string;
  commune_code: string | null;
  a1: Date | string;
  a2: Date | string;
  contact_checkin: string | null;
  contact_person: string | null;
  b1: Date | string | null;
  b2: Date | string | null;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const minutes = (ms: number) => `${Math.round(ms / 60_000)} minutes`;

/**
 * What a hop starts from. Degree 1: the case's person and every record of the same human
 * (people.ts, SAME_HUMAN), over the infectious window. Degree 2: the F1s, each from its own
 * first exposure. Never found: the case's person and records, `exclude`, and anyone who is an
 * active case.
 */
export type HopStart =
  | { casePersonId: string; window: { from: Date; to: Date } }
  | { casePersonId: string; sources: HopSource[]; exclude: string[] };

export async function runHop(deps: Deps, start: HopStart, marginMinutes: number): Promise<HopRow[]> {
  const sources = "sources" in start ? start.sources : [];
  if ("sources" in start && !sources.length) return [];
  const window = "window" in start ? start.window : null;
  const { config } = deps;
  const rows = await deps.database.runGeneric<RawRow>(HOP_SQL, [
    pgArray(sources.map((s) => s.personId)),
    pgArray(sources.map((s) => s.from.toISOString())),
    pgArray(sources.map((s) => s.to.toISOString())),
    pgArray(sources.map((s) => s.tag)),
    minutes(config.checkinDwellMinutes * 60_000),
    minutes(config.traceMaxVisitMinutes * 60_000),
    minutes(marginMinutes * 60_000),
    pgArray("exclude" in start ? start.exclude : []),
    start.casePersonId,
    window?.from.toISOString() ?? null,
    window?.to.toISOString() ?? null,
  ]);
  return rows.map((r) => {
    const visitStart = asDate(r.a1);
    const visitEnd = asDate(r.a2);
    let contact: HopRow["contact"] = null;
    if (r.contact_checkin && r.contact_person && r.b1 && r.b2) {
      const b1 = asDate(r.b1);
      const b2 = asDate(r.b2);
      const overlapStart = new Date(Math.max(visitStart.getTime(), b1.getTime()));
      const overlapEnd = new Date(Math.max(overlapStart.getTime(), Math.min(visitEnd.getTime(), b2.getTime())));
      contact = {
        checkinId: r.contact_checkin,
        personId: r.contact_person,
        overlapStart,
        overlapEnd,
        minutes: Math.floor((overlapEnd.getTime() - overlapStart.getTime()) / 60_000),
      };
    }
    return {
      sourceCheckinId: r.checkin_id,
      sourcePersonId: r.source_person,
      tag: r.tag,
      venueId: r.venue_id,
      venueName: r.venue_name,
      provinceCode: r.province_code,
      communeCode: r.commune_code,
      visitStart,
      visitEnd,
      contact,
    };
  });
}
