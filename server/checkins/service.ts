import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { checkins, people, type Venue } from "../../db/schema";
import { provinceOfCommune } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import type { AuthUser } from "../auth/scope";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { CodeError, initialsOf, signPersonalCode, verifyPersonalCode } from "../venues/codes";
import { findVenueToManage } from "../venues/service";
import { colourOfDay, vnDay } from "./colour";
import type { CheckinWrite, GuestDetails } from "./writer";

export interface PersonInput {
  fullName: string;
  phone: string;
  birthYear: number;
  communeCode?: string | null | undefined;
}

const PERSONAL_QR_DAYS = 30;

function codeError(e: unknown): never {
  if (e instanceof CodeError) throw new AppError(e.code, e.message);
  throw e;
}

/** The venue a code names, if the code is current and the venue open for check-in. */
async function venueOfCode(deps: Deps, token: string, tappedAt: Date = deps.now()): Promise<Venue> {
  // An on-screen code counts as valid if it was valid at the tap (queued offline check-ins).
  const code = await deps.verifyVenueCode(token, tappedAt).catch(codeError);
  const venue = await deps.venueCache.get(code.venueId);
  if (!venue || venue.provinceCode !== code.provinceCode) throw new AppError("invalid_code", "This code names no venue of this platform");
  if (code.qrVersion !== venue.qrVersion)
    throw new AppError("old_poster", "This QR code has been replaced; scan the new code at the venue");
  if (venue.status === "suspended") throw new AppError("venue_suspended", "Check-in at this venue is suspended");
  if (venue.status !== "active") throw new AppError("venue_not_active", "This venue is not yet approved for check-in");
  return venue;
}

/** For the /c/<token> page: the venue, or why the code does not work (same rules as a check-in). */
export async function describeCode(deps: Deps, token: string) {
  try {
    const venue = await venueOfCode(deps, token);
    return { ok: true as const, venue };
  } catch (e) {
    if (e instanceof AppError) return { ok: false as const, code: e.code, message: e.message };
    throw e;
  }
}

/** Personal QR codes issued recently, reused for a day so a regular visitor costs no signature. */
const issuedCodes = new WeakMap<Deps, Map<string, { token: string; issuedAt: number }>>();

interface QrHolder {
  initials: string;
  birthYear: number | null;
}

async function personalQrFor(deps: Deps, personId: string, provinceCode: string, person: QrHolder) {
  let cache = issuedCodes.get(deps);
  if (!cache) issuedCodes.set(deps, (cache = new Map()));
  const { initials } = person;
  const key = `${personId}|${provinceCode}|${initials}|${person.birthYear}`;
  const now = deps.now().getTime();
  const hit = cache.get(key);
  if (hit && now - hit.issuedAt < 86400_000 && now >= hit.issuedAt) return hit.token;
  const token = await signPersonalCode(deps.keys, {
    personId,
    provinceCode,
    initials,
    birthYear: person.birthYear,
    exp: Math.floor(now / 1000) + PERSONAL_QR_DAYS * 86400,
  });
  if (cache.size > 100_000) cache.clear();
  cache.set(key, { token, issuedAt: now });
  return token;
}

async function confirm(deps: Deps, venue: Venue, personId: string, personProvince: string, row: CheckinWrite, person: QrHolder) {
  const written = await deps.checkinWriter.write(row);
  const day = vnDay(written.checkedInAt);
  const personalQr = await personalQrFor(deps, personId, personProvince, person);
  return {
    status: written.inserted ? (201 as const) : (200 as const),
    body: {
      id: written.id,
      checkedInAt: written.checkedInAt.toISOString(),
      venue: { id: venue.id, name: venue.name, address: venue.address },
      colour: colourOfDay(day),
      date: day,
      personalQr,
      replay: !written.inserted,
    },
  };
}

/** A person belongs to the province of their commune; without one, to the venue's. */
async function personDetails(deps: Deps, venue: Venue, p: PersonInput, path: string): Promise<GuestDetails> {
  const provinceCode = p.communeCode ? await provinceOfCommune(deps, p.communeCode, path) : venue.provinceCode;
  return { provinceCode, communeCode: p.communeCode ?? null, fullName: p.fullName, phone: p.phone, birthYear: p.birthYear };
}

export interface CitizenCheckinInput {
  token: string;
  id: string;
  ageMs?: number | undefined;
  guest?: (PersonInput & { personId: string }) | undefined;
  /** A signed-in citizen's own person record (one-tap check-in); used instead of guest. */
  account?: { personId: string; provinceCode: string; fullName: string; birthYear: number | null } | undefined;
}

/** The citizen's scan at the door: one request from tap to confirmation. */
export async function checkIn(deps: Deps, input: CitizenCheckinInput) {
  const at = new Date(deps.now().getTime() - (input.ageMs ?? 0));
  if (!input.account && !input.guest)
    throw new AppError("validation_failed", "Invalid request body", [{ path: "guest", message: "Required (or sign in)" }]);
  const venue = await venueOfCode(deps, input.token, at);
  if (input.account) {
    const a = input.account;
    return confirm(
      deps,
      venue,
      a.personId,
      a.provinceCode,
      { id: input.id, provinceCode: venue.provinceCode, venueId: venue.id, personId: a.personId, checkedInAt: at, method: "citizen_scan" },
      { initials: initialsOf(a.fullName), birthYear: a.birthYear },
    );
  }
  if (!input.guest) throw new AppError("validation_failed", "Invalid request body", [{ path: "guest", message: "Required" }]);
  const person = await personDetails(deps, venue, input.guest, "guest.communeCode");
  return confirm(
    deps,
    venue,
    input.guest.personId,
    person.provinceCode,
    { id: input.id, provinceCode: venue.provinceCode, venueId: venue.id, personId: input.guest.personId, checkedInAt: at, method: "guest_scan", person },
    { initials: initialsOf(input.guest.fullName), birthYear: input.guest.birthYear },
  );
}

