/** Vaccination sites, their staff and slots: request and answer shapes (docs/VACCINATION.md). */
import { z } from "@hono/zod-openapi";
import { SITE_STATUSES } from "../../../db/schema";
import { Day, msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";
import { ProductCode } from "../reference/schemas";

const idParam = (name: string, vi: string, en: string) =>
  z.string().uuid(msg(vi, en)).openapi({ param: { name, in: "path" } });

export const SiteIdParam = z.object({ id: idParam("id", "Mã điểm tiêm không hợp lệ", "Not a site id") });
export const SiteStaffParam = z.object({
  id: idParam("id", "Mã điểm tiêm không hợp lệ", "Not a site id"),
  userId: idParam("userId", "Mã tài khoản không hợp lệ", "Not a user id"),
});
export const SlotIdParam = z.object({ id: idParam("id", "Mã khung giờ không hợp lệ", "Not a slot id") });

export const Commune = z
  .string({ error: msg("Chọn xã/phường", "Choose the commune") })
  .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
  .openapi({ example: "00070" });
const Province = z
  .string({ error: msg("Chọn tỉnh/thành phố", "Choose the province") })
  .regex(/^\d{2}$/, msg("Mã tỉnh/thành phố gồm 2 chữ số", "Province code is 2 digits"))
  .openapi({ example: "01" });

const SiteName = z
  .string({ error: msg("Nhập tên điểm tiêm", "Enter the site's name") })
  .trim()
  .min(2, msg("Tên ít nhất 2 ký tự", "At least 2 characters"))
  .max(200, msg("Tên tối đa 200 ký tự", "At most 200 characters"));
const Address = z
  .string({ error: msg("Nhập địa chỉ", "Enter the address") })
  .trim()
  .min(2, msg("Địa chỉ ít nhất 2 ký tự", "At least 2 characters"))
  .max(300, msg("Địa chỉ tối đa 300 ký tự", "At most 300 characters"));
const CapacityPerDay = z
  .number({ error: msg("Số người mỗi ngày là số nguyên", "Capacity per day is a whole number") })
  .int(msg("Số người mỗi ngày là số nguyên", "Capacity per day is a whole number"))
  .min(1, msg("Ít nhất 1 người mỗi ngày", "At least 1 person a day"))
  .max(100_000, msg("Tối đa 100000 người mỗi ngày", "At most 100000 people a day"));

export const Site = z
  .object({
    id: z.string().uuid(),
    provinceCode: z.string(),
    communeCode: z.string(),
    name: z.string(),
    address: z.string(),
    capacityPerDay: z.number().int(),
    status: z.enum(SITE_STATUSES),
    createdAt: z.string(),
  })
  .openapi("VaccinationSite");
export const SiteList = pageSchema(Site).openapi("VaccinationSiteList");
export const SiteStaffMember = z.object({ userId: z.string().uuid(), username: z.string(), displayName: z.string() }).openapi("SiteStaffMember");
export const SiteDetail = Site.extend({ staff: z.array(SiteStaffMember) }).openapi("VaccinationSiteDetail");

export const SiteListQuery = z.object({
  q: z.string().trim().max(100, msg("Tối đa 100 ký tự", "At most 100 characters")).optional().openapi({ description: "Part of the name" }),
  communeCode: Commune.optional(),
  status: z.enum(SITE_STATUSES, { error: msg("Trạng thái: active hoặc closed", "Status: active or closed") }).optional(),
  ...PageQuery,
});

export const CreateSite = z
  .object({ name: SiteName, address: Address, communeCode: Commune, capacityPerDay: CapacityPerDay })
  .openapi("CreateVaccinationSite");
export type CreateSiteT = z.infer<typeof CreateSite>;

export const UpdateSite = z
  .object({
    name: SiteName.optional(),
    address: Address.optional(),
    capacityPerDay: CapacityPerDay.optional(),
    status: z.enum(SITE_STATUSES, { error: msg("Trạng thái: active hoặc closed", "Status: active or closed") }).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: msg("Không có gì để sửa", "Nothing to change"), path: ["(body)"] })
  .openapi("UpdateVaccinationSite");
export type UpdateSiteT = z.infer<typeof UpdateSite>;

export const OpenSitesQuery = z.object({
  provinceCode: Province.optional(),
  communeCode: Commune.optional(),
  ...PageQuery,
});
export const OpenSite = z
  .object({ id: z.string().uuid(), name: z.string(), address: z.string(), provinceCode: z.string(), communeCode: z.string() })
  .openapi("OpenVaccinationSite");
export const OpenSiteList = pageSchema(OpenSite).openapi("OpenVaccinationSiteList");

export const Slot = z
  .object({
    id: z.string().uuid(),
    siteId: z.string().uuid(),
    startsAt: z.string(),
    endsAt: z.string(),
    capacity: z.number().int(),
    booked: z.number().int(),
    free: z.number().int(),
    productCode: z.string().nullable(),
  })
  .openapi("VaccinationSlot");
export const SlotList = z.object({ items: z.array(Slot) }).openapi("VaccinationSlotList");

/** Longest range of days one slots request may ask for. */
export const SLOT_RANGE_MAX_DAYS = 62;

export const SlotsQuery = z.object({
  from: Day.optional().openapi({ description: "First day (default today, Vietnam)" }),
  to: Day.optional().openapi({ description: `Last day, inclusive (default from + 14; at most ${SLOT_RANGE_MAX_DAYS} days)` }),
});

const Time = (vi: string, en: string) =>
  z
    .string({ error: msg(vi, en) })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, msg("Giờ dạng HH:MM, ví dụ 08:00", "A time as HH:MM, e.g. 08:00"))
    .openapi({ example: "08:00" });

export const PublishSlots = z
  .object({
    day: Day,
    startTime: Time("Nhập giờ bắt đầu", "Enter the start time"),
    endTime: Time("Nhập giờ kết thúc", "Enter the end time").openapi({ example: "11:30" }),
    slotMinutes: z
      .number({ error: msg("Số phút mỗi khung là số nguyên", "Minutes per slot is a whole number") })
      .int(msg("Số phút mỗi khung là số nguyên", "Minutes per slot is a whole number"))
      .min(5, msg("Mỗi khung ít nhất 5 phút", "At least 5 minutes a slot"))
      .max(720, msg("Mỗi khung tối đa 720 phút", "At most 720 minutes a slot")),
    capacityPerSlot: z
      .number({ error: msg("Số người mỗi khung là số nguyên", "People per slot is a whole number") })
      .int(msg("Số người mỗi khung là số nguyên", "People per slot is a whole number"))
      .min(1, msg("Ít nhất 1 người mỗi khung", "At least 1 person a slot"))
      .max(10_000, msg("Tối đa 10000 người mỗi khung", "At most 10000 people a slot")),
    productCode: ProductCode.nullish(),
  })
  .refine((v) => v.startTime < v.endTime, { message: msg("Giờ kết thúc phải sau giờ bắt đầu", "The end time must be after the start time"), path: ["endTime"] })
  .openapi("PublishSlots");
export type PublishSlotsT = z.infer<typeof PublishSlots>;
