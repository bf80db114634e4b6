/**
 * Registration and appointments (docs/VACCINATION.md "Registration and appointments").
 *
 * A person registers for a dose (the next one by default, from the doses recorded), then books
 * a slot. The area of an appointment is the site's once booked, else the person's: officers see
 * their area's, site staff their sites' (areaFilter with siteId). Booking takes a place with one
 * conditional UPDATE (booked < capacity), so two bookings of the last place cannot both win.
 * The appointment's `code` is a random 144-bit secret; its QR carries `PHC-APT:<code>` and staff
 * check people in by scanning it. Every read and change of an appointment is audited.
 */
import { randomBytes } from "node:crypto";
import QRCode from "qrcode";
import { and, asc, desc, eq, gte, ilike, inArray, like, lt, or, sql, type SQL } from "drizzle-orm";
import {
  appointments,
  PRIORITY_GROUPS,
  people,
  vaccinationSites,
  vaccinationSlots,
  vaccinations,
  vaccineLots,
  vaccineProducts,
  type Person,
} from "../../../db/schema";
import { recordAudit, type Actor } from "../../audit/service";
import { areaFilter, inArea, type Area, type AuthUser } from "../../auth/scope";
import { vnDay, vnDayRange } from "../../checkins/colour";
import { familyIdsOf, ownPerson, accountOf, recordsOfPerson } from "../../citizens/account";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { containsPattern } from "../../http/search";
import { personArea, resolvePerson } from "../../tracing/people";
import { allowedProducts, nextDose, type DoseFact, type ProductRule } from "../doses/rules";
import { APPOINTMENT_QR_PREFIX, type MyRegistrationT, type StaffRegistrationT } from "./appointments-schemas";
import { siteScope, type SignedIn } from "./service";

type AppointmentRow = typeof appointments.$inferSelect;
type Status = AppointmentRow["status"];
type PriorityGroup = AppointmentRow["priorityGroup"];

/** Appointments whose person still expects a dose: a second one for the same person is refused. */
const OPEN: Status[] = ["registered", "booked", "checked_in"];

/** The appointments a user may see: officers their area's, site staff their sites'. */
const appointmentScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: appointments.provinceCode, communeCode: appointments.communeCode, siteId: appointments.siteId });

/** 0 for health workers … 5 for everyone else: the order the list serves them in. */
const priorityRank = sql<number>`(case ${appointments.priorityGroup} ${sql.join(
  PRIORITY_GROUPS.map((g, i) => sql`when ${g} then ${sql.raw(String(i))}`),
  sql` `,
)} else ${sql.raw(String(PRIORITY_GROUPS.length))} end)`;

/** 144 random bits, base64url: unguessable, and short enough to type in when a camera fails. */
export function newAppointmentCode(): string {
  return randomBytes(18).toString("base64url");
}

/** The code in a scanned QR text (`PHC-APT:<code>`) or in a code typed in. */
export function appointmentCodeOf(text: string): string {
  const t = text.trim();
  return t.toUpperCase().startsWith(APPOINTMENT_QR_PREFIX) ? t.slice(APPOINTMENT_QR_PREFIX.length).trim() : t;
}

// ---- reading ----

const appointmentColumns = {
  a: appointments,
  personName: people.fullName,
  personBirthYear: people.birthYear,
  personPhone: people.phone,
  siteName: vaccinationSites.name,
  slotStartsAt: vaccinationSlots.startsAt,
  slotEndsAt: vaccinationSlots.endsAt,
};

function selectAppointments(db: Deps["db"]) {
  return db
    .select(appointmentColumns)
    .from(appointments)
    .innerJoin(people, eq(people.id, appointments.personId))
    .leftJoin(vaccinationSites, eq(vaccinationSites.id, appointments.siteId))
    .leftJoin(vaccinationSlots, eq(vaccinationSlots.id, appointments.slotId));
}

type AppointmentView = Awaited<ReturnType<ReturnType<typeof selectAppointments>["execute"]>>[number];

