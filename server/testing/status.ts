/**
 * A sample's status, derived from what the lab recorded (never typed by hand), as one SQL
 * expression every list, count and citizen page uses, and the same rule in TypeScript for
 * unit tests and the portal's explanations. A person's status is their latest sample's.
 *
 *   own result (individual test or retest)   → that result, or "retested" when an invalid one was retested
 *   in a pool without a result                 → "pooled" while the pool is open, "in_lab" once sealed
 *   in a negative pool                         → "negative"
 *   in a positive or invalid pool              → "retest_needed", or "retested" once a retest sample exists
 *   alone, sent to a lab                       → "in_lab"; otherwise "collected"
 */
import { sql, type SQL } from "drizzle-orm";
import { testPools, testSamples, type SAMPLE_STATUSES, type TEST_RESULTS } from "../../db/schema";

export type SampleStatus = (typeof SAMPLE_STATUSES)[number];
export type TestResult = (typeof TEST_RESULTS)[number];

export interface StatusInput {
  result: TestResult | null;
  labId: string | null;
  pool: { status: "open" | "sealed" | "resulted"; result: TestResult | null } | null;
  retested: boolean;
}

export function sampleStatus(s: StatusInput): SampleStatus {
  if (s.result) return s.result === "invalid" && s.retested ? "retested" : s.result;
  if (s.pool) {
    if (s.pool.status === "open") return "pooled";
    if (!s.pool.result) return "in_lab";
    if (s.pool.result === "negative") return "negative";
    return s.retested ? "retested" : "retest_needed";
  }
  return s.labId ? "in_lab" : "collected";
}

/**
 * The same rule in SQL, for a query over `test_samples` left-joined to `test_pools` on
 * `test_samples.pool_id` (both under their table names).
 */
export const sampleStatusSql: SQL<SampleStatus> = sql<SampleStatus>`(case
  when ${testSamples.result} is not null then
    case when ${testSamples.result} = 'invalid' and exists (select 1 from test_samples r where r.retest_of = ${testSamples.id}) then 'retested'
         else ${testSamples.result} end
  when ${testSamples.poolId} is not null then
    case when ${testPools.status} = 'open' then 'pooled'
         when ${testPools.result} is null then 'in_lab'
         when ${testPools.result} = 'negative' then 'negative'
         when exists (select 1 from test_samples r where r.retest_of = ${testSamples.id}) then 'retested'
         else 'retest_needed' end
  when ${testSamples.labId} is not null then 'in_lab'
  else 'collected' end)`;
