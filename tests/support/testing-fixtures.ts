/**
 * Rows of the testing registry written straight into the database (docs/TESTING.md), so result,
 * statistics and certificate tests do not depend on the campaign/sample API: accounts (lab staff,
 * site staff, citizens), campaigns, sites, labs, staff assignments, people, samples, pools,
 * venues and check-ins.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import {
  checkins,
  familyMembers,
  labStaff,
  labs,
  people,
  testCampaigns,
  testPools,
  testSamples,
  testSites,
  testSiteStaff,
  users,
  venues,
  type Lab,
  type Role,
  type TestCampaign,
  type TestPool,
  type TestSample,
  type TestSite,
} from "../../db/schema";
import { hashPassword } from "../../server/auth/passwords";
import { authUserOf } from "../../server/auth/service";
import { signAccessToken } from "../../server/auth/tokens";
import { DEMO_PASSWORD, type TestPlatform } from "./platform";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const randomCode = (n: number) => Array.from(randomBytes(n), (b) => CROCKFORD[b % 32]).join("");
export const sampleCode = () => `S${randomCode(10)}`;
export const poolCode = () => `P${randomCode(8)}`;
export const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;

export type Result = "negative" | "positive" | "invalid";

export function testingFixtures(t: TestPlatform) {
  const db = t.deps.db;
  let passwordHash: string | undefined;

  /** A staff account (signed in, token returned); a citizen account (token signed directly, as citizens have no password). */
  async function account(role: Role, provinceCode: string | null, communeCode: string | null = null, personId: string | null = null) {
    passwordHash ??= await hashPassword(DEMO_PASSWORD);
    const username = role === "citizen" ? newPhone() : `t.${role}.${randomCode(6).toLowerCase()}`;
    const [u] = await db
      .insert(users)
      .values({ username, displayName: `${role} ${username}`, passwordHash, role, provinceCode, communeCode, personId })
      .returning();
    const token =
      role === "citizen"
        ? await signAccessToken(t.deps.keys, t.deps.config.publicUrl, t.deps.config.accessTokenTtl, authUserOf(u!), new Date())
        : await t.login(username, DEMO_PASSWORD);
    return { id: u!.id, username, token };
  }

  async function userId(username: string) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
    return u!.id;
  }

  async function campaign(v: Partial<typeof testCampaigns.$inferInsert> = {}): Promise<TestCampaign> {
    const [row] = await db
      .insert(testCampaigns)
      .values({
        provinceCode: "01",
        communeCode: "00070",
        name: `Đợt xét nghiệm ${randomCode(4)}`,
        testType: "pcr",
        startsOn: "2020-01-01",
        endsOn: "2099-12-31",
        poolSize: 5,
        ...v,
      })
      .returning();
    return row!;
  }

  async function site(c: TestCampaign, v: Partial<typeof testSites.$inferInsert> = {}): Promise<TestSite> {
    const [row] = await db
      .insert(testSites)
      .values({ provinceCode: c.provinceCode, communeCode: c.communeCode ?? "00070", campaignId: c.id, name: `Điểm lấy mẫu ${randomCode(4)}`, address: "1 Đinh Tiên Hoàng", ...v })
      .returning();
    return row!;
  }

  async function lab(v: Partial<typeof labs.$inferInsert> = {}): Promise<Lab> {
    const [row] = await db
      .insert(labs)
      .values({ provinceCode: "01", communeCode: null, name: `Phòng xét nghiệm ${randomCode(4)}`, address: "70 Nguyễn Chí Thanh", ...v })
      .returning();
    return row!;
  }

  const assignLab = (labId: string, userId: string) => db.insert(labStaff).values({ labId, userId });
  const assignSite = (siteId: string, userId: string, team: string | null = null) => db.insert(testSiteStaff).values({ siteId, userId, team });

  async function person(v: Partial<typeof people.$inferInsert> = {}) {
    const [row] = await db
      .insert(people)
      .values({ provinceCode: "01", communeCode: "00070", fullName: `Người Xét Nghiệm ${randomCode(4)}`, birthYear: 1960 + randomInt(0, 40), phone: newPhone(), ...v })
      .returning();
    return row!;
  }

  async function family(userId: string, personId: string) {
    await db.insert(familyMembers).values({ userId, personId, relation: "child" });
  }

  interface SampleInput {
    personId?: string;
    takenAt?: Date;
    poolId?: string | null;
    poolOpen?: boolean;
    labId?: string | null;
    result?: Result | null;
    resultAt?: Date | null;
    resultBy?: string | null;
    retestOf?: string | null;
    testType?: "pcr" | "rapid_antigen";
    barcode?: string;
  }

  async function sample(s: TestSite & { testType?: "pcr" | "rapid_antigen" }, v: SampleInput = {}): Promise<TestSample> {
    const personId = v.personId ?? (await person({ communeCode: s.communeCode, provinceCode: s.provinceCode })).id;
    const [c] = await db.select({ testType: testCampaigns.testType }).from(testCampaigns).where(eq(testCampaigns.id, s.campaignId));
    const [row] = await db
      .insert(testSamples)
      .values({
        provinceCode: s.provinceCode,
        communeCode: s.communeCode,
        campaignId: s.campaignId,
        siteId: s.id,
        personId,
        barcode: v.barcode ?? sampleCode(),
        testType: v.testType ?? c!.testType,
        takenAt: v.takenAt ?? new Date(Date.now() - 86400_000),
        poolId: v.poolId ?? null,
        poolOpen: v.poolOpen ?? false,
        labId: v.labId ?? null,
        result: v.result ?? null,
        resultAt: v.resultAt ?? (v.result ? new Date() : null),
        resultBy: v.resultBy ?? null,
        retestOf: v.retestOf ?? null,
      })
      .returning();
    return row!;
  }

  interface PoolInput {
    /** Members to create (people made on the fly unless given). */
    members?: number;
    personIds?: string[];
    status?: "open" | "sealed" | "resulted";
    labId?: string | null;
    sealedAt?: Date | null;
    result?: Result | null;
    resultAt?: Date | null;
    takenAt?: Date;
    createdAt?: Date;
    code?: string;
  }

  /** A pool with its members; an open pool's members have pool_open, a resulted pool's do not. */
  async function pool(s: TestSite, v: PoolInput = {}): Promise<{ pool: TestPool; members: TestSample[] }> {
    const status = v.status ?? (v.result ? "resulted" : v.labId ? "sealed" : "open");
    const takenAt = v.takenAt ?? new Date(Date.now() - 86400_000);
    const [row] = await db
      .insert(testPools)
      .values({
        provinceCode: s.provinceCode,
        communeCode: s.communeCode,
        campaignId: s.campaignId,
        siteId: s.id,
        code: v.code ?? poolCode(),
        maxSize: 5,
        status,
        labId: v.labId ?? null,
        sealedAt: v.sealedAt ?? (status === "open" ? null : new Date(takenAt.getTime() + 3600_000)),
        result: v.result ?? null,
        resultAt: v.resultAt ?? (v.result ? new Date(takenAt.getTime() + 6 * 3600_000) : null),
        ...(v.createdAt ? { createdAt: v.createdAt } : {}),
      })
      .returning();
    const ids = v.personIds ?? [];
    for (let i = ids.length; i < (v.members ?? ids.length); i++) ids.push((await person({ provinceCode: s.provinceCode, communeCode: s.communeCode })).id);
    const members: TestSample[] = [];
    for (const personId of ids) members.push(await sample(s, { personId, takenAt, poolId: row!.id, poolOpen: !row!.result }));
    return { pool: row!, members };
  }

  async function venue(provinceCode = "01", communeCode = "00070") {
    const [row] = await db
      .insert(venues)
      .values({ provinceCode, communeCode, name: `Quán ${randomCode(4)}`, category: "restaurant", address: "2 Hàng Bạc", status: "active" })
      .returning({ id: venues.id });
    return row!.id;
  }

  async function checkin(personId: string, venueId: string, provinceCode: string, from: Date, to: Date | null) {
    const id = randomUUID();
    await db.insert(checkins).values({ id, provinceCode, venueId, personId, checkedInAt: from, checkedOutAt: to, method: "citizen_scan" });
    return id;
  }

  return { account, userId, campaign, site, lab, assignLab, assignSite, person, family, sample, pool, venue, checkin };
}
