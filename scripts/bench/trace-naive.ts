/**
 * The baseline of bench:trace: the same F1 answer as the server's hop (server/tracing/trace.ts),
 * by the naive plan the old systems used — one query for the case's visits, then ONE QUERY PER
 * VISIT for the check-ins at that venue around it, the overlaps worked out in the client. Same
 * rules (docs/TRACING.md): the case's other records (same human), the infectious window, a visit
 * without check-out lasting the dwell, no visit longer than TRACE_MAX_VISIT_MINUTES, the margin,
 * active cases left out; same indexes. Only the shape differs: a round trip per visit instead of
 * one set-based statement. Timed from the first query to the last answer, on one connection.
 */
import type postgres from "postgres";
import { pgArray } from "../../db/client";
import { RECORDS_LIMIT, SAME_HUMAN } from "../../server/tracing/people";

export interface TraceRules {
  dwellMinutes: number;
  maxVisitMinutes: number;
  marginMinutes: number;
}

export interface NaiveAnswer {
  ms: number;
  queries: number;
  /** The F1s found: person ids. */
  f1: Set<string>;
}

const MINUTE = 60_000;

interface Visit {
  venue_id: string;
  province_code: string;
  checked_in_at: Date;
  checked_out_at: Date | null;
}

/** [start, end) of a visit under the rules: no check-out lasts the dwell, none lasts longer than the cap. */
function visitEnd(v: Visit, rules: TraceRules): number {
  const start = v.checked_in_at.getTime();
  const end = v.checked_out_at ? v.checked_out_at.getTime() : start + rules.dwellMinutes * MINUTE;
  return Math.min(end, start + rules.maxVisitMinutes * MINUTE);
}

export async function naiveF1(sql: postgres.Sql, personId: string, window: { from: Date; to: Date }, rules: TraceRules): Promise<NaiveAnswer> {
  const started = performance.now();
  let queries = 0;
  const records = await sql.unsafe<{ id: string }[]>(
    `select $1::uuid as id union (select p2.id from people p1 join people p2 on ${SAME_HUMAN} where p1.id = $1 and p1.phone is not null limit ${RECORDS_LIMIT})`,
    [personId],
  );
  queries++;
  const self = records.map((r) => r.id);
  const maxMs = rules.maxVisitMinutes * MINUTE;
  const marginMs = rules.marginMinutes * MINUTE;
  const visits = await sql.unsafe<Visit[]>(
    `select venue_id, province_code, checked_in_at, checked_out_at from checkins
      where person_id = any($1::uuid[]) and checked_in_at >= $2 and checked_in_at < $3`,
    [pgArray(self), new Date(window.from.getTime() - maxMs).toISOString(), window.to.toISOString()],
  );
  queries++;
  const candidates = new Set<string>();
  for (const v of visits) {
    const a1 = Math.max(v.checked_in_at.getTime(), window.from.getTime());
    const a2 = Math.min(visitEnd(v, rules), window.to.getTime());
    if (a2 <= a1) continue;
    const others = await sql.unsafe<(Visit & { person_id: string })[]>(
      `select person_id, venue_id, province_code, checked_in_at, checked_out_at from checkins
        where venue_id = $1 and province_code = $2 and checked_in_at >= $3 and checked_in_at < $4 and person_id <> all($5::uuid[])`,
      [v.venue_id, v.province_code, new Date(a1 - maxMs - marginMs).toISOString(), new Date(a2 + marginMs).toISOString(), pgArray(self)],
    );
    queries++;
    for (const o of others) if (visitEnd(o, rules) > a1 - marginMs) candidates.add(o.person_id);
  }
  let f1 = candidates;
  if (candidates.size) {
    const cased = await sql.unsafe<{ person_id: string }[]>(`select person_id from cases where person_id = any($1::uuid[]) and status = 'active'`, [pgArray([...candidates])]);
    queries++;
    const out = new Set(cased.map((c) => c.person_id));
    f1 = new Set([...candidates].filter((p) => !out.has(p)));
  }
  return { ms: performance.now() - started, queries, f1 };
}
