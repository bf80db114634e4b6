/**
 * ID numbers (CCCD, passport) are stored only as a keyed hash: HMAC-SHA256 with the platform's
 * ID_HASH_SECRET (the keyring's hashSecret), over the number upper-cased without spaces or dashes,
 * so the same number typed two ways gives the same hash and the hash can be matched, never read.
 */
import { createHmac } from "node:crypto";
import type { Keyring } from "../auth/keys";

export function normaliseIdNumber(idNumber: string): string {
  return idNumber.trim().toUpperCase().replace(/[\s.-]/g, "");
}

export function hashIdNumber(keys: Pick<Keyring, "hashSecret">, idNumber: string): string {
  return createHmac("sha256", keys.hashSecret).update(normaliseIdNumber(idNumber)).digest("hex");
}
