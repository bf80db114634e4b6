/**
 * Access tokens: short-lived ES256 JWTs (jose), verified against our own public keys only,
 * with the algorithm, issuer, audience and type pinned, so alg:none, HS256-with-public-key,
 * foreign keys and expired tokens are all refused.
 * Refresh tokens: random, stored as SHA-256 hashes, rotated on use, revocable.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { ROLES, type Role } from "../../db/schema";
import type { Keyring } from "./keys";
import type { AuthUser } from "./scope";

export const ACCESS_AUDIENCE = "phc-api";
const ACCESS_TYPE = "at+jwt";

export async function signAccessToken(keys: Keyring, issuer: string, ttlSeconds: number, user: AuthUser, now: Date) {
  const key = keys.signing("auth");
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    role: user.role,
    username: user.username,
    prov: user.provinceCode,
    com: user.communeCode,
  })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: ACCESS_TYPE })
    .setSubject(user.id)
    .setIssuer(issuer)
    .setAudience(ACCESS_AUDIENCE)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** One key set per signing key: jose imports the public key once per set, not on every request. */
const keySets = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();
function keySetOf(keys: Keyring) {
  const key = keys.signing("auth");
  let set = keySets.get(key);
  if (!set) keySets.set(key, (set = createLocalJWKSet({ keys: [key.publicJwk] })));
  return set;
}

export async function verifyAccessToken(keys: Keyring, issuer: string, token: string, now: Date): Promise<AuthUser> {
  const jwks = keySetOf(keys);
  const { payload } = await jwtVerify(token, jwks, {
    algorithms: ["ES256"],
    issuer,
    audience: ACCESS_AUDIENCE,
    typ: ACCESS_TYPE,
    currentDate: now,
    requiredClaims: ["sub", "exp", "nbf", "iat"],
  });
  const role = payload.role as Role;
  if (!ROLES.includes(role) || typeof payload.sub !== "string") throw new Error("malformed claims");
  return {
    id: payload.sub,
    username: String(payload.username ?? ""),
    role,
    provinceCode: (payload.prov as string | null) ?? null,
    communeCode: (payload.com as string | null) ?? null,
  };
}

export function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
