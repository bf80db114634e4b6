/**
 * Dose records (docs/VACCINATION.md, "Doses and reactions"): record a dose at a site of the
 * caller's scope with the rules of rules.ts enforced under a lock on the person, list and read
 * doses, correct one (rules re-checked against the person's other doses) and a person's whole
 * record. Every read and change of a person's doses is audited.
 */
import { and, desc, eq, gte, ilike, like, lte, or, sql, type SQL } from "drizzle-orm";
import { adverseEvents, appointments, people, vaccinationSites, vaccinations, vaccineLots, vaccineProducts } from "../../../db/schema";
import type { Db } from "../../../db/client";
import { recordAudit } from "../../audit/service";
import { areaFilter, inArea, type AuthUser } from "../../auth/scope";
import { vnDay } from "../../checkins/colour";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { containsPattern } from "../../http/search";
import { personById, personColumns, resolvePerson, type PersonSummary } from "../../tracing/people";
import { adverseEventsWhere } from "./adverse-events";
import {
  areaOf,
  doseColumns,
  doseScope,
  factOf,
  findDose,
  lockPerson,
  lotById,
  nextDoseOf,
  presentDose,
  productRules,
  ruleError,
  selectDoses,
  siteScope,
  type DoseRow,
  type ProductRules,
  type SignedIn,
} from "./records";
import { checkDose, nextDoseNumber } from "./rules";
import type { CreateDoseT, UpdateDoseT } from "./schemas";

// ---- record ----

/** POST /api/vaccinations: a dose given at a site of the caller's scope. */
export async function recordDose(deps: Deps, actor: SignedIn, input: CreateDoseT) {
  const { user } = actor;
  const [site] = await deps.db
    .select()
    .from(vaccinationSites)
    .where(and(eq(vaccinationSites.id, input.siteId), eq(vaccinationSites.status, "active"), siteScope(user)))
    .limit(1);
  if (!site) throw new AppError("not_found", msg("Không tìm thấy điểm tiêm đang hoạt động này", "No such active vaccination site in your scope"));
  const lot = await lotById(deps.db, input.lotId);
  const products = await productRules(deps.db);
  const today = vnDay(deps.now());
  const givenOn = input.givenOn ?? today;
  const area = { provinceCode: site.provinceCode, communeCode: site.communeCode };

  let appointment: typeof appointments.$inferSelect | undefined;
  if (input.appointmentId) {
    const badAppointment = (vi: string, en: string) =>
      new AppError("validation_failed", en, [{ path: "appointmentId", message: msg(vi, en) }]);
    [appointment] = await deps.db.select().from(appointments).where(eq(appointments.id, input.appointmentId)).limit(1);
    if (!appointment) throw badAppointment("Không có lịch hẹn này", "No such appointment");
    if (!("personId" in input) || appointment.personId !== input.personId)
      throw badAppointment("Lịch hẹn của người khác", "The appointment is someone else's");
    if (appointment.status === "cancelled")
      throw new AppError("appointment_cancelled", msg("Lịch hẹn đã bị huỷ", "The appointment was cancelled"), [
        { path: "appointmentId", message: msg("Lịch hẹn đã bị huỷ", "The appointment was cancelled") },
      ]);
    if (appointment.status === "vaccinated")
      throw new AppError("conflict", msg("Lịch hẹn này đã tiêm xong", "This appointment is already vaccinated"), [
        { path: "appointmentId", message: msg("Lịch hẹn này đã tiêm xong", "This appointment is already vaccinated") },
      ]);
  }

  const id = await deps.db.transaction(async (tx) => {
    const txDeps: Deps = { ...deps, db: tx };
    const person = "personId" in input ? await personById(txDeps, input.personId) : await resolvePerson(txDeps, input, area);
    await lockPerson(tx, person.id);
    const history = (
      await tx
        .select({ doseNumber: vaccinations.doseNumber, productCode: vaccinations.productCode, givenOn: vaccinations.givenOn })
        .from(vaccinations)
        .where(eq(vaccinations.personId, person.id))
    ).map(factOf);
    const doseNumber = input.doseNumber ?? nextDoseNumber(history);
    const broken = checkDose(history, { doseNumber, productCode: lot.productCode, givenOn, lot: { productCode: lot.productCode, expiresOn: lot.expiresOn } }, products, today);
    if (broken) throw ruleError(broken);
    const now = deps.now();
    const [row] = await tx
      .insert(vaccinations)
      .values({
        ...area,
        personId: person.id,
        productCode: lot.productCode,
        lotId: lot.id,
        doseNumber,
        givenOn,
        siteId: site.id,
        vaccinator: input.vaccinator ?? null,
        appointmentId: appointment?.id ?? null,
        source: "recorded",
        recordedBy: user.id,
        createdAt: now,
        updatedAt: now,
      })
      // The unique (person, dose number) index is the last word if anything slipped past the lock.
      .onConflictDoNothing({ target: [vaccinations.personId, vaccinations.doseNumber] })
      .returning({ id: vaccinations.id });
    if (!row)
      throw ruleError({ code: "dose_exists", status: 409, path: "doseNumber", message: msg(`Đã ghi nhận mũi ${doseNumber}`, `Dose ${doseNumber} is already recorded`) });
    if (appointment) {
      const [done] = await tx
        .update(appointments)
        .set({ status: "vaccinated", vaccinationId: row.id, updatedAt: now })
        .where(and(eq(appointments.id, appointment.id), sql`${appointments.status} not in ('cancelled', 'vaccinated')`))
        .returning({ id: appointments.id });
      if (!done) throw new AppError("conflict", msg("Lịch hẹn vừa được cập nhật; hãy thử lại", "The appointment changed meanwhile; try again"));
    }
    await recordAudit(txDeps, actor, {
      action: "vaccination.create",
      subjectType: "vaccination",
      subjectId: row.id,
      area,
      details: { personId: person.id, doseNumber, productCode: lot.productCode, siteId: site.id, appointmentId: appointment?.id ?? null },
    });
    return row.id;
  });
  const [dose] = await selectDoses(deps.db, eq(vaccinations.id, id), 1);
  return presentDose(dose!);
}

