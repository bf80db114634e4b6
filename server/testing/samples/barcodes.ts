/**
 * Label codes: a sample's barcode is `S` + 10 characters of Crockford base32 (50 random bits),
 * a pool's code `P` + 8 (40 bits), drawn from the system's CSPRNG; the unique indexes on
 * test_samples.barcode and test_pools.code are the last word (a clash is retried).
 * Typed or scanned codes are upper-cased with spaces and dashes dropped, and the letters
 * Crockford reads as digits (O → 0, I and L → 1) are mapped after the prefix.
 */
import { randomBytes } from "node:crypto";

export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const SAMPLE_BARCODE = /^S[0-9A-HJKMNP-TV-Z]{10}$/;
export const POOL_CODE = /^P[0-9A-HJKMNP-TV-Z]{8}$/;

function randomChars(n: number): string {
  // 256 is a multiple of 32: the low five bits of a random byte are uniform.
  const bytes = randomBytes(n);
  let out = "";
  for (let i = 0; i < n; i++) out += CROCKFORD[bytes[i]! & 31];
  return out;
}

export const newSampleBarcode = () => `S${randomChars(10)}`;
export const newPoolCode = () => `P${randomChars(8)}`;

/** A typed or scanned code as stored: upper case, no spaces or dashes, O/I/L read as 0/1 after the prefix. */
export function normaliseCode(input: string): string {
  const s = input.toUpperCase().replace(/[\s-]/g, "");
  return s.slice(0, 1) + s.slice(1).replace(/O/g, "0").replace(/[IL]/g, "1");
}
