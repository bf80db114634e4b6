/** The dashboard of an area, read from the roll-ups (docs/STATS.md). */
import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, json } from "../../http/openapi";
import { Dashboard, DashboardQuery, MetricList } from "./schemas";
import { dashboard, metricList } from "./service";

const tags = ["Statistics"];
/** Officers and health officers of an area; national admins the country. */
const readers = requireAuth(...OFFICER_ROLES);

export const dashboardRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/stats/dashboard",
      tags,
      summary:
        "Headline figures, daily series and the ranked child units of the caller's area (or a province or commune inside it; another is 404), from the daily roll-ups; default the last 30 days, at most 366",
      security: bearer,
      middleware: readers,
      request: { query: DashboardQuery },
      responses: { 200: json(Dashboard, "The dashboard"), ...authErrors },
    }),
    async (c) => c.json(await dashboard(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/stats/metrics",
      tags,
      summary: "The roll-up metrics and derived figures, with Vietnamese and English labels",
      security: bearer,
      middleware: readers,
      responses: { 200: json(MetricList, "The metrics"), 401: authErrors[401], 403: authErrors[403] },
    }),
    (c) => c.json(metricList(), 200),
  );
