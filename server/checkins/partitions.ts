/**
 * Day partitions of `checkins` (Vietnam days, UTC+7): created a week ahead, dropped after the
 * retention period. Same SQL on PostgreSQL and PGlite. Rows that land in the default partition
 * (a day with no partition yet) are moved into the day's partition when it is created.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { vnDay, vnDayRange } from "./colour";

const NAME = /^checkins_p(\d{4})(\d{2})(\d{2})$/;
const partitionName = (day: string) => `checkins_p${day.replaceAll("-", "")}`;

export async function listPartitions(database: Database): Promise<string[]> {
  const rows = await database.query<{ name: string }>(sql`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'checkins'::regclass order by 1`);
  return rows.map((r) => r.name).filter((n) => NAME.test(n));
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
}

/** Makes sure every day from `from` to `to` (inclusive, YYYY-MM-DD) has its partition. */
export async function ensurePartitions(database: Database, from: string, to: string): Promise<string[]> {
  const existing = new Set(await listPartitions(database));
  const created: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const name = partitionName(day);
    if (existing.has(name)) continue;
    const { start, end } = vnDayRange(day);
    const s = start.toISOString();
    const e = end.toISOString();
    await database.db.transaction(async (tx) => {
      // Rows of that day already in the default partition would block its creation: move them.
      await tx.execute(sql.raw(`create temp table moving on commit drop as select * from checkins_default where checked_in_at >= '${s}' and checked_in_at < '${e}'`));
      await tx.execute(sql.raw(`delete from checkins_default where checked_in_at >= '${s}' and checked_in_at < '${e}'`));
      await tx.execute(sql.raw(`create table if not exists "${name}" partition of checkins for values from ('${s}') to ('${e}')`));
      // Straight into the partition, as the delete above was straight from the default one: the
      // roll-up triggers live on the parent, so a move is not counted as a new check-in.
      await tx.execute(sql.raw(`insert into "${name}" select * from moving`));
    });
    created.push(name);
  }
  return created;
}

/** Drops the partitions wholly older than the retention period and old rows of the default partition. */
export async function dropExpiredPartitions(database: Database, now: Date, retentionDays: number): Promise<string[]> {
  const cutoffDay = vnDay(new Date(now.getTime() - retentionDays * 86400_000));
  const dropped: string[] = [];
  for (const name of await listPartitions(database)) {
    const m = NAME.exec(name)!;
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    if (day < cutoffDay) {
      await database.query(sql.raw(`drop table if exists "${name}"`));
      dropped.push(name);
    }
  }
  const cutoff = vnDayRange(cutoffDay).start.toISOString();
  await database.query(sql.raw(`delete from checkins_default where checked_in_at < '${cutoff}'`));
  // Idempotency keys are needed only for the retry window (offline queues send within 24 h).
  await database.query(sql`delete from checkin_keys where created_at < ${new Date(now.getTime() - 2 * 86400_000).toISOString()}`);
  return dropped;
}

/** The partitions a running platform needs: yesterday (late offline check-ins) to a week ahead. */
export async function ensureCurrentPartitions(database: Database, now: Date): Promise<string[]> {
  const today = vnDay(now);
  return ensurePartitions(database, addDays(today, -1), addDays(today, 7));
}

export { addDays };
