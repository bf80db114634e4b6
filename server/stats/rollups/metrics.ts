/**
 * The roll-up metrics (docs/STATS.md "Roll-ups"), each defined ONCE here: which raw rows it
 * counts, keyed by which day and which area, under which condition. Everything else derives from
 * these definitions:
 *  - the recount (recount.ts: `npm run stats:rebuild` and the property test) selects them from
 *    the raw tables;
 *  - the statement-level triggers of migration 0008 select the same from the statement's
 *    transition tables (new rows +1, old rows −1) and add the difference to `daily_stats`.
 *    The migration's text IS `rollupTriggerMigration()`: tests/unit/rollup-metrics.test.ts
 *    checks the committed file equals it (`ROLLUP_WRITE_MIGRATION=1 npx vitest run
 *    tests/unit/rollup-metrics.test.ts` rewrites it after a change here).
 *
 * A metric counts rows in their CURRENT state, keyed by a day that does not change for the row,
 * so "contribution of the new rows − contribution of the old rows" keeps it exact for inserts,
 * updates and deletes. `visitors` and `venues_active` are distinct counts: the triggers keep the
 * sets themselves (`daily_visitors`, `daily_active_venues`) and count what enters and leaves them.
 */
import { METRICS, type Metric } from "../../../db/schema";

export const TIME_ZONE = "Asia/Ho_Chi_Minh";

/** A table in a metric's FROM. A `tracked` table's changes move the metric (it has the triggers); the others are looked up. */
export interface FromItem {
  table: string;
  alias: string;
  /** How it joins the items before it (absent for the first). */
  join?: { kind: "join" | "left join"; on: string };
  tracked: boolean;
}

/** The day a row counts on: a date column as it is, or a timestamp's Vietnamese calendar day. */
export interface DayColumn {
  column: string;
  kind: "date" | "timestamptz";
}

/** One way rows of raw tables count toward a metric. */
export interface Part {
  from: FromItem[];
  day: DayColumn;
  province: string;
  /** '' when the row's area has no commune. */
  commune: string;
  where: string;
}

export interface CountMetric {
  metric: Metric;
  kind: "count";
  /** The metric is the sum of its parts' row counts. */
  parts: Part[];
}

/**
 * A distinct count (per commune, and per province in the row with commune ''), kept as a set in
 * `store`: `perArea` sets hold one row per (day, area, key) for the commune and for the province;
 * the others one row per (day, key), whose area is fixed (a venue's).
 */
export interface DistinctMetric {
  metric: Metric;
  kind: "distinct";
  part: Part;
  /** The expression counted distinct. */
  key: string;
  store: { table: string; keyColumn: string; perArea: boolean };
}

export type MetricDefinition = CountMetric | DistinctMetric;

const at = (column: string): DayColumn => ({ column, kind: "timestamptz" });
const on = (column: string): DayColumn => ({ column, kind: "date" });
const single = (table: string, alias: string): FromItem[] => [{ table, alias, tracked: true }];
const commune = (alias: string) => `coalesce(${alias}.commune_code::text, '')`;

/** A part over one table, in the row's own area. */
function own(table: string, alias: string, day: DayColumn, where = "true"): Part {
  return { from: single(table, alias), day, province: `${alias}.province_code`, commune: commune(alias), where };
}

/** Check-ins have no commune: the venue's (looked up; a venue does not move). */
const CHECKINS: Part = {
  from: [
    { table: "checkins", alias: "c", tracked: true },
    { table: "venues", alias: "v", join: { kind: "left join", on: "v.id = c.venue_id and v.province_code = c.province_code" }, tracked: false },
  ],
  day: at("c.checked_in_at"),
  province: "c.province_code",
  commune: commune("v"),
  where: "true",
};

/** Members of a pool count by the pool's result on the pool's result day, unless their own result is set. */
const POOL_MEMBERS = (result: string): Part => ({
  from: [
    { table: "test_samples", alias: "s", tracked: true },
    { table: "test_pools", alias: "p", join: { kind: "join", on: "p.id = s.pool_id" }, tracked: true },
  ],
  day: at("p.result_at"),
  province: "s.province_code",
  commune: commune("s"),
  where: `s.result is null and p.result = '${result}'`,
});

