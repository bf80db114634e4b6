/**
 * The testing registry's API as the portal calls it (docs/TESTING.md): campaigns, testing sites
 * and their staff, labs, samples, pools, results (one by one, batch, CSV) and statistics. The
 * shapes come from the server's zod schemas and the codes from the database schema (types
 * only), so a change of the contract breaks the type check, not a page.
 */
import type { z } from "@hono/zod-openapi";
import type { CAMPAIGN_STATUSES, POOL_STATUSES, SAMPLE_STATUSES, TEST_RESULTS, TEST_SITE_STATUSES, TEST_TYPES } from "../../../../db/schema/testing";
import type * as C from "../../../../server/testing/campaigns/schemas";
import type * as R from "../../../../server/testing/results/schemas";
import type * as S from "../../../../server/testing/samples/schemas";
import type * as T from "../../../../server/testing/stats/schemas";
import { request, requestBlob, type Download, type Page } from "../../api";

// ---------------------------------------------------------------------------------------------
// Codes

export type TestType = (typeof TEST_TYPES)[number];
export type TestResult = (typeof TEST_RESULTS)[number];
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type TestSiteStatus = (typeof TEST_SITE_STATUSES)[number];
export type PoolStatus = (typeof POOL_STATUSES)[number];
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

type Exactly<A extends readonly string[], U extends string> = [U] extends [A[number]] ? A : never;
export const TEST_TYPE_LIST = ["pcr", "rapid_antigen"] as const satisfies readonly TestType[];
export const RESULT_LIST = ["negative", "positive", "invalid"] as const satisfies readonly TestResult[];
export const CAMPAIGN_STATUS_LIST = ["open", "closed"] as const satisfies readonly CampaignStatus[];
export const SITE_STATUS_LIST = ["active", "closed"] as const satisfies readonly TestSiteStatus[];
export const POOL_STATUS_LIST = ["open", "sealed", "resulted"] as const satisfies readonly PoolStatus[];
export const SAMPLE_STATUS_LIST = ["collected", "pooled", "in_lab", "negative", "positive", "invalid", "retest_needed", "retested"] as const satisfies readonly SampleStatus[];
const _exhaustive: [
  Exactly<typeof TEST_TYPE_LIST, TestType>,
  Exactly<typeof RESULT_LIST, TestResult>,
  Exactly<typeof CAMPAIGN_STATUS_LIST, CampaignStatus>,
  Exactly<typeof SITE_STATUS_LIST, TestSiteStatus>,
  Exactly<typeof POOL_STATUS_LIST, PoolStatus>,
  Exactly<typeof SAMPLE_STATUS_LIST, SampleStatus>,
] = [TEST_TYPE_LIST, RESULT_LIST, CAMPAIGN_STATUS_LIST, SITE_STATUS_LIST, POOL_STATUS_LIST, SAMPLE_STATUS_LIST];
void _exhaustive;

// ---------------------------------------------------------------------------------------------
// Shapes (the server's zod schemas, types only: no zod in the bundle)

type Out<T extends z.ZodTypeAny> = z.output<T>;
type In<T extends z.ZodTypeAny> = z.input<T>;

export type Campaign = Out<typeof C.Campaign>;
export type CampaignDetail = Out<typeof C.CampaignDetail>;
export type CampaignCounts = CampaignDetail["counts"];
export type NewCampaign = In<typeof C.CreateCampaign>;
export type CampaignPatch = In<typeof C.UpdateCampaign>;
export type TestSite = Out<typeof C.TestSite>;
export type MyTestSite = Out<typeof C.MyTestSite>;
export type TestSiteStaffMember = Out<typeof C.TestSiteStaffMember>;
export type TestSiteDetail = Out<typeof C.TestSiteDetail>;
export type NewTestSite = In<typeof C.CreateTestSite>;
export type TestSitePatch = In<typeof C.UpdateTestSite>;
export type Lab = Out<typeof C.Lab>;
export type LabStaffMember = Out<typeof C.LabStaffMember>;
export type LabDetail = Out<typeof C.LabDetail>;
export type NewLab = In<typeof C.CreateLab>;

