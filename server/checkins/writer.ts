/**
 * The durable check-in writer. Concurrent check-ins are coalesced into one transaction (group
 * commit): while one batch commits, the next fills up, so under load many check-ins share one
 * commit and at low load none waits. A check-in is acknowledged only after its batch commits.
 * Idempotency: the phone's id goes into checkin_keys first; a replayed id inserts nothing and
 * gets the original time back.
 */
import { pgArray, type Database } from "../../db/client";
import type { CHECKIN_METHODS } from "../../db/schema";

export interface GuestDetails {
  provinceCode: string;
  communeCode: string | null;
  fullName: string;
  phone: string;
  birthYear: number | null;
}

export interface CheckinWrite {
  id: string;
  provinceCode: string;
  venueId: string;
  personId: string;
  checkedInAt: Date;
  method: (typeof CHECKIN_METHODS)[number];
  /** Details of a person the phone or the staff introduced; written once per person. */
  person?: GuestDetails;
}

export interface CheckinWritten {
  id: string;
  checkedInAt: Date;
  /** False when this id was already stored (a retry or a queued resend). */
  inserted: boolean;
}

interface Pending {
  row: CheckinWrite;
  resolve: (r: CheckinWritten) => void;
  reject: (e: unknown) => void;
}

export interface CheckinWriter {
  write(row: CheckinWrite): Promise<CheckinWritten>;
  /** Resolves when everything queued so far is written. */
  drain(): Promise<void>;
}

/**
 * The whole batch as one statement (same on PostgreSQL and PGlite) — atomic on its own, and data-modifying CTEs always run to
 * completion — so on PostgreSQL a flush is one round trip of a statement prepared once per
 * connection. (drizzle's execute/transaction send every query unprepared: Parse+Describe, wait,
 * Bind+Execute — two round trips and a fresh parse and plan per query — plus BEGIN and COMMIT.)
 */
const FLUSH_SQL = `
  with new_people as (
    insert into people (id, province_code, commune_code, full_name, phone, birth_year)
    select * from unnest($1::uuid[], $2::char(2)[], $3::char(5)[], $4::text[], $5::text[], $6::smallint[])
    on conflict do nothing
  ), input as (
    select * from unnest($7::uuid[], $8::char(2)[], $9::uuid[], $10::uuid[], $11::timestamptz[], $12::text[])
      as t(id, province_code, venue_id, person_id, checked_in_at, method)
  ), keys as (
    insert into checkin_keys (id, province_code, checked_in_at)
    select distinct on (id) id, province_code, checked_in_at from input
    on conflict (id) do nothing
    returning id, checked_in_at
  ), stored as (
    insert into checkins (id, province_code, venue_id, person_id, checked_in_at, method)
    select i.id, i.province_code, i.venue_id, i.person_id, k.checked_in_at, i.method
    from keys k join (select distinct on (id) * from input) i on i.id = k.id
    returning id, checked_in_at
  )
  select id, checked_in_at, true as inserted from stored
  union all
  select c.id, c.checked_in_at, false from checkin_keys c
  where c.id = any($7::uuid[]) and not exists (select 1 from keys k where k.id = c.id)`;

export function createCheckinWriter(database: Database, options: { maxBatch: number; waitMs: number }): CheckinWriter {
  let queue: Pending[] = [];
  let running: Promise<void> | null = null;
  /** People known to exist, so repeat visitors cost no extra insert. Bounded. */
  const knownPeople = new Set<string>();

  async function flush(batch: Pending[]) {
    const rows = batch.map((p) => p.row);
    const newPeople = new Map<string, CheckinWrite>();
    for (const r of rows) if (r.person && !knownPeople.has(r.personId)) newPeople.set(r.personId, r);
    const col = <T>(f: (r: CheckinWrite) => T) => pgArray(rows.map((r) => f(r) as unknown as string));
    const ps = [...newPeople.values()];
    const pc = <T>(f: (r: CheckinWrite) => T) => pgArray(ps.map((r) => f(r) as unknown as string));
    const result = await database.run<{ id: string; checked_in_at: string | Date; inserted: boolean }>(FLUSH_SQL, [
      pc((r) => r.personId), pc((r) => r.person!.provinceCode), pc((r) => r.person!.communeCode),
      pc((r) => r.person!.fullName), pc((r) => r.person!.phone), pc((r) => r.person!.birthYear),
      col((r) => r.id), col((r) => r.provinceCode), col((r) => r.venueId),
      col((r) => r.personId), col((r) => r.checkedInAt.toISOString()), col((r) => r.method),
    ]);
    for (const id of newPeople.keys()) {
      if (knownPeople.size > 200_000) knownPeople.clear();
      knownPeople.add(id);
    }
    const byId = new Map(result.map((r) => [r.id, r]));
    const seen = new Set<string>();
    for (const p of batch) {
      const r = byId.get(p.row.id);
      if (!r) {
        p.reject(new Error(`check-in ${p.row.id} was not stored`));
        continue;
      }
      // The same id twice in one batch: the first is the insert, the rest are replays.
      const inserted = r.inserted && !seen.has(p.row.id);
      seen.add(p.row.id);
      p.resolve({ id: r.id, checkedInAt: new Date(r.checked_in_at), inserted });
    }
  }

  function pump(): Promise<void> {
    if (running) return running;
    running = (async () => {
      while (queue.length) {
        if (options.waitMs > 0 && queue.length < options.maxBatch) await new Promise((r) => setTimeout(r, options.waitMs));
        const batch = queue.slice(0, options.maxBatch);
        queue = queue.slice(batch.length);
        try {
          await flush(batch);
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    })().finally(() => {
      running = null;
      if (queue.length) void pump();
    });
    return running;
  }

  return {
    write(row) {
      return new Promise<CheckinWritten>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        void pump();
      });
    },
    async drain() {
      while (queue.length || running) await (running ?? pump());
    },
  };
}
