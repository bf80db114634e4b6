/**
 * GET /app and /app/*: the citizen app (its own small SolidJS entry, web/citizen.html), so a
 * citizen's phone never downloads the portal. The app routes on the client; every path under
 * /app gets the same HTML (re-read when the build changes). The hashed assets it loads are served
 * by the portal's static handler (/assets/*, cached for a year); the HTML itself is `no-cache`,
 * so a new build reaches phones at the next visit.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import type { Deps } from "../deps";
import type { AppEnv } from "./env";

export function mountCitizenApp(app: Hono<AppEnv>, deps: Pick<Deps, "config">) {
  const file = join(deps.config.webDist, "citizen.html");
  let cached: { mtime: number; html: string } | undefined;
  const html = () => {
    const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) return undefined;
    if (!cached || cached.mtime !== mtime) cached = { mtime, html: readFileSync(file, "utf8") };
    return cached.html;
  };
  const serve = (c: Context<AppEnv>) => {
    const page = html();
    if (!page) return c.text("The citizen app is not built yet: run `npm run build`.", 503);
    c.header("cache-control", "no-cache");
    return c.html(page);
  };
  app.get("/app", serve);
  app.get("/app/*", serve);
}