const count = (metric: Metric, ...parts: Part[]): CountMetric => ({ metric, kind: "count", parts });

export const DEFINITIONS: readonly MetricDefinition[] = [
  count("checkins", CHECKINS),
  { metric: "visitors", kind: "distinct", part: CHECKINS, key: "c.person_id", store: { table: "daily_visitors", keyColumn: "person_id", perArea: true } },
  { metric: "venues_active", kind: "distinct", part: CHECKINS, key: "c.venue_id", store: { table: "daily_active_venues", keyColumn: "venue_id", perArea: false } },
  count("declarations", own("declarations", "d", on("d.day"))),
  count("declarations_risky", own("declarations", "d", on("d.day"), "d.risk = 'follow_up'")),
  count("samples", own("test_samples", "s", at("s.taken_at"))),
  count("results_negative", own("test_samples", "s", at("s.result_at"), "s.result = 'negative'"), POOL_MEMBERS("negative")),
  count("results_positive", own("test_samples", "s", at("s.result_at"), "s.result = 'positive'")),
  count("results_invalid", own("test_samples", "s", at("s.result_at"), "s.result = 'invalid'")),
  count("pools_resulted", own("test_pools", "p", at("p.result_at"), "p.result is not null")),
  count("pools_positive", own("test_pools", "p", at("p.result_at"), "p.result = 'positive'")),
  count("doses_1", own("vaccinations", "v", on("v.given_on"), "v.dose_number = 1")),
  count("doses_2", own("vaccinations", "v", on("v.given_on"), "v.dose_number = 2")),
  count("doses_3", own("vaccinations", "v", on("v.given_on"), "v.dose_number >= 3")),
  count("cases_new", own("cases", "k", on("k.confirmed_on"))),
  count("cases_active", own("cases", "k", on("k.confirmed_on"), "k.status = 'active'")),
  count("cases_recovered", own("cases", "k", on("k.confirmed_on"), "k.status = 'recovered'")),
  count("cases_died", own("cases", "k", on("k.confirmed_on"), "k.status = 'died'")),
  count("f1_identified", own("contacts", "t", at("t.created_at"), "t.degree = 1")),
  count("f2_identified", own("contacts", "t", at("t.created_at"), "t.degree = 2")),
  count("contacts_quarantined", own("contacts", "t", at("t.created_at"), "t.status = 'quarantined'")),
  // The follow-up's area is its contact's (copied from the contact when recorded).
  count("follow_ups", own("follow_ups", "f", on("f.day"))),
  count("follow_ups_reached", own("follow_ups", "f", on("f.day"), "f.reached")),
];

/** The metrics fed by check-ins: retention drops their raw rows, never their figures. */
export const CHECKIN_METRICS: readonly Metric[] = DEFINITIONS.filter((d) => partsOf(d).some((p) => p.from[0]!.table === "checkins")).map((d) => d.metric);

export function partsOf(d: MetricDefinition): Part[] {
  return d.kind === "count" ? d.parts : [d.part];
}

/** The raw tables with triggers, in a fixed order. */
export const TRACKED_TABLES: readonly string[] = [...new Set(DEFINITIONS.flatMap((d) => partsOf(d).flatMap((p) => p.from.filter((f) => f.tracked).map((f) => f.table))))];

// ---------------------------------------------------------------------------------------------
// SQL fragments shared by the recount and the triggers

/** The Vietnamese day of a part's rows. */
export function dayExpr(day: DayColumn): string {
  return day.kind === "date" ? day.column : `(${day.column} at time zone '${TIME_ZONE}')::date`;
}

/** `<column>` falls on `day` (an SQL date expression), as a range on the column (index- and partition-friendly). */
export function onDay(day: DayColumn, dayValue: string): string {
  if (day.kind === "date") return `${day.column} = ${dayValue}`;
  return `${day.column} >= (${dayValue}::timestamp at time zone '${TIME_ZONE}') and ${day.column} < ((${dayValue} + 1)::timestamp at time zone '${TIME_ZONE}')`;
}

