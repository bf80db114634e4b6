/**
 * Laboratories and their staff (docs/TESTING.md). A lab serves a province: officers see the
 * labs of their province (a commune officer too, to seal pools to one), site staff the labs of
 * the provinces of their testing sites, lab staff their own labs. Province officers and national
 * admins create labs and assign lab_staff accounts of the lab's province.
 */
import { and, asc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { labStaff, labs, testSites, users } from "../../../db/schema";
import { provinceOfCommune } from "../../admin-units/service";
import { recordAudit } from "../../audit/service";
import { areaFilter, inArea, type AuthUser } from "../../auth/scope";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { containsPattern } from "../../http/search";
import type { CreateLabT } from "./schemas";
import { testSiteScope, type SignedIn } from "./service";

export type LabRow = typeof labs.$inferSelect;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The labs a user may see (labs carry no personal data; their staff lists are for their managers and staff). */
export function labScope(user: AuthUser): SQL | undefined {
  switch (user.role) {
    case "national_admin":
      return undefined;
    case "lab_staff":
      return areaFilter(user, { provinceCode: labs.provinceCode, labId: labs.id });
    case "site_staff":
      return sql`${labs.provinceCode} in (select ${testSites.provinceCode} from ${testSites} where ${testSiteScope(user) ?? sql`false`})`;
    case "commune_officer":
    case "province_officer":
    case "health_officer":
      return user.provinceCode ? eq(labs.provinceCode, user.provinceCode) : sql`false`;
    default:
      return sql`false`;
  }
}

export function presentLab(l: LabRow) {
  return { id: l.id, provinceCode: l.provinceCode, communeCode: l.communeCode, name: l.name, address: l.address, active: l.active };
}

export async function findLab(deps: Deps, user: AuthUser, id: string): Promise<LabRow> {
  const [row] = await deps.db
    .select()
    .from(labs)
    .where(and(eq(labs.id, id), labScope(user)))
    .limit(1);
  if (!row) throw notFound("Lab");
  return row;
}

export async function listLabs(deps: Deps, actor: SignedIn, input: { q?: string | undefined; limit: number; cursor?: string | undefined }) {
  const after = decodeCursor<[string, string]>(input.cursor, ["text", "uuid"]);
  if (after && (typeof after[0] !== "string" || typeof after[1] !== "string" || !UUID.test(after[1])))
    throw new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
  const pattern = containsPattern(input.q);
  const rows = await deps.db
    .select()
    .from(labs)
    .where(
      and(
        labScope(actor.user),
        pattern ? ilike(labs.name, pattern) : undefined,
        after ? or(sql`${labs.name} > ${after[0]}`, and(sql`${labs.name} = ${after[0]}`, sql`${labs.id} > ${after[1]}::uuid`)) : undefined,
      ),
    )
    .orderBy(asc(labs.name), asc(labs.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (l) => [l.name, l.id]);
  return { items: result.items.map(presentLab), nextCursor: result.nextCursor };
}

async function staffOf(deps: Deps, labId: string) {
  return deps.db
    .select({ userId: users.id, username: users.username, displayName: users.displayName })
    .from(labStaff)
    .innerJoin(users, eq(users.id, labStaff.userId))
    .where(eq(labStaff.labId, labId))
    .orderBy(asc(users.username));
}

export async function getLab(deps: Deps, actor: SignedIn, id: string) {
  const lab = await findLab(deps, actor.user, id);
  return { ...presentLab(lab), staff: await staffOf(deps, lab.id) };
}

/** POST /api/labs: a lab of the caller's province (or of the commune given). */
export async function createLab(deps: Deps, actor: SignedIn, input: CreateLabT) {
  const { user } = actor;
  const communeCode = input.communeCode ?? null;
  const provinceCode = communeCode ? await provinceOfCommune(deps, communeCode, "communeCode") : user.provinceCode;
  if (!provinceCode)
    throw new AppError("validation_failed", "Choose the commune", [{ path: "communeCode", message: msg("Chọn xã/phường nơi đặt phòng xét nghiệm", "Choose the lab's commune") }]);
  const area = { provinceCode, communeCode };
  if (!inArea(user, area))
    throw new AppError("forbidden", msg("Chỉ tạo phòng xét nghiệm trong tỉnh của bạn", "You may create labs only in your own province"), [
      { path: "communeCode", message: msg("Chọn xã/phường thuộc tỉnh của bạn", "Choose a commune of your province") },
    ]);
  const [row] = await deps.db
    .insert(labs)
    .values({ ...area, name: input.name, address: input.address, createdBy: user.id, createdAt: deps.now(), updatedAt: deps.now() })
    .returning();
  await recordAudit(deps, actor, { action: "lab.create", subjectType: "lab", subjectId: row!.id, area, details: { name: row!.name } });
  return presentLab(row!);
}

/**
 * Assigns a lab_staff account to a lab. The account must be one the caller manages (else 404),
 * a lab_staff account, enabled, of the lab's province (else 400). Assigning twice is harmless.
 */
export async function assignLabStaff(deps: Deps, actor: SignedIn, labId: string, userId: string) {
  const lab = await findLab(deps, actor.user, labId);
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), areaFilter(actor.user, { provinceCode: users.provinceCode, communeCode: users.communeCode })))
    .limit(1);
  if (!user) throw notFound("User");
  const refuse = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "userId", message: msg(vi, en) }]);
  if (user.role !== "lab_staff") throw refuse("Chỉ gán tài khoản nhân viên phòng xét nghiệm (lab_staff)", "Only lab_staff accounts work at labs");
  if (user.disabled) throw refuse("Tài khoản đã bị khóa", "This account is disabled");
  if (user.provinceCode !== lab.provinceCode) throw refuse("Tài khoản thuộc tỉnh/thành phố khác với phòng xét nghiệm", "The account belongs to another province than the lab");
  await deps.db.insert(labStaff).values({ labId: lab.id, userId: user.id }).onConflictDoNothing();
  await recordAudit(deps, actor, { action: "lab.staff_assign", subjectType: "lab", subjectId: lab.id, area: { provinceCode: lab.provinceCode, communeCode: lab.communeCode }, details: { userId: user.id } });
}

export async function unassignLabStaff(deps: Deps, actor: SignedIn, labId: string, userId: string) {
  const lab = await findLab(deps, actor.user, labId);
  const [gone] = await deps.db
    .delete(labStaff)
    .where(and(eq(labStaff.labId, lab.id), eq(labStaff.userId, userId)))
    .returning({ userId: labStaff.userId });
  if (!gone) throw notFound("Staff assignment");
  await recordAudit(deps, actor, { action: "lab.staff_unassign", subjectType: "lab", subjectId: lab.id, area: { provinceCode: lab.provinceCode, communeCode: lab.communeCode }, details: { userId } });
}
