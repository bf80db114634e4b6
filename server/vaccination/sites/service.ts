/**
 * Vaccination sites, their staff and their slots. Officers see and manage the sites of their
 * area, site staff the sites they are assigned to; anything else answers 404 (server/auth/scope.ts).
 * Open sites and slots are public: they carry no personal data.
 */
import { and, asc, eq, gt, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { siteStaff, users, vaccinationSites, vaccinationSlots, vaccineProducts } from "../../../db/schema";
import { provinceOfCommune } from "../../admin-units/service";
import { recordAudit, type Actor } from "../../audit/service";
import { areaFilter, inArea, type AuthUser } from "../../auth/scope";
import { vnDay, vnDayRange } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { containsPattern } from "../../http/search";
import { addDays, daysBetween } from "../doses/rules";
import { SLOT_RANGE_MAX_DAYS, type CreateSiteT, type PublishSlotsT, type UpdateSiteT } from "./schemas";

export type SignedIn = Actor & { user: AuthUser };
export type SiteRow = typeof vaccinationSites.$inferSelect;
type SlotRow = typeof vaccinationSlots.$inferSelect;

/** The sites a user may see: officers their area's, site staff their own. */
export const siteScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: vaccinationSites.provinceCode, communeCode: vaccinationSites.communeCode, siteId: vaccinationSites.id });

const siteArea = (s: { provinceCode: string; communeCode: string }) => ({ provinceCode: s.provinceCode, communeCode: s.communeCode });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const badCursor = () => new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);

export function presentSite(s: SiteRow) {
  return {
    id: s.id,
    provinceCode: s.provinceCode,
    communeCode: s.communeCode,
    name: s.name,
    address: s.address,
    capacityPerDay: s.capacityPerDay,
    status: s.status,
    createdAt: s.createdAt.toISOString(),
  };
}

export function presentSlot(s: SlotRow) {
  return {
    id: s.id,
    siteId: s.siteId,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    capacity: s.capacity,
    booked: s.booked,
    free: Math.max(0, s.capacity - s.booked),
    productCode: s.productCode,
  };
}

/** A site the user may see, else 404. */
export async function findSite(deps: Deps, user: AuthUser, id: string): Promise<SiteRow> {
  const [site] = await deps.db
    .select()
    .from(vaccinationSites)
    .where(and(eq(vaccinationSites.id, id), siteScope(user)))
    .limit(1);
  if (!site) throw notFound("Vaccination site");
  return site;
}

export interface SiteListInput {
  q?: string | undefined;
  communeCode?: string | undefined;
  status?: SiteRow["status"] | undefined;
  limit: number;
  cursor?: string | undefined;
}

function nameKeyset(after: [string, string] | undefined) {
  if (!after) return undefined;
  if (typeof after[0] !== "string" || typeof after[1] !== "string" || !UUID.test(after[1])) throw badCursor();
  return or(sql`${vaccinationSites.name} > ${after[0]}`, and(sql`${vaccinationSites.name} = ${after[0]}`, sql`${vaccinationSites.id} > ${after[1]}::uuid`));
}