/** `<column>` on or after `day` (YYYY-MM-DD literal), as a range on the column. */
export function sinceDay(day: DayColumn, since: string): string {
  return day.kind === "date" ? `${day.column} >= date '${since}'` : `${day.column} >= (timestamp '${since}' at time zone '${TIME_ZONE}')`;
}

/**
 * The FROM of a part; `replace` reads one tracked table's rows from a transition table instead
 * (`new_rows` / `old_rows`) under the same alias.
 */
export function fromSql(part: Part, replace?: { table: string; by: string }): string {
  return part.from
    .map((f, i) => {
      const source = replace && f.table === replace.table ? `${replace.by} ${f.alias}` : `${f.table} ${f.alias}`;
      return i === 0 || !f.join ? source : `${f.join.kind} ${source} on ${f.join.on}`;
    })
    .join(" ");
}

export interface SelectOptions {
  replace?: { table: string; by: string };
  /** +1 (new rows, or the recount) or −1 (old rows). */
  sign?: 1 | -1;
  /** Only rows on or after this day (YYYY-MM-DD). */
  since?: string;
}

/** A part's condition: its own, a day, and the `since` bound. */
function whereOf(part: Part, options: SelectOptions): string {
  return [part.where === "true" ? null : `(${part.where})`, `${part.day.column} is not null`, options.since ? sinceDay(part.day, options.since) : null].filter(Boolean).join(" and ");
}

/** Rows `(day, province_code, commune_code, metric, n)` of one part of a count metric. */
export function partSelect(metric: Metric, part: Part, options: SelectOptions = {}): string {
  const where = whereOf(part, options);
  return (
    `select ${dayExpr(part.day)} as day, ${part.province} as province_code, ${part.commune} as commune_code, '${metric}' as metric, ${options.sign ?? 1} as n` +
    ` from ${fromSql(part, options.replace)} where ${where}`
  );
}

/** Distinct rows `(day, province_code, commune_code, key0, key1…)` of a distinct metric's part (every row with `all`). */
export function keySelect(part: Part, keys: string[], options: SelectOptions & { all?: boolean } = {}): string {
  const where = whereOf(part, options);
  return (
    `select ${options.all ? "" : "distinct "}${dayExpr(part.day)} as day, ${part.province} as province_code, ${part.commune} as commune_code, ${keys.map((k, i) => `${k} as key${i}`).join(", ")}` +
    ` from ${fromSql(part, options.replace)} where ${where}`
  );
}

/** The rows of a distinct metric's set, from keys `k(day, province_code, commune_code, key)`. */
export function storeRows(d: DistinctMetric, k: string, key: string): string {
  return d.store.perArea
    ? `select day, province_code, commune_code, ${key} as key from ${k} where commune_code <> '' union select day, province_code, '', ${key} from ${k}`
    : `select distinct day, province_code, commune_code, ${key} as key from ${k}`;
}

/** Count metrics, grouped by the tracked table whose changes move them. */
function countPartsOf(table: string): { metric: Metric; part: Part }[] {
  return DEFINITIONS.flatMap((d) => (d.kind === "count" ? d.parts.filter((p) => p.from.some((f) => f.tracked && f.table === table)).map((part) => ({ metric: d.metric, part })) : []));
}

function distinctOf(table: string): DistinctMetric[] {
  return DEFINITIONS.filter((d): d is DistinctMetric => d.kind === "distinct" && d.part.from.some((f) => f.tracked && f.table === table));
}

// ---------------------------------------------------------------------------------------------
// The triggers (migration 0008)

const UPSERT =
  "insert into daily_stats as s (day, province_code, commune_code, metric, value)\n" +
  "      select day, province_code, commune_code, metric, sum(n) from (\n";
const UPSERT_END =
  "      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4\n" +
  "      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;";

/** Adds the difference the changed rows make to the count metrics of `table`. */
function countStatement(table: string, sides: { by: string; sign: 1 | -1 }[], except: readonly Part[] = []): string | null {
  const parts = countPartsOf(table).filter((p) => !except.includes(p.part));
  if (!parts.length) return null;
  const selects = sides.flatMap((side) => parts.map(({ metric, part }) => "        " + partSelect(metric, part, { replace: { table, by: side.by }, sign: side.sign })));
  return UPSERT + selects.join("\n        union all\n") + "\n" + UPSERT_END;
}

