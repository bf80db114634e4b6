import { and, asc, eq, gt, ilike, or, type SQL } from "drizzle-orm";
import { adminUnits, users, type Role, type User } from "../../db/schema";
import type { Deps } from "../deps";
import { assertCommuneInProvince } from "../admin-units/service";
import { recordAudit, type Actor } from "../audit/service";
import { hashPassword } from "../auth/passwords";
import { areaFilter, areaRuleFor, canGrant, inArea, type Area, type AuthUser } from "../auth/scope";
import { revokeUserSessions } from "../auth/service";
import { AppError, notFound } from "../http/errors";
import { decodeCursor, page } from "../http/pagination";
import { containsPattern } from "../http/search";
import { presentUser } from "./present";

type OfficerActor = Actor & { user: AuthUser };

const areaOf = (u: { provinceCode: string | null; communeCode: string | null }): Area => ({
  provinceCode: u.provinceCode,
  communeCode: u.communeCode,
});

/** Checks that an area has the shape the role needs and names units that exist. */
async function checkArea(deps: Deps, role: Role, area: Area): Promise<Area> {
  const rule = areaRuleFor(role);
  const bad = (path: string, message: string) => new AppError("validation_failed", "Invalid area for this role", [{ path, message }]);
  const provinceCode = rule.province === "none" ? null : area.provinceCode;
  const communeCode = rule.commune === "none" ? null : area.communeCode;
  if (rule.province === "required" && !provinceCode) throw bad("provinceCode", `A ${role} needs a province`);
  if (rule.commune === "required" && !communeCode) throw bad("communeCode", `A ${role} needs a commune`);
  if (provinceCode) {
    const [p] = await deps.db.select().from(adminUnits).where(and(eq(adminUnits.code, provinceCode), eq(adminUnits.level, "province")));
    if (!p) throw bad("provinceCode", "No such province");
  }
  if (communeCode) await assertCommuneInProvince(deps, provinceCode ?? "", communeCode);
  return { provinceCode, communeCode };
}

async function findInScope(deps: Deps, actor: OfficerActor, id: string): Promise<User> {
  const [row] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.id, id), areaFilter(actor.user, users)))
    .limit(1);
  if (!row) throw notFound("User");
  return row;
}

export interface UserListInput {
  q?: string | undefined;
  role?: Role | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function listUsers(deps: Deps, actor: OfficerActor, input: UserListInput) {
  const after = decodeCursor<[string]>(input.cursor, ["text"]);
  const pattern = containsPattern(input.q);
  const conds: (SQL | undefined)[] = [
    areaFilter(actor.user, users),
    input.role ? eq(users.role, input.role) : undefined,
    input.provinceCode ? eq(users.provinceCode, input.provinceCode) : undefined,
    input.communeCode ? eq(users.communeCode, input.communeCode) : undefined,
    pattern ? or(ilike(users.username, pattern), ilike(users.displayName, pattern)) : undefined,
    after ? gt(users.username, after[0]) : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(users)
    .where(and(...conds))
    .orderBy(asc(users.username))
    .limit(input.limit + 1);
  const result = page(rows.map(presentUser), input.limit, (u) => [u.username]);
  await recordAudit(deps, actor, {
    action: "user.list",
    subjectType: "user",
    area: areaOf(actor.user),
    details: { count: result.items.length, ids: result.items.map((u) => u.id) },
  });
  return result;
}

export async function getUser(deps: Deps, actor: OfficerActor, id: string) {
  const row = await findInScope(deps, actor, id);
  await recordAudit(deps, actor, { action: "user.read", subjectType: "user", subjectId: id, area: areaOf(row) });
  return presentUser(row);
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  provinceCode?: string | null | undefined;
  communeCode?: string | null | undefined;
}

export async function createUser(deps: Deps, actor: OfficerActor, input: CreateUserInput) {
  if (!canGrant(actor.user, input.role)) throw new AppError("forbidden", `You may not create a ${input.role}`);
  const area = await checkArea(deps, input.role, { provinceCode: input.provinceCode ?? null, communeCode: input.communeCode ?? null });
  if (!inArea(actor.user, area)) throw new AppError("forbidden", "That area is outside yours");
  const [taken] = await deps.db.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
  if (taken) throw usernameTaken();
  let row: User | undefined;
  try {
    [row] = await deps.db
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        passwordHash: await hashPassword(input.password),
        role: input.role,
        ...area,
        createdBy: actor.user.id,
      })
      .returning();
  } catch (e) {
    if ((e as { code?: string }).code === "23505") throw usernameTaken();
    throw e;
  }
  if (!row) throw new Error("insert returned nothing");
  await recordAudit(deps, actor, {
    action: "user.create",
    subjectType: "user",
    subjectId: row.id,
    area,
    details: { username: row.username, role: row.role },
  });
  return presentUser(row);
}

const usernameTaken = () =>
  new AppError("conflict", "That username is taken", [{ path: "username", message: "Already in use" }]);

export interface UpdateUserInput {
  displayName?: string | undefined;
  disabled?: boolean | undefined;
  role?: Role | undefined;
  provinceCode?: string | null | undefined;
  communeCode?: string | null | undefined;
  password?: string | undefined;
}

export async function updateUser(deps: Deps, actor: OfficerActor, id: string, input: UpdateUserInput) {
  const existing = await findInScope(deps, actor, id);
  if (!canGrant(actor.user, existing.role)) throw new AppError("forbidden", `You may not change a ${existing.role}`);
  const role = input.role ?? existing.role;
  if (!canGrant(actor.user, role)) throw new AppError("forbidden", `You may not grant the role ${role}`);
  if (existing.id === actor.user.id && (input.disabled || (input.role && input.role !== existing.role)))
    throw new AppError("bad_request", "You cannot disable your own account or change your own role");
  const areaGiven = input.provinceCode !== undefined || input.communeCode !== undefined || input.role !== undefined;
  const area = areaGiven
    ? await checkArea(deps, role, {
        provinceCode: input.provinceCode !== undefined ? input.provinceCode : existing.provinceCode,
        communeCode: input.communeCode !== undefined ? input.communeCode : existing.communeCode,
      })
    : areaOf(existing);
  if (!inArea(actor.user, area)) throw new AppError("forbidden", "That area is outside yours");
  const changes: Partial<typeof users.$inferInsert> = { updatedAt: deps.now(), role, ...area };
  if (input.displayName !== undefined) changes.displayName = input.displayName;
  if (input.disabled !== undefined) changes.disabled = input.disabled;
  if (input.password !== undefined) changes.passwordHash = await hashPassword(input.password);
  const [row] = await deps.db.update(users).set(changes).where(eq(users.id, id)).returning();
  if (!row) throw notFound("User");
  if (input.disabled || input.password !== undefined || role !== existing.role) await revokeUserSessions(deps, id);
  const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  await recordAudit(deps, actor, {
    action: "user.update",
    subjectType: "user",
    subjectId: id,
    area,
    details: { changed, ...(input.disabled !== undefined ? { disabled: input.disabled } : {}), role },
  });
  return presentUser(row);
}
