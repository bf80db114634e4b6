/**
 * Bulk import of dose records (docs/VACCINATION.md, "Bulk import"): upload → preview (nothing
 * written to the registry; the file is kept on the import row), then commit (the planning runs
 * again inside one transaction and the accepted rows are written set-based) or discard. The file
 * is dropped once the import is closed. Previews hold personal data: every read is audited.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { pgArray, rowsOf } from "../../../db/client";
import { vaccinationImports, vaccinationSites } from "../../../db/schema";
import { recordAudit, type Actor } from "../../audit/service";
import { areaFilter, type AuthUser } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { CsvFileError, writeCsv } from "./csv";
import { planImport, type ImportCounts, type ImportPlan, type PlanContext, type Queryable } from "./plan";

export type SignedIn = Actor & { user: AuthUser };

const REJECTED_SHOWN = 200;
const SAMPLE_SHOWN = 20;
/** Rows per insert statement at commit (one array parameter per column, so any size is one statement). */
const INSERT_CHUNK = 10_000;

const planContext = (deps: Deps): PlanContext => ({ keys: deps.keys, today: vnDay(deps.now()) });

/** The import row without the file (which may be megabytes). */
const importColumns = {
  id: vaccinationImports.id,
  provinceCode: vaccinationImports.provinceCode,
  communeCode: vaccinationImports.communeCode,
  siteId: vaccinationImports.siteId,
  siteName: vaccinationSites.name,
  fileName: vaccinationImports.fileName,
  status: vaccinationImports.status,
  totalRows: vaccinationImports.totalRows,
  createRows: vaccinationImports.createRows,
  mergeRows: vaccinationImports.mergeRows,
  rejectedRows: vaccinationImports.rejectedRows,
  createdAt: vaccinationImports.createdAt,
  committedAt: vaccinationImports.committedAt,
};
type ImportRow = {
  id: string;
  provinceCode: string;
  communeCode: string | null;
  siteId: string;
  siteName: string;
  fileName: string;
  status: "previewed" | "committed" | "discarded";
  totalRows: number;
  createRows: number;
  mergeRows: number;
  rejectedRows: number;
  createdAt: Date;
  committedAt: Date | null;
};

const importScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: vaccinationImports.provinceCode, communeCode: vaccinationImports.communeCode, siteId: vaccinationImports.siteId });

/** A site the caller may import for: site staff their own sites, officers the sites of their area; else 404. */
async function findSite(deps: Deps, user: AuthUser, siteId: string) {
  const [site] = await deps.db
    .select({ id: vaccinationSites.id, name: vaccinationSites.name, provinceCode: vaccinationSites.provinceCode, communeCode: vaccinationSites.communeCode })
    .from(vaccinationSites)
    .where(
      and(
        eq(vaccinationSites.id, siteId),
        areaFilter(user, { provinceCode: vaccinationSites.provinceCode, communeCode: vaccinationSites.communeCode, siteId: vaccinationSites.id }),
      ),
    )
    .limit(1);
  if (!site) throw notFound("Vaccination site");
  return site;
}

async function findImport(deps: Deps, user: AuthUser, id: string): Promise<ImportRow> {
  const [row] = await deps.db
    .select(importColumns)
    .from(vaccinationImports)
    .innerJoin(vaccinationSites, eq(vaccinationSites.id, vaccinationImports.siteId))
    .where(and(eq(vaccinationImports.id, id), importScope(user)))
    .limit(1);
  if (!row) throw notFound("Import");
  return row;
}

async function storedFile(deps: Deps, id: string): Promise<string | null> {
  const [row] = await deps.db.select({ csv: vaccinationImports.csv }).from(vaccinationImports).where(eq(vaccinationImports.id, id)).limit(1);
  return row?.csv ?? null;
}

async function plan(q: Queryable, deps: Deps, csv: string): Promise<ImportPlan> {
  try {
    return await planImport(q, planContext(deps), csv);
  } catch (e) {
    if (e instanceof CsvFileError) throw new AppError("validation_failed", e.message, [{ path: "(body)", message: e.message }]);
    throw e;
  }
}

