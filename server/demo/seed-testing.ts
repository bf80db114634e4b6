/**
 * Demo testing data (docs/TESTING.md "Demo data"): the lab "Phòng xét nghiệm CDC Hà Nội" with
 * its lab_staff account hn.lab, the PCR campaign "Xét nghiệm diện rộng phường Hoàn Kiếm" (pools
 * of 5) with one testing site where hn.site works in "Tổ 1", and four pools: one negative, one
 * positive whose members were retested (one retest positive: that person is an F0 case opened
 * from the retest; one member still waits for a retest), one sealed and waiting for the lab,
 * and one open at the desk. Rows are written directly, a few statements in all.
 */
import { eq } from "drizzle-orm";
import { cases, labStaff, labs, testCampaigns, testPools, testSamples, testSiteStaff, testSites, users, type TEST_RESULTS } from "../../db/schema";
import { hashPassword } from "../auth/passwords";
import type { Deps } from "../deps";
import { vnDay } from "../checkins/colour";
import { insertCase } from "../tracing/cases";
import { traceHop } from "../tracing/run-trace";
import { newPoolCode, newSampleBarcode } from "../testing/samples/barcodes";
import { addDays } from "../vaccination/doses/rules";

export const DEMO_CAMPAIGN = "Xét nghiệm diện rộng phường Hoàn Kiếm";
export const DEMO_TEST_SITE = "Điểm lấy mẫu Nhà văn hóa Hoàn Kiếm";
export const DEMO_LAB = "Phòng xét nghiệm CDC Hà Nội";
export const DEMO_LAB_USER = { username: "hn.lab", displayName: "Kỹ thuật viên — Phòng xét nghiệm CDC Hà Nội", role: "lab_staff" as const, provinceCode: "01", communeCode: null };

type Result = (typeof TEST_RESULTS)[number];
const HOUR = 3600_000;
const MINUTE = 60_000;

