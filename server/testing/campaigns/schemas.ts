/** Campaigns, testing sites and their staff, labs and their staff: request and answer shapes (docs/TESTING.md). */
import { z } from "@hono/zod-openapi";
import { CAMPAIGN_STATUSES, TEST_SITE_STATUSES, TEST_TYPES } from "../../../db/schema";
import { Day, msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";

const idParam = (name: string, vi: string, en: string) => z.string().uuid(msg(vi, en)).openapi({ param: { name, in: "path" } });

export const CampaignIdParam = z.object({ id: idParam("id", "Mã đợt xét nghiệm không hợp lệ", "Not a campaign id") });
export const TestSiteIdParam = z.object({ id: idParam("id", "Mã điểm lấy mẫu không hợp lệ", "Not a testing site id") });
export const TestSiteStaffParam = z.object({
  id: idParam("id", "Mã điểm lấy mẫu không hợp lệ", "Not a testing site id"),
  userId: idParam("userId", "Mã tài khoản không hợp lệ", "Not a user id"),
});
export const LabIdParam = z.object({ id: idParam("id", "Mã phòng xét nghiệm không hợp lệ", "Not a lab id") });
export const LabStaffParam = z.object({
  id: idParam("id", "Mã phòng xét nghiệm không hợp lệ", "Not a lab id"),
  userId: idParam("userId", "Mã tài khoản không hợp lệ", "Not a user id"),
});

export const Commune = z
  .string({ error: msg("Chọn xã/phường", "Choose the commune") })
  .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
  .openapi({ example: "00070" });

const text = (what: { vi: string; en: string }, max: number) =>
  z
    .string({ error: msg(`Nhập ${what.vi}`, `Enter the ${what.en}`) })
    .trim()
    .min(2, msg("Ít nhất 2 ký tự", "At least 2 characters"))
    .max(max, msg(`Tối đa ${max} ký tự`, `At most ${max} characters`));
const CampaignName = text({ vi: "tên đợt xét nghiệm", en: "campaign's name" }, 200);
const SiteName = text({ vi: "tên điểm lấy mẫu", en: "testing site's name" }, 200);
const LabName = text({ vi: "tên phòng xét nghiệm", en: "lab's name" }, 200);
const Address = text({ vi: "địa chỉ", en: "address" }, 300);

const TestType = z.enum(TEST_TYPES, { error: msg("Loại xét nghiệm: pcr hoặc rapid_antigen", "Test type: pcr or rapid_antigen") });
const CampaignStatus = z.enum(CAMPAIGN_STATUSES, { error: msg("Trạng thái: open hoặc closed", "Status: open or closed") });
const SiteStatus = z.enum(TEST_SITE_STATUSES, { error: msg("Trạng thái: active hoặc closed", "Status: active or closed") });
export const POOL_SIZE_MAX = 10;
const PoolSize = z
  .number({ error: msg("Số mẫu gộp là số nguyên từ 1 đến 10", "Pool size is a whole number from 1 to 10") })
  .int(msg("Số mẫu gộp là số nguyên từ 1 đến 10", "Pool size is a whole number from 1 to 10"))
  .min(1, msg("Số mẫu gộp từ 1 đến 10", "Pool size from 1 to 10"))
  .max(POOL_SIZE_MAX, msg("Số mẫu gộp từ 1 đến 10", "Pool size from 1 to 10"));

// ---- campaigns ----

export const Campaign = z
  .object({
    id: z.string().uuid(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    name: z.string(),
    testType: z.enum(TEST_TYPES),
    startsOn: z.string().openapi({ example: "2026-11-20" }),
    endsOn: z.string(),
    poolSize: z.number().int(),
    status: z.enum(CAMPAIGN_STATUSES),
    createdAt: z.string(),
  })
  .openapi("TestCampaign");
export const CampaignList = pageSchema(Campaign).openapi("TestCampaignList");
export const CampaignDetail = Campaign.extend({
  counts: z.object({ samples: z.number().int(), pools: z.number().int(), positive: z.number().int(), retestNeeded: z.number().int() }),
}).openapi("TestCampaignDetail");

export const CampaignListQuery = z.object({
  q: z.string().trim().max(100, msg("Tối đa 100 ký tự", "At most 100 characters")).optional().openapi({ description: "Part of the name" }),
  status: CampaignStatus.optional(),
  communeCode: Commune.optional().openapi({ description: "Campaigns of this commune, and province-wide ones with a site in it" }),
  ...PageQuery,
});
export type CampaignListInput = z.infer<typeof CampaignListQuery>;

export const CreateCampaign = z
  .object({
    name: CampaignName,
    testType: TestType,
    startsOn: Day,
    endsOn: Day,
    poolSize: PoolSize.optional().openapi({ description: "Most samples in one pool: 1–10, default 10 (PCR); always 1 for rapid_antigen" }),
    communeCode: Commune.nullish().openapi({ description: "The commune of the campaign; absent: the caller's commune, or the whole province for province officers" }),
  })
  .refine((v) => v.endsOn >= v.startsOn, { message: msg("Ngày kết thúc trước ngày bắt đầu", "The last day is before the first"), path: ["endsOn"] })
  .refine((v) => v.testType !== "rapid_antigen" || v.poolSize === undefined || v.poolSize === 1, {
    message: msg("Test nhanh kháng nguyên không gộp mẫu: số mẫu gộp là 1", "Rapid antigen tests are not pooled: the pool size is 1"),
    path: ["poolSize"],
  })
  .openapi("CreateTestCampaign");
export type CreateCampaignT = z.infer<typeof CreateCampaign>;

export const UpdateCampaign = z
  .object({ name: CampaignName.optional(), endsOn: Day.optional(), poolSize: PoolSize.optional(), status: CampaignStatus.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: msg("Không có gì để sửa", "Nothing to change"), path: ["(body)"] })
  .openapi("UpdateTestCampaign");
export type UpdateCampaignT = z.infer<typeof UpdateCampaign>;

// ---- testing sites ----

export const TestSite = z
  .object({
    id: z.string().uuid(),
    campaignId: z.string().uuid(),
    campaignName: z.string(),
    testType: z.enum(TEST_TYPES),
    poolSize: z.number().int(),
    provinceCode: z.string(),
    communeCode: z.string(),
    name: z.string(),
    address: z.string(),
    status: z.enum(TEST_SITE_STATUSES),
  })
  .openapi("TestSite");
export const TestSiteList = z.object({ items: z.array(TestSite) }).openapi("TestSiteList");
export const MyTestSite = TestSite.extend({
  team: z.string().nullable().openapi({ description: "The caller's team at this site" }),
  campaignStatus: z.enum(CAMPAIGN_STATUSES),
  startsOn: z.string(),
  endsOn: z.string(),
}).openapi("MyTestSite");
export const MyTestSiteList = z.object({ items: z.array(MyTestSite) }).openapi("MyTestSiteList");
export const TestSiteStaffMember = z
  .object({ userId: z.string().uuid(), username: z.string(), displayName: z.string(), team: z.string().nullable() })
  .openapi("TestSiteStaffMember");
export const TestSiteDetail = TestSite.extend({ staff: z.array(TestSiteStaffMember) }).openapi("TestSiteDetail");

export const CreateTestSite = z.object({ name: SiteName, address: Address, communeCode: Commune }).openapi("CreateTestSite");
export type CreateTestSiteT = z.infer<typeof CreateTestSite>;

export const UpdateTestSite = z
  .object({ name: SiteName.optional(), address: Address.optional(), status: SiteStatus.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: msg("Không có gì để sửa", "Nothing to change"), path: ["(body)"] })
  .openapi("UpdateTestSite");
export type UpdateTestSiteT = z.infer<typeof UpdateTestSite>;

export const AssignTestSiteStaff = z
  .object({
    team: z
      .string()
      .trim()
      .max(100, msg("Tên tổ tối đa 100 ký tự", "A team name has at most 100 characters"))
      .nullish()
      .transform((s) => (s ? s : null))
      .openapi({ example: "Tổ 1" }),
  })
  .openapi("AssignTestSiteStaff");

// ---- labs ----

export const Lab = z
  .object({
    id: z.string().uuid(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    name: z.string(),
    address: z.string(),
    active: z.boolean(),
  })
  .openapi("Lab");
export const LabList = pageSchema(Lab).openapi("LabList");
export const LabStaffMember = z.object({ userId: z.string().uuid(), username: z.string(), displayName: z.string() }).openapi("LabStaffMember");
export const LabDetail = Lab.extend({ staff: z.array(LabStaffMember) }).openapi("LabDetail");

export const LabListQuery = z.object({
  q: z.string().trim().max(100, msg("Tối đa 100 ký tự", "At most 100 characters")).optional().openapi({ description: "Part of the name" }),
  ...PageQuery,
});

export const CreateLab = z
  .object({
    name: LabName,
    address: Address,
    communeCode: Commune.nullish().openapi({ description: "Where the lab is; absent: the caller's province (national admins must give it)" }),
  })
  .openapi("CreateLab");
export type CreateLabT = z.infer<typeof CreateLab>;
