/**
 * Line lists (docs/STATS.md, "Exports"): the cases, contacts or doses of the caller's area
 * (areaFilter), one row per record, `?from&to&communeCode`, streamed with no row cap. Personal
 * data: every export writes one audit row (`export.line_list`) with the kind, the format, the
 * filters and the number of rows sent, when the download ends (completely or not).
 *
 * Each list is one ordered statement (cursor on PostgreSQL, keyset pages on PGlite); the person is
 * looked up by id, one row (people's key is (province, id): a person is never listed twice):
 * - cases by (confirmation day, id), with their F1 and F2 counts;
 * - contacts by (time identified, id), the day identified in Vietnam time;
 * - doses by (province, commune, day given, id), with the product, the lot and the site, streamed
 *   in index order (see dosesSource).
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import { cases, contacts, vaccinations } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { areaFilter, type AuthUser } from "../../auth/scope";
import { vnDayRange } from "../../checkins/colour";
import type { Deps } from "../../deps";
import type { LineListKind, LineListQueryT } from "./schemas";
import { areaTag, communeInArea, exportBody, exportRange, type SignedIn } from "./service";
import { counted, downloadHeaders, primed, readBatches, type Column, type Format, type RowSource } from "./stream";

export interface LineListFilters {
  from: string;
  to: string;
  communeCode?: string | null | undefined;
}

type Row = Record<string, string | number | null>;

const PERSON: Column = { key: "personName", label: "Họ và tên", width: 24 };
const AREA: Column[] = [
  { key: "provinceCode", label: "Mã tỉnh", width: 8 },
  { key: "communeCode", label: "Mã xã/phường", width: 12 },
  { key: "communeName", label: "Xã/phường", width: 22 },
];

export const LINE_LIST_COLUMNS: Record<LineListKind, Column[]> = {
  cases: [
    { key: "id", label: "Mã ca bệnh", width: 38, plain: true },
    PERSON,
    { key: "birthYear", label: "Năm sinh", width: 9, plain: true },
    { key: "phone", label: "Số điện thoại", width: 13 },
    ...AREA,
    { key: "confirmedOn", label: "Ngày xác nhận", width: 13, plain: true },
    { key: "method", label: "Phương pháp xác nhận", width: 14 },
    { key: "status", label: "Tình trạng", width: 11 },
    { key: "f1Count", label: "Số F1", width: 7, plain: true },
    { key: "f2Count", label: "Số F2", width: 7, plain: true },
  ],
  contacts: [
    { key: "id", label: "Mã tiếp xúc", width: 38, plain: true },
    { key: "caseId", label: "Mã ca bệnh (F0)", width: 38, plain: true },
    PERSON,
    { key: "phone", label: "Số điện thoại", width: 13 },
    { key: "degree", label: "Cấp (1 = F1, 2 = F2)", width: 8, plain: true },
    { key: "source", label: "Nguồn tiếp xúc", width: 11 },
    { key: "status", label: "Tình trạng", width: 14 },
    { key: "identifiedOn", label: "Ngày xác định", width: 13, plain: true },
    { key: "quarantineUntil", label: "Cách ly đến ngày", width: 13, plain: true },
    ...AREA,
  ],
  doses: [
    { key: "id", label: "Mã mũi tiêm", width: 38, plain: true },
    PERSON,
    { key: "birthDate", label: "Ngày sinh", width: 12, plain: true },
    { key: "productCode", label: "Mã vắc xin", width: 9 },
    { key: "productName", label: "Vắc xin", width: 22 },
    { key: "lotNumber", label: "Số lô", width: 14 },
    { key: "doseNumber", label: "Mũi số", width: 7, plain: true },
    { key: "givenOn", label: "Ngày tiêm", width: 12, plain: true },
    { key: "siteName", label: "Điểm tiêm", width: 28 },
    ...AREA,
  ],
};

/** Sheet names of the XLSX files. */
const SHEETS: Record<LineListKind, string> = { cases: "Ca bệnh", contacts: "Tiếp xúc", doses: "Mũi tiêm" };

const page = (limit: number | undefined) => (limit ? sql` limit ${limit}` : sql``);

