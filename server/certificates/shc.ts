/**
 * Reading and checking SMART Health Cards (spec.smarthealth.cards; HL7 "SMART Health Cards and
 * Links" IG): the `shc:/` numeric QR text, the compact JWS (ES256, `zip: "DEF"`, `kid`), the raw
 * DEFLATE payload, the issuer's keys and revocation list (`rid`, `rid.<timestamp>`), and what the
 * FHIR bundle says (patient, immunizations, test results).
 *
 * ISOMORPHIC on purpose: no `node:` imports, only jose and web platform APIs
 * (DecompressionStream "deflate-raw", TextDecoder), so the same code runs on the server
 * (POST /api/certificates/verify) and in the browser verifier page (web/verify.html), which checks
 * cards offline against the keys and lists it cached. Issuing lives in ./issue.ts (server only).
 */
import { base64url, compactVerify, importJWK, type JWK } from "jose";

export const SHC_PREFIX = "shc:/";
export const HEALTH_CARD_TYPE = "https://smarthealth.cards#health-card";
/** vc.type of a laboratory-result card (with HEALTH_CARD_TYPE and COVID19_CARD_TYPE). */
export const LABORATORY_CARD_TYPE = "https://smarthealth.cards#laboratory";
export const COVID19_CARD_TYPE = "https://smarthealth.cards#covid19";
export const CVX_SYSTEM = "http://hl7.org/fhir/sid/cvx";
/** Cards minted a little "in the future" by a fast clock still pass (phones' clocks drift). */
export const CLOCK_SKEW_SECONDS = 300;
/** No honest card inflates to more than this; a bigger payload is a zip bomb, not a card. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Lowest character of a compact JWS ('-'): each character c is written as c − 45, two digits. */
const OFFSET = 45;

