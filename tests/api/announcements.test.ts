/**
 * Announcements and the public situation (docs/STATS.md) through the API, on both engines:
 * who writes (commune, province officers, national admins) and where (their own area: 403
 * outside; 404 for another area's id); validation (title ≤ 200, body ≤ 10,000 characters, kept
 * verbatim); the keyset list by area and status; publishing stamps publishedAt; audit rows for
 * every write; GET /api/public/situation/{provinceCode} (no sign-in): the latest day's open figures
 * and the 7-day totals (suppressed after adding up), the published announcements newest first
 * (20 at most; drafts, withdrawn ones and other provinces' never); the page /tinh-hinh/<code>
 * with the same data embedded as JSON, where a `<script>` in a body cannot close the data block.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomInt, randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announcements, dailyStats, users, type Metric } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { addDays } from "../../server/vaccination/doses/rules";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const NOTE = "values 1–4 are reported as null";
const zeros = { checkins: 0, declarations: 0, samples: 0, positive: 0, negative: 0, casesNew: 0, doses1: 0, doses2: 0, doses3: 0 };
const TEMPLATE = `<!doctype html><html lang="vi"><head><title>Tình hình</title><!--SITUATION_DATA--></head><body><main id="app"></main><script type="module" src="/assets/situation.js"></script></body></html>`;
const XSS = `Bà con lưu ý:\n<script>window.__pwned = 1</script><img src=x onerror="alert(1)">\n  Giữ khoảng cách $& $' $\` </script><!--`;

type Who = "admin" | "hnP" | "hnH" | "hnC" | "hnVenue" | "hnSite" | "hcmP" | "hcmC" | "citizen";

describe.each(engines())("announcements and the public situation on %s", (engine) => {
  let t: TestPlatform;
  let webDist = "";
  const tok = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json(res);
  };
  const fails = async (res: Response, status: number, code?: string, path?: string) => {
    const text = await res.clone().text();
    expect(res.status, text).toBe(status);
    const body = JSON.parse(text);
    if (code) expect(body.error.code).toBe(code);
    if (path) expect(body.error.details.map((d: any) => d.path)).toContain(path);
    return body;
  };
  const get = (path: string, who?: Who) => t.request("GET", path, { token: who && tok[who], headers: { "x-forwarded-for": newIp() } });
  const post = (who: Who | undefined, body: unknown) => t.request("POST", "/api/announcements", { token: who && tok[who], body });
  const patch = (who: Who | undefined, id: string, body: unknown) => t.request("PATCH", `/api/announcements/${id}`, { token: who && tok[who], body });
  const create = async (who: Who, body: Record<string, unknown>) => ok(await post(who, { title: "Thông báo", body: "Nội dung", ...body }), 201);
  const rowOf = async (id: string) => (await t.deps.db.select().from(announcements).where(eq(announcements.id, id)))[0];
  const count = async () => (await t.deps.db.select({ id: announcements.id }).from(announcements)).length;
  const audits = async (subjectId: string) =>
    (
      await t.deps.database.query<{ action: string; actor_username: string; province_code: string; commune_code: string | null; details: any }>(
        sql`select action, actor_username, province_code, commune_code, details from audit_log where subject_type = 'announcement' and subject_id = ${subjectId} order by id`,
      )
    ).map((r) => ({ ...r, details: typeof r.details === "string" ? JSON.parse(r.details) : r.details }));

  beforeAll(async () => {
    webDist = mkdtempSync(join(tmpdir(), "phc-situation-"));
    writeFileSync(join(webDist, "situation.html"), TEMPLATE);
    t = await createTestPlatform(engine, { TRUST_PROXY: "true", OTP_PER_IP: "1000", WEB_DIST: webDist });
    const names: Record<Exclude<Who, "citizen">, string> = {
      admin: "admin",
      hnP: "hn.province",
      hnH: "hn.health",
      hnC: "hn.commune",
      hnVenue: "hn.venue",
      hnSite: "hn.site",
      hcmP: "hcm.province",
      hcmC: "hcm.commune",
    };
    for (const [k, u] of Object.entries(names)) {
      tok[k as Who] = await t.login(u);
      ids[k as Who] = (await t.deps.db.select({ id: users.id }).from(users).where(eq(users.username, u)))[0]!.id;
    }
    const phone = newPhone();
    await ok(await t.request("POST", "/api/citizen/otp", { body: { phone } }), 202);
    tok.citizen = (await ok(await t.request("POST", "/api/citizen/verify", { body: { phone, code: t.deps.sms.lastCode(phone) } }))).accessToken;
  });
  afterAll(async () => {
    await t?.close();
    if (webDist) rmSync(webDist, { recursive: true, force: true });
  });

  describe("writing", () => {
    it("a commune officer writes a draft for their own commune, audited; another commune is 403", async () => {
      const before = t.deps.now().getTime();
      const a = await create("hnC", { title: "  Lịch tiêm chủng tuần này  ", body: "Dòng 1\n  Dòng 2\n", kind: "guidance" });
      expect(a).toMatchObject({ provinceCode: "01", communeCode: "00070", kind: "guidance", title: "Lịch tiêm chủng tuần này", body: "Dòng 1\n  Dòng 2\n", status: "draft", publishedAt: null, createdBy: ids.hnC });
      expect(Date.parse(a.createdAt)).toBeGreaterThanOrEqual(before);
      expect(a.updatedAt).toBe(a.createdAt);
      const row = await rowOf(a.id);
      expect(row).toMatchObject({ provinceCode: "01", communeCode: "00070", status: "draft", publishedAt: null, title: "Lịch tiêm chủng tuần này", body: "Dòng 1\n  Dòng 2\n" });
      expect(await audits(a.id)).toEqual([
        { action: "announcement.create", actor_username: "hn.commune", province_code: "01", commune_code: "00070", details: { kind: "guidance", title: "Lịch tiêm chủng tuần này" } },
      ]);

      const n = await count();
      await fails(await post("hnC", { title: "x", body: "y", communeCode: "00082" }), 403, "forbidden");
      await fails(await post("hnC", { title: "x", body: "y", communeCode: "26734" }), 403, "forbidden");
      await fails(await post("hnC", { title: "x", body: "y", provinceCode: "79" }), 400, "validation_failed", "communeCode");
      expect(await count()).toBe(n);
    });

    it("a province officer writes for the province or one of its communes; a national admin for any province", async () => {
      const whole = await create("hnP", {});
      expect([whole.provinceCode, whole.communeCode, whole.kind]).toEqual(["01", null, "announcement"]);
      expect((await audits(whole.id))[0]).toMatchObject({ province_code: "01", commune_code: null, actor_username: "hn.province" });
      const commune = await create("hnP", { communeCode: "00082", kind: "measure" });
      expect([commune.provinceCode, commune.communeCode, commune.kind]).toEqual(["01", "00082", "measure"]);
      expect((await create("hnP", { provinceCode: "01" })).communeCode).toBeNull();

      const n = await count();
      await fails(await post("hnP", { title: "x", body: "y", communeCode: "26734" }), 403, "forbidden");
      await fails(await post("hnP", { title: "x", body: "y", provinceCode: "79" }), 403, "forbidden");
      await fails(await post("hcmC", { title: "x", body: "y", communeCode: "00070" }), 403, "forbidden");
      await fails(await post("admin", { title: "x", body: "y" }), 400, "validation_failed", "provinceCode");
      await fails(await post("admin", { title: "x", body: "y", provinceCode: "99" }), 400, "validation_failed", "provinceCode");
      await fails(await post("admin", { title: "x", body: "y", communeCode: "99999" }), 400, "validation_failed", "communeCode");
      await fails(await post("admin", { title: "x", body: "y", communeCode: "26734", provinceCode: "01" }), 400, "validation_failed", "communeCode");
      expect(await count()).toBe(n);

      const hcm = await create("admin", { provinceCode: "79" });
      expect([hcm.provinceCode, hcm.communeCode, hcm.createdBy]).toEqual(["79", null, ids.admin]);
      const hcmCommune = await create("admin", { communeCode: "26737" });
      expect([hcmCommune.provinceCode, hcmCommune.communeCode]).toEqual(["79", "26737"]);
      expect((await audits(hcmCommune.id))[0]).toMatchObject({ action: "announcement.create", actor_username: "admin", province_code: "79", commune_code: "26737" });
    });

    it("other roles may not write (403), and nobody unsigned (401)", async () => {
      const n = await count();
      for (const who of ["hnH", "hnVenue", "hnSite", "citizen"] as const) await fails(await post(who, { title: "x", body: "y" }), 403, "forbidden");
      await fails(await post(undefined, { title: "x", body: "y" }), 401, "unauthorized");
      expect(await count()).toBe(n);
    });

    it("validates the title (≤ 200) and the body (≤ 10,000, plain text kept verbatim)", async () => {
      const n = await count();
      expect((await create("hnC", { title: "T".repeat(200) })).title).toHaveLength(200);
      expect((await create("hnC", { body: "b".repeat(10_000) })).body).toHaveLength(10_000);
      await fails(await post("hnC", { title: "T".repeat(201), body: "y" }), 400, "validation_failed", "title");
      await fails(await post("hnC", { title: "   ", body: "y" }), 400, "validation_failed", "title");
      await fails(await post("hnC", { body: "y" }), 400, "validation_failed", "title");
      await fails(await post("hnC", { title: "x", body: "b".repeat(10_001) }), 400, "validation_failed", "body");
      await fails(await post("hnC", { title: "x", body: " \n\t " }), 400, "validation_failed", "body");
      await fails(await post("hnC", { title: "x" }), 400, "validation_failed", "body");
      await fails(await post("hnC", { title: "x", body: "a\u0000b" }), 400, "validation_failed", "body");
      await fails(await post("hnC", { title: "x", body: "y", kind: "news" }), 400, "validation_failed", "kind");
      await fails(await post("hnC", { title: "x", body: "y", communeCode: "70" }), 400, "validation_failed", "communeCode");
      expect(await count()).toBe(n + 2);
      const raw = await create("hnC", { body: XSS });
      expect(raw.body).toBe(XSS);
      expect((await rowOf(raw.id))!.body).toBe(XSS);
    });
  });

  describe("editing and publishing", () => {
    it("publishing stamps publishedAt once; edits keep it; withdrawing keeps it; publishing again stamps anew; all audited", async () => {
      const a = await create("hnC", { title: "Tạm dừng chợ đêm" });
      const before = t.deps.now().getTime();
      const pub = await ok(await patch("hnC", a.id, { status: "published" }));
      expect(pub.status).toBe("published");
      const at = Date.parse(pub.publishedAt);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(t.deps.now().getTime());
      expect((await rowOf(a.id))!.publishedAt!.toISOString()).toBe(pub.publishedAt);

      const edited = await ok(await patch("hnP", a.id, { title: "Tạm dừng chợ đêm đến 30/6", body: "Chi tiết", kind: "measure", status: "published" }));
      expect(edited).toMatchObject({ title: "Tạm dừng chợ đêm đến 30/6", body: "Chi tiết", kind: "measure", status: "published", publishedAt: pub.publishedAt });
      const withdrawn = await ok(await patch("hnC", a.id, { status: "withdrawn" }));
      expect([withdrawn.status, withdrawn.publishedAt]).toEqual(["withdrawn", pub.publishedAt]);
      await new Promise((r) => setTimeout(r, 5));
      const again = await ok(await patch("admin", a.id, { status: "published" }));
      expect(Date.parse(again.publishedAt)).toBeGreaterThan(at);

      expect((await audits(a.id)).map((r) => [r.action, r.actor_username, r.province_code, r.commune_code, r.details])).toEqual([
        ["announcement.create", "hn.commune", "01", "00070", { kind: "announcement", title: "Tạm dừng chợ đêm" }],
        ["announcement.update", "hn.commune", "01", "00070", { fields: ["status"], status: { from: "draft", to: "published" } }],
        ["announcement.update", "hn.province", "01", "00070", { fields: ["title", "body", "kind", "status"] }],
        ["announcement.update", "hn.commune", "01", "00070", { fields: ["status"], status: { from: "published", to: "withdrawn" } }],
        ["announcement.update", "admin", "01", "00070", { fields: ["status"], status: { from: "withdrawn", to: "published" } }],
      ]);
    });

    it("another area's announcement is 404 (and unchanged); other roles 403; bad input 400", async () => {
      const hn = await create("hnP", { title: "Toàn thành phố" });
      const hnCommune = await create("hnC", { title: "Phường Hoàn Kiếm" });
      for (const who of ["hcmP", "hcmC"] as const) {
        await fails(await patch(who, hn.id, { title: "Hijacked", status: "published" }), 404, "not_found");
        await fails(await patch(who, hnCommune.id, { status: "published" }), 404, "not_found");
      }
      // a commune officer: the province-wide one and another commune's are outside their area
      await fails(await patch("hnC", hn.id, { status: "published" }), 404, "not_found");
      const other = await create("hnP", { communeCode: "00082" });
      await fails(await patch("hnC", other.id, { status: "published" }), 404, "not_found");
      for (const who of ["hnH", "hnVenue", "hnSite", "citizen"] as const) await fails(await patch(who, hnCommune.id, { status: "published" }), 403, "forbidden");
      await fails(await patch(undefined, hnCommune.id, { status: "published" }), 401, "unauthorized");
      await fails(await patch("admin", randomUUID(), { status: "published" }), 404, "not_found");
      await fails(await patch("hnC", "not-a-uuid", { status: "published" }), 400, "validation_failed", "id");
      await fails(await patch("hnC", hnCommune.id, {}), 400, "validation_failed");
      await fails(await patch("hnC", hnCommune.id, { status: "deleted" }), 400, "validation_failed", "status");
      await fails(await patch("hnC", hnCommune.id, { title: "T".repeat(201) }), 400, "validation_failed", "title");
      await fails(await patch("hnC", hnCommune.id, { body: "b".repeat(10_001) }), 400, "validation_failed", "body");
      for (const id of [hn.id, hnCommune.id, other.id]) {
        const row = await rowOf(id);
        expect([row!.status, row!.publishedAt]).toEqual(["draft", null]);
        expect((await audits(id)).map((r) => r.action)).toEqual(["announcement.create"]);
      }
      expect((await rowOf(hn.id))!.title).toBe("Toàn thành phố");
    });
  });

  describe("the officers' list", () => {
    const all = async (who: Who, query = "") => {
      const out: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: any = await ok(await get(`/api/announcements?limit=3${query}${cursor ? `&cursor=${cursor}` : ""}`, who));
        expect(page.items.length).toBeLessThanOrEqual(3);
        out.push(...page.items);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      return out;
    };
    const expected = async (where: (r: typeof announcements.$inferSelect) => boolean) =>
      (await t.deps.db.select().from(announcements).orderBy(desc(announcements.createdAt), desc(announcements.id))).filter(where).map((r) => r.id);

    it("shows each officer their area's announcements, newest first, page by page", async () => {
      const hcmOnly = await create("hcmC", { title: "Sài Gòn" });
      const hnC = await all("hnC");
      expect(hnC.map((a) => a.id)).toEqual(await expected((r) => r.provinceCode === "01" && r.communeCode === "00070"));
      expect(hnC.length).toBeGreaterThan(5);
      const hnP = await all("hnP");
      expect(hnP.map((a) => a.id)).toEqual(await expected((r) => r.provinceCode === "01"));
      expect(hnP.some((a) => a.communeCode === null) && hnP.some((a) => a.communeCode === "00082")).toBe(true);
      expect((await all("hnH")).map((a) => a.id)).toEqual(hnP.map((a) => a.id));
      const hcmP = await all("hcmP");
      expect(hcmP.map((a) => a.id)).toEqual(await expected((r) => r.provinceCode === "79"));
      expect(hcmP.map((a) => a.id)).toContain(hcmOnly.id);
      expect((await all("hcmC")).map((a) => a.id)).toEqual(await expected((r) => r.provinceCode === "79" && r.communeCode === "26734"));
      expect((await all("admin")).map((a) => a.id)).toEqual(await expected(() => true));
      const times = hnP.map((a) => Date.parse(a.createdAt));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
    });

    it("filters by status, kind and commune; refuses bad cursors and other roles", async () => {
      const published = await all("hnP", "&status=published");
      expect(published.map((a) => a.id)).toEqual(await expected((r) => r.provinceCode === "01" && r.status === "published"));
      expect(published.length).toBeGreaterThan(0);
      expect((await all("hnP", "&kind=measure")).map((a) => a.id)).toEqual(await expected((r) => r.provinceCode === "01" && r.kind === "measure"));
      expect((await all("hnP", "&communeCode=00082")).map((a) => a.id)).toEqual(await expected((r) => r.communeCode === "00082"));
      // another area's commune: simply nothing
      expect(await all("hnP", "&communeCode=26734")).toEqual([]);
      expect(await all("hnC", "&communeCode=00082")).toEqual([]);
      await fails(await get("/api/announcements?status=gone", "hnP"), 400, "validation_failed", "status");
      await fails(await get("/api/announcements?cursor=bm9wZQ", "hnP"), 400, "validation_failed", "cursor");
      await fails(await get(`/api/announcements?cursor=${Buffer.from(JSON.stringify(["x", "y"])).toString("base64url")}`, "hnP"), 400, "validation_failed", "cursor");
      for (const who of ["hnVenue", "hnSite", "citizen"] as const) await fails(await get("/api/announcements", who), 403, "forbidden");
      await fails(await get("/api/announcements"), 401, "unauthorized");
    });
  });

  describe("the public situation", () => {
    let today = "";
    let day = "";
    const published = { hnWhole: "", hnCommune: "", hcm: "" };
    const row = (d: string, provinceCode: string, communeCode: string, metric: Metric, value: number) => ({ day: d, provinceCode, communeCode, metric, value });

    beforeAll(async () => {
      today = vnDay(t.deps.now());
      day = addDays(today, -1);
      await t.deps.db.delete(dailyStats);
      await t.deps.db.insert(dailyStats).values([
        // the latest day with data (yesterday): small and not so small
        row(day, "01", "00070", "checkins", 3),
        row(day, "01", "00082", "checkins", 4), // 7
        row(day, "01", "00070", "cases_new", 2), // 2: null; with 3 six days earlier the week shows 5
        row(day, "01", "00070", "doses_1", 0),
        row(day, "01", "", "visitors", 50), // not published
        row(addDays(day, -6), "01", "00070", "cases_new", 3), // first day of the week
        row(addDays(day, -6), "01", "00070", "samples", 1),
        row(addDays(day, -3), "01", "00118", "samples", 3), // week: 1 + 3 = 4 → null
        row(addDays(day, -7), "01", "00070", "declarations", 100), // the day before the week
        row(today, "01", "00070", "doses_2", 0), // today, but only a zero: not "data"
        row(addDays(today, 2), "01", "00070", "checkins", 9), // the future: ignored
        row(addDays(today, -5), "79", "26734", "results_positive", 5),
      ]);
      const publish = async (who: Who, body: Record<string, unknown>) => {
        const a = await create(who, body);
        await ok(await patch(who, a.id, { status: "published" }));
        return a.id;
      };
      published.hnWhole = await publish("hnP", { title: "Chỉ thị mới của thành phố", kind: "measure" });
      await new Promise((r) => setTimeout(r, 5));
      published.hnCommune = await publish("hnC", { title: "Thông báo phường Hoàn Kiếm", body: XSS });
      published.hcm = await publish("hcmP", { title: "TP. Hồ Chí Minh" });
      await create("hnP", { title: "Bản nháp chưa đăng" });
    });

    const situationOf = async (code: string) => {
      const res = await get(`/api/public/situation/${code}`);
      expect(res.headers.get("cache-control")).toBe("public, max-age=60");
      return ok(res);
    };

    it("shows the latest day's figures and the 7-day totals, suppressed after adding up, with no sign-in", async () => {
      const s = await situationOf("01");
      expect(s.province).toEqual({ code: "01", name: "Hà Nội" });
      expect(s.day).toBe(day);
      expect(s.suppressed).toBe(NOTE);
      expect(s.figures).toEqual({
        latest: { day, provinceCode: "01", provinceName: "Hà Nội", ...zeros, checkins: 7, casesNew: null },
        last7Days: { from: addDays(day, -6), to: day, ...zeros, checkins: 7, casesNew: 5, samples: null },
      });
      const hcm = await situationOf("79");
      expect(hcm.day).toBe(addDays(today, -5));
      expect(hcm.figures.latest).toEqual({ day: addDays(today, -5), provinceCode: "79", provinceName: "Hồ Chí Minh", ...zeros, positive: 5 });
      expect(hcm.figures.last7Days).toEqual({ from: addDays(today, -11), to: addDays(today, -5), ...zeros, positive: 5 });
      const none = await situationOf("48");
      expect([none.province.name, none.day, none.figures, none.announcements]).toEqual(["Đà Nẵng", null, { latest: null, last7Days: null }, []]);
    });

    it("lists the province's published announcements only, newest first, verbatim", async () => {
      const s = await situationOf("01");
      const ids = s.announcements.map((a: any) => a.id);
      expect(ids.slice(0, 2)).toEqual([published.hnCommune, published.hnWhole]);
      const rows = await t.deps.db.select().from(announcements).where(eq(announcements.provinceCode, "01"));
      const publishedIds = rows
        .filter((r) => r.status === "published")
        .sort((a, b) => b.publishedAt!.getTime() - a.publishedAt!.getTime() || (a.id < b.id ? 1 : -1))
        .map((r) => r.id);
      expect(ids).toEqual(publishedIds.slice(0, 20));
      expect(ids).not.toContain(published.hcm);
      for (const r of rows.filter((r) => r.status !== "published")) expect(ids).not.toContain(r.id);
      const commune = s.announcements[0];
      expect(commune).toEqual({
        id: published.hnCommune,
        kind: "announcement",
        title: "Thông báo phường Hoàn Kiếm",
        body: XSS,
        publishedAt: (await rowOf(published.hnCommune))!.publishedAt!.toISOString(),
        communeCode: "00070",
        communeName: "Hoàn Kiếm",
      });
      expect(s.announcements[1]).toMatchObject({ id: published.hnWhole, kind: "measure", communeCode: null, communeName: null });
      expect(Object.keys(commune).sort()).toEqual(["body", "communeCode", "communeName", "id", "kind", "publishedAt", "title"]);
      expect((await situationOf("79")).announcements.map((a: any) => a.id)).toEqual([published.hcm]);

      // withdrawn: gone from the public at once
      await ok(await patch("hnP", published.hnWhole, { status: "withdrawn" }));
      expect((await situationOf("01")).announcements.map((a: any) => a.id)).not.toContain(published.hnWhole);
      await ok(await patch("hnP", published.hnWhole, { status: "published" }));
      expect((await situationOf("01")).announcements[0].id).toBe(published.hnWhole);
    });

    it("shows at most the 20 newest", async () => {
      const base = t.deps.now().getTime() - 3600_000;
      await t.deps.db.insert(announcements).values(
        Array.from({ length: 22 }, (_, i) => ({ provinceCode: "48", communeCode: null, title: `Tin ${i}`, body: "…", status: "published" as const, publishedAt: new Date(base + i * 1000) })),
      );
      const s = await situationOf("48");
      expect(s.announcements.map((a: any) => a.title)).toEqual(Array.from({ length: 20 }, (_, i) => `Tin ${21 - i}`));
    });

    it("answers 404 for an unknown province and 400 for a malformed code", async () => {
      await fails(await get("/api/public/situation/99"), 404, "not_found");
      await fails(await get("/api/public/situation/1"), 400, "validation_failed", "provinceCode");
      await fails(await get("/api/public/situation/00070"), 400, "validation_failed", "provinceCode");
    });

    it("limits each address to 120 requests a minute", async () => {
      const ip = newIp();
      const hit = (code: string) => t.request("GET", `/api/public/situation/${code}`, { headers: { "x-forwarded-for": ip } });
      for (let i = 0; i < 119; i++) expect((await hit("x")).status).toBe(400);
      expect((await hit("01")).status).toBe(200);
      const limited = await hit("01");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    /** The data block of a served page. */
    const dataOf = (html: string) => {
      const blocks = [...html.matchAll(/<script type="application\/json" id="situation-data">([\s\S]*?)<\/script>/g)];
      expect(blocks).toHaveLength(1);
      return JSON.parse(blocks[0]![1]!);
    };

    it("serves the page at /tinh-hinh/<code> and /situation/<code> with the same data embedded, a <script> in a body kept inert", async () => {
      const api = await situationOf("01");
      for (const path of ["/tinh-hinh/01", "/situation/01"]) {
        const res = await t.request("GET", path);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^text\/html/);
        expect(res.headers.get("cache-control")).toBe("public, max-age=60");
        expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
        const html = await res.text();
        expect(dataOf(html)).toEqual({ ok: true, situation: api });
        // The body's markup never reaches the HTML as markup: "<" is escaped inside the data block.
        expect(html).not.toContain("<script>window.__pwned");
        expect(html).not.toContain("<img src=x");
        expect(html).toContain("\\u003cscript>window.__pwned = 1\\u003c/script>");
        expect(html.match(/<script/g)).toHaveLength(2); // the data block and the bundle
        expect(html).not.toContain("<!--SITUATION_DATA-->");
      }
    });

    it("lists the provinces for an unknown code (404) and at /tinh-hinh itself (200)", async () => {
      for (const [path, status, code] of [
        ["/tinh-hinh/99", 404, "not_found"],
        ["/situation/abc", 404, "not_found"],
        ["/tinh-hinh", 200, "choose"],
        ["/situation", 200, "choose"],
      ] as const) {
        const res = await t.request("GET", path);
        expect(res.status, path).toBe(status);
        const data = dataOf(await res.text());
        expect(data.ok).toBe(false);
        expect(data.code).toBe(code);
        expect(data.provinces).toHaveLength(34);
        expect(data.provinces).toContainEqual({ code: "01", name: "Hà Nội" });
        expect(data.provinces.map((p: any) => p.code)).not.toContain("00070");
      }
    });
  });
});