function casesSource(user: AuthUser, f: LineListFilters): RowSource<Row> {
  const scope = areaFilter(user, { provinceCode: cases.provinceCode, communeCode: cases.communeCode });
  return {
    select(after, limit) {
      const where = and(
        scope,
        sql`${cases.confirmedOn} between ${f.from}::date and ${f.to}::date`,
        f.communeCode ? eq(cases.communeCode, f.communeCode) : undefined,
        after ? sql`(${cases.confirmedOn}, ${cases.id}) > (${after[0]}::date, ${after[1]}::uuid)` : undefined,
      );
      return sql`select ${cases.id}::text as "id", p.full_name as "personName", p.birth_year as "birthYear", p.phone as "phone",
          ${cases.provinceCode}::text as "provinceCode", ${cases.communeCode}::text as "communeCode", cu.name as "communeName",
          to_char(${cases.confirmedOn}, 'YYYY-MM-DD') as "confirmedOn", ${cases.method} as "method", ${cases.status} as "status",
          (select count(*)::int from contacts k where k.case_id = ${cases.id} and k.degree = 1) as "f1Count",
          (select count(*)::int from contacts k where k.case_id = ${cases.id} and k.degree = 2) as "f2Count"
        from ${cases}
        left join lateral (select full_name, birth_year, phone from people where people.id = ${cases.personId} limit 1) p on true
        left join admin_units cu on cu.code = ${cases.communeCode}::text
        where ${where}
        order by ${cases.confirmedOn}, ${cases.id}${page(limit)}`;
    },
    keyOf: (row) => [row.confirmedOn, row.id],
  };
}

