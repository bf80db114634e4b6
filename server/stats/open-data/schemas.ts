/** Open data: request and answer shapes (docs/STATS.md "Open data"). */
import { z } from "@hono/zod-openapi";
import { Day, msg } from "../../http/fields";

/** Longest range one request may ask for. */
export const OPEN_DATA_MAX_DAYS = 366;
/** Default range: the last 30 days (Vietnam), today included. */
export const OPEN_DATA_DEFAULT_DAYS = 30;
/** What the `suppressed` field says, word for word. */
export const SUPPRESSED_NOTE = "values 1–4 are reported as null";

export const ProvinceCode = z
  .string({ error: msg("Chọn tỉnh/thành phố", "Choose the province") })
  .regex(/^\d{2}$/, msg("Mã tỉnh/thành phố gồm 2 chữ số", "Province code is 2 digits"))
  .openapi({ example: "01" });

export const OpenDataQuery = z.object({
  provinceCode: ProvinceCode.optional().openapi({ description: "One province (default: every province)" }),
  from: Day.optional().openapi({ description: `First day, Vietnam (default: ${OPEN_DATA_DEFAULT_DAYS - 1} days before \`to\`)` }),
  to: Day.optional().openapi({ description: `Last day, inclusive (default today, Vietnam; at most ${OPEN_DATA_MAX_DAYS} days from \`from\`)` }),
});
export type OpenDataQueryT = z.infer<typeof OpenDataQuery>;

/** A count, or null when it is from 1 to 4 (small counts suppressed). */
const Count = z.number().int().nullable();

/** The figures published for one province over some days (no day or province in it). */
export const OpenDataFigures = {
  checkins: Count.openapi({ description: "QR check-ins at venues" }),
  declarations: Count.openapi({ description: "Health declarations" }),
  samples: Count.openapi({ description: "Test samples taken" }),
  positive: Count.openapi({ description: "Positive test results" }),
  negative: Count.openapi({ description: "Negative test results" }),
  casesNew: Count.openapi({ description: "New confirmed cases" }),
  doses1: Count.openapi({ description: "First doses given" }),
  doses2: Count.openapi({ description: "Second doses given" }),
  doses3: Count.openapi({ description: "Third and later doses given" }),
};

export const OpenDataRow = z
  .object({ day: z.string().openapi({ example: "2026-05-04" }), provinceCode: z.string(), provinceName: z.string(), ...OpenDataFigures })
  .openapi("OpenDataRow");

export const OpenDataList = z
  .object({
    from: z.string().openapi({ description: "First day of the range", example: "2026-04-05" }),
    to: z.string().openapi({ description: "Last day of the range, inclusive", example: "2026-05-04" }),
    items: z.array(OpenDataRow).openapi({ description: "One row per day and province with data, by day then province" }),
    suppressed: z.literal(SUPPRESSED_NOTE),
  })
  .openapi("OpenDataList");
