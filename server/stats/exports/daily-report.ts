/**
 * The daily report (docs/STATS.md, "Exports"): the workbook a provincial CDC sends upward every
 * day, read from daily_stats only.
 *
 * - "Tổng hợp": the province's headline figures, of the day and cumulative up to the end of the
 *   day (or, for the stocks — active cases, contacts in quarantine, coverage — the value now, as the
 *   roll-ups keep them): new cases, active/recovered/died, F1/F2 identified, in quarantine, samples,
 *   positive/negative results and positivity, doses by number, coverage by dose.
 * - "Theo xã": one row per commune of the province (all of them, 0 where nothing was counted), a
 *   row for figures without a commune when there are any, and the province's total.
 *
 * A caller of one commune (a commune officer, a health officer of a commune) gets the report of
 * that commune. Headers and labels are Vietnamese.
 */
import { and, eq, sql } from "drizzle-orm";
import { adminUnits, type Metric } from "../../../db/schema";
import { inArea } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import type { DailyReportQueryT } from "./schemas";
import { areaTag, outOfArea, provinceByCode, type SignedIn } from "./service";
import { downloadHeaders, inMemory, type Column } from "./stream";
import { writeTable, xlsxStream, type Book } from "./xlsx";

const REPORT_METRICS = [
  "cases_new",
  "cases_active",
  "cases_recovered",
  "cases_died",
  "f1_identified",
  "f2_identified",
  "contacts_quarantined",
  "samples",
  "results_positive",
  "results_negative",
  "doses_1",
  "doses_2",
  "doses_3",
] as const satisfies readonly Metric[];
type ReportMetric = (typeof REPORT_METRICS)[number];
type Figures = Record<ReportMetric, { day: number; total: number }>;

const emptyFigures = (): Figures => Object.fromEntries(REPORT_METRICS.map((m) => [m, { day: 0, total: 0 }])) as Figures;
const round2 = (x: number) => Math.round(x * 100) / 100;
/** A percentage with 2 decimals; null when the denominator is 0 or unknown. */
const percent = (n: number, of: number | null) => (of ? round2((100 * n) / of) : null);

export interface ReportUnit {
  provinceCode: string;
  provinceName: string;
  communeCode: string | null;
  communeName: string | null;
}

/** The province (or the caller's commune) reported on; another province, or an unknown one, is 404. */
async function resolveReportUnit(deps: Deps, actor: SignedIn, q: DailyReportQueryT): Promise<ReportUnit> {
  const { user } = actor;
  const code = q.provinceCode ?? user.provinceCode;
  if (!code)
    throw new AppError("validation_failed", "provinceCode is required", [
      { path: "provinceCode", message: msg("Chọn tỉnh/thành phố", "Choose the province") },
    ]);
  const province = await provinceByCode(deps, code);
  if (!province) throw outOfArea();
  if (user.role !== "national_admin" && user.provinceCode !== code) throw outOfArea();
  if (user.communeCode) {
    if (!inArea(user, { provinceCode: code, communeCode: user.communeCode })) throw outOfArea();
    const [c] = await deps.db.select({ name: adminUnits.name }).from(adminUnits).where(eq(adminUnits.code, user.communeCode)).limit(1);
    return { provinceCode: code, provinceName: province.name, communeCode: user.communeCode, communeName: c?.name ?? user.communeCode };
  }
  return { provinceCode: code, provinceName: province.name, communeCode: null, communeName: null };
}

interface CommuneFigures {
  code: string;
  name: string;
  population: number | null;
  figures: Figures;
}