/** Sites of the caller's scope by name (keyset on name, id). */
export async function listSites(deps: Deps, actor: SignedIn, input: SiteListInput) {
  const pattern = containsPattern(input.q);
  const conds: (SQL | undefined)[] = [
    siteScope(actor.user),
    pattern ? ilike(vaccinationSites.name, pattern) : undefined,
    input.communeCode ? eq(vaccinationSites.communeCode, input.communeCode) : undefined,
    input.status ? eq(vaccinationSites.status, input.status) : undefined,
    nameKeyset(decodeCursor<[string, string]>(input.cursor, ["text", "uuid"])),
  ];
  const rows = await deps.db
    .select()
    .from(vaccinationSites)
    .where(and(...conds))
    .orderBy(asc(vaccinationSites.name), asc(vaccinationSites.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (s) => [s.name, s.id]);
  return { items: result.items.map(presentSite), nextCursor: result.nextCursor };
}

/** A new site in a commune of the caller's area (another area: 403). */
export async function createSite(deps: Deps, actor: SignedIn, input: CreateSiteT) {
  const provinceCode = await provinceOfCommune(deps, input.communeCode, "communeCode");
  if (!inArea(actor.user, { provinceCode, communeCode: input.communeCode }))
    throw new AppError("forbidden", msg("Chỉ tạo điểm tiêm trong địa bàn của bạn", "You may create sites only in your own area"), [
      { path: "communeCode", message: msg("Chọn xã/phường thuộc địa bàn của bạn", "Choose a commune of your area") },
    ]);
  const [site] = await deps.db
    .insert(vaccinationSites)
    .values({ provinceCode, communeCode: input.communeCode, name: input.name, address: input.address, capacityPerDay: input.capacityPerDay, createdBy: actor.user.id })
    .returning();
  await recordAudit(deps, actor, { action: "vaccination_site.create", subjectType: "vaccination_site", subjectId: site!.id, area: siteArea(site!), details: { name: site!.name } });
  return presentSite(site!);
}

async function staffOf(deps: Deps, siteId: string) {
  return deps.db
    .select({ userId: users.id, username: users.username, displayName: users.displayName })
    .from(siteStaff)
    .innerJoin(users, eq(users.id, siteStaff.userId))
    .where(eq(siteStaff.siteId, siteId))
    .orderBy(asc(users.username));
}

export async function getSite(deps: Deps, actor: SignedIn, id: string) {
  const site = await findSite(deps, actor.user, id);
  return { ...presentSite(site), staff: await staffOf(deps, site.id) };
}

export async function updateSite(deps: Deps, actor: SignedIn, id: string, input: UpdateSiteT) {
  const site = await findSite(deps, actor.user, id);
  const set: Partial<typeof vaccinationSites.$inferInsert> = { updatedAt: deps.now() };
  if (input.name !== undefined) set.name = input.name;
  if (input.address !== undefined) set.address = input.address;
  if (input.capacityPerDay !== undefined) set.capacityPerDay = input.capacityPerDay;
  if (input.status !== undefined) set.status = input.status;
  const [updated] = await deps.db.update(vaccinationSites).set(set).where(eq(vaccinationSites.id, site.id)).returning();
  if (!updated) throw notFound("Vaccination site");
  await recordAudit(deps, actor, {
    action: "vaccination_site.update",
    subjectType: "vaccination_site",
    subjectId: site.id,
    area: siteArea(site),
    details: { fields: Object.keys(input).filter((k) => input[k as keyof UpdateSiteT] !== undefined) },
  });
  return { ...presentSite(updated), staff: await staffOf(deps, site.id) };
}

/**
 * Assigns a site_staff account to a site. The account must be one the caller manages (else 404)
 * and a site_staff account of the site's commune (else 400). Assigning twice is harmless.
 */
export async function assignStaff(deps: Deps, actor: SignedIn, siteId: string, userId: string) {
  const site = await findSite(deps, actor.user, siteId);
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), areaFilter(actor.user, { provinceCode: users.provinceCode, communeCode: users.communeCode })))
    .limit(1);
  if (!user) throw notFound("User");
  const refuse = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "userId", message: msg(vi, en) }]);
  if (user.role !== "site_staff") throw refuse("Chỉ gán tài khoản nhân viên điểm tiêm (site_staff)", "Only site_staff accounts work at sites");
  if (user.disabled) throw refuse("Tài khoản đã bị khóa", "This account is disabled");
  if (user.provinceCode !== site.provinceCode || user.communeCode !== site.communeCode)
    throw refuse("Tài khoản thuộc địa bàn khác với điểm tiêm", "The account belongs to another area than the site");
  await deps.db.insert(siteStaff).values({ siteId: site.id, userId: user.id }).onConflictDoNothing();
  await recordAudit(deps, actor, { action: "vaccination_site.staff_assign", subjectType: "vaccination_site", subjectId: site.id, area: siteArea(site), details: { userId: user.id } });
}

export async function unassignStaff(deps: Deps, actor: SignedIn, siteId: string, userId: string) {
  const site = await findSite(deps, actor.user, siteId);
  const [gone] = await deps.db
    .delete(siteStaff)
    .where(and(eq(siteStaff.siteId, site.id), eq(siteStaff.userId, userId)))
    .returning({ userId: siteStaff.userId });
  if (!gone) throw notFound("Staff assignment");
  await recordAudit(deps, actor, { action: "vaccination_site.staff_unassign", subjectType: "vaccination_site", subjectId: site.id, area: siteArea(site), details: { userId } });
}

