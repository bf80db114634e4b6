/**
 * A citizen's account and the person records it speaks for: its own (users.person_id) and its
 * family's (family_members). Until the profile names a commune, the own record sits in the
 * national pseudo-province "00" (people.province_code is required).
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { familyMembers, people, users, type Person, type User } from "../../db/schema";
import { NATIONAL, type Area } from "../auth/scope";
import { verifyAccessToken } from "../auth/tokens";
import type { Deps } from "../deps";
import { AppError, notFound } from "../http/errors";
import { recordsOf } from "../tracing/people";

/** Citizens never sign in with a password: this is no scrypt hash, so no password ever matches it. */
export const NO_PASSWORD = "!otp-only";

class Conflict extends Error {}

/** Creates the account of a phone and its person record; a concurrent creation wins and is returned. */
export async function createCitizenAccount(deps: Deps, phone: string): Promise<{ user: User; created: boolean }> {
  try {
    const user = await deps.db.transaction(async (tx) => {
      const [person] = await tx
        .insert(people)
        .values({ provinceCode: NATIONAL, communeCode: null, fullName: "", phone })
        .returning({ id: people.id });
      const [row] = await tx
        .insert(users)
        .values({ username: phone, displayName: phone, passwordHash: NO_PASSWORD, role: "citizen", personId: person!.id })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new Conflict();
      return row;
    });
    return { user, created: true };
  } catch (e) {
    if (!(e instanceof Conflict)) throw e;
    const [row] = await deps.db.select().from(users).where(eq(users.username, phone)).limit(1);
    if (!row) throw e;
    return { user: row, created: false };
  }
}

export async function personAreaOf(deps: Deps, personId: string | null): Promise<Area> {
  if (!personId) return { provinceCode: null, communeCode: null };
  const [p] = await deps.db
    .select({ provinceCode: people.provinceCode, communeCode: people.communeCode })
    .from(people)
    .where(eq(people.id, personId))
    .limit(1);
  return p ? { provinceCode: p.provinceCode, communeCode: p.communeCode } : { provinceCode: null, communeCode: null };
}

/** The signed-in citizen's account and own person record (made on first need for accounts without one). */
export async function accountOf(deps: Deps, userId: string): Promise<{ user: User; person: Person }> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.disabled || user.role !== "citizen") throw notFound("Account");
  if (user.personId) {
    const [person] = await deps.db.select().from(people).where(eq(people.id, user.personId)).limit(1);
    if (person) return { user, person };
  }
  const phone = /^0\d{9}$/.test(user.username) ? user.username : null;
  const [made] = await deps.db
    .insert(people)
    .values({ provinceCode: NATIONAL, communeCode: null, fullName: user.displayName === user.username ? "" : user.displayName, phone })
    .returning();
  const [linked] = await deps.db
    .update(users)
    .set({ personId: made!.id })
    .where(and(eq(users.id, user.id), user.personId ? eq(users.personId, user.personId) : isNull(users.personId)))
    .returning();
  if (!linked) return accountOf(deps, userId); // linked concurrently: use that one
  return { user: linked, person: made! };
}

/** The family's person ids of an account. */
export async function familyIdsOf(deps: Deps, userId: string): Promise<string[]> {
  const rows = await deps.db.select({ personId: familyMembers.personId }).from(familyMembers).where(eq(familyMembers.userId, userId));
  return rows.map((r) => r.personId);
}

/**
 * A person the account may speak for: its own or a family member's. Anyone else is 404, like
 * any row outside the caller's area.
 */
export async function ownPerson(deps: Deps, userId: string, personId: string | undefined): Promise<{ person: Person; own: boolean; account: { user: User; person: Person } }> {
  const account = await accountOf(deps, userId);
  if (!personId || personId === account.person.id) return { person: account.person, own: true, account };
  const [link] = await deps.db
    .select({ personId: familyMembers.personId })
    .from(familyMembers)
    .where(and(eq(familyMembers.userId, userId), eq(familyMembers.personId, personId)))
    .limit(1);
  if (!link) throw notFound("Person");
  const [person] = await deps.db.select().from(people).where(eq(people.id, personId)).limit(1);
  if (!person) throw notFound("Person");
  return { person, own: false, account };
}

/**
 * Every person record of the same human, for reads of what happened to them. The account's own
 * record includes the records with its (verified) phone and birth year — a check-in typed at a
 * door, or the one the phone made before signing in; a family member's is only its own record.
 */
export async function recordsOfPerson(deps: Deps, person: Person, own: boolean): Promise<string[]> {
  if (!own || !person.phone) return [person.id];
  return recordsOf(deps, [person.id]);
}

/** Maps each record back to the person the account knows it as. */
export async function recordsByPerson(deps: Deps, persons: { person: Person; own: boolean }[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const p of persons) for (const id of await recordsOfPerson(deps, p.person, p.own)) if (!map.has(id)) map.set(id, p.person.id);
  return map;
}

export async function peopleByIds(deps: Deps, ids: string[]): Promise<Person[]> {
  if (!ids.length) return [];
  return deps.db.select().from(people).where(inArray(people.id, ids));
}

export const tooMany = (what: string) => new AppError("conflict", what);

/**
 * The citizen an Authorization header names, for the one-tap check-in (POST /api/checkins):
 * 401 for a bad or expired token (the app refreshes and retries), 403 for another role.
 */
export async function citizenOfRequest(deps: Deps, authorization: string) {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const unauthorized = () =>
    new AppError("unauthorized", "Invalid or expired access token", undefined, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
  if (!match?.[1]) throw unauthorized();
  let user;
  try {
    user = await verifyAccessToken(deps.keys, deps.config.publicUrl, match[1], deps.now());
  } catch {
    throw unauthorized();
  }
  if (user.role !== "citizen") throw new AppError("forbidden", "Only a citizen account checks in as itself; send the visitor's details instead");
  const { person } = await accountOf(deps, user.id);
  return { personId: person.id, provinceCode: person.provinceCode, fullName: person.fullName, birthYear: person.birthYear };
}