function present(v: AppointmentView, withCode: boolean) {
  const a = v.a;
  return {
    id: a.id,
    personId: a.personId,
    personName: v.personName,
    doseNumber: a.doseNumber,
    priorityGroup: a.priorityGroup,
    status: a.status,
    siteId: a.siteId,
    siteName: v.siteName,
    slot: v.slotStartsAt && v.slotEndsAt ? { startsAt: v.slotStartsAt.toISOString(), endsAt: v.slotEndsAt.toISOString() } : null,
    code: withCode ? a.code : null,
    checkedInAt: a.checkedInAt?.toISOString() ?? null,
    vaccinationId: a.vaccinationId,
    createdAt: a.createdAt.toISOString(),
  };
}

async function viewOf(deps: Deps, id: string): Promise<AppointmentView> {
  const [v] = await selectAppointments(deps.db).where(eq(appointments.id, id)).limit(1);
  if (!v) throw notFound("Appointment");
  return v;
}

/** The doses recorded for these person records, in order, as the vaccinator reads them. */
async function doseHistory(deps: Deps, personIds: string[]) {
  if (!personIds.length) return [];
  const rows = await deps.db
    .select({
      v: vaccinations,
      productName: vaccineProducts.name,
      lotNumber: vaccineLots.lotNumber,
      siteName: vaccinationSites.name,
    })
    .from(vaccinations)
    .leftJoin(vaccineProducts, eq(vaccineProducts.code, vaccinations.productCode))
    .leftJoin(vaccineLots, eq(vaccineLots.id, vaccinations.lotId))
    .leftJoin(vaccinationSites, eq(vaccinationSites.id, vaccinations.siteId))
    .where(inArray(vaccinations.personId, personIds))
    .orderBy(asc(vaccinations.doseNumber), asc(vaccinations.givenOn));
  return rows.map(({ v, productName, lotNumber, siteName }) => ({
    id: v.id,
    personId: v.personId,
    productCode: v.productCode,
    productName: productName ?? v.productCode,
    lotId: v.lotId,
    lotNumber: lotNumber ?? "",
    doseNumber: v.doseNumber,
    givenOn: v.givenOn,
    siteId: v.siteId,
    siteName: siteName ?? "",
    vaccinator: v.vaccinator,
    source: v.source,
    createdAt: v.createdAt.toISOString(),
  }));
}

async function doseFacts(db: Deps["db"], personIds: string[]): Promise<DoseFact[]> {
  if (!personIds.length) return [];
  return db
    .select({ doseNumber: vaccinations.doseNumber, productCode: vaccinations.productCode, givenOn: vaccinations.givenOn })
    .from(vaccinations)
    .where(inArray(vaccinations.personId, personIds));
}

async function productRules(db: Deps["db"]): Promise<Map<string, ProductRule>> {
  const rows = await db.select().from(vaccineProducts);
  return new Map(rows.map((p) => [p.code, p]));
}

// ---- registering and booking (one transaction each) ----

type Tx = Deps["db"];

interface Registration {
  person: { id: string; provinceCode: string; communeCode: string | null };
  /** Every record of the same human whose doses count (the citizen's own records by phone). */
  historyIds: string[];
  priorityGroup: PriorityGroup;
  doseNumber?: number | undefined;
  createdBy: string;
}

interface SlotChoice {
  slotId: string;
  /** Who may book where: officers and staff only at sites they see; citizens at any. */
  user: AuthUser | null;
}

/**
 * Registers a person for a dose inside `tx`. The person row is locked first, so two
 * registrations of the same person cannot both find no open one.
 */