/** The keys of the changed rows (`minus`: except those the other side has too, for updates). */
function keysCte(table: string, part: Part, keys: string[], by: string, minus?: string): string {
  const own = keySelect(part, keys, { replace: { table, by } });
  return minus ? `(${own}\n        except\n        ${keySelect(part, keys, { replace: { table, by: minus } })})` : `(${own})`;
}

/**
 * Adds the new rows' keys to the sets of the distinct metrics of `table`, counting the ones that
 * were not there. For inserts (no `minus`) it also counts the count metrics over the same rows
 * (check-ins): one pass over the statement's rows, one grouped upsert per statement.
 */
function distinctAddStatement(table: string, minus?: string): string | null {
  const ds = distinctOf(table);
  if (!ds.length) return null;
  const part = ds[0]!.part;
  const keys = ds.map((d) => d.key);
  const shared = minus ? [] : sharedCountParts(table);
  const ctes = ds.map(
    (d, i) =>
      `  added${i} as (\n        insert into ${d.store.table} as t (day, province_code, commune_code, ${d.store.keyColumn})\n` +
      `        select * from (${storeRows(d, "k", `key${i}`)}) r order by 1, 2, 3, 4\n` +
      `        on conflict do nothing returning t.day, t.province_code, t.commune_code)`,
  );
  const rows = shared.length
    ? `with k0 as (${keySelect(part, keys, { replace: { table, by: "new_rows" }, all: true })}),\n    k as (select distinct * from k0),\n    `
    : `with k as ${keysCte(table, part, keys, "new_rows", minus)},\n    `;
  const counts = shared.map(({ metric }) => `        select day, province_code, commune_code, '${metric}' as metric, 1 as n from k0`);
  return (
    rows +
    `${ctes.join(",\n    ")}\n    ` +
    UPSERT +
    [...counts, ...ds.map((d, i) => countChanges(d, `added${i}`, 1))].join("\n        union all\n") +
    "\n" +
    UPSERT_END
  );
}

/** The count metrics of `table` over the same rows as its distinct metrics (counted in the same statement on insert). */
function sharedCountParts(table: string): { metric: Metric; part: Part }[] {
  const ds = distinctOf(table);
  return ds.length ? countPartsOf(table).filter((p) => p.part === ds[0]!.part) : [];
}

/** Removes the old rows' keys from the sets when no row of the table has them any more, counting the ones removed. */
function distinctRemoveStatement(table: string, minus?: string): string | null {
  const ds = distinctOf(table);
  if (!ds.length) return null;
  const part = ds[0]!.part;
  const keys = ds.map((d) => d.key);
  const ctes = ds.map((d, i) => {
    const area = d.store.perArea
      ? `${part.province} = r.province_code and (r.commune_code = '' or ${part.commune} = r.commune_code)`
      : `${part.province} = r.province_code and ${part.commune} = r.commune_code`;
    const left = [part.where === "true" ? null : `(${part.where})`, `${d.key} = r.key`, onDay(part.day, "r.day"), area].filter(Boolean).join(" and ");
    return (
      `  removed${i} as (\n        delete from ${d.store.table} t using (${storeRows(d, "k", `key${i}`)}) r\n` +
      `        where t.day = r.day and t.province_code = r.province_code and t.commune_code = r.commune_code and t.${d.store.keyColumn} = r.key\n` +
      `          and not exists (select 1 from ${fromSql(part)} where ${left})\n` +
      `        returning t.day, t.province_code, t.commune_code)`
    );
  });
  return (
    `with k as ${keysCte(table, part, keys, "old_rows", minus)},\n    ${ctes.join(",\n    ")}\n    ` +
    UPSERT +
    ds.map((d, i) => countChanges(d, `removed${i}`, -1)).join("\n        union all\n") +
    "\n" +
    UPSERT_END
  );
}

/** The change to a distinct metric from the rows that entered (left) its set. */
function countChanges(d: DistinctMetric, rows: string, sign: 1 | -1): string {
  const one = `'${d.metric}' as metric, ${sign} as n from ${rows}`;
  return d.store.perArea
    ? `        select day, province_code, commune_code, ${one}`
    : `        select day, province_code, commune_code, ${one} where commune_code <> ''\n        union all\n        select day, province_code, '', ${one}`;
}

