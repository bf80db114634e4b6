/**
 * Community reports (docs/CITIZENS.md, "Community reports"): anyone files one and follows it by
 * its receipt code; the commune and province teams work their area's inbox and add notes, which
 * move the status (new → checking → resolved | unfounded). Reading a report (it may carry the
 * reporter's name and phone) is audited.
 */
import { randomInt } from "node:crypto";
import { and, asc, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { reportNotes, reports, users, type Report } from "../../db/schema";
import { provinceOfCommune } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import { areaFilter, type AuthUser } from "../auth/scope";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { decodeCursor, page } from "../http/pagination";
import { msg } from "../declarations/schemas";
import { RECEIPT_ALPHABET, RECEIPT_LENGTH, type CreateReportT } from "./schemas";

export type SignedIn = Actor & { user: AuthUser };

const WRITERS = new Set(["commune_officer", "province_officer", "national_admin"]);

export function newReceipt(): string {
  let s = "";
  for (let i = 0; i < RECEIPT_LENGTH; i++) s += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return s;
}

/** POST /api/reports: anyone (a signed-in citizen's account is kept as the reporter). */
export async function createReport(deps: Deps, actor: Actor, input: CreateReportT, reporterUserId: string | null) {
  let provinceCode: string;
  try {
    provinceCode = await provinceOfCommune(deps, input.communeCode, "communeCode");
  } catch (e) {
    if (e instanceof AppError && e.code === "validation_failed")
      throw new AppError("validation_failed", "No such commune", [{ path: "communeCode", message: msg("Không có xã/phường này", "No such commune") }]);
    throw e;
  }
  const now = deps.now();
  for (let attempt = 0; attempt < 8; attempt++) {
    const [row] = await deps.db
      .insert(reports)
      .values({
        provinceCode,
        communeCode: input.communeCode,
        receipt: newReceipt(),
        kind: input.kind,
        description: input.description,
        place: input.place ?? null,
        reporterName: input.name ?? null,
        reporterPhone: input.phone ?? null,
        reporterUserId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: reports.receipt })
      .returning();
    if (!row) continue; // receipt taken: draw another
    await recordAudit(deps, actor, {
      action: "report.create",
      subjectType: "report",
      subjectId: row.id,
      area: { provinceCode: row.provinceCode, communeCode: row.communeCode },
      details: { kind: row.kind, signedIn: !!reporterUserId },
    });
    return { receipt: row.receipt, status: row.status, createdAt: row.createdAt.toISOString() };
  }
  throw new AppError("unavailable", "Could not allocate a receipt code; try again");
}

/** GET /api/reports/receipt/{receipt}: status, dates and public notes; nothing about the reporter. */
export async function reportByReceipt(deps: Deps, receipt: string) {
  const [r] = await deps.db.select().from(reports).where(eq(reports.receipt, receipt)).limit(1);
  if (!r) throw new AppError("not_found", msg("Không tìm thấy mã tiếp nhận", "No report with this receipt code"));
  const notes = await deps.db
    .select({ note: reportNotes.note, status: reportNotes.status, createdAt: reportNotes.createdAt })
    .from(reportNotes)
    .where(and(eq(reportNotes.reportId, r.id), eq(reportNotes.isPublic, true)))
    .orderBy(asc(reportNotes.createdAt), asc(reportNotes.id));
  return {
    receipt: r.receipt,
    kind: r.kind,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    notes: notes.map((n) => ({ note: n.note, status: n.status, createdAt: n.createdAt.toISOString() })),
  };
}

// ---- officers ----

const scope = (user: AuthUser) => areaFilter(user, { provinceCode: reports.provinceCode, communeCode: reports.communeCode });
const areaOf = (actor: SignedIn) => ({ provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode });

async function findReport(deps: Deps, user: AuthUser, id: string): Promise<Report> {
  const [row] = await deps.db
    .select()
    .from(reports)
    .where(and(eq(reports.id, id), scope(user)))
    .limit(1);
  if (!row) throw notFound("Report");
  return row;
}

function summary(r: Report) {
  return {
    id: r.id,
    receipt: r.receipt,
    provinceCode: r.provinceCode,
    communeCode: r.communeCode,
    kind: r.kind,
    place: r.place,
    description: r.description,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function detail(deps: Deps, r: Report) {
  const notes = await deps.db.select().from(reportNotes).where(eq(reportNotes.reportId, r.id)).orderBy(asc(reportNotes.createdAt), asc(reportNotes.id));
  return {
    ...summary(r),
    reporter: { name: r.reporterName, phone: r.reporterPhone, userId: r.reporterUserId },
    notes: notes.map((n) => ({
      id: n.id,
      note: n.note,
      status: n.status,
      isPublic: n.isPublic,
      authorUserId: n.authorUserId,
      authorName: n.authorName,
      createdAt: n.createdAt.toISOString(),
    })),
  };
}

export interface ReportListInput {
  status?: Report["status"] | undefined;
  kind?: Report["kind"] | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The area's inbox, newest first (keyset on created_at, id). */
export async function listReports(deps: Deps, actor: SignedIn, input: ReportListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  if (after && (typeof after[0] !== "string" || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== "string"))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const conds: (SQL | undefined)[] = [
    scope(actor.user),
    input.status ? eq(reports.status, input.status) : undefined,
    input.kind ? eq(reports.kind, input.kind) : undefined,
    input.provinceCode ? eq(reports.provinceCode, input.provinceCode) : undefined,
    input.communeCode ? eq(reports.communeCode, input.communeCode) : undefined,
    after
      ? or(sql`${reports.createdAt} < ${after[0]}::timestamptz`, and(sql`${reports.createdAt} = ${after[0]}::timestamptz`, sql`${reports.id} < ${after[1]}::uuid`))
      : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(reports)
    .where(and(...conds))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (r) => [r.createdAt.toISOString(), r.id]);
  await recordAudit(deps, actor, {
    action: "report.list",
    subjectType: "report",
    area: areaOf(actor),
    details: { count: result.items.length, filters: { status: input.status, kind: input.kind, communeCode: input.communeCode } },
  });
  return { items: result.items.map(summary), nextCursor: result.nextCursor };
}

export async function getReport(deps: Deps, actor: SignedIn, id: string) {
  const r = await findReport(deps, actor.user, id);
  await recordAudit(deps, actor, { action: "report.read", subjectType: "report", subjectId: r.id, area: r });
  return detail(deps, r);
}

export async function addReportNote(
  deps: Deps,
  actor: SignedIn,
  id: string,
  input: { note: string; status?: "checking" | "resolved" | "unfounded" | undefined; isPublic: boolean },
) {
  if (!WRITERS.has(actor.user.role)) throw new AppError("forbidden", "Your role may read reports but not work them");
  const r = await findReport(deps, actor.user, id);
  const [author] = await deps.db.select({ name: users.displayName }).from(users).where(eq(users.id, actor.user.id)).limit(1);
  const now = deps.now();
  await deps.db.insert(reportNotes).values({
    reportId: r.id,
    authorUserId: actor.user.id,
    authorName: author?.name ?? actor.user.username,
    note: input.note,
    status: input.status ?? null,
    isPublic: input.isPublic,
    createdAt: now,
  });
  const [row] = await deps.db
    .update(reports)
    .set({ updatedAt: now, ...(input.status ? { status: input.status } : {}) })
    .where(eq(reports.id, r.id))
    .returning();
  await recordAudit(deps, actor, {
    action: "report.note",
    subjectType: "report",
    subjectId: r.id,
    area: r,
    details: { from: r.status, to: row!.status, isPublic: input.isPublic },
  });
  return detail(deps, row!);
}