/** Why a card is not valid, in the order the checks run. */
export const VERIFY_REASONS = [
  "malformed",
  "unknown_issuer",
  "bad_signature",
  "revoked",
  "expired",
  "not_yet_valid",
  "revocation_unknown",
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

/** A key of an issuer's /.well-known/jwks.json (`crlVersion` when it publishes revocations). */
export type IssuerKey = JWK & { kid?: string; crlVersion?: number };

/** An issuer's card revocation list, /.well-known/crl/<kid>.json. */
export interface RevocationList {
  kid: string;
  method: "rid" | string;
  ctr: number;
  rids: string[];
}

/** An issuer the verifier trusts: its `iss` URL, its keys, and the revocation lists it has. */
export interface TrustedIssuer {
  iss: string;
  keys: IssuerKey[];
  crls?: RevocationList[];
  /** Shown instead of the URL, when the verifier knows it. */
  name?: string;
}

export interface CardDose {
  /** YYYY-MM-DD (as the card gives it). */
  date: string | null;
  /** The product's name when the CVX code is known, else "CVX <code>". */
  product: string;
  cvx: string | null;
  lot: string | null;
  performer: string | null;
}

export type CardTestType = "pcr" | "rapid_antigen";
export type CardTestResult = "negative" | "positive" | "invalid";

export interface CardTest {
  /** YYYY-MM-DD of the sample (as the card gives it). */
  date: string | null;
  /** When the sample was taken, as the card gives it (a day or an instant with its offset). */
  takenAt: string | null;
  /** LOINC (or other) code of the test and its system. */
  code: string | null;
  system: string | null;
  /** The test when the code is a known COVID-19 test (LOINC 94309-2 PCR, 94558-4 antigen, …). */
  testType: CardTestType | null;
  /** The qualitative result, when its code is a known one. */
  result: CardTestResult | null;
  /** The result's code as the card gives it (e.g. SNOMED 260385009), or a value as text. */
  resultCode: string | null;
  performer: string | null;
}

/** The LOINC code each test type is issued with. */
export const TEST_LOINC: Record<CardTestType, string> = { pcr: "94309-2", rapid_antigen: "94558-4" };
/** The SNOMED CT code each result is issued with. */
export const RESULT_SNOMED: Record<CardTestResult, string> = { negative: "260385009", positive: "10828004", invalid: "455371000124106" };

/** LOINC codes of SARS-CoV-2 tests read from cards (ours and other issuers' common ones). */
const LOINC_TEST_TYPES = new Map<string, CardTestType>([
  ...["94309-2", "94500-6", "94533-7", "94534-5", "94759-8", "94845-5", "94307-6", "94308-4"].map((c) => [c, "pcr"] as const),
  ...["94558-4", "95209-3", "97097-0"].map((c) => [c, "rapid_antigen"] as const),
]);
/** SNOMED CT qualitative results read from cards: ours, and "not detected / detected / inconclusive / unsatisfactory". */
const SNOMED_RESULTS = new Map<string, CardTestResult>([
  ["260385009", "negative"],
  ["260415000", "negative"],
  ["10828004", "positive"],
  ["260373001", "positive"],
  ["455371000124106", "invalid"],
  ["419984006", "invalid"],
  ["125154007", "invalid"],
]);

export interface CardContent {
  /** A laboratory-result card ("test": vc.type #laboratory, or test results and no dose) or a vaccination card. */
  kind: "vaccination" | "test";
  issuer: string | null;
  /** nbf as an ISO instant. */
  issuedAt: string | null;
  name: string | null;
  birthDate: string | null;
  doses: CardDose[];
  tests: CardTest[];
}

export interface VerifyResult extends CardContent {
  valid: boolean;
  reason?: VerifyReason;
  /** The key that signed it, when found. */
  kid?: string;
}

export interface JwsHeader {
  alg?: unknown;
  zip?: unknown;
  kid?: unknown;
  [k: string]: unknown;
}

export interface HealthCardPayload {
  iss: string;
  nbf: number;
  exp?: number;
  vc: {
    type: string[];
    credentialSubject: { fhirVersion: string; fhirBundle: FhirBundle };
    rid?: string;
  };
}

export interface FhirBundle {
  resourceType: "Bundle";
  type: string;
  entry: { fullUrl?: string; resource: FhirResource }[];
}

export type FhirResource = { resourceType: string } & Record<string, unknown>;

/** A card that cannot be read at all (bad QR text, broken JWS, not deflate, not a health card). */
export class MalformedCard extends Error {
  override name = "MalformedCard";
}

// ---------------------------------------------------------------------------------------------
// shc:/ numeric text

/** `shc:/` + two digits per JWS character (its code − 45): the text a card's QR holds. */
export function jwsToNumeric(jws: string): string {
  let digits = "";
  for (let i = 0; i < jws.length; i++) {
    const n = jws.charCodeAt(i) - OFFSET;
    if (n < 0 || n > 99) throw new MalformedCard("Not a compact JWS character");
    digits += n < 10 ? `0${n}` : String(n);
  }
  return SHC_PREFIX + digits;
}

/** The JWS in a `shc:/` QR text. Chunked QRs (`shc:/1/2/…`, deprecated by the spec) are refused. */
export function numericToJws(qr: string): string {
  const text = qr.trim();
  if (!text.toLowerCase().startsWith(SHC_PREFIX)) throw new MalformedCard("Not a shc:/ text");
  const start = SHC_PREFIX.length;
  const length = text.length - start;
  if (!length) throw new MalformedCard("No digits");
  if (length % 2) throw new MalformedCard(text.includes("/", start) ? "Chunked health cards are not supported" : "Odd number of digits");
  const codes = new Array<number>(length / 2);
  for (let i = 0; i < codes.length; i++) {
    const hi = text.charCodeAt(start + 2 * i) - 48;
    const lo = text.charCodeAt(start + 2 * i + 1) - 48;
    if (hi < 0 || hi > 9 || lo < 0 || lo > 9) throw new MalformedCard(text.includes("/", start) ? "Chunked health cards are not supported" : "Not numeric");
    const n = hi * 10 + lo;
    // '-' (45) … 'z' (122): anything above is no JWS character
    if (n > 122 - OFFSET) throw new MalformedCard("Digit pair out of range");
    codes[i] = n + OFFSET;
  }
  let jws = "";
  for (let i = 0; i < codes.length; i += 4096) jws += String.fromCharCode(...codes.slice(i, i + 4096));
  return jws;
}

/** A JWS from what a person scanned or pasted: a `shc:/` text or the JWS itself. */
export function cardJws(input: string): string {
  const text = input.trim();
  const jws = text.toLowerCase().startsWith(SHC_PREFIX) ? numericToJws(text) : text;
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) throw new MalformedCard("Not a compact JWS");
  return jws;
}