// ---- public ----

export interface OpenSitesInput {
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Active sites of a province or commune, by name: no personal data, for anyone. */
export async function openSites(deps: Deps, input: OpenSitesInput) {
  const rows = await deps.db
    .select({
      id: vaccinationSites.id,
      name: vaccinationSites.name,
      address: vaccinationSites.address,
      provinceCode: vaccinationSites.provinceCode,
      communeCode: vaccinationSites.communeCode,
    })
    .from(vaccinationSites)
    .where(
      and(
        eq(vaccinationSites.status, "active"),
        input.provinceCode ? eq(vaccinationSites.provinceCode, input.provinceCode) : undefined,
        input.communeCode ? eq(vaccinationSites.communeCode, input.communeCode) : undefined,
        nameKeyset(decodeCursor<[string, string]>(input.cursor, ["text", "uuid"])),
      ),
    )
    .orderBy(asc(vaccinationSites.name), asc(vaccinationSites.id))
    .limit(input.limit + 1);
  return page(rows, input.limit, (s) => [s.name, s.id]);
}

/** A site's slots from `from` to `to` (Vietnamese days, inclusive), by start time. */
export async function listSlots(deps: Deps, siteId: string, input: { from?: string | undefined; to?: string | undefined }) {
  const from = input.from ?? vnDay(deps.now());
  const to = input.to ?? addDays(from, 14);
  if (to < from) throw new AppError("validation_failed", "Invalid range", [{ path: "to", message: msg("Ngày cuối trước ngày đầu", "The last day is before the first") }]);
  if (daysBetween(from, to) > SLOT_RANGE_MAX_DAYS)
    throw new AppError("validation_failed", "Range too long", [
      { path: "to", message: msg(`Tối đa ${SLOT_RANGE_MAX_DAYS} ngày mỗi lần`, `At most ${SLOT_RANGE_MAX_DAYS} days at a time`) },
    ]);
  const [site] = await deps.db.select({ id: vaccinationSites.id }).from(vaccinationSites).where(eq(vaccinationSites.id, siteId)).limit(1);
  if (!site) throw notFound("Vaccination site");
  const rows = await deps.db
    .select()
    .from(vaccinationSlots)
    .where(and(eq(vaccinationSlots.siteId, siteId), gte(vaccinationSlots.startsAt, vnDayRange(from).start), lt(vaccinationSlots.startsAt, vnDayRange(to).end)))
    .orderBy(asc(vaccinationSlots.startsAt), asc(vaccinationSlots.id));
  return { items: rows.map(presentSlot) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** More slots than this in one request is a mistake (5-minute slots all day are 288). */
const MAX_SLOTS_PER_DAY = 288;

/**
 * Publishes a day of slots: from startTime to endTime in steps of slotMinutes (the last one ends
 * at endTime). Refused when the day's slots would hold more than the site's capacity per day or
 * would overlap slots already published. The site row is locked so two publishers do not both pass.
 */
export async function publishSlots(deps: Deps, actor: SignedIn, siteId: string, input: PublishSlotsT) {
  const site = await findSite(deps, actor.user, siteId);
  if (site.status !== "active") throw new AppError("conflict", msg("Điểm tiêm đã đóng", "The site is closed"));
  if (input.day < vnDay(deps.now()))
    throw new AppError("validation_failed", "Day in the past", [{ path: "day", message: msg("Ngày đã qua", "This day has passed") }]);
  if (input.productCode) {
    const [p] = await deps.db.select({ active: vaccineProducts.active }).from(vaccineProducts).where(eq(vaccineProducts.code, input.productCode)).limit(1);
    if (!p?.active)
      throw new AppError("validation_failed", "Unknown product", [{ path: "productCode", message: msg("Không có vắc xin này hoặc đã ngừng dùng", "No such product in use") }]);
  }
  const dayStart = vnDayRange(input.day).start.getTime();
  const start = minutesOf(input.startTime);
  const end = minutesOf(input.endTime);
  const planned: { startsAt: Date; endsAt: Date }[] = [];
  for (let m = start; m < end; m += input.slotMinutes)
    planned.push({ startsAt: new Date(dayStart + m * 60_000), endsAt: new Date(dayStart + Math.min(m + input.slotMinutes, end) * 60_000) });
  if (planned.length > MAX_SLOTS_PER_DAY)
    throw new AppError("validation_failed", "Too many slots", [
      { path: "slotMinutes", message: msg(`Tối đa ${MAX_SLOTS_PER_DAY} khung giờ mỗi ngày`, `At most ${MAX_SLOTS_PER_DAY} slots a day`) },
    ]);

  const rows = await deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(vaccinationSites).where(eq(vaccinationSites.id, site.id)).for("update");
    if (!locked) throw notFound("Vaccination site");
    const { start: from, end: to } = vnDayRange(input.day);
    const existing = await tx
      .select()
      .from(vaccinationSlots)
      .where(and(eq(vaccinationSlots.siteId, site.id), lt(vaccinationSlots.startsAt, to), gt(vaccinationSlots.endsAt, from)));
    const clash = existing.find((e) => planned.some((p) => e.startsAt < p.endsAt && e.endsAt > p.startsAt));
    if (clash)
      throw new AppError(
        "conflict",
        msg(
          `Trùng khung giờ đã có ${clash.startsAt.toISOString()}–${clash.endsAt.toISOString()}`,
          `Overlaps the slot already published ${clash.startsAt.toISOString()}–${clash.endsAt.toISOString()}`,
        ),
        [{ path: "startTime", message: msg("Trùng khung giờ đã có", "Overlaps a slot already published") }],
      );
    const already = existing.filter((e) => e.startsAt >= from).reduce((n, e) => n + e.capacity, 0);
    const total = already + planned.length * input.capacityPerSlot;
    if (total > locked.capacityPerDay)
      throw new AppError("validation_failed", `${total} places in the day exceed the site's capacity of ${locked.capacityPerDay}`, [
        {
          path: "capacityPerSlot",
          message: msg(
            `Tổng ${total} chỗ trong ngày vượt công suất ${locked.capacityPerDay} người/ngày (đã có ${already})`,
            `${total} places in the day exceed the capacity of ${locked.capacityPerDay} a day (${already} already published)`,
          ),
        },
      ]);
    return tx
      .insert(vaccinationSlots)
      .values(planned.map((p) => ({ siteId: site.id, ...p, capacity: input.capacityPerSlot, productCode: input.productCode ?? null })))
      .returning();
  });
  await recordAudit(deps, actor, {
    action: "vaccination_slots.publish",
    subjectType: "vaccination_site",
    subjectId: site.id,
    area: siteArea(site),
    details: { day: input.day, slots: rows.length, capacityPerSlot: input.capacityPerSlot },
  });
  return { items: rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).map(presentSlot) };
}

/** Deletes a slot nobody has booked (409 otherwise). */
export async function deleteSlot(deps: Deps, actor: SignedIn, slotId: string) {
  const [found] = await deps.db
    .select({ slot: vaccinationSlots, site: vaccinationSites })
    .from(vaccinationSlots)
    .innerJoin(vaccinationSites, eq(vaccinationSites.id, vaccinationSlots.siteId))
    .where(and(eq(vaccinationSlots.id, slotId), siteScope(actor.user)))
    .limit(1);
  if (!found) throw notFound("Slot");
  const [gone] = await deps.db
    .delete(vaccinationSlots)
    .where(and(eq(vaccinationSlots.id, slotId), eq(vaccinationSlots.booked, 0)))
    .returning({ id: vaccinationSlots.id });
  if (!gone)
    throw new AppError("conflict", msg("Khung giờ đã có người đặt; hủy các lịch hẹn trước", "People have booked this slot; cancel their appointments first"));
  await recordAudit(deps, actor, {
    action: "vaccination_slot.delete",
    subjectType: "vaccination_site",
    subjectId: found.site.id,
    area: siteArea(found.site),
    details: { slotId, startsAt: found.slot.startsAt.toISOString() },
  });
}
