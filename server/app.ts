import { serveStatic } from "@hono/node-server/serve-static";
import { OpenAPIHono } from "@hono/zod-openapi";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { ping } from "../db/client";
import { adminUnitRoutes } from "./admin-units/routes";
import { auditRoutes } from "./audit/routes";
import { authRoutes } from "./auth/routes";
import type { Deps } from "./deps";
import { mountDocs } from "./http/docs";
import type { AppEnv } from "./http/env";
import { AppError, errorBody, handleError } from "./http/errors";
import { provideDeps, requestLog } from "./http/middleware";
import { securityHeaders } from "./http/security-headers";
import { userRoutes } from "./users/routes";
import { venueRoutes } from "./venues/routes";
import { checkinRoutes } from "./checkins/routes";
import { tracingRoutes } from "./tracing/routes";
import { citizenRoutes } from "./citizens/routes";
import { declarationRoutes } from "./declarations/routes";
import { reportRoutes } from "./reports/routes";
import { vaccinationReferenceRoutes } from "./vaccination/reference/routes";
import { vaccinationSiteRoutes } from "./vaccination/sites/routes";
import { vaccinationDoseRoutes } from "./vaccination/doses/routes";
import { vaccinationImportRoutes } from "./vaccination/imports/routes";
import { certificateRoutes } from "./certificates/routes";
import { mountWellKnown } from "./certificates/well-known";
import { testCampaignRoutes } from "./testing/campaigns/routes";
import { testSampleRoutes } from "./testing/samples/routes";
import { testResultRoutes } from "./testing/results/routes";
import { testStatsRoutes } from "./testing/stats/routes";
import { dashboardRoutes } from "./stats/dashboard/routes";
import { exportRoutes } from "./stats/exports/routes";
import { openDataRoutes } from "./stats/open-data/routes";
import { announcementRoutes } from "./stats/announcements/routes";
import { mountCheckinPage } from "./checkins/page";
import { mountCitizenApp } from "./http/citizen-app";
import { mountSituationPage } from "./stats/announcements/page";

/** The API, composed in one place. `AppType` keeps the routes' types for typed clients. */
/** Routes that take a whole file (CSV) in the body, under IMPORT_BODY_LIMIT instead of BODY_LIMIT. */
const IMPORT_PATHS = /^\/api\/(admin-units\/communes\/import|vaccination-imports|test-results\/import)$/;

function apiRoutes() {
  return new OpenAPIHono<AppEnv>()
    .route("/", authRoutes)
    .route("/", userRoutes)
    .route("/", adminUnitRoutes)
    .route("/", auditRoutes)
    .route("/", venueRoutes)
    .route("/", checkinRoutes)
    .route("/", tracingRoutes)
    .route("/", citizenRoutes)
    .route("/", declarationRoutes)
    .route("/", reportRoutes)
    .route("/", vaccinationReferenceRoutes)
    .route("/", vaccinationSiteRoutes)
    .route("/", vaccinationDoseRoutes)
    .route("/", vaccinationImportRoutes)
    .route("/", certificateRoutes)
    .route("/", testCampaignRoutes)
    .route("/", testSampleRoutes)
    .route("/", testResultRoutes)
    .route("/", testStatsRoutes)
    .route("/", dashboardRoutes)
    .route("/", exportRoutes)
    .route("/", openDataRoutes)
    .route("/", announcementRoutes);
}
export type AppType = ReturnType<typeof apiRoutes>;


export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", requestId({ headerName: "x-request-id" }));
  app.use("*", provideDeps(deps));
  app.use("*", requestLog());
  app.use("*", securityHeaders());
  app.use("/api/*", async (c, next) => {
    const limit = IMPORT_PATHS.test(c.req.path) ? deps.config.importBodyLimit : deps.config.bodyLimit;
    // Hono's bodyLimit reads c.req.raw.body, which makes @hono/node-server build a full undici
    // Request with a web ReadableStream for every request (~190 µs of CPU per check-in). With a
    // Content-Length the size is known up front (Node's parser enforces it): check it and go on,
    // so the validator reads the body on node-server's fast path. Chunked bodies still get counted.
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && !c.req.header("transfer-encoding")) {
      if (Number(length) > limit) throw new AppError("payload_too_large", `Request body larger than ${limit} bytes`);
      return next();
    }
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new AppError("payload_too_large", `Request body larger than ${limit} bytes`);
      },
    })(c, next);
  });
  app.use("/.well-known/*", cors({ origin: "*", allowMethods: ["GET", "OPTIONS"] }));
  app.onError(handleError);

  app.get("/healthz", async (c) => {
    try {
      await ping(deps.database);
      return c.json({ status: "ok" as const }, 200);
    } catch {
      c.header("Retry-After", "5");
      return c.json({ status: "unavailable" as const }, 503);
    }
  });
  mountWellKnown(app, deps);

  app.route("/api", apiRoutes());
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Public Health Platform API",
      version: "0.1.0",
      description: "QR check-in, health declarations, registries, tracing and statistics. Errors share one shape: {error:{code,message,requestId,details?}}.",
    },
    servers: [{ url: deps.config.publicUrl }],
  });
  mountDocs(app);
  app.all("/api/*", (c) => c.json(errorBody(c, "not_found", `No route ${c.req.method} ${c.req.path}`), 404));

  mountCheckinPage(app, deps);
  mountCitizenApp(app, deps);
  mountSituationPage(app, deps);
  mountPortal(app, deps);
  app.notFound((c) => c.json(errorBody(c, "not_found", "Not found"), 404));
  return app;
}

/** The built portal (web/dist): hashed assets cached for a year, every other page gets index.html. */
function mountPortal(app: OpenAPIHono<AppEnv>, deps: Deps) {
  const root = deps.config.webDist;
  const index = join(root, "index.html");
  if (existsSync(root)) {
    app.use("/assets/*", serveStatic({ root, onFound: (_p, c) => c.header("cache-control", "public, max-age=31536000, immutable") }));
    app.use("*", serveStatic({ root }));
  }
  app.get("*", (c) => {
    if (!existsSync(index)) return c.text("The portal is not built yet: run `npm run build`.", 503);
    c.header("cache-control", "no-cache");
    return c.html(readFileSync(index, "utf8"));
  });
}
