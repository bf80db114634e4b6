/**
 * Testing campaigns and their testing sites (docs/TESTING.md "Campaigns, sites, labs").
 * Officers see the campaigns of their area (and those with a site in it), site staff the
 * campaigns of the sites they work at, lab staff the campaigns with pools or samples at their
 * lab; anything else answers 404. Only commune, province and national officers write.
 */
import { and, asc, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { testCampaigns, testPools, testSamples, testSites } from "../../../db/schema";
import { provinceOfCommune } from "../../admin-units/service";
import { recordAudit, type Actor } from "../../audit/service";
import { areaFilter, inArea, type AuthUser } from "../../auth/scope";
import type { Deps } from "../../deps";
import type { Db } from "../../../db/client";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { decodeCursor, page } from "../../http/pagination";
import { containsPattern } from "../../http/search";
import { sampleStatusSql } from "../status";
import type { CampaignListInput, CreateCampaignT, CreateTestSiteT, UpdateCampaignT, UpdateTestSiteT } from "./schemas";

export type SignedIn = Actor & { user: AuthUser };
export type CampaignRow = typeof testCampaigns.$inferSelect;
export type TestSiteRow = typeof testSites.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const badCursor = () => new AppError("validation_failed", "Invalid cursor", [{ path: "cursor", message: "Not a cursor from this list" }]);
export const dayOf = (d: string | Date) => (d instanceof Date ? d.toISOString() : String(d)).slice(0, 10);

// ---- scope ----

/** Testing sites a user may see and work at: officers those of their area, site staff their own. */
export const testSiteScope = (user: AuthUser) =>
  areaFilter(user, { provinceCode: testSites.provinceCode, communeCode: testSites.communeCode, testSiteId: testSites.id });

/**
 * Campaigns a user may see: officers those of their area and those with a site in it; site staff
 * those of their sites; lab staff those with a pool sealed to, or a sample sent to, their lab.
 */
export function campaignScope(user: AuthUser): SQL | undefined {
  const own = areaFilter(user, { provinceCode: testCampaigns.provinceCode, communeCode: testCampaigns.communeCode });
  if (own === undefined) return undefined;
  const sites = testSiteScope(user);
  const viaSite = sql`exists (select 1 from ${testSites} where ${testSites.campaignId} = ${testCampaigns.id} and ${sites ?? sql`true`})`;
  if (user.role !== "lab_staff") return or(own, viaSite);
  const poolAtLab = areaFilter(user, { provinceCode: testPools.provinceCode, labId: testPools.labId }) ?? sql`true`;
  const sampleAtLab = areaFilter(user, { provinceCode: testSamples.provinceCode, labId: testSamples.labId }) ?? sql`true`;
  return or(
    sql`exists (select 1 from ${testPools} where ${testPools.campaignId} = ${testCampaigns.id} and ${poolAtLab})`,
    sql`exists (select 1 from ${testSamples} where ${testSamples.campaignId} = ${testCampaigns.id} and ${sampleAtLab})`,
  );
}

const areaOfRow = (r: { provinceCode: string; communeCode: string | null }) => ({ provinceCode: r.provinceCode, communeCode: r.communeCode });

// ---- campaigns ----

export function presentCampaign(c: CampaignRow) {
  return {
    id: c.id,
    provinceCode: c.provinceCode,
    communeCode: c.communeCode,
    name: c.name,
    testType: c.testType,
    startsOn: dayOf(c.startsOn),
    endsOn: dayOf(c.endsOn),
    poolSize: Number(c.poolSize),
    status: c.status,
    createdAt: c.createdAt.toISOString(),
  };
}

/** A campaign the user may see, else 404. */
export async function findCampaign(deps: Deps, user: AuthUser, id: string): Promise<CampaignRow> {
  const [row] = await deps.db
    .select()
    .from(testCampaigns)
    .where(and(eq(testCampaigns.id, id), campaignScope(user)))
    .limit(1);
  if (!row) throw notFound("Campaign");
  return row;
}

/** Whether the caller manages the campaign itself (its area lies within theirs); else 403. */
function assertManages(user: AuthUser, c: CampaignRow) {
  if (!inArea(user, areaOfRow(c)))
    throw new AppError("forbidden", msg("Đợt xét nghiệm do cấp trên quản lý", "This campaign is managed by an officer above you"));
}

export async function listCampaigns(deps: Deps, actor: SignedIn, input: CampaignListInput) {
  const after = decodeCursor<[string, string]>(input.cursor, ["day", "uuid"]);
  if (after && (typeof after[0] !== "string" || !DAY.test(after[0]) || typeof after[1] !== "string" || !UUID.test(after[1]))) throw badCursor();
  const pattern = containsPattern(input.q);
  const conds: (SQL | undefined)[] = [
    campaignScope(actor.user),
    pattern ? ilike(testCampaigns.name, pattern) : undefined,
    input.status ? eq(testCampaigns.status, input.status) : undefined,
    input.communeCode
      ? or(
          eq(testCampaigns.communeCode, input.communeCode),
          sql`exists (select 1 from ${testSites} where ${testSites.campaignId} = ${testCampaigns.id} and ${testSites.communeCode} = ${input.communeCode})`,
        )
      : undefined,
    after ? sql`(${testCampaigns.startsOn}, ${testCampaigns.id}) < (${after[0]}::date, ${after[1]}::uuid)` : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(testCampaigns)
    .where(and(...conds))
    .orderBy(desc(testCampaigns.startsOn), desc(testCampaigns.id))
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (c) => [dayOf(c.startsOn), c.id]);
  return { items: result.items.map(presentCampaign), nextCursor: result.nextCursor };
}

async function campaignCounts(db: Db, id: string) {
  const [s] = await db
    .select({
      samples: sql<number>`count(*)::int`,
      positive: sql<number>`(count(*) filter (where ${sampleStatusSql} = 'positive'))::int`,
      retestNeeded: sql<number>`(count(*) filter (where ${sampleStatusSql} = 'retest_needed'))::int`,
    })
    .from(testSamples)
    .leftJoin(testPools, eq(testPools.id, testSamples.poolId))
    .where(eq(testSamples.campaignId, id));
  const [p] = await db.select({ n: sql<number>`count(*)::int` }).from(testPools).where(eq(testPools.campaignId, id));
  return { samples: Number(s?.samples ?? 0), pools: Number(p?.n ?? 0), positive: Number(s?.positive ?? 0), retestNeeded: Number(s?.retestNeeded ?? 0) };
}

export async function getCampaign(deps: Deps, actor: SignedIn, id: string) {
  const c = await findCampaign(deps, actor.user, id);
  return { ...presentCampaign(c), counts: await campaignCounts(deps.db, c.id) };
}

/** A campaign in the commune given or the caller's own area (a province officer's: the whole province). */
export async function createCampaign(deps: Deps, actor: SignedIn, input: CreateCampaignT) {
  const { user } = actor;
  const communeCode = input.communeCode ?? user.communeCode;
  let provinceCode: string | null = user.provinceCode;
  if (communeCode) provinceCode = await provinceOfCommune(deps, communeCode, "communeCode");
  if (!provinceCode)
    throw new AppError("validation_failed", "Choose the commune", [{ path: "communeCode", message: msg("Chọn xã/phường của đợt xét nghiệm", "Choose the campaign's commune") }]);
  const area = { provinceCode, communeCode: communeCode ?? null };
  if (!inArea(user, area))
    throw new AppError("forbidden", msg("Chỉ mở đợt xét nghiệm trong địa bàn của bạn", "You may open campaigns only in your own area"), [
      { path: "communeCode", message: msg("Chọn xã/phường thuộc địa bàn của bạn", "Choose a commune of your area") },
    ]);
  const poolSize = input.testType === "rapid_antigen" ? 1 : (input.poolSize ?? 10);
  const [row] = await deps.db
    .insert(testCampaigns)
    .values({ ...area, name: input.name, testType: input.testType, startsOn: input.startsOn, endsOn: input.endsOn, poolSize, createdBy: user.id, createdAt: deps.now(), updatedAt: deps.now() })
    .returning();
  await recordAudit(deps, actor, { action: "test_campaign.create", subjectType: "test_campaign", subjectId: row!.id, area, details: { name: row!.name, testType: row!.testType } });
  return presentCampaign(row!);
}

export async function updateCampaign(deps: Deps, actor: SignedIn, id: string, input: UpdateCampaignT) {
  const c = await findCampaign(deps, actor.user, id);
  assertManages(actor.user, c);
  if (input.endsOn !== undefined && input.endsOn < dayOf(c.startsOn))
    throw new AppError("validation_failed", "The last day is before the first", [
      { path: "endsOn", message: msg("Ngày kết thúc trước ngày bắt đầu", "The last day is before the first") },
    ]);
  if (input.poolSize !== undefined && c.testType === "rapid_antigen" && input.poolSize !== 1)
    throw new AppError("validation_failed", "Rapid antigen tests are not pooled", [
      { path: "poolSize", message: msg("Test nhanh kháng nguyên không gộp mẫu: số mẫu gộp là 1", "Rapid antigen tests are not pooled: the pool size is 1") },
    ]);
  const set: Partial<typeof testCampaigns.$inferInsert> = { updatedAt: deps.now() };
  if (input.name !== undefined) set.name = input.name;
  if (input.endsOn !== undefined) set.endsOn = input.endsOn;
  if (input.poolSize !== undefined) set.poolSize = input.poolSize;
  if (input.status !== undefined) set.status = input.status;
  const [row] = await deps.db.update(testCampaigns).set(set).where(eq(testCampaigns.id, c.id)).returning();
  await recordAudit(deps, actor, {
    action: "test_campaign.update",
    subjectType: "test_campaign",
    subjectId: c.id,
    area: areaOfRow(c),
    details: { fields: Object.keys(input).filter((k) => input[k as keyof UpdateCampaignT] !== undefined), status: input.status },
  });
  return { ...presentCampaign(row!), counts: await campaignCounts(deps.db, c.id) };
}

// ---- testing sites ----

const siteColumns = {
  site: testSites,
  campaignName: testCampaigns.name,
  testType: testCampaigns.testType,
  poolSize: testCampaigns.poolSize,
};
type SiteJoined = { site: TestSiteRow; campaignName: string; testType: CampaignRow["testType"]; poolSize: number };

export function presentTestSite(r: SiteJoined) {
  return {
    id: r.site.id,
    campaignId: r.site.campaignId,
    campaignName: r.campaignName,
    testType: r.testType,
    poolSize: Number(r.poolSize),
    provinceCode: r.site.provinceCode,
    communeCode: r.site.communeCode,
    name: r.site.name,
    address: r.site.address,
    status: r.site.status,
  };
}

async function selectSites(db: Db, where: SQL | undefined): Promise<SiteJoined[]> {
  return db
    .select(siteColumns)
    .from(testSites)
    .innerJoin(testCampaigns, eq(testCampaigns.id, testSites.campaignId))
    .where(where)
    .orderBy(asc(testSites.name), asc(testSites.id));
}

/** A testing site the user may see (officers of its area, its staff), with its campaign; else 404. */
export async function findTestSite(deps: Deps, user: AuthUser, id: string): Promise<SiteJoined & { campaign: CampaignRow }> {
  const [row] = await deps.db
    .select({ ...siteColumns, campaign: testCampaigns })
    .from(testSites)
    .innerJoin(testCampaigns, eq(testCampaigns.id, testSites.campaignId))
    .where(and(eq(testSites.id, id), testSiteScope(user)))
    .limit(1);
  if (!row) throw notFound("Testing site");
  return row;
}

/** GET /api/test-campaigns/{id}/sites: the sites of the campaign the caller may see (lab staff: all of them). */
export async function listCampaignSites(deps: Deps, actor: SignedIn, campaignId: string) {
  const c = await findCampaign(deps, actor.user, campaignId);
  const scope = actor.user.role === "lab_staff" ? undefined : testSiteScope(actor.user);
  const rows = await selectSites(deps.db, and(eq(testSites.campaignId, c.id), scope));
  return { items: rows.map(presentTestSite) };
}

/** A site in a commune of the campaign's area and of the caller's area. */
export async function createTestSite(deps: Deps, actor: SignedIn, campaignId: string, input: CreateTestSiteT) {
  const c = await findCampaign(deps, actor.user, campaignId);
  const provinceCode = await provinceOfCommune(deps, input.communeCode, "communeCode");
  if (provinceCode !== c.provinceCode || (c.communeCode && c.communeCode !== input.communeCode))
    throw new AppError("validation_failed", "The commune is outside the campaign's area", [
      { path: "communeCode", message: msg("Xã/phường ngoài địa bàn của đợt xét nghiệm", "The commune is outside the campaign's area") },
    ]);
  const area = { provinceCode, communeCode: input.communeCode };
  if (!inArea(actor.user, area))
    throw new AppError("forbidden", msg("Chỉ mở điểm lấy mẫu trong địa bàn của bạn", "You may open testing sites only in your own area"), [
      { path: "communeCode", message: msg("Chọn xã/phường thuộc địa bàn của bạn", "Choose a commune of your area") },
    ]);
  if (c.status !== "open") throw new AppError("campaign_closed", msg("Đợt xét nghiệm đã đóng", "The campaign is closed"));
  const [site] = await deps.db
    .insert(testSites)
    .values({ ...area, campaignId: c.id, name: input.name, address: input.address, createdBy: actor.user.id, createdAt: deps.now(), updatedAt: deps.now() })
    .returning();
  await recordAudit(deps, actor, { action: "test_site.create", subjectType: "test_site", subjectId: site!.id, area, details: { campaignId: c.id, name: site!.name } });
  return presentTestSite({ site: site!, campaignName: c.name, testType: c.testType, poolSize: c.poolSize });
}

export async function updateTestSite(deps: Deps, actor: SignedIn, id: string, input: UpdateTestSiteT) {
  const found = await findTestSite(deps, actor.user, id);
  const set: Partial<typeof testSites.$inferInsert> = { updatedAt: deps.now() };
  if (input.name !== undefined) set.name = input.name;
  if (input.address !== undefined) set.address = input.address;
  if (input.status !== undefined) set.status = input.status;
  const [site] = await deps.db.update(testSites).set(set).where(eq(testSites.id, found.site.id)).returning();
  await recordAudit(deps, actor, {
    action: "test_site.update",
    subjectType: "test_site",
    subjectId: found.site.id,
    area: areaOfRow(found.site),
    details: { fields: Object.keys(input).filter((k) => input[k as keyof UpdateTestSiteT] !== undefined), status: input.status },
  });
  return presentTestSite({ ...found, site: site! });
}
