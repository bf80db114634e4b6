/** GET /api/testing/stats: the query and the answer (docs/TESTING.md, "Statistics"). */
import { z } from "@hono/zod-openapi";
import { Day, msg } from "../../http/fields";

export const StatsQuery = z.object({
  from: Day.optional().openapi({ description: "First day (Vietnam), default 29 days before `to`" }),
  to: Day.optional().openapi({ description: "Last day (Vietnam), inclusive, default today" }),
  communeCode: z
    .string()
    .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
    .optional()
    .openapi({ description: "One commune of the caller's area" }),
  campaignId: z.string().uuid(msg("Mã đợt xét nghiệm không hợp lệ", "Not a campaign id")).optional(),
});
export type StatsQueryT = z.infer<typeof StatsQuery>;

const Rate = z.number().nullable().openapi({ description: "positive / (positive + negative), 0–1 with 4 decimals; null when nothing was positive or negative" });

export const TestingStats = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.array(
      z.object({
        day: z.string().openapi({ example: "2026-10-12" }),
        samples: z.number().int().openapi({ description: "Samples taken that day" }),
        tested: z.number().int().openapi({ description: "People with a final result that day (own result, or a negative pool)" }),
        positive: z.number().int(),
        negative: z.number().int(),
        invalid: z.number().int(),
        positivity: Rate,
      }),
    ),
    communes: z.array(
      z.object({
        communeCode: z.string(),
        name: z.string(),
        samples: z.number().int().openapi({ description: "Samples taken in the range at sites of the commune" }),
        positive: z.number().int().openapi({ description: "People with a positive final result in the range" }),
        positivity: Rate,
      }),
    ),
    turnaround: z.object({
      count: z.number().int().openapi({ description: "Final results in the range" }),
      medianHours: z.number().nullable(),
      p90Hours: z.number().nullable(),
    }),
    pools: z.object({
      total: z.number().int().openapi({ description: "Pools made in the range" }),
      resulted: z.number().int(),
      positive: z.number().int(),
      positivityRate: Rate,
    }),
  })
  .openapi("TestingStats");
