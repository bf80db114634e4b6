import { and, asc, desc, eq, gt, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { checkins, people, venues, venueStaff, type Venue } from "../../db/schema";
import { assertCommuneInProvince } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import { areaFilter, inArea, type AuthUser } from "../auth/scope";
import { colourOfDay, vnDay, vnDayRange } from "../checkins/colour";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { decodeCursor, encodeCursor, page } from "../http/pagination";
import { containsPattern } from "../http/search";
import { signVenueCode } from "./codes";

type SignedIn = Actor & { user: AuthUser };

/** Officers of the area may approve, suspend and reopen; health officers only read. */
const STATUS_ROLES = new Set(["commune_officer", "province_officer", "national_admin"]);

export const venueScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: venues.provinceCode, communeCode: venues.communeCode, venueId: venues.id });

/** A venue of the caller's scope (404 otherwise: ids of other areas do not leak). */
export async function findVenue(deps: Deps, user: AuthUser, id: string): Promise<Venue> {
  const [row] = await deps.db
    .select()
    .from(venues)
    .where(and(eq(venues.id, id), venueScope(user)))
    .limit(1);
  if (!row) throw notFound("Venue");
  return row;
}

/** Whether a visit is still going on: not checked out, and within the default dwell. */
function insideSql(now: Date, dwellMinutes: number) {
  const since = new Date(now.getTime() - dwellMinutes * 60_000).toISOString();
  return sql`(${checkins.checkedOutAt} > ${now.toISOString()} or (${checkins.checkedOutAt} is null and ${checkins.checkedInAt} > ${since}))`;
}

/** Today's check-ins and who is inside now, for many venues in one query. */
export async function venueCounts(deps: Deps, ids: string[]) {
  const counts = new Map<string, { today: number; inside: number }>();
  if (!ids.length) return counts;
  const now = deps.now();
  const { start, end } = vnDayRange(vnDay(now));
  const rows = await deps.db
    .select({
      venueId: checkins.venueId,
      today: sql<number>`count(*)::int`,
      inside: sql<number>`(count(*) filter (where ${insideSql(now, deps.config.checkinDwellMinutes)}))::int`,
    })
    .from(checkins)
    .where(and(inArray(checkins.venueId, ids), sql`${checkins.checkedInAt} >= ${start.toISOString()}`, lt(checkins.checkedInAt, end)))
    .groupBy(checkins.venueId);
  for (const r of rows) counts.set(r.venueId, { today: Number(r.today), inside: Number(r.inside) });
  return counts;
}

function present(v: Venue, c?: { today: number; inside: number }) {
  return {
    id: v.id,
    provinceCode: v.provinceCode,
    communeCode: v.communeCode,
    name: v.name,
    category: v.category,
    address: v.address,
    capacity: v.capacity,
    openingTime: v.openingTime?.slice(0, 5) ?? null,
    closingTime: v.closingTime?.slice(0, 5) ?? null,
    status: v.status,
    statusReason: v.statusReason,
    qrVersion: v.qrVersion,
    createdAt: v.createdAt.toISOString(),
    todayCheckins: c?.today ?? 0,
    insideNow: c?.inside ?? 0,
  };
}

async function presentOne(deps: Deps, v: Venue) {
  return present(v, (await venueCounts(deps, [v.id])).get(v.id));
}

