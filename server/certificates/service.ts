/**
 * Vaccination certificates as SMART Health Cards (docs/VACCINATION.md "Certificates"; test cards,
 * docs/TESTING.md, are issued in ./tests.ts with the same key, rid and revocation): issuing a
 * person's card from the registry, the revocation list, revoking a person's cards, and checking a
 * presented card against our own key and list. Every issue and revocation is audited.
 *
 * Revocation needs no list of issued cards: a card's `rid` is an HMAC of the person's id (see
 * issue.ts), and revoking adds "rid.<t>" to the list, which revokes every card of that person
 * whose `nbf` is before t. t is the next whole second, so every card issued up to the moment of
 * revocation is caught; a card issued afterwards gets nbf ≥ t (its nbf is lifted to the latest
 * revocation time of the person when the clock has not passed it yet) and verifies.
 */
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { certificateRevocations, people, vaccinationSites, vaccinations, vaccineLots, vaccineProducts } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/service";
import { areaFilter, type AuthUser } from "../auth/scope";
import { ownPerson, recordsOfPerson } from "../citizens/account";
import { recordsOf } from "../tracing/people";
import type { Deps } from "../deps";
import { msg } from "../http/fields";
import { AppError, notFound } from "../http/errors";
import { fhirBundle, healthCardPayload, immunizationResource } from "./fhir";
import { cardQr, cardRid, inflateRawNode, signCard } from "./issue";
import { jwsToNumeric, verifyCard, type CardDose, type CardTest, type IssuerKey, type RevocationList, type VerifyReason } from "./shc";

export type SignedIn = Actor & { user: AuthUser };
export type CardFormat = "json" | "pdf" | "smart-health-card";

export interface CardPerson {
  id: string;
  fullName: string;
  birthDate: string | null;
  birthYear: number | null;
  provinceCode: string;
  communeCode: string | null;
}

/** A dose as the registry shows it (the `Dose` of docs/VACCINATION.md) plus the product's CVX code. */
export interface RegistryDose {
  id: string;
  personId: string;
  productCode: string;
  productName: string;
  cvx: string;
  lotId: string;
  lotNumber: string;
  doseNumber: number;
  givenOn: string;
  siteId: string;
  siteName: string;
  vaccinator: string | null;
  source: "recorded" | "import";
  createdAt: string;
}

export interface IssuedCard {
  person: CardPerson;
  jws: string;
  qr: string;
  issuedAt: string;
  doses: RegistryDose[];
}

export const personColumns = {
  id: people.id,
  fullName: people.fullName,
  birthDate: people.birthDate,
  birthYear: people.birthYear,
  provinceCode: people.provinceCode,
  communeCode: people.communeCode,
};

export const areaOf = (p: CardPerson) => ({ provinceCode: p.provinceCode, communeCode: p.communeCode });

/**
 * The doses of a person's records in order, with product, lot and site, read from the registry
 * tables. A dose recorded twice (the same number, day and product on two records of one human) is
 * shown once.
 */
