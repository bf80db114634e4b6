/**
 * Community reports through the API (docs/CITIZENS.md, "Community reports"), on both engines:
 * filing without an account (and with a citizen's token), the receipt lookup (status and public
 * notes only, nothing about the reporter), the officers' inbox of their area, notes moving the
 * status, roles, scope, audit and the per-address rate limits.
 */
import { randomInt, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, reportNotes, reports, users } from "../../db/schema";
import { signAccessToken } from "../../server/auth/tokens";
import { RECEIPT_ALPHABET } from "../../server/reports/schemas";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;

describe.each(engines())("reports API on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hcmP" | "hcmC", string>;
  const hn = { id: "", receipt: "" };
  const hcm = { id: "", receipt: "" };
  const reporter = { name: "Đinh Thị Người Báo", phone: newPhone() };

  const req = (method: string, path: string, token?: string, body?: unknown, ip = "198.51.100.1") =>
    t.request(method, path, { token, body, headers: { "x-forwarded-for": ip } });
  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json(res);
  };
  const auditCount = async (action: string) =>
    Number((await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action}`))[0]!.n);

  beforeAll(async () => {
    t = await createTestPlatform(engine, { TRUST_PROXY: "true" });
    const names = { admin: "admin", hnP: "hn.province", hnH: "hn.health", hnC: "hn.commune", hcmP: "hcm.province", hcmC: "hcm.commune" } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
  });
  afterAll(() => t?.close());

  it("anyone files a report and gets an 8-character receipt without look-alikes", async () => {
    const r = await ok(
      await req("POST", "/api/reports", undefined, {
        kind: "suspected_case",
        communeCode: "00070",
        place: "Ngõ 5 Hàng Bạc",
        description: "Nhà số 3 có người sốt cao, ho nhiều ngày nay",
        name: reporter.name,
        phone: reporter.phone,
      }),
      201,
    );
    expect(r.status).toBe("new");
    expect(r.receipt).toMatch(new RegExp(`^[${RECEIPT_ALPHABET}]{8}$`));
    expect(r.receipt).not.toMatch(/[01OIL]/);
    Object.assign(hn, { receipt: r.receipt });
    const [row] = await t.deps.db.select().from(reports).where(eq(reports.receipt, r.receipt));
    hn.id = row!.id;
    expect(row).toMatchObject({ provinceCode: "01", communeCode: "00070", reporterName: reporter.name, reporterPhone: reporter.phone, reporterUserId: null, status: "new" });

    const h = await ok(await req("POST", "/api/reports", undefined, { kind: "violation", communeCode: "26734", description: "Quán karaoke mở cửa quá giờ quy định" }), 201);
    hcm.receipt = h.receipt;
    hcm.id = (await t.deps.db.select().from(reports).where(eq(reports.receipt, h.receipt)))[0]!.id;
    expect(await auditCount("report.create")).toBe(2);
  });

  it("validates with field paths and bilingual messages", async () => {
    const res = await req("POST", "/api/reports", undefined, { kind: "gossip", communeCode: "123", description: "ngắn", phone: "12" });
    expect(res.status).toBe(400);
    const d = (await json(res)).error.details as { path: string; message: string }[];
    expect(d.map((x) => x.path).sort()).toEqual(["communeCode", "description", "kind", "phone"]);
    expect(d.every((x) => x.message.includes(" / "))).toBe(true);
    const unknown = await req("POST", "/api/reports", undefined, { kind: "other", communeCode: "99999", description: "Một phản ánh không có xã" });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error.details).toEqual([{ path: "communeCode", message: "Không có xã/phường này / No such commune" }]);
  });

  it("a signed-in citizen's account is kept as the reporter; a bad token counts as none", async () => {
    const phone = newPhone();
    const [p] = await t.deps.db.insert(people).values({ provinceCode: "01", communeCode: "00070", fullName: "Công Dân", birthYear: 1991, phone }).returning({ id: people.id });
    const [u] = await t.deps.db.insert(users).values({ username: phone, displayName: "Công Dân", passwordHash: "!", role: "citizen", personId: p!.id }).returning({ id: users.id });
    const token = await signAccessToken(t.deps.keys, t.deps.config.publicUrl, 600, { id: u!.id, username: phone, role: "citizen", provinceCode: null, communeCode: null }, new Date());
    const body = { kind: "arrival_from_outbreak", communeCode: "00070", description: "Có người về từ vùng dịch chưa khai báo" };
    const r = await ok(await req("POST", "/api/reports", token, body), 201);
    expect((await t.deps.db.select().from(reports).where(eq(reports.receipt, r.receipt)))[0]!.reporterUserId).toBe(u!.id);
    const anon = await ok(await req("POST", "/api/reports", "not-a-token", body), 201);
    expect((await t.deps.db.select().from(reports).where(eq(reports.receipt, anon.receipt)))[0]!.reporterUserId).toBeNull();
    // an officer's token is not a reporter
    const off = await ok(await req("POST", "/api/reports", tok.hnC, body), 201);
    expect((await t.deps.db.select().from(reports).where(eq(reports.receipt, off.receipt)))[0]!.reporterUserId).toBeNull();
  });

  it("officers see their area's inbox only, newest first, with filters and keyset pages", async () => {
    const hnInbox = await ok(await req("GET", "/api/reports?limit=500", tok.hnC));
    expect(hnInbox.items.length).toBe(4);
    expect(hnInbox.items.every((r: any) => r.provinceCode === "01" && r.communeCode === "00070")).toBe(true);
    expect(hnInbox.items.map((r: any) => r.id)).toContain(hn.id);
    expect(hnInbox.items.map((r: any) => r.id)).not.toContain(hcm.id);
    for (let i = 1; i < hnInbox.items.length; i++) expect(hnInbox.items[i - 1].createdAt >= hnInbox.items[i].createdAt).toBe(true);
    // the inbox does not carry the reporter's details (the audited detail does)
    expect(JSON.stringify(hnInbox)).not.toContain(reporter.phone);
    const hcmInbox = await ok(await req("GET", "/api/reports?limit=500", tok.hcmP));
    expect(hcmInbox.items.map((r: any) => r.id)).toEqual([hcm.id]);
    expect((await ok(await req("GET", "/api/reports?provinceCode=01", tok.hcmC))).items).toEqual([]);

    const kind = await ok(await req("GET", "/api/reports?kind=suspected_case", tok.hnP));
    expect(kind.items.map((r: any) => r.id)).toEqual([hn.id]);
    expect((await ok(await req("GET", "/api/reports?communeCode=00082", tok.hnP))).items).toEqual([]);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await ok(await req("GET", `/api/reports?limit=3${cursor ? `&cursor=${cursor}` : ""}`, tok.hnP));
      paged.push(...res.items.map((r: any) => r.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(paged).toEqual(hnInbox.items.map((r: any) => r.id));

    expect((await req("GET", "/api/reports")).status).toBe(401);
    expect(await auditCount("report.list")).toBeGreaterThan(0);
  });

  it("the detail carries the reporter and is audited; other areas get 404", async () => {
    const before = await auditCount("report.read");
    const d = await ok(await req("GET", `/api/reports/${hn.id}`, tok.hnH));
    expect(d).toMatchObject({ id: hn.id, receipt: hn.receipt, reporter: { name: reporter.name, phone: reporter.phone, userId: null }, notes: [] });
    expect(await auditCount("report.read")).toBe(before + 1);
    for (const token of [tok.hcmP, tok.hcmC]) {
      expect((await req("GET", `/api/reports/${hn.id}`, token)).status).toBe(404);
      expect((await req("POST", `/api/reports/${hn.id}/notes`, token, { note: "x", status: "unfounded" })).status).toBe(404);
    }
    expect((await req("GET", `/api/reports/${hcm.id}`, tok.hnP)).status).toBe(404);
    expect((await req("GET", `/api/reports/${randomUUID()}`, tok.admin)).status).toBe(404);
    expect((await ok(await req("GET", `/api/reports/${hcm.id}`, tok.admin))).id).toBe(hcm.id);
    expect(await t.deps.db.select().from(reportNotes).where(eq(reportNotes.reportId, hn.id))).toEqual([]);
  });

  it("notes move the status; the receipt shows the public ones only and nothing about the reporter", async () => {
    expect((await req("POST", `/api/reports/${hn.id}/notes`, tok.hnH, { note: "Y tế ghi nhận" })).status).toBe(403);
    const n1 = await ok(await req("POST", `/api/reports/${hn.id}/notes`, tok.hnC, { note: "Tổ cộng đồng đã đến kiểm tra", status: "checking", isPublic: true }), 201);
    expect(n1.status).toBe("checking");
    expect(n1.notes).toHaveLength(1);
    expect(n1.notes[0]).toMatchObject({ note: "Tổ cộng đồng đã đến kiểm tra", status: "checking", isPublic: true, authorName: expect.any(String) });
    const n2 = await ok(await req("POST", `/api/reports/${hn.id}/notes`, tok.hnC, { note: "Nội bộ: số nhà 3, ông Quang, SĐT đã lưu" }), 201);
    expect(n2.status).toBe("checking");
    const n3 = await ok(await req("POST", `/api/reports/${hn.id}/notes`, tok.hnP, { note: "Đã test nhanh, âm tính", status: "resolved", isPublic: true }), 201);
    expect(n3.status).toBe("resolved");
    expect(n3.notes.map((n: any) => n.note)).toHaveLength(3);
    expect(n3.updatedAt > n3.createdAt || n3.updatedAt === n3.createdAt).toBe(true);
    expect((await req("POST", `/api/reports/${hn.id}/notes`, tok.hnP, { note: "back", status: "new" })).status).toBe(400);
    expect((await req("POST", `/api/reports/${hn.id}/notes`, tok.hnP, { note: "" })).status).toBe(400);
    expect(await auditCount("report.note")).toBe(3);

    const pub = await ok(await req("GET", `/api/reports/receipt/${hn.receipt.toLowerCase()}`));
    expect(pub).toMatchObject({ receipt: hn.receipt, kind: "suspected_case", status: "resolved" });
    expect(pub.notes.map((n: any) => n.note)).toEqual(["Tổ cộng đồng đã đến kiểm tra", "Đã test nhanh, âm tính"]);
    expect(Object.keys(pub).sort()).toEqual(["createdAt", "kind", "notes", "receipt", "status", "updatedAt"]);
    const text = JSON.stringify(pub);
    for (const secret of [reporter.name, reporter.phone, "Nội bộ", "Ngõ 5 Hàng Bạc", "sốt cao", hn.id]) expect(text).not.toContain(secret);

    const other = await ok(await req("GET", `/api/reports/receipt/${hcm.receipt}`));
    expect(other).toMatchObject({ status: "new", notes: [] });
    expect((await req("GET", "/api/reports/receipt/22222222")).status).toBe(404);
    expect((await req("GET", "/api/reports/receipt/O0I1")).status).toBe(400);
  });

  it("rate-limits filing and receipt lookups per address", async () => {
    const ip = "203.0.113.77";
    const body = { kind: "other", communeCode: "00070", description: "Phản ánh kiểm tra giới hạn" };
    for (let i = 0; i < 20; i++) expect((await req("POST", "/api/reports", undefined, body, ip)).status).toBe(201);
    const limited = await req("POST", "/api/reports", undefined, body, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // another address is not affected
    expect((await req("POST", "/api/reports", undefined, body, "203.0.113.78")).status).toBe(201);

    const lookupIp = "203.0.113.90";
    for (let i = 0; i < 60; i++) expect((await req("GET", "/api/reports/receipt/22222222", undefined, undefined, lookupIp)).status).toBe(404);
    expect((await req("GET", `/api/reports/receipt/${hn.receipt}`, undefined, undefined, lookupIp)).status).toBe(429);
  });
});
