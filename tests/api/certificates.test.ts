/**
 * Vaccination certificates as SMART Health Cards (docs/VACCINATION.md "Certificates"), on both
 * engines: the citizen's card as JSON, .smart-health-card file and PDF, for self and family (a
 * stranger's person is 404, no dose is 404 no_doses); officers print for people of their area
 * only; revocation (who may, 404 outside the area) then verify → revoked, re-issue → valid; the
 * JWKS's crlVersion and the CRL document; the public verify route (reasons, rate limit); audit rows.
 * Then, on PGlite with a real server on 127.0.0.1, an independent SHC implementation (the
 * `shc-protocol` package: its own numeric decoding, pako inflate, node-jose verification against
 * the keys it fetches from the card's `iss`) verifies our card.
 */
import { randomInt } from "node:crypto";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import { serve } from "@hono/node-server";
import { and, eq, sql } from "drizzle-orm";
import { CompactSign, generateKeyPair } from "jose";
import decodeShc from "shc-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, vaccinationSites, vaccinations, vaccineLots } from "../../db/schema";
import { jwsToNumeric, numericToJws } from "../../server/certificates/shc";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const newIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const json = async (res: Response) => (await res.json()) as any;
const claimsOf = (jws: string) => JSON.parse(inflateRawSync(Buffer.from(jws.split(".")[1]!, "base64url")).toString("utf8"));
const headerOf = (jws: string) => JSON.parse(Buffer.from(jws.split(".")[0]!, "base64url").toString("utf8"));

/** Citizen sign-in by one-time code, profile in Hoàn Kiếm (01/00070). */
async function citizen(t: TestPlatform, fullName: string, birthDate = "1990-05-06") {
  const phone = newPhone();
  const ip = newIp();
  expect((await t.request("POST", "/api/citizen/otp", { body: { phone }, headers: { "x-forwarded-for": ip } })).status).toBe(202);
  const code = t.deps.sms.lastCode(phone)!;
  const session = await json(await t.request("POST", "/api/citizen/verify", { body: { phone, code }, headers: { "x-forwarded-for": ip } }));
  const token = session.accessToken as string;
  const profile = await json(await t.request("PUT", "/api/me/profile", { token, body: { fullName, birthDate, sex: "female", communeCode: "00070" } }));
  return { token, phone, personId: profile.personId as string };
}

/** Records doses straight into the registry (the doses API is another capability's). */
async function giveDoses(t: TestPlatform, personId: string, doses: { lot: string; on: string }[], siteName = "Trạm Y tế phường Hoàn Kiếm") {
  const [site] = await t.deps.db.select().from(vaccinationSites).where(eq(vaccinationSites.name, siteName));
  for (const [i, d] of doses.entries()) {
    const [lot] = await t.deps.db.select().from(vaccineLots).where(eq(vaccineLots.lotNumber, d.lot));
    await t.deps.db.insert(vaccinations).values({
      provinceCode: site!.provinceCode,
      communeCode: site!.communeCode,
      personId,
      productCode: lot!.productCode,
      lotId: lot!.id,
      doseNumber: i + 1,
      givenOn: d.on,
      siteId: site!.id,
      vaccinator: "BS. Lê Văn Tâm",
    });
  }
}

