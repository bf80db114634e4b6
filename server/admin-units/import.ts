/**
 * Communes from CSV (code,name,province_code,population): shared by the API and
 * `npm run import:communes`. Valid rows are upserted in one transaction; invalid rows are
 * reported by line and nothing of them is written.
 */
import { parse } from "csv-parse/sync";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { adminUnits } from "../../db/schema";

export interface CommuneImportOptions {
  /** Only rows of this province are accepted (a province officer's import). */
  province?: string | null;
  dryRun?: boolean;
}

export interface CommuneImportReport {
  dryRun: boolean;
  received: number;
  created: number;
  updated: number;
  rejected: { line: number; code: string | null; message: string }[];
}

const REQUIRED = ["code", "name", "province_code", "population"] as const;

export class CsvFormatError extends Error {}

export async function importCommunes(db: Db, csv: string, options: CommuneImportOptions = {}): Promise<CommuneImportReport> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    throw new CsvFormatError(`Not a readable CSV file: ${(e as Error).message}`);
  }
  const header = (records.shift() ?? []).map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((h) => !header.includes(h));
  if (missing.length) throw new CsvFormatError(`Missing column(s): ${missing.join(", ")} (expected header: ${REQUIRED.join(",")})`);
  const col = Object.fromEntries(REQUIRED.map((h) => [h, header.indexOf(h)])) as Record<(typeof REQUIRED)[number], number>;

  const provinces = new Set(
    (await db.select({ code: adminUnits.code }).from(adminUnits).where(eq(adminUnits.level, "province"))).map((p) => p.code),
  );
  const report: CommuneImportReport = { dryRun: !!options.dryRun, received: records.length, created: 0, updated: 0, rejected: [] };
  const rows = new Map<string, { code: string; name: string; parentCode: string; population: number | null; line: number }>();
  records.forEach((r, i) => {
    const line = i + 2;
    const code = r[col.code] ?? "";
    const name = r[col.name] ?? "";
    const province = r[col.province_code] ?? "";
    const popText = (r[col.population] ?? "").replace(/[\s,.]/g, "");
    const reject = (message: string) => report.rejected.push({ line, code: code || null, message });
    if (!/^\d{5}$/.test(code)) return reject("code must be 5 digits");
    if (!name) return reject("name is empty");
    if (name.length > 200) return reject("name is longer than 200 characters");
    if (!provinces.has(province)) return reject(`unknown province_code "${province}"`);
    if (options.province && province !== options.province) return reject(`province ${province} is outside your area`);
    if (popText && !/^\d{1,9}$/.test(popText)) return reject("population must be a whole number");
    if (rows.has(code)) return reject(`duplicate code (first seen on line ${rows.get(code)!.line})`);
    rows.set(code, { code, name, parentCode: province, population: popText ? Number(popText) : null, line });
  });

  const valid = [...rows.values()];
  if (options.province && valid.length) {
    // A province may not take over communes that another province holds.
    const held = await db
      .select({ code: adminUnits.code, parent: adminUnits.parentCode })
      .from(adminUnits)
      .where(inArray(adminUnits.code, valid.map((r) => r.code)));
    for (const h of held) {
      if (h.parent !== options.province) {
        const row = rows.get(h.code)!;
        report.rejected.push({ line: row.line, code: h.code, message: `commune ${h.code} belongs to province ${h.parent}` });
        rows.delete(h.code);
      }
    }
  }
  const toWrite = [...rows.values()];
  report.rejected.sort((a, b) => a.line - b.line);
  if (options.dryRun) {
    const existing = toWrite.length
      ? await db.select({ code: adminUnits.code }).from(adminUnits).where(inArray(adminUnits.code, toWrite.map((r) => r.code)))
      : [];
    report.updated = existing.length;
    report.created = toWrite.length - existing.length;
    return report;
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < toWrite.length; i += 1000) {
      const chunk = toWrite.slice(i, i + 1000);
      const result = await tx
        .insert(adminUnits)
        .values(chunk.map((r) => ({ code: r.code, name: r.name, level: "commune" as const, parentCode: r.parentCode, population: r.population })))
        .onConflictDoUpdate({
          target: adminUnits.code,
          set: { name: sql`excluded.name`, parentCode: sql`excluded.parent_code`, population: sql`excluded.population` },
        })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      for (const r of result) r.inserted ? report.created++ : report.updated++;
    }
  });
  return report;
}
