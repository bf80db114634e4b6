/**
 * SMART Health Cards: our decoder against the spec's published examples (cards made by another
 * implementation, verified with the example issuer's published keys), our numeric QR encoding
 * against the example's QR text, and our own cards end to end: issue → QR text → numbers → JWS →
 * inflate → verify; tampering, unknown issuers, expiry and revocation (rid and rid.timestamp).
 * Test cards (docs/TESTING.md): the Observation's shape, the codes both ways, the same QR path,
 * tampering, and the independent `shc-protocol` decoder against a local key server.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import { base64url, CompactSign, generateKeyPair, type JWK } from "jose";
import decodeShc from "shc-protocol";
import { describe, expect, it } from "vitest";
import { loadKeyring, type Keyring } from "../../server/auth/keys";
import { fhirBundle, healthCardPayload, immunizationResource, observationResource, TEST_CARD_TYPES, testObservation, vnDateTime } from "../../server/certificates/fhir";
import { cardQr, cardQrSegments, cardRid, inflateRawNode, MAX_QR_VERSION, signCard } from "../../server/certificates/issue";
import {
  cardContent,
  decodePayload,
  inflateRaw,
  isRevoked,
  jwsToNumeric,
  numericToJws,
  verifyCard,
  type RevocationList,
  type TrustedIssuer,
} from "../../server/certificates/shc";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/shc/${name}`, import.meta.url), "utf8");
const EXAMPLE_ISS = "https://spec.smarthealth.cards/examples/issuer";
const exampleJws = fixture("example-00-d-jws.txt").trim();
const exampleQr = fixture("example-00-f-qr-code-numeric-value-0.txt").trim();
const examplePayload = JSON.parse(fixture("example-00-b-jws-payload-expanded.json"));
const revokedJws = fixture("example-03-d-jws.txt").trim();
const exampleJwks = JSON.parse(fixture("issuer-jwks.json")) as { keys: JWK[] };
const exampleCrl = JSON.parse(fixture("issuer-crl.json")) as RevocationList;
const exampleIssuer: TrustedIssuer = { iss: EXAMPLE_ISS, keys: exampleJwks.keys, crls: [exampleCrl] };
/** Example 0 was signed on 2024-05-07 (nbf 1715107763); example 3 expires a year later. */
const IN_2024 = new Date("2024-06-01T00:00:00Z");