async function registerIn(deps: Deps, tx: Tx, r: Registration) {
  await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.provinceCode, r.person.provinceCode), eq(people.id, r.person.id)))
    .for("update");
  const history = await doseFacts(tx, r.historyIds);
  const next = nextDose(history, await productRules(tx));
  const doseNumber = r.doseNumber ?? next.doseNumber;
  if (history.some((d) => d.doseNumber === doseNumber))
    throw new AppError("dose_exists", msg(`Đã ghi nhận mũi ${doseNumber}`, `Dose ${doseNumber} is already recorded`), [
      { path: "doseNumber", message: msg(`Đã ghi nhận mũi ${doseNumber}`, `Dose ${doseNumber} is already recorded`) },
    ]);
  if (doseNumber !== next.doseNumber)
    throw new AppError("dose_out_of_order", msg(`Mũi tiếp theo là mũi ${next.doseNumber}`, `The next dose is dose ${next.doseNumber}`), [
      { path: "doseNumber", message: msg(`Mũi tiếp theo là mũi ${next.doseNumber}`, `The next dose is dose ${next.doseNumber}`) },
    ]);
  const [open] = await tx
    .select({ id: appointments.id })
    .from(appointments)
    .where(and(eq(appointments.personId, r.person.id), inArray(appointments.status, OPEN)))
    .limit(1);
  if (open)
    throw new AppError(
      "conflict",
      msg("Người này đã có một đăng ký tiêm đang chờ; đặt lịch hoặc hủy đăng ký đó", "This person already has an open registration; book or cancel that one"),
    );
  const now = deps.now();
  const [row] = await tx
    .insert(appointments)
    .values({
      provinceCode: r.person.provinceCode,
      communeCode: r.person.communeCode,
      personId: r.person.id,
      doseNumber,
      priorityGroup: r.priorityGroup,
      code: newAppointmentCode(),
      createdBy: r.createdBy,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return { appointment: row!, history };
}

/**
 * Books `appointment` into a slot inside `tx`: the slot must be at an active site the caller may
 * use, not over, of a product the person may have next and not before the earliest day. The
 * place is taken by a conditional UPDATE; a rebooking frees the old place.
 */
async function bookIn(deps: Deps, tx: Tx, appointment: AppointmentRow, choice: SlotChoice, history: DoseFact[]) {
  const [found] = await tx
    .select({ slot: vaccinationSlots, site: vaccinationSites })
    .from(vaccinationSlots)
    .innerJoin(vaccinationSites, eq(vaccinationSites.id, vaccinationSlots.siteId))
    .where(and(eq(vaccinationSlots.id, choice.slotId), choice.user ? siteScope(choice.user) : undefined))
    .limit(1);
  if (!found) throw notFound("Slot");
  const { slot, site } = found;
  const bad = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "slotId", message: msg(vi, en) }]);
  if (site.status !== "active") throw new AppError("conflict", msg("Điểm tiêm đã đóng", "The site is closed"));
  if (slot.endsAt <= deps.now()) throw bad("Khung giờ này đã qua", "This slot is over");
  if (appointment.slotId === slot.id && appointment.status === "booked") return appointment;

  const products = await productRules(tx);
  const next = nextDose(history, products);
  if (slot.productCode && !allowedProducts(history, appointment.doseNumber, products).includes(slot.productCode))
    throw new AppError(
      "product_mix_not_allowed",
      msg(`Khung giờ này tiêm ${slot.productCode}, không được dùng cho mũi ${appointment.doseNumber}`, `This slot gives ${slot.productCode}, not allowed for dose ${appointment.doseNumber}`),
      [{ path: "slotId", message: msg(`Chọn khung giờ tiêm ${next.allowedProducts.join(", ")}`, `Choose a slot of ${next.allowedProducts.join(", ")}`) }],
    );
  const day = vnDay(slot.startsAt);
  if (appointment.doseNumber === next.doseNumber && next.earliestOn && day < next.earliestOn)
    throw new AppError(
      "interval_too_short",
      msg(`Mũi ${appointment.doseNumber} tiêm được từ ngày ${next.earliestOn}`, `Dose ${appointment.doseNumber} may be given from ${next.earliestOn}`),
      [{ path: "slotId", message: msg(`Chọn ngày từ ${next.earliestOn}`, `Choose a day from ${next.earliestOn}`) }],
    );

  const [taken] = await tx
    .update(vaccinationSlots)
    .set({ booked: sql`${vaccinationSlots.booked} + 1`, updatedAt: deps.now() })
    .where(and(eq(vaccinationSlots.id, slot.id), lt(vaccinationSlots.booked, vaccinationSlots.capacity)))
    .returning({ id: vaccinationSlots.id });
  if (!taken) throw new AppError("slot_full", msg("Khung giờ đã hết chỗ; chọn khung giờ khác", "This slot is full; choose another"));
  if (appointment.slotId && appointment.status === "booked") await freePlace(deps, tx, appointment.slotId);
  const [booked] = await tx
    .update(appointments)
    .set({ slotId: slot.id, siteId: site.id, status: "booked", provinceCode: site.provinceCode, communeCode: site.communeCode, updatedAt: deps.now() })
    .where(eq(appointments.id, appointment.id))
    .returning();
  return booked!;
}

