/**
 * ES256 signing keys. Each purpose (access tokens now; venue codes and health cards later)
 * has its own key, generated on first start into DATA_DIR/keys or given by env, and every
 * public key is published at /.well-known/jwks.json with kid = its JWK thumbprint.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";

/** auth: access tokens; venue: venue QR codes; person: personal QR codes; shc: SMART Health Cards. */
export const KEY_PURPOSES = ["auth", "venue", "person", "shc"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface Keyring {
  signing(purpose: KeyPurpose): SigningKey;
  /**
   * Public keys of every purpose, for /.well-known/jwks.json. `extra` adds published fields to a
   * purpose's key, e.g. the SMART Health Card key's `crlVersion` (its revocation list's counter).
   */
  jwks(extra?: Partial<Record<KeyPurpose, Record<string, unknown>>>): { keys: JWK[] };
  /** Secret for keyed hashes (HMAC) of identifiers such as ID numbers. */
  hashSecret: Buffer;
}

async function fromPrivateJwk(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.d) throw new Error("signing key must be a private EC P-256 JWK");
  const { d: _d, ...pub } = jwk;
  const publicJwk: JWK = { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y };
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateKey: (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey,
    publicKey: (await importJWK({ ...publicJwk, alg: "ES256" }, "ES256")) as CryptoKey,
    publicJwk: { ...publicJwk, kid, use: "sig", alg: "ES256" },
  };
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return exportJWK(privateKey);
}

export interface KeyringOptions {
  /** Directory to keep keys in; undefined → keys live in memory only. */
  dir: string | undefined;
  /** Private JWKs given by env, by purpose. */
  given?: Partial<Record<KeyPurpose, string | undefined>>;
  hashSecret?: string | undefined;
}

export async function loadKeyring(options: KeyringOptions): Promise<Keyring> {
  const purposes = KEY_PURPOSES;
  const keys = new Map<KeyPurpose, SigningKey>();
  if (options.dir) mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  for (const purpose of purposes) {
    const given = options.given?.[purpose];
    let jwk: JWK;
    if (given) jwk = JSON.parse(given) as JWK;
    else if (options.dir && existsSync(join(options.dir, `${purpose}.jwk`)))
      jwk = JSON.parse(readFileSync(join(options.dir, `${purpose}.jwk`), "utf8")) as JWK;
    else {
      jwk = await generatePrivateJwk();
      if (options.dir) writeFileSync(join(options.dir, `${purpose}.jwk`), JSON.stringify(jwk), { mode: 0o600 });
    }
    keys.set(purpose, await fromPrivateJwk(jwk));
  }
  let secret = options.hashSecret;
  if (!secret && options.dir) {
    const file = join(options.dir, "id-hash.secret");
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
    secret = readFileSync(file, "utf8").trim();
  }
  const hashSecret = Buffer.from(secret ?? randomBytes(32).toString("base64url"));
  return {
    signing(purpose) {
      const k = keys.get(purpose);
      if (!k) throw new Error(`no signing key for ${purpose}`);
      return k;
    },
    jwks: (extra) => ({ keys: [...keys.entries()].map(([purpose, k]) => (extra?.[purpose] ? { ...k.publicJwk, ...extra[purpose] } : k.publicJwk)) }),
    hashSecret,
  };
}
