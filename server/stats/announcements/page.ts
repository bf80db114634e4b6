/**
 * GET /tinh-hinh/<provinceCode> (and /situation/<provinceCode>): a province's public situation
 * page, its own tiny bundle (web/situation.html), with the situation written into the HTML as
 * JSON so a phone gets everything in one request. The data goes in a data block (the CSP allows
 * no inline script), with "<" escaped so no announcement can close the tag; the page shows
 * every text as text. An unknown province gets the same page listing the provinces (404);
 * /tinh-hinh and /situation alone list them (200).
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import { asc, eq } from "drizzle-orm";
import { adminUnits } from "../../../db/schema";
import type { Deps } from "../../deps";
import type { AppEnv } from "../../http/env";
import { AppError } from "../../http/errors";
import { situation } from "./service";

/** Where GET /tinh-hinh/:provinceCode writes its data in web/situation.html. */
export const SITUATION_PLACEHOLDER = "<!--SITUATION_DATA-->";

async function provinceList(deps: Deps) {
  return deps.db
    .select({ code: adminUnits.code, name: adminUnits.name })
    .from(adminUnits)
    .where(eq(adminUnits.level, "province"))
    .orderBy(asc(adminUnits.name));
}

export function mountSituationPage(app: Hono<AppEnv>, deps: Deps) {
  const file = join(deps.config.webDist, "situation.html");
  let cached: { mtime: number; html: string } | undefined;
  const template = () => {
    const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) return undefined;
    if (!cached || cached.mtime !== mtime) cached = { mtime, html: readFileSync(file, "utf8") };
    return cached.html;
  };
  const page = (c: Context<AppEnv>, html: string, data: unknown, status: 200 | 404) => {
    const json = JSON.stringify(data).replace(/</g, "\\u003c");
    // Public figures, the same for everyone: a short cache spares the database when the page is shared widely.
    c.header("cache-control", status === 200 ? "public, max-age=60" : "no-cache");
    // A function replacer: "$&" or "$'" in an announcement must not be read as a replacement pattern.
    return c.html(html.replace(SITUATION_PLACEHOLDER, () => `<script type="application/json" id="situation-data">${json}</script>`), status);
  };
  const notBuilt = (c: Context<AppEnv>) => c.text("The situation page is not built yet: run `npm run build`.", 503);

  const choose = async (c: Context<AppEnv>) => {
    const html = template();
    if (!html) return notBuilt(c);
    return page(c, html, { ok: false, code: "choose", provinces: await provinceList(deps) }, 200);
  };
  const show = async (c: Context<AppEnv>) => {
    const html = template();
    if (!html) return notBuilt(c);
    const code = c.req.param("provinceCode") ?? "";
    if (/^\d{2}$/.test(code)) {
      try {
        return page(c, html, { ok: true, situation: await situation(deps, code) }, 200);
      } catch (err) {
        if (!(err instanceof AppError && err.code === "not_found")) throw err;
      }
    }
    return page(c, html, { ok: false, code: "not_found", provinces: await provinceList(deps) }, 404);
  };
  for (const base of ["/tinh-hinh", "/situation"]) {
    app.get(base, choose);
    app.get(`${base}/:provinceCode`, show);
  }
}