async function provinceOfPerson(deps: Deps, personId: string): Promise<string> {
  const [p] = await deps.db.select({ provinceCode: people.provinceCode }).from(people).where(eq(people.id, personId)).limit(1);
  if (!p) throw new AppError("invalid_personal_qr", "This personal QR code names no person of this platform");
  return p.provinceCode;
}

/** Venue staff check a visitor in: by scanning the visitor's personal QR, or typing in someone without a phone. */
export async function staffCheckIn(
  deps: Deps,
  actor: Actor & { user: AuthUser },
  venueId: string,
  input: { id: string; personalQr: string } | { id: string; person: PersonInput },
) {
  const venue = await findVenueToManage(deps, actor.user, venueId);
  if (venue.status !== "active") throw new AppError("venue_not_active", "This venue is not active");
  let result;
  if ("personalQr" in input) {
    const code = await verifyPersonalCode(deps.keys, input.personalQr, deps.now()).catch(codeError);
    // A citizen's health QR names no province: the person record does.
    const provinceCode = code.provinceCode ?? (await provinceOfPerson(deps, code.personId));
    result = await confirm(
      deps,
      venue,
      code.personId,
      provinceCode,
      { id: input.id, provinceCode: venue.provinceCode, venueId: venue.id, personId: code.personId, checkedInAt: deps.now(), method: "staff_scan" },
      { initials: code.initials, birthYear: code.birthYear },
    );
  } else {
    const personId = crypto.randomUUID();
    const person = await personDetails(deps, venue, input.person, "person.communeCode");
    result = await confirm(
      deps,
      venue,
      personId,
      person.provinceCode,
      { id: input.id, provinceCode: venue.provinceCode, venueId: venue.id, personId, checkedInAt: deps.now(), method: "staff_typed", person },
      { initials: initialsOf(input.person.fullName), birthYear: input.person.birthYear },
    );
  }
  await recordAudit(deps, actor, {
    action: "checkin.staff",
    subjectType: "checkin",
    subjectId: result.body.id,
    area: venue,
    details: { venueId: venue.id, method: "personalQr" in input ? "staff_scan" : "staff_typed" },
  });
  return result;
}

/** Check-out by the person who checked in (the phone proves it with its person id). */
export async function checkOut(deps: Deps, id: string, personId: string) {
  const now = deps.now();
  const recent = new Date(now.getTime() - 2 * 86400_000);
  const [row] = await deps.db
    .update(checkins)
    .set({ checkedOutAt: now, autoCheckout: false })
    .where(and(eq(checkins.id, id), eq(checkins.personId, personId), isNull(checkins.checkedOutAt), gt(checkins.checkedInAt, recent)))
    .returning({ id: checkins.id, checkedOutAt: checkins.checkedOutAt });
  if (row?.checkedOutAt) return { id: row.id, checkedOutAt: row.checkedOutAt.toISOString() };
  // Already checked out (a retried request, or closed automatically): answer with that time.
  const [done] = await deps.db
    .select({ id: checkins.id, checkedOutAt: checkins.checkedOutAt })
    .from(checkins)
    .where(and(eq(checkins.id, id), eq(checkins.personId, personId), gt(checkins.checkedInAt, recent)))
    .limit(1);
  if (!done?.checkedOutAt) throw notFound("Check-in");
  return { id: done.id, checkedOutAt: done.checkedOutAt.toISOString() };
}

/**
 * Closes visits nobody checked out of: after the default dwell, or at the venue's closing
 * time if that comes first (Vietnam time). Touches only the last two days' partitions.
 */
export async function autoCheckout(deps: Deps): Promise<number> {
  const now = deps.now();
  const dwell = `${deps.config.checkinDwellMinutes} minutes`;
  const result = await deps.database.query<{ n: number }>(sql`
    with open_visits as (
      select c.id, c.province_code, c.checked_in_at, v.closing_time,
        (c.checked_in_at at time zone 'UTC') + interval '7 hours' as local_in
      from checkins c join venues v on v.id = c.venue_id and v.province_code = c.province_code
      where c.checked_out_at is null
        and c.checked_in_at > ${new Date(now.getTime() - 2 * 86400_000).toISOString()}::timestamptz
    ), ends as (
      select id, province_code, checked_in_at, least(
          checked_in_at + ${dwell}::interval,
          ((date_trunc('day', local_in) + interval '1 day') - interval '7 hours') at time zone 'UTC',
          case when closing_time is not null and closing_time > local_in::time
            then ((date_trunc('day', local_in) + closing_time) - interval '7 hours') at time zone 'UTC' end
        ) as ends_at
      from open_visits
    ), closed as (
      update checkins c set checked_out_at = e.ends_at, auto_checkout = true
      from ends e
      where c.id = e.id and c.province_code = e.province_code and c.checked_in_at = e.checked_in_at
        and c.checked_out_at is null and e.ends_at <= ${now.toISOString()}::timestamptz
      returning 1)
    select count(*)::int as n from closed`);
  return Number(result[0]?.n ?? 0);
}