async function freePlace(deps: Deps, tx: Tx, slotId: string) {
  await tx
    .update(vaccinationSlots)
    .set({ booked: sql`greatest(${vaccinationSlots.booked} - 1, 0)`, updatedAt: deps.now() })
    .where(eq(vaccinationSlots.id, slotId));
}

/** The appointment row, locked for the rest of the transaction. */
async function lockAppointment(tx: Tx, id: string): Promise<AppointmentRow> {
  const [row] = await tx.select().from(appointments).where(eq(appointments.id, id)).for("update");
  if (!row) throw notFound("Appointment");
  return row;
}

const cancelledError = () => new AppError("appointment_cancelled", msg("Lịch hẹn đã bị hủy", "The appointment was cancelled"));

function assertBookable(a: AppointmentRow) {
  if (a.status === "cancelled") throw cancelledError();
  if (a.status !== "registered" && a.status !== "booked")
    throw new AppError("conflict", msg("Lịch hẹn đã được tiếp đón hoặc đã tiêm; không đổi được", "The appointment was checked in or done; it cannot change"));
}

/** Books inside one transaction; `historyIds` are the person records whose doses count, found beforehand. */
async function bookAppointment(deps: Deps, id: string, choice: SlotChoice, historyIds: string[]) {
  return deps.db.transaction(async (tx) => {
    const a = await lockAppointment(tx, id);
    assertBookable(a);
    const history = await doseFacts(tx, historyIds.includes(a.personId) ? historyIds : [a.personId]);
    return bookIn(deps, tx, a, choice, history);
  });
}

async function cancelAppointment(deps: Deps, id: string) {
  return deps.db.transaction(async (tx) => {
    const a = await lockAppointment(tx, id);
    if (a.status === "cancelled") throw cancelledError();
    if (a.status === "vaccinated" || a.status === "no_show")
      throw new AppError("conflict", msg("Lịch hẹn đã kết thúc; không hủy được", "The appointment is over; it cannot be cancelled"));
    if (a.slotId && (a.status === "booked" || a.status === "checked_in")) await freePlace(deps, tx, a.slotId);
    const [row] = await tx.update(appointments).set({ status: "cancelled", updatedAt: deps.now() }).where(eq(appointments.id, a.id)).returning();
    return row!;
  });
}

const areaOfRow = (a: AppointmentRow): Area => ({ provinceCode: a.provinceCode, communeCode: a.communeCode });

async function audit(deps: Deps, actor: Actor, action: string, a: AppointmentRow, details?: Record<string, unknown>) {
  await recordAudit(deps, actor, {
    action,
    subjectType: "appointment",
    subjectId: a.id,
    area: areaOfRow(a),
    details: { personId: a.personId, status: a.status, slotId: a.slotId, ...details },
  });
}

// ---- citizens ----

/** The person records a citizen account speaks for: its own and its family's. */
async function accountPeople(deps: Deps, userId: string): Promise<string[]> {
  const { person } = await accountOf(deps, userId);
  return [person.id, ...(await familyIdsOf(deps, userId))];
}

/** One of the account's appointments (its own or its family's), else 404. */
async function myAppointment(deps: Deps, actor: SignedIn, id: string): Promise<AppointmentRow> {
  const ids = await accountPeople(deps, actor.user.id);
  const [row] = await deps.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, id), inArray(appointments.personId, ids)))
    .limit(1);
  if (!row) throw notFound("Appointment");
  return row;
}

/** Whose doses count for a citizen's person: the own record with its phone's other records; a family member's alone. */
async function citizenHistoryIds(deps: Deps, userId: string, person: Person): Promise<string[]> {
  const { person: own } = await accountOf(deps, userId);
  return recordsOfPerson(deps, person, person.id === own.id);
}

