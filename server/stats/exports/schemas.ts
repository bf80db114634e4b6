/** The queries of the exports (docs/STATS.md, "Exports"). Answers are files: CSV, XLSX or a JSON array. */
import { z } from "@hono/zod-openapi";
import { Day, msg } from "../../http/fields";

const ProvinceCode = z
  .string()
  .regex(/^\d{2}$/, msg("Mã tỉnh/thành phố gồm 2 chữ số", "Province code is 2 digits"))
  .openapi({ example: "01" });
const CommuneCode = z
  .string()
  .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
  .openapi({ example: "00070" });
const From = Day.optional().openapi({ description: "First day (Vietnam), inclusive; default 29 days before `to`" });
const To = Day.optional().openapi({ description: "Last day (Vietnam), inclusive; default today; at most 1,096 days from `from`" });

export const STATS_LEVELS = ["province", "commune"] as const;

export const StatsExportQuery = z.object({
  level: z
    .enum(STATS_LEVELS, { error: msg("Cấp: province hoặc commune", "level: province or commune") })
    .optional()
    .openapi({ description: "One row per day × province, or per day × commune (default: commune for a caller of one commune or with communeCode, else province)" }),
  provinceCode: ProvinceCode.optional().openapi({ description: "Only this province (in the caller's area, else 404)" }),
  communeCode: CommuneCode.optional().openapi({ description: "Only this commune (in the caller's area, else 404); implies level=commune" }),
  from: From,
  to: To,
});
export type StatsExportQueryT = z.infer<typeof StatsExportQuery>;

export const LINE_LIST_KINDS = ["cases", "contacts", "doses"] as const;
export type LineListKind = (typeof LINE_LIST_KINDS)[number];

export const LineListQuery = z.object({
  from: From.openapi({ description: "First day (Vietnam), inclusive, default 29 days before `to`: cases by confirmation day, contacts by the day identified, doses by the day given" }),
  to: To,
  communeCode: CommuneCode.optional().openapi({ description: "Only this commune (in the caller's area, else 404)" }),
});
export type LineListQueryT = z.infer<typeof LineListQuery>;

export const DailyReportQuery = z.object({
  day: Day.optional().openapi({ description: "The day reported (Vietnam), default today" }),
  provinceCode: ProvinceCode.optional().openapi({ description: "The province (default the caller's; required for national admins; another province is 404)" }),
});
export type DailyReportQueryT = z.infer<typeof DailyReportQuery>;
