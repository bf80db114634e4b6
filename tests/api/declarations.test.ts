/**
 * Health declarations through the API (docs/CITIZENS.md, "Declarations"), on both engines:
 * public and citizen filing, validation with bilingual field messages, the risk rule (symptoms,
 * an open F1 contact, outbreak area, none), the officers' list (risky first, filters, keyset
 * pages), stats per day, area scope, roles, audit, and a citizen's own + family's declarations.
 */
import { randomInt, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, declarations, familyMembers, people, users } from "../../db/schema";
import { signAccessToken } from "../../server/auth/tokens";
import { vnDay } from "../../server/checkins/colour";
import { hashIdNumber } from "../../server/declarations/id-hash";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const DAY = 86400_000;
const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

describe.each(engines())("declarations API on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hcmP" | "hcmC", string>;
  let venueId: string;
  const filed: Record<string, string> = {};

  const req = (method: string, path: string, token?: string, body?: unknown) => t.request(method, path, { token, body });
  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json(res);
  };
  const details = async (res: Response) => ((await json(res)).error?.details ?? []) as { path: string; message: string }[];
  const auditCount = async (action: string) =>
    Number((await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action}`))[0]!.n);

  const domestic = (over: Record<string, unknown> = {}) => ({
    kind: "domestic",
    fullName: "Nguyễn Văn Khai",
    birthYear: 1985,
    sex: "male",
    phone: newPhone(),
    address: "12 Hàng Đào",
    communeCode: "00070",
    travel: { means: "bus", from: "Hải Phòng", to: "Hà Nội", route: "QL5" },
    ...over,
  });

  /** A citizen account with its own person record, signed in (the token the OTP sign-in would give). */
  async function citizen(name: string) {
    const phone = newPhone();
    const [p] = await t.deps.db
      .insert(people)
      .values({ provinceCode: "01", communeCode: "00070", fullName: name, birthYear: 1990, phone })
      .returning({ id: people.id });
    const [u] = await t.deps.db
      .insert(users)
      .values({ username: phone, displayName: name, passwordHash: "!", role: "citizen", personId: p!.id })
      .returning({ id: users.id });
    const token = await signAccessToken(
      t.deps.keys,
      t.deps.config.publicUrl,
      600,
      { id: u!.id, username: phone, role: "citizen", provinceCode: null, communeCode: null },
      new Date(),
    );
    return { userId: u!.id, personId: p!.id, phone, token };
  }

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    const names = { admin: "admin", hnP: "hn.province", hnH: "hn.health", hnC: "hn.commune", hcmP: "hcm.province", hcmC: "hcm.commune" } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    const v = await ok(
      await req("POST", "/api/venues", tok.hnC, { name: "Nhà Văn Hóa Khai Báo", category: "office", address: "2 Hàng Bạc", provinceCode: "01", communeCode: "00070" }),
      201,
    );
    if (v.status !== "active") await ok(await req("POST", `/api/venues/${v.id}/status`, tok.hnC, { action: "approve" }));
    venueId = v.id;
  });
  afterAll(() => t?.close());

  it("files a public declaration: a person record in the province of the commune, the ID number only hashed", async () => {
    const body = domestic({ idNumber: "001 085 012345", fullName: "Trần Công Khai" });
    const r = await ok(await req("POST", "/api/declarations", undefined, body), 201);
    expect(r).toMatchObject({ kind: "domestic", risk: "none", riskReasons: [], day: vnDay(new Date()) });
    expect(Object.keys(r).sort()).toEqual(["createdAt", "day", "id", "kind", "risk", "riskReasons"]);
    filed.none = r.id;
    const [d] = await t.deps.db.select().from(declarations).where(eq(declarations.id, r.id));
    expect(d).toMatchObject({ provinceCode: "01", communeCode: "00070", phone: body.phone, filedBy: null, review: "new" });
    expect(d!.idNumberHash).toBe(hashIdNumber(t.deps.keys, "001085012345"));
    expect(JSON.stringify(d)).not.toContain("001085012345");
    const [p] = await t.deps.db.select().from(people).where(eq(people.id, d!.personId));
    expect(p).toMatchObject({ provinceCode: "01", communeCode: "00070", fullName: "Trần Công Khai", birthYear: 1985, phone: body.phone });
    expect(p!.idNumberHash).toBe(d!.idNumberHash);
    expect(await auditCount("declaration.create")).toBeGreaterThan(0);
  });

  it("normalises the phone (+84 → 0)", async () => {
    const r = await ok(await req("POST", "/api/declarations", undefined, domestic({ phone: "+84 912 000 111" })), 201);
    const [d] = await t.deps.db.select().from(declarations).where(eq(declarations.id, r.id));
    expect(d!.phone).toBe("0912000111");
  });

  it("refuses bad input with field paths and a Vietnamese / English message", async () => {
    const bad = await req("POST", "/api/declarations", undefined, domestic({ phone: "12345", birthYear: 2999 }));
    expect(bad.status).toBe(400);
    const d = await details(bad);
    expect(d.map((x) => x.path).sort()).toEqual(["birthYear", "phone"]);
    expect(d.find((x) => x.path === "phone")!.message).toMatch(/^Số điện thoại .* \/ A Vietnamese phone number/);

    const missing = await req("POST", "/api/declarations", undefined, {});
    expect(missing.status).toBe(400);
    expect((await details(missing)).map((x) => x.path)).toContain("kind");

    const noName = await req("POST", "/api/declarations", undefined, domestic({ fullName: undefined }));
    expect(await details(noName)).toEqual([{ path: "fullName", message: "Nhập họ tên / Enter the full name" }]);

    const tomorrow = addDays(vnDay(new Date()), 2);
    const future = await req("POST", "/api/declarations", undefined, {
      ...domestic({ kind: "entry", travel: undefined }),
      idNumber: "B1234567",
      entry: { departureCountry: "KR", flightOrVehicle: "VN417", portOfEntry: "Nội Bài", entryDate: tomorrow },
    });
    expect(future.status).toBe(400);
    expect((await details(future)).map((x) => x.path)).toEqual(["entry.entryDate"]);

    const noEntry = await req("POST", "/api/declarations", undefined, domestic({ kind: "entry", travel: undefined }));
    expect(noEntry.status).toBe(400);
    expect((await details(noEntry)).map((x) => x.path).sort()).toEqual(["entry", "idNumber"]);
    const partEntry = await req("POST", "/api/declarations", undefined, { ...domestic({ kind: "entry" }), idNumber: "B1234567", entry: { departureCountry: "KR" } });
    expect((await details(partEntry)).map((x) => x.path).sort()).toEqual(["entry.entryDate", "entry.flightOrVehicle", "entry.portOfEntry"]);

    const noTravel = await req("POST", "/api/declarations", undefined, domestic({ travel: undefined }));
    expect((await details(noTravel)).map((x) => x.path)).toEqual(["travel"]);

    const commune = await req("POST", "/api/declarations", undefined, domestic({ communeCode: "99999" }));
    expect(commune.status).toBe(400);
    expect(await details(commune)).toEqual([{ path: "communeCode", message: "Không có xã/phường này / No such commune" }]);

    const symptom = await req("POST", "/api/declarations", undefined, domestic({ symptoms: ["sneeze"] }));
    expect((await details(symptom)).map((x) => x.path)).toEqual(["symptoms.0"]);
  });

  it("classifies the risk: symptoms, F0 contact → follow_up; outbreak area, entry → watch", async () => {
    const sym = await ok(await req("POST", "/api/declarations", undefined, domestic({ symptoms: ["fever", "cough"] })), 201);
    expect(sym).toMatchObject({ risk: "follow_up", riskReasons: ["symptoms"] });
    filed.symptoms = sym.id;
    const f0 = await ok(await req("POST", "/api/declarations", undefined, domestic({ contactWithCase: true })), 201);
    expect(f0).toMatchObject({ risk: "follow_up", riskReasons: ["contact_f0"] });
    filed.f0 = f0.id;
    const outbreak = await ok(await req("POST", "/api/declarations", undefined, domestic({ fromOutbreakArea: true })), 201);
    expect(outbreak).toMatchObject({ risk: "watch", riskReasons: ["outbreak_area"] });
    filed.outbreak = outbreak.id;
    const entry = await ok(
      await req("POST", "/api/declarations", undefined, {
        ...domestic({ kind: "entry", travel: undefined, nationality: "kr" }),
        idNumber: "M12345678",
        entry: { departureCountry: "kr", flightOrVehicle: "KE479", portOfEntry: "Nội Bài", entryDate: vnDay(new Date()) },
      }),
      201,
    );
    expect(entry).toMatchObject({ kind: "entry", risk: "watch", riskReasons: ["entry"] });
    filed.entry = entry.id;
    const none = await ok(await req("POST", "/api/declarations", undefined, domestic()), 201);
    expect(none.risk).toBe("none");
  });

  it("an open F1 contact (any record of the same person) makes the declaration follow_up", async () => {
    const phone = newPhone();
    const [p] = await t.deps.db
      .insert(people)
      .values({ provinceCode: "01", communeCode: "00070", fullName: "Lê Thị Tiếp Xúc", birthYear: 1977, phone })
      .returning({ id: people.id });
    const now = new Date();
    await t.deps.db.insert(contacts).values({
      provinceCode: "01",
      communeCode: "00070",
      caseId: randomUUID(),
      caseProvinceCode: "01",
      personId: p!.id,
      degree: 1,
      source: "household",
      firstExposureAt: now,
      lastExposureAt: now,
      status: "identified",
      quarantineUntil: addDays(vnDay(now), 5),
    });
    const r = await ok(await req("POST", "/api/declarations", undefined, domestic({ phone, birthYear: 1977, fullName: "Lê Thị Tiếp Xúc" })), 201);
    expect(r).toMatchObject({ risk: "follow_up", riskReasons: ["open_contact"] });
    filed.contact = r.id;
    // a released contact no longer counts
    await t.deps.db.update(contacts).set({ status: "released" }).where(eq(contacts.personId, p!.id));
    const later = await ok(await req("POST", "/api/declarations", undefined, domestic({ phone, birthYear: 1977, fullName: "Lê Thị Tiếp Xúc" })), 201);
    expect(later.risk).toBe("none");
  });

  it("a venue declaration needs an active venue (404 otherwise)", async () => {
    const r = await ok(await req("POST", "/api/declarations", undefined, { ...domestic({ kind: "venue", travel: undefined }), venueId }), 201);
    filed.venue = r.id;
    const officer = await ok(await req("GET", `/api/declarations/${r.id}`, tok.hnC));
    expect(officer.venue).toEqual({ id: venueId, name: "Nhà Văn Hóa Khai Báo" });
    const unknown = await req("POST", "/api/declarations", undefined, { ...domestic({ kind: "venue", travel: undefined }), venueId: randomUUID() });
    expect(unknown.status).toBe(404);
    await ok(await req("POST", `/api/venues/${venueId}/status`, tok.hnC, { action: "suspend", reason: "test" }));
    const suspended = await req("POST", "/api/declarations", undefined, { ...domestic({ kind: "venue", travel: undefined }), venueId });
    expect(suspended.status).toBe(404);
    await ok(await req("POST", `/api/venues/${venueId}/status`, tok.hnC, { action: "reopen" }));
  });

  it("officers see their area's declarations, the risky first then newest, with keyset pages", async () => {
    const all = await ok(await req("GET", "/api/declarations?limit=500", tok.hnC));
    expect(all.items.length).toBeGreaterThanOrEqual(8);
    expect(all.nextCursor).toBeNull();
    const rank: Record<string, number> = { follow_up: 0, watch: 1, none: 2 };
    for (let i = 1; i < all.items.length; i++) {
      const a = all.items[i - 1];
      const b = all.items[i];
      expect(rank[a.risk]!).toBeLessThanOrEqual(rank[b.risk]!);
      if (a.risk === b.risk) expect(a.createdAt >= b.createdAt).toBe(true);
    }
    expect(all.items[0].risk).toBe("follow_up");
    expect(all.items.every((d: any) => d.provinceCode === "01" && d.communeCode === "00070")).toBe(true);
    const one = all.items.find((d: any) => d.id === filed.none);
    expect(one).toMatchObject({ idNumberSet: true, review: "new", travel: { means: "bus", from: "Hải Phòng", to: "Hà Nội" }, entry: null });
    expect(one).not.toHaveProperty("idNumberHash");

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await ok(await req("GET", `/api/declarations?limit=3${cursor ? `&cursor=${cursor}` : ""}`, tok.hnC));
      expect(res.items.length).toBeLessThanOrEqual(3);
      paged.push(...res.items.map((d: any) => d.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.items.map((d: any) => d.id));

    const bad = await req("GET", "/api/declarations?cursor=nonsense", tok.hnC);
    expect(bad.status).toBe(400);
  });

  it("filters by risk, kind, commune, review and days", async () => {
    const fu = await ok(await req("GET", "/api/declarations?risk=follow_up&limit=500", tok.hnP));
    expect(fu.items.length).toBeGreaterThanOrEqual(3);
    expect(fu.items.every((d: any) => d.risk === "follow_up")).toBe(true);
    expect(fu.items.map((d: any) => d.id)).toEqual(expect.arrayContaining([filed.symptoms, filed.f0, filed.contact]));
    const entry = await ok(await req("GET", "/api/declarations?kind=entry", tok.hnP));
    expect(entry.items.map((d: any) => d.id)).toEqual([filed.entry]);
    expect(entry.items[0].entry).toMatchObject({ departureCountry: "KR", flightOrVehicle: "KE479" });
    expect(entry.items[0].nationality).toBe("KR");
    const otherCommune = await ok(await req("GET", "/api/declarations?communeCode=00082", tok.hnP));
    expect(otherCommune.items).toEqual([]);
    const today = vnDay(new Date());
    const byDay = await ok(await req("GET", `/api/declarations?from=${today}&to=${today}&limit=500`, tok.hnP));
    expect(byDay.items.length).toBeGreaterThanOrEqual(8);
    const past = await ok(await req("GET", `/api/declarations?to=${addDays(today, -30)}`, tok.hnP));
    expect(past.items).toEqual([]);
    const backwards = await req("GET", `/api/declarations?from=${today}&to=${addDays(today, -1)}`, tok.hnP);
    expect(backwards.status).toBe(400);
    const reviewed = await ok(await req("GET", "/api/declarations?review=closed", tok.hnP));
    expect(reviewed.items.every((d: any) => d.review === "closed")).toBe(true);
  });

  it("stats count per day: all, follow_up, watch", async () => {
    const today = vnDay(new Date());
    const yesterday = addDays(today, -1);
    const [p] = await t.deps.db.select({ id: people.id }).from(people).limit(1);
    const row = { provinceCode: "01", communeCode: "00070", personId: p!.id, kind: "domestic" as const, fullName: "Hôm Qua", birthYear: 1980, day: yesterday, createdAt: new Date(Date.now() - DAY) };
    await t.deps.db.insert(declarations).values([
      { ...row, risk: "follow_up", riskReasons: ["symptoms"] },
      { ...row, risk: "watch", riskReasons: ["outbreak_area"] },
      { ...row, risk: "none" },
    ]);
    const s = await ok(await req("GET", `/api/declarations/stats?from=${addDays(today, -2)}&to=${today}`, tok.hnC));
    expect(s.from).toBe(addDays(today, -2));
    expect(s.days.map((d: any) => d.day)).toEqual([addDays(today, -2), yesterday, today]);
    expect(s.days[0]).toEqual({ day: addDays(today, -2), total: 0, followUp: 0, watch: 0 });
    expect(s.days[1]).toEqual({ day: yesterday, total: 3, followUp: 1, watch: 1 });
    const list = await ok(await req("GET", `/api/declarations?from=${today}&to=${today}&limit=500`, tok.hnC));
    const count = (r: string) => list.items.filter((d: any) => d.risk === r).length;
    expect(s.days[2]).toEqual({ day: today, total: list.items.length, followUp: count("follow_up"), watch: count("watch") });
    expect(s.totals.total).toBe(3 + list.items.length);
    const def = await ok(await req("GET", "/api/declarations/stats", tok.hnH));
    expect(def.days).toHaveLength(14);
    expect(def.to).toBe(today);
    const hcm = await ok(await req("GET", `/api/declarations/stats?from=${yesterday}&to=${today}`, tok.hcmP));
    expect(hcm.totals).toEqual({ total: 0, followUp: 0, watch: 0 });
    expect(await auditCount("declaration.stats")).toBe(3);
  });

  it("keeps other provinces out: lists, ids, stats", async () => {
    const hcmList = await ok(await req("GET", "/api/declarations?limit=500", tok.hcmP));
    expect(hcmList.items).toEqual([]);
    const filtered = await ok(await req("GET", "/api/declarations?provinceCode=01", tok.hcmC));
    expect(filtered.items).toEqual([]);
    for (const token of [tok.hcmP, tok.hcmC]) {
      expect((await req("GET", `/api/declarations/${filed.symptoms}`, token)).status).toBe(404);
      expect((await req("PATCH", `/api/declarations/${filed.symptoms}`, token, { review: "closed" })).status).toBe(404);
    }
    const [d] = await t.deps.db.select().from(declarations).where(eq(declarations.id, filed.symptoms!));
    expect(d!.review).toBe("new");
    expect((await req("GET", `/api/declarations/${randomUUID()}`, tok.hnC)).status).toBe(404);
    expect((await req("GET", "/api/declarations/not-an-id", tok.hnC)).status).toBe(400);
    // the national admin sees everything
    const all = await ok(await req("GET", `/api/declarations/${filed.symptoms}`, tok.admin));
    expect(all.id).toBe(filed.symptoms);
  });

  it("commune, province and national officers review; health officers read only; every read and change is audited", async () => {
    const before = { read: await auditCount("declaration.read"), list: await auditCount("declaration.list"), review: await auditCount("declaration.review") };
    const h = await req("PATCH", `/api/declarations/${filed.symptoms}`, tok.hnH, { review: "contacted" });
    expect(h.status).toBe(403);
    expect((await ok(await req("GET", `/api/declarations/${filed.symptoms}`, tok.hnH))).review).toBe("new");
    const r = await ok(await req("PATCH", `/api/declarations/${filed.symptoms}`, tok.hnC, { review: "contacted", reviewNote: "Đã gọi, hẹn test nhanh" }));
    expect(r).toMatchObject({ review: "contacted", reviewNote: "Đã gọi, hẹn test nhanh" });
    const closed = await ok(await req("PATCH", `/api/declarations/${filed.symptoms}`, tok.hnP, { review: "closed" }));
    expect(closed).toMatchObject({ review: "closed", reviewNote: "Đã gọi, hẹn test nhanh" });
    const bad = await req("PATCH", `/api/declarations/${filed.symptoms}`, tok.hnP, { review: "new" });
    expect(bad.status).toBe(400);
    expect((await details(bad))[0]!.path).toBe("review");
    await ok(await req("GET", "/api/declarations", tok.hnH));
    expect(await auditCount("declaration.read")).toBe(before.read + 1);
    expect(await auditCount("declaration.list")).toBe(before.list + 1);
    expect(await auditCount("declaration.review")).toBe(before.review + 2);
    const [row] = await t.deps.database.query<any>(
      sql`select actor_username, province_code, commune_code, subject_id from audit_log where action = 'declaration.review' order by id desc limit 1`,
    );
    expect(row).toMatchObject({ actor_username: "hn.province", province_code: "01", commune_code: "00070", subject_id: filed.symptoms });
    const reviewed = await ok(await req("GET", "/api/declarations?review=closed", tok.hnP));
    expect(reviewed.items.map((d: any) => d.id)).toContain(filed.symptoms);
  });

  it("officer routes refuse citizens and anonymous callers", async () => {
    const c = await citizen("Người Dân Tò Mò");
    expect((await req("GET", "/api/declarations", c.token)).status).toBe(403);
    expect((await req("GET", "/api/declarations/stats", c.token)).status).toBe(403);
    expect((await req("GET", `/api/declarations/${filed.none}`, c.token)).status).toBe(403);
    expect((await req("GET", "/api/declarations")).status).toBe(401);
    expect((await req("GET", "/api/me/declarations", tok.hnC)).status).toBe(403);
    expect((await req("POST", "/api/me/declarations", tok.hnC, {})).status).toBe(403);
  });

  it("a citizen files for themselves and their family, and reads only those", async () => {
    const a = await citizen("Phạm Văn Chủ Hộ");
    const b = await citizen("Hoàng Thị Hàng Xóm");
    const [child] = await t.deps.db
      .insert(people)
      .values({ provinceCode: "01", communeCode: "00070", fullName: "Phạm Bé Con", birthYear: 2018 })
      .returning({ id: people.id });
    await t.deps.db.insert(familyMembers).values({ userId: a.userId, personId: child!.id, relation: "child" });

    // own: name, birth year, phone and commune default to the person record
    const own = await ok(await req("POST", "/api/me/declarations", a.token, { kind: "venue", personId: a.personId, venueId, symptoms: ["fatigue"] }), 201);
    expect(own).toMatchObject({ personId: a.personId, fullName: "Phạm Văn Chủ Hộ", birthYear: 1990, phone: a.phone, communeCode: "00070", risk: "follow_up", venue: { id: venueId } });
    expect(own).not.toHaveProperty("reviewNote");
    const [row] = await t.deps.db.select().from(declarations).where(eq(declarations.id, own.id));
    expect(row!.filedBy).toBe(a.userId);
    // family member: the child has no phone, the parent's is used
    const kid = await ok(await req("POST", "/api/me/declarations", a.token, { kind: "domestic", personId: child!.id, travel: { means: "car", from: "Hà Nội", to: "Ninh Bình" } }), 201);
    expect(kid).toMatchObject({ personId: child!.id, fullName: "Phạm Bé Con", birthYear: 2018, phone: a.phone, risk: "none" });
    // someone else's person: 404, nothing stored
    const before = (await t.deps.db.select().from(declarations).where(eq(declarations.personId, b.personId))).length;
    expect((await req("POST", "/api/me/declarations", a.token, { kind: "domestic", personId: b.personId, travel: { means: "car", from: "A", to: "B" } })).status).toBe(404);
    expect((await req("POST", "/api/me/declarations", a.token, { kind: "domestic", personId: randomUUID(), travel: { means: "car", from: "A", to: "B" } })).status).toBe(404);
    expect((await t.deps.db.select().from(declarations).where(eq(declarations.personId, b.personId))).length).toBe(before);
    // B files one of their own
    await ok(await req("POST", "/api/me/declarations", b.token, { kind: "domestic", personId: b.personId, travel: { means: "motorbike", from: "A", to: "B" } }), 201);
    // validation on the citizen route too
    const bad = await req("POST", "/api/me/declarations", a.token, { kind: "domestic", personId: a.personId, travel: { means: "car", from: "A", to: "B" }, phone: "abc" });
    expect((await details(bad)).map((x) => x.path)).toEqual(["phone"]);

    const mine = await ok(await req("GET", "/api/me/declarations", a.token));
    expect(mine.items.map((d: any) => d.id)).toEqual([kid.id, own.id]);
    expect(JSON.stringify(mine)).not.toContain("Hoàng Thị Hàng Xóm");
    const p1 = await ok(await req("GET", "/api/me/declarations?limit=1", a.token));
    expect(p1.items.map((d: any) => d.id)).toEqual([kid.id]);
    const p2 = await ok(await req("GET", `/api/me/declarations?limit=1&cursor=${p1.nextCursor}`, a.token));
    expect(p2.items.map((d: any) => d.id)).toEqual([own.id]);
    expect(p2.nextCursor).toBeNull();
    const onlyKid = await ok(await req("GET", `/api/me/declarations?personId=${child!.id}`, a.token));
    expect(onlyKid.items.map((d: any) => d.id)).toEqual([kid.id]);
    expect((await req("GET", `/api/me/declarations?personId=${a.personId}`, b.token)).status).toBe(404);
    const theirs = await ok(await req("GET", "/api/me/declarations", b.token));
    expect(theirs.items).toHaveLength(1);
    expect(theirs.items[0].personId).toBe(b.personId);

    // officers of the area see the citizen's filing
    const officer = await ok(await req("GET", `/api/declarations/${own.id}`, tok.hnC));
    expect(officer).toMatchObject({ filedBy: a.userId, risk: "follow_up" });
  });

  it("a citizen without a commune on file must give one", async () => {
    const c = await citizen("Người Mới");
    await t.deps.db.update(people).set({ communeCode: null }).where(eq(people.id, c.personId));
    const res = await req("POST", "/api/me/declarations", c.token, { kind: "domestic", personId: c.personId, travel: { means: "car", from: "A", to: "B" } });
    expect(res.status).toBe(400);
    expect((await details(res)).map((x) => x.path)).toEqual(["communeCode"]);
    const ok2 = await ok(
      await req("POST", "/api/me/declarations", c.token, { kind: "domestic", personId: c.personId, communeCode: "26734", travel: { means: "car", from: "A", to: "B" } }),
      201,
    );
    expect(ok2).toMatchObject({ provinceCode: "79", communeCode: "26734" });
    // it is HCM's, not Hà Nội's
    expect((await req("GET", `/api/declarations/${ok2.id}`, tok.hnP)).status).toBe(404);
    expect((await ok(await req("GET", `/api/declarations/${ok2.id}`, tok.hcmC))).id).toBe(ok2.id);
  });
});
