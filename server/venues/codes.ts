/**
 * Signed codes: the venue code on posters and screens, and the personal QR a phone keeps.
 * Both are compact JWS (ES256) with the kid pinned to our key of that purpose, so forged
 * codes and codes of another key are refused offline. Verified venue codes are cached by
 * string: ES256 runs once per poster, not once per scan.
 */
import { CompactSign, compactVerify, decodeProtectedHeader } from "jose";
import type { Keyring } from "../auth/keys";

export interface VenueCode {
  venueId: string;
  provinceCode: string;
  qrVersion: number;
  /** Unix seconds; only on-screen rotating codes expire. */
  exp?: number;
}

export class CodeError extends Error {
  constructor(readonly code: "invalid_code" | "expired_code" | "invalid_personal_qr", message: string) {
    super(message);
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

async function sign(keys: Keyring, purpose: "venue" | "person", payload: object): Promise<string> {
  const key = keys.signing(purpose);
  return new CompactSign(enc.encode(JSON.stringify(payload))).setProtectedHeader({ alg: "ES256", kid: key.kid }).sign(key.privateKey);
}

async function verify(keys: Keyring, purpose: "venue" | "person", token: string): Promise<Record<string, unknown> | null> {
  const key = keys.signing(purpose);
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== "ES256" || header.kid !== key.kid) return null;
    const { payload } = await compactVerify(token, key.publicKey, { algorithms: ["ES256"] });
    const body = JSON.parse(dec.decode(payload)) as unknown;
    return body && typeof body === "object" ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function signVenueCode(keys: Keyring, code: VenueCode): Promise<string> {
  return sign(keys, "venue", { v: code.venueId, p: code.provinceCode, q: code.qrVersion, ...(code.exp ? { e: code.exp } : {}) });
}

const CACHE_MAX = 100_000;

/** Verifies venue codes, remembering good and bad ones by string. */
export function createVenueCodeVerifier(keys: Keyring) {
  const cache = new Map<string, VenueCode | null>();
  return async function verifyVenueCode(token: string, now: Date): Promise<VenueCode> {
    let code = cache.get(token);
    if (code === undefined) {
      const body = await verify(keys, "venue", token);
      const ok =
        body && typeof body.v === "string" && typeof body.p === "string" && typeof body.q === "number" && (body.e === undefined || typeof body.e === "number");
      code = ok ? { venueId: body.v as string, provinceCode: body.p as string, qrVersion: body.q as number, ...(body.e ? { exp: body.e as number } : {}) } : null;
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
      cache.set(token, code);
    }
    if (!code) throw new CodeError("invalid_code", "This is not a valid check-in code of this platform");
    if (code.exp !== undefined && code.exp * 1000 < now.getTime())
      throw new CodeError("expired_code", "This on-screen code has expired; scan the code on the screen again");
    return code;
  };
}

export type VenueCodeVerifier = ReturnType<typeof createVenueCodeVerifier>;

/** What a personal QR carries: no more than a checkpoint needs (no name, no ID number). */
export interface PersonalCode {
  personId: string;
  /** Null for a citizen's health QR (it names no province): the person record says. */
  provinceCode: string | null;
  initials: string;
  birthYear: number | null;
  exp: number;
}

export function signPersonalCode(keys: Keyring, code: PersonalCode): Promise<string> {
  return sign(keys, "person", { sub: code.personId, p: code.provinceCode, ini: code.initials, by: code.birthYear, exp: code.exp });
}

export async function verifyPersonalCode(keys: Keyring, token: string, now: Date): Promise<PersonalCode> {
  const body = await verify(keys, "person", token);
  // The citizen app's health QR (server/citizens/health-qr.ts) works too: {pid, ini, by, st, iat, exp}.
  if (body && typeof body.pid === "string") {
    if (typeof body.exp !== "number") throw new CodeError("invalid_personal_qr", "This personal QR code is not valid");
    if (body.exp * 1000 <= now.getTime()) throw new CodeError("expired_code", "This health QR code has expired; ask the person to open it again");
    return { personId: body.pid, provinceCode: null, initials: String(body.ini ?? ""), birthYear: typeof body.by === "number" ? body.by : null, exp: body.exp };
  }
  if (!body || typeof body.sub !== "string" || typeof body.p !== "string" || typeof body.exp !== "number")
    throw new CodeError("invalid_personal_qr", "This personal QR code is not valid");
  if (body.exp * 1000 < now.getTime()) throw new CodeError("invalid_personal_qr", "This personal QR code has expired; open the check-in page again to renew it");
  return {
    personId: body.sub,
    provinceCode: body.p,
    initials: String(body.ini ?? ""),
    birthYear: typeof body.by === "number" ? body.by : null,
    exp: body.exp,
  };
}

export function initialsOf(fullName: string): string {
  return fullName
    .trim()
    .split(/\s+/)
    .map((w) => w[0]?.toLocaleUpperCase("vi") ?? "")
    .join("")
    .slice(0, 4);
}
