/** Testing statistics of an area (docs/TESTING.md). */
import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, json } from "../../http/openapi";
import { StatsQuery, TestingStats } from "./schemas";
import { testingStats } from "./service";

export const testStatsRoutes = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/testing/stats",
    tags: ["Testing"],
    summary: "Samples, final results, positivity, turnaround and pools of the caller's area (or one commune or campaign of it), per Vietnam day",
    security: bearer,
    middleware: requireAuth(...OFFICER_ROLES),
    request: { query: StatsQuery },
    responses: { 200: json(TestingStats, "The statistics"), ...authErrors },
  }),
  async (c) => c.json(await testingStats(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
);