export async function listMyAppointments(deps: Deps, actor: SignedIn, input: { limit: number; cursor?: string | undefined }) {
  const ids = await accountPeople(deps, actor.user.id);
  const after = decodeCursor<[string, string]>(input.cursor, ["time", "uuid"]);
  const rows = await selectAppointments(deps.db)
    .where(and(inArray(appointments.personId, ids), createdKeyset(after, "desc")))
    .orderBy(desc(appointments.createdAt), desc(appointments.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (v) => [v.a.createdAt.toISOString(), v.a.id]);
  const { person } = await accountOf(deps, actor.user.id);
  await recordAudit(deps, actor, {
    action: "me.appointments.read",
    subjectType: "person",
    subjectId: person.id,
    area: { provinceCode: person.provinceCode, communeCode: person.communeCode },
    details: { count: result.items.length },
  });
  return { items: result.items.map((v) => present(v, true)), nextCursor: result.nextCursor };
}

export async function registerMine(deps: Deps, actor: SignedIn, input: MyRegistrationT) {
  const { person, own } = await ownPerson(deps, actor.user.id, input.personId);
  const historyIds = await recordsOfPerson(deps, person, own);
  const row = await deps.db.transaction(async (tx) => {
    const { appointment, history } = await registerIn(deps, tx, {
      person,
      historyIds,
      priorityGroup: input.priorityGroup,
      doseNumber: input.doseNumber,
      createdBy: actor.user.id,
    });
    return input.slotId ? bookIn(deps, tx, appointment, { slotId: input.slotId, user: null }, history) : appointment;
  });
  await audit(deps, actor, "me.appointment.create", row, { doseNumber: row.doseNumber, own });
  return present(await viewOf(deps, row.id), true);
}

export async function bookMine(deps: Deps, actor: SignedIn, id: string, slotId: string) {
  const mine = await myAppointment(deps, actor, id);
  const [person] = await deps.db.select().from(people).where(eq(people.id, mine.personId)).limit(1);
  const historyIds = person ? await citizenHistoryIds(deps, actor.user.id, person) : [mine.personId];
  const row = await bookAppointment(deps, mine.id, { slotId, user: null }, historyIds);
  await audit(deps, actor, "me.appointment.book", row);
  return present(await viewOf(deps, row.id), true);
}

export async function cancelMine(deps: Deps, actor: SignedIn, id: string) {
  const mine = await myAppointment(deps, actor, id);
  const row = await cancelAppointment(deps, mine.id);
  await audit(deps, actor, "me.appointment.cancel", row);
  return present(await viewOf(deps, row.id), true);
}

/** The appointment's QR as SVG: the text `PHC-APT:<code>` the site's scanner reads. */
export async function myAppointmentQr(deps: Deps, actor: SignedIn, id: string): Promise<string> {
  const a = await myAppointment(deps, actor, id);
  if (a.status === "cancelled") throw cancelledError();
  await audit(deps, actor, "me.appointment.qr", a);
  return QRCode.toString(`${APPOINTMENT_QR_PREFIX}${a.code}`, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

// ---- officers and site staff ----

/** An appointment the user may see, else 404. */
async function findAppointment(deps: Deps, user: AuthUser, id: string): Promise<AppointmentRow> {
  const [row] = await deps.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, id), appointmentScope(user)))
    .limit(1);
  if (!row) throw notFound("Appointment");
  return row;
}

/**
 * Whether the user may name an existing person: one living in their area, or one with an
 * appointment or a dose they can see (site staff: at their sites).
 */
async function visiblePerson(deps: Deps, user: AuthUser, personId: string) {
  const own = areaFilter(user, { provinceCode: people.provinceCode, communeCode: people.communeCode });
  const seen =
    user.role === "national_admin"
      ? undefined
      : or(
          own,
          inArray(
            people.id,
            deps.db.select({ id: appointments.personId }).from(appointments).where(and(eq(appointments.personId, personId), appointmentScope(user))),
          ),
          inArray(
            people.id,
            deps.db
              .select({ id: vaccinations.personId })
              .from(vaccinations)
              .where(
                and(
                  eq(vaccinations.personId, personId),
                  areaFilter(user, { provinceCode: vaccinations.provinceCode, communeCode: vaccinations.communeCode, siteId: vaccinations.siteId }),
                ),
              ),
          ),
        );
  const [p] = await deps.db.select().from(people).where(and(eq(people.id, personId), seen)).limit(1);
  if (!p) throw notFound("Person");
  return p;
}

