/**
 * Announcements of a province's steering committee (docs/STATS.md). Officers see and edit those
 * of their area (commune officers: their commune's; province officers: their province's, the
 * communes' included; national admins: all); anything else answers 404. Every write is audited.
 * The public situation of a province: its latest figures from the open data (same suppression)
 * and its published announcements, newest first.
 */
import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { adminUnits, announcements, type Announcement } from "../../../db/schema";
import { provinceOfCommune } from "../../admin-units/service";
import { recordAudit, type Actor } from "../../audit/service";
import { areaFilter, inArea, type AuthUser } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { addDays } from "../../vaccination/doses/rules";
import { addUp, dailyFigures, findProvince, latestDayWithData, suppressAll } from "../open-data/service";
import { SUPPRESSED_NOTE } from "../open-data/schemas";
import { PUBLIC_ANNOUNCEMENTS, type AnnouncementListQueryT, type CreateAnnouncementT, type UpdateAnnouncementT } from "./schemas";

export type SignedIn = Actor & { user: AuthUser };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const badCursor = () => new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
const scope = (user: AuthUser) => areaFilter(user, { provinceCode: announcements.provinceCode, communeCode: announcements.communeCode });
const areaOf = (a: { provinceCode: string; communeCode: string | null }) => ({ provinceCode: a.provinceCode, communeCode: a.communeCode });

