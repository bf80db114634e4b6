import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { refreshTokens, users, type User } from "../../db/schema";
import type { Deps } from "../deps";
import { recordAudit, type Actor } from "../audit/service";
import { AppError } from "../http/errors";
import { createRateLimiter, type RateLimiter } from "../http/rate-limit";
import { presentUser } from "../users/present";
import { verifyPassword } from "./passwords";
import type { AuthUser } from "./scope";
import { hashToken, newRefreshToken, signAccessToken } from "./tokens";

export function authUserOf(u: User): AuthUser {
  return { id: u.id, username: u.username, role: u.role, provinceCode: u.provinceCode, communeCode: u.communeCode };
}

const areaOf = (u: User) => ({ provinceCode: u.provinceCode, communeCode: u.communeCode });

/** A new session (access + refresh token) for an account; the officers' login and the citizens' one-time code share it. */
export async function issueSession(deps: Deps, user: User, familyId: string = randomUUID()) {
  const now = deps.now();
  const refreshToken = newRefreshToken();
  await deps.db.insert(refreshTokens).values({
    tokenHash: hashToken(refreshToken),
    familyId,
    userId: user.id,
    expiresAt: new Date(now.getTime() + deps.config.refreshTokenTtl * 1000),
  });
  const accessToken = await signAccessToken(deps.keys, deps.config.publicUrl, deps.config.accessTokenTtl, authUserOf(user), now);
  return { accessToken, refreshToken, expiresIn: deps.config.accessTokenTtl, user: presentUser(user) };
}

const invalid = () => new AppError("invalid_credentials", "Wrong username or password");

/**
 * Sign-in attempts per address: 10× LOGIN_RATE_LIMIT per window (README), so an office behind
 * one address still signs in while one address cannot spray passwords over many usernames.
 * (The address used to count against the per-username limit itself.)
 */
const addressLimiters = new WeakMap<Deps, RateLimiter>();
function addressLimiter(deps: Deps): RateLimiter {
  let limiter = addressLimiters.get(deps);
  if (!limiter) addressLimiters.set(deps, (limiter = createRateLimiter(deps.config.loginRateLimit * 10, deps.config.loginRateWindow)));
  return limiter;
}

export async function login(deps: Deps, actor: Actor, input: { username: string; password: string }) {
  addressLimiter(deps).hit(`ip:${actor.ip}`);
  deps.loginLimiter.hit(`user:${input.username}`);
  const [user] = await deps.db.select().from(users).where(eq(users.username, input.username)).limit(1);
  // Citizens have no password (they sign in with a one-time code): compare against the dummy hash so timing does not tell.
  const citizen = user?.role === "citizen";
  const ok = await verifyPassword(input.password, citizen ? undefined : user?.passwordHash);
  if (!user || !ok || user.disabled || citizen) {
    await recordAudit(deps, actor, {
      action: "auth.login_failed",
      subjectType: "user",
      subjectId: user?.id ?? null,
      area: user ? areaOf(user) : { provinceCode: null, communeCode: null },
      details: { username: input.username, reason: !user ? "unknown_user" : citizen ? "citizen_password" : user.disabled ? "disabled" : "wrong_password" },
      actorOverride: { id: user?.id ?? null, username: input.username, role: user?.role ?? null },
    });
    throw invalid();
  }
  deps.loginLimiter.reset(`user:${input.username}`);
  const now = deps.now();
  await deps.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  await recordAudit(deps, actor, {
    action: "auth.login",
    subjectType: "user",
    subjectId: user.id,
    area: areaOf(user),
    actorOverride: { id: user.id, username: user.username, role: user.role },
  });
  return issueSession(deps, { ...user, lastLoginAt: now }, randomUUID());
}

const refused = () => new AppError("unauthorized", "Session expired or revoked; sign in again");

/** Rotates a refresh token. A token used twice (stolen, or replayed after logout) ends its whole family. */
export async function refresh(deps: Deps, actor: Actor, token: string) {
  const now = deps.now();
  const [row] = await deps.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(token))).limit(1);
  if (!row) throw refused();
  const rotated = await deps.db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  if (rotated.length === 0) {
    await revokeFamily(deps, row.familyId);
    await recordAudit(deps, actor, {
      action: "auth.refresh_reuse",
      subjectType: "user",
      subjectId: row.userId,
      area: { provinceCode: null, communeCode: null },
      actorOverride: { id: row.userId, username: "", role: null },
    });
    throw refused();
  }
  if (row.expiresAt <= now) throw refused();
  const [user] = await deps.db.select().from(users).where(eq(users.id, row.userId)).limit(1);
  if (!user || user.disabled) {
    await revokeFamily(deps, row.familyId);
    throw refused();
  }
  return issueSession(deps, user, row.familyId);
}

async function revokeFamily(deps: Deps, familyId: string) {
  await deps.db
    .update(refreshTokens)
    .set({ revokedAt: deps.now() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Ends the session the refresh token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function logout(deps: Deps, token: string) {
  const [row] = await deps.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(token))).limit(1);
  if (row) await revokeFamily(deps, row.familyId);
}

/** The signed-in account, read fresh (a disabled or deleted account is gone). */
export async function getOwnAccount(deps: Deps, actor: Actor & { user: AuthUser }) {
  const [row] = await deps.db.select().from(users).where(eq(users.id, actor.user.id)).limit(1);
  if (!row || row.disabled) throw new AppError("not_found", "Account not found");
  await recordAudit(deps, actor, { action: "me.read", subjectType: "user", subjectId: row.id, area: areaOf(row) });
  return presentUser(row);
}

/** Revokes every session of a user (on disable or password change). */
export async function revokeUserSessions(deps: Deps, userId: string) {
  await deps.db
    .update(refreshTokens)
    .set({ revokedAt: deps.now() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
