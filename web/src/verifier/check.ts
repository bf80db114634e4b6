/**
 * One verification: the card checked by the shared isomorphic module (server/certificates/shc.ts,
 * the same code POST /api/certificates/verify runs) against this page's trusted issuer, with the
 * keys and revocation lists cached on the device. Nothing leaves the browser.
 */
import { verifyCard, type CardDose, type CardTest, type VerifyResult } from "../../../server/certificates/shc";
import type { IssuerKeys } from "./keys";

export type { CardDose, CardTest };
export type CardResult = Omit<VerifyResult, "reason"> & { reason?: VerifyResult["reason"] | "no_keys" };

export async function checkCard(text: string, keys: IssuerKeys | null): Promise<CardResult> {
  const result = await verifyCard(text, {
    issuers: keys ? [{ iss: keys.iss, keys: keys.jwks.keys, crls: Object.values(keys.crls) }] : [],
  });
  // No keys on this device yet: an "unknown issuer" would blame the card for the verifier's gap.
  if (!keys && result.reason === "unknown_issuer") return { ...result, reason: "no_keys" };
  return result;
}
