/**
 * bench:trace's memory set-up: what a live database keeps in memory anyway, loaded after the bulk
 * load. A live platform writes its check-ins one by one through shared_buffers and traces every
 * day, so the infectious window's check-ins and the two indexes a trace walks stay resident; a
 * bulk load (COPY, VACUUM) goes through a small ring of buffers instead and leaves them on disk,
 * where on this VM the host reclaims the page cache (≈ 0.75 ms per 8 KiB page read back).
 * pg_prewarm (contrib) reads them into shared_buffers: the window's day partitions (heap, the
 * (venue_id, checked_in_at) and (person_id, checked_in_at) indexes), people and venues.
 * docs/OPERATIONS.md ("PostgreSQL memory") says how to size and keep this in production.
 */
import { totalmem } from "node:os";
import type postgres from "postgres";

/** 25 % of the machine's memory (PostgreSQL's usual starting point), in MB, at least 256 MB. */
export function autoSharedBuffers(): string {
  return `${Math.max(256, Math.floor(totalmem() / 4 / 2 ** 20))}MB`;
}

export interface Prewarmed {
  relations: number;
  megabytes: number;
  seconds: number;
}

/** Loads the check-in partitions from `since` (their day or later) with their trace indexes, people and venues. */
export async function prewarmTraceData(sql: postgres.Sql, since: Date): Promise<Prewarmed> {
  const t0 = performance.now();
  await sql.unsafe("create extension if not exists pg_prewarm");
  // Day partitions are named checkins_pYYYYMMDD (db/partitions); the default partition holds nothing in range.
  const first = `checkins_p${since.toISOString().slice(0, 10).replace(/-/g, "")}`;
  const rows = await sql<{ relations: number; pages: string }[]>`
    with parts as (
      select c.oid from pg_inherits i join pg_class c on c.oid = i.inhrelid
       where i.inhparent = 'checkins'::regclass and c.relname >= ${first} and c.relname <> 'checkins_default'
    ), rels as (
      select oid from parts
      union all
      select x.indexrelid from pg_index x join parts on parts.oid = x.indrelid
       where pg_get_indexdef(x.indexrelid) ~ '\\((venue_id|person_id), checked_in_at\\)'
      union all
      select 'people'::regclass::oid union all select 'venues'::regclass::oid
    )
    select count(*)::int as relations, sum(pg_prewarm(oid))::text as pages from rels`;
  const r = rows[0]!;
  return { relations: r.relations, megabytes: Math.round((Number(r.pages) * 8) / 1024), seconds: (performance.now() - t0) / 1000 };
}
