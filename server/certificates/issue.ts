/**
 * Issuing SMART Health Cards (server only): the revocation id of a person, signing (minified JSON,
 * raw DEFLATE with node:zlib, ES256 compact JWS with `zip: "DEF"` and the key's thumbprint as
 * `kid`), and the single QR (a byte segment "shc:/" + a numeric segment, error correction L,
 * version ≤ 22 as the spec asks so a 40 mm print still scans).
 */
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { CompactSign } from "jose";
import QRCode, { type QRCode as QrSymbol, type QRCodeSegment } from "qrcode";
import type { Keyring, SigningKey } from "../auth/keys";
import { jwsToNumeric, MAX_PAYLOAD_BYTES, SHC_PREFIX, type HealthCardPayload, type Inflate } from "./shc";

/** The largest QR version the spec allows for one card (105×105 modules). */
export const MAX_QR_VERSION = 22;
export const QR_ERROR_CORRECTION = "L" as const;

/**
 * rid = base64url(first 64 bits of HMAC-SHA-256(secret ‖ kid, personId)), the spec's recommended
 * construction: stable per person and key, so revoking a person's cards needs no list of the cards
 * issued, and meaningless to whoever reads the public revocation list.
 */
export function cardRid(keys: Pick<Keyring, "hashSecret">, kid: string, personId: string): string {
  return createHmac("sha256", ridKey(keys.hashSecret, kid))
    .update(personId, "utf8")
    .digest()
    .subarray(0, 8)
    .toString("base64url");
}

/** The HMAC key secret ‖ kid, made once per secret and kid (a KeyObject spares re-importing it). */
const ridKeys = new WeakMap<Buffer, Map<string, KeyObject>>();
function ridKey(secret: Buffer, kid: string): KeyObject {
  let byKid = ridKeys.get(secret);
  if (!byKid) ridKeys.set(secret, (byKid = new Map()));
  let key = byKid.get(kid);
  if (!key) byKid.set(kid, (key = createSecretKey(Buffer.concat([secret, Buffer.from(kid, "utf8")]))));
  return key;
}

/** Compact JWS of a card: minified claims, raw DEFLATE, ES256. */
export function signCard(key: SigningKey, payload: HealthCardPayload): Promise<string> {
  const deflated = deflateRawSync(Buffer.from(JSON.stringify(payload), "utf8"), { level: 9 });
  return new CompactSign(deflated).setProtectedHeader({ zip: "DEF", alg: "ES256", kid: key.kid }).sign(key.privateKey);
}

/** The QR segments of a card: "shc:/" in byte mode, the digits in numeric mode. */
export function cardQrSegments(jws: string): QRCodeSegment[] {
  return [
    { data: Buffer.from(SHC_PREFIX, "latin1"), mode: "byte" },
    { data: jwsToNumeric(jws).slice(SHC_PREFIX.length), mode: "numeric" },
  ];
}

/** The card's QR symbol; refuses a card too big for one QR of version ≤ 22. */
export function cardQr(jws: string): QrSymbol {
  const qr = QRCode.create(cardQrSegments(jws), { errorCorrectionLevel: QR_ERROR_CORRECTION });
  if (qr.version > MAX_QR_VERSION) throw new RangeError(`health card needs QR version ${qr.version} (> ${MAX_QR_VERSION})`);
  return qr;
}

/** node:zlib's raw inflate for verifyCard on the server: the same result, far less overhead than web streams. */
export const inflateRawNode: Inflate = (bytes, limit = MAX_PAYLOAD_BYTES) => inflateRawSync(bytes, { maxOutputLength: limit });
