/**
 * The durable check-in writer. Concurrent check-ins are coalesced into one transaction (group
 * commit): while one batch commits, the next fills up, so under load many check-ins share one
 * commit and at low load none waits. A check-in is acknowledged only after its batch commits.
 * Idempotency: the phone's id goes into checkin_keys first; a replayed id inserts nothing and
 * gets the original time back.
 */
import { sql } from "drizzle-orm";
import { pgArray, rowsOf, type Database } from "../../db/client";
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
    const result = await database.db.transaction(async (tx) => {
      if (newPeople.size) {
        const ps = [...newPeople.values()];
        const pc = <T>(f: (r: CheckinWrite) => T) => pgArray(ps.map((r) => f(r) as unknown as string));
        await tx.execute(sql`
          insert into people (id, province_code, commune_code, full_name, phone, birth_year)
          select * from unnest(${pc((r) => r.personId)}::uuid[], ${pc((r) => r.person!.provinceCode)}::char(2)[],
            ${pc((r) => r.person!.communeCode)}::char(5)[], ${pc((r) => r.person!.fullName)}::text[],
            ${pc((r) => r.person!.phone)}::text[], ${pc((r) => r.person!.birthYear)}::smallint[])
          on conflict do nothing`);
      }
      return rowsOf<{ id: string; checked_in_at: string | Date; inserted: boolean }>(
        await tx.execute(sql`
          with input as (
            select * from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.provinceCode)}::char(2)[],
              ${col((r) => r.venueId)}::uuid[], ${col((r) => r.personId)}::uuid[],
              ${col((r) => r.checkedInAt.toISOString())}::timestamptz[], ${col((r) => r.method)}::text[])
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
          where c.id = any(${col((r) => r.id)}::uuid[]) and not exists (select 1 from keys k where k.id = c.id)`),
      );
    });
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
