/**
 * Synthetic population for benchmarks: communes (when a province has none), people, venues and
 * check-ins, generated deterministically from a seed and streamed into the database.
 *
 * - On PostgreSQL rows go through `COPY … FROM STDIN` (text format) on one connection, one
 *   transaction per table; when a table is loaded from (nearly) empty its secondary indexes are
 *   dropped and rebuilt in the same transaction — 2–3× faster than maintaining them row by row
 *   for 2 M check-ins, more as the indexes outgrow memory — and rolled back with everything else
 *   if anything fails (`--keep-indexes` turns this off).
 * - On PGlite (single-threaded, in-process) rows go in multi-row INSERTs in batches.
 *
 * Ids are a pure function of (seed, table, row number), so check-ins reference people and venues
 * without reading them back, and memory stays bounded whatever the row counts: nothing is kept
 * per person or per check-in.
 *
 * Shared by `scripts/seed.ts` and `scripts/bench/seed.ts`.
 */
import { ensurePartitions } from "../../server/checkins/partitions";
import { vnDay } from "../../server/checkins/colour";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { SingleBar } from "cli-progress";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Database, Db } from "../../db/client";
import { adminUnits } from "../../db/schema";
import { FAMILY, GIVEN, MIDDLE, phone, pick, prng } from "../../db/seed/names";
import { rebuildRollups } from "../../server/stats/rollups/rebuild";

// ───────────────────────────── options ─────────────────────────────

export interface SyntheticOptions {
  people: number;
  venues: number;
  checkins: number;
  /** Check-ins are spread over the last `days` days (local days, Asia/Ho_Chi_Minh). */
  days: number;
  /** Province codes; empty/undefined → every province in admin_units. */
  provinces?: string[] | undefined;
  /** Synthetic communes created in each province that has none. */
  communesPerProvince: number;
  seed: number;
  /** End of the check-in window (ms since epoch); default: now. */
  now?: number;
  /** Empty people, venues and checkins first (in each table's load transaction). */
  truncate?: boolean;
  /** Drop and rebuild secondary indexes around each load: "auto" = when the table is (nearly) empty. */
  deferIndexes?: boolean | "auto";
  /** Rows per INSERT on PGlite. */
  batchSize?: number;
  /** Where progress goes; default: a bar per table on a TTY, plain lines otherwise (stderr). */
  progress?: ProgressReporter;
  /** Informational lines (default: stderr). */
  log?: (line: string) => void;
  /**
   * The loads run with the roll-up triggers off; "rebuild" (default) recounts the roll-ups after
   * them (server/stats/rollups/rebuild.ts), "skip" leaves daily_stats behind the raw tables (for a
   * benchmark that does not read them, or rebuilds them itself).
   */
  rollups?: "rebuild" | "skip";
  /** Called before each table is loaded (e.g. a benchmark's CHECKPOINT). */
  beforeTable?: (table: TableSource["table"]) => Promise<void>;
}

export const DEFAULTS = {
  people: 1_000_000,
  venues: 20_000,
  checkins: 10_000_000,
  days: 28,
  communesPerProvince: 100,
  seed: 42,
  batchSize: 1000,
} as const;

export interface TableResult {
  table: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  indexesRebuilt: number;
  /** Part of `seconds` spent rebuilding those indexes. */
  indexSeconds: number;
}

export interface SyntheticResult {
  engine: Database["engine"];
  provinces: number;
  communes: number;
  communesCreated: number;
  tables: Record<"people" | "venues" | "checkins", TableResult>;
  analyzeSeconds: number;
  /** Seconds spent recounting the roll-ups after the loads (0 with rollups: "skip"). */
  rollupSeconds: number;
  seconds: number;
  /** What was generated: regenerate the same rows with peopleSource(plan) etc. */
  plan: Plan;
}

// ─────────────────────────── deterministic ids ───────────────────────────

/** murmur3's finalizer: a bijection on 32-bit integers with good avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex8 = (x: number) => HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
const hex4 = (x: number) => HEX[(x >>> 8) & 255]! + HEX[x & 255]!;

/**
 * A UUID v4 (version and variant bits set, the rest pseudo-random) that is a function of
 * (key, index). The first 32 bits are a bijection of the index, so ids are unique per key for
 * up to 2^32 rows.
 */
