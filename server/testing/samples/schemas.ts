/** Samples, pools and labels: request and answer shapes (docs/TESTING.md "Samples and pools"). */
import { z } from "@hono/zod-openapi";
import { POOL_STATUSES, SAMPLE_STATUSES, TEST_RESULTS, TEST_TYPES } from "../../../db/schema";
import { PersonDetails } from "../../checkins/schemas";
import { Day, msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";

const Id = (vi: string, en: string) => z.string({ error: msg(vi, en) }).uuid(msg(vi, en));
const pathId = (name: string, vi: string, en: string) => Id(vi, en).openapi({ param: { name, in: "path" } });
const Code = (name: string, example: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(40, msg("Mã quá dài", "The code is too long"))
    .openapi({ param: { name, in: "path" }, example, description: "Upper or lower case; spaces and dashes are ignored" });

export const SampleIdParam = z.object({ id: pathId("id", "Mã mẫu không hợp lệ", "Not a sample id") });
export const BarcodeParam = z.object({ barcode: Code("barcode", "S7K2M9QX4TB") });
export const PoolIdParam = z.object({ id: pathId("id", "Mã mẫu gộp không hợp lệ", "Not a pool id") });
export const PoolCodeParam = z.object({ code: Code("code", "P3J8KQ2ZT") });
export const PoolSampleParam = z.object({
  id: pathId("id", "Mã mẫu gộp không hợp lệ", "Not a pool id"),
  sampleId: pathId("sampleId", "Mã mẫu không hợp lệ", "Not a sample id"),
});

const Instant = z.string().datetime({
  offset: true,
  message: msg("Ngày giờ theo ISO 8601, ví dụ 2026-11-20T08:30:00+07:00", "A date and time in ISO 8601, e.g. 2026-11-20T08:30:00+07:00"),
});

// ---- answers ----

export const Sample = z
  .object({
    id: z.string().uuid(),
    barcode: z.string().openapi({ example: "S7K2M9QX4TB" }),
    campaignId: z.string().uuid(),
    siteId: z.string().uuid(),
    siteName: z.string(),
    personId: z.string().uuid(),
    testType: z.enum(TEST_TYPES),
    takenAt: z.string(),
    team: z.string().nullable(),
    poolId: z.string().uuid().nullable(),
    poolCode: z.string().nullable(),
    labId: z.string().uuid().nullable(),
    result: z.enum(TEST_RESULTS).nullable(),
    resultAt: z.string().nullable(),
    retestOf: z.string().uuid().nullable(),
    status: z.enum(SAMPLE_STATUSES),
  })
  .openapi("TestSample");
export const SampleListItem = Sample.extend({ fullName: z.string(), birthYear: z.number().int().nullable() }).openapi("TestSampleListItem");
export const SampleList = pageSchema(SampleListItem).openapi("TestSampleList");

export const Pool = z
  .object({
    id: z.string().uuid(),
    code: z.string().openapi({ example: "P3J8KQ2ZT" }),
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
    sealedAt: z.string().nullable(),
    result: z.enum(TEST_RESULTS).nullable(),
    resultAt: z.string().nullable(),
  })
  .openapi("TestPool");
export const PoolList = pageSchema(Pool).openapi("TestPoolList");
export const PoolMember = z
  .object({
    sampleId: z.string().uuid(),
    barcode: z.string(),
    personId: z.string().uuid(),
    fullName: z.string(),
    birthYear: z.number().int().nullable(),
    status: z.enum(SAMPLE_STATUSES),
  })
  .openapi("TestPoolMember");
export const PoolDetail = Pool.extend({ members: z.array(PoolMember) }).openapi("TestPoolDetail");

export const SampleDetail = Sample.extend({
  person: z.object({ id: z.string().uuid(), fullName: z.string(), phone: z.string().nullable(), birthYear: z.number().int().nullable() }),
  pool: Pool.nullable(),
  retest: Sample.nullable().openapi({ description: "The retest sample taken for this one, if any" }),
  caseId: z.string().uuid().nullable().openapi({ description: "The F0 case this sample opened (or the person's active case it was linked to)" }),
}).openapi("TestSampleDetail");

// ---- requests ----

export const NewPerson = PersonDetails.extend({
  birthDate: Day.nullish(),
  sex: z.enum(["male", "female", "other"]).nullish(),
});

export const CreateSample = z
  .object({
    siteId: Id("Chọn điểm lấy mẫu", "Choose the testing site"),
    personId: Id("Mã người không hợp lệ", "Not a person id").optional(),
    person: NewPerson.optional(),
    healthQr: z.string().trim().min(10, msg("Mã QR không hợp lệ", "Not a health QR")).max(2000, msg("Mã QR quá dài", "The QR is too long")).optional().openapi({
      description: "The person's personal health QR (GET /api/me/health-qr), scanned at the desk",
    }),
    takenAt: Instant.optional().openapi({ description: "Default: now" }),
    poolId: Id("Mã mẫu gộp không hợp lệ", "Not a pool id").optional().openapi({ description: "Add the sample to this open pool at once" }),
    labId: Id("Mã phòng xét nghiệm không hợp lệ", "Not a lab id").optional().openapi({ description: "An individual PCR sample sent to this lab" }),
    retestOf: Id("Mã mẫu không hợp lệ", "Not a sample id").optional().openapi({ description: "The sample this one retests; the person is taken from it" }),
  })
  .superRefine((v, ctx) => {
    const given = (["personId", "person", "healthQr"] as const).filter((k) => v[k] !== undefined);
    if (given.length > 1)
      ctx.addIssue({ code: "custom", path: [given[1]!], message: msg("Chỉ chọn một cách: personId, person hoặc healthQr", "Give only one of personId, person or healthQr") });
    if (!given.length && !v.retestOf)
      ctx.addIssue({ code: "custom", path: ["personId"], message: msg("Quét mã QR cá nhân, chọn hoặc nhập người được lấy mẫu", "Scan the personal QR, choose or type in the person") });
    if (v.poolId && v.labId) ctx.addIssue({ code: "custom", path: ["labId"], message: msg("Mẫu gộp được gửi theo mẫu gộp", "A pooled sample goes to the lab with its pool") });
    if (v.poolId && v.retestOf) ctx.addIssue({ code: "custom", path: ["poolId"], message: msg("Mẫu xét nghiệm lại là mẫu đơn, không gộp", "A retest is an individual sample, not pooled") });
  })
  .openapi("CreateTestSample");
export type CreateSampleT = z.infer<typeof CreateSample>;

export const SampleListQuery = z.object({
  siteId: Id("Mã điểm lấy mẫu không hợp lệ", "Not a testing site id").optional(),
  campaignId: Id("Mã đợt xét nghiệm không hợp lệ", "Not a campaign id").optional(),
  poolId: Id("Mã mẫu gộp không hợp lệ", "Not a pool id").optional(),
  status: z.enum(SAMPLE_STATUSES, { error: msg("Trạng thái không hợp lệ", "Unknown status") }).optional(),
  day: Day.optional().openapi({ description: "The day taken (Vietnam)" }),
  q: z.string().trim().max(120, msg("Tối đa 120 ký tự", "At most 120 characters")).optional().openapi({ description: "The start of a barcode, or part of the person's name" }),
  ...PageQuery,
});
export type SampleListInput = z.infer<typeof SampleListQuery>;

export const PoolListQuery = z.object({
  siteId: Id("Mã điểm lấy mẫu không hợp lệ", "Not a testing site id").optional(),
  labId: Id("Mã phòng xét nghiệm không hợp lệ", "Not a lab id").optional(),
  campaignId: Id("Mã đợt xét nghiệm không hợp lệ", "Not a campaign id").optional(),
  status: z.enum(POOL_STATUSES, { error: msg("Trạng thái: open, sealed hoặc resulted", "Status: open, sealed or resulted") }).optional(),
  q: z.string().trim().max(40, msg("Tối đa 40 ký tự", "At most 40 characters")).optional().openapi({ description: "The start of the pool's code" }),
  ...PageQuery,
});
export type PoolListInput = z.infer<typeof PoolListQuery>;

export const CreatePool = z.object({ siteId: Id("Chọn điểm lấy mẫu", "Choose the testing site") }).openapi("CreateTestPool");

export const AddToPool = z
  .object({
    sampleId: Id("Mã mẫu không hợp lệ", "Not a sample id").optional(),
    barcode: z.string().trim().min(1).max(40, msg("Mã quá dài", "The code is too long")).optional().openapi({ description: "The scanned label" }),
  })
  .refine((v) => (v.sampleId === undefined) !== (v.barcode === undefined), {
    message: msg("Quét mã vạch hoặc chọn một mẫu", "Scan a barcode or choose one sample"),
    path: ["barcode"],
  })
  .openapi("AddToTestPool");
export type AddToPoolT = z.infer<typeof AddToPool>;

export const SealPool = z.object({ labId: Id("Chọn phòng xét nghiệm", "Choose the lab") }).openapi("SealTestPool");