/**
 * Registers someone without the app: an existing person (personId) or one typed in. Site staff
 * register into a slot of their sites; officers without a slot only people of their area.
 */
export async function registerForPerson(deps: Deps, actor: SignedIn, input: StaffRegistrationT) {
  const user = actor.user;
  let fallback: Area = { provinceCode: user.provinceCode, communeCode: user.communeCode };
  if (input.slotId) {
    const [found] = await deps.db
      .select({ site: vaccinationSites })
      .from(vaccinationSlots)
      .innerJoin(vaccinationSites, eq(vaccinationSites.id, vaccinationSlots.siteId))
      .where(and(eq(vaccinationSlots.id, input.slotId), siteScope(user)))
      .limit(1);
    if (!found) throw notFound("Slot");
    fallback = { provinceCode: found.site.provinceCode, communeCode: found.site.communeCode };
  } else if (user.role === "site_staff") {
    throw new AppError("validation_failed", "Choose a slot", [
      { path: "slotId", message: msg("Chọn khung giờ tại điểm tiêm của bạn", "Choose a slot at your site") },
    ]);
  }
  if ("personId" in input) await visiblePerson(deps, user, input.personId);
  const lives = await personArea(deps, input, fallback);
  if (!input.slotId && !inArea(user, lives))
    throw new AppError("forbidden", msg("Người này ở ngoài địa bàn của bạn; chọn khung giờ tại điểm tiêm của địa bàn", "This person lives outside your area; choose a slot at a site of your area"));

  const row = await deps.db.transaction(async (tx) => {
    const txDeps: Deps = { ...deps, db: tx };
    const person = await resolvePerson(txDeps, input, fallback);
    const { appointment, history } = await registerIn(deps, tx, {
      person,
      historyIds: [person.id],
      priorityGroup: input.priorityGroup,
      doseNumber: input.doseNumber,
      createdBy: user.id,
    });
    return input.slotId ? bookIn(deps, tx, appointment, { slotId: input.slotId, user }, history) : appointment;
  });
  await audit(deps, actor, "appointment.create", row, { doseNumber: row.doseNumber, newPerson: !("personId" in input) });
  return present(await viewOf(deps, row.id), false);
}

export async function bookForPerson(deps: Deps, actor: SignedIn, id: string, slotId: string) {
  const found = await findAppointment(deps, actor.user, id);
  const row = await bookAppointment(deps, found.id, { slotId, user: actor.user }, [found.personId]);
  await audit(deps, actor, "appointment.book", row);
  return present(await viewOf(deps, row.id), false);
}

export async function cancelForPerson(deps: Deps, actor: SignedIn, id: string) {
  const found = await findAppointment(deps, actor.user, id);
  const row = await cancelAppointment(deps, found.id);
  await audit(deps, actor, "appointment.cancel", row);
  return present(await viewOf(deps, row.id), false);
}

function createdKeyset(after: [string, string] | undefined, direction: "asc" | "desc") {
  if (!after) return undefined;
  if (typeof after[0] !== "string" || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== "string" || !/^[0-9a-f-]{36}$/i.test(after[1]))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  return direction === "desc"
    ? sql`(${appointments.createdAt}, ${appointments.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`
    : sql`(${appointments.createdAt}, ${appointments.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)`;
}

export interface AppointmentListInput {
  siteId?: string | undefined;
  day?: string | undefined;
  status?: Status | undefined;
  priorityGroup?: PriorityGroup | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The area's (site staff: their sites') appointments, priority groups first, then first registered. */
