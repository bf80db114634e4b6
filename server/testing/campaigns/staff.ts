/**
 * Who works at a testing site: the site with its staff and their teams, assigning and
 * unassigning site_staff accounts (commune, province, national officers), and a site staff
 * member's own sites (GET /api/test-sites/mine).
 */
import { and, asc, desc, eq } from "drizzle-orm";
import { testCampaigns, testSiteStaff, testSites, users } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { areaFilter } from "../../auth/scope";
import type { Deps } from "../../deps";
import { AppError, notFound } from "../../http/errors";
import { msg } from "../../http/fields";
import { dayOf, findTestSite, presentTestSite, type SignedIn } from "./service";

async function staffOf(deps: Deps, siteId: string) {
  return deps.db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, team: testSiteStaff.team })
    .from(testSiteStaff)
    .innerJoin(users, eq(users.id, testSiteStaff.userId))
    .where(eq(testSiteStaff.siteId, siteId))
    .orderBy(asc(users.username));
}

export async function getTestSite(deps: Deps, actor: SignedIn, id: string) {
  const found = await findTestSite(deps, actor.user, id);
  return { ...presentTestSite(found), staff: await staffOf(deps, found.site.id) };
}

/**
 * Assigns a site_staff account to a testing site with a team name (assigning again changes the
 * team). The account must be one the caller manages (else 404), a site_staff account, enabled,
 * of the site's province (else 400).
 */
export async function assignTestSiteStaff(deps: Deps, actor: SignedIn, siteId: string, userId: string, team: string | null) {
  const { site } = await findTestSite(deps, actor.user, siteId);
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), areaFilter(actor.user, { provinceCode: users.provinceCode, communeCode: users.communeCode })))
    .limit(1);
  if (!user) throw notFound("User");
  const refuse = (vi: string, en: string) => new AppError("validation_failed", en, [{ path: "userId", message: msg(vi, en) }]);
  if (user.role !== "site_staff") throw refuse("Chỉ gán tài khoản nhân viên điểm lấy mẫu (site_staff)", "Only site_staff accounts work at testing sites");
  if (user.disabled) throw refuse("Tài khoản đã bị khóa", "This account is disabled");
  if (user.provinceCode !== site.provinceCode) throw refuse("Tài khoản thuộc tỉnh/thành phố khác", "The account belongs to another province than the site");
  await deps.db
    .insert(testSiteStaff)
    .values({ siteId: site.id, userId: user.id, team })
    .onConflictDoUpdate({ target: [testSiteStaff.siteId, testSiteStaff.userId], set: { team } });
  await recordAudit(deps, actor, {
    action: "test_site.staff_assign",
    subjectType: "test_site",
    subjectId: site.id,
    area: { provinceCode: site.provinceCode, communeCode: site.communeCode },
    details: { userId: user.id, team },
  });
}

export async function unassignTestSiteStaff(deps: Deps, actor: SignedIn, siteId: string, userId: string) {
  const { site } = await findTestSite(deps, actor.user, siteId);
  const [gone] = await deps.db
    .delete(testSiteStaff)
    .where(and(eq(testSiteStaff.siteId, site.id), eq(testSiteStaff.userId, userId)))
    .returning({ userId: testSiteStaff.userId });
  if (!gone) throw notFound("Staff assignment");
  await recordAudit(deps, actor, {
    action: "test_site.staff_unassign",
    subjectType: "test_site",
    subjectId: site.id,
    area: { provinceCode: site.provinceCode, communeCode: site.communeCode },
    details: { userId },
  });
}

/** GET /api/test-sites/mine: the testing sites the caller works at, newest campaign first, with their team. */
export async function myTestSites(deps: Deps, actor: SignedIn) {
  const rows = await deps.db
    .select({
      site: testSites,
      campaignName: testCampaigns.name,
      testType: testCampaigns.testType,
      poolSize: testCampaigns.poolSize,
      campaignStatus: testCampaigns.status,
      startsOn: testCampaigns.startsOn,
      endsOn: testCampaigns.endsOn,
      team: testSiteStaff.team,
    })
    .from(testSiteStaff)
    .innerJoin(testSites, eq(testSites.id, testSiteStaff.siteId))
    .innerJoin(testCampaigns, eq(testCampaigns.id, testSites.campaignId))
    .where(eq(testSiteStaff.userId, actor.user.id))
    .orderBy(desc(testCampaigns.startsOn), asc(testSites.name), asc(testSites.id));
  return {
    items: rows.map((r) => ({
      ...presentTestSite(r),
      team: r.team,
      campaignStatus: r.campaignStatus,
      startsOn: dayOf(r.startsOn),
      endsOn: dayOf(r.endsOn),
    })),
  };
}
