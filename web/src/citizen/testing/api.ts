/**
 * The citizen's tests API (docs/TESTING.md): GET /api/me/tests (self and family, newest first)
 * and the test certificate (GET /api/me/certificates/test, .pdf). The certificate's shape is the
 * server's zod schema, imported as a type only; the list is written out from the contract.
 */
import type { z } from "@hono/zod-openapi";
import type * as C from "../../../../server/certificates/schemas";
import { call, callBlob } from "../session";

export type TestType = "pcr" | "rapid_antigen";
export type TestResult = "negative" | "positive" | "invalid";
export type SampleStatus = "collected" | "pooled" | "in_lab" | "negative" | "positive" | "invalid" | "retest_needed" | "retested";

/** One sample of GET /api/me/tests. */
export interface MyTest {
  sampleId: string;
  personId: string;
  fullName: string;
  barcode: string;
  testType: TestType;
  takenAt: string;
  siteName: string;
  status: SampleStatus;
  result: TestResult | null;
  resultAt: string | null;
  pooled: boolean;
}

export type TestCertificate = z.output<typeof C.TestCertificateSchema>;

/** The statuses that are a final result: a certificate can be issued for them. */
export const FINAL: readonly SampleStatus[] = ["negative", "positive", "invalid"];

const enc = encodeURIComponent;
const certQuery = (sampleId?: string, personId?: string) => {
  const q = new URLSearchParams();
  if (sampleId) q.set("sampleId", sampleId);
  if (personId) q.set("personId", personId);
  const s = q.toString();
  return s ? `?${s}` : "";
};

export const myTests = () => call<{ items: MyTest[] }>("GET", "/api/me/tests");
export const testCertificate = (sampleId?: string, personId?: string) => call<TestCertificate>("GET", `/api/me/certificates/test${certQuery(sampleId, personId)}`);
export const testCertificatePdf = (sampleId?: string, personId?: string) => callBlob(`/api/me/certificates/test.pdf${certQuery(sampleId, personId)}`);
export const sampleLink = (sampleId: string) => `/tests/certificate?sampleId=${enc(sampleId)}`;