export type Sample = Out<typeof S.Sample>;
/** A sample as lists give it: with the person's name and birth year. */
export type SampleListItem = Out<typeof S.SampleListItem>;
export type SampleDetail = Out<typeof S.SampleDetail>;
export type NewSample = In<typeof S.CreateSample>;
export type TypedPerson = NonNullable<NewSample["person"]>;
/** Who the sample is from: a known person, a typed-in one, a scanned personal QR, or the sample being retested. */
export type SampleWho = Pick<NewSample, "personId" | "person" | "healthQr" | "retestOf">;
export type Pool = Out<typeof S.Pool>;
export type PoolMember = Out<typeof S.PoolMember>;
export type PoolDetail = Out<typeof S.PoolDetail>;

export type PoolResultAnswer = Out<typeof R.PoolResultAnswer>;
export type SampleResultAnswer = Out<typeof R.SampleResultAnswer>;
export type ResultReport = Out<typeof R.Report>;
export type RejectReason = (typeof R.REJECT_REASONS)[number];
export type BatchItem = In<typeof R.BatchRequest>["items"][number];

export type TestingStats = Out<typeof T.TestingStats>;

// ---------------------------------------------------------------------------------------------
// Queries

interface Paged {
  limit?: number;
  cursor?: string | null;
}
export interface CampaignListQuery extends Paged {
  q?: string;
  status?: CampaignStatus | "";
  communeCode?: string;
}
export interface SampleListQuery extends Paged {
  siteId?: string;
  campaignId?: string;
  poolId?: string;
  status?: SampleStatus | "";
  day?: string;
  q?: string;
}
export interface PoolListQuery extends Paged {
  siteId?: string;
  labId?: string;
  status?: PoolStatus | "";
  campaignId?: string;
  q?: string;
}
export interface StatsQuery {
  from?: string;
  to?: string;
  communeCode?: string;
  campaignId?: string;
}

// ---------------------------------------------------------------------------------------------
// Calls

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});
const enc = encodeURIComponent;

export const listCampaigns = (query: CampaignListQuery, signal?: AbortSignal) =>
  request<Page<Campaign>>("GET", "/api/test-campaigns", { query: { ...query }, ...withSignal(signal) });
export const getCampaign = (id: string, signal?: AbortSignal) => request<CampaignDetail>("GET", `/api/test-campaigns/${enc(id)}`, withSignal(signal));
export const createCampaign = (input: NewCampaign) => request<Campaign>("POST", "/api/test-campaigns", { body: input });
export const updateCampaign = (id: string, patch: CampaignPatch) => request<Campaign>("PATCH", `/api/test-campaigns/${enc(id)}`, { body: patch });

export const listCampaignSites = (campaignId: string, signal?: AbortSignal) =>
  request<{ items: TestSite[] }>("GET", `/api/test-campaigns/${enc(campaignId)}/sites`, withSignal(signal));
export const createTestSite = (campaignId: string, input: NewTestSite) => request<TestSite>("POST", `/api/test-campaigns/${enc(campaignId)}/sites`, { body: input });
export const getTestSite = (id: string, signal?: AbortSignal) => request<TestSiteDetail>("GET", `/api/test-sites/${enc(id)}`, withSignal(signal));
export const updateTestSite = (id: string, patch: TestSitePatch) => request<TestSite>("PATCH", `/api/test-sites/${enc(id)}`, { body: patch });
export const assignTestSiteStaff = (siteId: string, userId: string, team: string | null) =>
  request<void>("PUT", `/api/test-sites/${enc(siteId)}/staff/${enc(userId)}`, { body: team ? { team } : {} });
export const unassignTestSiteStaff = (siteId: string, userId: string) => request<void>("DELETE", `/api/test-sites/${enc(siteId)}/staff/${enc(userId)}`);
export const listMyTestSites = (signal?: AbortSignal) => request<{ items: MyTestSite[] }>("GET", "/api/test-sites/mine", withSignal(signal));

