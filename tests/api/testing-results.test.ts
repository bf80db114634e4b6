/**
 * Results of pools and samples through the API (docs/TESTING.md, "Rules" and "Results"), on both
 * engines: pool results and their members' derived status, individual results and the path to
 * exactly one F0 case (sequential and concurrent), a contact who tests positive, the trace run at
 * once, batch and CSV results (all or nothing, dry runs, every rejected reason), who may record
 * what (404 outside the caller's lab, site or area; 403 for a role that may not), a citizen's own
 * and family's tests, and the audit rows. Fixtures are written straight to the tables
 * (tests/support/testing-fixtures.ts).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, type Lab, type TestSite } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";
import { newPhone, testingFixtures } from "../support/testing-fixtures";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** dd/mm/yyyy hh:mm in Vietnam time. */
const vnText = (d: Date) => {
  const v = new Date(d.getTime() + 7 * HOUR).toISOString();
  return `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)} ${v.slice(11, 16)}`;
};
/** A code as a person might type it: lower case with dashes. */
const typed = (code: string) => `${code.slice(0, 3)}-${code.slice(3)}`.toLowerCase();

describe.each(engines())("testing results on %s", (engine) => {
  let t: TestPlatform;
  let f: ReturnType<typeof testingFixtures>;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnS" | "hcmP" | "hcmC" | "hcmS", string>;
  type Account = { id: string; username: string; token: string };
  let hnLab: Account;
  let hnLab2: Account;
  let hcmLab: Account;
  let citizen: Account;
  let labHN: Lab;
  let labHN2: Lab;
  let labHCM: Lab;
  let pcrSite: TestSite;
  let rapidSite: TestSite;
  let rapidSite2: TestSite;
  let hcmSite: TestSite;
  let hcmRapidSite: TestSite;

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json(res);
  };
  const fails = async (res: Response, status: number, code?: string) => {
    expect(res.status, await res.clone().text()).toBe(status);
    const body = await json(res);
    if (code) expect(body.error.code).toBe(code);
    return body;
  };
  const poolResult = (token: string, id: string, body: Record<string, unknown>) => t.request("POST", `/api/test-pools/${id}/result`, { token, body });
  const sampleResult = (token: string, id: string, body: Record<string, unknown>) => t.request("POST", `/api/test-samples/${id}/result`, { token, body });
  const batch = (token: string, items: unknown[], dryRun?: boolean) => t.request("POST", "/api/test-results/batch", { token, body: dryRun === undefined ? { items } : { items, dryRun } });
  const importCsv = (token: string, text: string, query = "", type = "text/csv; charset=utf-8") =>
    t.request("POST", `/api/test-results/import${query}`, { token, body: text, headers: { "content-type": type } });
  const q = <T = any>(s: ReturnType<typeof sql>) => t.deps.database.query<T>(s);
  const one = async <T = any>(s: ReturnType<typeof sql>) => (await q<T>(s))[0]!;
  const auditRows = (action: string, subjectId: string) =>
    q<{ actor_username: string; actor_role: string; province_code: string; commune_code: string | null; details: any }>(
      sql`select actor_username, actor_role, province_code, commune_code, details from audit_log where action = ${action} and subject_id = ${subjectId} order by id`,
    );
  /** A timestamptz as the API writes it (ISO, UTC, milliseconds), the same on both engines. */
  const isoOf = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  const casesOf = (personId: string) =>
    q<any>(sql`select *, sample_date::text as sample_day, confirmed_on::text as confirmed_day, (traced_at is not null) as traced from cases where person_id = ${personId} order by created_at`);
  const sampleRow = (id: string) => one(sql`select result, ${isoOf("result_at")} as result_at, result_by, pool_open from test_samples where id = ${id}`);
  const poolRow = (id: string) => one(sql`select status, result, ${isoOf("result_at")} as result_at, result_by from test_pools where id = ${id}`);
  const iso = (v: unknown) => v;

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    f = testingFixtures(t);
    const names = { admin: "admin", hnP: "hn.province", hnH: "hn.health", hnC: "hn.commune", hnS: "hn.site", hcmP: "hcm.province", hcmC: "hcm.commune", hcmS: "hcm.site" } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);

    labHN = await f.lab({ name: "Phòng xét nghiệm Kết Quả" });
    labHN2 = await f.lab({ name: "Phòng xét nghiệm Thứ Hai" });
    labHCM = await f.lab({ provinceCode: "79", name: "Phòng xét nghiệm Sài Gòn" });
    hnLab = await f.account("lab_staff", "01");
    hnLab2 = await f.account("lab_staff", "01");
    hcmLab = await f.account("lab_staff", "79");
    await f.assignLab(labHN.id, hnLab.id);
    await f.assignLab(labHN2.id, hnLab2.id);
    await f.assignLab(labHCM.id, hcmLab.id);

    const pcr = await f.campaign({ testType: "pcr", poolSize: 5 });
    const rapid = await f.campaign({ testType: "rapid_antigen", poolSize: 1 });
    const hcm = await f.campaign({ provinceCode: "79", communeCode: "26734" });
    const hcmRapid = await f.campaign({ provinceCode: "79", communeCode: "26734", testType: "rapid_antigen", poolSize: 1 });
    pcrSite = await f.site(pcr, { name: "Điểm lấy mẫu PCR" });
    rapidSite = await f.site(rapid, { name: "Điểm test nhanh" });
    rapidSite2 = await f.site(rapid, { name: "Điểm test nhanh số 2" });
    hcmSite = await f.site(hcm, { communeCode: "26734" });
    hcmRapidSite = await f.site(hcmRapid, { communeCode: "26734" });
    const hnSiteUser = await f.userId("hn.site");
    await f.assignSite(pcrSite.id, hnSiteUser, "Tổ 1");
    await f.assignSite(rapidSite.id, hnSiteUser, "Tổ 1");
    await f.assignSite(hcmRapidSite.id, await f.userId("hcm.site"));
    citizen = await f.account("citizen", null);
  });
  afterAll(() => t?.close());

  describe("pool results", () => {
    it("a negative pool clears every member and frees them for a new pool; audited under the lab user", async () => {
      const { pool, members } = await f.pool(pcrSite, { members: 3, labId: labHN.id });
      const at = new Date(Date.now() - HOUR);
      const body = await ok(await poolResult(hnLab.token, pool.id, { result: "negative", resultAt: at.toISOString() }));
      expect(body.pool).toEqual({
        id: pool.id,
        code: pool.code,
        campaignId: pcrSite.campaignId,
        siteId: pcrSite.id,
        siteName: "Điểm lấy mẫu PCR",
        provinceCode: "01",
        communeCode: "00070",
        maxSize: 5,
        size: 3,
        status: "resulted",
        labId: labHN.id,
        labName: "Phòng xét nghiệm Kết Quả",
        sealedAt: pool.sealedAt!.toISOString(),
        result: "negative",
        resultAt: at.toISOString(),
      });
      expect([...body.members].sort((a: any, b: any) => a.sampleId.localeCompare(b.sampleId))).toEqual(
        members.map((m) => ({ sampleId: m.id, status: "negative" })).sort((a, b) => a.sampleId.localeCompare(b.sampleId)),
      );
      const row = await poolRow(pool.id);
      expect(row.status).toBe("resulted");
      expect(row.result_by).toBe(hnLab.id);
      const open = await q<{ pool_open: boolean }>(sql`select pool_open from test_samples where pool_id = ${pool.id}`);
      expect(open.map((r) => r.pool_open)).toEqual([false, false, false]);
      // each member may join a new open pool (the one-open-pool index no longer holds them)
      const next = await f.pool(pcrSite, { personIds: members.map((m) => m.personId) });
      expect(next.members.every((m) => m.poolOpen)).toBe(true);
      const audit = await auditRows("test_pool.result", pool.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_username: hnLab.username, actor_role: "lab_staff", province_code: "01", commune_code: "00070" });
      expect(audit[0]!.details).toMatchObject({ result: "negative", members: 3, code: pool.code });
      // no case for anyone of a negative pool
      for (const m of members) expect(await casesOf(m.personId)).toHaveLength(0);
    });

    it("the same result again changes nothing (200); a different one is 409 result_conflict", async () => {
      const { pool } = await f.pool(pcrSite, { members: 2, labId: labHN.id });
      const first = await ok(await poolResult(hnLab.token, pool.id, { result: "negative" }));
      const again = await ok(await poolResult(hnLab.token, pool.id, { result: "negative", resultAt: new Date(Date.now() - 60_000).toISOString() }));
      expect(again.pool.resultAt).toBe(first.pool.resultAt);
      expect(again.members.map((m: any) => m.status)).toEqual(["negative", "negative"]);
      const conflict = await fails(await poolResult(hnLab.token, pool.id, { result: "positive" }), 409, "result_conflict");
      expect(conflict.error.message).toMatch(/Đã ghi kết quả khác.*\/.*different result/);
      expect((await poolRow(pool.id)).result).toBe("negative");
      expect(iso((await poolRow(pool.id)).result_at)).toBe(first.pool.resultAt);
      expect(await auditRows("test_pool.result", pool.id)).toHaveLength(1);
    });

    it("a positive or invalid pool sends each member to a retest and opens no case", async () => {
      for (const result of ["positive", "invalid"] as const) {
        const { pool, members } = await f.pool(pcrSite, { members: 2, labId: labHN.id });
        const body = await ok(await poolResult(hnLab.token, pool.id, { result }));
        expect(body.pool).toMatchObject({ status: "resulted", result });
        expect(body.members.map((m: any) => m.status)).toEqual(["retest_needed", "retest_needed"]);
        for (const m of members) {
          expect(await casesOf(m.personId)).toHaveLength(0);
          expect((await sampleRow(m.id)).pool_open).toBe(false);
          expect((await sampleRow(m.id)).result).toBeNull();
        }
      }
    });

    it("a pool not sealed is 409 pool_not_sealed; nothing changes", async () => {
      const { pool, members } = await f.pool(pcrSite, { members: 1 });
      const body = await fails(await poolResult(tok.hnP, pool.id, { result: "negative" }), 409, "pool_not_sealed");
      expect(body.error.message).toMatch(/niêm phong.*\/.*sealed/);
      expect(await poolRow(pool.id)).toMatchObject({ status: "open", result: null });
      expect((await sampleRow(members[0]!.id)).pool_open).toBe(true);
    });

    it("a result time in the future or before the pool was sealed is 400", async () => {
      const { pool } = await f.pool(pcrSite, { members: 1, labId: labHN.id });
      const future = await fails(await poolResult(hnLab.token, pool.id, { result: "negative", resultAt: new Date(Date.now() + HOUR).toISOString() }), 400, "validation_failed");
      expect(future.error.details[0].path).toBe("resultAt");
      const early = new Date(pool.sealedAt!.getTime() - 60_000).toISOString();
      await fails(await poolResult(hnLab.token, pool.id, { result: "negative", resultAt: early }), 400, "validation_failed");
      await fails(await poolResult(hnLab.token, pool.id, { result: "maybe" }), 400, "validation_failed");
      expect((await poolRow(pool.id)).result).toBeNull();
    });
  });

  describe("sample results and the F0 case", () => {
    it("an individual PCR positive opens one F0 case (method, sample day, result day, where the person lives), traced at once under the lab user", async () => {
      const takenAt = new Date(Date.now() - 20 * HOUR);
      const resultAt = new Date(Date.now() - HOUR);
      // lives in Cửa Nam, sampled at a Hoàn Kiếm site
      const p = await f.person({ communeCode: "00082", fullName: "Nguyễn Văn Dương Tính" });
      const neighbour = await f.person({ fullName: "Trần Thị Ngồi Cạnh" });
      const stranger = await f.person({ fullName: "Lê Văn Khác Giờ" });
      const venue = await f.venue();
      const visit = takenAt.getTime() - DAY;
      await f.checkin(p.id, venue, "01", new Date(visit), new Date(visit + HOUR));
      await f.checkin(neighbour.id, venue, "01", new Date(visit + 10 * 60_000), new Date(visit + 50 * 60_000));
      await f.checkin(stranger.id, venue, "01", new Date(visit + 5 * HOUR), new Date(visit + 6 * HOUR));
      const s = await f.sample(pcrSite, { personId: p.id, labId: labHN.id, takenAt });

      const body = await ok(await sampleResult(hnLab.token, s.id, { result: "positive", resultAt: resultAt.toISOString() }));
      expect(body.sample).toEqual({
        id: s.id,
        barcode: s.barcode,
        campaignId: pcrSite.campaignId,
        siteId: pcrSite.id,
        siteName: "Điểm lấy mẫu PCR",
        personId: p.id,
        testType: "pcr",
        takenAt: takenAt.toISOString(),
        team: null,
        poolId: null,
        poolCode: null,
        labId: labHN.id,
        result: "positive",
        resultAt: resultAt.toISOString(),
        retestOf: null,
        status: "positive",
      });
      const rows = await casesOf(p.id);
      expect(rows).toHaveLength(1);
      const c = rows[0];
      expect(body.caseId).toBe(c.id);
      expect(c).toMatchObject({
        method: "pcr",
        province_code: "01",
        commune_code: "00082",
        source_sample_id: s.id,
        source_case_id: null,
        source_contact_id: null,
        created_by: hnLab.id,
        status: "active",
        traced_degree: 1,
      });
      expect(c.sample_day).toBe(vnDay(takenAt));
      expect(c.confirmed_day).toBe(vnDay(resultAt));
      expect(c.traced).toBe(true);
      // the F1: sat at the same venue at the same time; the one who came later is no contact
      const f1 = await q(sql`select person_id, degree, status from contacts where case_id = ${c.id}`);
      expect(f1).toEqual([{ person_id: neighbour.id, degree: 1, status: "identified" }]);
      // audit rows name the lab user
      const created = await auditRows("case.create", c.id);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ actor_username: hnLab.username, actor_role: "lab_staff", province_code: "01", commune_code: "00082" });
      expect(created[0]!.details).toMatchObject({ personId: p.id, sampleId: s.id });
      const traced = await auditRows("case.trace", c.id);
      expect(traced).toHaveLength(1);
      expect(traced[0]).toMatchObject({ actor_username: hnLab.username, actor_role: "lab_staff" });
      expect(traced[0]!.details).toMatchObject({ degree: 1, found: 1, created: 1 });
      expect((await auditRows("test_sample.result", s.id))[0]).toMatchObject({ actor_username: hnLab.username, province_code: "01", commune_code: "00070" });

      // the same positive again: 200, the same case, nothing new
      const again = await ok(await sampleResult(hnLab.token, s.id, { result: "positive" }));
      expect(again.caseId).toBe(c.id);
      expect(again.sample.resultAt).toBe(resultAt.toISOString());
      expect(await casesOf(p.id)).toHaveLength(1);
      expect(await auditRows("test_sample.result", s.id)).toHaveLength(1);
      await fails(await sampleResult(hnLab.token, s.id, { result: "negative" }), 409, "result_conflict");
    });

    it("a positive recorded concurrently opens exactly one case", async () => {
      const p = await f.person();
      const s = await f.sample(pcrSite, { personId: p.id, labId: labHN.id });
      const answers = await Promise.all(Array.from({ length: 4 }, () => sampleResult(hnLab.token, s.id, { result: "positive" })));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const ids = new Set((await Promise.all(answers.map(json))).map((b) => b.caseId));
      const rows = await casesOf(p.id);
      expect(rows).toHaveLength(1);
      expect([...ids]).toEqual([rows[0].id]);
      expect(rows[0].source_sample_id).toBe(s.id);
      expect(await auditRows("case.create", rows[0].id)).toHaveLength(1);
      expect(await auditRows("test_sample.result", s.id)).toHaveLength(1);
    });

    it("two positive samples of one person recorded at once give one case; the other links to it", async () => {
      const p = await f.person();
      const a = await f.sample(pcrSite, { personId: p.id, labId: labHN.id });
      const b = await f.sample(rapidSite, { personId: p.id });
      const [ra, rb] = await Promise.all([sampleResult(hnLab.token, a.id, { result: "positive" }), sampleResult(tok.hnS, b.id, { result: "positive" })]);
      const [ba, bb] = [await ok(ra), await ok(rb)];
      const rows = await casesOf(p.id);
      expect(rows).toHaveLength(1);
      expect(ba.caseId).toBe(rows[0].id);
      expect(bb.caseId).toBe(rows[0].id);
      expect([a.id, b.id]).toContain(rows[0].source_sample_id);
    });

    it("a person with an active case gets no second one: the answer names that case", async () => {
      const p = await f.person();
      const existing = await ok(await t.request("POST", "/api/cases", { token: tok.hnP, body: { personId: p.id, confirmedOn: vnDay(new Date()), method: "clinical" } }), 201);
      const s = await f.sample(rapidSite, { personId: p.id });
      const body = await ok(await sampleResult(tok.hnS, s.id, { result: "positive" }));
      expect(body.caseId).toBe(existing.id);
      const rows = await casesOf(p.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: existing.id, method: "clinical", source_sample_id: null });
    });

    it("an open contact who tests positive becomes F0: linked to the contact and its case, its F2s become the new case's F1s", async () => {
      const source = await f.person({ fullName: "Phạm Văn Nguồn" });
      const c0 = await ok(await t.request("POST", "/api/cases", { token: tok.hnP, body: { personId: source.id, confirmedOn: vnDay(new Date(Date.now() - 3 * DAY)), method: "pcr" } }), 201);
      const x = await f.person({ fullName: "Đỗ Thị Tiếp Xúc" });
      const contact = await ok(await t.request("POST", `/api/cases/${c0.id}/contacts`, { token: tok.hnP, body: { personId: x.id, source: "household" } }), 201);
      expect(contact.status).toBe("identified");
      const y = await f.person({ fullName: "Vũ Văn Bậc Hai" });
      const exposed = new Date(Date.now() - 2 * DAY);
      const [f2] = await t.deps.db
        .insert(contacts)
        .values({
          caseId: c0.id,
          caseProvinceCode: "01",
          provinceCode: "01",
          communeCode: "00070",
          personId: y.id,
          degree: 2,
          source: "venue",
          viaContactId: contact.id,
          firstExposureAt: exposed,
          lastExposureAt: exposed,
          quarantineUntil: vnDay(new Date(Date.now() + 10 * DAY)),
        })
        .returning({ id: contacts.id });

      const s = await f.sample(rapidSite, { personId: x.id });
      const body = await ok(await sampleResult(tok.hnS, s.id, { result: "positive" }));
      const rows = await casesOf(x.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: body.caseId, method: "rapid_antigen", source_case_id: c0.id, source_contact_id: contact.id, source_sample_id: s.id });
      expect(await one(sql`select status from contacts where id = ${contact.id}`)).toEqual({ status: "became_f0" });
      expect(await one(sql`select case_id, degree, via_contact_id from contacts where id = ${f2!.id}`)).toEqual({ case_id: body.caseId, degree: 1, via_contact_id: null });
      // the site user is recorded on the case and the audit
      expect(rows[0].created_by).toBe(await f.userId("hn.site"));
      expect((await auditRows("case.create", body.caseId))[0]).toMatchObject({ actor_username: "hn.site", actor_role: "site_staff" });
    });

    it("a negative or invalid individual result opens no case", async () => {
      for (const result of ["negative", "invalid"] as const) {
        const s = await f.sample(rapidSite);
        const body = await ok(await sampleResult(tok.hnS, s.id, { result }));
        expect(body.caseId).toBeUndefined();
        expect(body.sample).toMatchObject({ result, status: result, testType: "rapid_antigen" });
        expect(await casesOf(s.personId)).toHaveLength(0);
        expect(await sampleRow(s.id)).toMatchObject({ result, result_by: await f.userId("hn.site") });
      }
    });

    it("a retest's positive opens the case; the first sample stays retested", async () => {
      const { pool, members } = await f.pool(pcrSite, { members: 1, labId: labHN.id });
      await ok(await poolResult(hnLab.token, pool.id, { result: "positive" }));
      const retest = await f.sample(pcrSite, { personId: members[0]!.personId, retestOf: members[0]!.id, labId: labHN.id, takenAt: new Date(Date.now() - 2 * HOUR) });
      const body = await ok(await sampleResult(hnLab.token, retest.id, { result: "positive" }));
      expect(body.sample).toMatchObject({ retestOf: members[0]!.id, status: "positive" });
      expect((await casesOf(members[0]!.personId)).map((c: any) => c.source_sample_id)).toEqual([retest.id]);
      const members2 = await ok(await poolResult(hnLab.token, pool.id, { result: "positive" }));
      expect(members2.members).toEqual([{ sampleId: members[0]!.id, status: "retested" }]);
    });

    it("a sample in a pool or not sent to a lab takes no result of its own (409)", async () => {
      const { members } = await f.pool(pcrSite, { members: 1, labId: labHN.id });
      const inPool = await fails(await sampleResult(tok.hnP, members[0]!.id, { result: "positive" }), 409, "conflict");
      expect(inPool.error.message).toMatch(/mẫu gộp.*\/.*pool/);
      // the pool's lab sees its members (and is told to record the pool's result); another lab does not
      await fails(await sampleResult(hnLab.token, members[0]!.id, { result: "positive" }), 409, "conflict");
      await fails(await sampleResult(hnLab2.token, members[0]!.id, { result: "positive" }), 404, "not_found");
      const notSent = await f.sample(pcrSite);
      await fails(await sampleResult(tok.hnP, notSent.id, { result: "positive" }), 409, "conflict");
      expect((await sampleRow(notSent.id)).result).toBeNull();
      await fails(await sampleResult(tok.hnP, "6b1d3c1e-0000-4000-8000-000000000001", { result: "positive" }), 404, "not_found");
    });
  });

  describe("scope", () => {
    it("a pool's result: only lab staff of its lab and officers of its province; others 404 or 403, nothing written", async () => {
      const { pool } = await f.pool(pcrSite, { members: 1, labId: labHN.id });
      for (const token of [hnLab2.token, hcmLab.token, tok.hcmP]) await fails(await poolResult(token, pool.id, { result: "negative" }), 404, "not_found");
      for (const token of [tok.hnS, tok.hnC, tok.hnH, tok.hcmS, citizen.token]) await fails(await poolResult(token, pool.id, { result: "negative" }), 403, "forbidden");
      expect((await poolRow(pool.id)).result).toBeNull();
      await ok(await poolResult(tok.hnP, pool.id, { result: "negative" }));
      expect((await poolRow(pool.id)).result_by).toBe(await f.userId("hn.province"));
      const hcm = await f.pool(hcmSite, { members: 1, labId: labHCM.id });
      await fails(await poolResult(hnLab.token, hcm.pool.id, { result: "negative" }), 404, "not_found");
      await fails(await poolResult(tok.hnP, hcm.pool.id, { result: "negative" }), 404, "not_found");
      await ok(await poolResult(hcmLab.token, hcm.pool.id, { result: "negative" }));
      await ok(await poolResult(tok.admin, (await f.pool(hcmSite, { members: 1, labId: labHCM.id })).pool.id, { result: "negative" }));
    });

    it("an individual PCR: lab staff of its lab and province/national officers; site staff and commune officers 403", async () => {
      const s = await f.sample(pcrSite, { labId: labHN.id });
      for (const token of [hnLab2.token, hcmLab.token, tok.hcmP, tok.hcmC, tok.hcmS]) await fails(await sampleResult(token, s.id, { result: "negative" }), 404, "not_found");
      for (const token of [tok.hnS, tok.hnC]) {
        const body = await fails(await sampleResult(token, s.id, { result: "negative" }), 403, "forbidden");
        expect(body.error.message).toMatch(/PCR/);
      }
      for (const token of [tok.hnH, citizen.token]) await fails(await sampleResult(token, s.id, { result: "negative" }), 403, "forbidden");
      expect((await sampleRow(s.id)).result).toBeNull();
      await ok(await sampleResult(tok.hnP, s.id, { result: "negative" }));
      await ok(await sampleResult(tok.admin, (await f.sample(pcrSite, { labId: labHN.id })).id, { result: "negative" }));
    });

    it("a rapid test: site staff of its site and officers of its area; lab staff and other sites 404", async () => {
      const s = await f.sample(rapidSite2);
      // hn.site works at rapidSite, not rapidSite2
      for (const token of [tok.hnS, hnLab.token, tok.hcmS, tok.hcmC, tok.hcmP]) await fails(await sampleResult(token, s.id, { result: "negative" }), 404, "not_found");
      await fails(await sampleResult(tok.hnH, s.id, { result: "negative" }), 403, "forbidden");
      expect((await sampleRow(s.id)).result).toBeNull();
      await ok(await sampleResult(tok.hnC, s.id, { result: "negative" }));
      expect((await sampleRow(s.id)).result_by).toBe(await f.userId("hn.commune"));
      const hcm = await f.sample(hcmRapidSite);
      await fails(await sampleResult(tok.hnS, hcm.id, { result: "negative" }), 404, "not_found");
      await ok(await sampleResult(tok.hcmS, hcm.id, { result: "negative" }));
    });

    it("batch and file: lab staff, province and national officers only; another lab's or area's codes are rejected rows", async () => {
      const { pool } = await f.pool(pcrSite, { members: 1, labId: labHN.id });
      for (const token of [tok.hnS, tok.hnC, tok.hnH, citizen.token]) {
        await fails(await batch(token, [{ code: pool.code, result: "negative" }]), 403, "forbidden");
        await fails(await importCsv(token, `code,result\n${pool.code},negative\n`), 403, "forbidden");
      }
      const other = await fails(await batch(hnLab2.token, [{ code: pool.code, result: "negative" }]), 422, "import_rejected");
      expect(other.report.rejected).toEqual([{ line: 1, code: pool.code, reason: "not_your_lab" }]);
      for (const token of [hcmLab.token, tok.hcmP]) {
        const body = await fails(await batch(token, [{ code: pool.code, result: "negative" }]), 422, "import_rejected");
        expect(body.report.rejected).toEqual([{ line: 1, code: pool.code, reason: "unknown_code" }]);
      }
      expect((await poolRow(pool.id)).result).toBeNull();
    });
  });

  describe("batch and CSV", () => {
    it("records pools and samples by code, all at once; codes typed in any case with dashes", async () => {
      const { pool, members } = await f.pool(pcrSite, { members: 2, labId: labHN.id });
      const inv = await f.sample(pcrSite, { labId: labHN.id });
      const pos = await f.sample(pcrSite, { labId: labHN.id });
      const at = new Date(Date.now() - 30 * 60_000);
      const report = await ok(
        await batch(hnLab.token, [
          { code: typed(pool.code), result: "negative", resultAt: at.toISOString() },
          { code: ` ${inv.barcode.toLowerCase()} `, result: "không xác định", resultAt: vnText(at) },
          { code: pos.barcode, result: "POSITIVE" },
        ]),
      );
      expect(report).toEqual({ rows: 3, pools: 1, samples: 2, negative: 1, positive: 1, invalid: 1, casesOpened: 1, rejected: [], dryRun: false });
      expect(await poolRow(pool.id)).toMatchObject({ status: "resulted", result: "negative", result_by: hnLab.id });
      expect(iso((await poolRow(pool.id)).result_at)).toBe(at.toISOString());
      for (const m of members) expect((await sampleRow(m.id)).pool_open).toBe(false);
      expect(await sampleRow(inv.id)).toMatchObject({ result: "invalid", result_by: hnLab.id });
      expect(iso((await sampleRow(inv.id)).result_at)).toBe(new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString());
      const cases = await casesOf(pos.personId);
      expect(cases.map((c: any) => [c.source_sample_id, c.created_by])).toEqual([[pos.id, hnLab.id]]);
      expect(cases[0].traced).toBe(true);
      const audit = await q(sql`select actor_username, details from audit_log where action = 'test_results.batch' and details->>'sampleIds' like ${`%${pos.id}%`}`);
      expect(audit).toHaveLength(1);
      expect(audit[0].actor_username).toBe(hnLab.username);
      expect(audit[0].details).toMatchObject({ rows: 3, pools: 1, samples: 2, casesOpened: 1, poolIds: [pool.id], caseIds: [cases[0].id] });
      // the same batch again: nothing changes, no new case
      const again = await ok(await batch(hnLab.token, [{ code: pool.code, result: "negative" }, { code: pos.barcode, result: "positive" }]));
      expect(again).toMatchObject({ rows: 2, pools: 1, samples: 1, negative: 1, positive: 1, casesOpened: 0 });
      expect(await casesOf(pos.personId)).toHaveLength(1);
    });

    it("any rejected row: 422 import_rejected with every problem listed, nothing written", async () => {
      const good = await f.pool(pcrSite, { members: 1, labId: labHN.id });
      const s1 = await f.sample(pcrSite, { labId: labHN.id });
      const s2 = await f.sample(pcrSite, { labId: labHN.id });
      const s3 = await f.sample(pcrSite, { labId: labHN.id });
      const done = await f.sample(pcrSite, { labId: labHN.id, result: "negative", resultAt: new Date(Date.now() - HOUR) });
      const early = await f.sample(pcrSite, { labId: labHN.id, takenAt: new Date(Date.now() - 2 * HOUR) });
      const openPool = await f.pool(pcrSite, { members: 1 });
      const otherLab = await f.pool(pcrSite, { members: 1, labId: labHN2.id });
      const hcm = await f.pool(hcmSite, { members: 1, labId: labHCM.id });
      const items = [
        { code: good.pool.code, result: "negative" },
        { code: "SZZZZZZZZZZ", result: "negative" },
        { code: typed(good.pool.code), result: "negative" },
        { code: s1.barcode, result: "có thể" },
        { code: s2.barcode, result: "negative", resultAt: "31/02/2026 10:00" },
        { code: s3.barcode, result: "negative", resultAt: new Date(Date.now() + DAY).toISOString() },
        { code: early.barcode, result: "negative", resultAt: new Date(Date.now() - 3 * HOUR).toISOString() },
        { code: openPool.pool.code, result: "negative" },
        { code: otherLab.pool.code, result: "negative" },
        { code: hcm.pool.code, result: "negative" },
        { code: done.barcode, result: "positive" },
        { code: good.members[0]!.barcode, result: "negative" },
        { code: "", result: "negative" },
      ];
      const body = await fails(await batch(hnLab.token, items), 422, "import_rejected");
      expect(body.report).toEqual({
        rows: 13,
        pools: 1,
        samples: 0,
        negative: 1,
        positive: 0,
        invalid: 0,
        casesOpened: 0,
        dryRun: false,
        rejected: [
          { line: 2, code: "SZZZZZZZZZZ", reason: "unknown_code" },
          { line: 3, code: good.pool.code, reason: "duplicate_in_file" },
          { line: 4, code: s1.barcode, reason: "bad_result" },
          { line: 5, code: s2.barcode, reason: "bad_time" },
          { line: 6, code: s3.barcode, reason: "bad_time" },
          { line: 7, code: early.barcode, reason: "bad_time" },
          { line: 8, code: openPool.pool.code, reason: "not_your_lab" },
          { line: 9, code: otherLab.pool.code, reason: "not_your_lab" },
          { line: 10, code: hcm.pool.code, reason: "unknown_code" },
          { line: 11, code: done.barcode, reason: "result_conflict" },
          { line: 12, code: good.members[0]!.barcode, reason: "in_pool" },
          { line: 13, code: "", reason: "unknown_code" },
        ],
      });
      expect(body.error.details).toHaveLength(12);
      expect(body.error.details[0]).toEqual({ path: "line 2", message: expect.stringMatching(/^unknown_code: .* \/ .*SZZZZZZZZZZ/) });
      expect(body.error.message).toMatch(/12 .*\/ 12 row\(s\) rejected; nothing was written/);
      expect((await poolRow(good.pool.id)).result).toBeNull();
      expect((await sampleRow(good.members[0]!.id)).pool_open).toBe(true);
      expect((await sampleRow(done.id)).result).toBe("negative");
    });

    it("a province officer: an open pool is pool_not_sealed, another province's code unknown_code", async () => {
      const openPool = await f.pool(pcrSite, { members: 1 });
      const hcm = await f.pool(hcmSite, { members: 1, labId: labHCM.id });
      const good = await f.sample(pcrSite, { labId: labHN.id });
      const body = await fails(
        await batch(tok.hnP, [
          { code: good.barcode, result: "positive" },
          { code: openPool.pool.code, result: "negative" },
          { code: hcm.pool.code, result: "negative" },
        ]),
        422,
        "import_rejected",
      );
      expect(body.report.rejected).toEqual([
        { line: 2, code: openPool.pool.code, reason: "pool_not_sealed" },
        { line: 3, code: hcm.pool.code, reason: "unknown_code" },
      ]);
      expect((await sampleRow(good.id)).result).toBeNull();
      expect(await casesOf(good.personId)).toHaveLength(0);
    });

    it("a dry run reports what would happen (rejected rows too) and writes nothing", async () => {
      const { pool } = await f.pool(pcrSite, { members: 2, labId: labHN.id });
      const pos = await f.sample(pcrSite, { labId: labHN.id });
      const report = await ok(await batch(hnLab.token, [{ code: pool.code, result: "positive" }, { code: pos.barcode, result: "dương tính" }], true));
      expect(report).toEqual({ rows: 2, pools: 1, samples: 1, negative: 0, positive: 2, invalid: 0, casesOpened: 1, rejected: [], dryRun: true });
      expect((await poolRow(pool.id)).result).toBeNull();
      expect((await sampleRow(pos.id)).result).toBeNull();
      expect(await casesOf(pos.personId)).toHaveLength(0);
      const withBad = await ok(await batch(hnLab.token, [{ code: pos.barcode, result: "?" }], true));
      expect(withBad).toMatchObject({ rows: 1, samples: 0, rejected: [{ line: 1, code: pos.barcode, reason: "bad_result" }], dryRun: true });
    });

    it("two batches with the same positive at once open one case", async () => {
      const pos = await f.sample(pcrSite, { labId: labHN.id });
      const answers = await Promise.all([0, 1, 2].map(() => batch(hnLab.token, [{ code: pos.barcode, result: "positive" }])));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const reports = await Promise.all(answers.map(json));
      expect(reports.map((r) => r.casesOpened).sort()).toEqual([0, 0, 1]);
      expect(await casesOf(pos.personId)).toHaveLength(1);
    });

    it("imports Excel's Vietnamese file: BOM, semicolons, Vietnamese words, dd/mm/yyyy times", async () => {
      const { pool } = await f.pool(pcrSite, { members: 1, labId: labHN.id });
      const pos = await f.sample(pcrSite, { labId: labHN.id });
      const at = new Date(Math.floor((Date.now() - 2 * HOUR) / 60_000) * 60_000);
      const file = `\uFEFFMã;Kết quả;Thời gian\r\n${typed(pool.code)};âm tính;${vnText(at)}\r\n${pos.barcode};Dương tính;${vnText(at)}\r\n`;
      const report = await ok(await importCsv(hnLab.token, file));
      expect(report).toEqual({ rows: 2, pools: 1, samples: 1, negative: 1, positive: 1, invalid: 0, casesOpened: 1, rejected: [], dryRun: false });
      expect(iso((await poolRow(pool.id)).result_at)).toBe(at.toISOString());
      expect(iso((await sampleRow(pos.id)).result_at)).toBe(at.toISOString());
      expect((await casesOf(pos.personId)).map((c: any) => c.source_sample_id)).toEqual([pos.id]);
      expect(await q(sql`select actor_username from audit_log where action = 'test_results.import' and details->>'sampleIds' like ${`%${pos.id}%`}`)).toEqual([{ actor_username: hnLab.username }]);
    });

    it("a file's rejected rows are numbered by its lines; ?dryRun=true previews", async () => {
      const a = await f.sample(pcrSite, { labId: labHN.id });
      const b = await f.sample(pcrSite, { labId: labHN.id });
      const bad = await fails(await importCsv(hnLab.token, `code,result,result_at\n${a.barcode},negative,\n\n${b.barcode},nghi ngờ,\n`), 422, "import_rejected");
      expect(bad.report.rejected).toEqual([{ line: 4, code: b.barcode, reason: "bad_result" }]);
      expect(bad.error.details).toEqual([{ path: "line 4", message: expect.stringMatching(/^bad_result: /) }]);
      expect((await sampleRow(a.id)).result).toBeNull();
      const preview = await ok(await importCsv(hnLab.token, `code,result\n${a.barcode},negative\n${b.barcode},invalid\n`, "?dryRun=true"));
      expect(preview).toEqual({ rows: 2, pools: 0, samples: 2, negative: 1, positive: 0, invalid: 1, casesOpened: 0, rejected: [], dryRun: true });
      expect((await sampleRow(a.id)).result).toBeNull();
      expect((await sampleRow(b.id)).result).toBeNull();
    });

    it("a file must be text/csv with the code and result columns", async () => {
      await fails(await importCsv(hnLab.token, "code,result\nP1,negative\n", "", "application/json"), 415, "unsupported_media_type");
      const missing = await fails(await importCsv(hnLab.token, "ma_so,result\nP1,negative\n"), 400, "validation_failed");
      expect(missing.error.message).toMatch(/Thiếu cột: code.*Missing column\(s\): code/);
      await fails(await importCsv(hnLab.token, "code,result\n"), 400, "validation_failed");
      await fails(await batch(hnLab.token, []), 400, "validation_failed");
    });
  });

  describe("a citizen's own tests", () => {
    it("lists self (with records typed at a site) and family, newest first, with status and final result; audited", async () => {
      const [acct] = await q(sql`select person_id from users where id = ${citizen.id}`);
      let ownId = acct?.person_id as string | null;
      const phone = newPhone();
      if (!ownId) {
        const own = await f.person({ provinceCode: "01", communeCode: "00070", fullName: "Chủ Tài Khoản", phone, birthYear: 1985 });
        await t.deps.database.query(sql`update users set person_id = ${own.id} where id = ${citizen.id}`);
        ownId = own.id;
      }
      // the same human typed in at the testing site: same phone and birth year
      const typedIn = await f.person({ fullName: "Chu Tai Khoan", phone, birthYear: 1985 });
      const child = await f.person({ fullName: "Con Của Chủ", phone: null, birthYear: 2015 });
      await f.family(citizen.id, child.id);
      const stranger = await f.sample(rapidSite);

      const resulted = await f.pool(pcrSite, { personIds: [typedIn.id], labId: labHN.id, result: "negative", takenAt: new Date(Date.now() - 3 * DAY) });
      const inLab = await f.pool(pcrSite, { personIds: [ownId!], labId: labHN.id, takenAt: new Date(Date.now() - DAY) });
      const childRapid = await f.sample(rapidSite, { personId: child.id, result: "positive", resultAt: new Date(Date.now() - HOUR), takenAt: new Date(Date.now() - 2 * HOUR) });

      const body = await ok(await t.request("GET", "/api/me/tests", { token: citizen.token }));
      expect(body.items).toEqual([
        {
          sampleId: childRapid.id,
          personId: child.id,
          fullName: "Con Của Chủ",
          barcode: childRapid.barcode,
          testType: "rapid_antigen",
          takenAt: childRapid.takenAt.toISOString(),
          siteName: "Điểm test nhanh",
          status: "positive",
          result: "positive",
          resultAt: childRapid.resultAt!.toISOString(),
          pooled: false,
        },
        {
          sampleId: inLab.members[0]!.id,
          personId: ownId,
          fullName: "Chủ Tài Khoản",
          barcode: inLab.members[0]!.barcode,
          testType: "pcr",
          takenAt: inLab.members[0]!.takenAt.toISOString(),
          siteName: "Điểm lấy mẫu PCR",
          status: "in_lab",
          result: null,
          resultAt: null,
          pooled: true,
        },
        {
          sampleId: resulted.members[0]!.id,
          personId: ownId,
          fullName: "Chủ Tài Khoản",
          barcode: resulted.members[0]!.barcode,
          testType: "pcr",
          takenAt: resulted.members[0]!.takenAt.toISOString(),
          siteName: "Điểm lấy mẫu PCR",
          status: "negative",
          result: "negative",
          resultAt: resulted.pool.resultAt!.toISOString(),
          pooled: true,
        },
      ]);
      expect(body.items.map((i: any) => i.sampleId)).not.toContain(stranger.id);
      const audit = await auditRows("me.tests.read", ownId!);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_username: citizen.username, actor_role: "citizen" });
      expect(audit[0]!.details).toEqual({ people: 2, samples: 3 });
      await fails(await t.request("GET", "/api/me/tests", { token: tok.hnP }), 403, "forbidden");
      await fails(await t.request("GET", "/api/me/tests"), 401, "unauthorized");
    });
  });
});