export async function seedTestingDemo(
  deps: Deps,
  demoUsers: { id: string; username: string }[],
  demoPeople: { id: string; provinceCode: string; communeCode: string | null }[],
) {
  const now = deps.now();
  const today = vnDay(now);
  const site = demoUsers.find((u) => u.username === "hn.site");
  const commune = demoUsers.find((u) => u.username === "hn.commune");
  const [labUser] = await deps.db
    .insert(users)
    .values({ ...DEMO_LAB_USER, passwordHash: await hashPassword(deps.config.demoPassword) })
    .onConflictDoNothing()
    .returning();

  const [lab] = await deps.db
    .insert(labs)
    .values({ provinceCode: "01", communeCode: null, name: DEMO_LAB, address: "70 Nguyễn Chí Thanh, Láng, Hà Nội", createdAt: now, updatedAt: now })
    .returning();
  if (labUser) await deps.db.insert(labStaff).values({ labId: lab!.id, userId: labUser.id });

  const area = { provinceCode: "01", communeCode: "00070" };
  const [campaign] = await deps.db
    .insert(testCampaigns)
    .values({
      ...area,
      name: DEMO_CAMPAIGN,
      testType: "pcr",
      startsOn: addDays(today, -3),
      endsOn: addDays(today, 4),
      poolSize: 5,
      createdBy: commune?.id ?? null,
      createdAt: new Date(now.getTime() - 80 * HOUR),
      updatedAt: now,
    })
    .returning();
  const [testSite] = await deps.db
    .insert(testSites)
    .values({ ...area, campaignId: campaign!.id, name: DEMO_TEST_SITE, address: "7 Lê Thái Tổ, Hoàn Kiếm", createdBy: commune?.id ?? null, createdAt: new Date(now.getTime() - 80 * HOUR), updatedAt: now })
    .returning();
  if (site) await deps.db.insert(testSiteStaff).values({ siteId: testSite!.id, userId: site.id, team: "Tổ 1" });

  // Hà Nội people, those living in Hoàn Kiếm first (so the F0 is Hoàn Kiếm's own case).
  const hanoi = demoPeople.filter((p) => p.provinceCode === "01").sort((a, b) => Number(a.communeCode !== "00070") - Number(b.communeCode !== "00070"));
  const [positivePool, negativePool, sealedPool, openPool] = [hanoi.slice(0, 5), hanoi.slice(5, 10), hanoi.slice(10, 15), hanoi.slice(15, 17)];

  interface PoolPlan {
    members: typeof hanoi;
    openedAt: Date;
    sealedAt?: Date;
    result?: { result: Result; at: Date };
  }
  const plans: PoolPlan[] = [
    { members: negativePool, openedAt: new Date(now.getTime() - 50 * HOUR), sealedAt: new Date(now.getTime() - 49 * HOUR), result: { result: "negative", at: new Date(now.getTime() - 42 * HOUR) } },
    { members: positivePool, openedAt: new Date(now.getTime() - 48 * HOUR), sealedAt: new Date(now.getTime() - 47 * HOUR), result: { result: "positive", at: new Date(now.getTime() - 39 * HOUR) } },
    { members: sealedPool, openedAt: new Date(now.getTime() - 3 * HOUR), sealedAt: new Date(now.getTime() - 2 * HOUR) },
    { members: openPool, openedAt: new Date(now.getTime() - 40 * MINUTE) },
  ];
  const pools = await deps.db
    .insert(testPools)
    .values(
      plans.map((p) => ({
        ...area,
        campaignId: campaign!.id,
        siteId: testSite!.id,
        code: newPoolCode(),
        maxSize: 5,
        status: p.result ? ("resulted" as const) : p.sealedAt ? ("sealed" as const) : ("open" as const),
        labId: p.sealedAt ? lab!.id : null,
        sealedAt: p.sealedAt ?? null,
        result: p.result?.result ?? null,
        resultAt: p.result?.at ?? null,
        resultBy: p.result ? (labUser?.id ?? null) : null,
        createdBy: site?.id ?? null,
        createdAt: p.openedAt,
        updatedAt: p.result?.at ?? p.sealedAt ?? p.openedAt,
      })),
    )
    .returning();
  const sampleBase = { ...area, campaignId: campaign!.id, siteId: testSite!.id, testType: "pcr" as const, collectedBy: site?.id ?? null, team: "Tổ 1" };
  const samples = await deps.db
    .insert(testSamples)
    .values(
      plans.flatMap((p, i) =>
        p.members.map((m, k) => {
          const takenAt = new Date(p.openedAt.getTime() + (k + 1) * 3 * MINUTE);
          return { ...sampleBase, personId: m.id, barcode: newSampleBarcode(), takenAt, poolId: pools[i]!.id, poolOpen: !p.result, createdAt: takenAt, updatedAt: takenAt };
        }),
      ),
    )
    .returning();

  // The positive pool's retests, the next day: individual PCRs at the lab. The first is positive,
  // three are negative, the last member has not come back yet (retest_needed).
  const retestTaken = new Date(now.getTime() - 30 * HOUR);
  const retestResult = new Date(now.getTime() - 20 * HOUR);
  const retestResults: Result[] = ["positive", "negative", "negative", "negative"];
  const positiveMembers = samples.filter((s) => s.poolId === pools[1]!.id).sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
  const retests = await deps.db
    .insert(testSamples)
    .values(
      retestResults.map((result, k) => {
        const takenAt = new Date(retestTaken.getTime() + k * 4 * MINUTE);
        const of = positiveMembers[k]!;
        return { ...sampleBase, personId: of.personId, barcode: newSampleBarcode(), takenAt, retestOf: of.id, labId: lab!.id, result, resultAt: retestResult, resultBy: labUser?.id ?? null, createdAt: takenAt, updatedAt: retestResult };
      }),
    )
    .returning();

  // The positive retest opened an F0 case where the person lives, recorded by the lab's technician.
  const positive = retests.find((r) => r.result === "positive")!;
  const f0 = positivePool[0]!;
  let caseId: string | null = null;
  if (labUser) {
    const actor = {
      user: { id: labUser.id, username: labUser.username, role: labUser.role, provinceCode: labUser.provinceCode, communeCode: labUser.communeCode },
      ip: "127.0.0.1",
      requestId: "demo-seed",
    };
    const opened = await insertCase(
      { ...deps, now: () => retestResult },
      actor,
      f0.id,
      { provinceCode: f0.provinceCode, communeCode: f0.communeCode },
      { confirmedOn: vnDay(retestResult), method: "pcr", sampleDate: vnDay(positive.takenAt), notes: `Mở từ mẫu xét nghiệm ${positive.barcode} / Opened from test sample ${positive.barcode}` },
    );
    await deps.db.update(cases).set({ sourceSampleId: positive.id }).where(eq(cases.id, opened.id));
    // Traced at once, as a positive result recorded through the API is (testing/results/positive.ts).
    await traceHop(deps, actor, opened, { degree: 1 });
    caseId = opened.id;
  }
  return { campaignId: campaign!.id, siteId: testSite!.id, labId: lab!.id, pools: pools.length, samples: samples.length + retests.length, caseId };
}