function countsOf(row: Pick<ImportRow, "totalRows" | "createRows" | "mergeRows" | "rejectedRows">): ImportCounts {
  return {
    totalRows: row.totalRows,
    createRows: row.createRows,
    mergeRows: row.mergeRows,
    rejectedRows: row.rejectedRows,
    unchangedRows: row.totalRows - row.createRows - row.mergeRows - row.rejectedRows,
  };
}

const area = (row: { provinceCode: string; communeCode: string | null }) => ({ provinceCode: row.provinceCode, communeCode: row.communeCode });

function summary(row: ImportRow) {
  return {
    id: row.id,
    siteId: row.siteId,
    siteName: row.siteName,
    fileName: row.fileName,
    status: row.status,
    ...countsOf(row),
    createdAt: row.createdAt.toISOString(),
    committedAt: row.committedAt?.toISOString() ?? null,
  };
}

/** The ImportPreview answer: counts and lists from a plan when there is one (the file is kept), else the stored counts. */
function preview(row: ImportRow, p: ImportPlan | null) {
  const rejected = p ? p.rows.filter((r) => r.action === "rejected").slice(0, REJECTED_SHOWN) : [];
  return {
    id: row.id,
    siteId: row.siteId,
    fileName: row.fileName,
    status: row.status,
    ...(p ? p.counts : countsOf(row)),
    rejected: rejected.map((r) => ({ row: r.row, errors: r.errors })),
    sample: (p ? p.rows.slice(0, SAMPLE_SHOWN) : []).map((r) => ({
      row: r.row,
      action: r.action,
      fullName: r.fullName,
      doseNumber: r.doseNumber,
      productCode: r.productCode,
      givenOn: r.givenOn,
    })),
    createdAt: row.createdAt.toISOString(),
    committedAt: row.committedAt?.toISOString() ?? null,
  };
}

/** POST /api/vaccination-imports: read and plan the file, keep it, answer the preview. */
export async function uploadImport(deps: Deps, actor: SignedIn, input: { siteId: string; fileName: string }, csv: string) {
  const site = await findSite(deps, actor.user, input.siteId);
  const p = await plan(deps.db, deps, csv);
  const now = deps.now();
  const [created] = await deps.db
    .insert(vaccinationImports)
    .values({
      provinceCode: site.provinceCode,
      communeCode: site.communeCode,
      siteId: site.id,
      fileName: input.fileName,
      csv,
      status: "previewed",
      totalRows: p.counts.totalRows,
      createRows: p.counts.createRows,
      mergeRows: p.counts.mergeRows,
      rejectedRows: p.counts.rejectedRows,
      createdBy: actor.user.id,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: vaccinationImports.id });
  const row: ImportRow = {
    id: created!.id,
    provinceCode: site.provinceCode,
    communeCode: site.communeCode,
    siteId: site.id,
    siteName: site.name,
    fileName: input.fileName,
    status: "previewed",
    totalRows: p.counts.totalRows,
    createRows: p.counts.createRows,
    mergeRows: p.counts.mergeRows,
    rejectedRows: p.counts.rejectedRows,
    createdAt: now,
    committedAt: null,
  };
  await recordAudit(deps, actor, {
    action: "vaccination_import.upload",
    subjectType: "vaccination_import",
    subjectId: row.id,
    area: area(site),
    details: { siteId: site.id, fileName: input.fileName, ...p.counts },
  });
  return preview(row, p);
}