export async function listAppointments(deps: Deps, actor: SignedIn, input: AppointmentListInput) {
  const after = decodeCursor<[number, string, string]>(input.cursor, ["int", "time", "uuid"]);
  if (
    after &&
    (typeof after[0] !== "number" || typeof after[1] !== "string" || Number.isNaN(Date.parse(after[1])) || typeof after[2] !== "string" || !/^[0-9a-f-]{36}$/i.test(after[2]))
  )
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const name = containsPattern(input.q);
  const digits = input.q && /^\+?\d[\d\s.-]*$/.test(input.q) ? input.q.replace(/[\s.-]/g, "").replace(/^\+?84/, "0") : undefined;
  const range = input.day ? vnDayRange(input.day) : undefined;
  const conds: (SQL | undefined)[] = [
    appointmentScope(actor.user),
    input.siteId ? eq(appointments.siteId, input.siteId) : undefined,
    range ? and(gte(vaccinationSlots.startsAt, range.start), lt(vaccinationSlots.startsAt, range.end)) : undefined,
    input.status ? eq(appointments.status, input.status) : undefined,
    input.priorityGroup ? eq(appointments.priorityGroup, input.priorityGroup) : undefined,
    name ? or(ilike(people.fullName, name), digits ? like(people.phone, `${digits}%`) : undefined) : undefined,
    after ? sql`(${priorityRank}, ${appointments.createdAt}, ${appointments.id}) > (${after[0]}::int, ${after[1]}::timestamptz, ${after[2]}::uuid)` : undefined,
  ];
  const rows = await selectAppointments(deps.db)
    .where(and(...conds))
    .orderBy(priorityRank, asc(appointments.createdAt), asc(appointments.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (v) => [PRIORITY_GROUPS.indexOf(v.a.priorityGroup), v.a.createdAt.toISOString(), v.a.id]);
  await recordAudit(deps, actor, {
    action: "appointment.list",
    subjectType: "appointment",
    area: { provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode },
    details: { count: result.items.length, filters: { siteId: input.siteId, day: input.day, status: input.status, priorityGroup: input.priorityGroup } },
  });
  return { items: result.items.map((v) => present(v, false)), nextCursor: result.nextCursor };
}

/**
 * Checks a person in by the scanned (or typed) code. Another site's appointment is 404, whatever
 * its state; then a cancelled one is 409 appointment_cancelled and one of another day 409
 * wrong_day. Scanning twice answers the same. The answer shows the person and their doses.
 */
export async function checkIn(deps: Deps, actor: SignedIn, text: string) {
  const code = appointmentCodeOf(text);
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(code))
    throw new AppError("validation_failed", "Not an appointment code", [
      { path: "code", message: msg("Không phải mã lịch hẹn tiêm", "Not a vaccination appointment code") },
    ]);
  const [found] = await selectAppointments(deps.db)
    .where(and(eq(appointments.code, code), appointmentScope(actor.user)))
    .limit(1);
  if (!found) throw notFound("Appointment");
  const a = found.a;
  if (a.status === "cancelled") throw cancelledError();
  if (!found.slotStartsAt)
    throw new AppError("conflict", msg("Lịch hẹn chưa đặt khung giờ; đặt lịch trước", "The appointment has no slot yet; book one first"));
  const today = vnDay(deps.now());
  const day = vnDay(found.slotStartsAt);
  if (day !== today) throw new AppError("wrong_day", msg(`Lịch hẹn vào ngày ${day}, không phải hôm nay`, `The appointment is on ${day}, not today`));
  if (a.status === "vaccinated") throw new AppError("conflict", msg("Người này đã tiêm theo lịch hẹn này", "This appointment's dose was already given"));
  let row = a;
  if (a.status !== "checked_in") {
    const now = deps.now();
    const [updated] = await deps.db
      .update(appointments)
      .set({ status: "checked_in", checkedInAt: now, updatedAt: now })
      .where(and(eq(appointments.id, a.id), inArray(appointments.status, ["booked", "no_show"])))
      .returning();
    if (!updated) {
      // changed between the read and the update (cancelled, or checked in by another scanner)
      row = await findAppointment(deps, actor.user, a.id);
      if (row.status === "cancelled") throw cancelledError();
      if (row.status !== "checked_in") throw new AppError("conflict", msg("Lịch hẹn vừa thay đổi; quét lại", "The appointment just changed; scan again"));
    } else row = updated;
  }
  await audit(deps, actor, "appointment.check_in", row);
  const view = await viewOf(deps, row.id);
  return {
    ...present(view, true),
    person: { id: a.personId, fullName: view.personName, birthYear: view.personBirthYear, phone: view.personPhone },
    history: await doseHistory(deps, [a.personId]),
  };
}
