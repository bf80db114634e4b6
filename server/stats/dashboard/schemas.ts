/** GET /api/stats/dashboard and /api/stats/metrics: the query and the answers (docs/STATS.md, "Dashboard"). */
import { z } from "@hono/zod-openapi";
import { METRICS, type Metric } from "../../../db/schema";
import { Day, msg } from "../../http/fields";

/** Figures derived at read time from the roll-ups (docs/STATS.md, "Derived at read time"). */
export const DERIVED = ["positivity", "f0_active", "in_quarantine", "coverage_1", "coverage_2", "coverage_3"] as const;
export type Derived = (typeof DERIVED)[number];

export const DashboardQuery = z.object({
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, msg("Mã tỉnh/thành phố gồm 2 chữ số", "Province code is 2 digits"))
    .optional()
    .openapi({ description: "A province of the caller's area (default: the caller's own area)", example: "01" }),
  communeCode: z
    .string()
    .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
    .optional()
    .openapi({ description: "A commune of the caller's area", example: "00070" }),
  from: Day.optional().openapi({ description: "First day (Vietnam), default 29 days before `to`" }),
  to: Day.optional().openapi({ description: "Last day (Vietnam), inclusive, default today; at most 366 days from `from`" }),
});
export type DashboardQueryT = z.infer<typeof DashboardQuery>;

const count = z.number().int();
const share = (description: string) => z.number().nullable().openapi({ description });
const POSITIVITY = "results_positive / (results_positive + results_negative) over the range, 0–1 with 4 decimals; null when both are 0";
const COVERAGE = (n: number) =>
  `Cumulative doses_${n} (all days up to now) / population of the unit, 0–1 with 4 decimals; null when the population is unknown`;

const metricShape = Object.fromEntries(METRICS.map((m) => [m, count])) as Record<Metric, typeof count>;

export const Headline = z
  .object({
    ...metricShape,
    positivity: share(POSITIVITY),
    f0_active: count.openapi({ description: "Cases active now (Σ cases_active over all days)" }),
    in_quarantine: count.openapi({ description: "Contacts in quarantine now (Σ contacts_quarantined over all days)" }),
    coverage_1: share(COVERAGE(1)),
    coverage_2: share(COVERAGE(2)),
    coverage_3: share(COVERAGE(3)),
  })
  .openapi("DashboardHeadline", {
    description:
      "Flow metrics: totals over the range (visitors and venues_active: sums of the daily distinct counts). Stocks (f0_active, in_quarantine, coverage_n): values now.",
  });

export const SeriesDay = z
  .object({ day: z.string().openapi({ example: "2026-10-12" }), ...metricShape })
  .openapi("DashboardDay", { description: "One Vietnam day of the range, every metric (0 when nothing was counted)" });

export const ChildUnit = z
  .object({
    code: z.string(),
    name: z.string(),
    population: z.number().int().nullable(),
    checkins: count.openapi({ description: "Check-ins over the range" }),
    casesNew: count.openapi({ description: "Cases confirmed over the range" }),
    incidencePer100k: z.number().nullable().openapi({ description: "casesNew per 100,000 people (2 decimals); null when the population is unknown" }),
    positivity: share(POSITIVITY),
    coverage1: share(COVERAGE(1)),
    coverage2: share(COVERAGE(2)),
  })
  .openapi("DashboardChild");

export const Dashboard = z
  .object({
    unit: z.object({
      level: z.enum(["country", "province", "commune"]),
      code: z.string().openapi({ description: "VN for the country, else the province or commune code" }),
      name: z.string(),
      population: z.number().int().nullable().openapi({ description: "admin_units.population (a province: its communes summed when it has no figure of its own)" }),
    }),
    from: z.string(),
    to: z.string(),
    headline: Headline,
    series: z.array(SeriesDay),
    children: z.array(ChildUnit).openapi({
      description: "The provinces of the country or the communes of a province (none for a commune), by incidence per 100,000 (highest first; unknown population last)",
    }),
  })
  .openapi("Dashboard");

export const MetricInfo = z
  .object({
    key: z.string().openapi({ example: "checkins" }),
    kind: z.enum(["flow", "stock", "rate"]).openapi({
      description: "flow: counted per day (series and range totals); stock: a value now; rate: a share 0–1",
    }),
    group: z.enum(["checkins", "declarations", "testing", "vaccination", "cases", "contacts"]),
    labelVi: z.string(),
    labelEn: z.string(),
  })
  .openapi("StatsMetric");

export const MetricList = z.object({ items: z.array(MetricInfo) }).openapi("StatsMetricList");
