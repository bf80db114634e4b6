/** The citizen's own data: profile and family (docs/CITIZENS.md "Citizen account"). Every read and change is audited. */
import { and, asc, eq } from "drizzle-orm";
import { familyMembers, people, users, type Person } from "../../db/schema";
import { provinceOfCommune } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import { NATIONAL, type AuthUser } from "../auth/scope";
import { hashIdNumber } from "../declarations/id-hash";
import type { Deps } from "../deps";
import { notFound } from "../http/errors";
import { accountOf, tooMany } from "./account";

type SignedIn = Actor & { user: AuthUser };
type Sex = "male" | "female" | "other";

/** At most this many family members per account. */
export const FAMILY_MAX = 20;

const areaOf = (p: Person) => ({ provinceCode: p.provinceCode, communeCode: p.communeCode });

function presentProfile(phone: string, p: Person) {
  return {
    personId: p.id,
    phone,
    fullName: p.fullName || null,
    birthDate: p.birthDate,
    birthYear: p.birthYear,
    sex: p.sex,
    provinceCode: p.provinceCode === NATIONAL ? null : p.provinceCode,
    communeCode: p.communeCode,
    idNumberSet: !!p.idNumberHash,
  };
}

export async function getProfile(deps: Deps, actor: SignedIn) {
  const { user, person } = await accountOf(deps, actor.user.id);
  await recordAudit(deps, actor, { action: "me.profile.read", subjectType: "person", subjectId: person.id, area: areaOf(person) });
  return presentProfile(user.username, person);
}

export interface ProfileInput {
  fullName: string;
  birthDate?: string | null | undefined;
  sex?: Sex | null | undefined;
  communeCode?: string | null | undefined;
  idNumber?: string | null | undefined;
}

/** Absent fields keep their value; null clears it. A commune moves the person record to its province. */
export async function updateProfile(deps: Deps, actor: SignedIn, input: ProfileInput) {
  const { user, person } = await accountOf(deps, actor.user.id);
  const set: Partial<typeof people.$inferInsert> = { fullName: input.fullName, updatedAt: deps.now() };
  if (input.birthDate !== undefined) {
    set.birthDate = input.birthDate;
    set.birthYear = input.birthDate ? Number(input.birthDate.slice(0, 4)) : null;
  }
  if (input.sex !== undefined) set.sex = input.sex;
  if (input.communeCode !== undefined) {
    set.communeCode = input.communeCode;
    set.provinceCode = input.communeCode ? await provinceOfCommune(deps, input.communeCode, "communeCode") : NATIONAL;
  }
  if (input.idNumber !== undefined) set.idNumberHash = input.idNumber ? hashIdNumber(deps.keys, input.idNumber) : null;
  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx.update(people).set(set).where(and(eq(people.provinceCode, person.provinceCode), eq(people.id, person.id))).returning();
    await tx.update(users).set({ displayName: input.fullName, updatedAt: deps.now() }).where(eq(users.id, user.id));
    return row;
  });
  if (!updated) throw notFound("Person");
  await recordAudit(deps, actor, {
    action: "me.profile.update",
    subjectType: "person",
    subjectId: person.id,
    area: areaOf(updated),
    details: { fields: Object.keys(input).filter((k) => input[k as keyof ProfileInput] !== undefined) },
  });
  return presentProfile(user.username, updated);
}

const familyColumns = {
  personId: familyMembers.personId,
  relation: familyMembers.relation,
  createdAt: familyMembers.createdAt,
  fullName: people.fullName,
  birthYear: people.birthYear,
  sex: people.sex,
  provinceCode: people.provinceCode,
  communeCode: people.communeCode,
};

type FamilyRow = { createdAt: Date } & Record<string, unknown>;
const presentMember = <R extends FamilyRow>(r: R) => ({ ...r, createdAt: r.createdAt.toISOString() });

export async function listFamily(deps: Deps, actor: SignedIn) {
  const { person } = await accountOf(deps, actor.user.id);
  const rows = await deps.db
    .select(familyColumns)
    .from(familyMembers)
    .innerJoin(people, eq(people.id, familyMembers.personId))
    .where(eq(familyMembers.userId, actor.user.id))
    .orderBy(asc(familyMembers.createdAt), asc(familyMembers.personId));
  await recordAudit(deps, actor, { action: "me.family.read", subjectType: "person", subjectId: person.id, area: areaOf(person), details: { count: rows.length } });
  return { items: rows.map(presentMember) };
}

export interface FamilyInput {
  relation: (typeof familyMembers.$inferSelect)["relation"];
  fullName: string;
  birthYear: number;
  sex?: Sex | null | undefined;
  communeCode?: string | null | undefined;
}

/** A family member is a person record of its own, in its commune's province (default: the account's). */
export async function addFamilyMember(deps: Deps, actor: SignedIn, input: FamilyInput) {
  const { person: own } = await accountOf(deps, actor.user.id);
  const existing = await deps.db.select({ personId: familyMembers.personId }).from(familyMembers).where(eq(familyMembers.userId, actor.user.id));
  if (existing.length >= FAMILY_MAX) throw tooMany(`At most ${FAMILY_MAX} family members`);
  const communeCode = input.communeCode === undefined ? own.communeCode : input.communeCode;
  const provinceCode = communeCode ? await provinceOfCommune(deps, communeCode, "communeCode") : own.provinceCode;
  const member = await deps.db.transaction(async (tx) => {
    const [p] = await tx
      .insert(people)
      .values({ provinceCode, communeCode: communeCode ?? null, fullName: input.fullName, birthYear: input.birthYear, sex: input.sex ?? null })
      .returning();
    const [link] = await tx.insert(familyMembers).values({ userId: actor.user.id, personId: p!.id, relation: input.relation, createdAt: deps.now() }).returning();
    return {
      personId: p!.id,
      relation: link!.relation,
      createdAt: link!.createdAt,
      fullName: p!.fullName,
      birthYear: p!.birthYear,
      sex: p!.sex,
      provinceCode: p!.provinceCode,
      communeCode: p!.communeCode,
    };
  });
  await recordAudit(deps, actor, {
    action: "me.family.add",
    subjectType: "person",
    subjectId: member.personId,
    area: { provinceCode: member.provinceCode, communeCode: member.communeCode },
    details: { relation: input.relation },
  });
  return presentMember(member);
}

/** Unlinks a family member; the person record stays (check-ins and declarations refer to it). */
export async function removeFamilyMember(deps: Deps, actor: SignedIn, personId: string) {
  const [gone] = await deps.db
    .delete(familyMembers)
    .where(and(eq(familyMembers.userId, actor.user.id), eq(familyMembers.personId, personId)))
    .returning({ personId: familyMembers.personId });
  if (!gone) throw notFound("Family member");
  const [p] = await deps.db.select().from(people).where(eq(people.id, personId)).limit(1);
  await recordAudit(deps, actor, {
    action: "me.family.remove",
    subjectType: "person",
    subjectId: personId,
    area: p ? areaOf(p) : { provinceCode: null, communeCode: null },
  });
}
