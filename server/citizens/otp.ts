/**
 * Sign-in by one-time code (docs/CITIZENS.md "Citizen account"). A 6-digit code is sent by SMS;
 * only an HMAC of it is kept (keyed with a key derived from ID_HASH_SECRET, bound to the row id).
 * A code lives OTP_TTL, allows OTP_MAX_ATTEMPTS tries, is single-use, and a new code replaces
 * the old. Sends are counted in otp_codes itself (per phone and per address within OTP_WINDOW),
 * so the limits hold across restarts and instances. Answers never say whether a phone has an account.
 */
import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { otpCodes, users, type User } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/service";
import { issueSession } from "../auth/service";
import type { Deps } from "../deps";
import { AppError } from "../http/errors";
import { createCitizenAccount, personAreaOf } from "./account";

const keyCache = new WeakMap<Buffer, Buffer>();

/** The HMAC key of one-time codes: derived from the ID hash secret, so the two hashes never share a key. */
function otpKey(secret: Buffer): Buffer {
  let k = keyCache.get(secret);
  if (!k) keyCache.set(secret, (k = createHmac("sha256", secret).update("phc/otp-code/v1").digest()));
  return k;
}

export function hashOtp(deps: Deps, rowId: string, code: string): string {
  return createHmac("sha256", otpKey(deps.keys.hashSecret)).update(`${rowId}:${code}`).digest("base64url");
}

function smsText(code: string, ttlSeconds: number): string {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  // Plain ASCII keeps it one GSM-7 segment on every network.
  return `PHC: ma xac thuc cua ban la ${code}, hieu luc ${minutes} phut. Khong chia se ma nay voi bat ky ai.`;
}

/** 429 when `key` already has `limit` sends within the window; Retry-After = until the oldest leaves it. */
async function enforceLimit(deps: Deps, column: typeof otpCodes.phone | typeof otpCodes.ip, value: string, limit: number, now: Date) {
  const since = new Date(now.getTime() - deps.config.otpWindow * 1000);
  const rows = await deps.db
    .select({ createdAt: otpCodes.createdAt })
    .from(otpCodes)
    .where(and(eq(column, value), gt(otpCodes.createdAt, since)))
    .orderBy(desc(otpCodes.createdAt))
    .limit(limit);
  if (rows.length < limit) return;
  const oldest = rows[rows.length - 1]!.createdAt;
  const retry = Math.max(1, Math.ceil((oldest.getTime() + deps.config.otpWindow * 1000 - now.getTime()) / 1000));
  throw new AppError("rate_limited", "Too many codes requested; try again later", undefined, { "Retry-After": String(retry) });
}

/** POST /api/citizen/otp: sends a new code (the previous unused one stops working). */
export async function requestOtp(deps: Deps, actor: Actor, phone: string) {
  const now = deps.now();
  await enforceLimit(deps, otpCodes.phone, phone, deps.config.otpPerPhone, now);
  if (actor.ip) await enforceLimit(deps, otpCodes.ip, actor.ip, deps.config.otpPerIp, now);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    // A new code replaces the old: unused ones of this phone expire now.
    await tx
      .update(otpCodes)
      .set({ expiresAt: now })
      .where(and(eq(otpCodes.phone, phone), isNull(otpCodes.consumedAt), gt(otpCodes.expiresAt, now)));
    await tx.insert(otpCodes).values({
      id,
      phone,
      codeHash: hashOtp(deps, id, code),
      expiresAt: new Date(now.getTime() + deps.config.otpTtl * 1000),
      ip: actor.ip || null,
      createdAt: now,
    });
  });
  try {
    await deps.sms.send(phone, smsText(code, deps.config.otpTtl), code);
  } catch (e) {
    // Not delivered: the code is useless, and the failed send does not count against the limits.
    await deps.db.delete(otpCodes).where(eq(otpCodes.id, id));
    throw e;
  }
  return { sent: true as const, expiresIn: deps.config.otpTtl };
}

