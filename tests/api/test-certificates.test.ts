/**
 * Test certificates (docs/TESTING.md "Test certificates"), on both engines: a person's final
 * COVID-19 result as a SMART Health Card with one FHIR Observation, built from the registry
 * (samples, pools, sites, labs inserted here directly: the samples and results APIs are other
 * capabilities'). Which result is final (derived status negative / positive / invalid: a negative
 * pool clears its members, a positive pool waits for the retest, a retested invalid sample is
 * no longer final), the latest one by default or the sample named, for self, the account's other
 * records and the family (a stranger's sample or person is 404); the card's claims and bundle
 * exactly; POST /api/certificates/verify answers `kind: "test"` with the test (and `kind:
 * "vaccination"`, `tests: []` for vaccination cards); officers print for people of their area only
 * (404 outside, 403 for other roles); the PDF; revocation covers test cards; audit rows.
 */
import { randomInt } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labs, people, testCampaigns, testPools, testSamples, testSites, vaccinationSites, vaccinations, vaccineLots } from "../../db/schema";
import { cardQr } from "../../server/certificates/issue";
import { jwsToNumeric, numericToJws } from "../../server/certificates/shc";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const newIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const json = async (res: Response) => (await res.json()) as any;
const claimsOf = (jws: string) => JSON.parse(inflateRawSync(Buffer.from(jws.split(".")[1]!, "base64url")).toString("utf8"));
const code = (prefix: string, n: number) => `${prefix}${Array.from({ length: n }, () => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[randomInt(0, 32)]).join("")}`;
const at = (iso: string) => new Date(iso);

const LAB = "Phòng xét nghiệm thử CDC Hà Nội";
const SITE = "Điểm lấy mẫu thử Nhà văn hóa Hoàn Kiếm";
const RAPID_SITE = "Điểm test nhanh thử Trạm Y tế Hoàn Kiếm";
const HCM_LAB = "Phòng xét nghiệm thử HCDC";
const TEST_TYPES = ["https://smarthealth.cards#health-card", "https://smarthealth.cards#laboratory", "https://smarthealth.cards#covid19"];

/** Citizen sign-in by one-time code, profile in Hoàn Kiếm (01/00070). */
async function citizen(t: TestPlatform, fullName: string, birthDate = "1990-05-06") {
  const phone = newPhone();
  const ip = newIp();
  expect((await t.request("POST", "/api/citizen/otp", { body: { phone }, headers: { "x-forwarded-for": ip } })).status).toBe(202);
  const otp = t.deps.sms.lastCode(phone)!;
  const session = await json(await t.request("POST", "/api/citizen/verify", { body: { phone, code: otp }, headers: { "x-forwarded-for": ip } }));
  const token = session.accessToken as string;
  const profile = await json(await t.request("PUT", "/api/me/profile", { token, body: { fullName, birthDate, sex: "female", communeCode: "00070" } }));
  return { token, phone, personId: profile.personId as string };
}

