/**
 * Cases and contact tracing through the API (docs/TRACING.md), on both engines: cases (create,
 * list, read, change, validation), the area rules (a Hà Nội F0 who visited a venue in Hồ Chí
 * Minh City gives HCM's teams that F1, and only that), hand-added contacts, the worklist and
 * follow-ups, "tested positive", roles, audit, exposure notices and risky venues.
 *
 * The scenario (times relative to now; venues made for this file so demo check-ins do not mix in):
 *   F0 (Hà Nội, Hoàn Kiếm) at vHN [base, base+60m]; hnA at vHN [base+10m, base+70m];
 *   hnB at vHN [base+20m, base+40m]; F0 at vHCM (79/26734) [base+3h, base+4h]; hcmX at vHCM
 *   [base+3h30m, base+5h]. base = now − 2 days.
 */
import { randomInt, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkins, people, users } from "../../db/schema";
import { hashPassword } from "../../server/auth/passwords";
import { authUserOf } from "../../server/auth/service";
import { signAccessToken } from "../../server/auth/tokens";
import { vnDay } from "../../server/checkins/colour";
import { createTestPlatform, DEMO_PASSWORD, engines, type TestPlatform } from "../support/platform";

const MIN = 60_000;
const DAY = 86400_000;
const norm = (s: string | null | undefined) => (s == null ? s : new Date(s).toISOString());
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** 00:00 Vietnam time of a calendar day, as an ISO instant. */
const vnMidnight = (day: string) => new Date(Date.parse(`${day}T00:00:00+07:00`)).toISOString();
const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;

