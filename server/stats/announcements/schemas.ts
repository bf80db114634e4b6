/** Announcements and the public situation data: request and answer shapes (docs/STATS.md). */
import { z } from "@hono/zod-openapi";
import { ANNOUNCEMENT_KINDS, ANNOUNCEMENT_STATUSES } from "../../../db/schema";
import { msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";
import { OpenDataFigures, OpenDataRow, ProvinceCode, SUPPRESSED_NOTE } from "../open-data/schemas";

export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;
/** How many published announcements the public situation shows. */
export const PUBLIC_ANNOUNCEMENTS = 20;

const noNul = (s: string) => !s.includes("\u0000");

const Title = z
  .string({ error: msg("Nhập tiêu đề", "Enter the title") })
  .trim()
  .min(1, msg("Nhập tiêu đề", "Enter the title"))
  .max(TITLE_MAX, msg(`Tiêu đề tối đa ${TITLE_MAX} ký tự`, `At most ${TITLE_MAX} characters`))
  .refine(noNul, msg("Tiêu đề có ký tự không hợp lệ", "The title contains an invalid character"));
/** Plain text, kept exactly as written (line breaks included) and always shown as text, never as HTML. */
const Body = z
  .string({ error: msg("Nhập nội dung", "Enter the text") })
  .max(BODY_MAX, msg(`Nội dung tối đa ${BODY_MAX} ký tự`, `At most ${BODY_MAX} characters`))
  .refine((s) => s.trim().length > 0, msg("Nhập nội dung", "Enter the text"))
  .refine(noNul, msg("Nội dung có ký tự không hợp lệ", "The text contains an invalid character"))
  .openapi({ description: `Plain text (not HTML), at most ${BODY_MAX} characters; shown verbatim` });
const Kind = z.enum(ANNOUNCEMENT_KINDS, { error: msg("Loại: announcement, guidance hoặc measure", "Kind: announcement, guidance or measure") });
const Status = z.enum(ANNOUNCEMENT_STATUSES, { error: msg("Trạng thái: draft, published hoặc withdrawn", "Status: draft, published or withdrawn") });
const Commune = z
  .string({ error: msg("Chọn xã/phường", "Choose the commune") })
  .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
  .openapi({ example: "00070" });

export const AnnouncementIdParam = z.object({
  id: z
    .string()
    .uuid(msg("Mã thông báo không hợp lệ", "Not an announcement id"))
    .openapi({ param: { name: "id", in: "path" } }),
});
export const ProvinceParam = z.object({ provinceCode: ProvinceCode.openapi({ param: { name: "provinceCode", in: "path" } }) });

export const Announcement = z
  .object({
    id: z.string().uuid(),
    provinceCode: z.string(),
    communeCode: z.string().nullable().openapi({ description: "null: the whole province" }),
    kind: Kind,
    title: z.string(),
    body: z.string(),
    status: Status,
    publishedAt: z.string().nullable(),
    createdBy: z.string().uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Announcement");
export const AnnouncementList = pageSchema(Announcement).openapi("AnnouncementList");

export const AnnouncementListQuery = z.object({
  status: Status.optional(),
  kind: Kind.optional(),
  communeCode: Commune.optional(),
  ...PageQuery,
});
export type AnnouncementListQueryT = z.infer<typeof AnnouncementListQuery>;

export const CreateAnnouncement = z
  .object({
    kind: Kind.default("announcement"),
    title: Title,
    body: Body,
    communeCode: Commune.optional().openapi({ description: "For one commune (commune officers: always their own); without it, the whole province" }),
    provinceCode: ProvinceCode.optional().openapi({ description: "The province, for national admins writing a province-wide announcement" }),
  })
  .openapi("CreateAnnouncement");
export type CreateAnnouncementT = z.infer<typeof CreateAnnouncement>;

export const UpdateAnnouncement = z
  .object({ title: Title.optional(), body: Body.optional(), kind: Kind.optional(), status: Status.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: msg("Không có gì để sửa", "Nothing to change"), path: ["(body)"] })
  .openapi("UpdateAnnouncement");
export type UpdateAnnouncementT = z.infer<typeof UpdateAnnouncement>;

export const PublicAnnouncement = z
  .object({
    id: z.string().uuid(),
    kind: Kind,
    title: z.string(),
    body: z.string().openapi({ description: "Plain text: show it as text, never as HTML" }),
    publishedAt: z.string(),
    communeCode: z.string().nullable(),
    communeName: z.string().nullable(),
  })
  .openapi("PublicAnnouncement");

export const WeekFigures = z
  .object({ from: z.string(), to: z.string(), ...OpenDataFigures })
  .openapi("SituationWeekFigures", { description: "Totals of the 7 days ending on `day`, suppressed after adding up" });

export const Situation = z
  .object({
    province: z.object({ code: z.string(), name: z.string() }),
    day: z.string().nullable().openapi({ description: "The latest day (up to today, Vietnam) with data; null when there is none" }),
    figures: z.object({ latest: OpenDataRow.nullable(), last7Days: WeekFigures.nullable() }),
    announcements: z.array(PublicAnnouncement).openapi({ description: `Published, newest first, at most ${PUBLIC_ANNOUNCEMENTS}` }),
    suppressed: z.literal(SUPPRESSED_NOTE),
  })
  .openapi("Situation");
