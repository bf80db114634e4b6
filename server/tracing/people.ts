/** The people a case or a hand-added contact is about: lookup by phone, new records, one human's records. */
import { and, eq, inArray, sql } from "drizzle-orm";
import { people } from "../../db/schema";
import { provinceOfCommune } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import { NATIONAL, type AuthUser } from "../auth/scope";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";

type SignedIn = Actor & { user: AuthUser };

export interface PersonSummary {
  id: string;
  fullName: string;
  phone: string | null;
  birthYear: number | null;
  provinceCode: string;
  communeCode: string | null;
}

export const personColumns = {
  id: people.id,
  fullName: people.fullName,
  phone: people.phone,
  birthYear: people.birthYear,
  provinceCode: people.provinceCode,
  communeCode: people.communeCode,
};

export type PersonRef =
  | { personId: string }
  | {
      person: {
        fullName: string;
        phone: string;
        birthYear: number;
        communeCode?: string | null | undefined;
        birthDate?: string | null | undefined;
        sex?: "male" | "female" | "other" | null | undefined;
      };
    };

/** Exact phone match, nationwide (an F0's check-ins may be under a record of another province); audited. */
export async function lookupPeople(deps: Deps, actor: SignedIn, phone: string) {
  const items = await deps.db.select(personColumns).from(people).where(eq(people.phone, phone)).orderBy(people.fullName).limit(20);
  await recordAudit(deps, actor, {
    action: "people.lookup",
    subjectType: "person",
    area: { provinceCode: actor.user.provinceCode ?? NATIONAL, communeCode: actor.user.communeCode },
    details: { found: items.length },
  });
  return { items };
}

export async function personById(deps: Deps, id: string): Promise<PersonSummary> {
  const [p] = await deps.db.select(personColumns).from(people).where(eq(people.id, id)).limit(1);
  if (!p) throw new AppError("validation_failed", "Unknown person", [{ path: "personId", message: "No such person" }]);
  return p;
}

/** Where the person named by a request lives, without writing anything (checks come first). */
export async function personArea(deps: Deps, ref: PersonRef, fallback: { provinceCode: string | null; communeCode: string | null }) {
  if ("personId" in ref) {
    const p = await personById(deps, ref.personId);
    return { provinceCode: p.provinceCode, communeCode: p.communeCode, person: p };
  }
  const communeCode = ref.person.communeCode ?? fallback.communeCode;
  const provinceCode = communeCode ? await provinceOfCommune(deps, communeCode, "person.communeCode") : fallback.provinceCode;
  if (!provinceCode) throw new AppError("validation_failed", "Say where the person lives", [{ path: "person.communeCode", message: "Choose the commune" }]);
  return { provinceCode, communeCode: communeCode ?? null, person: null };
}

/** The person named by a request: an existing record, or a new one in the province of its commune. */
export async function resolvePerson(deps: Deps, ref: PersonRef, fallback: { provinceCode: string | null; communeCode: string | null }): Promise<PersonSummary> {
  const area = await personArea(deps, ref, fallback);
  if (area.person || "personId" in ref) return area.person!;
  const p = ref.person;
  const [row] = await deps.db
    .insert(people)
    .values({
      provinceCode: area.provinceCode,
      communeCode: area.communeCode,
      fullName: p.fullName,
      phone: p.phone,
      birthYear: p.birthDate ? Number(p.birthDate.slice(0, 4)) : p.birthYear,
      birthDate: p.birthDate ?? null,
      sex: p.sex ?? null,
    })
    .returning(personColumns);
  if (!row) throw notFound("Person");
  return row;
}

/**
 * When two records are the same human, as SQL over `p1` (a record) and `p2` (another record of
 * the same human): same phone, same year of birth. Also in the trace hop's statement (trace.ts).
 */
export const SAME_HUMAN = "p2.phone = p1.phone and p2.birth_year is not distinct from p1.birth_year";
/** At most this many other records per lookup (a phone typed in for many people stays bounded). */
export const RECORDS_LIMIT = 200;

/**
 * Every record of the same human: the record itself and those with the same phone and birth
 * year (a visitor typed in at several doors has one record per door).
 */
export async function recordsOf(deps: Deps, personIds: string[]): Promise<string[]> {
  if (!personIds.length) return [];
  const rows = await deps.db
    .select({ id: sql<string>`p2.id` })
    .from(sql`people p1`)
    .innerJoin(sql`people p2`, sql.raw(SAME_HUMAN))
    .where(and(inArray(sql`p1.id`, personIds), sql`p1.phone is not null`))
    .limit(RECORDS_LIMIT);
  return [...new Set([...personIds, ...rows.map((r) => r.id)])];
}