describe.each(engines())("tracing API on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnV" | "hcmP" | "hcmC" | "citizen", string>;
  let base: number;
  let vHN: string;
  let vHN2: string;
  let vHCM: string;
  const f0 = { id: "", name: "Trần Thị Nguồn Lây", phone: newPhone() };
  let hnA: string;
  let hnB: string;
  let hcmX: string;
  let hcmXName: string;
  let hnBCheckin: string;
  let caseId: string;
  let traced: any;
  let contactA: string;
  let contactB: string;
  let contactX: string;
  let household: any;

  const req = (method: string, path: string, token?: string, body?: unknown) => t.request(method, path, { token, body });
  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, `${res.url ?? ""} ${await res.clone().text()}`).toBe(status);
    return json(res);
  };
  const today = () => vnDay(new Date());
  const details = async (res: Response) => ((await json(res)).error?.details ?? []).map((d: any) => d.path) as string[];
  const auditCount = async (where: ReturnType<typeof sql>) =>
    Number((await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from audit_log where ${where}`))[0]!.n);

  async function person(name: string, provinceCode = "01", communeCode = "00070", phone = newPhone()) {
    const [row] = await t.deps.db
      .insert(people)
      .values({ provinceCode, communeCode, fullName: name, birthYear: 1970 + randomInt(0, 30), phone })
      .returning({ id: people.id });
    return row!.id;
  }
  async function visit(personId: string, venueId: string, provinceCode: string, fromMs: number, toMs: number | null) {
    const id = randomUUID();
    await t.deps.db.insert(checkins).values({
      id,
      provinceCode,
      venueId,
      personId,
      checkedInAt: new Date(fromMs),
      checkedOutAt: toMs === null ? null : new Date(toMs),
      method: "citizen_scan",
    });
    return id;
  }
  async function newVenue(token: string, body: Record<string, unknown>) {
    const v = await ok(await req("POST", "/api/venues", token, { category: "restaurant", ...body }), 201);
    if (v.status !== "active") await ok(await req("POST", `/api/venues/${v.id}/status`, token, { action: "approve" }));
    return v.id as string;
  }

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    await t.deps.db.insert(users).values({
      username: "hn.citizen",
      displayName: "Người dân",
      passwordHash: await hashPassword(DEMO_PASSWORD),
      role: "citizen",
      provinceCode: "01",
      communeCode: "00070",
    });
    const names = { admin: "admin", hnP: "hn.province", hnH: "hn.health", hnC: "hn.commune", hnV: "hn.venue", hcmP: "hcm.province", hcmC: "hcm.commune", citizen: "hn.citizen" } as const;
    for (const [k, u] of Object.entries(names)) if (k !== "citizen") tok[k as keyof typeof tok] = await t.login(u);
    // Citizens have no password (they sign in by one-time code): the citizen's token is signed directly.
    const [citizen] = await t.deps.db.select().from(users).where(eq(users.username, "hn.citizen"));
    tok.citizen = await signAccessToken(t.deps.keys, t.deps.config.publicUrl, t.deps.config.accessTokenTtl, authUserOf(citizen!), new Date());

    vHN = await newVenue(tok.hnC, { name: "Quán Phở Truy Vết", address: "1 Hàng Bạc", provinceCode: "01", communeCode: "00070" });
    vHN2 = await newVenue(tok.hnC, { name: "Quán Cà Phê F2", address: "9 Hàng Bè", provinceCode: "01", communeCode: "00070" });
    vHCM = await newVenue(tok.admin, { name: "Quán Cơm Sài Gòn", address: "5 Lê Lợi", provinceCode: "79", communeCode: "26734" });

    base = Math.floor((Date.now() - 2 * DAY) / MIN) * MIN;
    f0.id = await person(f0.name, "01", "00070", f0.phone);
    hnA = await person("Lê Văn An");
    hnB = await person("Phạm Thị Bình");
    hcmXName = "Võ Văn Sài Gòn";
    hcmX = await person(hcmXName, "79", "26734");
    await visit(f0.id, vHN, "01", base, base + 60 * MIN);
    await visit(hnA, vHN, "01", base + 10 * MIN, base + 70 * MIN);
    hnBCheckin = await visit(hnB, vHN, "01", base + 20 * MIN, base + 40 * MIN);
    await visit(f0.id, vHCM, "79", base + 180 * MIN, base + 240 * MIN);
    await visit(hcmX, vHCM, "79", base + 210 * MIN, base + 300 * MIN);

    const created = await ok(
      await req("POST", "/api/cases", tok.hnP, {
        personId: f0.id,
        confirmedOn: vnDay(new Date(Date.now() - DAY)),
        method: "pcr",
        symptomOnset: vnDay(new Date(Date.now() - DAY)),
      }),
      201,
    );
    caseId = created.id;
    traced = await ok(await req("POST", `/api/cases/${caseId}/trace`, tok.hnP, { degree: 1, marginMinutes: 0 }));
    const [x] = await t.deps.database.query<{ id: string }>(sql`select id from contacts where case_id = ${caseId} and person_id = ${hcmX}`);
    contactX = x?.id ?? "";
    contactA = traced.contacts.find((c: any) => c.person.id === hnA)?.id ?? "";
    contactB = traced.contacts.find((c: any) => c.person.id === hnB)?.id ?? "";
  });
  afterAll(() => t?.close());

  describe("cases", () => {
    it("registers a case by personId: the person's area, its window, no contacts yet", async () => {
      const c = await ok(await req("GET", `/api/cases/${caseId}`, tok.hnP));
      expect(c).toMatchObject({
        id: caseId,
        provinceCode: "01",
        communeCode: "00070",
        person: { id: f0.id, fullName: f0.name, phone: f0.phone, provinceCode: "01", communeCode: "00070" },
        method: "pcr",
        status: "active",
        sourceCaseId: null,
        sourceContactId: null,
        tracedDegree: 1,
      });
      // onset yesterday − 2 days, from 00:00 Vietnam time; not isolated → until now
      expect(norm(c.window.from)).toBe(vnMidnight(addDays(vnDay(new Date(Date.now() - DAY)), -2)));
      expect(Math.abs(Date.parse(c.window.to) - Date.now())).toBeLessThan(60_000);
      expect(c.contacts).toEqual({ f1: 3, f2: 0 });
    });

    it("registers a case with new person details (phone normalised), defaulting to the officer's commune", async () => {
      const phone = newPhone();
      const c = await ok(
        await req("POST", "/api/cases", tok.hnC, {
          person: { fullName: "Đỗ Thị Mới", phone: `+84 ${phone.slice(1, 4)} ${phone.slice(4)}`, birthYear: 1990 },
          confirmedOn: today(),
          method: "rapid_antigen",
        }),
        201,
      );
      expect(c).toMatchObject({
        provinceCode: "01",
        communeCode: "00070",
        person: { fullName: "Đỗ Thị Mới", phone, birthYear: 1990, provinceCode: "01", communeCode: "00070" },
        method: "rapid_antigen",
        symptomOnset: null,
        sampleDate: null,
        isolatedAt: null,
        status: "active",
        tracedAt: null,
        tracedDegree: 0,
        contacts: { f1: 0, f2: 0 },
      });
      // neither onset nor sample date: 14 days before the confirmation date
      expect(norm(c.window.from)).toBe(vnMidnight(addDays(today(), -14)));
      const [row] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from people where phone = ${phone}`);
      expect(Number(row!.n)).toBe(1);
    });

    it("says where a trace's time went in a Server-Timing header (case, hop, store, read)", async () => {
      const res = await req("POST", `/api/cases/${caseId}/trace`, tok.hnP, { degree: 1, marginMinutes: 0 });
      expect(res.status).toBe(200);
      const phases = (res.headers.get("server-timing") ?? "").split(",").map((p) => p.trim().split(";"));
      expect(phases.map(([name]) => name)).toEqual(["case", "hop", "store", "read"]);
      for (const [, dur] of phases) expect(dur).toMatch(/^dur=\d+\.\d$/);
    });

    it("traces at once with trace: true", async () => {
      const c = await ok(
        await req("POST", "/api/cases", tok.hnP, {
          person: { fullName: "Hoàng Văn Ngay", phone: newPhone(), birthYear: 1981, communeCode: "00082" },
          confirmedOn: today(),
          method: "clinical",
          trace: true,
        }),
        201,
      );
      expect(c.communeCode).toBe("00082");
      const got = await ok(await req("GET", `/api/cases/${c.id}`, tok.hnP));
      expect(got.tracedDegree).toBe(1);
      expect(got.tracedAt).not.toBeNull();
      // a commune officer may not register a case in another commune
      const other = await req("POST", "/api/cases", tok.hnC, {
        person: { fullName: "Ngoài Phường", phone: newPhone(), birthYear: 1981, communeCode: "00082" },
        confirmedOn: today(),
        method: "pcr",
      });
      expect(other.status).toBe(403);
    });

    it("answers 400 with the field paths for bad input", async () => {
      const bad = await req("POST", "/api/cases", tok.hnP, { personId: f0.id, confirmedOn: "2026-13-01", method: "magic", isolatedAt: "yesterday" });
      expect(bad.status).toBe(400);
      expect(await details(bad)).toEqual(expect.arrayContaining(["confirmedOn", "method", "isolatedAt"]));
      const future = await req("POST", "/api/cases", tok.hnP, { personId: f0.id, confirmedOn: addDays(today(), 2), method: "pcr" });
      expect(future.status).toBe(400);
      expect(await details(future)).toContain("confirmedOn");
      const sample = await req("POST", "/api/cases", tok.hnP, { personId: f0.id, confirmedOn: addDays(today(), -3), sampleDate: addDays(today(), -1), method: "pcr" });
      expect(sample.status).toBe(400);
      expect(await details(sample)).toContain("sampleDate");
      const phone = await req("POST", "/api/cases", tok.hnP, { person: { fullName: "A B", phone: "123", birthYear: 1990 }, confirmedOn: today(), method: "pcr" });
      expect(phone.status).toBe(400);
      expect(await details(phone)).toContain("person.phone");
      const unknownPerson = await req("POST", "/api/cases", tok.hnP, { personId: randomUUID(), confirmedOn: today(), method: "pcr" });
      expect(unknownPerson.status).toBe(400);
      const status = await req("PATCH", `/api/cases/${caseId}`, tok.hnP, { status: "cured" });
      expect(status.status).toBe(400);
      expect(await details(status)).toContain("status");
      const degree = await req("POST", `/api/cases/${caseId}/trace`, tok.hnP, { degree: 3 });
      expect(degree.status).toBe(400);
      expect(await details(degree)).toContain("degree");
      const margin = await req("POST", `/api/cases/${caseId}/trace`, tok.hnP, { degree: 1, marginMinutes: -1 });
      expect(margin.status).toBe(400);
      expect(await details(margin)).toContain("marginMinutes");
      const notUuid = await req("GET", "/api/cases/not-a-uuid", tok.hnP);
      expect(notUuid.status).toBe(400);
      expect(await details(notUuid)).toContain("id");
      const temp = await req("POST", `/api/contacts/${contactA}/follow-ups`, tok.hnP, { reached: true, temperature: 50 });
      expect(temp.status).toBe(400);
      expect(await details(temp)).toContain("temperature");
      // nothing of the refused requests was stored
      const [n] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from cases where person_id = ${f0.id}`);
      expect(Number(n!.n)).toBe(1);
    });

    it("answers 400, not 500, for a day that does not exist in the calendar", async () => {
      for (const [field, day] of [["confirmedOn", "2026-02-30"], ["symptomOnset", "2026-04-31"], ["sampleDate", "2025-02-29"]] as const) {
        const res = await req("POST", "/api/cases", tok.hnP, { personId: f0.id, confirmedOn: "2026-03-01", method: "pcr", [field]: day });
        expect(res.status, `${field}=${day}: ${await res.clone().text()}`).toBe(400);
        expect(await details(res)).toContain(field);
      }
      const follow = await req("POST", `/api/contacts/${contactA}/follow-ups`, tok.hnP, { day: "2026-02-30", reached: true });
      expect(follow.status, await follow.clone().text()).toBe(400);
      const patch = await req("PATCH", `/api/contacts/${contactA}`, tok.hnP, { quarantineUntil: "2026-11-31" });
      expect(patch.status, await patch.clone().text()).toBe(400);
    });

    it("answers 404 for unknown case and contact ids", async () => {
      const id = randomUUID();
      const calls: [string, string, unknown?][] = [
        ["GET", `/api/cases/${id}`],
        ["PATCH", `/api/cases/${id}`, { status: "recovered" }],
        ["POST", `/api/cases/${id}/trace`, { degree: 1 }],
        ["GET", `/api/cases/${id}/trace`],
        ["POST", `/api/cases/${id}/contacts`, { source: "household", personId: hnA }],
        ["GET", `/api/cases/${id}/graph`],
        ["GET", `/api/contacts/${id}`],
        ["PATCH", `/api/contacts/${id}`, { status: "notified" }],
        ["POST", `/api/contacts/${id}/follow-ups`, { reached: true }],
        ["POST", `/api/contacts/${id}/confirm`, { confirmedOn: today(), method: "pcr" }],
      ];
      for (const [method, path, body] of calls) expect((await req(method, path, tok.hnP, body)).status, `${method} ${path}`).toBe(404);
    });

    it("lists cases newest first with keyset pagination, search by name or phone, and a status filter", async () => {
      const ids: string[] = [];
      const made: any[] = [];
      const phones: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const phone = newPhone();
        phones.push(phone);
        const c = await ok(
          await req("POST", "/api/cases", tok.hnP, { person: { fullName: `Phân Trang Số ${i}`, phone, birthYear: 1990 + i, communeCode: "00070" }, confirmedOn: today(), method: "pcr" }),
          201,
        );
        ids.push(c.id);
        made.push(c);
      }
      const seen: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = `/api/cases?q=${encodeURIComponent("Phân Trang")}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const p: any = await ok(await req("GET", q, tok.hnP));
        expect(p.items.length).toBeLessThanOrEqual(2);
        seen.push(...p.items);
        cursor = p.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      // newest first; equal creation times by id, descending
      const newestFirst = [...made].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1)).map((c) => c.id);
      expect(seen.map((c) => c.id)).toEqual(newestFirst);
      expect(new Set(seen.map((c) => c.id)).size).toBe(5);

      const byPhone = await ok(await req("GET", `/api/cases?q=${phones[2]}`, tok.hnP));
      expect(byPhone.items.map((c: any) => c.id)).toEqual([ids[2]]);
      const byName = await ok(await req("GET", `/api/cases?q=${encodeURIComponent("phân trang số 4")}`, tok.hnP));
      expect(byName.items.map((c: any) => c.id)).toEqual([ids[3]]);

      await ok(await req("PATCH", `/api/cases/${ids[0]}`, tok.hnP, { status: "recovered" }));
      const recovered = await ok(await req("GET", `/api/cases?status=recovered&q=${encodeURIComponent("Phân Trang")}`, tok.hnP));
      expect(recovered.items.map((c: any) => c.id)).toEqual([ids[0]]);
      // another province's officers see none of them
      const hcm = await ok(await req("GET", `/api/cases?q=${encodeURIComponent("Phân Trang")}`, tok.hcmP));
      expect(hcm.items).toEqual([]);
      const bad = await req("GET", "/api/cases?cursor=notacursor", tok.hnP);
      expect(bad.status).toBe(400);
    });

    it("changes a case's dates, isolation and status; the window ends at isolation", async () => {
      const c = await ok(
        await req("POST", "/api/cases", tok.hnP, { person: { fullName: "Bùi Văn Sửa", phone: newPhone(), birthYear: 1975, communeCode: "00070" }, confirmedOn: today(), method: "pcr" }),
        201,
      );
      const isolatedAt = new Date(Math.floor((Date.now() - 3600_000) / 1000) * 1000).toISOString();
      const onset = addDays(today(), -4);
      const patched = await ok(
        await req("PATCH", `/api/cases/${c.id}`, tok.hnP, { isolatedAt, symptomOnset: onset, treatmentPlace: "Bệnh viện Bạch Mai", status: "recovered", notes: "Đã xuất viện" }),
      );
      expect(patched).toMatchObject({ symptomOnset: onset, treatmentPlace: "Bệnh viện Bạch Mai", status: "recovered", notes: "Đã xuất viện", confirmedOn: today(), method: "pcr" });
      expect(norm(patched.isolatedAt)).toBe(isolatedAt);
      expect(norm(patched.window.from)).toBe(vnMidnight(addDays(onset, -2)));
      expect(norm(patched.window.to)).toBe(isolatedAt);
      const again = await ok(await req("GET", `/api/cases/${c.id}`, tok.hnP));
      expect(again.status).toBe("recovered");
      // clearing the isolation time
      const cleared = await ok(await req("PATCH", `/api/cases/${c.id}`, tok.hnP, { isolatedAt: null }));
      expect(cleared.isolatedAt).toBeNull();
    });
  });

  describe("area", () => {
    it("another province's officers cannot open, trace or change a Hà Nội case (404) nor list it", async () => {
      for (const token of [tok.hcmP, tok.hcmC]) {
        expect((await req("GET", `/api/cases/${caseId}`, token)).status).toBe(404);
        expect((await req("GET", `/api/cases/${caseId}/trace`, token)).status).toBe(404);
        expect((await req("GET", `/api/cases/${caseId}/graph`, token)).status).toBe(404);
        expect((await req("POST", `/api/cases/${caseId}/trace`, token, { degree: 1 })).status).toBe(404);
        expect((await req("PATCH", `/api/cases/${caseId}`, token, { status: "died" })).status).toBe(404);
        expect((await req("POST", `/api/cases/${caseId}/contacts`, token, { source: "household", personId: hcmX })).status).toBe(404);
        const list = await ok(await req("GET", "/api/cases?limit=500", token));
        expect(list.items.map((c: any) => c.id)).not.toContain(caseId);
        expect(list.items.every((c: any) => c.provinceCode === "79")).toBe(true);
        expect((await ok(await req("GET", "/api/cases?provinceCode=01", token))).items).toEqual([]);
      }
      const c = await ok(await req("GET", `/api/cases/${caseId}`, tok.hnP));
      expect(c.status).toBe("active");
      const [n] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from contacts where case_id = ${caseId}`);
      expect(Number(n!.n)).toBe(3);
    });

    it("the tracing province sees the summary per province but only its own contacts", async () => {
      expect(traced.summary).toMatchObject({
        f1: 3,
        f2: 0,
        byProvince: [
          { provinceCode: "01", f1: 2, f2: 0 },
          { provinceCode: "79", f1: 1, f2: 0 },
        ],
        newContacts: 3,
      });
      expect(traced.contacts.map((c: any) => c.person.id).sort()).toEqual([hnA, hnB].sort());
      expect(traced.contacts.every((c: any) => c.provinceCode === "01")).toBe(true);
      expect(JSON.stringify(traced)).not.toContain(hcmXName);
      // the case's visits, both provinces
      expect(traced.visits.map((v: any) => [v.venueId, v.provinceCode, norm(v.start), norm(v.end), v.contacts])).toEqual([
        [vHN, "01", new Date(base).toISOString(), new Date(base + 60 * MIN).toISOString(), 2],
        [vHCM, "79", new Date(base + 180 * MIN).toISOString(), new Date(base + 240 * MIN).toISOString(), 1],
      ]);
      const stored = await ok(await req("GET", `/api/cases/${caseId}/trace`, tok.hnP));
      expect(stored.summary.byProvince).toEqual(traced.summary.byProvince);
      expect(stored.contacts.map((c: any) => c.id).sort()).toEqual([contactA, contactB].sort());
      // the commune team of Hoàn Kiếm sees the same two
      const commune = await ok(await req("GET", `/api/cases/${caseId}/trace`, tok.hnC));
      expect(commune.contacts.map((c: any) => c.id).sort()).toEqual([contactA, contactB].sort());
      // the HCM contact is not Hà Nội's to open
      expect(contactX).not.toBe("");
      expect((await req("GET", `/api/contacts/${contactX}`, tok.hnP)).status).toBe(404);
      expect((await req("PATCH", `/api/contacts/${contactX}`, tok.hnP, { status: "notified" })).status).toBe(404);
      const hnList = await ok(await req("GET", `/api/contacts?caseId=${caseId}&limit=500`, tok.hnP));
      expect(hnList.items.map((c: any) => c.id).sort()).toEqual([contactA, contactB].sort());
      // the graph names nobody of the other province
      const graph = await ok(await req("GET", `/api/cases/${caseId}/graph`, tok.hnP));
      expect(graph.nodes.filter((n: any) => n.kind === "case")).toHaveLength(1);
      expect(graph.nodes.filter((n: any) => n.kind === "venue").length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(graph)).not.toContain(hcmXName);
    });

    it("the venue's province (HCM) sees and follows up its F1 of a Hà Nội case, and nothing of Hà Nội", async () => {
      for (const token of [tok.hcmP, tok.hcmC]) {
        const list = await ok(await req("GET", "/api/contacts?limit=500", token));
        const ids = list.items.map((c: any) => c.id);
        expect(ids).toContain(contactX);
        expect(ids).not.toContain(contactA);
        expect(ids).not.toContain(contactB);
        expect(list.items.every((c: any) => c.provinceCode === "79")).toBe(true);
        const byCase = await ok(await req("GET", `/api/contacts?caseId=${caseId}`, token));
        expect(byCase.items.map((c: any) => c.id)).toEqual([contactX]);
        const one = await ok(await req("GET", `/api/contacts/${contactX}`, token));
        expect(one).toMatchObject({
          id: contactX,
          caseId,
          caseProvinceCode: "01",
          provinceCode: "79",
          communeCode: "26734",
          person: { id: hcmX, fullName: hcmXName },
          degree: 1,
          source: "venue",
          venue: { id: vHCM, name: "Quán Cơm Sài Gòn" },
          status: "identified",
          quarantineUntil: addDays(vnDay(new Date(base + 240 * MIN)), 7),
          followUps: [],
        });
        expect(one.exposures.map((e: any) => [e.venueId, norm(e.overlapStart), norm(e.overlapEnd), e.minutes])).toEqual([
          [vHCM, new Date(base + 210 * MIN).toISOString(), new Date(base + 240 * MIN).toISOString(), 30],
        ]);
        expect((await req("GET", `/api/contacts/${contactA}`, token)).status).toBe(404);
        expect((await req("POST", `/api/contacts/${contactA}/follow-ups`, token, { reached: true })).status).toBe(404);
        const work = await ok(await req("GET", "/api/contacts/worklist?limit=500", token));
        expect(work.items.map((c: any) => c.id)).toContain(contactX);
        expect(work.items.every((c: any) => c.provinceCode === "79")).toBe(true);
      }
      const call = await req("POST", `/api/contacts/${contactX}/follow-ups`, tok.hcmC, { reached: true, temperature: 36.6 });
      expect([200, 201]).toContain(call.status);
    });

    it("a commune officer cannot reach contacts of another commune; contacts are re-assigned within the province only", async () => {
      const moved = await ok(await req("PATCH", `/api/contacts/${contactB}`, tok.hnP, { communeCode: "00082" }));
      expect(moved.communeCode).toBe("00082");
      expect((await req("GET", `/api/contacts/${contactB}`, tok.hnC)).status).toBe(404);
      const listed = await ok(await req("GET", "/api/contacts?limit=500", tok.hnC));
      expect(listed.items.map((c: any) => c.id)).not.toContain(contactB);
      const back = await ok(await req("PATCH", `/api/contacts/${contactB}`, tok.hnP, { communeCode: "00070" }));
      expect(back.communeCode).toBe("00070");
      const away = await req("PATCH", `/api/contacts/${contactB}`, tok.hnP, { communeCode: "26734" });
      expect([400, 403]).toContain(away.status);
      const still = await ok(await req("GET", `/api/contacts/${contactB}`, tok.hnP));
      expect(still.communeCode).toBe("00070");
      expect(still.provinceCode).toBe("01");
    });
  });

  describe("contacts", () => {
    it("adds a household contact by hand: the person's commune, quarantine from the exposure", async () => {
      const exposedAt = new Date(Math.floor((Date.now() - 26 * 3600_000) / 1000) * 1000).toISOString();
      const res = await req("POST", `/api/cases/${caseId}/contacts`, tok.hnP, {
        source: "household",
        person: { fullName: "Trần Văn Chồng", phone: newPhone(), birthYear: 1979, communeCode: "00082" },
        exposedAt,
        notes: "Sống cùng nhà",
      });
      household = await ok(res, 201);
      expect(household).toMatchObject({
        caseId,
        caseProvinceCode: "01",
        provinceCode: "01",
        communeCode: "00082",
        person: { fullName: "Trần Văn Chồng", communeCode: "00082" },
        degree: 1,
        source: "household",
        viaContactId: null,
        venue: null,
        status: "identified",
        quarantineUntil: addDays(vnDay(new Date(exposedAt)), 7),
        notes: "Sống cùng nhà",
      });
      expect(norm(household.lastExposureAt)).toBe(exposedAt);
      // Cửa Nam's contact: not Hoàn Kiếm's
      expect((await req("GET", `/api/contacts/${household.id}`, tok.hnC)).status).toBe(404);
      expect((await ok(await req("GET", `/api/contacts/${household.id}`, tok.hnP))).source).toBe("household");
      const c = await ok(await req("GET", `/api/cases/${caseId}`, tok.hnP));
      expect(c.contacts).toEqual({ f1: 4, f2: 0 });
      // an existing person as a workplace contact; the case itself cannot be its own contact
      const work = await ok(await req("POST", `/api/cases/${caseId}/contacts`, tok.hnP, { source: "workplace", personId: await person("Đồng Nghiệp") }), 201);
      expect(work).toMatchObject({ source: "workplace", communeCode: "00070", degree: 1 });
      const self = await req("POST", `/api/cases/${caseId}/contacts`, tok.hnP, { source: "household", personId: f0.id });
      expect(self.status).toBe(400);
      const badSource = await req("POST", `/api/cases/${caseId}/contacts`, tok.hnP, { source: "venue", personId: hnA });
      expect(badSource.status).toBe(400);
      expect(await details(badSource)).toContain("source");
    });

    it("the worklist lists open contacts not yet called today, and drops one once its call is recorded", async () => {
      const before = await ok(await req("GET", "/api/contacts/worklist?limit=500", tok.hnC));
      const ids = before.items.map((c: any) => c.id);
      expect(ids).toEqual(expect.arrayContaining([contactA, contactB]));
      expect(ids).not.toContain(contactX);
      expect(ids).not.toContain(household.id); // Cửa Nam's
      expect(before.items.every((c: any) => c.provinceCode === "01" && c.communeCode === "00070")).toBe(true);
      const call = await req("POST", `/api/contacts/${contactA}/follow-ups`, tok.hnC, { reached: true, temperature: 36.8, symptoms: [] });
      expect([200, 201]).toContain(call.status);
      const after = await ok(await req("GET", "/api/contacts/worklist?limit=500", tok.hnC));
      expect(after.items.map((c: any) => c.id)).not.toContain(contactA);
      expect(after.items.map((c: any) => c.id)).toContain(contactB);
      // yesterday's list still has A (no call that day)
      const yesterday = await ok(await req("GET", `/api/contacts/worklist?limit=500&day=${addDays(today(), -1)}`, tok.hnC));
      expect(yesterday.items.map((c: any) => c.id)).toContain(contactA);
      // the province sees Cửa Nam's household contact too, the newly identified first
      const province = await ok(await req("GET", "/api/contacts/worklist?limit=500", tok.hnP));
      const pids = province.items.map((c: any) => c.id);
      expect(pids).toContain(household.id);
      expect(pids).not.toContain(contactX);
      const statuses = province.items.map((c: any) => c.status);
      expect(statuses).toEqual([...statuses].sort((a: string, b: string) => (a === "identified" ? 0 : 1) - (b === "identified" ? 0 : 1)));
    });

    it("contact lists and the worklist page by keyset without gaps or repeats; filters by degree, status and search", async () => {
      for (const path of ["/api/contacts", "/api/contacts/worklist"]) {
        const all = (await ok(await req("GET", `${path}?limit=500`, tok.hnP))).items.map((c: any) => c.id);
        expect(all.length, path).toBeGreaterThanOrEqual(3);
        const paged: string[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 50; i++) {
          const p: any = await ok(await req("GET", `${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, tok.hnP));
          paged.push(...p.items.map((c: any) => c.id));
          cursor = p.nextCursor;
          if (!cursor) break;
        }
        expect(paged, path).toEqual(all);
      }
      const byName = await ok(await req("GET", `/api/contacts?q=${encodeURIComponent("Phạm Thị Bình")}`, tok.hnP));
      expect(byName.items.map((c: any) => c.id)).toEqual([contactB]);
      const household_ = await ok(await req("GET", `/api/contacts?caseId=${caseId}&communeCode=00082`, tok.hnP));
      expect(household_.items.map((c: any) => c.id)).toEqual([household.id]);
      const f2s = await ok(await req("GET", `/api/contacts?caseId=${caseId}&degree=2`, tok.hnP));
      expect(f2s.items).toEqual([]);
    });

    it("a second call the same day replaces the first (one row)", async () => {
      const first = await req("POST", `/api/contacts/${contactB}/follow-ups`, tok.hnC, { reached: false, note: "Không nghe máy" });
      expect([200, 201]).toContain(first.status);
      const second = await req("POST", `/api/contacts/${contactB}/follow-ups`, tok.hnC, { reached: true, temperature: 37.5, symptoms: ["cough"], note: "Ho nhẹ" });
      expect([200, 201]).toContain(second.status);
      const [n] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from follow_ups where contact_id = ${contactB}`);
      expect(Number(n!.n)).toBe(1);
      const c = await ok(await req("GET", `/api/contacts/${contactB}`, tok.hnC));
      expect(c.followUps).toHaveLength(1);
      expect(c.followUps[0]).toMatchObject({ day: today(), reached: true, temperature: 37.5, symptoms: ["cough"], note: "Ho nhẹ" });
      expect(c.lastFollowUp).toBe(today());
      // an earlier day is a second row; a future day is refused
      const earlier = await req("POST", `/api/contacts/${contactB}/follow-ups`, tok.hnC, { day: addDays(today(), -1), reached: true });
      expect([200, 201]).toContain(earlier.status);
      expect((await ok(await req("GET", `/api/contacts/${contactB}`, tok.hnC))).followUps.map((f: any) => f.day)).toEqual([today(), addDays(today(), -1)]);
      const future = await req("POST", `/api/contacts/${contactB}/follow-ups`, tok.hnC, { day: addDays(today(), 2), reached: true });
      expect(future.status).toBe(400);
    });

    it("marking a contact notified records when", async () => {
      const before = Date.now();
      const c = await ok(await req("PATCH", `/api/contacts/${contactB}`, tok.hnC, { status: "notified", notes: "Đã gọi báo" }));
      expect(c.status).toBe("notified");
      expect(c.notes).toBe("Đã gọi báo");
      expect(c.notifiedAt).not.toBeNull();
      expect(Date.parse(c.notifiedAt)).toBeGreaterThanOrEqual(before - 1000);
      const became = await req("PATCH", `/api/contacts/${contactB}`, tok.hnC, { status: "became_f0" });
      expect(became.status).toBe(400);
      const q = await ok(await req("PATCH", `/api/contacts/${contactB}`, tok.hnC, { status: "quarantined", quarantineUntil: addDays(today(), 10) }));
      expect(q).toMatchObject({ status: "quarantined", quarantineUntil: addDays(today(), 10) });
      expect(q.notifiedAt).toBe(c.notifiedAt);
    });
  });

  describe("notices and risky venues", () => {
    it("a phone's check-in id gets a notice without anything about the case; unknown ids get nothing", async () => {
      const res = await t.request("POST", "/api/exposures/lookup", { body: { checkinIds: [hnBCheckin, randomUUID()] } });
      const body = await ok(res);
      expect(body.items).toHaveLength(1);
      const b = await ok(await req("GET", `/api/contacts/${contactB}`, tok.hnP));
      expect(body.items[0]).toMatchObject({
        checkinId: hnBCheckin,
        venue: { name: "Quán Phở Truy Vết", address: "1 Hàng Bạc" },
        day: vnDay(new Date(base + 20 * MIN)),
        quarantineUntil: b.quarantineUntil,
      });
      const text = JSON.stringify(body);
      for (const secret of [f0.name, f0.phone, f0.id, caseId]) expect(text).not.toContain(secret);
      const none = await ok(await t.request("POST", "/api/exposures/lookup", { body: { checkinIds: [randomUUID(), randomUUID()] } }));
      expect(none.items).toEqual([]);
      const empty = await t.request("POST", "/api/exposures/lookup", { body: { checkinIds: [] } });
      expect(empty.status).toBe(400);
      const notIds = await t.request("POST", "/api/exposures/lookup", { body: { checkinIds: ["x"] } });
      expect(notIds.status).toBe(400);
    });

    it("lists the venues a case visited to the officers of the venue's area only", async () => {
      const ids = async (token: string, query = "") => (await ok(await req("GET", `/api/risky-venues?limit=500${query}`, token))).items.map((v: any) => v.venueId);
      const hn = await ok(await req("GET", "/api/risky-venues?limit=500", tok.hnC));
      const row = hn.items.find((v: any) => v.venueId === vHN);
      expect(row).toMatchObject({ venueId: vHN, name: "Quán Phở Truy Vết", provinceCode: "01", communeCode: "00070", cases: 1, visits: 1, contacts: 2 });
      expect(norm(row.lastVisitAt)).toBe(new Date(base).toISOString());
      expect(hn.items.map((v: any) => v.venueId)).not.toContain(vHCM);
      expect(await ids(tok.hnP)).toContain(vHN);
      expect(await ids(tok.hnH)).toContain(vHN);
      expect(await ids(tok.hnP)).not.toContain(vHCM);
      for (const token of [tok.hcmP, tok.hcmC]) {
        const list = await ids(token);
        expect(list).toContain(vHCM);
        expect(list).not.toContain(vHN);
      }
      // a visit two days ago is not in the last day
      expect(await ids(tok.hnC, "&days=1")).not.toContain(vHN);
      expect(await ids(tok.hnC, "&days=3")).toContain(vHN);
    });

    it("finds people by exact phone, nationwide, for officers who register cases", async () => {
      const found = await ok(await req("GET", `/api/people/lookup?phone=${f0.phone}`, tok.hnC));
      expect(found.items.map((p: any) => p.id)).toContain(f0.id);
      const [hcmPhone] = await t.deps.database.query<{ phone: string }>(sql`select phone from people where id = ${hcmX}`);
      const far = await ok(await req("GET", `/api/people/lookup?phone=${encodeURIComponent(`+84${hcmPhone!.phone.slice(1)}`)}`, tok.hnP));
      expect(far.items.map((p: any) => p.id)).toEqual([hcmX]);
      expect((await req("GET", "/api/people/lookup?phone=12", tok.hnP)).status).toBe(400);
      expect((await req("GET", `/api/people/lookup?phone=${f0.phone}`, tok.hnH)).status).toBe(403);
    });
  });

  describe("roles and audit", () => {
    it("a health officer reads but may not change anything", async () => {
      const h = tok.hnH;
      expect((await req("GET", "/api/cases", h)).status).toBe(200);
      expect((await req("GET", `/api/cases/${caseId}`, h)).status).toBe(200);
      expect((await req("GET", `/api/cases/${caseId}/trace`, h)).status).toBe(200);
      expect((await req("GET", `/api/cases/${caseId}/graph`, h)).status).toBe(200);
      expect((await req("GET", "/api/contacts", h)).status).toBe(200);
      expect((await req("GET", "/api/contacts/worklist", h)).status).toBe(200);
      expect((await req("GET", `/api/contacts/${contactA}`, h)).status).toBe(200);
      expect((await req("GET", "/api/risky-venues", h)).status).toBe(200);
      const writes: [string, string, unknown][] = [
        ["POST", "/api/cases", { personId: hnA, confirmedOn: today(), method: "pcr" }],
        ["PATCH", `/api/cases/${caseId}`, { status: "died" }],
        ["POST", `/api/cases/${caseId}/trace`, { degree: 1 }],
        ["POST", `/api/cases/${caseId}/contacts`, { source: "household", personId: await person("Không Được Thêm") }],
        ["PATCH", `/api/contacts/${contactA}`, { status: "released" }],
        ["POST", `/api/contacts/${contactA}/follow-ups`, { reached: true }],
        ["POST", `/api/contacts/${contactA}/confirm`, { confirmedOn: today(), method: "pcr" }],
      ];
      for (const [method, path, body] of writes) expect((await req(method, path, h, body)).status, `${method} ${path}`).toBe(403);
      const c = await ok(await req("GET", `/api/cases/${caseId}`, tok.hnP));
      expect(c.status).toBe("active");
      expect((await ok(await req("GET", `/api/contacts/${contactA}`, tok.hnP))).status).toBe("identified");
    });

    it("venue staff and citizens get 403 on every tracing route", async () => {
      const calls: [string, string, unknown?][] = [
        ["GET", "/api/cases"],
        ["POST", "/api/cases", { personId: hnA, confirmedOn: today(), method: "pcr" }],
        ["GET", `/api/cases/${caseId}`],
        ["PATCH", `/api/cases/${caseId}`, { status: "died" }],
        ["POST", `/api/cases/${caseId}/trace`, { degree: 1 }],
        ["GET", `/api/cases/${caseId}/trace`],
        ["POST", `/api/cases/${caseId}/contacts`, { source: "household", personId: hnA }],
        ["GET", `/api/cases/${caseId}/graph`],
        ["GET", "/api/contacts"],
        ["GET", "/api/contacts/worklist"],
        ["GET", `/api/contacts/${contactA}`],
        ["PATCH", `/api/contacts/${contactA}`, { status: "released" }],
        ["POST", `/api/contacts/${contactA}/follow-ups`, { reached: true }],
        ["POST", `/api/contacts/${contactA}/confirm`, { confirmedOn: today(), method: "pcr" }],
        ["GET", "/api/risky-venues"],
        ["GET", `/api/people/lookup?phone=${f0.phone}`],
      ];
      for (const token of [tok.hnV, tok.citizen])
        for (const [method, path, body] of calls) expect((await req(method, path, token, body)).status, `${method} ${path}`).toBe(403);
      for (const [method, path, body] of calls) expect((await req(method, path, undefined, body)).status, `anonymous ${method} ${path}`).toBe(401);
    });

    it("every trace, read and change writes an audit row in the case's area", async () => {
      const traces = () => auditCount(sql`action = 'case.trace' and subject_id = ${caseId}`);
      const n = await traces();
      expect(n).toBeGreaterThanOrEqual(1);
      const again = await ok(await req("POST", `/api/cases/${caseId}/trace`, tok.hnC, { degree: 1, marginMinutes: 0 }));
      expect(again.summary.newContacts).toBe(0);
      expect(await traces()).toBe(n + 1);
      const [row] = await t.deps.database.query<{ actor_username: string; province_code: string; commune_code: string }>(
        sql`select actor_username, province_code, commune_code from audit_log where action = 'case.trace' and subject_id = ${caseId} order by id desc limit 1`,
      );
      expect(row).toMatchObject({ actor_username: "hn.commune", province_code: "01", commune_code: "00070" });
      const listed = await ok(await req("GET", `/api/audit?action=case.trace&limit=500`, tok.hnP));
      expect(listed.items.filter((r: any) => r.subjectId === caseId)).toHaveLength(n + 1);
      const hcm = await ok(await req("GET", `/api/audit?action=case.trace&limit=500`, tok.hcmP));
      expect(hcm.items.filter((r: any) => r.subjectId === caseId)).toHaveLength(0);
      // reads and changes of cases and contacts, worklists and lookups
      const steps: [string, () => Promise<unknown>, ReturnType<typeof sql>][] = [
        ["case read", () => req("GET", `/api/cases/${caseId}`, tok.hnH), sql`subject_id = ${caseId}`],
        ["trace read", () => req("GET", `/api/cases/${caseId}/trace`, tok.hnH), sql`subject_id = ${caseId}`],
        ["contact read", () => req("GET", `/api/contacts/${contactA}`, tok.hnH), sql`subject_id = ${contactA}`],
        ["contact change", () => req("PATCH", `/api/contacts/${contactA}`, tok.hnC, { notes: "Kiểm tra nhật ký" }), sql`subject_id = ${contactA}`],
        ["follow-up", () => req("POST", `/api/contacts/${contactA}/follow-ups`, tok.hnC, { reached: true }), sql`subject_id = ${contactA}`],
        ["case change", () => req("PATCH", `/api/cases/${caseId}`, tok.hnC, { treatmentPlace: "Tại nhà" }), sql`subject_id = ${caseId}`],
        ["worklist", () => req("GET", "/api/contacts/worklist", tok.hnC), sql`actor_username = 'hn.commune'`],
        ["contact list", () => req("GET", "/api/contacts", tok.hnC), sql`actor_username = 'hn.commune'`],
        ["case list", () => req("GET", "/api/cases", tok.hnC), sql`actor_username = 'hn.commune'`],
        ["people lookup", () => req("GET", `/api/people/lookup?phone=${f0.phone}`, tok.hnC), sql`actor_username = 'hn.commune'`],
      ];
      for (const [what, call, where] of steps) {
        const before = await auditCount(where);
        await call();
        expect(await auditCount(where), what).toBe(before + 1);
      }
    });
  });

  describe("tested positive", () => {
    it("confirming a contact creates a case linked to its source, traced at once; the contact's F2s become its F1s", async () => {
      // hnA, a day after the exposure, meets f2 at another venue
      const f2 = await person("Nguyễn Thị Hai");
      await visit(hnA, vHN2, "01", base + DAY, base + DAY + 60 * MIN);
      await visit(f2, vHN2, "01", base + DAY + 30 * MIN, base + DAY + 90 * MIN);
      const second = await ok(await req("POST", `/api/cases/${caseId}/trace`, tok.hnP, { degree: 2, marginMinutes: 0 }));
      const f2Contact = second.contacts.find((c: any) => c.person.id === f2);
      expect(f2Contact).toMatchObject({ degree: 2, viaContactId: contactA });
      expect(second.summary.f2).toBe(1);

      const res = await req("POST", `/api/contacts/${contactA}/confirm`, tok.hnC, { confirmedOn: today(), method: "pcr", symptomOnset: today() });
      const created = await ok(res, 201);
      expect(created).toMatchObject({
        sourceCaseId: caseId,
        sourceContactId: contactA,
        person: { id: hnA },
        provinceCode: "01",
        communeCode: "00070",
        status: "active",
        method: "pcr",
      });
      expect(created.tracedAt).not.toBeNull();
      expect(created.tracedDegree).toBe(1);
      const a = await ok(await req("GET", `/api/contacts/${contactA}`, tok.hnP));
      expect(a.status).toBe("became_f0");
      const newTrace = await ok(await req("GET", `/api/cases/${created.id}/trace`, tok.hnP));
      const f1s = newTrace.contacts.filter((c: any) => c.degree === 1).map((c: any) => c.person.id);
      expect(f1s).toContain(f2);
      expect(f1s).not.toContain(f0.id); // an active case is nobody's contact
      const moved = newTrace.contacts.find((c: any) => c.person.id === f2);
      expect(moved).toMatchObject({ caseId: created.id, degree: 1, viaContactId: null });
      // confirming twice is refused; the new case is in the cluster of the first
      expect((await req("POST", `/api/contacts/${contactA}/confirm`, tok.hnC, { confirmedOn: today(), method: "pcr" })).status).toBe(409);
      const graph = await ok(await req("GET", `/api/cases/${caseId}/graph`, tok.hnP));
      expect(graph.nodes.filter((n: any) => n.kind === "case")).toHaveLength(2);
      expect(graph.edges.filter((e: any) => e.kind === "infected")).toHaveLength(1);
      // the new case's person is a case: a later trace of the first case does not list it as a new contact
      const rerun = await ok(await req("POST", `/api/cases/${caseId}/trace`, tok.hnP, { degree: 1, marginMinutes: 0 }));
      expect(rerun.summary.newContacts).toBe(0);
    });

    it("a case registered by hand for a person who is an open contact: every open contact became the case, which comes from the latest", async () => {
      // hnB is an F1 of the first case and, since the test above, of hnA's case too
      const open = await t.deps.database.query<{ id: string; case_id: string }>(
        sql`select id, case_id from contacts where person_id = ${hnB} and status <> 'became_f0' order by last_exposure_at desc, id desc`,
      );
      expect(open.map((c) => c.id)).toContain(contactB);
      const created = await ok(await req("POST", "/api/cases", tok.hnC, { personId: hnB, confirmedOn: today(), method: "rapid_antigen" }), 201);
      expect(created).toMatchObject({ sourceCaseId: open[0]!.case_id, sourceContactId: open[0]!.id, person: { id: hnB } });
      expect((await ok(await req("GET", `/api/contacts/${contactB}`, tok.hnP))).status).toBe("became_f0");
      const [left] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from contacts where person_id = ${hnB} and status <> 'became_f0'`);
      expect(left!.n).toBe(0);
      // a person who is nobody's contact: a case of its own, no source
      const other = await ok(await req("POST", "/api/cases", tok.hnC, { personId: await person("Lê Văn Mới"), confirmedOn: today(), method: "pcr" }), 201);
      expect(other).toMatchObject({ sourceCaseId: null, sourceContactId: null });
    });
  });
});