// ---------------------------------------------------------------------------------------------
// JWS and payload

const utf8 = new TextDecoder("utf-8", { fatal: true });

function b64json(part: string): unknown {
  try {
    return JSON.parse(utf8.decode(base64url.decode(part)));
  } catch {
    throw new MalformedCard("Not base64url JSON");
  }
}

export function jwsHeader(jws: string): JwsHeader {
  const header = b64json(jws.split(".")[0] ?? "");
  if (!header || typeof header !== "object" || Array.isArray(header)) throw new MalformedCard("Header is not an object");
  return header as JwsHeader;
}

/** Inflates raw DEFLATE, refusing more than `limit` bytes of output. */
export type Inflate = (bytes: Uint8Array, limit?: number) => Promise<Uint8Array> | Uint8Array;

/**
 * Raw DEFLATE (no zlib header), through the platform's DecompressionStream, size-capped. The
 * default everywhere; the server passes node:zlib instead (several times faster in Node).
 */
export const inflateRaw: Inflate = async (bytes, limit = MAX_PAYLOAD_BYTES) => {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  // Errors surface through the reader below; these promises must not reject unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw new MalformedCard("Payload too large");
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e instanceof MalformedCard ? e : new MalformedCard("Payload is not raw DEFLATE");
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
};

/** The card's claims: the JWS payload inflated and parsed, its shape checked. */
export async function decodePayload(jws: string, inflate: Inflate = inflateRaw): Promise<HealthCardPayload> {
  const header = jwsHeader(jws);
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(jws.split(".")[1] ?? "");
  } catch {
    throw new MalformedCard("Payload is not base64url");
  }
  if (header.zip === "DEF") {
    try {
      bytes = await inflate(bytes, MAX_PAYLOAD_BYTES);
    } catch (e) {
      throw e instanceof MalformedCard ? e : new MalformedCard("Payload is not raw DEFLATE, or too large");
    }
  }
  let payload: unknown;
  try {
    payload = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new MalformedCard("Payload is not JSON");
  }
  return checkPayload(payload);
}

function checkPayload(p: unknown): HealthCardPayload {
  const o = p as Partial<HealthCardPayload> | null;
  if (!o || typeof o !== "object") throw new MalformedCard("Payload is not an object");
  if (typeof o.iss !== "string" || !o.iss) throw new MalformedCard("No iss");
  if (typeof o.nbf !== "number" || !Number.isFinite(o.nbf)) throw new MalformedCard("No nbf");
  if (o.exp !== undefined && (typeof o.exp !== "number" || !Number.isFinite(o.exp))) throw new MalformedCard("Bad exp");
  const vc = o.vc;
  if (!vc || !Array.isArray(vc.type) || !vc.type.includes(HEALTH_CARD_TYPE)) throw new MalformedCard("Not a health card");
  const bundle = vc.credentialSubject?.fhirBundle;
  if (!bundle || bundle.resourceType !== "Bundle" || !Array.isArray(bundle.entry)) throw new MalformedCard("No FHIR bundle");
  if (vc.rid !== undefined && (typeof vc.rid !== "string" || !/^[A-Za-z0-9_-]{1,24}$/.test(vc.rid))) throw new MalformedCard("Bad rid");
  return o as HealthCardPayload;
}

// ---------------------------------------------------------------------------------------------
// revocation

/**
 * Whether a revocation list revokes a card: an entry `rid` revokes every card with that rid, an
 * entry `rid.<t>` the cards whose nbf is before t (seconds since 1970).
 */