/** The registry's testing tables, filled directly. */
function registry(t: TestPlatform) {
  const db = t.deps.db;
  return {
    async campaign(provinceCode: string, communeCode: string, testType: "pcr" | "rapid_antigen", name: string) {
      const [c] = await db
        .insert(testCampaigns)
        .values({ provinceCode, communeCode, name, testType, startsOn: "2026-05-01", endsOn: "2026-05-31", poolSize: testType === "pcr" ? 5 : 1 })
        .returning();
      return c!;
    },
    async site(campaign: { id: string; provinceCode: string; communeCode: string | null }, name: string) {
      const [s] = await db.insert(testSites).values({ provinceCode: campaign.provinceCode, communeCode: campaign.communeCode!, campaignId: campaign.id, name, address: "1 Phố Huế" }).returning();
      return s!;
    },
    async lab(provinceCode: string, name: string) {
      const [l] = await db.insert(labs).values({ provinceCode, name, address: "70 Nguyễn Chí Thanh" }).returning();
      return l!;
    },
    async pool(site: { id: string; campaignId: string; provinceCode: string; communeCode: string }, lab: { id: string } | null, state: { result?: "negative" | "positive" | "invalid"; resultAt?: string; open?: boolean }) {
      const status = state.open ? "open" : state.result ? "resulted" : "sealed";
      const [p] = await db
        .insert(testPools)
        .values({
          provinceCode: site.provinceCode,
          communeCode: site.communeCode,
          campaignId: site.campaignId,
          siteId: site.id,
          code: code("P", 8),
          maxSize: 5,
          status,
          labId: state.open ? null : (lab?.id ?? null),
          sealedAt: state.open ? null : at("2026-05-10T05:00:00Z"),
          result: state.result ?? null,
          resultAt: state.resultAt ? at(state.resultAt) : null,
        })
        .returning();
      return p!;
    },
    async sample(
      site: { id: string; campaignId: string; provinceCode: string; communeCode: string },
      personId: string,
      s: { takenAt: string; testType?: "pcr" | "rapid_antigen"; pool?: { id: string; status: string }; labId?: string; result?: "negative" | "positive" | "invalid"; resultAt?: string; retestOf?: string },
    ) {
      const [row] = await db
        .insert(testSamples)
        .values({
          provinceCode: site.provinceCode,
          communeCode: site.communeCode,
          campaignId: site.campaignId,
          siteId: site.id,
          personId,
          barcode: code("S", 10),
          testType: s.testType ?? "pcr",
          takenAt: at(s.takenAt),
          team: "Tổ 1",
          poolId: s.pool?.id ?? null,
          poolOpen: s.pool?.status === "open",
          labId: s.labId ?? null,
          result: s.result ?? null,
          resultAt: s.resultAt ? at(s.resultAt) : null,
          retestOf: s.retestOf ?? null,
        })
        .returning();
      return row!;
    },
  };
}

