/**
 * Vaccination reference data, sites, slots, registration and appointments through the API
 * (docs/VACCINATION.md), on both engines: products and lots; site CRUD, staff assignment and
 * scope (other provinces and other sites answer 404); publishing slots within the day's capacity
 * and without overlaps; the citizen's register → book → QR → cancel; two bookings racing for the
 * last place; officers and site staff registering, listing (priority groups first) and checking
 * people in by code; audit rows for every read and change of an appointment.
 */
import { randomInt } from "node:crypto";
import QRCode from "qrcode";
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, siteStaff, users, vaccinationSites, vaccinationSlots, vaccinations, vaccineLots } from "../../db/schema";
import { vnDay, vnDayRange } from "../../server/checkins/colour";
import { addDays } from "../../server/vaccination/doses/rules";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const HK = "Trạm Y tế phường Hoàn Kiếm";
const CUA_NAM = "Trung tâm Y tế Cửa Nam";
const SAI_GON = "Trạm Y tế phường Sài Gòn";

describe.each(engines())("vaccination sites and appointments on %s", (engine) => {
  let t: TestPlatform;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnSite" | "hnVenue" | "hcmP" | "hcmC" | "hcmSite", string>;
  const site = { hk: "", cuaNam: "", saiGon: "" };
  let today = "";

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return status === 204 ? null : json(res);
  };
  const fails = async (res: Response, status: number, code?: string) => {
    const text = await res.clone().text();
    expect(res.status, text).toBe(status);
    if (code) expect(JSON.parse(text).error.code).toBe(code);
    return JSON.parse(text);
  };
  const get = (path: string, token?: string) => t.request("GET", path, { token });
  const post = (path: string, token: string | undefined, body?: unknown) => t.request("POST", path, { token, body });
  const auditCount = async (action: string, subjectId?: string) =>
    Number(
      (
        await t.deps.database.query<{ n: number }>(
          subjectId
            ? sql`select count(*)::int as n from audit_log where action = ${action} and subject_id = ${subjectId}`
            : sql`select count(*)::int as n from audit_log where action = ${action}`,
        )
      )[0]!.n,
    );

  /** A signed-in citizen with a profile in `communeCode`. */
  async function citizen(communeCode = "00070", fullName = "Nguyễn Thị Hoa") {
    const phone = newPhone();
    await ok(await post("/api/citizen/otp", undefined, { phone }), 202);
    const s = await ok(await post("/api/citizen/verify", undefined, { phone, code: t.deps.sms.lastCode(phone) }));
    const token = s.accessToken as string;
    const profile = await ok(await t.request("PUT", "/api/me/profile", { token, body: { fullName, birthDate: "1990-05-06", sex: "female", communeCode } }));
    return { token, personId: profile.personId as string, phone };
  }

  /** A slot of `siteId` happening now (today, not over), written directly: demo slots end at 11:00. */
  async function slotNow(siteId: string, capacity = 5) {
    const now = t.deps.now();
    const [s] = await t.deps.db
      .insert(vaccinationSlots)
      .values({ siteId, startsAt: now, endsAt: new Date(now.getTime() + 3600_000), capacity })
      .returning();
    return s!.id;
  }

  /** The first demo slot of a day at Hoàn Kiếm (demo: 08–11 every day of the week). */
  async function demoSlot(day: string) {
    const [s] = await t.deps.db
      .select()
      .from(vaccinationSlots)
      .where(and(eq(vaccinationSlots.siteId, site.hk), gte(vaccinationSlots.startsAt, vnDayRange(day).start)))
      .orderBy(asc(vaccinationSlots.startsAt))
      .limit(1);
    return s!.id;
  }

  const slotRow = async (id: string) => (await t.deps.db.select().from(vaccinationSlots).where(eq(vaccinationSlots.id, id)))[0];
  const codeOf = async (appointmentId: string) => (await t.deps.db.select().from(appointments).where(eq(appointments.id, appointmentId)))[0]!.code;
  const typedPerson = (fullName: string) => ({ fullName, phone: newPhone(), birthYear: 1985, communeCode: "00070" });

  beforeAll(async () => {
    t = await createTestPlatform(engine, { OTP_PER_IP: "1000" });
    const names = {
      admin: "admin",
      hnP: "hn.province",
      hnH: "hn.health",
      hnC: "hn.commune",
      hnSite: "hn.site",
      hnVenue: "hn.venue",
      hcmP: "hcm.province",
      hcmC: "hcm.commune",
      hcmSite: "hcm.site",
    } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    const sites = await t.deps.db.select().from(vaccinationSites);
    site.hk = sites.find((s) => s.name === HK)!.id;
    site.cuaNam = sites.find((s) => s.name === CUA_NAM)!.id;
    site.saiGon = sites.find((s) => s.name === SAI_GON)!.id;
    today = vnDay(t.deps.now());
  });
  afterAll(() => t?.close());

  describe("reference data", () => {
    it("lists the seeded products to any signed-in user, and nobody else", async () => {
      const { items } = await ok(await get("/api/vaccine-products", tok.hnSite));
      expect(items.map((p: any) => p.code)).toEqual(["AB", "AZ", "HV", "MO", "PF", "SV", "VC"]);
      expect(items.find((p: any) => p.code === "AZ")).toMatchObject({ cvx: "210", primaryDoses: 2, minIntervalDays: 28, mixableWith: ["PF", "MO"], active: true });
      await ok(await get("/api/vaccine-products", tok.hnVenue));
      await fails(await get("/api/vaccine-products"), 401, "unauthorized");
    });

    it("lists lots without the expired ones unless asked, by lot number prefix, page by page", async () => {
      const current = await ok(await get("/api/vaccine-lots?limit=500", tok.hnSite));
      const numbers = current.items.map((l: any) => l.lotNumber);
      expect(numbers).toEqual(expect.arrayContaining(["AZ-2026-001", "PF-2026-001", "MO-2026-001", "VC-2026-001"]));
      expect(numbers).not.toContain("AZ-2025-EXP");
      expect(current.items.every((l: any) => l.expired === false)).toBe(true);

      const az = await ok(await get("/api/vaccine-lots?q=az-&includeExpired=true", tok.hnC));
      expect(az.items.map((l: any) => [l.lotNumber, l.expired])).toEqual([
        ["AZ-2025-EXP", true],
        ["AZ-2026-001", false],
      ]);
      expect(az.items[0].expiresOn).toBe(addDays(today, -30));
      const pf = await ok(await get("/api/vaccine-lots?productCode=PF", tok.hnC));
      expect(pf.items.every((l: any) => l.productCode === "PF")).toBe(true);

      const first = await ok(await get("/api/vaccine-lots?limit=2&includeExpired=true", tok.hnP));
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));
      const rest = await ok(await get(`/api/vaccine-lots?limit=500&includeExpired=true&cursor=${first.nextCursor}`, tok.hnP));
      const all = [...first.items, ...rest.items].map((l: any) => l.lotNumber);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual([...all].sort());
      expect(all).toContain("AZ-2025-EXP");

      await fails(await get("/api/vaccine-lots", tok.hnVenue), 403, "forbidden");
      await fails(await get("/api/vaccine-lots?cursor=nonsense", tok.hnP), 400, "validation_failed");
    });

    it("adds a lot (province, health, national); the same lot twice is 409; expiry is checked against today", async () => {
      const lot = await ok(await post("/api/vaccine-lots", tok.hnH, { productCode: "pf", lotNumber: "PF-T-777", expiresOn: addDays(today, 90), dosesReceived: 1200 }), 201);
      expect(lot).toMatchObject({ productCode: "PF", lotNumber: "PF-T-777", expiresOn: addDays(today, 90), dosesReceived: 1200, expired: false });
      await fails(await post("/api/vaccine-lots", tok.hnP, { productCode: "PF", lotNumber: "PF-T-777", expiresOn: addDays(today, 30) }), 409, "conflict");
      // the same number under another product is another lot
      await ok(await post("/api/vaccine-lots", tok.admin, { productCode: "MO", lotNumber: "PF-T-777", expiresOn: addDays(today, 30) }), 201);
      const old = await ok(await post("/api/vaccine-lots", tok.hcmP, { productCode: "AZ", lotNumber: "AZ-T-OLD", expiresOn: addDays(today, -1) }), 201);
      expect(old.expired).toBe(true);
      const lastDay = await ok(await post("/api/vaccine-lots", tok.hcmP, { productCode: "AZ", lotNumber: "AZ-T-TODAY", expiresOn: today }), 201);
      expect(lastDay.expired).toBe(false);

      const unknown = await fails(await post("/api/vaccine-lots", tok.hnP, { productCode: "XX", lotNumber: "X-1", expiresOn: addDays(today, 30) }), 400, "validation_failed");
      expect(unknown.error.details[0].path).toBe("productCode");
      const bad = await fails(await post("/api/vaccine-lots", tok.hnP, { productCode: "PF", lotNumber: "", expiresOn: "2026-02-30" }), 400, "validation_failed");
      expect(bad.error.details.map((d: any) => d.path).sort()).toEqual(["expiresOn", "lotNumber"]);
      expect(bad.error.details[0].message).toContain(" / ");
      await fails(await post("/api/vaccine-lots", tok.hnC, { productCode: "PF", lotNumber: "PF-T-C", expiresOn: addDays(today, 30) }), 403, "forbidden");
      await fails(await post("/api/vaccine-lots", tok.hnSite, { productCode: "PF", lotNumber: "PF-T-S", expiresOn: addDays(today, 30) }), 403, "forbidden");
      expect(await auditCount("vaccine_lot.create", lot.id)).toBe(1);
    });
  });

  describe("sites", () => {
    const namesOf = async (token: string, query = "") => (await ok(await get(`/api/vaccination-sites?limit=500${query}`, token))).items.map((s: any) => s.name);

    it("lists the sites of the caller's area; site staff only their own", async () => {
      expect(await namesOf(tok.hnC)).toEqual([HK]);
      expect(await namesOf(tok.hnP)).toEqual(expect.arrayContaining([HK, CUA_NAM]));
      expect(await namesOf(tok.hnP)).not.toContain(SAI_GON);
      expect(await namesOf(tok.hnH)).not.toContain(SAI_GON);
      expect(await namesOf(tok.hcmP)).toEqual([SAI_GON]);
      expect(await namesOf(tok.hnSite)).toEqual([HK]);
      expect(await namesOf(tok.hcmSite)).toEqual([SAI_GON]);
      expect(await namesOf(tok.admin)).toEqual(expect.arrayContaining([HK, CUA_NAM, SAI_GON]));
      expect(await namesOf(tok.hnP, "&q=cửa")).toEqual([CUA_NAM]);
      expect(await namesOf(tok.hnP, "&communeCode=00082")).toEqual([CUA_NAM]);
      // a filter naming another province's commune finds nothing rather than its sites
      expect(await namesOf(tok.hnP, "&communeCode=26734")).toEqual([]);
      await fails(await get("/api/vaccination-sites", tok.hnVenue), 403, "forbidden");
      const page1 = await ok(await get("/api/vaccination-sites?limit=1", tok.admin));
      const page2 = await ok(await get(`/api/vaccination-sites?limit=1&cursor=${page1.nextCursor}`, tok.admin));
      expect(page2.items[0].name > page1.items[0].name).toBe(true);
    });

    it("creates and edits sites of the caller's area only; other areas' sites answer 404", async () => {
      const created = await ok(
        await post("/api/vaccination-sites", tok.hnC, { name: "Điểm tiêm lưu động Hàng Bạc", address: "10 Hàng Bạc", communeCode: "00070", capacityPerDay: 120 }),
        201,
      );
      expect(created).toMatchObject({ provinceCode: "01", communeCode: "00070", status: "active", capacityPerDay: 120 });
      expect(await auditCount("vaccination_site.create", created.id)).toBe(1);
      await fails(await post("/api/vaccination-sites", tok.hnC, { name: "Ngoài xã", address: "1 Cửa Nam", communeCode: "00082", capacityPerDay: 50 }), 403, "forbidden");
      await fails(await post("/api/vaccination-sites", tok.hcmP, { name: "Ngoài tỉnh", address: "2 Hàng Bài", communeCode: "00070", capacityPerDay: 50 }), 403, "forbidden");
      await fails(await post("/api/vaccination-sites", tok.hnSite, { name: "Nhân viên", address: "2 Hàng Bài", communeCode: "00070", capacityPerDay: 50 }), 403, "forbidden");
      await fails(await post("/api/vaccination-sites", tok.hnH, { name: "Y tế", address: "2 Hàng Bài", communeCode: "00070", capacityPerDay: 50 }), 403, "forbidden");
      const invalid = await fails(await post("/api/vaccination-sites", tok.hnP, { name: "X", address: "", communeCode: "99999", capacityPerDay: 0 }), 400, "validation_failed");
      expect(invalid.error.details.map((d: any) => d.path).sort()).toEqual(["address", "capacityPerDay", "name"]);

      const detail = await ok(await get(`/api/vaccination-sites/${site.hk}`, tok.hnP));
      expect(detail.staff).toEqual([expect.objectContaining({ username: "hn.site" })]);
      await ok(await get(`/api/vaccination-sites/${site.hk}`, tok.hnSite));
      for (const token of [tok.hcmP, tok.hcmC, tok.hcmSite]) await fails(await get(`/api/vaccination-sites/${site.hk}`, token), 404, "not_found");
      await fails(await get(`/api/vaccination-sites/${site.cuaNam}`, tok.hnSite), 404, "not_found");
      await fails(await get(`/api/vaccination-sites/${site.cuaNam}`, tok.hnC), 404, "not_found");

      const edited = await ok(await t.request("PATCH", `/api/vaccination-sites/${created.id}`, { token: tok.hnC, body: { capacityPerDay: 150, status: "closed" } }));
      expect(edited).toMatchObject({ capacityPerDay: 150, status: "closed", name: "Điểm tiêm lưu động Hàng Bạc" });
      await fails(await t.request("PATCH", `/api/vaccination-sites/${site.hk}`, { token: tok.hcmP, body: { name: "Hijacked" } }), 404, "not_found");
      await fails(await t.request("PATCH", `/api/vaccination-sites/${site.hk}`, { token: tok.hnSite, body: { name: "Hijacked" } }), 403, "forbidden");
      await fails(await t.request("PATCH", `/api/vaccination-sites/${site.hk}`, { token: tok.hnC, body: {} }), 400, "validation_failed");
      const [hk] = await t.deps.db.select().from(vaccinationSites).where(eq(vaccinationSites.id, site.hk));
      expect(hk!.name).toBe(HK);
      // a closed site is not open for booking
      const open = await ok(await get("/api/vaccination-sites/open?provinceCode=01"));
      expect(open.items.map((s: any) => s.name)).toEqual(expect.arrayContaining([HK, CUA_NAM]));
      expect(open.items.map((s: any) => s.name)).not.toContain("Điểm tiêm lưu động Hàng Bạc");
      expect(Object.keys(open.items[0]).sort()).toEqual(["address", "communeCode", "id", "name", "provinceCode"]);
      expect((await ok(await get("/api/vaccination-sites/open?communeCode=26734"))).items.map((s: any) => s.name)).toEqual([SAI_GON]);
    });

    it("assigns and unassigns site_staff accounts of the site's commune, within the caller's area", async () => {
      const made = await ok(
        await post("/api/users", tok.hnC, { username: "hk.vaccinator", displayName: "Bàn tiêm 2", password: "Passw0rd!", role: "site_staff", provinceCode: "01", communeCode: "00070" }),
        201,
      );
      const fresh = await ok(
        await post("/api/vaccination-sites", tok.hnC, { name: "Điểm tiêm Nhà văn hóa", address: "5 Đinh Tiên Hoàng", communeCode: "00070", capacityPerDay: 80 }),
        201,
      );
      const staffPath = (siteId: string, userId: string) => `/api/vaccination-sites/${siteId}/staff/${userId}`;
      await ok(await t.request("PUT", staffPath(fresh.id, made.id), { token: tok.hnC }), 204);
      await ok(await t.request("PUT", staffPath(fresh.id, made.id), { token: tok.hnC }), 204); // twice is harmless
      const detail = await ok(await get(`/api/vaccination-sites/${fresh.id}`, tok.hnC));
      expect(detail.staff).toEqual([{ userId: made.id, username: "hk.vaccinator", displayName: "Bàn tiêm 2" }]);
      const staffToken = await t.login("hk.vaccinator", "Passw0rd!");
      expect(await namesOf(staffToken)).toEqual(["Điểm tiêm Nhà văn hóa"]);
      expect(await auditCount("vaccination_site.staff_assign", fresh.id)).toBe(2);

      const userId = async (username: string) => (await t.deps.db.select().from(users).where(eq(users.username, username)))[0]!.id;
      // not a site_staff account → 400; another province's account → 404; another commune's → 400
      const venue = await fails(await t.request("PUT", staffPath(fresh.id, await userId("hn.venue")), { token: tok.hnC }), 400, "validation_failed");
      expect(venue.error.details[0].path).toBe("userId");
      await fails(await t.request("PUT", staffPath(fresh.id, await userId("hcm.site")), { token: tok.hnC }), 404, "not_found");
      await fails(await t.request("PUT", staffPath(site.cuaNam, await userId("hn.site")), { token: tok.hnP }), 400, "validation_failed");
      // another province's site → 404; site staff may not assign
      await fails(await t.request("PUT", staffPath(site.hk, await userId("hcm.site")), { token: tok.hcmP }), 404, "not_found");
      await fails(await t.request("PUT", staffPath(fresh.id, made.id), { token: tok.hnSite }), 403, "forbidden");
      await fails(await t.request("DELETE", staffPath(site.hk, await userId("hn.site")), { token: tok.hcmP }), 404, "not_found");

      await ok(await t.request("DELETE", staffPath(fresh.id, made.id), { token: tok.hnC }), 204);
      await fails(await t.request("DELETE", staffPath(fresh.id, made.id), { token: tok.hnC }), 404, "not_found");
      expect(await namesOf(staffToken)).toEqual([]);
      expect(await t.deps.db.select().from(siteStaff).where(eq(siteStaff.userId, made.id))).toEqual([]);
      expect(await auditCount("vaccination_site.staff_unassign", fresh.id)).toBe(1);
    });
  });

  describe("slots", () => {
    it("shows a site's slots to anyone, today … +14 days by default, with free places", async () => {
      const { items } = await ok(await get(`/api/vaccination-sites/${site.hk}/slots`));
      const demo = items.filter((s: any) => s.productCode === "PF" && s.capacity === 20);
      expect(demo.length).toBeGreaterThanOrEqual(21);
      expect(demo[0]).toMatchObject({ siteId: site.hk, capacity: 20, free: 20 - demo[0].booked });
      expect(items.map((s: any) => s.startsAt)).toEqual([...items.map((s: any) => s.startsAt)].sort());
      const one = await ok(await get(`/api/vaccination-sites/${site.hk}/slots?from=${addDays(today, 1)}&to=${addDays(today, 1)}`));
      expect(one.items.filter((s: any) => s.capacity === 20)).toHaveLength(3);
      expect(one.items.every((s: any) => vnDay(new Date(s.startsAt)) === addDays(today, 1))).toBe(true);
      await fails(await get(`/api/vaccination-sites/${site.hk}/slots?from=${today}&to=${addDays(today, 100)}`), 400, "validation_failed");
      await fails(await get(`/api/vaccination-sites/${site.hk}/slots?from=${today}&to=${addDays(today, -1)}`), 400, "validation_failed");
      await fails(await get(`/api/vaccination-sites/00000000-0000-4000-8000-000000000000/slots`), 404, "not_found");
    });

    it("publishes a day of slots within the site's capacity per day and without overlaps", async () => {
      const day = addDays(today, 20);
      const path = `/api/vaccination-sites/${site.hk}/slots`;
      // Hoàn Kiếm takes 300 a day: 7 half-hour slots of 40 (the last one ends at 11:30) = 280
      const morning = await ok(await post(path, tok.hnSite, { day, startTime: "08:00", endTime: "11:30", slotMinutes: 30, capacityPerSlot: 40, productCode: "az" }), 201);
      expect(morning.items).toHaveLength(7);
      expect(morning.items[0]).toMatchObject({ siteId: site.hk, capacity: 40, booked: 0, free: 40, productCode: "AZ", startsAt: `${day}T01:00:00.000Z` });
      expect(morning.items[6]).toMatchObject({ startsAt: `${day}T04:00:00.000Z`, endsAt: `${day}T04:30:00.000Z` });
      expect(await auditCount("vaccination_slots.publish", site.hk)).toBeGreaterThanOrEqual(1);

      const over = await fails(await post(path, tok.hnSite, { day, startTime: "13:00", endTime: "14:00", slotMinutes: 60, capacityPerSlot: 30 }), 400, "validation_failed");
      expect(over.error.details[0].path).toBe("capacityPerSlot");
      await fails(await post(path, tok.hnC, { day, startTime: "11:00", endTime: "12:00", slotMinutes: 60, capacityPerSlot: 5 }), 409, "conflict");
      const afternoon = await ok(await post(path, tok.hnC, { day, startTime: "13:00", endTime: "14:00", slotMinutes: 60, capacityPerSlot: 20 }), 201);
      expect(afternoon.items).toHaveLength(1);
      const { items } = await ok(await get(`${path}?from=${day}&to=${day}`));
      expect(items.reduce((n: number, s: any) => n + s.capacity, 0)).toBe(300);

      await fails(await post(path, tok.hnSite, { day: addDays(today, -1), startTime: "08:00", endTime: "09:00", slotMinutes: 60, capacityPerSlot: 5 }), 400, "validation_failed");
      const backwards = await fails(await post(path, tok.hnSite, { day, startTime: "15:00", endTime: "14:00", slotMinutes: 60, capacityPerSlot: 5 }), 400, "validation_failed");
      expect(backwards.error.details[0].path).toBe("endTime");
      // other sites: another commune's site for site staff, another province's for officers
      const other = { day: addDays(today, 21), startTime: "08:00", endTime: "09:00", slotMinutes: 60, capacityPerSlot: 5 };
      await fails(await post(`/api/vaccination-sites/${site.cuaNam}/slots`, tok.hnSite, other), 404, "not_found");
      await fails(await post(path, tok.hcmP, other), 404, "not_found");
      await fails(await post(path, tok.hcmSite, other), 404, "not_found");
      await fails(await post(path, tok.hnH, other), 403, "forbidden");
    });

    it("deletes only an empty slot, and only at sites of the caller", async () => {
      const day = addDays(today, 22);
      const { items } = await ok(
        await post(`/api/vaccination-sites/${site.hk}/slots`, tok.hnSite, { day, startTime: "08:00", endTime: "10:00", slotMinutes: 60, capacityPerSlot: 5 }),
        201,
      );
      await fails(await t.request("DELETE", `/api/vaccination-slots/${items[0].id}`, { token: tok.hcmSite }), 404, "not_found");
      await fails(await t.request("DELETE", `/api/vaccination-slots/${items[0].id}`, { token: tok.hcmP }), 404, "not_found");
      await ok(await t.request("DELETE", `/api/vaccination-slots/${items[0].id}`, { token: tok.hnSite }), 204);
      expect(await slotRow(items[0].id)).toBeUndefined();
      const c = await citizen();
      await ok(await post("/api/me/vaccination/appointments", c.token, { priorityGroup: "general", slotId: items[1].id }), 201);
      await fails(await t.request("DELETE", `/api/vaccination-slots/${items[1].id}`, { token: tok.hnSite }), 409, "conflict");
      expect(await slotRow(items[1].id)).toBeDefined();
    });
  });

  describe("citizens' registration", () => {
    it("registers, books, shows the QR, cancels (freeing the place) and registers again", async () => {
      const c = await citizen();
      const registered = await ok(await post("/api/me/vaccination/appointments", c.token, { priorityGroup: "elderly" }), 201);
      expect(registered).toMatchObject({ personId: c.personId, personName: "Nguyễn Thị Hoa", doseNumber: 1, priorityGroup: "elderly", status: "registered", siteId: null, slot: null });
      expect(registered.code).toMatch(/^[A-Za-z0-9_-]{24}$/); // 144 random bits
      const [row] = await t.deps.db.select().from(appointments).where(eq(appointments.id, registered.id));
      expect(row).toMatchObject({ provinceCode: "01", communeCode: "00070", code: registered.code });
      // one open registration per person
      await fails(await post("/api/me/vaccination/appointments", c.token, { priorityGroup: "general" }), 409, "conflict");

      const slotId = await demoSlot(addDays(today, 2));
      const before = (await slotRow(slotId))!.booked;
      const booked = await ok(await post(`/api/me/vaccination/appointments/${registered.id}/book`, c.token, { slotId }));
      expect(booked).toMatchObject({ status: "booked", siteId: site.hk, siteName: HK, code: registered.code });
      expect(booked.slot.startsAt).toBe((await slotRow(slotId))!.startsAt.toISOString());
      expect((await slotRow(slotId))!.booked).toBe(before + 1);
      const publicSlots = await ok(await get(`/api/vaccination-sites/${site.hk}/slots?from=${addDays(today, 2)}&to=${addDays(today, 2)}`));
      expect(publicSlots.items.find((s: any) => s.id === slotId).free).toBe(20 - before - 1);

      // moving to another slot frees the first place
      const later = (await ok(await get(`/api/vaccination-sites/${site.hk}/slots?from=${addDays(today, 3)}&to=${addDays(today, 3)}`))).items[0].id;
      await ok(await post(`/api/me/vaccination/appointments/${registered.id}/book`, c.token, { slotId: later }));
      expect((await slotRow(slotId))!.booked).toBe(before);
      await ok(await post(`/api/me/vaccination/appointments/${registered.id}/book`, c.token, { slotId }));

      const qr = await get(`/api/me/vaccination/appointments/${registered.id}/qr.svg`, c.token);
      expect(qr.status).toBe(200);
      expect(qr.headers.get("content-type")).toContain("image/svg+xml");
      const svg = await qr.text();
      expect(svg).toBe(await QRCode.toString(`PHC-APT:${registered.code}`, { type: "svg", errorCorrectionLevel: "M", margin: 2 }));

      const mine = await ok(await get("/api/me/vaccination/appointments", c.token));
      expect(mine.items.map((a: any) => a.id)).toEqual([registered.id]);
      expect(mine.items[0].code).toBe(registered.code);

      const cancelled = await ok(await post(`/api/me/vaccination/appointments/${registered.id}/cancel`, c.token));
      expect(cancelled.status).toBe("cancelled");
      expect((await slotRow(slotId))!.booked).toBe(before);
      await fails(await post(`/api/me/vaccination/appointments/${registered.id}/cancel`, c.token), 409, "appointment_cancelled");
      await fails(await post(`/api/me/vaccination/appointments/${registered.id}/book`, c.token, { slotId }), 409, "appointment_cancelled");
      await fails(await get(`/api/me/vaccination/appointments/${registered.id}/qr.svg`, c.token), 409, "appointment_cancelled");

      // registered and booked at once
      const again = await ok(await post("/api/me/vaccination/appointments", c.token, { priorityGroup: "general", slotId }), 201);
      expect(again).toMatchObject({ status: "booked", doseNumber: 1, siteId: site.hk });
      expect(again.code).not.toBe(registered.code);
      const newestFirst = await ok(await get("/api/me/vaccination/appointments", c.token));
      expect(newestFirst.items.map((a: any) => a.id)).toEqual([again.id, registered.id]);

      for (const action of ["me.appointment.create", "me.appointment.book", "me.appointment.cancel", "me.appointment.qr"])
        expect(await auditCount(action, registered.id), action).toBeGreaterThanOrEqual(1);
      expect(await auditCount("me.appointments.read")).toBeGreaterThanOrEqual(2);
    });

    it("registers family members only; other people's appointments answer 404", async () => {
      const c = await citizen();
      const child = await ok(await post("/api/me/family", c.token, { relation: "child", fullName: "Nguyễn Bé Na", birthYear: 2012 }), 201);
      const forChild = await ok(await post("/api/me/vaccination/appointments", c.token, { personId: child.personId, priorityGroup: "general" }), 201);
      expect(forChild).toMatchObject({ personId: child.personId, personName: "Nguyễn Bé Na", doseNumber: 1 });
      // the account's own registration is separate from the child's
      await ok(await post("/api/me/vaccination/appointments", c.token, { priorityGroup: "general" }), 201);

      const stranger = await citizen("00070", "Người Lạ");
      await fails(await post("/api/me/vaccination/appointments", c.token, { personId: stranger.personId, priorityGroup: "general" }), 404, "not_found");
      const slotId = await demoSlot(addDays(today, 4));
      await fails(await post(`/api/me/vaccination/appointments/${forChild.id}/book`, stranger.token, { slotId }), 404, "not_found");
      await fails(await post(`/api/me/vaccination/appointments/${forChild.id}/cancel`, stranger.token), 404, "not_found");
      await fails(await get(`/api/me/vaccination/appointments/${forChild.id}/qr.svg`, stranger.token), 404, "not_found");
      expect((await ok(await get("/api/me/vaccination/appointments", stranger.token))).items).toEqual([]);
      expect((await ok(await get("/api/me/vaccination/appointments", c.token))).items).toHaveLength(2);
      // officers' routes are not for citizens, and citizens' not for officers
      await fails(await get("/api/vaccination/appointments", c.token), 403, "forbidden");
      await fails(await get("/api/me/vaccination/appointments", tok.hnC), 403, "forbidden");
      await fails(await post("/api/me/vaccination/appointments", c.token, { priorityGroup: "astronaut" }), 400, "validation_failed");
    });

    it("takes the next dose from the doses recorded and refuses one already given", async () => {
      const [demo] = await t.deps.db.select().from(vaccinations).where(and(eq(vaccinations.provinceCode, "01"), eq(vaccinations.doseNumber, 2))).limit(1);
      const personId = demo!.personId;
      await fails(await post("/api/vaccination/appointments", tok.hnC, { personId, priorityGroup: "general", doseNumber: 2 }), 409, "dose_exists");
      await fails(await post("/api/vaccination/appointments", tok.hnC, { personId, priorityGroup: "general", doseNumber: 4 }), 422, "dose_out_of_order");
      const third = await ok(await post("/api/vaccination/appointments", tok.hnC, { personId, priorityGroup: "chronic_disease" }), 201);
      expect(third).toMatchObject({ personId, doseNumber: 3, status: "registered", code: null });
      await fails(await post("/api/vaccination/appointments", tok.hnC, { personId, priorityGroup: "general" }), 409, "conflict");
      // booking asks the same rules: dose 2 (PF) was 20 days ago and PF wants 21; Sinopharm is no booster
      const interval = await fails(await post(`/api/vaccination/appointments/${third.id}/book`, tok.hnC, { slotId: await slotNow(site.hk) }), 422, "interval_too_short");
      expect(interval.error.details[0].path).toBe("slotId");
      const start = vnDayRange(addDays(today, 6)).start.getTime() + 14 * 3600_000;
      const [vc] = await t.deps.db
        .insert(vaccinationSlots)
        .values({ siteId: site.hk, startsAt: new Date(start), endsAt: new Date(start + 3600_000), capacity: 5, productCode: "VC" })
        .returning();
      await fails(await post(`/api/vaccination/appointments/${third.id}/book`, tok.hnC, { slotId: vc!.id }), 422, "product_mix_not_allowed");
      const booked = await ok(await post(`/api/vaccination/appointments/${third.id}/book`, tok.hnC, { slotId: await demoSlot(addDays(today, 1)) }));
      expect(booked.status).toBe("booked");
      await ok(await post(`/api/vaccination/appointments/${third.id}/cancel`, tok.hnC));
    });

    it("lets exactly one of two bookings racing for the last place win", async () => {
      const { items } = await ok(
        await post(`/api/vaccination-sites/${site.hk}/slots`, tok.hnSite, { day: addDays(today, 23), startTime: "08:00", endTime: "08:30", slotMinutes: 30, capacityPerSlot: 1 }),
        201,
      );
      const slotId = items[0].id;
      const [a, b] = await Promise.all([citizen(), citizen()]);
      const [ra, rb] = await Promise.all(
        [a, b].map(async (c) => (await ok(await post("/api/me/vaccination/appointments", c.token, { priorityGroup: "general" }), 201)).id as string),
      );
      const answers = await Promise.all([
        post(`/api/me/vaccination/appointments/${ra}/book`, a.token, { slotId }),
        post(`/api/me/vaccination/appointments/${rb}/book`, b.token, { slotId }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = answers.find((r) => r.status === 409)!;
      expect((await json(loser)).error.code).toBe("slot_full");
      expect((await slotRow(slotId))!.booked).toBe(1);
      const statuses = (await t.deps.db.select().from(appointments).where(eq(appointments.slotId, slotId))).map((r) => r.status);
      expect(statuses).toEqual(["booked"]);
      const full = (await ok(await get(`/api/vaccination-sites/${site.hk}/slots?from=${addDays(today, 23)}&to=${addDays(today, 23)}`))).items[0];
      expect(full).toMatchObject({ capacity: 1, booked: 1, free: 0 });
    });
  });

  describe("officers and site staff", () => {
    it("register someone without the app into a slot; site staff need a slot of their sites", async () => {
      const slotId = await demoSlot(addDays(today, 5));
      const made = await ok(
        await post("/api/vaccination/appointments", tok.hnSite, { person: typedPerson("Lê Văn Không Điện Thoại"), priorityGroup: "elderly", slotId }),
        201,
      );
      expect(made).toMatchObject({ personName: "Lê Văn Không Điện Thoại", doseNumber: 1, status: "booked", siteId: site.hk, code: null });
      expect(await auditCount("appointment.create", made.id)).toBe(1);
      const noSlot = await fails(await post("/api/vaccination/appointments", tok.hnSite, { person: typedPerson("A B"), priorityGroup: "general" }), 400, "validation_failed");
      expect(noSlot.error.details[0].path).toBe("slotId");

      // a Cửa Nam slot is not hn.site's; a Hà Nội slot is not HCMC's
      const cuaNamSlots = await ok(
        await post(`/api/vaccination-sites/${site.cuaNam}/slots`, tok.hnP, { day: addDays(today, 5), startTime: "08:00", endTime: "09:00", slotMinutes: 60, capacityPerSlot: 10 }),
        201,
      );
      const cuaNamSlot = cuaNamSlots.items[0].id;
      await fails(await post("/api/vaccination/appointments", tok.hnSite, { person: typedPerson("C D"), priorityGroup: "general", slotId: cuaNamSlot }), 404, "not_found");
      await fails(await post("/api/vaccination/appointments", tok.hcmP, { person: typedPerson("E F"), priorityGroup: "general", slotId }), 404, "not_found");
      await fails(await post(`/api/vaccination/appointments/${made.id}/book`, tok.hnSite, { slotId: cuaNamSlot }), 404, "not_found");
      // another province's people by id: 404; without a slot, officers register only their area's people
      await fails(await post("/api/vaccination/appointments", tok.hcmP, { personId: made.personId, priorityGroup: "general", slotId: await slotNow(site.saiGon) }), 404, "not_found");
      await fails(await post("/api/vaccination/appointments", tok.hcmC, { person: typedPerson("G H"), priorityGroup: "general" }), 403, "forbidden");
      const commune = await ok(await post("/api/vaccination/appointments", tok.hnC, { person: typedPerson("Phạm Thị Đăng Ký"), priorityGroup: "pregnant" }), 201);
      expect(commune).toMatchObject({ status: "registered", siteId: null });

      // book and cancel someone's appointment: only within scope
      await fails(await post(`/api/vaccination/appointments/${commune.id}/book`, tok.hcmP, { slotId }), 404, "not_found");
      await fails(await post(`/api/vaccination/appointments/${commune.id}/cancel`, tok.hcmP), 404, "not_found");
      await fails(await post(`/api/vaccination/appointments/${commune.id}/book`, tok.hnSite, { slotId }), 404, "not_found"); // not at their site yet
      const booked = await ok(await post(`/api/vaccination/appointments/${commune.id}/book`, tok.hnC, { slotId }));
      expect(booked).toMatchObject({ status: "booked", siteId: site.hk, code: null });
      const [row] = await t.deps.db.select().from(appointments).where(eq(appointments.id, commune.id));
      expect(row).toMatchObject({ provinceCode: "01", communeCode: "00070", siteId: site.hk });
      const before = (await slotRow(slotId))!.booked;
      await ok(await post(`/api/vaccination/appointments/${commune.id}/cancel`, tok.hnSite));
      expect((await slotRow(slotId))!.booked).toBe(before - 1);
      expect(await auditCount("appointment.book", commune.id)).toBe(1);
      expect(await auditCount("appointment.cancel", commune.id)).toBe(1);
      await fails(await post("/api/vaccination/appointments", tok.hnH, { person: typedPerson("I K"), priorityGroup: "general" }), 403, "forbidden");
    });

    it("lists a site's day with priority groups first, page by page, within scope only", async () => {
      const slotId = await slotNow(site.hk, 20);
      const groups = ["general", "pregnant", "health_worker", "elderly", "frontline"] as const;
      const ids: Record<string, string> = {};
      for (const g of groups)
        ids[g] = (await ok(await post("/api/vaccination/appointments", tok.hnSite, { person: typedPerson(`Người ${g}`), priorityGroup: g, slotId }), 201)).id;

      const all = await ok(await get(`/api/vaccination/appointments?siteId=${site.hk}&day=${today}&limit=500`, tok.hnSite));
      const ours = all.items.filter((a: any) => Object.values(ids).includes(a.id));
      expect(ours.map((a: any) => a.priorityGroup)).toEqual(["health_worker", "frontline", "elderly", "pregnant", "general"]);
      const rank = (g: string) => ["health_worker", "frontline", "elderly", "chronic_disease", "pregnant", "general"].indexOf(g);
      const ranks = all.items.map((a: any) => rank(a.priorityGroup));
      expect(ranks).toEqual([...ranks].sort((x: number, y: number) => x - y));
      expect(all.items.every((a: any) => a.code === null && a.siteId === site.hk)).toBe(true);

      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const p: any = await ok(await get(`/api/vaccination/appointments?siteId=${site.hk}&day=${today}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, tok.hnSite));
        walked.push(...p.items.map((a: any) => a.id));
        cursor = p.nextCursor;
      } while (cursor);
      expect(walked).toEqual(all.items.map((a: any) => a.id));

      const filtered = await ok(await get(`/api/vaccination/appointments?priorityGroup=pregnant&q=${encodeURIComponent("người pregnant")}`, tok.hnC));
      expect(filtered.items.map((a: any) => a.id)).toContain(ids.pregnant);
      expect(filtered.items.every((a: any) => a.priorityGroup === "pregnant")).toBe(true);
      expect((await ok(await get(`/api/vaccination/appointments?siteId=${site.hk}`, tok.hcmP))).items).toEqual([]);
      expect((await ok(await get(`/api/vaccination/appointments?siteId=${site.hk}`, tok.hcmSite))).items).toEqual([]);
      const hcmAll = await ok(await get("/api/vaccination/appointments?limit=500", tok.hcmP));
      expect(hcmAll.items.some((a: any) => Object.values(ids).includes(a.id))).toBe(false);
      // health officers read their area's list
      expect((await ok(await get(`/api/vaccination/appointments?siteId=${site.hk}&day=${today}&limit=500`, tok.hnH))).items).toHaveLength(all.items.length);
      await fails(await get("/api/vaccination/appointments", tok.hnVenue), 403, "forbidden");
      expect(await auditCount("appointment.list")).toBeGreaterThanOrEqual(4);
    });

    it("checks people in by code: today at their site only; other days, cancelled and other sites refused", async () => {
      const todaySlot = await slotNow(site.hk);
      // someone given AZ at Hoàn Kiếm 40 days ago comes for dose 2 (demo people's dose 2 is too recent for a third today)
      const first = await ok(await post("/api/vaccination/appointments", tok.hnC, { person: typedPerson("Trần Mũi Hai"), priorityGroup: "general" }), 201);
      await ok(await post(`/api/vaccination/appointments/${first.id}/cancel`, tok.hnC));
      const [lot] = await t.deps.db.select().from(vaccineLots).where(eq(vaccineLots.lotNumber, "AZ-2026-001"));
      await t.deps.db.insert(vaccinations).values({
        provinceCode: "01",
        communeCode: "00070",
        personId: first.personId,
        productCode: "AZ",
        lotId: lot!.id,
        doseNumber: 1,
        givenOn: addDays(today, -40),
        siteId: site.hk,
      });
      const appointment = await ok(await post("/api/vaccination/appointments", tok.hnSite, { personId: first.personId, priorityGroup: "general", slotId: todaySlot }), 201);
      expect(appointment.doseNumber).toBe(2);
      const code = await codeOf(appointment.id);

      // another site's staff (Cửa Nam), another province: 404 before anything else
      const other = await ok(
        await post("/api/users", tok.hnP, { username: "cn.vaccinator", displayName: "Bàn tiêm Cửa Nam", password: "Passw0rd!", role: "site_staff", provinceCode: "01", communeCode: "00082" }),
        201,
      );
      await ok(await t.request("PUT", `/api/vaccination-sites/${site.cuaNam}/staff/${other.id}`, { token: tok.hnP }), 204);
      const cuaNamStaff = await t.login("cn.vaccinator", "Passw0rd!");
      for (const token of [cuaNamStaff, tok.hcmSite, tok.hcmP]) await fails(await post("/api/vaccination/appointments/check-in", token, { code: `PHC-APT:${code}` }), 404, "not_found");
      await fails(await post("/api/vaccination/appointments/check-in", tok.hnH, { code }), 403, "forbidden");

      const checked = await ok(await post("/api/vaccination/appointments/check-in", tok.hnSite, { code: `PHC-APT:${code}` }));
      expect(checked).toMatchObject({ id: appointment.id, status: "checked_in", code, siteId: site.hk, doseNumber: 2 });
      expect(checked.checkedInAt).toEqual(expect.any(String));
      expect(checked.person).toMatchObject({ id: first.personId, fullName: "Trần Mũi Hai", birthYear: 1985 });
      expect(checked.history.map((d: any) => [d.doseNumber, d.productCode, d.lotNumber, d.givenOn])).toEqual([[1, "AZ", "AZ-2026-001", addDays(today, -40)]]);
      expect(checked.history[0]).toMatchObject({ siteName: HK, productName: expect.stringContaining("AstraZeneca"), source: "recorded" });
      // scanning again, or typing the bare code, answers the same
      const again = await ok(await post("/api/vaccination/appointments/check-in", tok.hnSite, { code: ` ${code} ` }));
      expect(again).toMatchObject({ status: "checked_in", checkedInAt: checked.checkedInAt });
      expect(await auditCount("appointment.check_in", appointment.id)).toBe(2);

      // another day
      const tomorrow = await ok(
        await post("/api/vaccination/appointments", tok.hnSite, { person: typedPerson("Hẹn Ngày Mai"), priorityGroup: "general", slotId: await demoSlot(addDays(today, 1)) }),
        201,
      );
      await fails(await post("/api/vaccination/appointments/check-in", tok.hnSite, { code: `PHC-APT:${await codeOf(tomorrow.id)}` }), 409, "wrong_day");
      // cancelled (and still 404 to other sites)
      const gone = await ok(await post("/api/vaccination/appointments", tok.hnSite, { person: typedPerson("Đã Hủy Lịch"), priorityGroup: "general", slotId: todaySlot }), 201);
      await ok(await post(`/api/vaccination/appointments/${gone.id}/cancel`, tok.hnSite));
      const goneCode = await codeOf(gone.id);
      await fails(await post("/api/vaccination/appointments/check-in", tok.hnSite, { code: `PHC-APT:${goneCode}` }), 409, "appointment_cancelled");
      await fails(await post("/api/vaccination/appointments/check-in", cuaNamStaff, { code: `PHC-APT:${goneCode}` }), 404, "not_found");
      // officers of the site's area check in too; unknown and malformed codes
      const byOfficer = await ok(await post("/api/vaccination/appointments", tok.hnC, { person: typedPerson("Xã Tiếp Đón"), priorityGroup: "general", slotId: todaySlot }), 201);
      await ok(await post("/api/vaccination/appointments/check-in", tok.hnC, { code: await codeOf(byOfficer.id) }));
      await fails(await post("/api/vaccination/appointments/check-in", tok.hnSite, { code: "PHC-APT:AAAAAAAAAAAAAAAAAAAAAAAA" }), 404, "not_found");
      await fails(await post("/api/vaccination/appointments/check-in", tok.hnSite, { code: "hello" }), 400, "validation_failed");
      // a checked-in appointment cannot be moved
      await fails(await post(`/api/vaccination/appointments/${appointment.id}/book`, tok.hnSite, { slotId: await demoSlot(addDays(today, 1)) }), 409, "conflict");
    });

    it("lets site staff check a personal health QR", async () => {
      const c = await citizen();
      const qr = await ok(await get("/api/me/health-qr", c.token));
      const checked = await ok(await post("/api/health-qr/verify", tok.hnSite, { token: qr.token }));
      expect(checked.birthYear).toBe(1990);
      expect(await auditCount("health_qr.verify", c.personId)).toBeGreaterThanOrEqual(1);
    });
  });
});
