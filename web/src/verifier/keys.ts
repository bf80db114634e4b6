/**
 * The issuer keys and revocation lists the verifier checks against: fetched from this origin's
 * /.well-known on every load (when online) and kept in localStorage with the time they were
 * fetched, so cards verify offline afterwards. The trusted issuer is this page's own origin.
 */

import type { IssuerKey, RevocationList } from "../../../server/certificates/shc";

export interface Jwks {
  keys: IssuerKey[];
}
export type Crl = RevocationList;

export interface IssuerKeys {
  /** The issuer (`iss` of the cards): this page's origin. */
  iss: string;
  jwks: Jwks;
  /** Revocation lists by key id. */
  crls: Record<string, Crl>;
  /** Epoch ms of the fetch. */
  fetchedAt: number;
}

const STORE = "phc.verify.keys";

export const trustedIssuer = () => location.origin;

export function cachedKeys(): IssuerKeys | null {
  try {
    const k = JSON.parse(localStorage.getItem(STORE) ?? "null") as IssuerKeys | null;
    if (!k || k.iss !== trustedIssuer() || !Array.isArray(k.jwks?.keys) || typeof k.fetchedAt !== "number") return null;
    return { ...k, crls: k.crls ?? {} };
  } catch {
    return null;
  }
}

async function getJson<T>(path: string): Promise<T | null> {
  // no-store: a revocation published a minute ago must not hide behind the HTTP cache.
  const res = await fetch(`${trustedIssuer()}${path}`, { cache: "no-store", headers: { accept: "application/json" } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Fetches the keys and every key's revocation list; keeps them; throws when offline or refused. */
export async function refreshKeys(): Promise<IssuerKeys> {
  const jwks = await getJson<Jwks>("/.well-known/jwks.json");
  if (!jwks || !Array.isArray(jwks.keys)) throw new Error("no JWKS");
  const crls: Record<string, Crl> = {};
  await Promise.all(
    jwks.keys
      .filter((k) => typeof k.kid === "string" && k.kid)
      .map(async (k) => {
        const crl = await getJson<Crl>(`/.well-known/crl/${encodeURIComponent(k.kid!)}.json`);
        if (crl && Array.isArray(crl.rids)) crls[k.kid!] = crl;
      }),
  );
  const keys: IssuerKeys = { iss: trustedIssuer(), jwks, crls, fetchedAt: Date.now() };
  try {
    localStorage.setItem(STORE, JSON.stringify(keys));
  } catch {
    /* kept in memory for this visit */
  }
  return keys;
}