describe.each(engines())("test certificates on %s", (engine) => {
  let t: TestPlatform;
  let hoa: Awaited<ReturnType<typeof citizen>>;
  let childId: string;
  let grandmaId: string;
  let babyId: string;
  /** Demo people: one of Hoàn Kiếm (01/00070), one of another Hà Nội commune, one of HCM (79). */
  let hkPerson: string;
  let otherCommunePerson: string;
  let hcmPerson: string;
  const s: Record<string, { id: string; barcode: string }> = {};

  const auditRows = (action: string, subjectId: string) =>
    t.deps.database.query<{ actor_username: string; province_code: string; details: any }>(
      sql`select actor_username, province_code, details from audit_log where action = ${action} and subject_id = ${subjectId} order by id`,
    );
  const verify = async (qr: string) => json(await t.request("POST", "/api/certificates/verify", { body: { qr }, headers: { "x-forwarded-for": newIp() } }));
  const bundleOf = (jws: string) => claimsOf(jws).vc.credentialSubject.fhirBundle;

  beforeAll(async () => {
    t = await createTestPlatform(engine, { TRUST_PROXY: "true" });
    hoa = await citizen(t, "Nguyễn Thị Hoa");
    const family = async (relation: string, fullName: string, birthYear: number) =>
      (await json(await t.request("POST", "/api/me/family", { token: hoa.token, body: { relation, fullName, birthYear } }))).personId as string;
    childId = await family("child", "Nguyễn Bé Na", 2010);
    grandmaId = await family("parent", "Lê Thị Bà", 1950);
    babyId = await family("child", "Nguyễn Bé Út", 2024);

    const found = await t.deps.database.query<{ id: string; province_code: string; commune_code: string }>(
      sql`select id, province_code, commune_code from people where full_name <> '' order by id`,
    );
    const mine = new Set([hoa.personId, childId, grandmaId, babyId]);
    hkPerson = found.find((p) => p.province_code === "01" && p.commune_code === "00070" && !mine.has(p.id))!.id;
    otherCommunePerson = found.find((p) => p.province_code === "01" && p.commune_code !== "00070" && p.commune_code !== null)!.id;
    hcmPerson = found.find((p) => p.province_code === "79")!.id;

    const r = registry(t);
    const pcr = await r.campaign("01", "00070", "pcr", "Xét nghiệm diện rộng thử");
    const rapid = await r.campaign("01", "00070", "rapid_antigen", "Test nhanh thử");
    const hcmCampaign = await r.campaign("79", "26734", "pcr", "Xét nghiệm thử TP.HCM");
    const site = await r.site(pcr, SITE);
    const rapidSite = await r.site(rapid, RAPID_SITE);
    const hcmSite = await r.site(hcmCampaign, "Điểm lấy mẫu thử Bến Thành");
    const lab = await r.lab("01", LAB);
    const hcmLab = await r.lab("79", HCM_LAB);

    // Hoa: a negative pool (final), then a newer sample in an open pool (not final yet).
    const negative = await r.pool(site, lab, { result: "negative", resultAt: "2026-05-11T01:00:00Z" });
    s.hoaNegative = await r.sample(site, hoa.personId, { takenAt: "2026-05-10T02:30:00Z", pool: negative });
    const open = await r.pool(site, lab, { open: true });
    s.hoaPending = await r.sample(site, hoa.personId, { takenAt: "2026-05-12T02:00:00Z", pool: open });
    // The child: a rapid test read positive at the site (no lab).
    s.childRapid = await r.sample(rapidSite, childId, { takenAt: "2026-05-12T03:00:00Z", testType: "rapid_antigen", result: "positive", resultAt: "2026-05-12T03:15:00Z" });
    // Grandma: a positive pool, then her individual retest at the lab, negative.
    const positive = await r.pool(site, lab, { result: "positive", resultAt: "2026-05-10T12:00:00Z" });
    s.grandmaPooled = await r.sample(site, grandmaId, { takenAt: "2026-05-09T02:00:00Z", pool: positive });
    s.grandmaRetest = await r.sample(site, grandmaId, { takenAt: "2026-05-10T08:00:00Z", labId: lab.id, result: "negative", resultAt: "2026-05-11T09:00:00Z", retestOf: s.grandmaPooled.id });
    // The baby: in the positive pool, no retest yet (retest_needed: no final result).
    s.babyPooled = await r.sample(site, babyId, { takenAt: "2026-05-09T02:05:00Z", pool: positive });
    // Demo people for the officers: an invalid individual PCR in Hoàn Kiếm; negatives elsewhere.
    s.hkInvalid = await r.sample(site, hkPerson, { takenAt: "2026-05-11T01:30:00Z", labId: lab.id, result: "invalid", resultAt: "2026-05-11T10:00:00Z" });
    s.otherNegative = await r.sample(site, otherCommunePerson, { takenAt: "2026-05-11T01:40:00Z", labId: lab.id, result: "negative", resultAt: "2026-05-11T10:05:00Z" });
    s.hcmNegative = await r.sample(hcmSite, hcmPerson, { takenAt: "2026-05-11T02:00:00Z", labId: hcmLab.id, result: "negative", resultAt: "2026-05-11T11:00:00Z" });
  });
  afterAll(() => t?.close());

  it("the citizen's latest final result as a SMART Health Card: the Observation exactly, verified as a test card", async () => {
    const res = await t.request("GET", "/api/me/certificates/test", { token: hoa.token });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const card = await json(res);
    // the pending sample (newer) is not final: the negative pool's member is the latest final result
    expect(card.test).toEqual({
      sampleId: s.hoaNegative!.id,
      testType: "pcr",
      takenAt: "2026-05-10T02:30:00.000Z",
      result: "negative",
      resultAt: "2026-05-11T01:00:00.000Z",
      performer: LAB,
    });
    expect(card.qr).toBe(jwsToNumeric(card.jws));
    expect(numericToJws(card.qr)).toBe(card.jws);

    const claims = claimsOf(card.jws);
    expect(JSON.parse(Buffer.from(card.jws.split(".")[0], "base64url").toString())).toEqual({ zip: "DEF", alg: "ES256", kid: t.deps.keys.signing("shc").kid });
    expect(claims.iss).toBe("http://platform.test");
    expect(claims.nbf).toBe(Math.floor(Date.parse(card.issuedAt) / 1000));
    expect(claims.vc.type).toEqual(TEST_TYPES);
    expect(claims.vc.rid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(claims.vc.credentialSubject.fhirVersion).toBe("4.0.1");
    expect(bundleOf(card.jws)).toEqual({
      resourceType: "Bundle",
      type: "collection",
      entry: [
        { fullUrl: "resource:0", resource: { resourceType: "Patient", name: [{ text: "Nguyễn Thị Hoa", family: "Nguyễn", given: ["Thị Hoa"] }], birthDate: "1990-05-06" } },
        {
          fullUrl: "resource:1",
          resource: {
            resourceType: "Observation",
            status: "final",
            code: { coding: [{ system: "http://loinc.org", code: "94309-2" }] },
            subject: { reference: "resource:0" },
            effectiveDateTime: "2026-05-10T09:30:00+07:00",
            performer: [{ display: LAB }],
            valueCodeableConcept: { coding: [{ system: "http://snomed.info/sct", code: "260385009" }] },
          },
        },
      ],
    });
    // no phone, person id, barcode or sample id leaves in the card
    for (const secret of [hoa.phone, hoa.personId, s.hoaNegative!.barcode, s.hoaNegative!.id]) expect(JSON.stringify(claims)).not.toContain(secret);
    // one QR, well below the spec's version 22 (a one-dose vaccination card is version 18)
    expect(cardQr(card.jws).version).toBeLessThanOrEqual(19);

    const verdict = await verify(card.qr);
    expect(verdict).toEqual({
      valid: true,
      kind: "test",
      issuer: "http://platform.test",
      name: "Nguyễn Thị Hoa",
      birthDate: "1990-05-06",
      doses: [],
      tests: [
        {
          date: "2026-05-10",
          takenAt: "2026-05-10T09:30:00+07:00",
          testType: "pcr",
          code: "94309-2",
          system: "http://loinc.org",
          result: "negative",
          resultCode: "260385009",
          performer: LAB,
        },
      ],
    });
    const rows = await auditRows("certificate.issue", hoa.personId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_username: hoa.phone, province_code: "01", details: { format: "json", kind: "test", sampleId: s.hoaNegative!.id } });
  });

  it("family: a rapid positive read at the site, a retest's negative; no final result is 404 no_tests", async () => {
    const child = await json(await t.request("GET", `/api/me/certificates/test?personId=${childId}`, { token: hoa.token }));
    expect(child.test).toEqual({ sampleId: s.childRapid!.id, testType: "rapid_antigen", takenAt: "2026-05-12T03:00:00.000Z", result: "positive", resultAt: "2026-05-12T03:15:00.000Z", performer: RAPID_SITE });
    const obs = bundleOf(child.jws).entry[1].resource;
    expect(obs.code.coding[0].code).toBe("94558-4");
    expect(obs.valueCodeableConcept.coding[0].code).toBe("10828004");
    expect(obs.effectiveDateTime).toBe("2026-05-12T10:00:00+07:00");
    expect(bundleOf(child.jws).entry[0].resource).toEqual({ resourceType: "Patient", name: [{ text: "Nguyễn Bé Na", family: "Nguyễn", given: ["Bé Na"] }], birthDate: "2010" });
    expect((await verify(child.qr)).tests).toMatchObject([{ testType: "rapid_antigen", result: "positive", performer: RAPID_SITE, takenAt: "2026-05-12T10:00:00+07:00" }]);

    // the positive pool sent grandma to a retest: the retest's negative is her result
    const grandma = await json(await t.request("GET", `/api/me/certificates/test?personId=${grandmaId}`, { token: hoa.token }));
    expect(grandma.test).toMatchObject({ sampleId: s.grandmaRetest!.id, result: "negative", performer: LAB, resultAt: "2026-05-11T09:00:00.000Z" });
    // her pooled sample (retested) and the baby's (retest needed) are not final
    for (const [personId, sampleId] of [
      [grandmaId, s.grandmaPooled!.id],
      [babyId, s.babyPooled!.id],
    ]) {
      const r = await t.request("GET", `/api/me/certificates/test?sampleId=${sampleId}`, { token: hoa.token });
      expect(r.status).toBe(404);
      const err = await json(r);
      expect(err.error.code).toBe("no_tests");
      expect(err.error.message).toBe("Mẫu xét nghiệm này chưa có kết quả cuối cùng / This sample has no final result yet");
      expect((await json(await t.request("GET", `/api/me/certificates/test?personId=${personId}&sampleId=${sampleId}`, { token: hoa.token }))).error.code).toBe("no_tests");
    }
    const baby = await t.request("GET", `/api/me/certificates/test.pdf?personId=${babyId}`, { token: hoa.token });
    expect(baby.status).toBe(404);
    expect((await json(baby)).error).toMatchObject({ code: "no_tests", message: "Chưa có kết quả xét nghiệm nào cho người này / No test result is recorded for this person" });
    expect(await auditRows("certificate.issue", babyId)).toEqual([]);
    expect((await auditRows("certificate.issue", childId)).map((r) => r.details)).toEqual([{ format: "json", kind: "test", sampleId: s.childRapid!.id }]);
  });

  it("a sample named: the family's by sampleId alone; the account's other record; strangers' samples and people are 404", async () => {
    // a family member's sample, named without personId: the card is the family member's
    const bySample = await json(await t.request("GET", `/api/me/certificates/test?sampleId=${s.grandmaRetest!.id}`, { token: hoa.token }));
    expect(bundleOf(bySample.jws).entry[0].resource.name[0].text).toBe("Lê Thị Bà");
    expect(claimsOf(bySample.jws).vc.rid).toBe(claimsOf((await json(await t.request("GET", `/api/me/certificates/test?personId=${grandmaId}`, { token: hoa.token }))).jws).vc.rid);
    // the account's own earlier sample, named
    expect((await json(await t.request("GET", `/api/me/certificates/test?sampleId=${s.hoaNegative!.id}`, { token: hoa.token }))).test.sampleId).toBe(s.hoaNegative!.id);
    // with personId, only that person's samples
    const other = await t.request("GET", `/api/me/certificates/test?personId=${hoa.personId}&sampleId=${s.childRapid!.id}`, { token: hoa.token });
    expect(other.status).toBe(404);
    expect((await json(other)).error.code).toBe("not_found");

    // a record typed in at a site with the account's phone and birth year counts as the account's own
    const [walkIn] = await t.deps.db
      .insert(people)
      .values({ provinceCode: "01", communeCode: "00070", fullName: "Nguyen Thi Hoa", phone: hoa.phone, birthYear: 1990 })
      .returning();
    const [site] = await t.deps.db.select().from(testSites).where(eq(testSites.name, SITE));
    const [lab] = await t.deps.db.select().from(labs).where(eq(labs.name, LAB));
    const walkInSample = await registry(t).sample(site!, walkIn!.id, { takenAt: "2026-05-11T00:00:00Z", labId: lab!.id, result: "positive", resultAt: "2026-05-11T06:00:00Z" });
    const latest = await json(await t.request("GET", "/api/me/certificates/test", { token: hoa.token }));
    expect(latest.test).toMatchObject({ sampleId: walkInSample.id, result: "positive" });
    // the card is still the account's (its name and rid)
    expect(bundleOf(latest.jws).entry[0].resource.name[0].text).toBe("Nguyễn Thị Hoa");
    await t.deps.db.delete(testSamples).where(eq(testSamples.id, walkInSample.id));

    const stranger = await citizen(t, "Phạm Văn Lạ");
    for (const path of ["/api/me/certificates/test", "/api/me/certificates/test.pdf"]) {
      for (const q of [`sampleId=${s.hoaNegative!.id}`, `sampleId=${s.childRapid!.id}`, `sampleId=${s.hkInvalid!.id}`, `personId=${childId}`, `personId=${hkPerson}`]) {
        const r = await t.request("GET", `${path}?${q}`, { token: stranger.token });
        expect(r.status, `${path}?${q}`).toBe(404);
        expect((await json(r)).error.code).toBe("not_found");
      }
    }
    expect((await json(await t.request("GET", "/api/me/certificates/test", { token: stranger.token }))).error.code).toBe("no_tests");
    expect(await auditRows("certificate.issue", stranger.personId)).toEqual([]);
    expect((await t.request("GET", "/api/me/certificates/test?sampleId=nope", { token: hoa.token })).status).toBe(400);
    expect((await t.request("GET", "/api/me/certificates/test")).status).toBe(401);
    expect((await t.request("GET", "/api/me/certificates/test", { token: await t.login("hn.province") })).status).toBe(403);
  });

  it("the printable PDF", async () => {
    const res = await t.request("GET", `/api/me/certificates/test.pdf?personId=${childId}`, { token: hoa.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="giay-xac-nhan-xet-nghiem-Nguyen-Be-Na\.pdf"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(bytes.subarray(-6).toString("latin1")).toContain("%%EOF");
    expect((await auditRows("certificate.issue", childId)).at(-1)!.details).toEqual({ format: "pdf", kind: "test", sampleId: s.childRapid!.id });
  });

  it("officers print for people of their area only (404 outside, 403 for other roles); audited", async () => {
    const province = await t.login("hn.province");
    const commune = await t.login("hn.commune");
    const health = await t.login("hn.health");
    const hcm = await t.login("hcm.province");
    const admin = await t.login("admin");
    const site = await t.login("hn.site");

    for (const suffix of ["", ".pdf"]) {
      const path = (id: string) => `/api/people/${id}/certificates/test${suffix}`;
      for (const [token, id] of [
        [province, hkPerson],
        [province, otherCommunePerson],
        [commune, hkPerson],
        [health, otherCommunePerson],
        [hcm, hcmPerson],
        [admin, hcmPerson],
      ] as const) {
        const r = await t.request("GET", path(id), { token });
        expect(r.status, `${suffix} ${id}: ${r.status === 200 ? "" : await r.clone().text()}`).toBe(200);
      }
      for (const [token, id] of [
        [province, hcmPerson],
        [commune, otherCommunePerson],
        [commune, hcmPerson],
        [health, hcmPerson],
        [hcm, hkPerson],
        [hcm, hoa.personId],
      ] as const) {
        const r = await t.request("GET", path(id), { token });
        expect(r.status, `${suffix} ${id}`).toBe(404);
        expect((await json(r)).error.code).toBe("not_found");
      }
      for (const token of [site, hoa.token]) expect((await t.request("GET", path(hkPerson), { token })).status).toBe(403);
      expect((await t.request("GET", path(hkPerson))).status).toBe(401);
      // in the area, but no final result; a sample of someone else named
      expect((await json(await t.request("GET", path(babyId), { token: province }))).error.code).toBe("no_tests");
      expect((await json(await t.request("GET", `${path(hkPerson)}?sampleId=${s.otherNegative!.id}`, { token: province }))).error.code).toBe("not_found");
    }

    // the invalid result: SNOMED 455371000124106, read back as invalid
    const card = await json(await t.request("GET", `/api/people/${hkPerson}/certificates/test?sampleId=${s.hkInvalid!.id}`, { token: commune }));
    expect(card.test).toMatchObject({ sampleId: s.hkInvalid!.id, result: "invalid", performer: LAB });
    expect(bundleOf(card.jws).entry[1].resource.valueCodeableConcept.coding).toEqual([{ system: "http://snomed.info/sct", code: "455371000124106" }]);
    expect(await verify(card.qr)).toMatchObject({ valid: true, kind: "test", tests: [{ result: "invalid", resultCode: "455371000124106", testType: "pcr" }] });
    const hcmCard = await json(await t.request("GET", `/api/people/${hcmPerson}/certificates/test`, { token: hcm }));
    expect(hcmCard.test).toMatchObject({ result: "negative", performer: HCM_LAB });

    expect((await auditRows("certificate.print", hkPerson)).map((r) => [r.actor_username, r.details.format, r.details.kind])).toEqual([
      ["hn.province", "json", "test"],
      ["hn.commune", "json", "test"],
      ["hn.province", "pdf", "test"],
      ["hn.commune", "pdf", "test"],
      ["hn.commune", "json", "test"],
    ]);
    // the refusals left no row for the other province's person
    expect((await auditRows("certificate.print", hcmPerson)).map((r) => r.actor_username)).toEqual(["hcm.province", "admin", "hcm.province", "admin", "hcm.province"]);
  });

  it("vaccination cards still verify as before (kind vaccination, no tests); a test card is about the size of a usual (three-dose) card", async () => {
    const [vsite] = await t.deps.db.select().from(vaccinationSites).where(eq(vaccinationSites.name, "Trạm Y tế phường Hoàn Kiếm"));
    for (const [doseNumber, lotNumber, givenOn] of [
      [1, "AZ-2026-001", "2026-01-05"],
      [2, "PF-2026-001", "2026-02-10"],
      [3, "PF-2026-001", "2026-06-01"],
    ] as const) {
      const [lot] = await t.deps.db.select().from(vaccineLots).where(eq(vaccineLots.lotNumber, lotNumber));
      await t.deps.db.insert(vaccinations).values({ provinceCode: "01", communeCode: "00070", personId: childId, productCode: lot!.productCode, lotId: lot!.id, doseNumber, givenOn, siteId: vsite!.id });
    }
    const vax = await json(await t.request("GET", `/api/me/certificates/vaccination?personId=${childId}`, { token: hoa.token }));
    expect(claimsOf(vax.jws).vc.type).toEqual(["https://smarthealth.cards#health-card"]);
    const verdict = await verify(vax.qr);
    expect(verdict).toMatchObject({ valid: true, kind: "vaccination", name: "Nguyễn Bé Na", tests: [] });
    expect(verdict.doses.map((d: any) => [d.date, d.cvx])).toEqual([
      ["2026-01-05", "210"],
      ["2026-02-10", "208"],
      ["2026-06-01", "208"],
    ]);
    // the two cards of one person share the rid (one revocation covers both)
    const test = await json(await t.request("GET", `/api/me/certificates/test?personId=${childId}`, { token: hoa.token }));
    expect(claimsOf(test.jws).vc.rid).toBe(claimsOf(vax.jws).vc.rid);
    // One Observation (three vc.type URLs, LOINC and SNOMED systems, the time to the second) weighs
    // about as much as three doses: here 1,720 digits against 1,695 (QR version 19 against 18).
    expect(test.qr.length).toBeLessThan(vax.qr.length * 1.05);
    expect(cardQr(test.jws).version).toBeLessThanOrEqual(cardQr(vax.jws).version + 1);
    // malformed and tampered test cards are refused as any card
    const digits = test.qr.slice(5);
    const i = 2 * (test.jws.indexOf(".") + 30);
    const tampered = `shc:/${digits.slice(0, i)}${digits[i] === "0" ? "1" : "0"}${digits.slice(i + 1)}`;
    expect(await verify(tampered)).toMatchObject({ valid: false, kind: "vaccination", name: null, tests: [], doses: [] });
  });

  it("revoking a person's cards revokes the test card; a card issued afterwards verifies", async () => {
    const old = await json(await t.request("GET", `/api/me/certificates/test?personId=${grandmaId}`, { token: hoa.token }));
    expect((await verify(old.qr)).valid).toBe(true);
    const res = await t.request("POST", "/api/certificates/revocations", { token: await t.login("hn.province"), body: { personId: grandmaId, reason: "Kết quả cấp nhầm" } });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await verify(old.qr)).toMatchObject({ valid: false, reason: "revoked", kind: "test", name: "Lê Thị Bà" });
    const fresh = await json(await t.request("GET", `/api/me/certificates/test?personId=${grandmaId}`, { token: hoa.token }));
    expect(claimsOf(fresh.jws).nbf).toBeGreaterThanOrEqual(Number((await json(res)).entry.split(".")[1]));
    expect(await verify(fresh.qr)).toMatchObject({ valid: true, kind: "test", name: "Lê Thị Bà" });
  });

  it("issuing writes nothing to the registry", async () => {
    const [row] = await t.deps.db.select().from(testSamples).where(and(eq(testSamples.id, s.hoaNegative!.id), eq(testSamples.provinceCode, "01")));
    expect(row).toMatchObject({ result: null, resultAt: null, personId: hoa.personId });
  });
});
