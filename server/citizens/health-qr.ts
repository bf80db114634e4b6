/**
 * The personal health QR (docs/CITIZENS.md "Personal health QR"): a compact JWS (ES256, the
 * `person` key, kid pinned, typ "phc-health+jwt") whose payload is only
 * {pid, ini, by, st, iat, exp} — no name, no ID number, no phone. Anyone can check it offline
 * against /.well-known/jwks.json; venue staff and officers check it at POST /api/health-qr/verify
 * and venue staff check the person in with it (server/venues/codes.ts#verifyPersonalCode).
 *
 * Status: red — an active case (F0), or an open F1 contact whose quarantine is not over;
 * yellow — an open F2 contact, or a follow_up/watch declaration in the last 14 days, or no
 * declaration in the last 14 days; green otherwise.
 */
import { and, eq, gte, inArray } from "drizzle-orm";
import { CompactSign, compactVerify, decodeProtectedHeader } from "jose";
import { cases, contacts, declarations, OPEN_CONTACT_STATUSES } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/service";
import type { Keyring } from "../auth/keys";
import type { AuthUser } from "../auth/scope";
import { vnDay } from "../checkins/colour";
import type { Deps } from "../deps";
import { AppError } from "../http/errors";
import { CodeError, initialsOf } from "../venues/codes";
import { ownPerson, recordsOfPerson } from "./account";
import { HEALTH_STATUSES, type HEALTH_REASONS } from "./schemas";

export type HealthStatus = (typeof HEALTH_STATUSES)[number];
export type HealthReason = (typeof HEALTH_REASONS)[number];

export const HEALTH_QR_TYPE = "phc-health+jwt";
export const STATUS_COLOURS: Record<HealthStatus, string> = { green: "#15803d", yellow: "#ca8a04", red: "#b91c1c" };
/** Declarations older than this do not count. */
const DECLARATION_DAYS = 14;

/** Exactly what the token carries. */
export interface HealthPayload {
  pid: string;
  ini: string;
  by: number | null;
  st: HealthStatus;
  iat: number;
  exp: number;
}

type SignedIn = Actor & { user: AuthUser };

/** The status of a human from all their person records, at `now`. */
export async function healthStatusOf(deps: Deps, recordIds: string[], now: Date): Promise<{ status: HealthStatus; reasons: HealthReason[] }> {
  const today = vnDay(now);
  const since = new Date(now.getTime() - DECLARATION_DAYS * 86400_000);
  const [activeCase, openContacts, recent] = await Promise.all([
    deps.db
      .select({ id: cases.id })
      .from(cases)
      .where(and(inArray(cases.personId, recordIds), eq(cases.status, "active")))
      .limit(1),
    deps.db
      .selectDistinct({ degree: contacts.degree })
      .from(contacts)
      .where(and(inArray(contacts.personId, recordIds), inArray(contacts.status, [...OPEN_CONTACT_STATUSES]), gte(contacts.quarantineUntil, today))),
    deps.db
      .selectDistinct({ risk: declarations.risk })
      .from(declarations)
      .where(and(inArray(declarations.personId, recordIds), gte(declarations.createdAt, since))),
  ]);
  const reasons: HealthReason[] = [];
  if (activeCase.length) reasons.push("active_case");
  const degrees = new Set(openContacts.map((c) => c.degree));
  if (degrees.has(1)) reasons.push("open_f1");
  if ([...degrees].some((d) => d >= 2)) reasons.push("open_f2");
  const risks = new Set(recent.map((d) => d.risk));
  if (risks.has("follow_up")) reasons.push("declaration_follow_up");
  if (risks.has("watch")) reasons.push("declaration_watch");
  if (!recent.length) reasons.push("no_recent_declaration");
  const red = reasons.includes("active_case") || reasons.includes("open_f1");
  return { status: red ? "red" : reasons.length ? "yellow" : "green", reasons };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function signHealthToken(keys: Keyring, p: HealthPayload): Promise<string> {
  const key = keys.signing("person");
  const payload: HealthPayload = { pid: p.pid, ini: p.ini, by: p.by, st: p.st, iat: p.iat, exp: p.exp };
  return new CompactSign(enc.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: HEALTH_QR_TYPE })
    .sign(key.privateKey);
}

/** Parses a health token's payload: exactly {pid, ini, by, st, iat, exp} with the right types, else null. */
export function healthPayloadOf(body: unknown): HealthPayload | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.pid !== "string" || !/^[0-9a-f-]{36}$/i.test(b.pid)) return null;
  if (typeof b.ini !== "string" || !(b.by === null || typeof b.by === "number")) return null;
  if (typeof b.st !== "string" || !(HEALTH_STATUSES as readonly string[]).includes(b.st)) return null;
  if (typeof b.iat !== "number" || typeof b.exp !== "number") return null;
  return { pid: b.pid, ini: b.ini, by: b.by as number | null, st: b.st as HealthStatus, iat: b.iat, exp: b.exp };
}

/** Verifies a health QR against our `person` key only (ES256, kid and typ pinned); 400 invalid, 410 expired. */
export async function verifyHealthToken(keys: Keyring, token: string, now: Date): Promise<HealthPayload> {
  const key = keys.signing("person");
  const invalid = () => new CodeError("invalid_personal_qr", "This health QR code is not valid");
  let payload: HealthPayload | null = null;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== "ES256" || header.kid !== key.kid || header.typ !== HEALTH_QR_TYPE) throw invalid();
    const verified = await compactVerify(token, key.publicKey, { algorithms: ["ES256"] });
    payload = healthPayloadOf(JSON.parse(dec.decode(verified.payload)));
  } catch {
    throw invalid();
  }
  if (!payload) throw invalid();
  if (payload.exp * 1000 <= now.getTime()) throw new CodeError("expired_code", "This health QR code has expired; ask the person to open it again");
  return payload;
}

/** GET /api/me/health-qr: a fresh token for the account's person or a family member (404 for anyone else). */
export async function issueHealthQr(deps: Deps, actor: SignedIn, personId: string | undefined) {
  const { person, own } = await ownPerson(deps, actor.user.id, personId);
  const now = deps.now();
  const { status, reasons } = await healthStatusOf(deps, await recordsOfPerson(deps, person, own), now);
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + deps.config.healthQrTtl;
  const token = await signHealthToken(deps.keys, { pid: person.id, ini: initialsOf(person.fullName), by: person.birthYear, st: status, iat, exp });
  await recordAudit(deps, actor, {
    action: "me.health_qr",
    subjectType: "person",
    subjectId: person.id,
    area: { provinceCode: person.provinceCode, communeCode: person.communeCode },
    details: { status, own },
  });
  return { token, status, colour: STATUS_COLOURS[status], reasons, expiresAt: new Date(exp * 1000).toISOString() };
}

/** POST /api/health-qr/verify (venue staff and officers): what the QR says, audited. */
export async function checkHealthQr(deps: Deps, actor: SignedIn, token: string) {
  let p: HealthPayload;
  try {
    p = await verifyHealthToken(deps.keys, token, deps.now());
  } catch (e) {
    if (e instanceof CodeError) throw new AppError(e.code, e.message);
    throw e;
  }
  await recordAudit(deps, actor, {
    action: "health_qr.verify",
    subjectType: "person",
    subjectId: p.pid,
    area: { provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode },
    details: { status: p.st },
  });
  return { initials: p.ini, birthYear: p.by, status: p.st, colour: STATUS_COLOURS[p.st], expiresAt: new Date(p.exp * 1000).toISOString() };
}
