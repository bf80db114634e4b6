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
  mountEntryPage(app, deps, "citizen.html", ["/app", "/app/*"], "The citizen app");
  // The certificate verifier (web/verify.html): scans and checks health cards offline.
  mountEntryPage(app, deps, "verify.html", ["/verify"], "The verifier page");
}

/** Serves one built HTML entry of web/dist at `paths` (re-read when the build changes, `no-cache`). */
export function mountEntryPage(app: Hono<AppEnv>, deps: Pick<Deps, "config">, entry: string, paths: string[], what: string) {
  const file = join(deps.config.webDist, entry);
  let cached: { mtime: number; html: string } | undefined;
  const html = () => {
    const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) return undefined;
    if (!cached || cached.mtime !== mtime) cached = { mtime, html: readFileSync(file, "utf8") };
    return cached.html;
  };
  const serve = (c: Context<AppEnv>) => {
    const page = html();
    if (!page) return c.text(`${what} is not built yet: run \`npm run build\`.`, 503);
    c.header("cache-control", "no-cache");
    return c.html(page);
  };
  for (const path of paths) app.get(path, serve);
}