export function isRevoked(crl: Pick<RevocationList, "rids"> | undefined, rid: string | undefined, nbf: number): boolean {
  if (!crl || !rid) return false;
  for (const entry of crl.rids) {
    if (!entry.startsWith(rid)) continue;
    if (entry.length === rid.length) return true;
    if (entry.charCodeAt(rid.length) !== 46 /* . */) continue;
    const until = Number(entry.slice(rid.length + 1));
    if (Number.isFinite(until) && nbf < until) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// FHIR contents

/** CVX codes of COVID-19 vaccines a card may carry (CDC CVX table), for showing a name. */
export const CVX_NAMES: Record<string, string> = {
  "207": "Moderna COVID-19 (Spikevax)",
  "208": "Pfizer-BioNTech COVID-19 (Comirnaty)",
  "210": "AstraZeneca COVID-19 (Vaxzevria)",
  "211": "Novavax COVID-19",
  "212": "Janssen COVID-19",
  "213": "COVID-19, unspecified",
  "217": "Pfizer-BioNTech COVID-19 (Comirnaty)",
  "218": "Pfizer-BioNTech COVID-19 (Comirnaty)",
  "219": "Pfizer-BioNTech COVID-19 (Comirnaty)",
  "221": "Moderna COVID-19 (Spikevax)",
  "228": "Moderna COVID-19 (Spikevax)",
  "229": "Moderna COVID-19, bivalent",
  "230": "Moderna COVID-19, bivalent",
  "300": "Pfizer-BioNTech COVID-19, bivalent",
  "301": "Pfizer-BioNTech COVID-19, bivalent",
  "500": "COVID-19 non-US vaccine (Abdala)",
  "502": "Covaxin",
  "505": "Sputnik V",
  "510": "Sinopharm BBIBP-CorV",
  "511": "Sinovac CoronaVac",
};

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function firstCoding(concept: unknown): { system: string | null; code: string | null } {
  const c = obj(arr(obj(concept)?.coding)[0]);
  return { system: str(c?.system), code: str(c?.code) };
}

function performerOf(r: Json): string | null {
  const p = obj(arr(r.performer)[0]);
  return str(obj(p?.actor)?.display) ?? str(obj(arr(r.performer)[0])?.display);
}

function humanName(v: unknown): string | null {
  const n = obj(arr(v)[0]);
  if (!n) return null;
  const text = str(n.text);
  if (text) return text;
  const parts = [...arr(n.given).filter((g): g is string => typeof g === "string"), str(n.family)].filter(Boolean);
  return parts.length ? parts.join(" ") : null;
}

/** What a card's bundle says about its holder: name, birth date, doses (by date), tests. */
export function cardContent(payload: HealthCardPayload): CardContent {
  const entries = arr(payload.vc.credentialSubject.fhirBundle.entry).map((e) => obj(obj(e)?.resource)).filter((r): r is Json => !!r);
  const patient = entries.find((r) => r.resourceType === "Patient");
  const doses: CardDose[] = entries
    .filter((r) => r.resourceType === "Immunization" && (r.status === undefined || r.status === "completed"))
    .map((r) => {
      const { code } = firstCoding(r.vaccineCode);
      return {
        date: str(r.occurrenceDateTime)?.slice(0, 10) ?? null,
        product: code ? (CVX_NAMES[code] ?? `CVX ${code}`) : "—",
        cvx: code,
        lot: str(r.lotNumber),
        performer: performerOf(r),
      };
    })
    .sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""));
  const tests: CardTest[] = entries
    .filter((r) => r.resourceType === "Observation" && (r.status === undefined || r.status === "final" || r.status === "amended" || r.status === "corrected"))
    .map((r) => {
      const { system, code } = firstCoding(r.code);
      const value = firstCoding(r.valueCodeableConcept);
      const resultCode = value.code ?? str(r.valueString) ?? (typeof obj(r.valueQuantity)?.value === "number" ? String(obj(r.valueQuantity)!.value) : null);
      const takenAt = str(r.effectiveDateTime);
      return {
        date: takenAt?.slice(0, 10) ?? null,
        takenAt,
        code,
        system,
        testType: code && (!system || system === "http://loinc.org") ? (LOINC_TEST_TYPES.get(code) ?? null) : null,
        result: value.code && (!value.system || value.system === "http://snomed.info/sct") ? (SNOMED_RESULTS.get(value.code) ?? null) : null,
        resultCode,
        performer: performerOf(r),
      };
    })
    .sort((a, b) => (a.takenAt ?? "").localeCompare(b.takenAt ?? ""));
  const types = arr(payload.vc.type);
  return {
    kind: types.includes(LABORATORY_CARD_TYPE) || (tests.length > 0 && doses.length === 0) ? "test" : "vaccination",
    issuer: payload.iss,
    issuedAt: new Date(payload.nbf * 1000).toISOString(),
    name: humanName(patient?.name),
    birthDate: str(patient?.birthDate),
    doses,
    tests,
  };
}