// ---- list and read ----

export interface DoseListInput {
  siteId?: string | undefined;
  communeCode?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  productCode?: string | undefined;
  doseNumber?: number | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** GET /api/vaccinations: the doses of the caller's scope, newest first (keyset on given_on, id). */
export async function listDoses(deps: Deps, actor: SignedIn, input: DoseListInput) {
  if (input.from && input.to && input.from > input.to)
    throw new AppError("validation_failed", "from is after to", [{ path: "from", message: msg("Từ ngày phải trước đến ngày", "from must not be after to") }]);
  const after = decodeCursor<[string, string]>(input.cursor, ["day", "uuid"]);
  if (after && (typeof after[0] !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(after[0]) || typeof after[1] !== "string" || !/^[0-9a-f-]{36}$/i.test(after[1])))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const q = input.q?.trim();
  const digits = q?.replace(/[\s.()-]/g, "");
  const conds: (SQL | undefined)[] = [
    doseScope(actor.user),
    input.siteId ? eq(vaccinations.siteId, input.siteId) : undefined,
    input.communeCode ? eq(vaccinations.communeCode, input.communeCode) : undefined,
    input.from ? gte(vaccinations.givenOn, input.from) : undefined,
    input.to ? lte(vaccinations.givenOn, input.to) : undefined,
    input.productCode ? eq(vaccinations.productCode, input.productCode) : undefined,
    input.doseNumber ? eq(vaccinations.doseNumber, input.doseNumber) : undefined,
    q
      ? or(ilike(people.fullName, containsPattern(q)!), digits && /^\d{3,}$/.test(digits) ? like(people.phone, `${digits}%`) : undefined)
      : undefined,
    after ? sql`(${vaccinations.givenOn}, ${vaccinations.id}) < (${after[0]}::date, ${after[1]}::uuid)` : undefined,
  ];
  const rows = await deps.db
    .select({ ...doseColumns, personName: people.fullName, birthYear: people.birthYear })
    .from(vaccinations)
    .innerJoin(people, eq(people.id, vaccinations.personId))
    .leftJoin(vaccineProducts, eq(vaccineProducts.code, vaccinations.productCode))
    .leftJoin(vaccineLots, eq(vaccineLots.id, vaccinations.lotId))
    .leftJoin(vaccinationSites, eq(vaccinationSites.id, vaccinations.siteId))
    .where(and(...conds))
    .orderBy(desc(vaccinations.givenOn), desc(vaccinations.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (r) => [String(r.givenOn).slice(0, 10), r.id]);
  await recordAudit(deps, actor, {
    action: "vaccination.list",
    subjectType: "vaccination",
    area: areaOf(actor),
    details: {
      count: result.items.length,
      filters: { siteId: input.siteId, communeCode: input.communeCode, from: input.from, to: input.to, productCode: input.productCode, doseNumber: input.doseNumber, q: !!q },
    },
  });
  return {
    items: result.items.map((r) => ({
      ...presentDose(r as DoseRow),
      personName: r.personName,
      birthYear: r.birthYear,
      provinceCode: r.provinceCode,
      communeCode: r.communeCode,
    })),
    nextCursor: result.nextCursor,
  };
}

async function personSummary(db: Db, id: string): Promise<PersonSummary | undefined> {
  const [p] = await db.select(personColumns).from(people).where(eq(people.id, id)).limit(1);
  return p;
}

/** GET /api/vaccinations/{id}: one dose with its person and reactions (audited). */
export async function getDose(deps: Deps, actor: SignedIn, id: string) {
  const d = await findDose(deps.db, actor.user, id);
  const person = await personSummary(deps.db, d.personId);
  if (!person) throw notFound("Person");
  const events = await adverseEventsWhere(deps.db, eq(adverseEvents.vaccinationId, d.id));
  await recordAudit(deps, actor, {
    action: "vaccination.read",
    subjectType: "vaccination",
    subjectId: d.id,
    area: { provinceCode: d.provinceCode, communeCode: d.communeCode },
    details: { personId: d.personId },
  });
  return { ...presentDose(d), provinceCode: d.provinceCode, communeCode: d.communeCode, person, adverseEvents: events };
}

// ---- correct ----

/** PATCH /api/vaccinations/{id}: corrects the lot, the day or the vaccinator; the rules are asked again. */
export async function updateDose(deps: Deps, actor: SignedIn, id: string, input: UpdateDoseT) {
  const d = await findDose(deps.db, actor.user, id);
  const newLot = input.lotId && input.lotId !== d.lotId ? await lotById(deps.db, input.lotId) : undefined;
  const givenOn = input.givenOn ?? String(d.givenOn).slice(0, 10);
  const recheck = !!newLot || givenOn !== String(d.givenOn).slice(0, 10);
  const products = await productRules(deps.db);
  const today = vnDay(deps.now());
  const before = { lotId: d.lotId, productCode: d.productCode, givenOn: String(d.givenOn).slice(0, 10), vaccinator: d.vaccinator };

  await deps.db.transaction(async (tx) => {
    await lockPerson(tx, d.personId);
    const set: Partial<typeof vaccinations.$inferInsert> = { updatedAt: deps.now() };
    if (input.vaccinator !== undefined) set.vaccinator = input.vaccinator;
    if (recheck) {
      const lot = newLot ?? (await lotById(tx, d.lotId));
      const doses = await tx
        .select({ id: vaccinations.id, doseNumber: vaccinations.doseNumber, productCode: vaccinations.productCode, givenOn: vaccinations.givenOn, expiresOn: vaccineLots.expiresOn, lotProduct: vaccineLots.productCode })
        .from(vaccinations)
        .leftJoin(vaccineLots, eq(vaccineLots.id, vaccinations.lotId))
        .where(eq(vaccinations.personId, d.personId));
      const corrected = { doseNumber: Number(d.doseNumber), productCode: lot.productCode, givenOn };
      const others = doses.filter((x) => x.id !== d.id);
      // A product withdrawn since the dose was given does not make the given dose wrong.
      const asGiven: ProductRules = new Map(products);
      const mine = asGiven.get(d.productCode);
      if (mine && lot.productCode === d.productCode) asGiven.set(d.productCode, { ...mine, active: true });
      const below = others.filter((x) => Number(x.doseNumber) < corrected.doseNumber).map(factOf);
      const broken = checkDose(below, { ...corrected, lot: { productCode: lot.productCode, expiresOn: lot.expiresOn } }, asGiven, today);
      if (broken) throw ruleError(broken);
      // The doses after it must still follow from it (interval and product mix).
      const allActive: ProductRules = new Map([...products].map(([k, p]) => [k, { ...p, active: true }]));
      const chain = [...below, corrected];
      for (const later of others.filter((x) => Number(x.doseNumber) > corrected.doseNumber).sort((a, b) => Number(a.doseNumber) - Number(b.doseNumber))) {
        const fact = factOf(later);
        const v = checkDose(chain, { ...fact, lot: { productCode: later.lotProduct ?? fact.productCode, expiresOn: later.expiresOn ?? fact.givenOn } }, allActive, today > fact.givenOn ? today : fact.givenOn);
        if (v)
          throw ruleError({ ...v, path: newLot ? "lotId" : "givenOn" }, [
            { path: "doseNumber", message: msg(`Mũi ${fact.doseNumber} đã ghi nhận sẽ không còn hợp lệ`, `The recorded dose ${fact.doseNumber} would no longer be valid`) },
          ]);
        chain.push(fact);
      }
      set.lotId = lot.id;
      set.productCode = lot.productCode;
      set.givenOn = givenOn;
    }
    await tx.update(vaccinations).set(set).where(eq(vaccinations.id, d.id));
    const after = {
      lotId: set.lotId ?? before.lotId,
      productCode: set.productCode ?? before.productCode,
      givenOn: set.givenOn ?? before.givenOn,
      vaccinator: set.vaccinator === undefined ? before.vaccinator : set.vaccinator,
    };
    await recordAudit({ ...deps, db: tx }, actor, {
      action: "vaccination.update",
      subjectType: "vaccination",
      subjectId: d.id,
      area: { provinceCode: d.provinceCode, communeCode: d.communeCode },
      details: { personId: d.personId, before, after },
    });
  });
  const [row] = await selectDoses(deps.db, eq(vaccinations.id, d.id), 1);
  return presentDose(row!);
}

// ---- a person's record ----

/**
 * Whether the caller may read this person's record: officers of the person's area or of a site
 * that gave them a dose; site staff of a site that gave them a dose or holds their appointment.
 */
async function mayReadPerson(deps: Deps, user: AuthUser, person: PersonSummary): Promise<boolean> {
  if (user.role === "national_admin") return true;
  if (user.role !== "site_staff" && inArea(user, person)) return true;
  const [viaDose] = await deps.db
    .select({ id: vaccinations.id })
    .from(vaccinations)
    .where(and(eq(vaccinations.personId, person.id), doseScope(user)))
    .limit(1);
  if (viaDose) return true;
  if (user.role !== "site_staff") return false;
  const [viaAppointment] = await deps.db
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(
        eq(appointments.personId, person.id),
        areaFilter(user, { provinceCode: appointments.provinceCode, communeCode: appointments.communeCode, siteId: appointments.siteId }),
      ),
    )
    .limit(1);
  return !!viaAppointment;
}

/** GET /api/people/{id}/vaccinations: the person, every dose, every reaction and the next dose (audited). */
export async function personVaccinations(deps: Deps, actor: SignedIn, personId: string) {
  const person = await personSummary(deps.db, personId);
  if (!person || !(await mayReadPerson(deps, actor.user, person))) throw notFound("Person");
  const doses = await selectDoses(deps.db, eq(vaccinations.personId, person.id));
  const events = await adverseEventsWhere(deps.db, eq(adverseEvents.personId, person.id));
  const products = await productRules(deps.db);
  await recordAudit(deps, actor, {
    action: "vaccination.person.read",
    subjectType: "person",
    subjectId: person.id,
    area: { provinceCode: person.provinceCode, communeCode: person.communeCode },
    details: { doses: doses.length, adverseEvents: events.length },
  });
  return {
    person,
    doses: doses.map(presentDose),
    adverseEvents: events,
    nextDose: nextDoseOf(doses.map(factOf), products),
  };
}
