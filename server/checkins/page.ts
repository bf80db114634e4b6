/**
 * GET /c/<token>: the citizen check-in page (its own tiny bundle, web/checkin.html) with the
 * venue written into the HTML, so the page shows the venue at once and the tap is the only
 * request. Bad codes get the same page with the reason, in Vietnamese and English.
 * GET /notices (and /thong-bao): the same bundle without a venue, showing the phone's exposure
 * notices and recent check-ins (no check-in button).
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import type { Deps } from "../deps";
import type { AppEnv } from "../http/env";
import { colourOfDay, vnDay } from "./colour";
import { describeCode } from "./service";

const MESSAGES_VI: Record<string, string> = {
  old_poster: "Mã QR này đã được thay mới. Vui lòng quét mã mới tại địa điểm.",
  expired_code: "Mã trên màn hình đã hết hạn. Vui lòng quét lại mã đang hiển thị.",
  venue_suspended: "Địa điểm này đang tạm dừng khai báo.",
  venue_not_active: "Địa điểm này chưa được duyệt.",
  invalid_code: "Mã QR không hợp lệ. Hãy quét đúng mã của địa điểm.",
};

export function mountCheckinPage(app: Hono<AppEnv>, deps: Deps) {
  const file = join(deps.config.webDist, "checkin.html");
  let cached: { mtime: number; html: string } | undefined;
  const template = () => {
    const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) return undefined;
    if (!cached || cached.mtime !== mtime) cached = { mtime, html: readFileSync(file, "utf8") };
    return cached.html;
  };
  const notBuilt = (c: Context<AppEnv>) => c.text("The check-in page is not built yet: run `npm run build`.", 503);
  /** The page with its data as JSON in a data block (no inline script: the CSP allows none); "<" escaped so no string can close the tag. */
  const page = (c: Context<AppEnv>, html: string, data: unknown, status: 200 | 410) => {
    const json = JSON.stringify(data).replace(/</g, "\\u003c");
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    // A function replacer: a "$&" or "$'" in a venue's name must not be read as a replacement pattern.
    return c.html(html.replace("<!--VENUE_DATA-->", () => `<script type="application/json" id="venue-data">${json}</script>`), status);
  };
  const notices = (c: Context<AppEnv>) => {
    const html = template();
    return html ? page(c, html, { page: "notices" }, 200) : notBuilt(c);
  };
  app.get("/notices", notices);
  app.get("/thong-bao", notices);
  app.get("/c/:token", async (c) => {
    const html = template();
    if (!html) return notBuilt(c);
    const token = c.req.param("token");
    const result = token.length > 1000 ? { ok: false as const, code: "invalid_code", message: "Not a check-in code" } : await describeCode(deps, token);
    const today = vnDay(deps.now());
    const data = result.ok
      ? {
          ok: true,
          token,
          venue: { name: result.venue.name, address: result.venue.address, category: result.venue.category },
          today: { ...colourOfDay(today), date: today },
        }
      : { ok: false, code: result.code, message: result.message, messageVi: MESSAGES_VI[result.code] ?? result.message };
    return page(c, html, data, result.ok ? 200 : 410);
  });
}