// ---------------------------------------------------------------------------------------------
// verification

/** Imported issuer keys by coordinates: importing costs about as much as a verification. */
const importedKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();

function publicKey(jwk: IssuerKey): Promise<CryptoKey | Uint8Array> {
  const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y}`;
  let key = importedKeys.get(id);
  if (!key) {
    if (importedKeys.size >= 64) importedKeys.clear();
    key = importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, "ES256");
    key.catch(() => importedKeys.delete(id));
    importedKeys.set(id, key);
  }
  return key;
}

const EMPTY: CardContent = { kind: "vaccination", issuer: null, issuedAt: null, name: null, birthDate: null, doses: [], tests: [] };

export interface VerifyOptions {
  /** The issuers this verifier trusts, with their keys and revocation lists. */
  issuers: TrustedIssuer[];
  /** Verification time (default: now). */
  now?: Date;
  /** Inflater of the payload (default: DecompressionStream; the server passes node:zlib). */
  inflate?: Inflate;
}

/**
 * Checks a card (a `shc:/` text or a JWS) and says what it holds. A valid card: readable, signed by
 * a key of a trusted issuer whose `iss` it names, not expired, not minted in the future, not
 * revoked (its issuer's list for the key is required when the key announces one with
 * `crlVersion`). Content is returned only once the signature holds, so nothing forged is shown.
 * Throws (rather than calling a card bad) when the platform cannot verify at all: browsers give
 * Web Crypto only to secure contexts.
 */
export async function verifyCard(input: string, options: VerifyOptions): Promise<VerifyResult> {
  if (!globalThis.crypto?.subtle) throw new Error("Web Crypto is unavailable: serve the verifier over HTTPS (or from localhost)");
  const now = (options.now ?? new Date()).getTime() / 1000;
  let jws: string;
  let header: JwsHeader;
  try {
    jws = cardJws(input);
    header = jwsHeader(jws);
  } catch {
    return { valid: false, reason: "malformed", ...EMPTY };
  }
  if (header.alg !== "ES256" || header.zip !== "DEF" || typeof header.kid !== "string" || !header.kid) return { valid: false, reason: "malformed", ...EMPTY };
  const kid = header.kid;
  const issuer = options.issuers.find((i) => i.keys.some((k) => k.kid === kid));
  const jwk = issuer?.keys.find((k) => k.kid === kid);
  if (!issuer || !jwk) {
    // Name the issuer the card claims (unverified), so the person sees whose card it says it is.
    const claimed = await decodePayload(jws, options.inflate).catch(() => null);
    return { valid: false, reason: claimed ? "unknown_issuer" : "malformed", ...EMPTY, issuer: claimed?.iss ?? null };
  }
  try {
    await compactVerify(jws, await publicKey(jwk), { algorithms: ["ES256"] });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // Only jose's own verdicts name the card; anything else (no Web Crypto) is the verifier's fault.
    if (typeof code !== "string" || !code.startsWith("ERR_J")) throw e;
    return { valid: false, reason: code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" ? "bad_signature" : "malformed", ...EMPTY, kid };
  }
  let payload: HealthCardPayload;
  try {
    payload = await decodePayload(jws, options.inflate);
  } catch {
    return { valid: false, reason: "malformed", ...EMPTY, kid };
  }
  const content = cardContent(payload);
  const fail = (reason: VerifyReason): VerifyResult => ({ valid: false, reason, ...content, kid });
  if (payload.iss !== issuer.iss) return { valid: false, reason: "unknown_issuer", ...EMPTY, issuer: payload.iss, kid };
  if (payload.exp !== undefined && payload.exp < now) return fail("expired");
  if (payload.nbf > now + CLOCK_SKEW_SECONDS) return fail("not_yet_valid");
  const crl = issuer.crls?.find((c) => c.kid === kid && c.method === "rid");
  if (isRevoked(crl, payload.vc.rid, payload.nbf)) return fail("revoked");
  if (jwk.crlVersion !== undefined && !crl) return fail("revocation_unknown");
  return { valid: true, ...content, kid };
}