function contactsSource(user: AuthUser, f: LineListFilters): RowSource<Row> {
  const scope = areaFilter(user, { provinceCode: contacts.provinceCode, communeCode: contacts.communeCode });
  const start = vnDayRange(f.from).start.toISOString();
  const end = vnDayRange(f.to).end.toISOString();
  return {
    select(after, limit) {
      const where = and(
        scope,
        sql`${contacts.createdAt} >= ${start}::timestamptz and ${contacts.createdAt} < ${end}::timestamptz`,
        f.communeCode ? eq(contacts.communeCode, f.communeCode) : undefined,
        after ? sql`(${contacts.createdAt}, ${contacts.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      );
      return sql`select ${contacts.id}::text as "id", ${contacts.caseId}::text as "caseId", p.full_name as "personName", p.phone as "phone",
          ${contacts.degree} as "degree", ${contacts.source} as "source", ${contacts.status} as "status",
          to_char(${contacts.createdAt} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as "identifiedOn",
          to_char(${contacts.quarantineUntil}, 'YYYY-MM-DD') as "quarantineUntil",
          ${contacts.provinceCode}::text as "provinceCode", ${contacts.communeCode}::text as "communeCode", cu.name as "communeName",
          ${contacts.createdAt}::text as "_at"
        from ${contacts}
        left join lateral (select full_name, phone from people where people.id = ${contacts.personId} limit 1) p on true
        left join admin_units cu on cu.code = ${contacts.communeCode}::text
        where ${where}
        order by ${contacts.createdAt}, ${contacts.id}${page(limit)}`;
    },
    keyOf: (row) => [row._at, row.id],
  };
}

/**
 * Doses stream in the order of the area-and-day index (province, commune, day given, then id):
 * the index scan hands the rows over in that order and every lookup is a nested loop (lateral,
 * the small tables memoized), so the first rows go out at once and nothing is sorted or spilled to
 * disk however many doses the area has. (A national list sorted by day would sort every dose
 * before the first byte: minutes and gigabytes of temporary files at national scale.)
 */
function dosesSource(user: AuthUser, f: LineListFilters): RowSource<Row> {
  const scope = areaFilter(user, { provinceCode: vaccinations.provinceCode, communeCode: vaccinations.communeCode });
  const v = vaccinations;
  const after = (key: readonly unknown[]): SQL => {
    const [p, c, d, id] = key.map((k) => (k === null || k === undefined ? null : String(k)));
    const rest = sql`(${v.givenOn}, ${v.id}) > (${d}::date, ${id}::uuid)`;
    // commune_code may be null (sorted last in its province): a null-aware "after".
    return c === null
      ? sql`(${v.provinceCode} > ${p} or (${v.provinceCode} = ${p} and ${v.communeCode} is null and ${rest}))`
      : sql`(${v.provinceCode} > ${p} or (${v.provinceCode} = ${p} and (${v.communeCode} is null or ${v.communeCode} > ${c} or (${v.communeCode} = ${c} and ${rest}))))`;
  };
  return {
    select(key, limit) {
      const where = and(
        scope,
        sql`${v.givenOn} between ${f.from}::date and ${f.to}::date`,
        f.communeCode ? eq(v.communeCode, f.communeCode) : undefined,
        key ? after(key) : undefined,
      );
      return sql`select ${v.id}::text as "id", p.full_name as "personName", to_char(p.birth_date, 'YYYY-MM-DD') as "birthDate",
          ${v.productCode} as "productCode", vp.name as "productName", l.lot_number as "lotNumber",
          ${v.doseNumber}::int as "doseNumber", to_char(${v.givenOn}, 'YYYY-MM-DD') as "givenOn", s.name as "siteName",
          ${v.provinceCode}::text as "provinceCode", ${v.communeCode}::text as "communeCode", cu.name as "communeName"
        from ${v}
        left join lateral (select full_name, birth_date from people where people.id = ${v.personId} limit 1) p on true
        left join lateral (select name from vaccine_products where vaccine_products.code = ${v.productCode}) vp on true
        left join lateral (select lot_number from vaccine_lots where vaccine_lots.id = ${v.lotId}) l on true
        left join lateral (select name from vaccination_sites where vaccination_sites.id = ${v.siteId}) s on true
        left join lateral (select name from admin_units where admin_units.code = ${v.communeCode}::text) cu on true
        where ${where}
        order by ${v.provinceCode}, ${v.communeCode}, ${v.givenOn}, ${v.id}${page(limit)}`;
    },
    keyOf: (row) => [row.provinceCode, row.communeCode, row.givenOn, row.id],
  };
}

/** The rows of a line list inside the user's area: the statement the export streams (and the benchmark COPYs). */
export function lineListSource(kind: LineListKind, user: AuthUser, filters: LineListFilters): RowSource<Row> {
  if (kind === "cases") return casesSource(user, filters);
  if (kind === "contacts") return contactsSource(user, filters);
  return dosesSource(user, filters);
}

/** The whole statement of a line list, for COPY (the benchmark). */
export function lineListSql(kind: LineListKind, user: AuthUser, filters: LineListFilters): SQL {
  return lineListSource(kind, user, filters).select();
}

/** GET /api/exports/line-lists/{kind}.{csv,xlsx,json}. */
export async function exportLineList(deps: Deps, actor: SignedIn, kind: LineListKind, format: Format, q: LineListQueryT) {
  const { user } = actor;
  const range = exportRange(deps, q);
  const commune = q.communeCode ? await communeInArea(deps, user, q.communeCode) : null;
  const filters: LineListFilters = { ...range, communeCode: commune?.code ?? null };
  const area = commune ? { provinceCode: commune.provinceCode, communeCode: commune.code } : { provinceCode: user.provinceCode, communeCode: user.communeCode };
  const audit = (rows: number, complete: boolean) =>
    recordAudit(deps, actor, {
      action: "export.line_list",
      subjectType: "line_list",
      area,
      details: { kind, format, filters: { from: range.from, to: range.to, communeCode: commune?.code ?? null }, rows, complete },
    });
  // Written before the first row leaves, so even a download cut short by a crash is on record;
  // the row written at the end adds how many rows went out and whether the download finished.
  await recordAudit(deps, actor, {
    action: "export.line_list.start",
    subjectType: "line_list",
    area,
    details: { kind, format, filters: { from: range.from, to: range.to, communeCode: commune?.code ?? null } },
  });
  const rows = await primed(counted(readBatches(deps.database, lineListSource(kind, user, filters)), audit));
  const name = `line-list-${kind}_${areaTag(area.provinceCode, area.communeCode)}_${range.from}_${range.to}`;
  return { body: exportBody(format, LINE_LIST_COLUMNS[kind], rows, SHEETS[kind]), headers: downloadHeaders(format, name) };
}