describe.each(engines())("certificates on %s", (engine) => {
  let t: TestPlatform;
  let hoa: Awaited<ReturnType<typeof citizen>>;
  let childId: string;
  let babyId: string;
  /** Demo people with doses: one of Hoàn Kiếm (01/00070), one of another Hà Nội commune, one of HCM (79). */
  let hkPerson: string;
  let otherCommunePerson: string;
  let hcmPerson: string;

  const auditCount = async (action: string, subjectId: string) =>
    Number((await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action} and subject_id = ${subjectId}`))[0]!.n);
  const auditRows = (action: string, subjectId: string) =>
    t.deps.database.query<{ actor_username: string; province_code: string; details: any }>(
      sql`select actor_username, province_code, details from audit_log where action = ${action} and subject_id = ${subjectId} order by id`,
    );
  const verify = (qr: string, ip = newIp()) => t.request("POST", "/api/certificates/verify", { body: { qr }, headers: { "x-forwarded-for": ip } });

  beforeAll(async () => {
    t = await createTestPlatform(engine, { TRUST_PROXY: "true" });
    hoa = await citizen(t, "Nguyễn Thị Hoa");
    await giveDoses(t, hoa.personId, [
      { lot: "AZ-2026-001", on: "2026-01-05" },
      { lot: "PF-2026-001", on: "2026-02-10" },
      { lot: "PF-2026-001", on: "2026-06-01" },
    ]);
    const child = await json(await t.request("POST", "/api/me/family", { token: hoa.token, body: { relation: "child", fullName: "Nguyễn Bé Na", birthYear: 2010 } }));
    childId = child.personId;
    await giveDoses(t, childId, [{ lot: "PF-2026-001", on: "2026-03-01" }]);
    babyId = (await json(await t.request("POST", "/api/me/family", { token: hoa.token, body: { relation: "child", fullName: "Nguyễn Bé Út", birthYear: 2025 } }))).personId;

    const vaccinated = await t.deps.database.query<{ id: string; province_code: string; commune_code: string }>(
      sql`select distinct p.id, p.province_code, p.commune_code from people p join vaccinations v on v.person_id = p.id where p.full_name <> ''`,
    );
    hkPerson = vaccinated.find((p) => p.province_code === "01" && p.commune_code === "00070" && p.id !== hoa.personId && p.id !== childId)!.id;
    otherCommunePerson = vaccinated.find((p) => p.province_code === "01" && p.commune_code !== "00070")!.id;
    hcmPerson = vaccinated.find((p) => p.province_code === "79")!.id;
  });
  afterAll(() => t?.close());

  it("a citizen downloads their card as JSON: a SMART Health Card of their doses, verified by the API", async () => {
    const res = await t.request("GET", "/api/me/certificates/vaccination", { token: hoa.token });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const card = await json(res);
    expect(card.qr).toBe(jwsToNumeric(card.jws));
    expect(numericToJws(card.qr)).toBe(card.jws);
    expect(card.doses.map((d: any) => [d.doseNumber, d.productCode, d.lotNumber, d.givenOn, d.siteName])).toEqual([
      [1, "AZ", "AZ-2026-001", "2026-01-05", "Trạm Y tế phường Hoàn Kiếm"],
      [2, "PF", "PF-2026-001", "2026-02-10", "Trạm Y tế phường Hoàn Kiếm"],
      [3, "PF", "PF-2026-001", "2026-06-01", "Trạm Y tế phường Hoàn Kiếm"],
    ]);
    expect(card.doses[0]).toMatchObject({ personId: hoa.personId, productName: expect.stringContaining("Vaxzevria"), source: "recorded" });
    expect(card.doses[0].cvx).toBeUndefined();

    const shcKey = t.deps.keys.signing("shc");
    expect(headerOf(card.jws)).toEqual({ zip: "DEF", alg: "ES256", kid: shcKey.kid });
    const claims = claimsOf(card.jws);
    expect(claims.iss).toBe("http://platform.test");
    expect(claims.nbf).toBe(Math.floor(Date.parse(card.issuedAt) / 1000));
    expect(Math.abs(claims.nbf - Date.now() / 1000)).toBeLessThan(60);
    expect(claims.vc.type).toEqual(["https://smarthealth.cards#health-card"]);
    expect(claims.vc.rid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    const entries = claims.vc.credentialSubject.fhirBundle.entry;
    expect(entries[0]).toEqual({
      fullUrl: "resource:0",
      resource: { resourceType: "Patient", name: [{ text: "Nguyễn Thị Hoa", family: "Nguyễn", given: ["Thị Hoa"] }], birthDate: "1990-05-06" },
    });
    expect(entries.slice(1).map((e: any) => [e.fullUrl, e.resource.vaccineCode.coding[0].code, e.resource.lotNumber, e.resource.occurrenceDateTime])).toEqual([
      ["resource:1", "210", "AZ-2026-001", "2026-01-05"],
      ["resource:2", "208", "PF-2026-001", "2026-02-10"],
      ["resource:3", "208", "PF-2026-001", "2026-06-01"],
    ]);
    expect(entries[1].resource.performer).toEqual([{ actor: { display: "Trạm Y tế phường Hoàn Kiếm" } }]);
    // no phone, ID number, person id or vaccinator leaves in the card
    const text = JSON.stringify(claims);
    for (const secret of [hoa.phone, hoa.personId, "Lê Văn Tâm"]) expect(text).not.toContain(secret);

    const verdict = await json(await verify(card.qr));
    expect(verdict).toMatchObject({ valid: true, issuer: "http://platform.test", name: "Nguyễn Thị Hoa", birthDate: "1990-05-06" });
    expect(verdict.reason).toBeUndefined();
    expect(verdict.doses.map((d: any) => [d.date, d.cvx, d.lot])).toEqual([
      ["2026-01-05", "210", "AZ-2026-001"],
      ["2026-02-10", "208", "PF-2026-001"],
      ["2026-06-01", "208", "PF-2026-001"],
    ]);
    expect(await auditCount("certificate.issue", hoa.personId)).toBeGreaterThan(0);
    const [row] = await auditRows("certificate.issue", hoa.personId);
    expect(row).toMatchObject({ actor_username: hoa.phone, province_code: "01", details: { format: "json", doses: 3 } });
  });

  it("the .smart-health-card file and the printable PDF", async () => {
    const before = await auditCount("certificate.issue", hoa.personId);
    const file = await t.request("GET", "/api/me/certificates/vaccination.smart-health-card", { token: hoa.token });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/smart-health-card");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="giay-chung-nhan-tiem-chung-Nguyen-Thi-Hoa\.smart-health-card"/);
    const body = JSON.parse(await file.text());
    expect(Object.keys(body)).toEqual(["verifiableCredential"]);
    expect(body.verifiableCredential).toHaveLength(1);
    expect((await json(await verify(body.verifiableCredential[0]))).valid).toBe(true);

    const pdf = await t.request("GET", "/api/me/certificates/vaccination.pdf", { token: hoa.token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(10_000); // embedded fonts + the QR's vector runs
    expect(bytes.subarray(-6).toString("latin1")).toContain("%%EOF");

    const formats = (await auditRows("certificate.issue", hoa.personId)).slice(before).map((r) => r.details.format);
    expect(formats).toEqual(["smart-health-card", "pdf"]);
  });

  it("a family member's card; a stranger's person is 404; no dose is 404 no_doses; other roles are refused", async () => {
    const res = await t.request("GET", `/api/me/certificates/vaccination?personId=${childId}`, { token: hoa.token });
    expect(res.status, await res.clone().text()).toBe(200);
    const card = await json(res);
    expect(claimsOf(card.jws).vc.credentialSubject.fhirBundle.entry[0].resource).toMatchObject({ name: [{ text: "Nguyễn Bé Na" }], birthDate: "2010" });
    expect(card.doses).toHaveLength(1);
    expect((await json(await verify(card.qr))).name).toBe("Nguyễn Bé Na");
    expect(await auditCount("certificate.issue", childId)).toBe(1);

    const stranger = await citizen(t, "Phạm Văn Lạ");
    for (const path of ["/api/me/certificates/vaccination", "/api/me/certificates/vaccination.pdf", "/api/me/certificates/vaccination.smart-health-card"]) {
      for (const id of [childId, hoa.personId, hkPerson]) {
        const r = await t.request("GET", `${path}?personId=${id}`, { token: stranger.token });
        expect(r.status, `${path} ${id}`).toBe(404);
        expect((await json(r)).error.code).toBe("not_found");
      }
    }
    expect(await auditCount("certificate.issue", childId)).toBe(1);

    const none = await t.request("GET", `/api/me/certificates/vaccination.pdf?personId=${babyId}`, { token: hoa.token });
    expect(none.status).toBe(404);
    const err = await json(none);
    expect(err.error.code).toBe("no_doses");
    expect(err.error.message).toMatch(/Chưa có mũi tiêm .* \/ No vaccination is recorded/);
    expect((await json(await t.request("GET", "/api/me/certificates/vaccination", { token: stranger.token }))).error.code).toBe("no_doses");
    expect((await t.request("GET", "/api/me/certificates/vaccination?personId=not-a-uuid", { token: hoa.token })).status).toBe(400);
    expect((await t.request("GET", "/api/me/certificates/vaccination")).status).toBe(401);
    expect((await t.request("GET", "/api/me/certificates/vaccination", { token: await t.login("hn.province") })).status).toBe(403);
  });

  it("officers print for people of their area only (404 outside); audited", async () => {
    const province = await t.login("hn.province");
    const commune = await t.login("hn.commune");
    const health = await t.login("hn.health");
    const hcm = await t.login("hcm.province");
    const site = await t.login("hn.site");

    for (const suffix of ["", ".pdf"]) {
      const path = (id: string) => `/api/people/${id}/certificates/vaccination${suffix}`;
      // in the area
      for (const [token, id] of [
        [province, hkPerson],
        [province, otherCommunePerson],
        [commune, hkPerson],
        [health, otherCommunePerson],
        [hcm, hcmPerson],
      ] as const) {
        const r = await t.request("GET", path(id), { token });
        expect(r.status, `${suffix} ${id}: ${r.status === 200 ? "" : await r.clone().text()}`).toBe(200);
      }
      // outside it: another province, another commune
      for (const [token, id] of [
        [province, hcmPerson],
        [commune, otherCommunePerson],
        [commune, hcmPerson],
        [health, hcmPerson],
        [hcm, hkPerson],
      ] as const) {
        const r = await t.request("GET", path(id), { token });
        expect(r.status, `${suffix} ${id}`).toBe(404);
        expect((await json(r)).error.code).toBe("not_found");
      }
      // site staff and citizens are no officers
      expect((await t.request("GET", path(hkPerson), { token: site })).status).toBe(403);
      expect((await t.request("GET", path(hkPerson), { token: hoa.token })).status).toBe(403);
      // a person of the area with no dose
      expect((await json(await t.request("GET", path(babyId), { token: province }))).error.code).toBe("no_doses");
    }
    const pdf = await t.request("GET", `/api/people/${hkPerson}/certificates/vaccination.pdf`, { token: commune });
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const card = await json(await t.request("GET", `/api/people/${hkPerson}/certificates/vaccination`, { token: commune }));
    expect(card.doses.map((d: any) => d.productCode)).toEqual(["AZ", "PF"]);
    expect((await json(await verify(card.qr))).valid).toBe(true);

    const rows = await auditRows("certificate.print", hkPerson);
    expect(rows.map((r) => r.actor_username)).toEqual(["hn.province", "hn.commune", "hn.province", "hn.commune", "hn.commune", "hn.commune"]);
    expect(rows.every((r) => r.province_code === "01")).toBe(true);
    // refusals leave no print row for the other province's person
    expect((await auditRows("certificate.print", hcmPerson)).map((r) => r.actor_username)).toEqual(["hcm.province", "hcm.province"]);
  });

  it("jwks carries the shc key with crlVersion; the CRL document; unknown kids are 404", async () => {
    const res = await t.request("GET", "/.well-known/jwks.json", { headers: { origin: "https://verifier.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const { keys } = await json(res);
    const kid = t.deps.keys.signing("shc").kid;
    const shc = keys.find((k: any) => k.kid === kid);
    expect(shc).toMatchObject({ kty: "EC", crv: "P-256", use: "sig", alg: "ES256", crlVersion: expect.any(Number) });
    expect(shc.d).toBeUndefined();
    expect(keys.filter((k: any) => k.crlVersion !== undefined)).toHaveLength(1);

    const crlRes = await t.request("GET", `/.well-known/crl/${kid}.json`, { headers: { origin: "https://verifier.example" } });
    expect(crlRes.status).toBe(200);
    expect(crlRes.headers.get("access-control-allow-origin")).toBe("*");
    const crl = await json(crlRes);
    expect(Object.keys(crl).sort()).toEqual(["ctr", "kid", "method", "rids"]);
    expect(crl).toMatchObject({ kid, method: "rid", ctr: shc.crlVersion });
    expect(Array.isArray(crl.rids)).toBe(true);
    const auth = t.deps.keys.signing("auth").kid;
    for (const path of [`/.well-known/crl/${auth}.json`, "/.well-known/crl/nope.json", `/.well-known/crl/${kid}`]) expect((await t.request("GET", path)).status, path).toBe(404);
  });

  it("revocation: only province and national officers, in their area; old cards become revoked, re-issued ones verify", async () => {
    const old = await json(await t.request("GET", "/api/me/certificates/vaccination", { token: hoa.token }));
    const oldChild = await json(await t.request("GET", `/api/me/certificates/vaccination?personId=${childId}`, { token: hoa.token }));
    expect((await json(await verify(old.qr))).valid).toBe(true);
    const kid = t.deps.keys.signing("shc").kid;
    const crlBefore = await json(await t.request("GET", `/.well-known/crl/${kid}.json`));

    const body = { personId: hoa.personId, reason: "Giấy chứng nhận cấp nhầm" };
    for (const who of ["hn.health", "hn.commune", "hn.site"]) expect((await t.request("POST", "/api/certificates/revocations", { token: await t.login(who), body })).status, who).toBe(403);
    expect((await t.request("POST", "/api/certificates/revocations", { token: hoa.token, body })).status).toBe(403);
    expect((await t.request("POST", "/api/certificates/revocations", { body })).status).toBe(401);
    // another province's officer: 404, nothing written
    const hcm = await t.request("POST", "/api/certificates/revocations", { token: await t.login("hcm.province"), body });
    expect(hcm.status).toBe(404);
    expect((await json(await t.request("GET", `/.well-known/crl/${kid}.json`))).ctr).toBe(crlBefore.ctr);
    expect((await t.request("POST", "/api/certificates/revocations", { token: await t.login("hn.province"), body: { personId: hoa.personId } })).status).toBe(400);

    const res = await t.request("POST", "/api/certificates/revocations", { token: await t.login("hn.province"), body });
    expect(res.status, await res.clone().text()).toBe(201);
    const revocation = await json(res);
    const rid = claimsOf(old.jws).vc.rid;
    expect(revocation).toMatchObject({ personId: hoa.personId, kid, ctr: crlBefore.ctr + 1 });
    expect(revocation.entry).toMatch(new RegExp(`^${rid.replace(/[-]/g, "\\-")}\\.\\d{10}$`));
    expect(Number(revocation.entry.split(".")[1])).toBeGreaterThan(claimsOf(old.jws).nbf);

    // the list and the key's crlVersion moved together
    const crl = await json(await t.request("GET", `/.well-known/crl/${kid}.json`));
    expect(crl.ctr).toBe(crlBefore.ctr + 1);
    expect(crl.rids).toEqual([...crlBefore.rids, revocation.entry]);
    const { keys } = await json(await t.request("GET", "/.well-known/jwks.json"));
    expect(keys.find((k: any) => k.kid === kid).crlVersion).toBe(crl.ctr);

    // the old card is revoked (and still says whose it is); the family member's card is not touched
    expect(await json(await verify(old.qr))).toMatchObject({ valid: false, reason: "revoked", name: "Nguyễn Thị Hoa" });
    expect((await json(await verify(oldChild.qr))).valid).toBe(true);
    // a card issued now verifies
    const fresh = await json(await t.request("GET", "/api/me/certificates/vaccination", { token: hoa.token }));
    expect(claimsOf(fresh.jws).vc.rid).toBe(rid);
    expect(claimsOf(fresh.jws).nbf).toBeGreaterThanOrEqual(Number(revocation.entry.split(".")[1]));
    expect(await json(await verify(fresh.qr))).toMatchObject({ valid: true, name: "Nguyễn Thị Hoa" });
    // and so does one an officer prints
    const printed = await json(await t.request("GET", `/api/people/${hoa.personId}/certificates/vaccination`, { token: await t.login("hn.commune") }));
    expect((await json(await verify(printed.qr))).valid).toBe(true);

    // audited, with the reason
    const [row] = await auditRows("certificate.revoke", hoa.personId);
    expect(row).toMatchObject({ actor_username: "hn.province", province_code: "01", details: { kid, entry: revocation.entry, reason: "Giấy chứng nhận cấp nhầm", ctr: crl.ctr } });

    // the national admin may revoke anywhere
    const admin = await t.request("POST", "/api/certificates/revocations", { token: await t.login("admin"), body: { personId: hcmPerson, reason: "Kiểm tra" } });
    expect(admin.status).toBe(201);
    expect((await json(admin)).ctr).toBe(crl.ctr + 1);
  });

  it("verify names what is wrong: malformed, unknown issuer, bad signature; it is rate-limited", async () => {
    const card = await json(await t.request("GET", `/api/me/certificates/vaccination?personId=${childId}`, { token: hoa.token }));
    for (const qr of ["hello", "shc:/12", "shc:/1/2/567629"]) expect(await json(await verify(qr)), qr).toMatchObject({ valid: false, reason: "malformed", name: null, doses: [] });
    // a card signed by someone else's key, claiming to be ours
    const { privateKey } = await generateKeyPair("ES256");
    const payload = Buffer.from(card.jws.split(".")[1], "base64url");
    const foreign = await new CompactSign(payload).setProtectedHeader({ zip: "DEF", alg: "ES256", kid: "someone-elses-key" }).sign(privateKey);
    expect(await json(await verify(jwsToNumeric(foreign)))).toMatchObject({ valid: false, reason: "unknown_issuer", name: null });
    const forged = await new CompactSign(payload).setProtectedHeader({ zip: "DEF", alg: "ES256", kid: t.deps.keys.signing("shc").kid }).sign(privateKey);
    expect(await json(await verify(forged))).toMatchObject({ valid: false, reason: "bad_signature", name: null, doses: [] });
    // one digit changed in the payload
    const digits = card.qr.slice(5);
    const at = 2 * (card.jws.indexOf(".") + 40);
    const tampered = `shc:/${digits.slice(0, at)}${digits[at] === "0" ? "1" : "0"}${digits.slice(at + 1)}`;
    expect((await json(await verify(tampered))).valid).toBe(false);
    expect((await t.request("POST", "/api/certificates/verify", { body: {} })).status).toBe(400);

    const ip = newIp();
    let last = 0;
    for (let i = 0; i < 121; i++) last = (await verify("x", ip)).status;
    expect(last).toBe(429);
    expect((await verify(card.qr, newIp())).status).toBe(200);
  });

  it("a card with more doses than fit one QR with their sites leaves the sites out, and still verifies", async () => {
    const many = (await json(await t.request("POST", "/api/me/family", { token: hoa.token, body: { relation: "parent", fullName: "Nguyễn Văn Nhiều Mũi", birthYear: 1950 } }))).personId;
    // sixteen doses, each at another site with another lot: too much for one QR with the sites
    const communes = ["00070", "00082", "00118", "00091"];
    for (let i = 0; i < 16; i++) {
      const [site] = await t.deps.db
        .insert(vaccinationSites)
        .values({ provinceCode: "01", communeCode: communes[i % 4]!, name: `Điểm tiêm lưu động số ${i + 1} phường ${["Hoàn Kiếm", "Cửa Nam", "Ba Đình", "Ngọc Hà"][i % 4]}`, address: `${i + 1} Phố Huế`, capacityPerDay: 100 })
        .returning();
      const [lot] = await t.deps.db.insert(vaccineLots).values({ productCode: i % 2 ? "PF" : "MO", lotNumber: `LOT-${7919 * (i + 3)}-Q${i}`, expiresOn: "2030-01-01" }).returning();
      await t.deps.db.insert(vaccinations).values({
        provinceCode: "01",
        communeCode: site!.communeCode,
        personId: many,
        productCode: lot!.productCode,
        lotId: lot!.id,
        doseNumber: i + 1,
        givenOn: `2025-${String(1 + (i % 12)).padStart(2, "0")}-${String(10 + i).padStart(2, "0")}`,
        siteId: site!.id,
      });
    }
    const card = await json(await t.request("GET", `/api/me/certificates/vaccination?personId=${many}`, { token: hoa.token }));
    expect(card.doses).toHaveLength(16);
    const immunizations = claimsOf(card.jws).vc.credentialSubject.fhirBundle.entry.slice(1).map((e: any) => e.resource);
    expect(immunizations).toHaveLength(16);
    expect(immunizations.every((r: any) => r.performer === undefined && r.lotNumber)).toBe(true);
    expect(card.qr.length - 5).toBeLessThanOrEqual(2 * 1195); // the spec's single-QR (V22) limit
    expect(await json(await verify(card.qr))).toMatchObject({ valid: true, name: "Nguyễn Văn Nhiều Mũi" });
    const pdf = await t.request("GET", `/api/me/certificates/vaccination.pdf?personId=${many}`, { token: hoa.token });
    expect(pdf.status).toBe(200);
  });

  it("the people table is untouched by issuing (no card store)", async () => {
    const [p] = await t.deps.db.select().from(people).where(and(eq(people.id, hoa.personId), eq(people.provinceCode, "01")));
    expect(p!.fullName).toBe("Nguyễn Thị Hoa");
  });
});

describe("an independent SMART Health Card implementation verifies our card", () => {
  let t: TestPlatform | undefined;
  let server: ReturnType<typeof serve> | undefined;
  let baseUrl = "";

  beforeAll(async () => {
    // The verifier fetches <iss>/.well-known/jwks.json, so iss (PUBLIC_URL) must be this server:
    // listen first, then build the platform for that address.
    let app: TestPlatform["app"] | undefined;
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestPlatform("pglite", { PUBLIC_URL: baseUrl });
    app = t.app;
  });
  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await t?.close();
  });

  it("shc-protocol decodes our QR, inflates it and verifies the signature with the keys it fetched from our iss", async () => {
    const officer = await t!.login("hn.province");
    const [person] = await t!.deps.database.query<{ id: string }>(
      sql`select p.id from people p join vaccinations v on v.person_id = p.id where p.province_code = '01' group by p.id order by p.id limit 1`,
    );
    const card = await json(await t!.request("GET", `/api/people/${person!.id}/certificates/vaccination`, { token: officer }));
    const decoded = await decodeShc(card.qr);
    expect(decoded.header).toEqual({ zip: "DEF", alg: "ES256", kid: t!.deps.keys.signing("shc").kid });
    expect(decoded.payload.iss).toBe(baseUrl);
    expect(decoded.payload).toEqual(claimsOf(card.jws));
    expect(decoded.verifications).toMatchObject({ trustable: true, verifiedBy: t!.deps.keys.signing("shc").kid, origin: baseUrl });

    // and it refuses our card with a changed signature
    const jws = card.jws as string;
    const sig = jws.slice(jws.lastIndexOf(".") + 1);
    const badSig = `${jws.slice(0, jws.lastIndexOf(".") + 1)}${sig.slice(0, 5)}${sig[5] === "A" ? "B" : "A"}${sig.slice(6)}`;
    expect(badSig).not.toBe(jws);
    const refused = await decodeShc(jwsToNumeric(badSig));
    expect(refused.verifications.trustable).toBe(false);
  });
});