export const listLabs = (query: Paged = {}, signal?: AbortSignal) => request<Page<Lab>>("GET", "/api/labs", { query: { ...query }, ...withSignal(signal) });
export const getLab = (id: string, signal?: AbortSignal) => request<LabDetail>("GET", `/api/labs/${enc(id)}`, withSignal(signal));
export const createLab = (input: NewLab) => request<Lab>("POST", "/api/labs", { body: input });
export const assignLabStaff = (labId: string, userId: string) => request<void>("PUT", `/api/labs/${enc(labId)}/staff/${enc(userId)}`);
export const unassignLabStaff = (labId: string, userId: string) => request<void>("DELETE", `/api/labs/${enc(labId)}/staff/${enc(userId)}`);

export const createSample = (input: NewSample) => request<Sample>("POST", "/api/test-samples", { body: input });
export const listSamples = (query: SampleListQuery, signal?: AbortSignal) =>
  request<Page<SampleListItem>>("GET", "/api/test-samples", { query: { ...query }, ...withSignal(signal) });
export const getSample = (id: string, signal?: AbortSignal) => request<SampleDetail>("GET", `/api/test-samples/${enc(id)}`, withSignal(signal));
export const getSampleByBarcode = (barcode: string, signal?: AbortSignal) =>
  request<SampleDetail>("GET", `/api/test-samples/by-barcode/${enc(barcode)}`, withSignal(signal));
export const sampleLabel = (id: string): Promise<Download> => requestBlob("GET", `/api/test-samples/${enc(id)}/label.pdf`);

export const createPool = (siteId: string) => request<Pool>("POST", "/api/test-pools", { body: { siteId } });
export const listPools = (query: PoolListQuery, signal?: AbortSignal) =>
  request<Page<Pool>>("GET", "/api/test-pools", { query: { ...query }, ...withSignal(signal) });
export const getPool = (id: string, signal?: AbortSignal) => request<PoolDetail>("GET", `/api/test-pools/${enc(id)}`, withSignal(signal));
export const getPoolByCode = (code: string, signal?: AbortSignal) => request<PoolDetail>("GET", `/api/test-pools/by-code/${enc(code)}`, withSignal(signal));
export const addToPool = (poolId: string, ref: { sampleId: string } | { barcode: string }) =>
  request<Pool>("POST", `/api/test-pools/${enc(poolId)}/samples`, { body: ref });
export const removeFromPool = (poolId: string, sampleId: string) => request<Pool>("DELETE", `/api/test-pools/${enc(poolId)}/samples/${enc(sampleId)}`);
export const sealPool = (poolId: string, labId: string) => request<Pool>("POST", `/api/test-pools/${enc(poolId)}/seal`, { body: { labId } });
export const poolLabel = (id: string): Promise<Download> => requestBlob("GET", `/api/test-pools/${enc(id)}/label.pdf`);

export const recordPoolResult = (poolId: string, result: TestResult, resultAt?: string) =>
  request<PoolResultAnswer>("POST", `/api/test-pools/${enc(poolId)}/result`, { body: resultAt ? { result, resultAt } : { result } });
export const recordSampleResult = (sampleId: string, result: TestResult, resultAt?: string) =>
  request<SampleResultAnswer>("POST", `/api/test-samples/${enc(sampleId)}/result`, { body: resultAt ? { result, resultAt } : { result } });
export const recordBatch = (items: BatchItem[], dryRun: boolean) => request<ResultReport>("POST", "/api/test-results/batch", { body: { items, dryRun } });
export const importResults = (file: File | Blob, dryRun: boolean) =>
  request<ResultReport>("POST", "/api/test-results/import", { query: { dryRun: dryRun ? "true" : undefined }, raw: { body: file, type: "text/csv" } });

export const getTestingStats = (query: StatsQuery, signal?: AbortSignal) =>
  request<TestingStats>("GET", "/api/testing/stats", { query: { ...query }, ...withSignal(signal) });