export async function registryDoses(deps: Deps, recordIds: string[]): Promise<RegistryDose[]> {
  const rows = await deps.db
    .select({
      id: vaccinations.id,
      personId: vaccinations.personId,
      productCode: vaccinations.productCode,
      productName: vaccineProducts.name,
      cvx: vaccineProducts.cvx,
      lotId: vaccinations.lotId,
      lotNumber: vaccineLots.lotNumber,
      doseNumber: vaccinations.doseNumber,
      givenOn: vaccinations.givenOn,
      siteId: vaccinations.siteId,
      siteName: vaccinationSites.name,
      vaccinator: vaccinations.vaccinator,
      source: vaccinations.source,
      createdAt: vaccinations.createdAt,
    })
    .from(vaccinations)
    .innerJoin(vaccineProducts, eq(vaccineProducts.code, vaccinations.productCode))
    .innerJoin(vaccineLots, eq(vaccineLots.id, vaccinations.lotId))
    .innerJoin(vaccinationSites, eq(vaccinationSites.id, vaccinations.siteId))
    .where(inArray(vaccinations.personId, recordIds))
    .orderBy(asc(vaccinations.doseNumber), asc(vaccinations.givenOn), asc(vaccinations.createdAt));
  const seen = new Set<string>();
  return rows
    .filter((r) => {
      const key = `${r.doseNumber}|${r.givenOn}|${r.productCode}`;
      return !seen.has(key) && !!seen.add(key);
    })
    .map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Seconds of the latest "rid.<t>" entry of this person under the key (0 when never revoked). */
export async function revokedUntil(deps: Deps, kid: string, personId: string): Promise<number> {
  const rows = await deps.db
    .select({ rid: certificateRevocations.rid })
    .from(certificateRevocations)
    .where(and(eq(certificateRevocations.kid, kid), eq(certificateRevocations.personId, personId)));
  return rows.reduce((max, r) => Math.max(max, Number(r.rid.split(".")[1] ?? 0) || 0), 0);
}

/**
 * Signs the person's vaccination card now, from the doses of `recordIds` (the person's own record
 * by default); no dose recorded → 404 no_doses. The card's rid is the person's.
 */
export async function issueVaccinationCard(deps: Deps, person: CardPerson, recordIds: string[] = [person.id]): Promise<IssuedCard> {
  if (!person.fullName.trim())
    throw new AppError("validation_failed", msg("Hồ sơ chưa có họ tên: nhập họ tên trước khi lấy giấy chứng nhận", "The profile has no name: enter the full name before getting the certificate"), [
      { path: "fullName", message: msg("Nhập họ tên", "Enter the full name") },
    ]);
  const doses = await registryDoses(deps, recordIds);
  if (!doses.length) throw new AppError("no_doses", msg("Chưa có mũi tiêm nào được ghi nhận cho người này", "No vaccination is recorded for this person"));
  const key = deps.keys.signing("shc");
  const nbf = Math.max(Math.floor(deps.now().getTime() / 1000), await revokedUntil(deps, key.kid, person.id));
  const patient = { fullName: person.fullName, birthDate: person.birthDate ?? (person.birthYear ? String(person.birthYear) : null) };
  const rid = cardRid(deps.keys, key.kid, person.id);
  // The card must fit one QR of version ≤ 22 (about a dozen doses with their sites); beyond that
  // the sites (optional in the spec's Immunization) are left out, which fits twenty doses.
  for (const withSites of [true, false]) {
    const bundle = fhirBundle(
      patient,
      doses.map((d) => immunizationResource({ cvx: d.cvx, date: d.givenOn, lotNumber: d.lotNumber, performer: withSites ? d.siteName : null })),
    );
    const jws = await signCard(key, healthCardPayload({ iss: deps.config.publicUrl, nbf, bundle, rid }));
    try {
      cardQr(jws);
    } catch (e) {
      if (e instanceof RangeError && withSites) continue;
      throw new AppError("conflict", msg("Quá nhiều mũi tiêm để in trong một mã QR", "Too many doses to fit one QR code"));
    }
    return { person, jws, qr: jwsToNumeric(jws), issuedAt: new Date(nbf * 1000).toISOString(), doses };
  }
  throw new Error("unreachable");
}

async function auditIssue(deps: Deps, actor: SignedIn, person: CardPerson, format: CardFormat, action: string, doses: number) {
  await recordAudit(deps, actor, { action, subjectType: "person", subjectId: person.id, area: areaOf(person), details: { format, doses } });
}

/**
 * A citizen's card, or a family member's; anyone else's person id is 404. The account's own card
 * includes the doses of the records typed in for the same phone and birth year (a dose given
 * before the app was used), as GET /api/me/vaccination shows them.
 */
export async function myVaccinationCard(deps: Deps, actor: SignedIn, personId: string | undefined, format: CardFormat): Promise<IssuedCard> {
  const { person, own } = await ownPerson(deps, actor.user.id, personId);
  const card = await issueVaccinationCard(deps, person, await recordsOfPerson(deps, person, own));
  await auditIssue(deps, actor, person, format, "certificate.issue", card.doses.length);
  return card;
}

/** A person of the officer's area (404 outside it), for the officers' routes. */
export async function personInArea(deps: Deps, user: AuthUser, personId: string): Promise<CardPerson> {
  const conds: (SQL | undefined)[] = [eq(people.id, personId), areaFilter(user, people)];
  const [person] = await deps.db.select(personColumns).from(people).where(and(...conds)).limit(1);
  if (!person) throw notFound("Person");
  return person;
}

/** An officer prints the card of a person of their area (someone without a phone). */
export async function personVaccinationCard(deps: Deps, actor: SignedIn, personId: string, format: CardFormat): Promise<IssuedCard> {
  const person = await personInArea(deps, actor.user, personId);
  const card = await issueVaccinationCard(deps, person);
  await auditIssue(deps, actor, person, format, "certificate.print", card.doses.length);
  return card;
}

// ---------------------------------------------------------------------------------------------
// revocation list

/**
 * The revocation list of a key: every entry so far. Entries are only ever added, one batch per
 * revocation, so ctr (1 for the empty list, as the spec starts it) = 1 + the number of revocations.
 */
export async function revocationList(deps: Deps, kid: string): Promise<RevocationList | null> {
  if (kid !== deps.keys.signing("shc").kid) return null;
  const rows = await deps.db
    .select({ rid: certificateRevocations.rid, at: certificateRevocations.revokedAt })
    .from(certificateRevocations)
    .where(eq(certificateRevocations.kid, kid))
    .orderBy(asc(certificateRevocations.revokedAt), asc(certificateRevocations.rid));
  const updates = new Set(rows.map((r) => r.at.getTime())).size;
  return { kid, method: "rid", ctr: updates + 1, rids: rows.map((r) => r.rid) };
}

/** The published SHC key with its list's counter, as /.well-known/jwks.json carries it. */
export async function shcIssuerKey(deps: Deps): Promise<{ key: IssuerKey; crl: RevocationList }> {
  const shc = deps.keys.signing("shc");
  const crl = (await revocationList(deps, shc.kid))!;
  return { key: { ...shc.publicJwk, crlVersion: crl.ctr }, crl };
}

export interface RevokeInput {
  personId: string;
  reason: string;
}

/**
 * Every card issued to the person so far stops verifying; cards issued afterwards work. The
 * person's other records of the same human (same phone and birth year) are revoked with it: the
 * citizen app issues the account's card under the account's own record.
 */
export async function revokeCertificates(deps: Deps, actor: SignedIn, input: RevokeInput) {
  const person = await personInArea(deps, actor.user, input.personId);
  const kid = deps.keys.signing("shc").kid;
  const now = deps.now();
  const until = Math.floor(now.getTime() / 1000) + 1;
  const records = await recordsOf(deps, [person.id]);
  const entry = `${cardRid(deps.keys, kid, person.id)}.${until}`;
  await deps.db
    .insert(certificateRevocations)
    .values(records.map((id) => ({ kid, rid: `${cardRid(deps.keys, kid, id)}.${until}`, personId: id, reason: input.reason, revokedBy: actor.user.id, revokedAt: now })))
    .onConflictDoNothing();
  const crl = (await revocationList(deps, kid))!;
  await recordAudit(deps, actor, {
    action: "certificate.revoke",
    subjectType: "person",
    subjectId: person.id,
    area: areaOf(person),
    details: { kid, entry, records: records.length, reason: input.reason, ctr: crl.ctr },
  });
  return { personId: person.id, kid, entry, revokedBefore: new Date(until * 1000).toISOString(), ctr: crl.ctr };
}

// ---------------------------------------------------------------------------------------------
// verification

export interface VerifyAnswer {
  valid: boolean;
  reason?: VerifyReason;
  kind: "vaccination" | "test";
  issuer: string | null;
  name: string | null;
  birthDate: string | null;
  doses: CardDose[];
  tests: CardTest[];
}

/** Checks a presented card against our own key and revocation list (the only issuer we vouch for). */
export async function verifyPresentedCard(deps: Deps, qr: string): Promise<VerifyAnswer> {
  const { key, crl } = await shcIssuerKey(deps);
  const r = await verifyCard(qr, { issuers: [{ iss: deps.config.publicUrl, keys: [key], crls: [crl] }], now: deps.now(), inflate: inflateRawNode });
  return { valid: r.valid, ...(r.reason ? { reason: r.reason } : {}), kind: r.kind, issuer: r.issuer, name: r.name, birthDate: r.birthDate, doses: r.doses, tests: r.tests };
}