/**
 * Before keys may leave the sets: lock them against writers (readers go on) until commit, so a
 * concurrent transaction cannot add a row with a key this one is about to find gone (its insert
 * would see the set row still there and count nothing). Only statements that may remove keys
 * (deletes, and updates that change a key) take it: inserts and check-outs never wait.
 */
function distinctLock(table: string, minus?: string): string | null {
  const ds = distinctOf(table);
  if (!ds.length) return null;
  const keys = keysCte(table, ds[0]!.part, ds.map((d) => d.key), "old_rows", minus);
  return (
    `if exists (select 1 from ${keys} k) then\n` +
    `      lock table ${[...new Set(ds.map((d) => d.store.table))].join(", ")} in share row exclusive mode;\n` +
    "    end if;"
  );
}

/** The trigger function of one raw table: one branch per operation. */
export function triggerFunction(table: string): string {
  const branch = (statements: (string | null)[]) =>
    statements
      .filter((s): s is string => !!s)
      .map((s) => `    ${s}`)
      .join("\n");
  return [
    `create or replace function rollup_${table}() returns trigger language plpgsql as $rollup$`,
    "begin",
    "  if TG_OP = 'INSERT' then",
    // The sets first: a statement that may remove keys locks them before it touches daily_stats, so inserts take the same order.
    branch([distinctAddStatement(table), countStatement(table, [{ by: "new_rows", sign: 1 }], sharedCountParts(table).map((p) => p.part))]),
    "  elsif TG_OP = 'UPDATE' then",
    branch([
      distinctLock(table, "new_rows"),
      countStatement(table, [
        { by: "new_rows", sign: 1 },
        { by: "old_rows", sign: -1 },
      ]),
      distinctRemoveStatement(table, "new_rows"),
      distinctAddStatement(table, "old_rows"),
    ]),
    "  else",
    branch([distinctLock(table), countStatement(table, [{ by: "old_rows", sign: -1 }]), distinctRemoveStatement(table)]),
    "  end if;",
    "  return null;",
    "end",
    "$rollup$;",
  ].join("\n");
}

/** The three statement-level triggers of a table (PostgreSQL allows transition tables on single-event triggers only). */
export function triggers(table: string): string[] {
  const ops = [
    { op: "insert", refs: "new table as new_rows" },
    { op: "update", refs: "old table as old_rows new table as new_rows" },
    { op: "delete", refs: "old table as old_rows" },
  ];
  return ops.flatMap(({ op, refs }) => [
    `drop trigger if exists rollup_${table}_${op} on ${table};`,
    `create trigger rollup_${table}_${op} after ${op} on ${table} referencing ${refs} for each statement execute function rollup_${table}();`,
  ]);
}

/** The text of db/migrations/0008_rollup_triggers.sql. */
export function rollupTriggerMigration(): string {
  const header = [
    "-- Roll-up triggers (docs/STATS.md \"Roll-ups\"). GENERATED from server/stats/rollups/metrics.ts by",
    "-- rollupTriggerMigration(); tests/unit/rollup-metrics.test.ts checks this file equals it.",
    "-- Statement-level AFTER triggers with transition tables: each statement adds, per (day, area,",
    "-- metric), the contribution of its new rows minus that of its old rows to daily_stats, in one",
    "-- grouped upsert. Dropping a check-in partition (retention) fires nothing: the figures stay.",
  ].join("\n");
  const statements = TRACKED_TABLES.flatMap((t) => [triggerFunction(t), ...triggers(t)]);
  return `${header}\n${statements.join("\n--> statement-breakpoint\n")}\n`;
}

/** Every metric of the schema has exactly one definition (checked by the unit test too). */
export function checkDefinitions(): string[] {
  const problems: string[] = [];
  for (const m of METRICS) {
    const n = DEFINITIONS.filter((d) => d.metric === m).length;
    if (n !== 1) problems.push(`${m}: ${n} definitions`);
  }
  return problems;
}