/** Figures of the day and cumulative to its end, per commune of the unit (commune '' for rows without one). */
async function reportFigures(deps: Deps, unit: ReportUnit, day: string) {
  const metricList = sql.raw(REPORT_METRICS.map((m) => `'${m}'`).join(", "));
  const rows = await deps.database.query<{ commune: string; metric: ReportMetric; day: number; total: number }>(sql`
    select s.commune_code as "commune", s.metric as "metric",
           coalesce(sum(s.value) filter (where s.day = ${day}::date), 0)::float8 as "day", sum(s.value)::float8 as "total"
      from daily_stats s
     where s.province_code = ${unit.provinceCode} and s.day <= ${day}::date and s.metric in (${metricList})
       ${unit.communeCode ? sql`and s.commune_code = ${unit.communeCode}` : sql``}
     group by 1, 2`);
  const communes = await deps.db
    .select({ code: adminUnits.code, name: adminUnits.name, population: adminUnits.population })
    .from(adminUnits)
    .where(
      unit.communeCode
        ? and(eq(adminUnits.level, "commune"), eq(adminUnits.code, unit.communeCode))
        : and(eq(adminUnits.level, "commune"), eq(adminUnits.parentCode, unit.provinceCode)),
    )
    .orderBy(adminUnits.code);
  const [own] = await deps.db.select({ population: adminUnits.population }).from(adminUnits).where(eq(adminUnits.code, unit.provinceCode)).limit(1);
  const byCode = new Map<string, CommuneFigures>(communes.map((c) => [c.code, { code: c.code, name: c.name, population: c.population, figures: emptyFigures() }]));
  const total = emptyFigures();
  for (const r of rows) {
    const code = r.commune.trim();
    let entry = byCode.get(code);
    if (!entry) {
      entry = { code, name: code ? code : "Chưa rõ xã/phường", population: null, figures: emptyFigures() };
      byCode.set(code, entry);
    }
    entry.figures[r.metric].day += Number(r.day);
    entry.figures[r.metric].total += Number(r.total);
    total[r.metric].day += Number(r.day);
    total[r.metric].total += Number(r.total);
  }
  const communePopulation = communes.reduce((s, c) => s + (c.population ?? 0), 0);
  const population = unit.communeCode
    ? (communes[0]?.population ?? null)
    : (own?.population ?? (communes.some((c) => c.population !== null) ? communePopulation : null));
  // The communes in code order, then the figures without a commune.
  const list = [...byCode.values()].sort((a, b) => (a.code === "" ? 1 : b.code === "" ? -1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { total, population, communes: list };
}

const positivity = (f: Figures, k: "day" | "total") => percent(f.results_positive[k], f.results_positive[k] + f.results_negative[k]);
const doses = (f: Figures, k: "day" | "total") => f.doses_1[k] + f.doses_2[k] + f.doses_3[k];

/** The rows of "Tổng hợp": label, the day's figure, cumulative (or now) figure. */
function summaryRows(f: Figures, population: number | null): [string, number | null, number | null][] {
  return [
    ["Ca mắc mới (F0)", f.cases_new.day, f.cases_new.total],
    ["Ca đang điều trị (hiện tại)", null, f.cases_active.total],
    ["Ca khỏi bệnh", null, f.cases_recovered.total],
    ["Ca tử vong", null, f.cases_died.total],
    ["F1 mới xác định", f.f1_identified.day, f.f1_identified.total],
    ["F2 mới xác định", f.f2_identified.day, f.f2_identified.total],
    ["Đang cách ly (hiện tại)", null, f.contacts_quarantined.total],
    ["Mẫu xét nghiệm", f.samples.day, f.samples.total],
    ["Kết quả dương tính", f.results_positive.day, f.results_positive.total],
    ["Kết quả âm tính", f.results_negative.day, f.results_negative.total],
    ["Tỉ lệ dương tính (%)", positivity(f, "day"), positivity(f, "total")],
    ["Mũi 1", f.doses_1.day, f.doses_1.total],
    ["Mũi 2", f.doses_2.day, f.doses_2.total],
    ["Mũi 3 trở lên", f.doses_3.day, f.doses_3.total],
    ["Tổng số mũi tiêm", doses(f, "day"), doses(f, "total")],
    ["Dân số", null, population],
    ["Tỉ lệ bao phủ mũi 1 (%)", null, percent(f.doses_1.total, population)],
    ["Tỉ lệ bao phủ mũi 2 (%)", null, percent(f.doses_2.total, population)],
    ["Tỉ lệ bao phủ mũi 3 (%)", null, percent(f.doses_3.total, population)],
  ];
}

export const COMMUNE_COLUMNS: Column[] = [
  { key: "code", label: "Mã xã/phường", width: 12 },
  { key: "name", label: "Xã/phường", width: 26 },
  { key: "population", label: "Dân số", width: 10 },
  { key: "casesNewDay", label: "Ca mắc mới trong ngày", width: 12 },
  { key: "casesNewTotal", label: "Ca mắc cộng dồn", width: 12 },
  { key: "casesActive", label: "Đang điều trị", width: 12 },
  { key: "f1Day", label: "F1 mới trong ngày", width: 12 },
  { key: "f2Day", label: "F2 mới trong ngày", width: 12 },
  { key: "inQuarantine", label: "Đang cách ly", width: 12 },
  { key: "samplesDay", label: "Mẫu xét nghiệm trong ngày", width: 12 },
  { key: "positiveDay", label: "Dương tính trong ngày", width: 12 },
  { key: "positivityDay", label: "Tỉ lệ dương tính trong ngày (%)", width: 12 },
  { key: "dosesDay", label: "Mũi tiêm trong ngày", width: 12 },
  { key: "doses1Total", label: "Mũi 1 cộng dồn", width: 12 },
  { key: "doses2Total", label: "Mũi 2 cộng dồn", width: 12 },
  { key: "doses3Total", label: "Mũi 3 trở lên cộng dồn", width: 12 },
  { key: "coverage1", label: "Bao phủ mũi 1 (%)", width: 12 },
  { key: "coverage2", label: "Bao phủ mũi 2 (%)", width: 12 },
];

function communeRow(code: string | null, name: string, population: number | null, f: Figures): Record<string, string | number | null> {
  return {
    code,
    name,
    population,
    casesNewDay: f.cases_new.day,
    casesNewTotal: f.cases_new.total,
    casesActive: f.cases_active.total,
    f1Day: f.f1_identified.day,
    f2Day: f.f2_identified.day,
    inQuarantine: f.contacts_quarantined.total,
    samplesDay: f.samples.day,
    positiveDay: f.results_positive.day,
    positivityDay: positivity(f, "day"),
    dosesDay: doses(f, "day"),
    doses1Total: f.doses_1.total,
    doses2Total: f.doses_2.total,
    doses3Total: f.doses_3.total,
    coverage1: percent(f.doses_1.total, population),
    coverage2: percent(f.doses_2.total, population),
  };
}

const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

function writeSummary(book: Book, unit: ReportUnit, day: string, f: Figures, population: number | null) {
  const sheet = book.addWorksheet("Tổng hợp");
  sheet.columns = [{ width: 6 }, { width: 34 }, { width: 14 }, { width: 22 }];
  const where = unit.communeCode ? `${unit.communeName} (${unit.communeCode}), ${unit.provinceName}` : `${unit.provinceName} (${unit.provinceCode})`;
  const title = sheet.addRow([`BÁO CÁO TÌNH HÌNH DỊCH BỆNH NGÀY ${dmy(day)}`]);
  title.font = { bold: true, size: 14 };
  title.commit();
  sheet.addRow([`Đơn vị: ${where}`]).commit();
  sheet.addRow([`Số liệu đến hết ngày ${dmy(day)} (giờ Việt Nam), từ số liệu tổng hợp hằng ngày`]).commit();
  sheet.addRow([]).commit();
  const header = sheet.addRow(["STT", "Chỉ tiêu", "Trong ngày", "Cộng dồn / hiện tại"]);
  header.font = { bold: true };
  header.commit();
  summaryRows(f, population).forEach(([label, dayValue, total], i) => sheet.addRow([i + 1, label, dayValue, total]).commit());
  sheet.commit();
}

/** GET /api/exports/daily-report.xlsx. */
export async function exportDailyReport(deps: Deps, actor: SignedIn, q: DailyReportQueryT) {
  const day = q.day ?? vnDay(deps.now());
  const unit = await resolveReportUnit(deps, actor, q);
  const { total, population, communes } = await reportFigures(deps, unit, day);
  const rows = communes.map((c) => communeRow(c.code || null, c.name, c.population, c.figures));
  if (!unit.communeCode) rows.push(communeRow(unit.provinceCode, `Toàn tỉnh: ${unit.provinceName}`, population, total));
  const body = xlsxStream(async (book, room) => {
    writeSummary(book, unit, day, total, population);
    await room();
    await writeTable(book, "Theo xã", COMMUNE_COLUMNS, inMemory(rows), room);
  });
  return { body, headers: downloadHeaders("xlsx", `daily-report_${areaTag(unit.provinceCode, unit.communeCode)}_${day}`) };
}