export function presentAnnouncement(a: Announcement) {
  return {
    id: a.id,
    provinceCode: a.provinceCode,
    communeCode: a.communeCode,
    kind: a.kind,
    title: a.title,
    body: a.body,
    status: a.status,
    publishedAt: a.publishedAt?.toISOString() ?? null,
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** Newest first (keyset on created_at, id). */
export async function listAnnouncements(deps: Deps, actor: SignedIn, input: AnnouncementListQueryT) {
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  let keyset: SQL | undefined;
  if (after) {
    const at = typeof after[0] === "string" ? new Date(after[0]) : new Date(NaN);
    if (Number.isNaN(at.getTime()) || typeof after[1] !== "string" || !UUID.test(after[1])) throw badCursor();
    keyset = or(lt(announcements.createdAt, at), and(eq(announcements.createdAt, at), sql`${announcements.id} < ${after[1]}::uuid`));
  }
  const rows = await deps.db
    .select()
    .from(announcements)
    .where(
      and(
        scope(actor.user),
        input.status ? eq(announcements.status, input.status) : undefined,
        input.kind ? eq(announcements.kind, input.kind) : undefined,
        input.communeCode ? eq(announcements.communeCode, input.communeCode) : undefined,
        keyset,
      ),
    )
    .orderBy(desc(announcements.createdAt), desc(announcements.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (a) => [a.createdAt.toISOString(), a.id]);
  return { items: result.items.map(presentAnnouncement), nextCursor: result.nextCursor };
}

const refuse = (path: string, vi: string, en: string) => new AppError("validation_failed", en, [{ path, message: msg(vi, en) }]);

/** Where a new announcement belongs: the commune given (commune officers: theirs), else the province. */
async function targetArea(deps: Deps, user: AuthUser, input: CreateAnnouncementT): Promise<{ provinceCode: string; communeCode: string | null }> {
  const communeCode = input.communeCode ?? (user.role === "commune_officer" ? user.communeCode : null);
  let provinceCode: string;
  if (communeCode) {
    provinceCode = await provinceOfCommune(deps, communeCode, "communeCode");
    if (input.provinceCode && input.provinceCode !== provinceCode)
      throw refuse("communeCode", "Xã/phường không thuộc tỉnh/thành phố đã chọn", "The commune is not in that province");
  } else {
    const code = input.provinceCode ?? user.provinceCode;
    if (!code) throw refuse("provinceCode", "Chọn tỉnh/thành phố", "Choose the province");
    provinceCode = code;
    await findProvince(deps, provinceCode).catch(() => {
      throw refuse("provinceCode", "Không có tỉnh/thành phố này", "No such province");
    });
  }
  if (!inArea(user, { provinceCode, communeCode }))
    throw new AppError("forbidden", msg("Chỉ đăng thông báo cho địa bàn của bạn", "You may write announcements only for your own area"), [
      { path: communeCode ? "communeCode" : "provinceCode", message: msg("Chọn địa bàn của bạn", "Choose your own area") },
    ]);
  return { provinceCode, communeCode };
}

/** A new draft in the caller's area (another area: 403). */
export async function createAnnouncement(deps: Deps, actor: SignedIn, input: CreateAnnouncementT) {
  const area = await targetArea(deps, actor.user, input);
  const now = deps.now();
  const [row] = await deps.db
    .insert(announcements)
    .values({ ...area, kind: input.kind, title: input.title, body: input.body, status: "draft", createdBy: actor.user.id, createdAt: now, updatedAt: now })
    .returning();
  await recordAudit(deps, actor, {
    action: "announcement.create",
    subjectType: "announcement",
    subjectId: row!.id,
    area: areaOf(row!),
    details: { kind: row!.kind, title: row!.title },
  });
  return presentAnnouncement(row!);
}

/** Edits an announcement of the caller's area (else 404); moving it to `published` stamps publishedAt. */
export async function updateAnnouncement(deps: Deps, actor: SignedIn, id: string, input: UpdateAnnouncementT) {
  const [found] = await deps.db
    .select()
    .from(announcements)
    .where(and(eq(announcements.id, id), scope(actor.user)))
    .limit(1);
  if (!found) throw notFound("Announcement");
  const now = deps.now();
  const set: Partial<typeof announcements.$inferInsert> = { updatedAt: now };
  if (input.title !== undefined) set.title = input.title;
  if (input.body !== undefined) set.body = input.body;
  if (input.kind !== undefined) set.kind = input.kind;
  if (input.status !== undefined) {
    set.status = input.status;
    if (input.status === "published" && found.status !== "published") set.publishedAt = now;
  }
  const [updated] = await deps.db.update(announcements).set(set).where(eq(announcements.id, found.id)).returning();
  if (!updated) throw notFound("Announcement");
  await recordAudit(deps, actor, {
    action: "announcement.update",
    subjectType: "announcement",
    subjectId: found.id,
    area: areaOf(found),
    details: {
      fields: Object.keys(input).filter((k) => input[k as keyof UpdateAnnouncementT] !== undefined),
      ...(input.status !== undefined && input.status !== found.status ? { status: { from: found.status, to: input.status } } : {}),
    },
  });
  return presentAnnouncement(updated);
}

/** The published announcements of a province, newest first (no personal data). */
async function publishedOf(deps: Deps, provinceCode: string) {
  const rows = await deps.db
    .select({
      id: announcements.id,
      kind: announcements.kind,
      title: announcements.title,
      body: announcements.body,
      publishedAt: announcements.publishedAt,
      communeCode: announcements.communeCode,
      communeName: adminUnits.name,
    })
    .from(announcements)
    .leftJoin(adminUnits, sql`${adminUnits.code} = ${announcements.communeCode}::text`)
    .where(and(eq(announcements.provinceCode, provinceCode), eq(announcements.status, "published")))
    .orderBy(sql`${announcements.publishedAt} desc nulls last`, desc(announcements.id))
    .limit(PUBLIC_ANNOUNCEMENTS);
  return rows.map((r) => ({ ...r, publishedAt: (r.publishedAt ?? new Date(0)).toISOString(), communeName: r.communeName ?? null }));
}

/**
 * GET /api/public/situation/{provinceCode} and the page: the figures of the latest day with
 * data (up to today, Vietnam) and of the 7 days ending then, from the open data, and the
 * published announcements.
 */
export async function situation(deps: Deps, provinceCode: string) {
  const province = await findProvince(deps, provinceCode);
  const [day, published] = await Promise.all([latestDayWithData(deps, province.code, vnDay(deps.now())), publishedOf(deps, province.code)]);
  let latest = null;
  let last7Days = null;
  if (day) {
    const from = addDays(day, -6);
    const rows = await dailyFigures(deps, { provinceCode: province.code, from, to: day });
    const today = rows.find((r) => r.day === day);
    if (today) latest = { day, provinceCode: province.code, provinceName: province.name, ...suppressAll(today.figures) };
    last7Days = { from, to: day, ...suppressAll(addUp(rows.map((r) => r.figures))) };
  }
  return { province, day, figures: { latest, last7Days }, announcements: published, suppressed: SUPPRESSED_NOTE as typeof SUPPRESSED_NOTE };
}