export function makeUuid(key: number): (index: number) => string {
  const k0 = fmix32(key ^ 0x9e3779b9);
  const k1 = fmix32(k0 ^ 0x85ebca6b);
  const k2 = fmix32(k1 ^ 0xc2b2ae35);
  const k3 = fmix32(k2 ^ 0x27d4eb2f);
  return (index: number) => {
    const a = fmix32((index ^ k0) >>> 0);
    let b = fmix32(a ^ k1);
    let c = fmix32(b ^ k2);
    const d = fmix32(c ^ k3);
    b = ((b & 0xffff0fff) | 0x00004000) >>> 0; // version 4
    c = ((c & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
    return `${hex8(a)}-${hex4(b >>> 16)}-${hex4(b)}-${hex4(c >>> 16)}-${hex4(c)}${hex8(d)}`;
  };
}

/** 64 hex characters (the shape of an HMAC-SHA256) that is a function of (key, index). */
function makeHash64(key: number): (index: number) => string {
  const k = fmix32(key ^ 0x51ed270b);
  return (index: number) => {
    let h = fmix32((index ^ k) >>> 0);
    let out = hex8(h);
    for (let i = 1; i < 8; i++) {
      h = fmix32((h + i * 0x9e3779b9) >>> 0);
      out += hex8(h);
    }
    return out;
  };
}

/** Keys of the id streams: one per table, derived from the seed. */
const streamKey = (seed: number, stream: number) => fmix32((Math.imul(seed >>> 0, 0x9e3779b1) ^ stream) >>> 0);
const STREAM = { peopleId: 1, venueId: 2, idHash: 3, checkinId: 4, peopleRand: 11, venueRand: 12, checkinRand: 13, communeRand: 14 } as const;

export function personIdOf(seed: number): (index: number) => string {
  return makeUuid(streamKey(seed, STREAM.peopleId));
}
export function venueIdOf(seed: number): (index: number) => string {
  return makeUuid(streamKey(seed, STREAM.venueId));
}

// ───────────────────────────── areas ─────────────────────────────

export interface Commune {
  code: string;
  name: string;
  population: number;
}

export interface Areas {
  provinces: { code: string; name: string; communes: Commune[] }[];
  communesCreated: number;
}

const COMMUNE_PREFIX = ["Phường", "Xã", "Xã", "Xã"];

/**
 * Synthetic commune codes: 5 digits, unique, derived from the province code and above the range
 * of the official ones (00001–32xxx): `${9 - block}${province}${nn}` — 9xxxx for the first 100
 * communes of a province, 8xxxx for the next 100, down to 5xxxx. A code an operator already
 * uses is skipped.
 */
export const MAX_SYNTHETIC_COMMUNES = 500;
export function syntheticCommuneCode(province: string, k: number): string {
  const block = Math.floor(k / 100);
  if (block > 4) throw new Error(`at most ${MAX_SYNTHETIC_COMMUNES} synthetic communes per province`);
  return `${9 - block}${province}${String(k % 100).padStart(2, "0")}`;
}

/** Reads the provinces and their communes; creates synthetic communes where a province has none. */
export async function ensureAreas(database: Database, options: Pick<SyntheticOptions, "provinces" | "communesPerProvince" | "seed">): Promise<Areas> {
  const all = await database.query<{ code: string; name: string }>(
    sql`select code, name from admin_units where level = 'province' order by code`,
  );
  const wanted = options.provinces?.length ? options.provinces : all.map((p) => p.code);
  const known = new Map(all.map((p) => [p.code, p.name]));
  const unknown = wanted.filter((c) => !known.has(c));
  if (unknown.length) throw new Error(`unknown province code(s): ${unknown.join(", ")} (known: ${[...known.keys()].join(",")})`);
  const codes = [...new Set(wanted)];

  const existing = await database.query<{ code: string; name: string; parent_code: string; population: number | null }>(
    sql`select code, name, parent_code, population from admin_units
        where level = 'commune' and parent_code in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})
        order by code`,
  );
  const byProvince = new Map<string, Commune[]>(codes.map((c) => [c, []]));
  for (const r of existing) {
    byProvince.get(r.parent_code.trim())?.push({ code: r.code, name: r.name, population: r.population ?? 10_000 });
  }

  const rand = prng(streamKey(options.seed, STREAM.communeRand));
  const toCreate: { code: string; name: string; level: "commune"; parentCode: string; population: number }[] = [];
  const n = options.communesPerProvince;
  if (n < 1 || n > MAX_SYNTHETIC_COMMUNES) throw new Error(`--communes-per-province must be 1..${MAX_SYNTHETIC_COMMUNES}`);
  const taken = new Set(
    (await database.query<{ code: string }>(sql`select code from admin_units where level = 'commune' and code >= '50000'`)).map((r) => r.code),
  );
  for (const code of codes) {
    const list = byProvince.get(code)!;
    if (list.length) continue;
    for (let k = 0, made = 0; made < n; k++) {
      const c = syntheticCommuneCode(code, k);
      if (taken.has(c)) continue; // an operator's commune already has it: skip, stay unique
      const commune = {
        code: c,
        name: `${pick(rand, COMMUNE_PREFIX)} ${pick(rand, GIVEN)} ${pick(rand, GIVEN)} ${made + 1}`,
        population: Math.round(5_000 + 50_000 * rand() + (rand() < 0.1 ? 100_000 * rand() : 0)),
      };
      list.push(commune);
      toCreate.push({ ...commune, level: "commune", parentCode: code });
      made++;
    }
  }
  if (toCreate.length) {
    for (let i = 0; i < toCreate.length; i += 1000) {
      await database.db.insert(adminUnits).values(toCreate.slice(i, i + 1000)).onConflictDoNothing();
    }
  }
  // In code order, as a later run reads them back: the same seed then gives the same rows.
  for (const list of byProvince.values()) list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    provinces: codes.map((c) => ({ code: c, name: known.get(c)!, communes: byProvince.get(c)! })),
    communesCreated: toCreate.length,
  };
}

// ───────────────────────────── the plan ─────────────────────────────

/** Splits `total` in proportion to `weights` (largest remainder); returns prefix offsets (length n+1). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let rest = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let j = 0; rest > 0; j = (j + 1) % order.length, rest--) counts[order[j]![1]]!++;
  const offsets = [0];
  for (const c of counts) offsets.push(offsets[offsets.length - 1]! + c);
  return offsets;
}

function cumulative(weights: number[]): Float64Array {
  const cum = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (cum[i] = s += w));
  return cum;
}

/** Index i with cum[i-1] <= x < cum[i] for x in [0, total). */
export function searchCum(cum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Where in the ranges below index `i` falls (offsets as returned by apportion). */
function rangeOf(offsets: number[], i: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (offsets[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Plan {
  options: Required<Pick<SyntheticOptions, "people" | "venues" | "checkins" | "days" | "seed">> & { now: number };
  areas: Areas;
  /** People of province p are rows [peopleAt[p], peopleAt[p+1]); the same for venues. */
  peopleAt: number[];
  venuesAt: number[];
  communeCum: Float64Array[];
}

export function makePlan(areas: Areas, o: Pick<SyntheticOptions, "people" | "venues" | "checkins" | "days" | "seed" | "now">): Plan {
  if (!areas.provinces.length) throw new Error("no provinces to seed");
  if (o.checkins > 0 && (o.people < 1 || o.venues < 1)) throw new Error("check-ins need at least one person and one venue");
  if (o.days < 1) throw new Error("--days must be at least 1");
  const weights = areas.provinces.map((p) => p.communes.reduce((s, c) => s + Math.max(1, c.population), 0));
  return {
    options: { people: o.people, venues: o.venues, checkins: o.checkins, days: o.days, seed: o.seed, now: o.now ?? Date.now() },
    areas,
    peopleAt: apportion(o.people, weights),
    venuesAt: apportion(o.venues, weights),
    communeCum: areas.provinces.map((p) => cumulative(p.communes.map((c) => Math.max(1, c.population)))),
  };
}

// ───────────────────────────── row sources ─────────────────────────────

export type Row = (string | null)[];

/** A table's rows, produced in order by `next` (each call fills `row` with the next row). */
export interface TableSource {
  table: "people" | "venues" | "checkins";
  columns: readonly string[];
  /** Columns that may hold free text (escaped in COPY text format; others never need it). */
  freeText: readonly number[];
  count: number;
  next(row: Row): void;
}

function pickCommune(plan: Plan, p: number, rand: () => number): Commune {
  const cum = plan.communeCum[p]!;
  return plan.areas.provinces[p]!.communes[searchCum(cum, rand() * cum[cum.length - 1]!)]!;
}

const P2: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

export function peopleSource(plan: Plan): TableSource {
  const rand = prng(streamKey(plan.options.seed, STREAM.peopleRand));
  const idOf = personIdOf(plan.options.seed);
  const hashOf = makeHash64(streamKey(plan.options.seed, STREAM.idHash));
  const year = new Date(plan.options.now).getUTCFullYear();
  const offsets = plan.peopleAt;
  let i = 0;
  let p = 0;
  return {
    table: "people",
    columns: ["id", "province_code", "commune_code", "full_name", "birth_date", "birth_year", "sex", "phone", "id_number_hash"],
    freeText: [3],
    count: plan.options.people,
    next(row) {
      while (i >= offsets[p + 1]!) p++;
      const province = plan.areas.provinces[p]!;
      const middle = pick(rand, MIDDLE);
      const sex = middle === "Thị" ? "female" : middle === "Văn" ? "male" : rand() < 0.5 ? "male" : "female";
      const birthYear = year - 1 - Math.floor(89 * Math.pow(rand(), 1.25)); // born before this year: no future dates
      row[0] = idOf(i);
      row[1] = province.code;
      row[2] = pickCommune(plan, p, rand).code;
      row[3] = `${pick(rand, FAMILY)} ${middle} ${pick(rand, GIVEN)}`;
      row[4] = rand() < 0.85 ? `${birthYear}-${P2[1 + Math.floor(rand() * 12)]}-${P2[1 + Math.floor(rand() * 28)]}` : null;
      row[5] = String(birthYear);
      row[6] = rand() < 0.002 ? "other" : sex;
      row[7] = rand() < 0.85 ? phone(rand) : null;
      row[8] = rand() < 0.6 ? hashOf(i) : null;
      i++;
    },
  };
}

const CATEGORIES = [
  ["shop", "Cửa hàng", 30, 40],
  ["restaurant", "Quán ăn", 25, 60],
  ["office", "Văn phòng", 10, 150],
  ["market", "Chợ", 8, 800],
  ["school", "Trường", 8, 1000],
  ["worship", "Chùa", 5, 300],
  ["hospital", "Bệnh viện", 3, 2000],
  ["station", "Bến xe", 2, 1500],
  ["other", "Điểm", 9, 100],
] as const;
const CATEGORY_CUM = cumulative(CATEGORIES.map((c) => c[2]));
const CATEGORY_TOTAL = CATEGORY_CUM[CATEGORY_CUM.length - 1]!;

export function venuesSource(plan: Plan): TableSource {
  const rand = prng(streamKey(plan.options.seed, STREAM.venueRand));
  const idOf = venueIdOf(plan.options.seed);
  const offsets = plan.venuesAt;
  let i = 0;
  let p = 0;
  return {
    table: "venues",
    columns: ["id", "province_code", "commune_code", "name", "category", "address", "capacity", "status"],
    freeText: [3, 5],
    count: plan.options.venues,
    next(row) {
      while (i >= offsets[p + 1]!) p++;
      const commune = pickCommune(plan, p, rand);
      const [category, label, , capacity] = CATEGORIES[searchCum(CATEGORY_CUM, rand() * CATEGORY_TOTAL)]!;
      const s = rand();
      row[0] = idOf(i);
      row[1] = plan.areas.provinces[p]!.code;
      row[2] = commune.code;
      row[3] = `${label} ${pick(rand, GIVEN)} ${i + 1}`;
      row[4] = category;
      row[5] = `${1 + Math.floor(rand() * 300)} đường ${pick(rand, GIVEN)} ${pick(rand, GIVEN)}, ${commune.name}`;
      row[6] = String(Math.max(5, Math.round(capacity * (0.3 + 1.4 * rand()))));
      row[7] = s < 0.92 ? "active" : s < 0.97 ? "pending" : "suspended";
      i++;
    },
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Vietnam is UTC+7 all year. */
const LOCAL_OFFSET = 7 * HOUR;
/** Relative check-in traffic per local hour of the day. */
const HOURLY = [1, 0.5, 0.3, 0.3, 0.5, 1.5, 4, 8, 9, 7, 6, 7, 8, 6, 5, 5, 6, 8, 9, 8, 6, 4, 2.5, 1.5];
const HOURLY_TOTAL = HOURLY.reduce((a, b) => a + b, 0);
/** HOURLY_CUM[h] = share of a day's check-ins before hour h (length 25). */
const HOURLY_CUM = HOURLY.reduce<number[]>((acc, w) => (acc.push(acc[acc.length - 1]! + w / HOURLY_TOTAL), acc), [0]);

/** Share of a day's check-ins that happen before `ms` into the (local) day. */
function dayShareBefore(ms: number): number {
  const h = Math.min(23, Math.floor(ms / HOUR));
  return HOURLY_CUM[h]! + ((ms - h * HOUR) / HOUR) * (HOURLY[h]! / HOURLY_TOTAL);
}
/** The inverse: the time into the day by which a share `f` of its check-ins has happened. */
function dayTimeAtShare(f: number): number {
  let h = 0;
  while (h < 23 && HOURLY_CUM[h + 1]! <= f) h++;
  return h * HOUR + ((f - HOURLY_CUM[h]!) / (HOURLY[h]! / HOURLY_TOTAL)) * HOUR;
}

/** Fast "YYYY-MM-DD HH:MM:SS+00" (PostgreSQL timestamptz input), dates cached per UTC day. */
function timestampFormatter(): (ms: number) => string {
  const days = new Map<number, string>();
  return (ms: number) => {
    const day = Math.floor(ms / DAY);
    let d = days.get(day);
    if (d === undefined) {
      d = `${new Date(day * DAY).toISOString().slice(0, 10)} `;
      days.set(day, d);
    }
    const s = Math.floor((ms - day * DAY) / 1000);
    return `${d}${P2[Math.floor(s / 3600)]}:${P2[Math.floor(s / 60) % 60]}:${P2[s % 60]}+00`;
  };
}

/**
 * Check-ins in time order (as they would arrive), over the last `days` local days up to `now`,
 * following a day-time curve. Each belongs to its venue's province; the visitor lives in the
 * same province 9 times out of 10. Venues within a province are visited unevenly (a few busy
 * markets and stations, many quiet shops).
 */
export function checkinsSource(plan: Plan): TableSource {
  const { seed, checkins, days, now } = plan.options;
  const rand = prng(streamKey(seed, STREAM.checkinRand));
  const checkinId = makeUuid(streamKey(seed, STREAM.checkinId));
  const personId = personIdOf(seed);
  const venueIdFn = venueIdOf(seed);
  const cacheVenues = plan.options.venues <= 2_000_000;
  const venueIds = cacheVenues ? Array.from({ length: plan.options.venues }, (_, i) => venueIdFn(i)) : null;
  const ts = timestampFormatter();
  const provinces = plan.areas.provinces.map((p) => p.code);
  const venueCount = provinces.map((_, p) => plan.venuesAt[p + 1]! - plan.venuesAt[p]!);
  const provinceCum = cumulative(venueCount);
  const provinceTotal = provinceCum[provinceCum.length - 1]!;
  const people = plan.options.people;

  const localToday = Math.floor((now + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
  const windowStart = localToday - (days - 1) * DAY;
  const span = days - 1 + dayShareBefore(now - localToday);
  let k = 0;
  return {
    table: "checkins",
    columns: ["id", "province_code", "venue_id", "person_id", "checked_in_at", "checked_out_at", "method"],
    freeText: [],
    count: checkins,
    next(row) {
      const x = ((k + rand()) / checkins) * span;
      const day = Math.min(days - 1, Math.floor(x));
      const at = Math.min(now, windowStart + day * DAY + dayTimeAtShare(Math.min(x - day, 0.999999999)));
      const p = searchCum(provinceCum, rand() * provinceTotal);
      const r = rand();
      const v = plan.venuesAt[p]! + Math.floor(venueCount[p]! * r * r);
      const own = plan.peopleAt[p + 1]! - plan.peopleAt[p]!;
      const person = own > 0 && rand() < 0.9 ? plan.peopleAt[p]! + Math.floor(rand() * own) : Math.floor(rand() * people);
      const out = rand() < 0.3 ? 0 : at + (5 + Math.floor(rand() * 116)) * 60_000;
      const m = rand();
      row[0] = checkinId(k);
      row[1] = provinces[p]!;
      row[2] = venueIds ? venueIds[v]! : venueIdFn(v);
      row[3] = personId(person);
      row[4] = ts(at);
      row[5] = out && out <= now ? ts(out) : null;
      row[6] = m < 0.85 ? "citizen_scan" : m < 0.92 ? "guest_scan" : m < 0.97 ? "staff_scan" : "staff_typed";
      k++;
    },
  };
}

// ───────────────────────────── encodings ─────────────────────────────

function copyEscape(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : s;
}

/**
 * Streams a source as COPY text format in chunks of about `chunkChars` characters to `emit`;
 * `tick` reports rows done after each chunk.
 */
export async function streamCopyText(
  source: TableSource,
  emit: (chunk: string) => void | Promise<void>,
  tick: (rows: number) => void = () => {},
  chunkChars = 256 * 1024,
): Promise<void> {
  const width = source.columns.length;
  const row: Row = new Array(width).fill(null);
  const escape = new Array<boolean>(width).fill(false);
  for (const c of source.freeText) escape[c] = true;
  let buf = "";
  let inChunk = 0;
  for (let i = 0; i < source.count; i++) {
    source.next(row);
    let line = "";
    for (let c = 0; c < width; c++) {
      const v = row[c];
      line += (c ? "\t" : "") + (v === null || v === undefined ? "\\N" : escape[c] ? copyEscape(v) : v);
    }
    buf += line + "\n";
    inChunk++;
    if (buf.length >= chunkChars) {
      await emit(buf);
      tick(inChunk);
      buf = "";
      inChunk = 0;
    }
  }
  if (buf) {
    await emit(buf);
    tick(inChunk);
  }
}

const literal = (v: string | null | undefined) => (v === null || v === undefined ? "NULL" : `'${v.replace(/'/g, "''")}'`);

// ───────────────────────────── progress ─────────────────────────────

export interface ProgressTask {
  tick(rows: number): void;
  /** A phase after the rows (e.g. building indexes). */
  note(text: string): void;
  done(summary: string): void;
}
export interface ProgressReporter {
  start(label: string, total: number): ProgressTask;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
export function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** A cli-progress bar per table on a TTY; a plain line every few seconds otherwise. */
export function defaultProgress(stream: NodeJS.WriteStream = process.stderr, intervalMs = 5000): ProgressReporter {
  const tty = !!stream.isTTY && process.env.CI !== "true";
  return {
    start(label, total) {
      const t0 = performance.now();
      let done = 0;
      const rate = () => done / Math.max(1e-3, (performance.now() - t0) / 1000);
      const eta = () => (done ? fmtDuration((total - done) / rate()) : "?");
      const name = label.padEnd(9);
      if (tty) {
        const bar = new SingleBar({
          stream,
          format: `${name} {bar} {percentage}% | {rows}/{total_rows} rows | {rate} rows/s | {status}`,
          barCompleteChar: "█",
          barIncompleteChar: "░",
          barsize: 24,
          hideCursor: true,
          fps: 8,
          clearOnComplete: false,
          stopOnComplete: false,
        });
        bar.start(Math.max(1, total), 0, { rows: "0", total_rows: fmtInt(total), rate: "–", status: "ETA ?" });
        return {
          tick(n) {
            done += n;
            bar.update(done, { rows: fmtInt(done), rate: fmtInt(rate()), status: `ETA ${eta()}` });
          },
          note(text) {
            bar.update(done, { status: text });
          },
          done(summary) {
            bar.update(Math.max(1, total), { rows: fmtInt(done), status: summary });
            bar.stop();
          },
        };
      }
      let last = t0;
      const line = (status: string) =>
        stream.write(
          `${name} ${fmtInt(done).padStart(12)} / ${fmtInt(total)} (${total ? Math.floor((100 * done) / total) : 100}%)  ${fmtInt(rate())} rows/s  ${status}\n`,
        );
      return {
        tick(n) {
          done += n;
          const now = performance.now();
          if (now - last >= intervalMs && done < total) {
            last = now;
            line(`ETA ${eta()}`);
          }
        },
        note(text) {
          line(text);
        },
        done(summary) {
          line(summary);
        },
      };
    },
  };
}

export const silentProgress: ProgressReporter = {
  start: () => ({ tick() {}, note() {}, done() {} }),
};

// ───────────────────────────── PostgreSQL bulk load ─────────────────────────────

type Exec = (text: string) => Promise<Record<string, unknown>[]>;

export interface BulkLoadOptions {
  truncate?: boolean;
  deferIndexes?: boolean | "auto";
  /** Rows about to be loaded (for deferIndexes: "auto"). */
  rows: number;
  /**
   * Keep the table's own triggers firing during the load. By default they are off for the load
   * (the roll-up triggers would add ~40 µs a check-in); the caller brings the roll-ups up to date
   * afterwards (`rebuildRollups`, as seedSynthetic does).
   */
  keepTriggers?: boolean;
}

export interface BulkLoadInfo {
  /** " with (freeze)" when the table was truncated in this transaction (no later vacuum rewrite), else "". */
  copyOptions: string;
  indexes: string[];
  /** Seconds spent rebuilding the indexes after the rows were in. */
  indexSeconds: number;
}

/** Secondary indexes that can be dropped and rebuilt (not primary keys, unique or constraint indexes). */
async function secondaryIndexes(exec: Exec, table: string): Promise<{ name: string; def: string }[]> {
  const rows = await exec(
    `select i.relname as name, pg_get_indexdef(x.indexrelid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = 'public.${table}'::regclass and not x.indisprimary and not x.indisunique
        and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
      order by i.relname`,
  );
  return rows.map((r) => ({ name: String(r.name), def: String(r.def) }));
}

/**
 * Runs `load` inside the caller's transaction with the table prepared for a bulk load:
 * optionally truncated (then COPY can FREEZE), and with its secondary indexes dropped before and
 * rebuilt after when that is cheaper (the table is small compared with the load). Works on
 * PostgreSQL and on PGlite; partitioned tables are left as they are.
 */
export async function withBulkLoad(
  exec: Exec,
  table: string,
  options: BulkLoadOptions,
  load: (info: BulkLoadInfo) => Promise<void>,
  note: (text: string) => void = () => {},
): Promise<BulkLoadInfo> {
  if (options.truncate) await exec(`truncate table ${table}`);
  const [rel] = await exec(`select relkind, reltuples::float8 as est from pg_class where oid = 'public.${table}'::regclass`);
  const plain = rel?.relkind === "r";
  let defer = options.deferIndexes ?? "auto";
  if (defer === "auto") {
    // reltuples is -1 for a never-analysed table; an exact count of a small table is cheap.
    let existing = Number(rel?.est ?? 0);
    if (existing < 0 || existing < 100_000) existing = Number((await exec(`select count(*)::float8 as n from (select 1 from ${table} limit 100000) t`))[0]?.n ?? 0);
    defer = options.rows >= 50_000 && existing * 2 < options.rows;
  }
  const indexes = defer && plain ? await secondaryIndexes(exec, table) : [];
  for (const ix of indexes) await exec(`drop index public."${ix.name}"`);
  // In the caller's transaction: no other session ever sees the triggers off.
  if (!options.keepTriggers) await exec(`alter table ${table} disable trigger user`);
  const info: BulkLoadInfo = {
    copyOptions: options.truncate && plain ? " with (freeze)" : "",
    indexes: indexes.map((i) => i.name),
    indexSeconds: 0,
  };
  await load(info);
  if (!options.keepTriggers) await exec(`alter table ${table} enable trigger user`);
  if (indexes.length) {
    note(`building ${indexes.length} index${indexes.length > 1 ? "es" : ""}…`);
    const t0 = performance.now();
    for (const ix of indexes) await exec(ix.def);
    info.indexSeconds = (performance.now() - t0) / 1000;
  }
  return info;
}

/**
 * `COPY … FROM STDIN` through postgres.js, with `produce` writing chunks (backpressure honoured).
 *
 * postgres.js 3.4.9 never settles the writable when the server rejects the COPY after `end()`
 * (porsager/postgres#1173): the error is passed to the query's `reject`, which is a no-op once the
 * query has resolved to the stream. We hook that `reject` so such a failure rejects here instead
 * of hanging (and the surrounding transaction rolls back).
 */
export async function copyFromStdin(
  client: postgres.Sql | postgres.TransactionSql,
  statement: string,
  produce: (write: (chunk: string) => void | Promise<void>) => Promise<void>,
): Promise<void> {
  const query = client.unsafe(statement);
  let fail: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  const hooked = query as unknown as { reject: (e: unknown) => unknown };
  const reject = hooked.reject;
  hooked.reject = (e: unknown) => {
    fail(e);
    return reject(e);
  };
  const stream: Writable = await query.writable();
  stream.on("error", fail);
  const write = async (chunk: string) => {
    if (!stream.write(chunk)) await Promise.race([once(stream, "drain"), failed]);
  };
  try {
    await Promise.race([produce(write), failed]);
    stream.end();
    await Promise.race([finished(stream), failed]);
  } catch (e) {
    if (!stream.destroyed) stream.destroy(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
}

// ───────────────────────────── loading a table ─────────────────────────────

async function loadPostgres(pg: postgres.Sql, source: TableSource, options: SyntheticOptions, task: ProgressTask): Promise<BulkLoadInfo> {
  let result: BulkLoadInfo | undefined;
  await pg.begin(async (tx) => {
    const exec: Exec = (text) => tx.unsafe(text) as unknown as Promise<Record<string, unknown>[]>;
    await exec("set local maintenance_work_mem = '512MB'");
    const info = await withBulkLoad(
      exec,
      source.table,
      { truncate: options.truncate, deferIndexes: options.deferIndexes, rows: source.count },
      async ({ copyOptions }) => {
        await copyFromStdin(tx, `copy ${source.table} (${source.columns.join(", ")}) from stdin${copyOptions}`, (write) =>
          streamCopyText(source, write, (n) => task.tick(n)),
        );
      },
      (text) => task.note(text),
    );
    result = info;
  });
  return result!;
}

async function loadPglite(db: Db, source: TableSource, options: SyntheticOptions, task: ProgressTask): Promise<BulkLoadInfo> {
  let result: BulkLoadInfo | undefined;
  const batch = Math.max(1, options.batchSize ?? DEFAULTS.batchSize);
  await db.transaction(async (tx) => {
    const exec: Exec = async (text) => ((await tx.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows;
    const info = await withBulkLoad(
      exec,
      source.table,
      { truncate: options.truncate, deferIndexes: options.deferIndexes, rows: source.count },
      async () => {
        const head = `insert into ${source.table} (${source.columns.join(", ")}) values `;
        const row: Row = new Array(source.columns.length).fill(null);
        for (let i = 0; i < source.count; ) {
          const n = Math.min(batch, source.count - i);
          let text = head;
          for (let j = 0; j < n; j++) {
            source.next(row);
            text += `${j ? "," : ""}(${row.map(literal).join(",")})`;
          }
          await exec(text);
          i += n;
          task.tick(n);
        }
      },
      (text) => task.note(text),
    );
    result = info;
  });
  return result!;
}

/** Loads one table's rows on whichever engine `database` is. */
export async function loadTable(database: Database, source: TableSource, options: SyntheticOptions, progress: ProgressReporter): Promise<TableResult> {
  const task = progress.start(source.table, source.count);
  const t0 = performance.now();
  const info =
    database.engine === "postgres" && database.pg
      ? await loadPostgres(database.pg, source, options, task)
      : await loadPglite(database.db, source, options, task);
  const seconds = (performance.now() - t0) / 1000;
  const rowsPerSecond = source.count / Math.max(seconds, 1e-6);
  const indexesRebuilt = info.indexes.length;
  task.done(
    `done in ${fmtDuration(seconds)}` +
      (indexesRebuilt ? ` (incl. ${fmtDuration(info.indexSeconds)} rebuilding ${indexesRebuilt} index${indexesRebuilt > 1 ? "es" : ""})` : ""),
  );
  return { table: source.table, rows: source.count, seconds, rowsPerSecond, indexesRebuilt, indexSeconds: info.indexSeconds };
}

/** Refuses to load a second copy of the same seed on top of the first (the ids would collide). */
async function checkNotSeeded(database: Database, seed: number, o: SyntheticOptions): Promise<void> {
  if (o.truncate) return;
  const clash: string[] = [];
  if (o.people > 0) {
    const [hit] = await database.query(sql`select 1 from people where id = ${personIdOf(seed)(0)} limit 1`);
    if (hit) clash.push("people");
  }
  if (o.venues > 0) {
    const [hit] = await database.query(sql`select 1 from venues where id = ${venueIdOf(seed)(0)} limit 1`);
    if (hit) clash.push("venues");
  }
  if (clash.length)
    throw new Error(`${clash.join(" and ")} of seed ${seed} are already in this database: use --truncate to start over, or another --seed`);
}

// ───────────────────────────── everything ─────────────────────────────

export async function seedSynthetic(database: Database, options: SyntheticOptions): Promise<SyntheticResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const progress = options.progress ?? defaultProgress();
  const t0 = performance.now();
  if (options.checkins > 0 && (options.people < 1 || options.venues < 1)) throw new Error("check-ins need at least one person and one venue");
  if (options.days < 1) throw new Error("--days must be at least 1");
  await checkNotSeeded(database, options.seed, options);
  const areas = await ensureAreas(database, options);
  const communes = areas.provinces.reduce((s, p) => s + p.communes.length, 0);
  log(
    `${areas.provinces.length} province(s), ${fmtInt(communes)} communes` +
      (areas.communesCreated ? ` (${fmtInt(areas.communesCreated)} synthetic communes created)` : ""),
  );
  const plan = makePlan(areas, options);
  const load = async (source: TableSource) => {
    await options.beforeTable?.(source.table);
    return loadTable(database, source, options, progress);
  };
  // Day partitions for the whole window, so the rows land where retention can drop them.
  const now = plan.options.now;
  await ensurePartitions(database, vnDay(new Date(now - options.days * 86400_000)), vnDay(new Date(now + 7 * 86400_000)));
  const tables = {
    people: await load(peopleSource(plan)),
    venues: await load(venuesSource(plan)),
    checkins: await load(checkinsSource(plan)),
  };
  const a0 = performance.now();
  log("analyzing…");
  await database.query(sql`analyze admin_units, people, venues, checkins`);
  const analyzeSeconds = (performance.now() - a0) / 1000;
  let rollupSeconds = 0;
  if ((options.rollups ?? "rebuild") === "rebuild") {
    log("recounting the roll-ups (daily_stats) …");
    const report = await rebuildRollups(database);
    rollupSeconds = report.ms / 1000;
  }
  return {
    engine: database.engine,
    provinces: areas.provinces.length,
    communes,
    communesCreated: areas.communesCreated,
    tables,
    analyzeSeconds,
    rollupSeconds,
    seconds: (performance.now() - t0) / 1000,
    plan,
  };
}

// ───────────────────────────── CLI helpers ─────────────────────────────

/** "1000000", "1_000_000", "1,000,000", "1e6", "250k", "10M" → a non-negative integer. */
export function parseCount(text: string, flag: string): number {
  const t = text.trim().replace(/[_,]/g, "");
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM]?)$/.exec(t);
  const n = m ? Number(m[1]) * (m[2] === "k" || m[2] === "K" ? 1e3 : m[2] ? 1e6 : 1) : NaN;
  if (!Number.isFinite(n) || n < 0 || !Number.isInteger(Math.round(n)) || n > 4e9) throw new Error(`${flag}: not a row count: "${text}"`);
  return Math.round(n);
}

export { fmtInt };
