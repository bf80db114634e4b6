/** Open data: aggregated figures per province and day, small counts suppressed (docs/STATS.md). */
import { createRoute, z } from "@hono/zod-openapi";
import { perIpLimit } from "../../declarations/limits";
import { createRouter, errors, json } from "../../http/openapi";
import { OpenDataList, OpenDataQuery } from "./schemas";
import { openDaily, openDailyCsv } from "./service";

const tags = ["Open data"];
/** Anyone may read, per address: generous (newsrooms and phones behind one NAT share one), so nobody hammers the database. */
const limit = perIpLimit("open-data", 120, 60);
/** The figures change at most a few times a minute and are the same for everyone: caches may keep them 5 minutes. */
const CACHE = "public, max-age=300";
const failures = { 400: errors[400], 404: errors[404], 429: errors[429] };

export const openDataRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/open-data/daily",
      tags,
      summary: "Figures per province and day from the roll-ups (no sign-in; values 1–4 are null; cacheable 5 minutes)",
      middleware: limit,
      request: { query: OpenDataQuery },
      responses: { 200: json(OpenDataList, "One row per day and province with data"), ...failures },
    }),
    async (c) => {
      const body = await openDaily(c.get("deps"), c.req.valid("query"));
      c.header("cache-control", CACHE);
      return c.json(body, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/open-data/daily.csv",
      tags,
      summary: "The same figures as CSV (UTF-8 with BOM, CRLF; suppressed values are empty cells)",
      middleware: limit,
      request: { query: OpenDataQuery },
      responses: {
        200: { description: "The CSV", content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } } },
        ...failures,
      },
    }),
    async (c) => {
      const { from, to, csv } = await openDailyCsv(c.get("deps"), c.req.valid("query"));
      const province = c.req.valid("query").provinceCode;
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="open-data-${province ?? "all"}-${from}-${to}.csv"`,
        "cache-control": CACHE,
      });
    },
  );