export interface VenueListInput {
  q?: string | undefined;
  status?: Venue["status"] | undefined;
  category?: Venue["category"] | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Venues of the caller's scope by name (keyset on name, id), with today's counts. */
export async function listVenues(deps: Deps, actor: SignedIn, input: VenueListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["text", "uuid"]);
  const pattern = containsPattern(input.q);
  const conds: (SQL | undefined)[] = [
    venueScope(actor.user),
    input.status ? eq(venues.status, input.status) : undefined,
    input.category ? eq(venues.category, input.category) : undefined,
    input.provinceCode ? eq(venues.provinceCode, input.provinceCode) : undefined,
    input.communeCode ? eq(venues.communeCode, input.communeCode) : undefined,
    pattern ? or(ilike(venues.name, pattern), ilike(venues.address, pattern)) : undefined,
    after ? or(gt(venues.name, after[0]), and(eq(venues.name, after[0]), gt(venues.id, after[1]))) : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(venues)
    .where(and(...conds))
    .orderBy(asc(venues.name), asc(venues.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (v) => [v.name, v.id]);
  const counts = await venueCounts(deps, result.items.map((v) => v.id));
  return { items: result.items.map((v) => present(v, counts.get(v.id))), nextCursor: result.nextCursor };
}

export async function getVenue(deps: Deps, actor: SignedIn, id: string) {
  return presentOne(deps, await findVenue(deps, actor.user, id));
}

export interface VenueInput {
  name: string;
  category: Venue["category"];
  address: string;
  capacity?: number | null | undefined;
  openingTime?: string | null | undefined;
  closingTime?: string | null | undefined;
}

/** Venue staff register in their own commune (pending approval); officers register active venues in their area. */
export async function createVenue(deps: Deps, actor: SignedIn, input: VenueInput & { provinceCode: string; communeCode: string }) {
  const { user } = actor;
  const area = { provinceCode: input.provinceCode, communeCode: input.communeCode };
  const own = user.role === "venue_staff" && user.provinceCode === area.provinceCode && user.communeCode === area.communeCode;
  if (!own && !(user.role !== "venue_staff" && STATUS_ROLES.has(user.role) && inArea(user, area)))
    throw new AppError("forbidden", "You may register venues only in your own area");
  await assertCommuneInProvince(deps, area.provinceCode, area.communeCode);
  const [row] = await deps.db
    .insert(venues)
    .values({
      ...area,
      name: input.name,
      category: input.category,
      address: input.address,
      capacity: input.capacity ?? null,
      openingTime: input.openingTime ?? null,
      closingTime: input.closingTime ?? null,
      status: user.role === "venue_staff" ? "pending" : "active",
      statusChangedAt: deps.now(),
      createdBy: user.id,
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  if (user.role === "venue_staff") await deps.db.insert(venueStaff).values({ venueId: row.id, userId: user.id });
  await recordAudit(deps, actor, { action: "venue.create", subjectType: "venue", subjectId: row.id, area, details: { name: row.name, status: row.status } });
  return present(row);
}

export async function updateVenue(deps: Deps, actor: SignedIn, id: string, input: Partial<VenueInput>) {
  const venue = await findVenue(deps, actor.user, id);
  if (actor.user.role === "health_officer") throw new AppError("forbidden", "Health officers read venues only");
  const changes: Partial<typeof venues.$inferInsert> = { updatedAt: deps.now() };
  for (const k of ["name", "category", "address", "capacity", "openingTime", "closingTime"] as const)
    if (input[k] !== undefined) (changes as Record<string, unknown>)[k] = input[k];
  const [row] = await deps.db.update(venues).set(changes).where(and(eq(venues.id, id), eq(venues.provinceCode, venue.provinceCode))).returning();
  deps.venueCache.forget(id);
  await recordAudit(deps, actor, { action: "venue.update", subjectType: "venue", subjectId: id, area: venue, details: { changed: Object.keys(input) } });
  return presentOne(deps, row!);
}

const TRANSITIONS: Record<"approve" | "suspend" | "reopen", { from: Venue["status"][]; to: Venue["status"] }> = {
  approve: { from: ["pending"], to: "active" },
  suspend: { from: ["pending", "active"], to: "suspended" },
  reopen: { from: ["suspended"], to: "active" },
};

export async function changeVenueStatus(deps: Deps, actor: SignedIn, id: string, action: keyof typeof TRANSITIONS, reason?: string) {
  if (!STATUS_ROLES.has(actor.user.role)) throw new AppError("forbidden", "Only commune and province officers approve or suspend venues");
  const venue = await findVenue(deps, actor.user, id);
  const t = TRANSITIONS[action];
  if (!t.from.includes(venue.status)) throw new AppError("conflict", `A ${venue.status} venue cannot be ${action === "approve" ? "approved" : action === "suspend" ? "suspended" : "reopened"}`);
  const [row] = await deps.db
    .update(venues)
    .set({ status: t.to, statusReason: reason ?? null, statusChangedAt: deps.now(), updatedAt: deps.now() })
    .where(and(eq(venues.id, id), eq(venues.provinceCode, venue.provinceCode)))
    .returning();
  deps.venueCache.forget(id);
  await recordAudit(deps, actor, { action: `venue.${action}`, subjectType: "venue", subjectId: id, area: venue, details: { from: venue.status, to: t.to, reason } });
  return presentOne(deps, row!);
}

/** Staff of the venue and officers of its area (not health officers) may act for a venue. */
export async function findVenueToManage(deps: Deps, user: AuthUser, id: string): Promise<Venue> {
  const venue = await findVenue(deps, user, id);
  if (user.role === "health_officer") throw new AppError("forbidden", "Health officers read venues only");
  return venue;
}

export function checkinUrl(deps: Deps, token: string) {
  return `${deps.config.publicUrl}/c/${token}`;
}

function requireActive(venue: Venue) {
  if (venue.status !== "active") throw new AppError("venue_not_active", "Codes and posters are available once the venue is approved and active");
}

/** The poster code: no expiry, valid until the venue's code is rotated. */
export async function posterCode(deps: Deps, actor: SignedIn, id: string) {
  const venue = await findVenueToManage(deps, actor.user, id);
  requireActive(venue);
  const token = await signVenueCode(deps.keys, { venueId: venue.id, provinceCode: venue.provinceCode, qrVersion: venue.qrVersion });
  return { venue, url: checkinUrl(deps, token) };
}

/** Rotating makes every printed poster and shown code of this venue stop working. */
export async function rotateVenueCode(deps: Deps, actor: SignedIn, id: string) {
  const venue = await findVenueToManage(deps, actor.user, id);
  const [row] = await deps.db
    .update(venues)
    .set({ qrVersion: sql`${venues.qrVersion} + 1`, updatedAt: deps.now() })
    .where(and(eq(venues.id, id), eq(venues.provinceCode, venue.provinceCode)))
    .returning();
  deps.venueCache.forget(id);
  await recordAudit(deps, actor, { action: "venue.rotate", subjectType: "venue", subjectId: id, area: venue, details: { qrVersion: row!.qrVersion } });
  const token = await signVenueCode(deps.keys, { venueId: row!.id, provinceCode: row!.provinceCode, qrVersion: row!.qrVersion });
  return { qrVersion: row!.qrVersion, url: checkinUrl(deps, token) };
}

/** A short-lived code for the venue's screen: a photo of it stops working within minutes. */
export async function screenCode(deps: Deps, actor: SignedIn, id: string) {
  const venue = await findVenueToManage(deps, actor.user, id);
  requireActive(venue);
  const exp = Math.floor(deps.now().getTime() / 1000) + deps.config.venueScreenCodeTtl;
  const token = await signVenueCode(deps.keys, { venueId: venue.id, provinceCode: venue.provinceCode, qrVersion: venue.qrVersion, exp });
  return { url: checkinUrl(deps, token), token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Who visited on a day (newest first), who is inside now, and the day's confirmation colour. */
export async function listVisitors(deps: Deps, actor: SignedIn, id: string, input: { day?: string | undefined; limit: number; cursor?: string | undefined }) {
  const venue = await findVenue(deps, actor.user, id);
  const now = deps.now();
  const today = vnDay(now);
  const day = input.day ?? today;
  const { start, end } = vnDayRange(day);
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  const inside = insideSql(now, deps.config.checkinDwellMinutes);
  const rows = await deps.db
    .select({
      id: checkins.id,
      personId: checkins.personId,
      fullName: people.fullName,
      phone: people.phone,
      birthYear: people.birthYear,
      checkedInAt: checkins.checkedInAt,
      checkedOutAt: checkins.checkedOutAt,
      autoCheckout: checkins.autoCheckout,
      method: checkins.method,
      inside: sql<boolean>`${inside}`,
    })
    .from(checkins)
    .leftJoin(people, eq(people.id, checkins.personId))
    .where(
      and(
        eq(checkins.venueId, venue.id),
        eq(checkins.provinceCode, venue.provinceCode),
        sql`${checkins.checkedInAt} >= ${start.toISOString()}`,
        lt(checkins.checkedInAt, end),
        after
          ? or(lt(checkins.checkedInAt, new Date(after[0])), and(eq(checkins.checkedInAt, new Date(after[0])), lt(checkins.id, after[1])))
          : undefined,
      ),
    )
    .orderBy(desc(checkins.checkedInAt), desc(checkins.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const items = (more ? rows.slice(0, input.limit) : rows).map((r) => ({
    id: r.id,
    personId: r.personId,
    fullName: r.fullName ?? "—",
    phone: r.phone,
    birthYear: r.birthYear,
    checkedInAt: r.checkedInAt.toISOString(),
    checkedOutAt: r.checkedOutAt ? r.checkedOutAt.toISOString() : null,
    autoCheckout: r.autoCheckout,
    method: r.method,
    inside: Boolean(r.inside),
  }));
  const last = items[items.length - 1];
  const counts = (await venueCounts(deps, [venue.id])).get(venue.id) ?? { today: 0, inside: 0 };
  await recordAudit(deps, actor, {
    action: "venue.visitors",
    subjectType: "venue",
    subjectId: venue.id,
    area: venue,
    details: { day, count: items.length, people: items.map((i) => i.personId) },
  });
  return {
    items,
    nextCursor: more && last ? encodeCursor([last.checkedInAt, last.id]) : null,
    day,
    todayCheckins: counts.today,
    insideNow: counts.inside,
    capacity: venue.capacity,
    overCapacity: venue.capacity !== null && counts.inside > venue.capacity,
    colour: colourOfDay(today),
  };
}
