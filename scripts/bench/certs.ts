/**
 * Benchmark of SMART Health Card issuing and verifying (`npm run bench:certs`, or
 * `npx tsx scripts/bench/certs.ts`). One process, one core, strictly sequential: no database, no
 * HTTP — the cryptography and encoding a certificate costs, against bare jose as the floor.
 *
 * - issue: a realistic three-dose card (Vietnamese name, birth date, three Immunizations with
 *   lot and site; a different person each time): FHIR bundle → claims → minified JSON → raw
 *   DEFLATE (node:zlib) → ES256 compact JWS → the `shc:/` numeric QR text
 *   (server/certificates/{fhir,issue,shc}.ts, exactly what the API runs after reading the doses).
 * - verify: `verifyCard` on each QR text (server/certificates/shc.ts, the module the browser
 *   verifier runs too): numeric → JWS, header, signature (ES256), inflate, claims and FHIR read
 *   back, revocation list checked (a list of --revoked entries). Timed as the server runs it
 *   (node:zlib inflates: "verified_per_s"), then as the browser does (DecompressionStream, whose
 *   web-streams plumbing costs ~0.4 ms a card in Node), reported on the summary line only.
 * - baseline: jose's CompactSign / compactVerify of a random payload of the same byte size as the
 *   signed (deflated) card payload, key imported once: the cost of the signature alone.
 *
 * Each phase runs --warmup rounds first (not counted), then --cards rounds; the phases take turns
 * in blocks of 100 so the load of a shared machine weighs on all of them alike. Ratios are ours
 * over the baseline's rate (1.0 = no overhead beyond the signature).
 *
 *   --cards N (2000)  --warmup N (200)  --revoked N (1000): entries in the revocation list
 *
 * Last line of output:
 * {"bench":"certs","issued_per_s":…,"verified_per_s":…,"baseline_sign_per_s":…,"baseline_verify_per_s":…,
 *  "issue_ratio":…,"verify_ratio":…,"payload_bytes":…}
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { CompactSign, compactVerify } from "jose";
import { loadKeyring } from "../../server/auth/keys";
import { fhirBundle, healthCardPayload, immunizationResource } from "../../server/certificates/fhir";
import { cardRid, inflateRawNode, signCard } from "../../server/certificates/issue";
import { jwsToNumeric, verifyCard, type RevocationList, type TrustedIssuer } from "../../server/certificates/shc";

const { values } = parseArgs({
  options: {
    cards: { type: "string", default: "2000" },
    warmup: { type: "string", default: "200" },
    revoked: { type: "string", default: "1000" },
  },
  strict: true,
});
const int = (v: string | undefined, name: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${v})`);
  return n;
};
const CARDS = int(values.cards, "--cards", 1);
const WARMUP = int(values.warmup, "--warmup", 0);
const REVOKED = int(values.revoked, "--revoked", 0);

const ISS = "https://suckhoe.example.gov.vn";
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"];
const MIDDLE = ["Thị", "Văn", "Đức", "Ngọc", "Minh", "Thu", "Quang", "Hữu"];
const GIVEN = ["Hoa", "Nam", "Lan", "Hùng", "Mai", "Tuấn", "Hương", "Dũng", "Trang", "Phúc"];
const SITES = ["Trạm Y tế phường Hoàn Kiếm", "Trung tâm Y tế Cửa Nam", "Trạm Y tế phường Sài Gòn", "Bệnh viện Bạch Mai"];

const keys = await loadKeyring({ dir: undefined, hashSecret: "bench-certs" });
const shc = keys.signing("shc");
const nowSeconds = Math.floor(Date.now() / 1000);

/** Card i: a different person, dates and lots each time. */
function payloadOf(i: number) {
  const day = (offset: number) => new Date(Date.UTC(2026, 0, 1) + ((i * 7 + offset) % 300) * 86400_000).toISOString().slice(0, 10);
  const bundle = fhirBundle(
    { fullName: `${FAMILY[i % 10]} ${MIDDLE[i % 8]} ${GIVEN[(i >> 3) % 10]}`, birthDate: `19${50 + (i % 50)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}` },
    [
      immunizationResource({ cvx: "210", date: day(0), lotNumber: `AZ-2026-${String(i % 997).padStart(3, "0")}`, performer: SITES[i % 4]! }),
      immunizationResource({ cvx: "208", date: day(60), lotNumber: `PF-2026-${String(i % 991).padStart(3, "0")}`, performer: SITES[(i + 1) % 4]! }),
      immunizationResource({ cvx: "207", date: day(150), lotNumber: `MO-2026-${String(i % 983).padStart(3, "0")}`, performer: SITES[(i + 2) % 4]! }),
    ],
  );
  return healthCardPayload({ iss: ISS, nbf: nowSeconds, bundle, rid: cardRid(keys, shc.kid, `person-${i}`) });
}

