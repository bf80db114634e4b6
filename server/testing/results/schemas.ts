/** Request and answer shapes of results: one pool, one sample, a batch, a CSV file, a citizen's own tests (docs/TESTING.md). */
import { z } from "@hono/zod-openapi";
import { POOL_STATUSES, SAMPLE_STATUSES, TEST_RESULTS, TEST_TYPES } from "../../../db/schema";
import { msg } from "../../http/fields";

const idParam = (vi: string, en: string) => z.object({ id: z.string().uuid(msg(vi, en)).openapi({ param: { name: "id", in: "path" } }) });
export const PoolIdParam = idParam("Mã mẫu gộp không hợp lệ", "Not a pool id");
export const SampleIdParam = idParam("Mã mẫu không hợp lệ", "Not a sample id");

const Instant = z.string().datetime({
  offset: true,
  message: msg("Ngày giờ theo ISO 8601, ví dụ 2026-11-20T08:30:00+07:00", "A date and time in ISO 8601, e.g. 2026-11-20T08:30:00+07:00"),
});

export const RecordResult = z
  .object({
    result: z.enum(TEST_RESULTS, { error: msg("Kết quả là negative, positive hoặc invalid", "The result is negative, positive or invalid") }),
    resultAt: Instant.optional().openapi({ description: "When the result was read (default: now); not in the future, not before the sample was taken or the pool sealed" }),
  })
  .openapi("RecordTestResult");
export type RecordResultT = z.infer<typeof RecordResult>;

const iso = z.string().openapi({ example: "2026-10-12T08:30:00.000Z" });

export const Sample = z.object({
  id: z.string().uuid(),
  barcode: z.string().openapi({ example: "S7K2M9QX4TB" }),
  campaignId: z.string().uuid(),
  siteId: z.string().uuid(),
  siteName: z.string(),
  personId: z.string().uuid(),
  testType: z.enum(TEST_TYPES),
  takenAt: iso,
  team: z.string().nullable(),
  poolId: z.string().uuid().nullable(),
  poolCode: z.string().nullable(),
  labId: z.string().uuid().nullable(),
  result: z.enum(TEST_RESULTS).nullable(),
  resultAt: iso.nullable(),
  retestOf: z.string().uuid().nullable(),
  status: z.enum(SAMPLE_STATUSES),
});

export const Pool = z.object({
  id: z.string().uuid(),
  code: z.string().openapi({ example: "P3FQ7ZK2M" }),
  campaignId: z.string().uuid(),
  siteId: z.string().uuid(),
  siteName: z.string(),
  provinceCode: z.string(),
  communeCode: z.string(),
  maxSize: z.number().int(),
  size: z.number().int(),
  status: z.enum(POOL_STATUSES),
  labId: z.string().uuid().nullable(),
  labName: z.string().nullable(),
  sealedAt: iso.nullable(),
  result: z.enum(TEST_RESULTS).nullable(),
  resultAt: iso.nullable(),
});

export const PoolResultAnswer = z
  .object({
    pool: Pool,
    members: z.array(z.object({ sampleId: z.string().uuid(), status: z.enum(SAMPLE_STATUSES) })),
  })
  .openapi("TestPoolResult");

export const SampleResultAnswer = z
  .object({
    sample: Sample,
    caseId: z.string().uuid().optional().openapi({ description: "The F0 case of a positive result (opened now, or the person's case already open)" }),
  })
  .openapi("TestSampleResult");

/** Kept as text here so a bad word or time is a rejected row of the report, not a 400. */
export const BatchRequest = z
  .object({
    items: z
      .array(
        z.object({
          code: z.string().max(100, msg("Mã tối đa 100 ký tự", "At most 100 characters")).openapi({ description: "A pool code (P…) or a sample barcode (S…)" }),
          result: z.string().max(100, msg("Tối đa 100 ký tự", "At most 100 characters")).openapi({ description: "negative / positive / invalid (or âm tính / dương tính / không xác định)" }),
          resultAt: z.string().max(100, msg("Tối đa 100 ký tự", "At most 100 characters")).nullish().openapi({ description: "ISO 8601 or dd/mm/yyyy hh:mm (Vietnam time); default now" }),
        }),
      )
      .min(1, msg("Ít nhất một dòng", "At least one row"))
      .max(10_000, msg("Tối đa 10000 dòng mỗi lần", "At most 10000 rows at a time")),
    dryRun: z.boolean().optional().openapi({ description: "Check only: the report of what would be written, nothing written (rejected rows listed, answer 200)" }),
  })
  .openapi("TestResultBatch");
export type BatchRequestT = z.infer<typeof BatchRequest>;

export const REJECT_REASONS = ["unknown_code", "not_your_lab", "pool_not_sealed", "result_conflict", "bad_result", "bad_time", "duplicate_in_file", "in_pool"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const Report = z
  .object({
    rows: z.number().int(),
    pools: z.number().int().openapi({ description: "Pool rows accepted (a result already recorded the same counts, nothing changes)" }),
    samples: z.number().int().openapi({ description: "Sample rows accepted" }),
    negative: z.number().int(),
    positive: z.number().int(),
    invalid: z.number().int(),
    casesOpened: z.number().int().openapi({ description: "F0 cases opened (dry run: that would be opened)" }),
    rejected: z.array(z.object({ line: z.number().int(), code: z.string(), reason: z.enum(REJECT_REASONS) })),
    dryRun: z.boolean(),
  })
  .openapi("TestResultReport");
export type ReportT = z.infer<typeof Report>;

/** The 422 answer of a batch or file with a rejected row: the usual error (details: one per rejected row) and the report. */
export const RejectedAnswer = z
  .object({
    error: z.object({
      code: z.literal("import_rejected"),
      message: z.string(),
      requestId: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
    report: Report,
  })
  .openapi("TestResultRejected");

export const ImportQuery = z.object({
  dryRun: z
    .enum(["true", "false", "1", "0"], { error: msg("dryRun là true hoặc false", "dryRun is true or false") })
    .optional()
    .transform((v) => v === "true" || v === "1")
    .openapi({ param: { name: "dryRun", in: "query" }, description: "true: check only, nothing written" }),
});

export const CsvBody = {
  required: true,
  content: {
    "text/csv": {
      schema: z.string().openapi({ example: "code,result,result_at\nP3FQ7ZK2M,âm tính,12/10/2026 16:30\nS7K2M9QX4TB,dương tính,2026-10-12T17:05:00+07:00" }),
    },
  },
};

export const MyTests = z
  .object({
    items: z.array(
      z.object({
        sampleId: z.string().uuid(),
        personId: z.string().uuid(),
        fullName: z.string(),
        barcode: z.string(),
        testType: z.enum(TEST_TYPES),
        takenAt: iso,
        siteName: z.string(),
        status: z.enum(SAMPLE_STATUSES),
        result: z.enum(TEST_RESULTS).nullable().openapi({ description: "The final result: the sample's own, or negative when its pool was negative" }),
        resultAt: iso.nullable(),
        pooled: z.boolean(),
      }),
    ),
  })
  .openapi("MyTests");
