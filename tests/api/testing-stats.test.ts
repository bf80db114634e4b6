/**
 * GET /api/testing/stats (docs/TESTING.md, "Statistics") on both engines, against a hand count of
 * a fixture in March 2025 (far from any demo data): samples per Vietnam day, final results (own
 * results and negative pools; a positive or invalid pool is not final), people tested, positivity,
 * per commune, turnaround (median and 90th percentile, interpolated), pools; Vietnam-day
 * boundaries (00:30 in Vietnam is the previous UTC day), the caller's area, commune and campaign
 * filters, refusals, defaults and the audit row.
 *
 * Campaign C (Hà Nội, PCR), site A in Hoàn Kiếm (00070), site B in Cửa Nam (00082); D1..D3 =
 * 2025-03-10..12 (times are Vietnam time):
 *   a0  individual, taken D0 23:00, negative D1 00:30 (1.5 h)     → final on D1, sample not in range
 *   PA1 made D1 00:30, a1 a2 a3 taken D1 09:00, negative D1 19:00 (10 h each)
 *   PA2 made D1 08:00, a4 a5 taken D1 10:00, positive D2 00:30     → not final: retests
 *       retest a4 taken D2 08:00, positive D2 14:00 (6 h); retest a5 taken D2 08:00, negative D2 20:00 (12 h)
 *   PA3 made D3 08:00, open, a6 taken D3 09:00
 *   PX  made D0 23:30, open, empty                                  → not in range
 *   b1  taken D2 23:30, positive D3 01:00 (1.5 h); b2 taken D3 07:00, invalid D3 09:00 (2 h);
 *   b3  taken D3 07:00, negative D3 10:00 (3 h)
 *   PB1 made D2 08:00, b4 taken D2 09:00, invalid D2 15:00          → not final
 * Campaign C2 (Hoàn Kiếm, rapid): c1 taken D1 09:00, negative D1 09:30. HCM: h1 taken D1 09:00, negative D1 10:00.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestCampaign } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";
import { testingFixtures } from "../support/testing-fixtures";

const [D0, D1, D2, D3] = ["2025-03-09", "2025-03-10", "2025-03-11", "2025-03-12"] as const;
const vn = (day: string, hm: string) => new Date(`${day}T${hm}:00+07:00`);

describe.each(engines())("testing statistics on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnS" | "hcmP" | "citizen" | "lab", string>;
  let C: TestCampaign;
  let C2: TestCampaign;

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(200);
    return json(res);
  };
  const stats = (token: string, query: Record<string, string>) => t.request("GET", `/api/testing/stats?${new URLSearchParams(query)}`, { token });

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    const f = testingFixtures(t);
    const names = { admin: "admin", hnP: "hn.province", hnH: "hn.health", hnC: "hn.commune", hnS: "hn.site", hcmP: "hcm.province" } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    tok.citizen = (await f.account("citizen", null)).token;
    tok.lab = (await f.account("lab_staff", "01")).token;

    const lab = await f.lab();
    C = await f.campaign({ communeCode: null, name: "Xét nghiệm toàn thành phố" });
    C2 = await f.campaign({ testType: "rapid_antigen", poolSize: 1 });
    const A = await f.site(C, { communeCode: "00070" });
    const B = await f.site(C, { communeCode: "00082" });
    const A2 = await f.site(C2, { communeCode: "00070" });
    const hcm = await f.campaign({ provinceCode: "79", communeCode: "26734", testType: "rapid_antigen", poolSize: 1 });
    const H = await f.site(hcm, { communeCode: "26734" });

    await f.sample(A, { labId: lab.id, takenAt: vn(D0, "23:00"), result: "negative", resultAt: vn(D1, "00:30") });
    await f.pool(A, { members: 3, labId: lab.id, takenAt: vn(D1, "09:00"), result: "negative", resultAt: vn(D1, "19:00"), createdAt: vn(D1, "00:30") });
    const pa2 = await f.pool(A, { members: 2, labId: lab.id, takenAt: vn(D1, "10:00"), result: "positive", resultAt: vn(D2, "00:30"), createdAt: vn(D1, "08:00") });
    const [a4, a5] = pa2.members;
    await f.sample(A, { personId: a4!.personId, retestOf: a4!.id, labId: lab.id, takenAt: vn(D2, "08:00"), result: "positive", resultAt: vn(D2, "14:00") });
    await f.sample(A, { personId: a5!.personId, retestOf: a5!.id, labId: lab.id, takenAt: vn(D2, "08:00"), result: "negative", resultAt: vn(D2, "20:00") });
    await f.pool(A, { members: 1, status: "open", takenAt: vn(D3, "09:00"), createdAt: vn(D3, "08:00") });
    await f.pool(A, { members: 0, status: "open", createdAt: vn(D0, "23:30") });
    await f.sample(B, { labId: lab.id, takenAt: vn(D2, "23:30"), result: "positive", resultAt: vn(D3, "01:00") });
    await f.sample(B, { labId: lab.id, takenAt: vn(D3, "07:00"), result: "invalid", resultAt: vn(D3, "09:00") });
    await f.sample(B, { labId: lab.id, takenAt: vn(D3, "07:00"), result: "negative", resultAt: vn(D3, "10:00") });
    await f.pool(B, { members: 1, labId: lab.id, takenAt: vn(D2, "09:00"), result: "invalid", resultAt: vn(D2, "15:00"), createdAt: vn(D2, "08:00") });
    await f.sample(A2, { takenAt: vn(D1, "09:00"), result: "negative", resultAt: vn(D1, "09:30") });
    await f.sample(H, { takenAt: vn(D1, "09:00"), result: "negative", resultAt: vn(D1, "10:00") });
  });
  afterAll(() => t?.close());

  it("counts a campaign of the province exactly, per Vietnam day, per commune, turnaround and pools", async () => {
    const body = await ok(await stats(tok.hnP, { from: D1, to: D3, campaignId: C.id }));
    expect(body).toEqual({
      from: D1,
      to: D3,
      days: [
        { day: D1, samples: 5, tested: 4, positive: 0, negative: 4, invalid: 0, positivity: 0 },
        { day: D2, samples: 4, tested: 2, positive: 1, negative: 1, invalid: 0, positivity: 0.5 },
        { day: D3, samples: 3, tested: 3, positive: 1, negative: 1, invalid: 1, positivity: 0.5 },
      ],
      communes: [
        { communeCode: "00070", name: "Hoàn Kiếm", samples: 8, positive: 1, positivity: 0.1667 },
        { communeCode: "00082", name: "Cửa Nam", samples: 4, positive: 1, positivity: 0.5 },
      ],
      turnaround: { count: 9, medianHours: 6, p90Hours: 10.4 },
      pools: { total: 4, resulted: 3, positive: 1, positivityRate: 0.5 },
    });
    // health officers read the same
    expect(await ok(await stats(tok.hnH, { from: D1, to: D3, campaignId: C.id }))).toEqual(body);
    const audit = await t.deps.database.query<{ actor_username: string; details: any }>(
      sql`select actor_username, details from audit_log where action = 'testing.stats' and details->>'campaignId' = ${C.id} order by id`,
    );
    expect(audit.map((a) => a.actor_username)).toEqual(["hn.province", "hn.health"]);
    expect(audit[0]!.details).toEqual({ from: D1, to: D3, communeCode: null, campaignId: C.id });
  });

  it("one commune of the area, and a shorter range", async () => {
    const body = await ok(await stats(tok.hnP, { from: D1, to: D3, campaignId: C.id, communeCode: "00082" }));
    expect(body.days).toEqual([
      { day: D1, samples: 0, tested: 0, positive: 0, negative: 0, invalid: 0, positivity: null },
      { day: D2, samples: 2, tested: 0, positive: 0, negative: 0, invalid: 0, positivity: null },
      { day: D3, samples: 2, tested: 3, positive: 1, negative: 1, invalid: 1, positivity: 0.5 },
    ]);
    expect(body.communes).toEqual([{ communeCode: "00082", name: "Cửa Nam", samples: 4, positive: 1, positivity: 0.5 }]);
    expect(body.turnaround).toEqual({ count: 3, medianHours: 2, p90Hours: 2.8 });
    expect(body.pools).toEqual({ total: 1, resulted: 1, positive: 0, positivityRate: null });

    // D1 alone: a0's result at 00:30 on D1 (17:30 UTC on D0) counts on D1; its sample (D0) does not
    const d1 = await ok(await stats(tok.hnP, { from: D1, to: D1, campaignId: C.id }));
    expect(d1.days).toEqual([{ day: D1, samples: 5, tested: 4, positive: 0, negative: 4, invalid: 0, positivity: 0 }]);
    expect(d1.turnaround).toEqual({ count: 4, medianHours: 10, p90Hours: 10 });
    expect(d1.pools).toEqual({ total: 2, resulted: 2, positive: 1, positivityRate: 0.5 });
    const d0 = await ok(await stats(tok.hnP, { from: D0, to: D0, campaignId: C.id }));
    expect(d0.days).toEqual([{ day: D0, samples: 1, tested: 0, positive: 0, negative: 0, invalid: 0, positivity: null }]);
    expect(d0.pools).toEqual({ total: 1, resulted: 0, positive: 0, positivityRate: null });
  });

  it("a commune officer sees their commune only; every campaign of the area without the filter", async () => {
    const body = await ok(await stats(tok.hnC, { from: D1, to: D3, campaignId: C.id }));
    expect(body.days.map((d: any) => [d.day, d.samples, d.tested, d.positive, d.negative, d.invalid])).toEqual([
      [D1, 5, 4, 0, 4, 0],
      [D2, 2, 2, 1, 1, 0],
      [D3, 1, 0, 0, 0, 0],
    ]);
    expect(body.communes).toEqual([{ communeCode: "00070", name: "Hoàn Kiếm", samples: 8, positive: 1, positivity: 0.1667 }]);
    expect(body.turnaround).toEqual({ count: 6, medianHours: 10, p90Hours: 11 });
    expect(body.pools).toEqual({ total: 3, resulted: 2, positive: 1, positivityRate: 0.5 });

    // without a campaign: C and C2 of Hà Nội, never Hồ Chí Minh City's
    const all = await ok(await stats(tok.hnP, { from: D1, to: D3 }));
    expect(all.days[0]).toEqual({ day: D1, samples: 6, tested: 5, positive: 0, negative: 5, invalid: 0, positivity: 0 });
    expect(all.turnaround.count).toBe(10);
    expect(all.communes.map((c: any) => c.communeCode)).toEqual(["00070", "00082"]);
    const hcm = await ok(await stats(tok.hcmP, { from: D1, to: D3 }));
    expect(hcm.days[0]).toEqual({ day: D1, samples: 1, tested: 1, positive: 0, negative: 1, invalid: 0, positivity: 0 });
    expect(hcm.communes).toEqual([{ communeCode: "26734", name: "Sài Gòn", samples: 1, positive: 0, positivity: 0 }]);
    expect(hcm.turnaround).toEqual({ count: 1, medianHours: 1, p90Hours: 1 });
    const national = await ok(await stats(tok.admin, { from: D1, to: D1 }));
    expect(national.days[0].samples).toBe(7);
    expect(national.communes.map((c: any) => c.communeCode)).toEqual(["00070", "26734"]);
  });

  it("scope: another area's commune or campaign is 404; roles without statistics 403", async () => {
    for (const [token, query] of [
      [tok.hcmP, { campaignId: C.id }],
      [tok.hcmP, { communeCode: "00070" }],
      [tok.hnC, { communeCode: "00082" }],
      [tok.hnP, { communeCode: "26734" }],
      [tok.hnP, { communeCode: "99999" }],
      [tok.hnP, { campaignId: "6b1d3c1e-0000-4000-8000-000000000001" }],
    ] as const) {
      const res = await stats(token, { from: D1, to: D3, ...query });
      expect(res.status, JSON.stringify(query)).toBe(404);
      expect((await json(res)).error.code).toBe("not_found");
    }
    for (const token of [tok.hnS, tok.lab, tok.citizen]) expect((await stats(token, { from: D1, to: D3 })).status).toBe(403);
    expect((await t.request("GET", "/api/testing/stats")).status).toBe(401);
    // C2 is a campaign of Hoàn Kiếm: its commune officer reads it
    expect((await ok(await stats(tok.hnC, { from: D1, to: D1, campaignId: C2.id }))).days[0].samples).toBe(1);
  });

  it("checks the range; defaults to the 30 days up to today", async () => {
    const bad: Record<string, string>[] = [{ from: D3, to: D1 }, { from: "2024-01-01", to: "2025-03-10" }, { from: "2025-02-30" }, { communeCode: "7" }, { campaignId: "x" }];
    for (const query of bad) {
      const res = await stats(tok.hnP, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
    }
    const body = await ok(await stats(tok.hnP, {}));
    expect(body.days).toHaveLength(30);
    expect(body.to).toBe(vnDay(new Date()));
    expect(body.days[29].day).toBe(vnDay(new Date()));
  });
});