const ISS = "https://phc.example.vn";
const NOW = new Date("2026-10-20T03:00:00Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);

async function ourIssuer(): Promise<{ keys: Keyring; trusted: (crl?: RevocationList, crlVersion?: number) => TrustedIssuer }> {
  const keys = await loadKeyring({ dir: undefined, hashSecret: "unit-test-secret" });
  const shc = keys.signing("shc");
  return {
    keys,
    trusted: (crl, crlVersion) => ({ iss: ISS, keys: [{ ...shc.publicJwk, ...(crlVersion ? { crlVersion } : {}) }], ...(crl ? { crls: [crl] } : {}) }),
  };
}

/** A realistic three-dose card for a Vietnamese name. */
function threeDoses(personId = "4f6c2c1e-8a51-4c1f-9d7e-0a1b2c3d4e5f", nbf = nowSeconds, rid?: string) {
  const bundle = fhirBundle({ fullName: "Nguyễn Thị Hoa", birthDate: "1990-05-06" }, [
    immunizationResource({ cvx: "210", date: "2026-06-01", lotNumber: "AZ-2026-001", performer: "Trạm Y tế phường Hoàn Kiếm" }),
    immunizationResource({ cvx: "208", date: "2026-07-10", lotNumber: "PF-2026-001", performer: "Trạm Y tế phường Hoàn Kiếm" }),
    immunizationResource({ cvx: "208", date: "2026-10-01", lotNumber: "PF-2026-002", performer: "Trung tâm Y tế Cửa Nam" }),
  ]);
  return { personId, payload: healthCardPayload({ iss: ISS, nbf, bundle, ...(rid ? { rid } : {}) }) };
}

/** A PCR test card (negative unless told), taken 2026-10-18 09:30 in Vietnam, by a lab of Hà Nội. */
function testCard(o: { testType?: "pcr" | "rapid_antigen"; result?: "negative" | "positive" | "invalid"; rid?: string; iss?: string } = {}) {
  const bundle = fhirBundle({ fullName: "Trần Văn Nam", birthDate: "1985-02-03" }, [
    testObservation({ testType: o.testType ?? "pcr", takenAt: new Date("2026-10-18T02:30:00Z"), result: o.result ?? "negative", performer: "Phòng xét nghiệm CDC Hà Nội" }),
  ]);
  return healthCardPayload({ iss: o.iss ?? ISS, nbf: nowSeconds, bundle, types: TEST_CARD_TYPES, ...(o.rid ? { rid: o.rid } : {}) });
}

/** Changes one digit of the numeric part at `index` (within the digits, after "shc:/"). */
function flipDigit(qr: string, index: number): string {
  const at = 5 + index;
  const d = Number(qr[at]);
  // stay a valid digit pair where possible, so the change reaches the JWS and not just the parser
  const pairStart = at - ((at - 5) % 2);
  for (const delta of [1, -1, 2, -2, 3, -3]) {
    const nd = d + delta;
    if (nd < 0 || nd > 9) continue;
    const candidate = qr.slice(0, at) + nd + qr.slice(at + 1);
    if (Number(candidate.slice(pairStart, pairStart + 2)) <= 77) return candidate;
  }
  return qr.slice(0, at) + ((d + 1) % 10) + qr.slice(at + 1);
}

describe("the spec's published examples", () => {
  it("our numeric encoding of the example JWS is the example's QR text, and back", () => {
    expect(jwsToNumeric(exampleJws)).toBe(exampleQr);
    expect(numericToJws(exampleQr)).toBe(exampleJws);
  });

  it("the example card verifies with the example issuer's published keys through our decoder", async () => {
    const header = JSON.parse(Buffer.from(exampleJws.split(".")[0]!, "base64url").toString());
    expect(header).toEqual({ zip: "DEF", alg: "ES256", kid: "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s" });
    // inflated with DecompressionStream, it is exactly the published decoded payload
    expect(await decodePayload(exampleJws)).toEqual(examplePayload);
    const result = await verifyCard(exampleQr, { issuers: [exampleIssuer], now: IN_2024 });
    expect(result).toMatchObject({
      valid: true,
      issuer: EXAMPLE_ISS,
      name: "John B. Anyperson",
      birthDate: "1951-01-20",
      kid: "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s",
      tests: [],
    });
    expect(result.reason).toBeUndefined();
    expect(result.doses).toEqual([
      { date: "2021-01-01", cvx: "207", product: "Moderna COVID-19 (Spikevax)", lot: "0000001", performer: "ABC General Hospital" },
      { date: "2021-01-29", cvx: "207", product: "Moderna COVID-19 (Spikevax)", lot: "0000007", performer: "ABC General Hospital" },
      { date: "2022-09-05", cvx: "229", product: "Moderna COVID-19, bivalent", lot: "0000001", performer: "ABC General Hospital" },
    ]);
    // the bare JWS is accepted too (a pasted .smart-health-card entry)
    expect((await verifyCard(exampleJws, { issuers: [exampleIssuer], now: IN_2024 })).valid).toBe(true);
  });

  it("the example card is refused by a verifier that does not trust its issuer", async () => {
    const { trusted } = await ourIssuer();
    const result = await verifyCard(exampleQr, { issuers: [trusted()], now: IN_2024 });
    expect(result).toMatchObject({ valid: false, reason: "unknown_issuer", issuer: EXAMPLE_ISS, name: null, doses: [] });
  });

  it("example 3 ('revoked'): the list's rid.timestamp spares it (issued after), a bare rid revokes it, its exp expires it", async () => {
    const payload = await decodePayload(revokedJws);
    expect(payload.vc.rid).toBe("vwAjHdarZuc");
    // the published list revokes vwAjHdarZuc cards issued before 1668545475; this one is later
    expect(exampleCrl.rids).toContain("vwAjHdarZuc.1668545475");
    expect(payload.nbf).toBeGreaterThan(1668545475);
    expect((await verifyCard(revokedJws, { issuers: [exampleIssuer], now: IN_2024 })).valid).toBe(true);
    const crl = { ...exampleCrl, ctr: 2, rids: [...exampleCrl.rids, "vwAjHdarZuc"] };
    const revoked = await verifyCard(revokedJws, { issuers: [{ ...exampleIssuer, crls: [crl] }], now: IN_2024 });
    expect(revoked).toMatchObject({ valid: false, reason: "revoked", name: "Johnny Revoked" });
    expect((await verifyCard(revokedJws, { issuers: [exampleIssuer], now: NOW })).reason).toBe("expired");
  });
});

describe("our cards", () => {
  it("issue → QR text → digits → JWS → inflate → verify, with the spec's header, claims and minimised FHIR", async () => {
    const { keys, trusted } = await ourIssuer();
    const shc = keys.signing("shc");
    const rid = cardRid(keys, shc.kid, "4f6c2c1e-8a51-4c1f-9d7e-0a1b2c3d4e5f");
    const { payload } = threeDoses(undefined, nowSeconds, rid);
    const jws = await signCard(shc, payload);
    const qrText = jwsToNumeric(jws);
    expect(qrText).toMatch(/^shc:\/\d+$/);
    expect(numericToJws(qrText)).toBe(jws);

    // header: exactly alg, zip, kid = the key's RFC 7638 thumbprint
    const header = JSON.parse(Buffer.from(jws.split(".")[0]!, "base64url").toString());
    expect(header).toEqual({ zip: "DEF", alg: "ES256", kid: shc.kid });
    expect(shc.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // payload: raw DEFLATE (no zlib header: 0x78 would start one), minified JSON, the claims
    const raw = Buffer.from(jws.split(".")[1]!, "base64url");
    expect(raw[0]).not.toBe(0x78);
    const json = inflateRawSync(raw).toString("utf8");
    expect(json).toBe(JSON.stringify(JSON.parse(json)));
    expect(Buffer.from(await inflateRaw(raw)).toString("utf8")).toBe(json);
    const claims = JSON.parse(json);
    expect(claims.iss).toBe(ISS);
    expect(Number.isInteger(claims.nbf)).toBe(true);
    expect(claims.vc.type).toEqual(["https://smarthealth.cards#health-card"]);
    expect(claims.vc.rid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(claims.vc.credentialSubject.fhirVersion).toBe("4.0.1");
    const bundle = claims.vc.credentialSubject.fhirBundle;
    expect(bundle.resourceType).toBe("Bundle");
    expect(bundle.type).toBe("collection");
    expect(bundle.entry.map((e: any) => e.fullUrl)).toEqual(["resource:0", "resource:1", "resource:2", "resource:3"]);
    expect(bundle.entry[0].resource).toEqual({
      resourceType: "Patient",
      name: [{ text: "Nguyễn Thị Hoa", family: "Nguyễn", given: ["Thị Hoa"] }],
      birthDate: "1990-05-06",
    });
    expect(bundle.entry[1].resource).toEqual({
      resourceType: "Immunization",
      status: "completed",
      vaccineCode: { coding: [{ system: "http://hl7.org/fhir/sid/cvx", code: "210" }] },
      patient: { reference: "resource:0" },
      occurrenceDateTime: "2026-06-01",
      performer: [{ actor: { display: "Trạm Y tế phường Hoàn Kiếm" } }],
      lotNumber: "AZ-2026-001",
    });
    // minimisation: no id, meta, text (DomainResource), Coding.display anywhere
    const forbidden = (o: unknown, path = ""): string[] =>
      !o || typeof o !== "object"
        ? []
        : Object.entries(o).flatMap(([k, v]) => [
            ...((["id", "meta", "display"].includes(k) && !path.endsWith("actor")) || (k === "text" && !path.endsWith("name.0")) ? [`${path}.${k}`] : []),
            ...forbidden(v, `${path}.${k}`),
          ]);
    expect(forbidden(bundle)).toEqual([]);

    // one QR: byte "shc:/" + numeric digits, error correction L, version ≤ 22
    const segments = cardQrSegments(jws);
    expect(segments.map((s) => s.mode)).toEqual(["byte", "numeric"]);
    const qr = cardQr(jws);
    expect(qr.version).toBeLessThanOrEqual(MAX_QR_VERSION);
    expect(qr.errorCorrectionLevel.bit).toBe(1); // L
    expect(qr.segments.map((s) => s.mode.id)).toEqual(["Byte", "Numeric"]);

    const result = await verifyCard(qrText, { issuers: [trusted()], now: NOW });
    expect(result).toMatchObject({ valid: true, issuer: ISS, name: "Nguyễn Thị Hoa", birthDate: "1990-05-06", kid: shc.kid });
    // the server's node:zlib inflater reads the same card
    expect(await verifyCard(qrText, { issuers: [trusted()], now: NOW, inflate: inflateRawNode })).toEqual(result);
    expect(result.doses.map((d) => [d.date, d.cvx, d.lot, d.performer])).toEqual([
      ["2026-06-01", "210", "AZ-2026-001", "Trạm Y tế phường Hoàn Kiếm"],
      ["2026-07-10", "208", "PF-2026-001", "Trạm Y tế phường Hoàn Kiếm"],
      ["2026-10-01", "208", "PF-2026-002", "Trung tâm Y tế Cửa Nam"],
    ]);
  });

  it("a changed digit anywhere (header, payload, signature) is never valid", async () => {
    const { keys, trusted } = await ourIssuer();
    const jws = await signCard(keys.signing("shc"), threeDoses().payload);
    const qr = jwsToNumeric(jws);
    const digits = qr.length - 5;
    const headerDigits = 2 * jws.indexOf(".");
    const signatureStart = 2 * (jws.lastIndexOf(".") + 1);
    const positions = [3, headerDigits - 7, headerDigits + 10, Math.floor(digits / 2), signatureStart - 20, signatureStart + 6, digits - 3];
    for (const at of positions) {
      const tampered = flipDigit(qr, at);
      expect(tampered).not.toBe(qr);
      const result = await verifyCard(tampered, { issuers: [trusted()], now: NOW });
      expect(result.valid, `digit ${at}`).toBe(false);
      expect(["bad_signature", "malformed", "unknown_issuer"], `digit ${at}: ${result.reason}`).toContain(result.reason);
      expect(result.name, `digit ${at}`).toBeNull();
    }
    // a changed payload digit is specifically a bad signature (the JWS still parses)
    expect((await verifyCard(flipDigit(qr, Math.floor(digits / 2) & ~1), { issuers: [trusted()], now: NOW })).reason).toBe("bad_signature");
  });

  it("malformed inputs are named malformed", async () => {
    const { trusted } = await ourIssuer();
    const opts = { issuers: [trusted()], now: NOW };
    for (const input of ["", "hello", "shc:/", "shc:/123", "shc:/99", "shc:/1/2/5676", "a.b", "shc:/56abc"])
      expect((await verifyCard(input, opts)).reason, input).toBe("malformed");
    // a signed JWS whose payload is not deflate, or not a health card
    const key = (await ourIssuer()).keys.signing("shc");
    const notDeflate = await new CompactSign(new TextEncoder().encode("{}")).setProtectedHeader({ alg: "ES256", zip: "DEF", kid: key.kid }).sign(key.privateKey);
    expect((await verifyCard(notDeflate, { issuers: [{ iss: ISS, keys: [key.publicJwk] }], now: NOW })).reason).toBe("malformed");
  });

  it("a card signed by a key the verifier does not know is an unknown issuer; a known key claiming another iss too", async () => {
    const { trusted } = await ourIssuer();
    const other = await ourIssuer();
    const jws = await signCard(other.keys.signing("shc"), threeDoses().payload);
    expect(await verifyCard(jws, { issuers: [trusted()], now: NOW })).toMatchObject({ valid: false, reason: "unknown_issuer", issuer: ISS, name: null });
    // right key, but the card names an issuer the key does not belong to
    const mine = await ourIssuer();
    const claimsOther = { ...threeDoses().payload, iss: "https://elsewhere.example" };
    const forged = await signCard(mine.keys.signing("shc"), claimsOther);
    expect((await verifyCard(forged, { issuers: [mine.trusted()], now: NOW })).reason).toBe("unknown_issuer");
    // a forged signature with the right kid
    const { privateKey } = await generateKeyPair("ES256");
    const header = base64url.encode(JSON.stringify({ zip: "DEF", alg: "ES256", kid: mine.keys.signing("shc").kid }));
    const good = await signCard(mine.keys.signing("shc"), threeDoses().payload);
    const signed = await new CompactSign(base64url.decode(good.split(".")[1]!)).setProtectedHeader(JSON.parse(Buffer.from(header, "base64url").toString())).sign(privateKey);
    expect((await verifyCard(signed, { issuers: [mine.trusted()], now: NOW })).reason).toBe("bad_signature");
  });

  it("revocation by rid, and by rid.timestamp: cards issued before the time are revoked, later ones are not", async () => {
    const { keys, trusted } = await ourIssuer();
    const shc = keys.signing("shc");
    const personId = "0b8e6a54-3f1c-4d2a-9c1e-7f00aa11bb22";
    const rid = cardRid(keys, shc.kid, personId);
    // the spec's recommended rid: base64url(first 64 bits of HMAC-SHA-256(secret ‖ kid, user id))
    const { createHmac } = await import("node:crypto");
    const spec = createHmac("sha256", Buffer.concat([keys.hashSecret, Buffer.from(shc.kid)])).update(personId).digest().subarray(0, 8).toString("base64url");
    expect(rid).toBe(spec);
    expect(rid).toBe(cardRid(keys, shc.kid, personId)); // stable per person and key
    expect(rid).not.toBe(cardRid(keys, shc.kid, "another-person"));
    expect(rid).not.toBe(cardRid(keys, "another-kid", personId));
    const earlier = await signCard(shc, threeDoses(personId, nowSeconds - 3600, rid).payload);
    const later = await signCard(shc, threeDoses(personId, nowSeconds, rid).payload);
    const stranger = await signCard(shc, threeDoses("x", nowSeconds - 3600, cardRid(keys, shc.kid, "x")).payload);
    const crl = (rids: string[], ctr = 2): RevocationList => ({ kid: shc.kid, method: "rid", ctr, rids });
    const check = async (jws: string, list: RevocationList) => (await verifyCard(jws, { issuers: [trusted(list, list.ctr)], now: NOW })).reason ?? "valid";

    // bare rid: every card of the person
    expect(await check(earlier, crl([rid]))).toBe("revoked");
    expect(await check(later, crl([rid]))).toBe("revoked");
    // rid.t: only cards with nbf before t
    const cut = crl([`${rid}.${nowSeconds - 60}`]);
    expect(await check(earlier, cut)).toBe("revoked");
    expect(await check(later, cut)).toBe("valid");
    expect(await check(stranger, cut)).toBe("valid");
    // the revoked card still shows whose it is (its signature holds)
    expect((await verifyCard(earlier, { issuers: [trusted(cut, 2)], now: NOW })).name).toBe("Nguyễn Thị Hoa");
    // the pure rule
    expect(isRevoked({ rids: [`${rid}.100`] }, rid, 99.5)).toBe(true);
    expect(isRevoked({ rids: [`${rid}.100`] }, rid, 100)).toBe(false);
    expect(isRevoked({ rids: ["other"] }, rid, 1)).toBe(false);
    expect(isRevoked({ rids: [rid] }, undefined, 1)).toBe(false);
    // a key that announces a list (crlVersion) needs one to pass; without crlVersion none is needed
    expect((await verifyCard(later, { issuers: [trusted(undefined, 3)], now: NOW })).reason).toBe("revocation_unknown");
    expect((await verifyCard(later, { issuers: [trusted()], now: NOW })).valid).toBe(true);
  });

  it("expired and not-yet-valid cards are refused", async () => {
    const { keys, trusted } = await ourIssuer();
    const shc = keys.signing("shc");
    const expired = await signCard(shc, { ...threeDoses().payload, exp: nowSeconds - 1 });
    expect((await verifyCard(expired, { issuers: [trusted()], now: NOW })).reason).toBe("expired");
    const future = await signCard(shc, threeDoses(undefined, nowSeconds + 3600).payload);
    expect((await verifyCard(future, { issuers: [trusted()], now: NOW })).reason).toBe("not_yet_valid");
    const slightlyAhead = await signCard(shc, threeDoses(undefined, nowSeconds + 2).payload);
    expect((await verifyCard(slightlyAhead, { issuers: [trusted()], now: NOW })).valid).toBe(true);
  });

  it("test results (Observations) read back from a card's bundle: our codes, and other issuers' common ones", async () => {
    const bundle = fhirBundle({ fullName: "Trần Văn Nam", birthDate: "1985" }, [
      observationResource({ code: "94309-2", effective: "2026-10-18", result: "260385009", performer: "CDC Hà Nội" }),
    ]);
    const content = cardContent(healthCardPayload({ iss: ISS, nbf: nowSeconds, bundle }));
    expect(content).toMatchObject({ kind: "test", name: "Trần Văn Nam", birthDate: "1985", doses: [] });
    expect(content.tests).toEqual([
      { date: "2026-10-18", takenAt: "2026-10-18", code: "94309-2", system: "http://loinc.org", testType: "pcr", result: "negative", resultCode: "260385009", performer: "CDC Hà Nội" },
    ]);
    // the IG's example (antigen, SNOMED "detected"), an unknown test, a non-final one
    const other = fhirBundle({ fullName: "James Anyperson", birthDate: "1951-01-20" }, [
      observationResource({ code: "94558-4", effective: "2021-02-17", result: "260373001", performer: "ABC General Hospital" }),
      observationResource({ code: "12345-6", effective: "2021-02-18", result: "999", performer: null }),
      observationResource({ code: "constructor", effective: "2021-02-18T10:00:00Z", result: "__proto__", performer: null }),
      (ref) => ({ ...observationResource({ code: "94309-2", effective: "2021-02-19", result: "10828004", performer: null })(ref), status: "preliminary" }),
    ]);
    expect(cardContent(healthCardPayload({ iss: ISS, nbf: nowSeconds, bundle: other })).tests.map((x) => [x.testType, x.result, x.resultCode])).toEqual([
      ["rapid_antigen", "positive", "260373001"],
      [null, null, "999"],
      [null, null, "__proto__"],
    ]);
    // a vaccination card stays one
    expect(cardContent(threeDoses().payload)).toMatchObject({ kind: "vaccination", tests: [] });
  });

  it("a test card (Observation): issue → QR text → digits → JWS → inflate → verify, the spec's shape, one small QR", async () => {
    const { keys, trusted } = await ourIssuer();
    const shc = keys.signing("shc");
    const rid = cardRid(keys, shc.kid, "0b8e6a54-3f1c-4d2a-9c1e-7f00aa11bb22");
    const jws = await signCard(shc, testCard({ rid }));
    const qrText = jwsToNumeric(jws);
    expect(numericToJws(qrText)).toBe(jws);
    const claims = JSON.parse(inflateRawSync(Buffer.from(jws.split(".")[1]!, "base64url")).toString("utf8"));
    expect(claims.vc.type).toEqual(["https://smarthealth.cards#health-card", "https://smarthealth.cards#laboratory", "https://smarthealth.cards#covid19"]);
    expect(TEST_CARD_TYPES).toEqual(claims.vc.type);
    expect(claims.vc.rid).toBe(rid);
    // the IG's minimal Observation (as its example-observation-covid-1a, without meta)
    expect(claims.vc.credentialSubject.fhirBundle.entry[1]).toEqual({
      fullUrl: "resource:1",
      resource: {
        resourceType: "Observation",
        status: "final",
        code: { coding: [{ system: "http://loinc.org", code: "94309-2" }] },
        subject: { reference: "resource:0" },
        effectiveDateTime: "2026-10-18T09:30:00+07:00",
        performer: [{ display: "Phòng xét nghiệm CDC Hà Nội" }],
        valueCodeableConcept: { coding: [{ system: "http://snomed.info/sct", code: "260385009" }] },
      },
    });
    const qr = cardQr(jws);
    expect(qr.version).toBeLessThanOrEqual(19);
    expect(qr.segments.map((seg) => seg.mode.id)).toEqual(["Byte", "Numeric"]);

    const result = await verifyCard(qrText, { issuers: [trusted()], now: NOW });
    expect(result).toEqual({
      valid: true,
      kind: "test",
      kid: shc.kid,
      issuer: ISS,
      issuedAt: NOW.toISOString(),
      name: "Trần Văn Nam",
      birthDate: "1985-02-03",
      doses: [],
      tests: [
        {
          date: "2026-10-18",
          takenAt: "2026-10-18T09:30:00+07:00",
          code: "94309-2",
          system: "http://loinc.org",
          testType: "pcr",
          result: "negative",
          resultCode: "260385009",
          performer: "Phòng xét nghiệm CDC Hà Nội",
        },
      ],
    });
    expect(await verifyCard(qrText, { issuers: [trusted()], now: NOW, inflate: inflateRawNode })).toEqual(result);
    // every result and test type maps to its code and back
    for (const [testType, loinc] of [
      ["pcr", "94309-2"],
      ["rapid_antigen", "94558-4"],
    ] as const) {
      for (const [outcome, snomed] of [
        ["negative", "260385009"],
        ["positive", "10828004"],
        ["invalid", "455371000124106"],
      ] as const) {
        const card = await signCard(shc, testCard({ testType, result: outcome }));
        const r = await verifyCard(card, { issuers: [trusted()], now: NOW });
        expect(r.tests.map((x) => [x.code, x.testType, x.resultCode, x.result])).toEqual([[loinc, testType, snomed, outcome]]);
      }
    }
    // a sample taken just after midnight in Vietnam is that local day
    expect(vnDateTime(new Date("2026-10-17T17:05:09Z"))).toBe("2026-10-18T00:05:09+07:00");
  });

  it("a test card with a changed digit (header, payload, signature) is never valid and shows nothing", async () => {
    const { keys, trusted } = await ourIssuer();
    const jws = await signCard(keys.signing("shc"), testCard({ result: "positive" }));
    const qr = jwsToNumeric(jws);
    const digits = qr.length - 5;
    const headerDigits = 2 * jws.indexOf(".");
    const signatureStart = 2 * (jws.lastIndexOf(".") + 1);
    for (const at of [5, headerDigits + 12, Math.floor(digits / 2), signatureStart - 10, signatureStart + 8, digits - 5]) {
      const result = await verifyCard(flipDigit(qr, at), { issuers: [trusted()], now: NOW });
      expect(result.valid, `digit ${at}`).toBe(false);
      expect(result, `digit ${at}`).toMatchObject({ name: null, tests: [], doses: [] });
    }
    expect((await verifyCard(flipDigit(qr, Math.floor(digits / 2) & ~1), { issuers: [trusted()], now: NOW })).reason).toBe("bad_signature");
    // the result changed in the payload and re-signed by another key: unknown issuer
    const other = await ourIssuer();
    expect((await verifyCard(await signCard(other.keys.signing("shc"), testCard({ result: "negative" })), { issuers: [trusted()], now: NOW })).reason).toBe("unknown_issuer");
  });

  it("shc-protocol (an independent decoder: its numeric decoding, pako inflate, node-jose) verifies our test card with keys fetched from its iss", async () => {
    const { keys } = await ourIssuer();
    const shc = keys.signing("shc");
    const server = createServer((req, res) => {
      if (req.url === "/.well-known/jwks.json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ keys: [shc.publicJwk] }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const iss = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const payload = testCard({ iss });
      const jws = await signCard(shc, payload);
      const decoded = await decodeShc(jwsToNumeric(jws));
      expect(decoded.header).toEqual({ zip: "DEF", alg: "ES256", kid: shc.kid });
      expect(decoded.payload).toEqual(JSON.parse(JSON.stringify(payload)));
      expect(decoded.payload.vc.credentialSubject.fhirBundle.entry[1].resource.resourceType).toBe("Observation");
      expect(decoded.verifications).toMatchObject({ trustable: true, verifiedBy: shc.kid, origin: iss });
      const sig = jws.slice(jws.lastIndexOf(".") + 1);
      const bad = `${jws.slice(0, jws.lastIndexOf(".") + 1)}${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
      expect((await decodeShc(jwsToNumeric(bad))).verifications.trustable).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("a zip bomb is refused before it fills memory, by either inflater, even when signed", async () => {
    const { deflateRawSync } = await import("node:zlib");
    const bomb = deflateRawSync(Buffer.alloc(10 * 1024 * 1024, 0x20));
    await expect(inflateRaw(bomb)).rejects.toThrow(/too large/);
    expect(() => inflateRawNode(bomb)).toThrow();
    const { keys, trusted } = await ourIssuer();
    const key = keys.signing("shc");
    const signed = await new CompactSign(bomb).setProtectedHeader({ alg: "ES256", zip: "DEF", kid: key.kid }).sign(key.privateKey);
    for (const inflate of [undefined, inflateRawNode]) expect((await verifyCard(signed, { issuers: [trusted()], now: NOW, ...(inflate ? { inflate } : {}) })).reason).toBe("malformed");
  });
});
