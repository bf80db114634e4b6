/**
 * The testing registry's campaigns, sites, labs, samples and pools through the API
 * (docs/TESTING.md), on both engines: the demo data; campaigns, testing sites and their staff,
 * labs and lab_staff accounts (created through the users API); registering samples (a person by
 * id, typed in, by their personal health QR) with barcodes and labels; the pool rules (one open
 * pool per person, full pools, sealed pools, another site's pools, concurrent adds); retests
 * only when needed and only once; closed campaigns; scope (other sites, other labs, another
 * province → 404; health officers read but may not write → 403); audit rows.
 * Pool results are written directly here (the results API is tested in testing-results.test.ts).
 */
import { randomInt } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, labs, people, testCampaigns, testPools, testSamples, testSites, users } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { signHealthToken } from "../../server/citizens/health-qr";
import { DEMO_CAMPAIGN, DEMO_LAB, DEMO_TEST_SITE } from "../../server/demo/seed-testing";
import { addDays } from "../../server/vaccination/doses/rules";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const BARCODE = /^S[0-9A-HJKMNP-TV-Z]{10}$/;
const POOL_CODE = /^P[0-9A-HJKMNP-TV-Z]{8}$/;
const PASSWORD = "Str0ng-pass!";

describe.each(engines())("testing campaigns, sites, labs, samples and pools on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnSite" | "hnLab" | "hnVenue" | "hcmP" | "hcmC" | "hcmSite", string>;
  const demo = { campaign: "", site: "", lab: "" };
  let today = "";

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return status === 204 ? null : json(res);
  };
  const fails = async (res: Response, status: number, code?: string) => {
    const text = await res.clone().text();
    expect(res.status, text).toBe(status);
    if (code) expect(JSON.parse(text).error.code).toBe(code);
    return JSON.parse(text);
  };
  const get = (path: string, token?: string) => t.request("GET", path, { token });
  const post = (path: string, token: string | undefined, body?: unknown) => t.request("POST", path, { token, body });
  const patch = (path: string, token: string, body: unknown) => t.request("PATCH", path, { token, body });
  const put = (path: string, token: string, body?: unknown) => t.request("PUT", path, { token, body });
  const del = (path: string, token: string) => t.request("DELETE", path, { token });
  const auditRows = (action: string, subjectId?: string) =>
    t.deps.database.query<{ actor_username: string; province_code: string; commune_code: string | null; details: any }>(
      subjectId
        ? sql`select actor_username, province_code, commune_code, details from audit_log where action = ${action} and subject_id = ${subjectId} order by id`
        : sql`select actor_username, province_code, commune_code, details from audit_log where action = ${action} order by id`,
    );
  const userId = async (username: string) => (await t.deps.db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
  const typed = (fullName: string, communeCode = "00070") => ({ fullName, phone: newPhone(), birthYear: 1988, communeCode });
  const sampleRow = async (id: string) => (await t.deps.db.select().from(testSamples).where(eq(testSamples.id, id)))[0]!;
  const poolRow = async (id: string) => (await t.deps.db.select().from(testPools).where(eq(testPools.id, id)))[0]!;
  /** What the lab would record (the results API is another module's): a pool's result, written directly. */
  const resultPool = async (poolId: string, result: "negative" | "positive" | "invalid") => {
    const now = t.deps.now();
    await t.deps.db.update(testPools).set({ status: "resulted", result, resultAt: now }).where(eq(testPools.id, poolId));
    await t.deps.db.update(testSamples).set({ poolOpen: false }).where(eq(testSamples.poolId, poolId));
  };

  /** A user made through the users API, signed in. */
  async function newUser(by: string, body: { username: string; role: string; provinceCode: string; communeCode?: string }) {
    const u = await ok(await post("/api/users", by, { displayName: body.username, password: PASSWORD, ...body }), 201);
    return { id: u.id as string, token: await t.login(body.username, PASSWORD) };
  }

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    const names = {
      admin: "admin",
      hnP: "hn.province",
      hnH: "hn.health",
      hnC: "hn.commune",
      hnSite: "hn.site",
      hnLab: "hn.lab",
      hnVenue: "hn.venue",
      hcmP: "hcm.province",
      hcmC: "hcm.commune",
      hcmSite: "hcm.site",
    } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    demo.campaign = (await t.deps.db.select().from(testCampaigns).where(eq(testCampaigns.name, DEMO_CAMPAIGN)))[0]!.id;
    demo.site = (await t.deps.db.select().from(testSites).where(eq(testSites.name, DEMO_TEST_SITE)))[0]!.id;
    demo.lab = (await t.deps.db.select().from(labs).where(eq(labs.name, DEMO_LAB)))[0]!.id;
    today = vnDay(t.deps.now());
  });
  afterAll(() => t?.close());

  // ------------------------------------------------------------------------------------------

  describe("demo data", () => {
    it("has the campaign, its site with hn.site in Tổ 1, and the lab with hn.lab", async () => {
      const c = await ok(await get(`/api/test-campaigns/${demo.campaign}`, tok.hnC));
      expect(c).toMatchObject({ name: DEMO_CAMPAIGN, provinceCode: "01", communeCode: "00070", testType: "pcr", poolSize: 5, status: "open", startsOn: addDays(today, -3), endsOn: addDays(today, 4) });
      // 17 pooled samples and 4 retests; one positive retest; one member still to retest
      expect(c.counts).toEqual({ samples: 21, pools: 4, positive: 1, retestNeeded: 1 });
      const site = await ok(await get(`/api/test-sites/${demo.site}`, tok.hnSite));
      expect(site).toMatchObject({ name: DEMO_TEST_SITE, campaignId: demo.campaign, campaignName: DEMO_CAMPAIGN, testType: "pcr", poolSize: 5, communeCode: "00070", status: "active" });
      expect(site.staff).toEqual([{ userId: await userId("hn.site"), username: "hn.site", displayName: expect.any(String), team: "Tổ 1" }]);
      const lab = await ok(await get(`/api/labs/${demo.lab}`, tok.hnLab));
      expect(lab).toMatchObject({ name: DEMO_LAB, provinceCode: "01", active: true });
      expect(lab.staff.map((s: any) => s.username)).toEqual(["hn.lab"]);
      const me = await ok(await get("/api/me", tok.hnLab));
      expect(me).toMatchObject({ username: "hn.lab", role: "lab_staff", provinceCode: "01" });
    });

    it("has one negative pool, one positive pool with retests and an F0, one sealed at the lab, one open", async () => {
      const { items } = await ok(await get(`/api/test-pools?campaignId=${demo.campaign}`, tok.hnC));
      expect(items).toHaveLength(4);
      const by = (f: (p: any) => boolean) => items.filter(f);
      const [negative] = by((p) => p.result === "negative");
      const [positive] = by((p) => p.result === "positive");
      const [sealed] = by((p) => p.status === "sealed");
      const [open] = by((p) => p.status === "open");
      expect([negative, positive, sealed, open].every(Boolean)).toBe(true);
      expect(negative).toMatchObject({ status: "resulted", size: 5, maxSize: 5, labId: demo.lab, labName: DEMO_LAB });
      expect(positive).toMatchObject({ status: "resulted", size: 5, labId: demo.lab });
      expect(sealed).toMatchObject({ status: "sealed", size: 5, labId: demo.lab, result: null });
      expect(open).toMatchObject({ status: "open", size: 2, labId: null, sealedAt: null });
      for (const p of items) expect(p.code).toMatch(POOL_CODE);

      const statuses = async (poolId: string) => (await ok(await get(`/api/test-pools/${poolId}`, tok.hnC))).members.map((m: any) => m.status).sort();
      expect(await statuses(negative.id)).toEqual(Array(5).fill("negative"));
      expect(await statuses(positive.id)).toEqual(["retest_needed", "retested", "retested", "retested", "retested"]);
      expect(await statuses(sealed.id)).toEqual(Array(5).fill("in_lab"));
      expect(await statuses(open.id)).toEqual(["pooled", "pooled"]);

      // the positive retest opened one case, from that sample, dated by the sample
      const [retest] = await t.deps.db.select().from(testSamples).where(eq(testSamples.result, "positive"));
      const f0 = await t.deps.db.select().from(cases).where(eq(cases.sourceSampleId, retest!.id));
      expect(f0).toHaveLength(1);
      expect(f0[0]).toMatchObject({ personId: retest!.personId, method: "pcr", sampleDate: vnDay(retest!.takenAt), confirmedOn: vnDay(retest!.resultAt!), status: "active" });
      const detail = await ok(await get(`/api/test-samples/${retest!.id}`, tok.hnC));
      expect(detail).toMatchObject({ status: "positive", caseId: f0[0]!.id, retestOf: expect.any(String), labId: demo.lab, team: "Tổ 1" });
      expect((await ok(await get(`/api/cases/${f0[0]!.id}`, tok.hnC))).person.id).toBe(retest!.personId);
    });

    it("hn.site works at the demo site; hn.lab sees the pools sealed to the lab and not the open one", async () => {
      const mine = await ok(await get("/api/test-sites/mine", tok.hnSite));
      expect(mine.items).toEqual([
        expect.objectContaining({ id: demo.site, campaignName: DEMO_CAMPAIGN, testType: "pcr", poolSize: 5, team: "Tổ 1", campaignStatus: "open" }),
      ]);
      await fails(await get("/api/test-sites/mine", tok.hnC), 403, "forbidden");
      const labPools = await ok(await get("/api/test-pools", tok.hnLab));
      expect(labPools.items.map((p: any) => p.status).sort()).toEqual(["resulted", "resulted", "sealed"]);
      const open = (await ok(await get(`/api/test-pools?status=open&campaignId=${demo.campaign}`, tok.hnSite))).items[0];
      await fails(await get(`/api/test-pools/${open.id}`, tok.hnLab), 404, "not_found");
      const campaigns = await ok(await get("/api/test-campaigns", tok.hnLab));
      expect(campaigns.items.map((c: any) => c.id)).toEqual([demo.campaign]);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe("campaigns", () => {
    it("commune, province and national officers open campaigns in their area with the doc's defaults", async () => {
      const c = await ok(await post("/api/test-campaigns", tok.hnC, { name: "Đợt PCR thử", testType: "pcr", startsOn: today, endsOn: addDays(today, 2) }), 201);
      expect(c).toMatchObject({ provinceCode: "01", communeCode: "00070", testType: "pcr", poolSize: 10, status: "open", startsOn: today, endsOn: addDays(today, 2) });
      expect(await auditRows("test_campaign.create", c.id)).toEqual([expect.objectContaining({ actor_username: "hn.commune", province_code: "01", commune_code: "00070" })]);
      const rapid = await ok(await post("/api/test-campaigns", tok.hnP, { name: "Test nhanh toàn tỉnh", testType: "rapid_antigen", startsOn: today, endsOn: today }), 201);
      expect(rapid).toMatchObject({ provinceCode: "01", communeCode: null, poolSize: 1 });
      const cuaNam = await ok(await post("/api/test-campaigns", tok.hnP, { name: "Cửa Nam", testType: "pcr", poolSize: 3, startsOn: today, endsOn: today, communeCode: "00082" }), 201);
      expect(cuaNam).toMatchObject({ communeCode: "00082", poolSize: 3 });

      const bad = await fails(await post("/api/test-campaigns", tok.hnC, { name: "x", testType: "pcr", startsOn: today, endsOn: addDays(today, -1), poolSize: 11 }), 400, "validation_failed");
      expect(bad.error.details.map((d: any) => d.path).sort()).toEqual(["endsOn", "name", "poolSize"]);
      expect(bad.error.details[0].message).toContain(" / ");
      const pooledRapid = await fails(await post("/api/test-campaigns", tok.hnC, { name: "Nhanh", testType: "rapid_antigen", poolSize: 5, startsOn: today, endsOn: today }), 400);
      expect(pooledRapid.error.details[0].path).toBe("poolSize");
      await fails(await post("/api/test-campaigns", tok.hnC, { name: "Ngoài xã", testType: "pcr", startsOn: today, endsOn: today, communeCode: "00082" }), 403, "forbidden");
      await fails(await post("/api/test-campaigns", tok.hcmP, { name: "Ngoài tỉnh", testType: "pcr", startsOn: today, endsOn: today, communeCode: "00070" }), 403, "forbidden");
      await fails(await post("/api/test-campaigns", tok.admin, { name: "Không địa bàn", testType: "pcr", startsOn: today, endsOn: today }), 400, "validation_failed");
      for (const who of [tok.hnH, tok.hnSite, tok.hnLab, tok.hnVenue])
        await fails(await post("/api/test-campaigns", who, { name: "Không được", testType: "pcr", startsOn: today, endsOn: today }), 403, "forbidden");
    });

    it("lists the campaigns each caller may see, latest start first, by keyset", async () => {
      const names = async (token: string, query = "") => (await ok(await get(`/api/test-campaigns?limit=500${query}`, token))).items.map((c: any) => c.name);
      expect(await names(tok.hnC)).toEqual(expect.arrayContaining([DEMO_CAMPAIGN, "Đợt PCR thử"]));
      expect(await names(tok.hnC)).not.toContain("Cửa Nam");
      expect(await names(tok.hnP)).toEqual(expect.arrayContaining([DEMO_CAMPAIGN, "Đợt PCR thử", "Test nhanh toàn tỉnh", "Cửa Nam"]));
      expect(await names(tok.hnH)).toEqual(expect.arrayContaining([DEMO_CAMPAIGN, "Cửa Nam"]));
      expect(await names(tok.hcmP)).toEqual([]);
      expect(await names(tok.hcmC)).toEqual([]);
      expect(await names(tok.hnSite)).toEqual([DEMO_CAMPAIGN]);
      expect(await names(tok.hcmSite)).toEqual([]);
      expect(await names(tok.hnP, "&q=cửa")).toEqual(["Cửa Nam"]);
      expect(await names(tok.hnP, "&communeCode=00082")).toEqual(["Cửa Nam"]);
      expect(await names(tok.hnP, "&status=closed")).toEqual([]);
      await fails(await get("/api/test-campaigns", tok.hnVenue), 403, "forbidden");
      const all = await names(tok.admin);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await ok(await get(`/api/test-campaigns?limit=1${cursor ? `&cursor=${cursor}` : ""}`, tok.admin));
        seen.push(...res.items.map((c: any) => c.name));
        cursor = res.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      const starts = (await ok(await get("/api/test-campaigns?limit=500", tok.admin))).items.map((c: any) => c.startsOn);
      expect(starts).toEqual([...starts].sort().reverse());
      await fails(await get("/api/test-campaigns?cursor=nonsense", tok.admin), 400, "validation_failed");
    });

    it("edits a campaign of the caller's area; a commune officer may not edit a province-wide one; other provinces get 404", async () => {
      const c = await ok(await post("/api/test-campaigns", tok.hnC, { name: "Đợt sửa", testType: "pcr", startsOn: today, endsOn: today }), 201);
      const edited = await ok(await patch(`/api/test-campaigns/${c.id}`, tok.hnC, { name: "Đợt đã sửa", endsOn: addDays(today, 5), poolSize: 4 }));
      expect(edited).toMatchObject({ name: "Đợt đã sửa", endsOn: addDays(today, 5), poolSize: 4, counts: { samples: 0, pools: 0, positive: 0, retestNeeded: 0 } });
      expect((await auditRows("test_campaign.update", c.id))[0]!.details.fields.sort()).toEqual(["endsOn", "name", "poolSize"]);
      await fails(await patch(`/api/test-campaigns/${c.id}`, tok.hnC, { endsOn: addDays(today, -1) }), 400, "validation_failed");
      await fails(await patch(`/api/test-campaigns/${c.id}`, tok.hnC, {}), 400, "validation_failed");
      await fails(await patch(`/api/test-campaigns/${c.id}`, tok.hnH, { name: "Đọc thôi" }), 403, "forbidden");
      await fails(await patch(`/api/test-campaigns/${c.id}`, tok.hnSite, { name: "Không" }), 403, "forbidden");
      for (const who of [tok.hcmP, tok.hcmC]) {
        await fails(await patch(`/api/test-campaigns/${c.id}`, who, { name: "Chiếm" }), 404, "not_found");
        await fails(await get(`/api/test-campaigns/${c.id}`, who), 404, "not_found");
        await fails(await get(`/api/test-campaigns/${c.id}/sites`, who), 404, "not_found");
        await fails(await post(`/api/test-campaigns/${c.id}/sites`, who, { name: "Điểm lạ", address: "1 Lê Lợi", communeCode: "26734" }), 404, "not_found");
      }
      // a province-wide campaign with a site in Hoàn Kiếm: the commune officer reads it, cannot edit it
      const wide = await ok(await post("/api/test-campaigns", tok.hnP, { name: "Toàn tỉnh PCR", testType: "pcr", startsOn: today, endsOn: today }), 201);
      await fails(await get(`/api/test-campaigns/${wide.id}`, tok.hnC), 404, "not_found");
      await ok(await post(`/api/test-campaigns/${wide.id}/sites`, tok.hnP, { name: "Điểm Hoàn Kiếm của tỉnh", address: "1 Hàng Bài", communeCode: "00070" }), 201);
      await ok(await get(`/api/test-campaigns/${wide.id}`, tok.hnC));
      await fails(await patch(`/api/test-campaigns/${wide.id}`, tok.hnC, { name: "Của xã" }), 403, "forbidden");
      expect((await ok(await get(`/api/test-campaigns/${c.id}`, tok.hnH))).name).toBe("Đợt đã sửa");
      const rapid = (await ok(await get("/api/test-campaigns?q=nhanh", tok.hnP))).items[0];
      await fails(await patch(`/api/test-campaigns/${rapid.id}`, tok.hnP, { poolSize: 3 }), 400, "validation_failed");
    });
  });

  // ------------------------------------------------------------------------------------------

  describe("testing sites and their staff", () => {
    let campaignId = "";
    let siteId = "";
    beforeAll(async () => {
      campaignId = (await ok(await post("/api/test-campaigns", tok.hnC, { name: "Đợt điểm lấy mẫu", testType: "pcr", poolSize: 3, startsOn: today, endsOn: addDays(today, 1) }), 201)).id;
    });

    it("opens sites in a commune of the campaign and of the caller's area", async () => {
      const site = await ok(await post(`/api/test-campaigns/${campaignId}/sites`, tok.hnC, { name: "Điểm trường Tràng An", address: "1 Tràng Thi", communeCode: "00070" }), 201);
      siteId = site.id;
      expect(site).toEqual({
        id: expect.any(String),
        campaignId,
        campaignName: "Đợt điểm lấy mẫu",
        testType: "pcr",
        poolSize: 3,
        provinceCode: "01",
        communeCode: "00070",
        name: "Điểm trường Tràng An",
        address: "1 Tràng Thi",
        status: "active",
      });
      expect(await auditRows("test_site.create", site.id)).toHaveLength(1);
      const outside = await fails(await post(`/api/test-campaigns/${campaignId}/sites`, tok.hnP, { name: "Điểm Cửa Nam", address: "2 Cửa Nam", communeCode: "00082" }), 400, "validation_failed");
      expect(outside.error.details[0].path).toBe("communeCode");
      await fails(await post(`/api/test-campaigns/${campaignId}/sites`, tok.hnC, { name: "Điểm", address: "2 Lê Lợi", communeCode: "99999" }), 400, "validation_failed");
      await fails(await post(`/api/test-campaigns/${campaignId}/sites`, tok.hnH, { name: "Điểm y tế", address: "2 Hàng Bài", communeCode: "00070" }), 403, "forbidden");
      const listed = await ok(await get(`/api/test-campaigns/${campaignId}/sites`, tok.hnP));
      expect(listed.items.map((s: any) => s.id)).toEqual([siteId]);
    });

    it("assigns site staff of the province with a team, changes the team, unassigns; refuses others", async () => {
      const path = (u: string, s = siteId) => `/api/test-sites/${s}/staff/${u}`;
      const hnSite = await userId("hn.site");
      await ok(await put(path(hnSite), tok.hnC, { team: "Tổ 2" }), 204);
      let detail = await ok(await get(`/api/test-sites/${siteId}`, tok.hnSite));
      expect(detail.staff).toEqual([expect.objectContaining({ username: "hn.site", team: "Tổ 2" })]);
      await ok(await put(path(hnSite), tok.hnC, { team: "Tổ 3" }), 204);
      detail = await ok(await get(`/api/test-sites/${siteId}`, tok.hnC));
      expect(detail.staff).toEqual([expect.objectContaining({ username: "hn.site", team: "Tổ 3" })]);
      // no body: no team
      await ok(await t.request("PUT", path(hnSite), { token: tok.hnC }), 204);
      expect((await ok(await get(`/api/test-sites/${siteId}`, tok.hnC))).staff[0].team).toBeNull();
      await ok(await put(path(hnSite), tok.hnC, { team: "Tổ 2" }), 204);
      expect((await auditRows("test_site.staff_assign", siteId)).map((r) => r.details.team)).toEqual(["Tổ 2", "Tổ 3", null, "Tổ 2"]);

      const venue = await fails(await put(path(await userId("hn.venue")), tok.hnC, {}), 400, "validation_failed");
      expect(venue.error.details[0].path).toBe("userId");
      await fails(await put(path(await userId("hcm.site")), tok.hnP, {}), 404, "not_found");
      await fails(await put(path(await userId("hcm.site")), tok.admin, {}), 400, "validation_failed");
      await fails(await put(path(hnSite), tok.hcmP, {}), 404, "not_found");
      await fails(await put(path(hnSite), tok.hnH, {}), 403, "forbidden");
      await fails(await put(path(hnSite), tok.hnSite, {}), 403, "forbidden");

      const mine = await ok(await get("/api/test-sites/mine", tok.hnSite));
      expect(mine.items.map((s: any) => [s.name, s.team])).toEqual(expect.arrayContaining([["Điểm trường Tràng An", "Tổ 2"], [DEMO_TEST_SITE, "Tổ 1"]]));

      // a second site staff account, then taken off again
      const other = await newUser(tok.hnC, { username: "hk.desk2", role: "site_staff", provinceCode: "01", communeCode: "00070" });
      await ok(await put(path(other.id), tok.hnC, { team: "Tổ 9" }), 204);
      await ok(await get(`/api/test-sites/${siteId}`, other.token));
      await ok(await del(path(other.id), tok.hnC), 204);
      await fails(await get(`/api/test-sites/${siteId}`, other.token), 404, "not_found");
      await fails(await del(path(other.id), tok.hnC), 404, "not_found");
      await fails(await del(path(hnSite), tok.hcmC), 404, "not_found");
      expect(await auditRows("test_site.staff_unassign", siteId)).toHaveLength(1);
    });

    it("reads and edits a site: officers of the area and its staff read it; others get 404 (lab staff 403)", async () => {
      const edited = await ok(await patch(`/api/test-sites/${siteId}`, tok.hnC, { address: "3 Tràng Thi" }));
      expect(edited).toMatchObject({ address: "3 Tràng Thi", name: "Điểm trường Tràng An" });
      for (const who of [tok.hcmP, tok.hcmC, tok.hcmSite]) await fails(await get(`/api/test-sites/${siteId}`, who), 404, "not_found");
      for (const who of [tok.hcmP, tok.hcmC]) await fails(await patch(`/api/test-sites/${siteId}`, who, { name: "Chiếm" }), 404, "not_found");
      await fails(await patch(`/api/test-sites/${siteId}`, tok.hnH, { name: "Đọc" }), 403, "forbidden");
      await fails(await patch(`/api/test-sites/${siteId}`, tok.hnSite, { name: "Nhân viên" }), 403, "forbidden");
      await fails(await get(`/api/test-sites/${siteId}`, tok.hnLab), 403, "forbidden");
      expect((await ok(await get(`/api/test-sites/${siteId}`, tok.hnH))).address).toBe("3 Tràng Thi");
      // the demo site is not the new staff member's
      const desk = await newUser(tok.hnC, { username: "hk.desk3", role: "site_staff", provinceCode: "01", communeCode: "00070" });
      await fails(await get(`/api/test-sites/${demo.site}`, desk.token), 404, "not_found");
      expect((await ok(await get("/api/test-sites/mine", desk.token))).items).toEqual([]);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe("labs and lab staff", () => {
    let labId = "";
    it("province officers and national admins create labs of their province; others may not", async () => {
      const lab = await ok(await post("/api/labs", tok.hnP, { name: "Phòng xét nghiệm Bệnh viện Bạch Mai", address: "78 Giải Phóng" }), 201);
      labId = lab.id;
      expect(lab).toEqual({ id: expect.any(String), provinceCode: "01", communeCode: null, name: "Phòng xét nghiệm Bệnh viện Bạch Mai", address: "78 Giải Phóng", active: true });
      expect(await auditRows("lab.create", lab.id)).toHaveLength(1);
      const hcm = await ok(await post("/api/labs", tok.admin, { name: "Phòng xét nghiệm Pasteur", address: "167 Pasteur", communeCode: "26734" }), 201);
      expect(hcm).toMatchObject({ provinceCode: "79", communeCode: "26734" });
      await fails(await post("/api/labs", tok.hnP, { name: "Ngoài tỉnh", address: "1 Lê Lợi", communeCode: "26734" }), 403, "forbidden");
      for (const who of [tok.hnC, tok.hnH, tok.hnSite, tok.hnLab]) await fails(await post("/api/labs", who, { name: "Không được", address: "1 Hàng Bài" }), 403, "forbidden");
      await fails(await post("/api/labs", tok.admin, { name: "Không tỉnh", address: "1 Hàng Bài" }), 400, "validation_failed");
    });

    it("lists labs: officers and site staff of the province, lab staff only theirs", async () => {
      const names = async (token: string) => (await ok(await get("/api/labs?limit=500", token))).items.map((l: any) => l.name);
      const hanoi = ["Phòng xét nghiệm Bệnh viện Bạch Mai", DEMO_LAB];
      expect(await names(tok.hnP)).toEqual(hanoi);
      expect(await names(tok.hnC)).toEqual(hanoi);
      expect(await names(tok.hnH)).toEqual(hanoi);
      expect(await names(tok.hnSite)).toEqual(hanoi);
      expect(await names(tok.hnLab)).toEqual([DEMO_LAB]);
      expect(await names(tok.hcmP)).toEqual(["Phòng xét nghiệm Pasteur"]);
      expect(await names(tok.hcmSite)).toEqual([]); // works at no testing site
      await fails(await get("/api/labs", tok.hnVenue), 403, "forbidden");
      const first = await ok(await get("/api/labs?limit=1", tok.admin));
      const second = await ok(await get(`/api/labs?limit=1&cursor=${first.nextCursor}`, tok.admin));
      expect(second.items[0].name > first.items[0].name).toBe(true);
      for (const who of [tok.hcmP, tok.hcmC]) await fails(await get(`/api/labs/${labId}`, who), 404, "not_found");
      await fails(await get(`/api/labs/${labId}`, tok.hnLab), 404, "not_found");
    });

    it("a province officer creates a lab_staff account and assigns it to a lab; another province's lab staff cannot be assigned", async () => {
      const tech = await newUser(tok.hnP, { username: "bm.tech", role: "lab_staff", provinceCode: "01" });
      const [row] = await t.deps.db.select().from(users).where(eq(users.id, tech.id));
      expect(row).toMatchObject({ role: "lab_staff", provinceCode: "01", communeCode: null });
      // a commune officer may not create lab staff
      await fails(await post("/api/users", tok.hnC, { username: "hk.tech", displayName: "x", password: PASSWORD, role: "lab_staff", provinceCode: "01", communeCode: "00070" }), 403);
      const path = (u: string, l = labId) => `/api/labs/${l}/staff/${u}`;
      await fails(await get(`/api/labs/${labId}`, tech.token), 404, "not_found");
      await ok(await put(path(tech.id), tok.hnP), 204);
      await ok(await put(path(tech.id), tok.hnP), 204); // twice is harmless
      const lab = await ok(await get(`/api/labs/${labId}`, tech.token));
      expect(lab.staff).toEqual([{ userId: tech.id, username: "bm.tech", displayName: "bm.tech" }]);
      expect((await ok(await get("/api/labs", tech.token))).items.map((l: any) => l.id)).toEqual([labId]);
      expect(await auditRows("lab.staff_assign", labId)).toHaveLength(2);

      const saigon = await newUser(tok.hcmP, { username: "sg.tech", role: "lab_staff", provinceCode: "79" });
      await fails(await put(path(saigon.id), tok.hnP), 404, "not_found");
      const foreign = await fails(await put(path(saigon.id), tok.admin), 400, "validation_failed");
      expect(foreign.error.details[0].path).toBe("userId");
      await fails(await put(path(await userId("hn.site")), tok.hnP), 400, "validation_failed");
      await fails(await put(path(tech.id), tok.hcmP), 404, "not_found");
      await fails(await put(path(tech.id), tok.hnC), 403, "forbidden");
      await fails(await del(path(tech.id), tok.hcmP), 404, "not_found");
      await ok(await del(path(tech.id), tok.hnP), 204);
      await fails(await del(path(tech.id), tok.hnP), 404, "not_found");
      expect((await ok(await get("/api/labs", tech.token))).items).toEqual([]);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe("samples and pools", () => {
    /** A PCR campaign of Hoàn Kiếm with pools of 3, two sites: A (hn.site, Tổ 2) and B (desk B). */
    const f = { campaign: "", siteA: "", siteB: "", deskB: "", deskBId: "" };
    let person = { id: "", fullName: "" };

    beforeAll(async () => {
      f.campaign = (await ok(await post("/api/test-campaigns", tok.hnC, { name: "Đợt gộp mẫu", testType: "pcr", poolSize: 3, startsOn: addDays(today, -1), endsOn: addDays(today, 1) }), 201)).id;
      f.siteA = (await ok(await post(`/api/test-campaigns/${f.campaign}/sites`, tok.hnC, { name: "Điểm A", address: "1 Hàng Gai", communeCode: "00070" }), 201)).id;
      f.siteB = (await ok(await post(`/api/test-campaigns/${f.campaign}/sites`, tok.hnC, { name: "Điểm B", address: "2 Hàng Gai", communeCode: "00070" }), 201)).id;
      await ok(await put(`/api/test-sites/${f.siteA}/staff/${await userId("hn.site")}`, tok.hnC, { team: "Tổ 2" }), 204);
      const b = await newUser(tok.hnC, { username: "hk.deskb", role: "site_staff", provinceCode: "01", communeCode: "00070" });
      f.deskB = b.token;
      f.deskBId = b.id;
      await ok(await put(`/api/test-sites/${f.siteB}/staff/${b.id}`, tok.hnC, { team: "Tổ B" }), 204);
      const [p] = await t.deps.db.select({ id: people.id, fullName: people.fullName }).from(people).where(eq(people.provinceCode, "01")).limit(1);
      person = p!;
    });

    const newPool = async (siteId = f.siteA, token = tok.hnSite) => ok(await post("/api/test-pools", token, { siteId }), 201);
    const register = async (body: Record<string, unknown>, token = tok.hnSite, status = 201) => ok(await post("/api/test-samples", token, { siteId: f.siteA, ...body }), status);

    it("registers a typed-in person, a known person and a scanned health QR; barcodes and teams", async () => {
      const typedIn = await register({ person: typed("Trần Văn Lấy Mẫu") });
      expect(typedIn).toMatchObject({ siteId: f.siteA, siteName: "Điểm A", campaignId: f.campaign, testType: "pcr", team: "Tổ 2", poolId: null, poolCode: null, labId: null, result: null, status: "collected", retestOf: null });
      expect(typedIn.barcode).toMatch(BARCODE);
      const [created] = await t.deps.db.select().from(people).where(eq(people.id, typedIn.personId));
      expect(created).toMatchObject({ fullName: "Trần Văn Lấy Mẫu", provinceCode: "01", communeCode: "00070", birthYear: 1988 });
      expect(await auditRows("test_sample.create", typedIn.id)).toEqual([
        expect.objectContaining({ actor_username: "hn.site", province_code: "01", commune_code: "00070", details: expect.objectContaining({ via: "typed", personId: typedIn.personId }) }),
      ]);

      const known = await register({ personId: person.id });
      expect(known).toMatchObject({ personId: person.id, status: "collected" });
      expect(known.barcode).not.toBe(typedIn.barcode);
      // an officer registering has no team
      expect((await register({ personId: person.id }, tok.hnC)).team).toBeNull();

      const iat = Math.floor(t.deps.now().getTime() / 1000);
      const qr = await signHealthToken(t.deps.keys, { pid: typedIn.personId, ini: "TVLM", by: 1988, st: "green", iat, exp: iat + 600 });
      const scanned = await register({ healthQr: qr });
      expect(scanned).toMatchObject({ personId: typedIn.personId, status: "collected" });
      expect((await auditRows("test_sample.create", scanned.id))[0]!.details.via).toBe("health_qr");
      const old = await signHealthToken(t.deps.keys, { pid: typedIn.personId, ini: "TVLM", by: 1988, st: "green", iat: iat - 7200, exp: iat - 3600 });
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, healthQr: old }), 410, "expired_code");
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, healthQr: `${qr.slice(0, -4)}AAAA` }), 400, "invalid_personal_qr");

      const none = await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA }), 400, "validation_failed");
      expect(none.error.details[0].path).toBe("personId");
      const both = await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, personId: person.id, healthQr: qr }), 400, "validation_failed");
      expect(both.error.details[0].path).toBe("healthQr");
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, personId: person.id, takenAt: new Date(t.deps.now().getTime() + 3600_000).toISOString() }), 400, "validation_failed");
      // site B is not hn.site's; health officers, lab staff and venue staff take no samples
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteB, personId: person.id }), 404, "not_found");
      for (const who of [tok.hnH, tok.hnLab, tok.hnVenue]) await fails(await post("/api/test-samples", who, { siteId: f.siteA, personId: person.id }), 403, "forbidden");
      for (const who of [tok.hcmP, tok.hcmC, tok.hcmSite]) await fails(await post("/api/test-samples", who, { siteId: f.siteA, personId: person.id }), 404, "not_found");
    });

    it("opens pools of the campaign's size, adds samples (by id, by scanned barcode, at registration) and takes them out while open", async () => {
      const pool = await newPool();
      expect(pool).toMatchObject({ siteId: f.siteA, siteName: "Điểm A", campaignId: f.campaign, provinceCode: "01", communeCode: "00070", maxSize: 3, size: 0, status: "open", labId: null, result: null, members: [] });
      expect(pool.code).toMatch(POOL_CODE);
      const a = await register({ person: typed("Nguyễn Gộp Một") });
      const b = await register({ person: typed("Nguyễn Gộp Hai") });
      let after = await ok(await post(`/api/test-pools/${pool.id}/samples`, tok.hnSite, { sampleId: a.id }));
      expect(after).toMatchObject({ size: 1, members: [expect.objectContaining({ sampleId: a.id, barcode: a.barcode, fullName: "Nguyễn Gộp Một", birthYear: 1988, status: "pooled" })] });
      // the label as scanned or typed: lower case, dashes and spaces
      const typedCode = `${b.barcode.slice(0, 4).toLowerCase()}-${b.barcode.slice(4, 8)} ${b.barcode.slice(8)}`;
      after = await ok(await post(`/api/test-pools/${pool.id}/samples`, tok.hnSite, { barcode: typedCode }));
      expect(after.size).toBe(2);
      // adding again is a no-op
      expect((await ok(await post(`/api/test-pools/${pool.id}/samples`, tok.hnSite, { sampleId: a.id }))).size).toBe(2);
      const c = await register({ person: typed("Nguyễn Gộp Ba"), poolId: pool.id });
      expect(c).toMatchObject({ poolId: pool.id, poolCode: pool.code, status: "pooled" });
      expect((await sampleRow(c.id)).poolOpen).toBe(true);

      const out = await ok(await t.request("DELETE", `/api/test-pools/${pool.id}/samples/${b.id}`, { token: tok.hnSite }));
      expect(out.size).toBe(2);
      expect(await sampleRow(b.id)).toMatchObject({ poolId: null, poolOpen: false });
      expect((await ok(await get(`/api/test-samples/${b.id}`, tok.hnSite))).status).toBe("collected");
      await fails(await t.request("DELETE", `/api/test-pools/${pool.id}/samples/${b.id}`, { token: tok.hnSite }), 404, "not_found");
      expect(await auditRows("test_pool.add_sample", pool.id)).toHaveLength(2);
      expect(await auditRows("test_pool.remove_sample", pool.id)).toHaveLength(1);
      expect(await auditRows("test_pool.create", pool.id)).toHaveLength(1);
    });

    it("refuses a person in two open pools (409 person_in_open_pool), also when both adds race", async () => {
      const first = await newPool();
      const second = await newPool();
      const s1 = await register({ person: typed("Lê Hai Nơi"), poolId: first.id });
      const s2 = await register({ personId: s1.personId });
      const err = await fails(await post(`/api/test-pools/${second.id}/samples`, tok.hnSite, { sampleId: s2.id }), 409, "person_in_open_pool");
      expect(err.error.message).toContain(first.code);
      expect(err.error.message).toContain(" / ");
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, personId: s1.personId, poolId: second.id }), 409, "person_in_open_pool");
      expect(await t.deps.db.select().from(testSamples).where(and(eq(testSamples.personId, s1.personId), eq(testSamples.poolOpen, true)))).toHaveLength(1);
      // once the first pool has its result, the person may join another
      await ok(await post(`/api/test-pools/${first.id}/seal`, tok.hnSite, { labId: demo.lab }));
      await fails(await post(`/api/test-pools/${second.id}/samples`, tok.hnSite, { sampleId: s2.id }), 409, "person_in_open_pool");
      await resultPool(first.id, "negative");
      expect((await ok(await post(`/api/test-pools/${second.id}/samples`, tok.hnSite, { sampleId: s2.id }))).size).toBe(1);

      // a race: the same person's two samples into two pools at once
      const p1 = await newPool();
      const p2 = await newPool();
      const r1 = await register({ person: typed("Lê Chạy Đua") });
      const r2 = await register({ personId: r1.personId });
      const answers = await Promise.all([
        post(`/api/test-pools/${p1.id}/samples`, tok.hnSite, { sampleId: r1.id }),
        post(`/api/test-pools/${p2.id}/samples`, tok.hnSite, { sampleId: r2.id }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = answers.find((r) => r.status === 409)!;
      expect(((await loser.json()) as any).error.code).toBe("person_in_open_pool");
      expect(await t.deps.db.select().from(testSamples).where(and(eq(testSamples.personId, r1.personId), eq(testSamples.poolOpen, true)))).toHaveLength(1);
    });

    it("a full pool takes no more (409 pool_full), however many desks add at once", async () => {
      const pool = await newPool();
      const samples = [];
      for (let i = 0; i < 6; i++) samples.push(await register({ person: typed(`Phạm Đầy ${i}`) }));
      const answers = await Promise.all(samples.map((s) => post(`/api/test-pools/${pool.id}/samples`, tok.hnSite, { sampleId: s.id })));
      const codes = await Promise.all(answers.map(async (r) => (r.status === 200 ? 200 : ((await r.json()) as any).error.code)));
      expect(codes.filter((c) => c === 200)).toHaveLength(3);
      expect(codes.filter((c) => c === "pool_full")).toHaveLength(3);
      expect(await t.deps.db.select().from(testSamples).where(eq(testSamples.poolId, pool.id))).toHaveLength(3);
      expect((await ok(await get(`/api/test-pools/${pool.id}`, tok.hnSite))).size).toBe(3);
      const err = await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, person: typed("Phạm Thừa"), poolId: pool.id }), 409, "pool_full");
      expect(err.error.message).toContain(pool.code);
    });

    it("seals a pool with at least one sample to a lab of the province; a sealed pool takes and gives back nothing", async () => {
      const empty = await newPool();
      await fails(await post(`/api/test-pools/${empty.id}/seal`, tok.hnSite, { labId: demo.lab }), 409, "conflict");
      const pool = await newPool();
      const s = await register({ person: typed("Võ Niêm Phong"), poolId: pool.id });
      const pasteur = (await t.deps.db.select().from(labs).where(eq(labs.provinceCode, "79")))[0]!;
      const foreign = await fails(await post(`/api/test-pools/${pool.id}/seal`, tok.hnSite, { labId: pasteur.id }), 400, "validation_failed");
      expect(foreign.error.details[0].path).toBe("labId");
      await fails(await post(`/api/test-pools/${pool.id}/seal`, tok.hnH, { labId: demo.lab }), 403, "forbidden");
      await fails(await post(`/api/test-pools/${pool.id}/seal`, tok.hnLab, { labId: demo.lab }), 403, "forbidden");
      const sealed = await ok(await post(`/api/test-pools/${pool.id}/seal`, tok.hnSite, { labId: demo.lab }));
      expect(sealed).toMatchObject({ status: "sealed", labId: demo.lab, labName: DEMO_LAB, size: 1, members: [expect.objectContaining({ sampleId: s.id, status: "in_lab" })] });
      expect(sealed.sealedAt).toEqual(expect.any(String));
      expect(await poolRow(pool.id)).toMatchObject({ status: "sealed", labId: demo.lab });
      expect((await sampleRow(s.id)).poolOpen).toBe(true);
      expect(await auditRows("test_pool.seal", pool.id)).toEqual([expect.objectContaining({ actor_username: "hn.site", details: { labId: demo.lab, samples: 1 } })]);

      const late = await register({ person: typed("Võ Đến Muộn") });
      await fails(await post(`/api/test-pools/${pool.id}/samples`, tok.hnSite, { sampleId: late.id }), 409, "pool_not_open");
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, person: typed("Võ Muộn Hơn"), poolId: pool.id }), 409, "pool_not_open");
      await fails(await t.request("DELETE", `/api/test-pools/${pool.id}/samples/${s.id}`, { token: tok.hnSite }), 409, "pool_not_open");
      await fails(await post(`/api/test-pools/${pool.id}/seal`, tok.hnSite, { labId: demo.lab }), 409, "pool_not_open");
      expect((await ok(await get(`/api/test-pools/${pool.id}`, tok.hnLab))).status).toBe("sealed");
      await resultPool(pool.id, "negative");
      await fails(await post(`/api/test-pools/${pool.id}/samples`, tok.hnSite, { sampleId: late.id }), 409, "pool_not_open");
    });

    it("a sample joins only a pool of its own site; a pooled, individual or retest sample joins no other pool", async () => {
      const poolA = await newPool();
      const poolB = await newPool(f.siteB, f.deskB);
      const atB = await register({ siteId: f.siteB, person: typed("Đặng Điểm B") }, f.deskB);
      expect(atB.team).toBe("Tổ B");
      const err = await fails(await post(`/api/test-pools/${poolA.id}/samples`, tok.hnC, { sampleId: atB.id }), 409, "conflict");
      expect(err.error.details[0].path).toBe("sampleId");
      await fails(await post("/api/test-samples", tok.hnC, { siteId: f.siteB, person: typed("Đặng Sai Điểm"), poolId: poolA.id }), 409, "conflict");
      // site staff do not even see the other site's pool or sample
      await fails(await post(`/api/test-pools/${poolA.id}/samples`, tok.hnSite, { sampleId: atB.id }), 404, "not_found");
      await fails(await post(`/api/test-pools/${poolB.id}/samples`, tok.hnSite, { sampleId: atB.id }), 404, "not_found");
      await fails(await post("/api/test-pools", tok.hnSite, { siteId: f.siteB }), 404, "not_found");
      const inB = await ok(await post(`/api/test-pools/${poolB.id}/samples`, f.deskB, { sampleId: atB.id }));
      expect(inB.size).toBe(1);
      const poolB2 = await newPool(f.siteB, f.deskB);
      await fails(await post(`/api/test-pools/${poolB2.id}/samples`, f.deskB, { sampleId: atB.id }), 409, "conflict");
      const alone = await register({ person: typed("Đặng Gửi Lẻ"), labId: demo.lab });
      expect(alone).toMatchObject({ labId: demo.lab, status: "in_lab" });
      await fails(await post(`/api/test-pools/${poolA.id}/samples`, tok.hnSite, { sampleId: alone.id }), 409, "conflict");
      const bad = await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, personId: person.id, poolId: poolA.id, labId: demo.lab }), 400, "validation_failed");
      expect(bad.error.details[0].path).toBe("labId");
    });

    it("takes a retest only of a sample that needs one, and only once (also when two desks race)", async () => {
      const pool = await newPool();
      const members = [];
      for (const name of ["Hồ Dương Một", "Hồ Dương Hai", "Hồ Dương Ba"]) members.push(await register({ person: typed(name), poolId: pool.id }));
      // before the result: not needed
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: members[0].id }), 409, "retest_not_needed");
      await ok(await post(`/api/test-pools/${pool.id}/seal`, tok.hnSite, { labId: demo.lab }));
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: members[0].id }), 409, "retest_not_needed");
      await resultPool(pool.id, "positive");
      expect((await ok(await get(`/api/test-samples/${members[0].id}`, tok.hnSite))).status).toBe("retest_needed");

      const retest = await register({ retestOf: members[0].id, labId: demo.lab });
      expect(retest).toMatchObject({ personId: members[0].personId, retestOf: members[0].id, labId: demo.lab, poolId: null, status: "in_lab", team: "Tổ 2" });
      expect((await auditRows("test_sample.create", retest.id))[0]!.details).toMatchObject({ via: "retest", retestOf: members[0].id });
      const original = await ok(await get(`/api/test-samples/${members[0].id}`, tok.hnSite));
      expect(original).toMatchObject({ status: "retested", retest: expect.objectContaining({ id: retest.id, barcode: retest.barcode }) });
      const again = await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: members[0].id }), 409, "retest_not_needed");
      expect(again.error.message).toContain(members[0].barcode);
      // a retest of the retest is not needed either (it has no result yet)
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: retest.id }), 409, "retest_not_needed");
      // someone else's retest, a retest into a pool: refused
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: members[1].id, personId: person.id }), 400, "validation_failed");
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: members[1].id, poolId: pool.id }), 400, "validation_failed");
      // the other site's desk does not see these samples
      await fails(await post("/api/test-samples", f.deskB, { siteId: f.siteB, retestOf: members[1].id }), 404, "not_found");

      // two desks at once: one retest
      const answers = await Promise.all([
        post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: members[1].id }),
        post("/api/test-samples", tok.hnC, { siteId: f.siteA, retestOf: members[1].id }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(((await answers.find((r) => r.status === 409)!.json()) as any).error.code).toBe("retest_not_needed");
      expect(await t.deps.db.select().from(testSamples).where(eq(testSamples.retestOf, members[1].id))).toHaveLength(1);

      // an invalid individual result may be retested; a negative one may not
      const invalid = await register({ person: typed("Hồ Không Rõ"), labId: demo.lab });
      await t.deps.db.update(testSamples).set({ result: "invalid", resultAt: t.deps.now() }).where(eq(testSamples.id, invalid.id));
      await register({ retestOf: invalid.id });
      const negative = await register({ person: typed("Hồ Âm Tính"), labId: demo.lab });
      await t.deps.db.update(testSamples).set({ result: "negative", resultAt: t.deps.now() }).where(eq(testSamples.id, negative.id));
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, retestOf: negative.id }), 409, "retest_not_needed");
    });

    it("a closed campaign, or a day outside its dates, takes no new samples and opens no pools (409 campaign_closed)", async () => {
      const pool = await newPool();
      await ok(await patch(`/api/test-campaigns/${f.campaign}`, tok.hnC, { status: "closed" }));
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, person: typed("Bùi Đóng Cửa") }), 409, "campaign_closed");
      await fails(await post("/api/test-pools", tok.hnSite, { siteId: f.siteA }), 409, "campaign_closed");
      await fails(await post(`/api/test-campaigns/${f.campaign}/sites`, tok.hnC, { name: "Điểm C", address: "3 Hàng Gai", communeCode: "00070" }), 409, "campaign_closed");
      const closed = await ok(await get("/api/test-sites/mine", tok.hnSite));
      expect(closed.items.find((s: any) => s.id === f.siteA).campaignStatus).toBe("closed");
      await ok(await patch(`/api/test-campaigns/${f.campaign}`, tok.hnC, { status: "open" }));
      const before = new Date(Date.parse(`${addDays(today, -2)}T10:00:00+07:00`)).toISOString();
      const err = await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, person: typed("Bùi Hôm Kia"), takenAt: before }), 409, "campaign_closed");
      expect(err.error.message).toContain(addDays(today, -1));
      const yesterday = new Date(Date.parse(`${addDays(today, -1)}T10:00:00+07:00`)).toISOString();
      expect((await register({ person: typed("Bùi Hôm Qua"), takenAt: yesterday })).takenAt).toBe(yesterday);
      // a closed site, too
      await ok(await patch(`/api/test-sites/${f.siteA}`, tok.hnC, { status: "closed" }));
      await fails(await post("/api/test-samples", tok.hnSite, { siteId: f.siteA, person: typed("Bùi Điểm Đóng") }), 409, "conflict");
      await ok(await patch(`/api/test-sites/${f.siteA}`, tok.hnC, { status: "active" }));
      expect((await register({ person: typed("Bùi Mở Lại"), poolId: pool.id })).poolId).toBe(pool.id);
    });

    it("a rapid antigen campaign does not pool, and sends nothing to a lab", async () => {
      const rapid = await ok(await post("/api/test-campaigns", tok.hnC, { name: "Test nhanh chợ", testType: "rapid_antigen", startsOn: today, endsOn: today }), 201);
      const site = await ok(await post(`/api/test-campaigns/${rapid.id}/sites`, tok.hnC, { name: "Điểm chợ Đồng Xuân", address: "Đồng Xuân", communeCode: "00070" }), 201);
      await fails(await post("/api/test-pools", tok.hnC, { siteId: site.id }), 409, "conflict");
      const s = await ok(await post("/api/test-samples", tok.hnC, { siteId: site.id, person: typed("Cao Test Nhanh") }), 201);
      expect(s).toMatchObject({ testType: "rapid_antigen", status: "collected" });
      await fails(await post("/api/test-samples", tok.hnC, { siteId: site.id, person: typed("Cao Gửi Lab"), labId: demo.lab }), 400, "validation_failed");
    });

    it("lists samples by site, pool, status, day, barcode or name, newest first by keyset, audited with the count", async () => {
      const pool = await newPool();
      const s = await register({ person: typed("Đinh Tìm Kiếm"), poolId: pool.id });
      const list = async (query: string, token = tok.hnC) => (await ok(await get(`/api/test-samples?limit=500&${query}`, token))).items;
      expect((await list(`poolId=${pool.id}`)).map((x: any) => [x.id, x.fullName, x.birthYear, x.status])).toEqual([[s.id, "Đinh Tìm Kiếm", 1988, "pooled"]]);
      expect((await list(`q=${s.barcode.slice(0, 7).toLowerCase()}`)).map((x: any) => x.id)).toContain(s.id);
      expect((await list(`q=${encodeURIComponent("tìm kiếm")}`)).map((x: any) => x.id)).toEqual([s.id]);
      const retestNeeded = await list(`status=retest_needed&campaignId=${demo.campaign}`);
      expect(retestNeeded).toHaveLength(1);
      expect(retestNeeded[0].status).toBe("retest_needed");
      expect((await list(`day=${today}&siteId=${f.siteA}`)).every((x: any) => vnDay(new Date(x.takenAt)) === today)).toBe(true);
      expect((await list(`day=${addDays(today, -1)}&siteId=${f.siteA}`)).map((x: any) => x.fullName)).toEqual(["Bùi Hôm Qua"]);
      // site staff see their sites' samples only; HCM nothing
      const mine = await list("", tok.hnSite);
      expect(mine.every((x: any) => [f.siteA, demo.site].includes(x.siteId))).toBe(true);
      expect(await list("", f.deskB)).toEqual(expect.arrayContaining([expect.objectContaining({ siteId: f.siteB })]));
      expect((await list("", f.deskB)).every((x: any) => x.siteId === f.siteB)).toBe(true);
      expect(await list("", tok.hcmP)).toEqual([]);
      expect(await list("", tok.hcmSite)).toEqual([]);
      // lab staff: samples sent alone to their lab, and those in pools sealed to it
      const lab = await list("", tok.hnLab);
      expect(lab.length).toBeGreaterThan(0);
      expect(lab.every((x: any) => x.labId === demo.lab || ["in_lab", "negative", "retest_needed", "retested", "positive"].includes(x.status))).toBe(true);
      expect(lab.map((x: any) => x.status)).not.toContain("pooled");

      const all = await list(`siteId=${f.siteA}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await ok(await get(`/api/test-samples?siteId=${f.siteA}&limit=4${cursor ? `&cursor=${cursor}` : ""}`, tok.hnC));
        seen.push(...res.items.map((x: any) => x.id));
        cursor = res.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((x: any) => x.id));
      const times = all.map((x: any) => x.takenAt);
      expect(times).toEqual([...times].sort().reverse());
      await ok(await get(`/api/test-samples?poolId=${pool.id}`, tok.hnC));
      const rows = await auditRows("test_samples.list");
      expect(rows.at(-1)).toMatchObject({ actor_username: "hn.commune", province_code: "01", commune_code: "00070" });
      expect(rows.at(-1)!.details).toMatchObject({ count: 1, filters: { poolId: pool.id, q: false } });
      await fails(await get("/api/test-samples?status=lost", tok.hnC), 400, "validation_failed");
      await fails(await get("/api/test-samples", tok.hnVenue), 403, "forbidden");
    });

    it("reads a sample by id or scanned barcode with its person, pool and retest; every read is audited", async () => {
      const pool = await newPool();
      const s = await register({ person: typed("Mai Đọc Mẫu"), poolId: pool.id });
      const detail = await ok(await get(`/api/test-samples/${s.id}`, tok.hnSite));
      expect(detail).toMatchObject({
        id: s.id,
        barcode: s.barcode,
        person: { id: s.personId, fullName: "Mai Đọc Mẫu", phone: expect.stringMatching(/^09\d{8}$/), birthYear: 1988 },
        pool: expect.objectContaining({ id: pool.id, code: pool.code, size: 1, status: "open" }),
        retest: null,
        caseId: null,
        status: "pooled",
      });
      const scanned = await ok(await get(`/api/test-samples/by-barcode/${s.barcode.toLowerCase().replace(/(.{4})/, "$1-")}`, tok.hnC));
      expect(scanned.id).toBe(s.id);
      await fails(await get("/api/test-samples/by-barcode/S0000000000", tok.hnC), 404, "not_found");
      const reads = await auditRows("test_sample.read", s.id);
      expect(reads.map((r) => [r.actor_username, r.details.by, r.details.personId])).toEqual([
        ["hn.site", "id", s.personId],
        ["hn.commune", "barcode", s.personId],
      ]);
      expect(reads[0]).toMatchObject({ province_code: "01", commune_code: "00070" });
      const byCode = await ok(await get(`/api/test-pools/by-code/${pool.code.toLowerCase()}`, tok.hnH));
      expect(byCode).toMatchObject({ id: pool.id, members: [expect.objectContaining({ sampleId: s.id, fullName: "Mai Đọc Mẫu" })] });
      expect((await auditRows("test_pool.read", pool.id)).map((r) => r.actor_username)).toEqual(["hn.health"]);
      const pools = await ok(await get(`/api/test-pools?q=${pool.code.slice(0, 5).toLowerCase()}&siteId=${f.siteA}`, tok.hnC));
      expect(pools.items.map((p: any) => p.id)).toContain(pool.id);
    });

    it("prints labels as 50 × 30 mm PDFs carrying the code", async () => {
      const pool = await newPool();
      const s = await register({ person: typed("Lý Nhãn"), poolId: pool.id });
      const res = await get(`/api/test-samples/${s.id}/label.pdf`, tok.hnSite);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const text = bytes.toString("latin1");
      expect(text).toContain(`(${s.barcode})`);
      expect(text).toMatch(/\/MediaBox \[0 0 141\.7\d* 85\.0\d*\]/);
      expect(await auditRows("test_sample.label", s.id)).toHaveLength(1);
      const poolPdf = await get(`/api/test-pools/${pool.id}/label.pdf`, tok.hnC);
      expect(poolPdf.status).toBe(200);
      const poolBytes = Buffer.from(await poolPdf.arrayBuffer());
      expect(poolBytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(poolBytes.toString("latin1")).toContain(`(${pool.code})`);
      for (const who of [tok.hcmP, tok.hcmSite, f.deskB, tok.hnLab]) {
        await fails(await get(`/api/test-samples/${s.id}/label.pdf`, who), 404, "not_found");
        await fails(await get(`/api/test-pools/${pool.id}/label.pdf`, who), 404, "not_found");
      }
    });

    it("answers 404 on every id route outside the caller's site, lab or area, and 403 to health officers writing", async () => {
      const pool = await newPool();
      const s = await register({ person: typed("Tạ Phạm Vi"), poolId: pool.id });
      const other = await register({ person: typed("Tạ Khác") });
      const sealedPool = await newPool();
      const inSealed = await register({ person: typed("Tạ Niêm"), poolId: sealedPool.id });
      const bachMai = (await t.deps.db.select().from(labs).where(eq(labs.name, "Phòng xét nghiệm Bệnh viện Bạch Mai")))[0]!;
      await ok(await post(`/api/test-pools/${sealedPool.id}/seal`, tok.hnC, { labId: bachMai.id }));
      const otherLab = await newUser(tok.hnP, { username: "bm.tech2", role: "lab_staff", provinceCode: "01" });
      await ok(await put(`/api/labs/${bachMai.id}/staff/${otherLab.id}`, tok.hnP), 204);

      const reads = (sampleId: string, poolId: string, barcode: string, code: string) => [
        `/api/test-samples/${sampleId}`,
        `/api/test-samples/by-barcode/${barcode}`,
        `/api/test-samples/${sampleId}/label.pdf`,
        `/api/test-pools/${poolId}`,
        `/api/test-pools/by-code/${code}`,
        `/api/test-pools/${poolId}/label.pdf`,
      ];
      const writes = (poolId: string, sampleId: string): [string, string, unknown?][] => [
        ["POST", `/api/test-pools/${poolId}/samples`, { sampleId: other.id }],
        ["DELETE", `/api/test-pools/${poolId}/samples/${sampleId}`],
        ["POST", `/api/test-pools/${poolId}/seal`, { labId: demo.lab }],
        ["POST", "/api/test-samples", { siteId: f.siteA, person: typed("Tạ Xâm Nhập") }],
        ["POST", "/api/test-pools", { siteId: f.siteA }],
      ];
      const openPaths = reads(s.id, pool.id, s.barcode, pool.code);
      // HCM officers and site staff, the other site's desk: 404 everywhere, reads and writes
      for (const who of [tok.hcmP, tok.hcmC, tok.hcmSite, f.deskB]) {
        for (const path of openPaths) await fails(await get(path, who), 404, "not_found");
        for (const [method, path, body] of writes(pool.id, s.id)) await fails(await t.request(method, path, { token: who, body }), 404, "not_found");
      }
      // lab staff: the open pool is nobody's at a lab yet; a pool sealed to another lab is not theirs
      for (const path of openPaths) await fails(await get(path, tok.hnLab), 404, "not_found");
      for (const path of reads(inSealed.id, sealedPool.id, inSealed.barcode, sealedPool.code)) {
        await fails(await get(path, tok.hnLab), 404, "not_found");
        const mine = await get(path, otherLab.token);
        expect(mine.status, path).toBe(200);
      }
      // health officers read everything of their area, and write nothing
      for (const path of openPaths) expect((await get(path, tok.hnH)).status, path).toBe(200);
      for (const [method, path, body] of writes(pool.id, s.id)) await fails(await t.request(method, path, { token: tok.hnH, body }), 403, "forbidden");
      for (const [method, path, body] of writes(pool.id, s.id)) await fails(await t.request(method, path, { token: otherLab.token, body }), 403, "forbidden");
      // nothing changed
      expect(await poolRow(pool.id)).toMatchObject({ status: "open", labId: null });
      expect(await t.deps.db.select().from(testSamples).where(eq(testSamples.poolId, pool.id))).toHaveLength(1);
      // lists: nothing of Hà Nội in HCM's, the other lab's only its pool
      expect((await ok(await get("/api/test-pools?limit=500", tok.hcmP))).items).toEqual([]);
      expect((await ok(await get("/api/test-pools?limit=500", otherLab.token))).items.map((p: any) => p.id)).toEqual([sealedPool.id]);
      expect((await ok(await get("/api/test-samples?limit=500", otherLab.token))).items.map((x: any) => x.id)).toEqual([inSealed.id]);
      expect((await ok(await get("/api/test-campaigns", otherLab.token))).items.map((c: any) => c.id)).toEqual([f.campaign]);
      await fails(await get(`/api/test-campaigns/${demo.campaign}`, otherLab.token), 404, "not_found");
      await fails(await get(`/api/test-sites/${f.siteA}`, otherLab.token), 403, "forbidden");
    });
  });
});