const wrongCode = (left?: number) =>
  new AppError(
    "otp_invalid",
    left === undefined ? "Wrong or already used code; ask for a new code" : `Wrong code; ${left} ${left === 1 ? "try" : "tries"} left`,
  );

/**
 * POST /api/citizen/verify: checks the latest code of the phone; on success signs in (and, the
 * first time, creates the account and its person record). A try is reserved atomically before
 * the comparison, so concurrent guesses cannot exceed OTP_MAX_ATTEMPTS.
 */
export async function verifyOtp(deps: Deps, actor: Actor, input: { phone: string; code: string }) {
  const now = deps.now();
  const max = deps.config.otpMaxAttempts;
  const [latest] = await deps.db
    .select()
    .from(otpCodes)
    .where(eq(otpCodes.phone, input.phone))
    .orderBy(desc(otpCodes.createdAt), desc(otpCodes.expiresAt))
    .limit(1);
  const fail = async (reason: string, error: AppError): Promise<never> => {
    await recordAudit(deps, actor, {
      action: "citizen.login_failed",
      subjectType: "otp",
      subjectId: latest?.id ?? null,
      area: { provinceCode: null, communeCode: null },
      details: { reason },
      actorOverride: { id: null, username: input.phone, role: "citizen" },
    });
    throw error;
  };
  if (!latest || latest.consumedAt) return fail(latest ? "used" : "no_code", wrongCode());
  if (latest.expiresAt <= now) return fail("expired", new AppError("otp_expired", "This code has expired; ask for a new code"));
  const exhausted = () => new AppError("otp_exhausted", "Too many wrong codes; ask for a new code");
  if (latest.attempts >= max) return fail("exhausted", exhausted());
  const [reserved] = await deps.db
    .update(otpCodes)
    .set({ attempts: sql`${otpCodes.attempts} + 1` })
    .where(and(eq(otpCodes.id, latest.id), isNull(otpCodes.consumedAt), gt(otpCodes.expiresAt, now), lt(otpCodes.attempts, max)))
    .returning({ attempts: otpCodes.attempts });
  if (!reserved) return fail("raced", exhausted());
  const expected = Buffer.from(latest.codeHash, "base64url");
  const given = Buffer.from(hashOtp(deps, latest.id, input.code), "base64url");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    const left = max - reserved.attempts;
    return fail("wrong_code", left > 0 ? wrongCode(left) : exhausted());
  }
  const [consumed] = await deps.db
    .update(otpCodes)
    .set({ consumedAt: now })
    .where(and(eq(otpCodes.id, latest.id), isNull(otpCodes.consumedAt)))
    .returning({ id: otpCodes.id });
  if (!consumed) return fail("used", wrongCode());

  let created = false;
  let [user] = await deps.db.select().from(users).where(eq(users.username, input.phone)).limit(1);
  if (!user) {
    const made = await createCitizenAccount(deps, input.phone);
    user = made.user;
    created = made.created;
  }
  if (user.role !== "citizen") return fail("not_citizen", new AppError("forbidden", "This number cannot sign in to the citizen app"));
  if (user.disabled) return fail("disabled", new AppError("forbidden", "This account is disabled"));
  await deps.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  const signedIn: User = { ...user, lastLoginAt: now };
  await recordAudit(deps, actor, {
    action: "citizen.login",
    subjectType: "user",
    subjectId: user.id,
    area: await personAreaOf(deps, user.personId),
    details: { created },
    actorOverride: { id: user.id, username: user.username, role: user.role },
  });
  return { ...(await issueSession(deps, signedIn)), created };
}

/**
 * Deletes one-time codes nobody needs any more (past their lifetime and out of the rate-limit
 * window, with a day's margin). For the scheduled jobs (server/jobs.ts); returns rows deleted.
 */
export async function pruneOtpCodes(deps: Deps): Promise<number> {
  const keepSeconds = Math.max(deps.config.otpWindow, deps.config.otpTtl) + 86400;
  const before = new Date(deps.now().getTime() - keepSeconds * 1000);
  const gone = await deps.db.delete(otpCodes).where(lt(otpCodes.createdAt, before)).returning({ id: otpCodes.id });
  return gone.length;
}