async function issue(i: number): Promise<string> {
  return jwsToNumeric(await signCard(shc, payloadOf(i)));
}

// Issue every card once first (not timed): the verify phases need the QR texts, and the payload
// size of the baseline is the cards' average.
const qrs: string[] = [];
for (let i = 0; i < CARDS; i++) qrs.push(await issue(i));
const jwsOf = (qr: string) => qr.slice(5).match(/../g)!.map((d) => String.fromCharCode(Number(d) + 45)).join("");
const payloadBytes = Math.round(qrs.reduce((a, q) => a + Buffer.from(jwsOf(q).split(".")[1]!, "base64url").length, 0) / CARDS);
const jwsChars = Math.round(qrs.reduce((a, q) => a + (q.length - 5) / 2, 0) / CARDS);

// Verification against a revocation list of REVOKED other people (half of them rid.<time>)
const crl: RevocationList = {
  kid: shc.kid,
  method: "rid",
  ctr: REVOKED + 1,
  rids: Array.from({ length: REVOKED }, (_, i) => `${cardRid(keys, shc.kid, `revoked-${i}`)}${i % 2 ? `.${nowSeconds - 3600}` : ""}`),
};
const issuer: TrustedIssuer = { iss: ISS, keys: [{ ...shc.publicJwk, crlVersion: crl.ctr }], crls: [crl] };
let invalid = 0;
const verifyWith = (inflate: typeof inflateRawNode | undefined) => async (i: number) => {
  const r = await verifyCard(qrs[i % CARDS]!, { issuers: [issuer], ...(inflate ? { inflate } : {}) });
  if (!r.valid || r.doses.length !== 3) invalid++;
};

// Baseline: bare jose ES256 over the same number of random bytes, key imported once
const payload = randomBytes(payloadBytes);
const signed = await Promise.all(Array.from({ length: 16 }, () => new CompactSign(payload).setProtectedHeader({ alg: "ES256" }).sign(shc.privateKey)));

const phases = {
  issue: (i: number) => issue(i),
  // as the server runs it (POST /api/certificates/verify: node:zlib inflates) …
  verify: verifyWith(inflateRawNode),
  // … and as the browser verifier runs it (DecompressionStream), measured here in Node
  webVerify: verifyWith(undefined),
  sign: () => new CompactSign(payload).setProtectedHeader({ alg: "ES256" }).sign(shc.privateKey),
  baseVerify: (i: number) => compactVerify(signed[i % signed.length]!, shc.publicKey),
};
type Phase = keyof typeof phases;
const seconds = Object.fromEntries(Object.keys(phases).map((k) => [k, 0])) as Record<Phase, number>;
for (const run of Object.values(phases)) for (let i = 0; i < WARMUP; i++) await run(i);
// The phases take turns in blocks of BLOCK rounds, so a busy neighbour on a shared machine slows
// ours and the baseline alike instead of skewing the ratios.
const BLOCK = 100;
for (let from = 0; from < CARDS; from += BLOCK) {
  for (const [name, run] of Object.entries(phases) as [Phase, (i: number) => Promise<unknown>][]) {
    const t0 = performance.now();
    for (let i = from; i < Math.min(CARDS, from + BLOCK); i++) await run(i);
    seconds[name] += (performance.now() - t0) / 1000;
  }
}
if (invalid) throw new Error(`${invalid} verifications failed`);
const issueSeconds = seconds.issue;
const verifySeconds = seconds.verify;
const webVerifySeconds = seconds.webVerify;
const signSeconds = seconds.sign;
const baseVerifySeconds = seconds.baseVerify;

const rate = (s: number) => Math.round(CARDS / s);
const result = {
  bench: "certs",
  issued_per_s: rate(issueSeconds),
  verified_per_s: rate(verifySeconds),
  baseline_sign_per_s: rate(signSeconds),
  baseline_verify_per_s: rate(baseVerifySeconds),
  issue_ratio: Number((signSeconds / issueSeconds).toFixed(3)),
  verify_ratio: Number((baseVerifySeconds / verifySeconds).toFixed(3)),
  payload_bytes: payloadBytes,
};
console.log(
  `Certificates benchmark — ${CARDS} cards (3 doses), one process, sequential; node ${process.version}, ${cpus()[0]?.model ?? "cpu"} ×${cpus().length}\n` +
    `  card: ${payloadBytes} bytes deflated payload, ${jwsChars} JWS characters (${2 * jwsChars + 5} in the QR text); revocation list of ${REVOKED}\n` +
    `  issue  ${result.issued_per_s}/s (jose sign alone ${result.baseline_sign_per_s}/s, ratio ${result.issue_ratio})\n` +
    `  verify ${result.verified_per_s}/s (jose verify alone ${result.baseline_verify_per_s}/s, ratio ${result.verify_ratio}); ` +
    `with DecompressionStream (the browser's path) ${rate(webVerifySeconds)}/s`,
);
console.log(JSON.stringify(result));