export interface ImportListInput {
  siteId?: string | undefined;
  status?: ImportRow["status"] | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** GET /api/vaccination-imports: the imports of the caller's area (site staff: their sites), newest first. */
export async function listImports(deps: Deps, actor: SignedIn, input: ImportListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  if (after && (typeof after[0] !== "string" || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== "string" || !/^[0-9a-f-]{36}$/i.test(after[1])))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const conds: (SQL | undefined)[] = [
    importScope(actor.user),
    input.siteId ? eq(vaccinationImports.siteId, input.siteId) : undefined,
    input.status ? eq(vaccinationImports.status, input.status) : undefined,
    after
      ? or(
          sql`${vaccinationImports.createdAt} < ${after[0]}::timestamptz`,
          and(sql`${vaccinationImports.createdAt} = ${after[0]}::timestamptz`, sql`${vaccinationImports.id} < ${after[1]}::uuid`),
        )
      : undefined,
  ];
  const rows = await deps.db
    .select(importColumns)
    .from(vaccinationImports)
    .innerJoin(vaccinationSites, eq(vaccinationSites.id, vaccinationImports.siteId))
    .where(and(...conds))
    .orderBy(desc(vaccinationImports.createdAt), desc(vaccinationImports.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (r) => [r.createdAt.toISOString(), r.id]);
  return { items: result.items.map(summary), nextCursor: result.nextCursor };
}

/** GET /api/vaccination-imports/{id}: while the file is kept, planned again (what a commit would do now); audited. */
export async function getImport(deps: Deps, actor: SignedIn, id: string) {
  const row = await findImport(deps, actor.user, id);
  const csv = row.status === "previewed" ? await storedFile(deps, id) : null;
  const p = csv === null ? null : await plan(deps.db, deps, csv);
  await recordAudit(deps, actor, {
    action: "vaccination_import.read",
    subjectType: "vaccination_import",
    subjectId: row.id,
    area: area(row),
    details: { status: row.status, rows: p?.counts.totalRows ?? row.totalRows },
  });
  return preview(row, p);
}

const closed = (status: string) =>
  new AppError(
    "import_closed",
    status === "committed"
      ? msg("Tệp này đã được ghi vào sổ tiêm chủng", "This import is already committed")
      : msg("Tệp này đã bị huỷ; tải lên lại nếu cần", "This import was discarded; upload the file again if needed"),
  );

/** GET /api/vaccination-imports/{id}/rejected.csv: the rejected rows as they were, with `dong` (row) and `loi` (errors); audited. */
export async function rejectedCsv(deps: Deps, actor: SignedIn, id: string) {
  const row = await findImport(deps, actor.user, id);
  const csv = row.status === "previewed" ? await storedFile(deps, id) : null;
  if (csv === null) throw closed(row.status);
  const p = await plan(deps.db, deps, csv);
  const width = p.file.header.length;
  const lines = [[...p.file.header, "dong", "loi"]];
  for (const r of p.rows) {
    if (r.action !== "rejected") continue;
    const cells = Array.from({ length: width }, (_, i) => r.cells[i] ?? "");
    lines.push([...cells, String(r.row), r.errors.map((e) => `${e.column}: ${e.message}`).join("; ")]);
  }
  await recordAudit(deps, actor, {
    action: "vaccination_import.rejected_csv",
    subjectType: "vaccination_import",
    subjectId: row.id,
    area: area(row),
    details: { rows: lines.length - 1 },
  });
  return { fileName: row.fileName, text: writeCsv(lines) };
}

/** Unique violation: a dose of the same number was recorded by someone else while we wrote. */
function isUniqueViolation(e: unknown): boolean {
  for (let err = e as { code?: unknown; cause?: unknown } | null | undefined, depth = 0; err && depth < 4; err = err.cause as typeof err, depth++)
    if (err.code === "23505") return true;
  return false;
}

/**
 * POST /api/vaccination-imports/{id}/commit. One transaction: lock the import row (a second commit
 * waits, then finds it closed), plan the kept file again against the registry as it is now, insert
 * the new people and the accepted doses with a few multi-row statements, close the import and drop
 * the file. A dose recorded by someone else between our read and our insert breaks the unique
 * index: the whole transaction is rolled back and planned again.
 */
export async function commitImport(deps: Deps, actor: SignedIn, id: string) {
  const row = await findImport(deps, actor.user, id);
  for (let attempt = 1; ; attempt++) {
    try {
      const { p, committedAt, people } = await deps.db.transaction(async (tx) => {
        const [locked] = rowsOf<{ status: string; csv: string | null }>(
          await tx.execute(sql`select status, csv from vaccination_imports where id = ${id}::uuid for update`),
        );
        if (!locked || locked.status !== "previewed" || locked.csv === null) throw closed(locked?.status ?? "discarded");
        const p = await plan(tx, deps, locked.csv);

        const personIds = new Map(p.newPeople.map((n) => [n, randomUUID()]));
        const people = [...personIds];
        for (let i = 0; i < people.length; i += INSERT_CHUNK) {
          const chunk = people.slice(i, i + INSERT_CHUNK);
          const col = (f: (n: (typeof chunk)[number]) => string | number | null) => pgArray(chunk.map(f));
          await tx.execute(sql`
            insert into people (id, province_code, commune_code, full_name, birth_date, birth_year, phone, id_number_hash)
            select id, ${row.provinceCode}::char(2), ${row.communeCode}::char(5), full_name, birth_date, extract(year from birth_date)::smallint, phone, id_number_hash
            from unnest(${col(([, pid]) => pid)}::uuid[], ${col(([n]) => n.fullName)}::text[], ${col(([n]) => n.birthDate)}::date[],
                        ${col(([n]) => n.phone)}::text[], ${col(([n]) => n.idHash)}::text[])
              as t(id, full_name, birth_date, phone, id_number_hash)`);
        }

        const doses = p.rows.filter((r) => r.action === "create" || r.action === "merge");
        for (let i = 0; i < doses.length; i += INSERT_CHUNK) {
          const chunk = doses.slice(i, i + INSERT_CHUNK);
          const col = (f: (r: (typeof chunk)[number]) => string | number | null) => pgArray(chunk.map(f));
          await tx.execute(sql`
            insert into vaccinations (province_code, commune_code, person_id, product_code, lot_id, dose_number, given_on, site_id, source, import_id, recorded_by)
            select ${row.provinceCode}::char(2), ${row.communeCode}::char(5), person_id, product_code, lot_id, dose_number, given_on,
                   ${row.siteId}::uuid, 'import', ${id}::uuid, ${actor.user.id}::uuid
            from unnest(${col((r) => r.personId ?? personIds.get(r.newPerson!)!)}::uuid[], ${col((r) => r.productCode)}::text[],
                        ${col((r) => r.lotId!)}::uuid[], ${col((r) => r.doseNumber)}::smallint[], ${col((r) => r.givenOn)}::date[])
              as t(person_id, product_code, lot_id, dose_number, given_on)`);
        }

        const committedAt = deps.now();
        await tx
          .update(vaccinationImports)
          .set({
            status: "committed",
            csv: null,
            totalRows: p.counts.totalRows,
            createRows: p.counts.createRows,
            mergeRows: p.counts.mergeRows,
            rejectedRows: p.counts.rejectedRows,
            committedAt,
            updatedAt: committedAt,
          })
          .where(eq(vaccinationImports.id, id));
        return { p, committedAt, people: people.length };
      });
      await recordAudit(deps, actor, {
        action: "vaccination_import.commit",
        subjectType: "vaccination_import",
        subjectId: id,
        area: area(row),
        details: { ...p.counts, peopleCreated: people, attempts: attempt },
      });
      return preview({ ...row, status: "committed", committedAt }, p);
    } catch (e) {
      if (attempt < 3 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}

/** POST /api/vaccination-imports/{id}/discard: nothing is written; the file is dropped. */
export async function discardImport(deps: Deps, actor: SignedIn, id: string) {
  const row = await findImport(deps, actor.user, id);
  const now = deps.now();
  const [done] = await deps.db
    .update(vaccinationImports)
    .set({ status: "discarded", csv: null, updatedAt: now })
    .where(and(eq(vaccinationImports.id, id), eq(vaccinationImports.status, "previewed")))
    .returning({ id: vaccinationImports.id });
  if (!done) {
    const [current] = await deps.db.select({ status: vaccinationImports.status }).from(vaccinationImports).where(eq(vaccinationImports.id, id));
    throw closed(current?.status ?? row.status);
  }
  await recordAudit(deps, actor, {
    action: "vaccination_import.discard",
    subjectType: "vaccination_import",
    subjectId: id,
    area: area(row),
    details: { fileName: row.fileName, totalRows: row.totalRows },
  });
  return preview({ ...row, status: "discarded" }, null);
}
