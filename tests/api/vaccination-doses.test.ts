/**
 * Dose records, reactions, a person's record and coverage through the API
 * (docs/VACCINATION.md, "Doses and reactions"), on both engines: coverage against a hand count
 * of the demo data, every dose rule as its error, concurrent recordings of one dose, the
 * appointment a dose fulfils, corrections with the rules re-checked, the reaction follow-up
 * (staff and citizen self-report), roles, out-of-scope refusals (404) and the audit rows.
 */
import { randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, people, vaccinationSites, vaccinations, vaccineLots, vaccineProducts } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { addDays } from "../../server/vaccination/doses/rules";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";
import { earlierToday } from "../support/vn-time";

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const DEMO_COMMUNES = readFileSync(fileURLToPath(new URL("../../db/seed/demo-communes.csv", import.meta.url)), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [code, name, provinceCode, population] = line.split(",");
    return { code: code!, name: name!, provinceCode: provinceCode!, population: Number(population) };
  });
const pct = (people: number, population: number) => Math.round((people * 10_000) / population) / 100;

describe.each(engines())("vaccination doses on %s", (engine) => {
  let t: TestPlatform;
  let today: string;
  const tok = {} as Record<"admin" | "hnP" | "hnH" | "hnC" | "hnSite" | "hcmP" | "hcmC" | "hcmSite" | "hnVenue", string>;
  const site = { hk: "", cuaNam: "", saiGon: "" };
  const lot = { az: "", pf: "", mo: "", vc: "", azExpired: "" };

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json(res);
  };
  const fails = async (res: Response, status: number, code: string) => {
    expect(res.status, await res.clone().text()).toBe(status);
    const body = await json(res);
    expect(body.error.code).toBe(code);
    return body.error as { code: string; message: string; details?: { path: string; message: string }[] };
  };
  const get = (path: string, token: string) => t.request("GET", path, { token });
  const record = (token: string, body: Record<string, unknown>) => t.request("POST", "/api/vaccinations", { token, body });
  const auditRows = (action: string, subjectId?: string) =>
    t.deps.database.query<{ actor_username: string; province_code: string; commune_code: string | null; details: any; subject_id: string | null }>(
      subjectId
        ? sql`select actor_username, province_code, commune_code, details, subject_id from audit_log where action = ${action} and subject_id = ${subjectId} order by id`
        : sql`select actor_username, province_code, commune_code, details, subject_id from audit_log where action = ${action} order by id`,
    );

  /** A person record of Hoàn Kiếm (or elsewhere), written straight to the table. */
  async function newPerson(provinceCode = "01", communeCode = "00070", fullName = "Trần Văn Tiêm") {
    const [p] = await t.deps.db
      .insert(people)
      .values({ provinceCode, communeCode, fullName, birthYear: 1980, phone: newPhone() })
      .returning({ id: people.id });
    return p!.id;
  }
  /** Records a dose and expects 201. */
  async function given(token: string, body: Record<string, unknown>) {
    return ok(await record(token, body), 201);
  }

  beforeAll(async () => {
    t = await createTestPlatform(engine, { TRUST_PROXY: "true" });
    today = vnDay(t.deps.now());
    const names = {
      admin: "admin",
      hnP: "hn.province",
      hnH: "hn.health",
      hnC: "hn.commune",
      hnSite: "hn.site",
      hcmP: "hcm.province",
      hcmC: "hcm.commune",
      hcmSite: "hcm.site",
      hnVenue: "hn.venue",
    } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    const sites = await t.deps.db.select().from(vaccinationSites);
    site.hk = sites.find((s) => s.name === "Trạm Y tế phường Hoàn Kiếm")!.id;
    site.cuaNam = sites.find((s) => s.name === "Trung tâm Y tế Cửa Nam")!.id;
    site.saiGon = sites.find((s) => s.name === "Trạm Y tế phường Sài Gòn")!.id;
    const lots = await t.deps.db.select().from(vaccineLots);
    const byNumber = (n: string) => lots.find((l) => l.lotNumber === n)!.id;
    Object.assign(lot, { az: byNumber("AZ-2026-001"), pf: byNumber("PF-2026-001"), mo: byNumber("MO-2026-001"), vc: byNumber("VC-2026-001"), azExpired: byNumber("AZ-2025-EXP") });
  });
  afterAll(() => t?.close());

  describe("coverage (before anything else is recorded: the demo data only)", () => {
    const hn = DEMO_COMMUNES.filter((c) => c.provinceCode === "01");
    const hcm = DEMO_COMMUNES.filter((c) => c.provinceCode === "79");
    const hnPopulation = hn.reduce((s, c) => s + c.population, 0);
    const hcmPopulation = hcm.reduce((s, c) => s + c.population, 0);

    it("the demo data is what the hand count assumes: 12 people per province with AZ then PF, at the first site of each", async () => {
      const rows = await t.deps.db.select().from(vaccinations);
      expect(rows).toHaveLength(48);
      for (const province of ["01", "79"]) {
        const mine = rows.filter((r) => r.provinceCode === province);
        expect(new Set(mine.map((r) => r.personId)).size).toBe(12);
        expect(mine.filter((r) => r.doseNumber === 1).every((r) => r.productCode === "AZ" && r.givenOn === addDays(today, -60))).toBe(true);
        expect(mine.filter((r) => r.doseNumber === 2).every((r) => r.productCode === "PF" && r.givenOn === addDays(today, -20))).toBe(true);
        expect(new Set(mine.map((r) => r.communeCode))).toEqual(new Set([province === "01" ? "00070" : "26734"]));
      }
    });

    it("national admin: the country, every province as a unit, population summed from the imported communes", async () => {
      const c = await ok(await get("/api/vaccination/coverage", tok.admin));
      expect(c.unit).toEqual({ code: "VN", name: "Việt Nam", level: "country", population: hnPopulation + hcmPopulation });
      expect(c.byDose).toEqual([
        { doseNumber: 1, people: 24, pct: pct(24, hnPopulation + hcmPopulation) },
        { doseNumber: 2, people: 24, pct: pct(24, hnPopulation + hcmPopulation) },
        { doseNumber: 3, people: 0, pct: 0 },
      ]);
      expect(c.units).toHaveLength(34);
      expect(c.units.find((u: any) => u.code === "01")).toEqual({
        code: "01",
        name: "Hà Nội",
        population: hnPopulation,
        dose1: 12,
        dose2: 12,
        dose3: 0,
        dose1Pct: pct(12, hnPopulation),
        dose2Pct: pct(12, hnPopulation),
        dose3Pct: 0,
      });
      expect(c.units.find((u: any) => u.code === "79")).toMatchObject({ dose1: 12, dose2: 12, population: hcmPopulation });
      const noCommunes = c.units.find((u: any) => u.code === "04");
      expect(noCommunes).toMatchObject({ dose1: 0, population: null, dose1Pct: null });
      // daily: 30 days to today by default; the PF doses 20 days ago are in it, the AZ doses 60 days ago are not
      expect(c.daily).toHaveLength(30);
      expect(c.daily[0].day).toBe(addDays(today, -29));
      expect(c.daily.at(-1).day).toBe(today);
      expect(c.daily.find((d: any) => d.day === addDays(today, -20))).toEqual({ day: addDays(today, -20), dose1: 0, dose2: 24, dose3plus: 0 });
      expect(c.daily.reduce((s: number, d: any) => s + d.dose1 + d.dose2 + d.dose3plus, 0)).toBe(24);
      const wide = await ok(await get(`/api/vaccination/coverage?from=${addDays(today, -60)}&to=${addDays(today, -60)}`, tok.admin));
      expect(wide.daily).toEqual([{ day: addDays(today, -60), dose1: 24, dose2: 0, dose3plus: 0 }]);
    });

    it("province officers and health officers: their province, its communes as units", async () => {
      for (const token of [tok.hnP, tok.hnH]) {
        const c = await ok(await get("/api/vaccination/coverage", token));
        expect(c.unit).toEqual({ code: "01", name: "Hà Nội", level: "province", population: hnPopulation });
        expect(c.byDose.slice(0, 2)).toEqual([
          { doseNumber: 1, people: 12, pct: pct(12, hnPopulation) },
          { doseNumber: 2, people: 12, pct: pct(12, hnPopulation) },
        ]);
        expect(c.units.map((u: any) => u.code)).toEqual(hn.map((x) => x.code).sort());
        const hk = c.units.find((u: any) => u.code === "00070");
        expect(hk).toEqual({ code: "00070", name: "Hoàn Kiếm", population: 58000, dose1: 12, dose2: 12, dose3: 0, dose1Pct: pct(12, 58000), dose2Pct: pct(12, 58000), dose3Pct: 0 });
        expect(c.units.filter((u: any) => u.code !== "00070").every((u: any) => u.dose1 === 0 && u.dose2 === 0)).toBe(true);
      }
      const hcm79 = await ok(await get("/api/vaccination/coverage", tok.hcmP));
      expect(hcm79.unit.code).toBe("79");
      expect(hcm79.units.find((u: any) => u.code === "26734")).toMatchObject({ dose1: 12, dose2: 12 });
    });

    it("commune officers: their commune; narrowing inside the area works, outside answers 404", async () => {
      const c = await ok(await get("/api/vaccination/coverage", tok.hnC));
      expect(c.unit).toEqual({ code: "00070", name: "Hoàn Kiếm", level: "commune", population: 58000 });
      expect(c.byDose[0]).toEqual({ doseNumber: 1, people: 12, pct: pct(12, 58000) });
      expect(c.units).toEqual([]);

      const cuaNam = await ok(await get("/api/vaccination/coverage?communeCode=00082", tok.hnP));
      expect(cuaNam.unit).toEqual({ code: "00082", name: "Cửa Nam", level: "commune", population: 42000 });
      expect(cuaNam.byDose.map((d: any) => d.people)).toEqual([0, 0, 0]);
      const province79 = await ok(await get("/api/vaccination/coverage?provinceCode=79", tok.admin));
      expect(province79.unit).toMatchObject({ code: "79", level: "province" });
      expect(province79.byDose[1].people).toBe(12);
      const commune = await ok(await get("/api/vaccination/coverage?provinceCode=01&communeCode=00070", tok.admin));
      expect(commune.unit.code).toBe("00070");

      await fails(await get("/api/vaccination/coverage?communeCode=26734", tok.hnP), 404, "not_found");
      await fails(await get("/api/vaccination/coverage?provinceCode=79", tok.hnP), 404, "not_found");
      await fails(await get("/api/vaccination/coverage?provinceCode=79", tok.hnH), 404, "not_found");
      await fails(await get("/api/vaccination/coverage?communeCode=00082", tok.hnC), 404, "not_found");
      await fails(await get("/api/vaccination/coverage?provinceCode=01", tok.hnC), 404, "not_found");
      await fails(await get("/api/vaccination/coverage?provinceCode=79&communeCode=00070", tok.admin), 404, "not_found");
      await fails(await get("/api/vaccination/coverage?communeCode=99999", tok.admin), 404, "not_found");
      await fails(await get("/api/vaccination/coverage", tok.hnSite), 403, "forbidden");
      await fails(await get(`/api/vaccination/coverage?from=${today}&to=${addDays(today, -1)}`, tok.hnP), 400, "validation_failed");
      expect((await auditRows("vaccination.coverage")).length).toBe(9); // the answered requests, not the refused ones
    });
  });

  describe("recording a dose", () => {
    it("site staff record a dose for a typed-in person: defaults to dose 1 today; the person lives in the site's commune; audited", async () => {
      const phone = newPhone();
      const d = await given(tok.hnSite, {
        person: { fullName: "Lê Thị Mới Tiêm", phone, birthYear: 1975 },
        siteId: site.hk,
        lotId: lot.az,
        vaccinator: "ĐD. Phạm Lan",
      });
      expect(d).toMatchObject({
        productCode: "AZ",
        productName: "Vaxzevria (AstraZeneca)",
        lotId: lot.az,
        lotNumber: "AZ-2026-001",
        doseNumber: 1,
        givenOn: today,
        siteId: site.hk,
        siteName: "Trạm Y tế phường Hoàn Kiếm",
        vaccinator: "ĐD. Phạm Lan",
        source: "recorded",
      });
      const [p] = await t.deps.db.select().from(people).where(eq(people.phone, phone));
      expect(p).toMatchObject({ id: d.personId, provinceCode: "01", communeCode: "00070", fullName: "Lê Thị Mới Tiêm", birthYear: 1975 });
      const [row] = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.id, d.id));
      expect(row).toMatchObject({ provinceCode: "01", communeCode: "00070", source: "recorded" });
      const audit = await auditRows("vaccination.create", d.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_username: "hn.site", province_code: "01", commune_code: "00070" });
      expect(audit[0]!.details).toMatchObject({ personId: d.personId, doseNumber: 1, productCode: "AZ", siteId: site.hk });

      // the next time she walks in, the desk finds her record by phone instead of typing her in again
      const found = await ok(await get(`/api/people/lookup?phone=${phone}`, tok.hnSite));
      expect(found.items.map((x: { id: string }) => x.id)).toEqual([d.personId]);
      await fails(await get(`/api/people/lookup?phone=${phone}`, tok.hnVenue), 403, "forbidden");

      const detail = await ok(await get(`/api/vaccinations/${d.id}`, tok.hnSite));
      expect(detail).toMatchObject({ id: d.id, person: { id: d.personId, fullName: "Lê Thị Mới Tiêm", phone }, adverseEvents: [] });
      expect(await auditRows("vaccination.read", d.id)).toHaveLength(1);
    });

    it("every dose rule answers with its code, the field and a bilingual message; nothing is written", async () => {
      const a = await newPerson();
      await given(tok.hnC, { personId: a, siteId: site.hk, lotId: lot.az, givenOn: addDays(today, -40) });
      const before = await t.deps.db.select().from(vaccinations);

      // a typed-in person refused by a rule is not created either
      const phone = newPhone();
      const expired = await fails(await record(tok.hnSite, { person: { fullName: "Ngô Lô Hết Hạn", phone, birthYear: 1990 }, siteId: site.hk, lotId: lot.azExpired }), 422, "lot_expired");
      expect(expired.details).toEqual([{ path: "lotId", message: expired.message }]);
      expect(expired.message).toContain(addDays(today, -30));
      expect(expired.message).toContain(" / ");
      expect(await t.deps.db.select().from(people).where(eq(people.phone, phone))).toHaveLength(0);

      const outOfOrder = await fails(await record(tok.hnC, { personId: a, siteId: site.hk, lotId: lot.pf, doseNumber: 3 }), 422, "dose_out_of_order");
      expect(outOfOrder.details?.[0]?.path).toBe("doseNumber");
      const mix = await fails(await record(tok.hnC, { personId: a, siteId: site.hk, lotId: lot.vc }), 422, "product_mix_not_allowed");
      expect(mix.details?.[0]?.path).toBe("productCode");
      const exists = await fails(await record(tok.hnC, { personId: a, siteId: site.hk, lotId: lot.az, doseNumber: 1 }), 409, "dose_exists");
      expect(exists.details?.[0]?.path).toBe("doseNumber");
      const future = await fails(await record(tok.hnC, { personId: await newPerson(), siteId: site.hk, lotId: lot.pf, givenOn: addDays(today, 1) }), 422, "dose_in_future");
      expect(future.details?.[0]?.path).toBe("givenOn");

      const b = await newPerson();
      await given(tok.hnSite, { personId: b, siteId: site.hk, lotId: lot.pf, givenOn: addDays(today, -10) });
      const soon = await fails(await record(tok.hnSite, { personId: b, siteId: site.hk, lotId: lot.pf }), 422, "interval_too_short");
      expect(soon.details?.[0]?.path).toBe("givenOn");
      expect(soon.message).toContain(addDays(today, 11)); // the first day it may be given

      // a withdrawn product
      const [hvLot] = await t.deps.db.insert(vaccineLots).values({ productCode: "HV", lotNumber: `HV-T-${randomInt(1e6)}`, expiresOn: addDays(today, 100) }).returning();
      await t.deps.db.update(vaccineProducts).set({ active: false }).where(eq(vaccineProducts.code, "HV"));
      try {
        await fails(await record(tok.hnSite, { personId: await newPerson(), siteId: site.hk, lotId: hvLot!.id }), 422, "product_inactive");
      } finally {
        await t.deps.db.update(vaccineProducts).set({ active: true }).where(eq(vaccineProducts.code, "HV"));
      }

      // none of the refusals wrote a dose (b's first dose is the only new row)
      const after = await t.deps.db.select().from(vaccinations);
      expect(after.length).toBe(before.length + 1);

      // and AZ → PF after 40 days is fine
      const second = await given(tok.hnC, { personId: a, siteId: site.hk, lotId: lot.pf });
      expect(second).toMatchObject({ doseNumber: 2, productCode: "PF", givenOn: today });
    });

    it("refuses an unknown lot or person and invalid input with 400 and field paths", async () => {
      const unknownLot = await fails(await record(tok.hnSite, { personId: await newPerson(), siteId: site.hk, lotId: randomUUID() }), 400, "validation_failed");
      expect(unknownLot.details).toEqual([{ path: "lotId", message: "Không có lô vắc xin này / No such vaccine lot" }]);
      const unknownPerson = await fails(await record(tok.hnSite, { personId: randomUUID(), siteId: site.hk, lotId: lot.az }), 400, "validation_failed");
      expect(unknownPerson.details?.[0]?.path).toBe("personId");
      const bad = await fails(await record(tok.hnSite, { personId: await newPerson(), siteId: "x", lotId: lot.az, givenOn: "2026-02-30", doseNumber: 0 }), 400, "validation_failed");
      expect(bad.details!.map((d) => d.path).sort()).toEqual(["doseNumber", "givenOn", "siteId"]);
    });

    it("two concurrent recordings of the same dose: exactly one is recorded, the others answer 409", async () => {
      for (const round of [0, 1]) {
        const p = await newPerson();
        const body = { personId: p, siteId: site.hk, lotId: lot.az, doseNumber: 1, vaccinator: `round ${round}` };
        const results = await Promise.all([record(tok.hnSite, body), record(tok.hnC, body), record(tok.hnP, body)]);
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([201, 409, 409]);
        for (const r of results.filter((x) => x.status === 409)) expect((await json(r)).error.code).toBe("dose_exists");
        expect(await t.deps.db.select().from(vaccinations).where(eq(vaccinations.personId, p))).toHaveLength(1);
      }
      // with the dose number left to the server, one is dose 1 and the other is refused (dose 2 too soon)
      const p = await newPerson();
      const results = await Promise.all([record(tok.hnSite, { personId: p, siteId: site.hk, lotId: lot.az }), record(tok.hnC, { personId: p, siteId: site.hk, lotId: lot.az })]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
      expect(await t.deps.db.select().from(vaccinations).where(eq(vaccinations.personId, p))).toHaveLength(1);
    });

    it("an appointment the dose fulfils becomes vaccinated; a cancelled one or someone else's is refused", async () => {
      const p = await newPerson();
      const appointment = async (personId: string, status: "checked_in" | "cancelled") => {
        const [a] = await t.deps.db
          .insert(appointments)
          .values({ provinceCode: "01", communeCode: "00070", personId, doseNumber: 1, siteId: site.hk, status, code: randomUUID() })
          .returning();
        return a!.id;
      };
      const apt = await appointment(p, "checked_in");
      const d = await given(tok.hnSite, { personId: p, siteId: site.hk, lotId: lot.pf, appointmentId: apt });
      const [row] = await t.deps.db.select().from(appointments).where(eq(appointments.id, apt));
      expect(row).toMatchObject({ status: "vaccinated", vaccinationId: d.id });
      const [dose] = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.id, d.id));
      expect(dose!.appointmentId).toBe(apt);
      await fails(await record(tok.hnSite, { personId: p, siteId: site.hk, lotId: lot.pf, appointmentId: apt, givenOn: today }), 409, "conflict");

      const q = await newPerson();
      await fails(await record(tok.hnSite, { personId: q, siteId: site.hk, lotId: lot.pf, appointmentId: await appointment(q, "cancelled") }), 409, "appointment_cancelled");
      const other = await fails(await record(tok.hnSite, { personId: q, siteId: site.hk, lotId: lot.pf, appointmentId: await appointment(p, "checked_in") }), 400, "validation_failed");
      expect(other.details?.[0]?.path).toBe("appointmentId");
      expect(await t.deps.db.select().from(vaccinations).where(eq(vaccinations.personId, q))).toHaveLength(0);
    });
  });

  describe("scope and roles", () => {
    it("records only at sites of the caller's scope (404 elsewhere); health officers read but may not record (403)", async () => {
      const p = await newPerson();
      await fails(await record(tok.hnSite, { personId: p, siteId: site.cuaNam, lotId: lot.az }), 404, "not_found");
      await fails(await record(tok.hnSite, { personId: p, siteId: site.saiGon, lotId: lot.az }), 404, "not_found");
      await fails(await record(tok.hnC, { personId: p, siteId: site.cuaNam, lotId: lot.az }), 404, "not_found");
      await fails(await record(tok.hcmP, { personId: p, siteId: site.hk, lotId: lot.az }), 404, "not_found");
      await fails(await record(tok.hcmSite, { personId: p, siteId: site.hk, lotId: lot.az }), 404, "not_found");
      await fails(await record(tok.hnH, { personId: p, siteId: site.hk, lotId: lot.az }), 403, "forbidden");
      await fails(await record(tok.hnVenue, { personId: p, siteId: site.hk, lotId: lot.az }), 403, "forbidden");
      expect(await t.deps.db.select().from(vaccinations).where(eq(vaccinations.personId, p))).toHaveLength(0);
      // the province officer records at any site of the province; a closed site is refused
      const d = await given(tok.hnP, { personId: p, siteId: site.cuaNam, lotId: lot.az });
      expect(d.siteName).toBe("Trung tâm Y tế Cửa Nam");
      const [row] = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.id, d.id));
      expect(row).toMatchObject({ provinceCode: "01", communeCode: "00082" });
      await t.deps.db.update(vaccinationSites).set({ status: "closed" }).where(eq(vaccinationSites.id, site.cuaNam));
      try {
        await fails(await record(tok.hnP, { personId: await newPerson(), siteId: site.cuaNam, lotId: lot.az }), 404, "not_found");
      } finally {
        await t.deps.db.update(vaccinationSites).set({ status: "active" }).where(eq(vaccinationSites.id, site.cuaNam));
      }
      // site staff of Hoàn Kiếm do not see the Cửa Nam dose; the commune officer of Hoàn Kiếm neither
      await fails(await get(`/api/vaccinations/${d.id}`, tok.hnSite), 404, "not_found");
      await fails(await get(`/api/vaccinations/${d.id}`, tok.hnC), 404, "not_found");
      await fails(await t.request("PATCH", `/api/vaccinations/${d.id}`, { token: tok.hnSite, body: { vaccinator: "x" } }), 404, "not_found");
      await ok(await get(`/api/vaccinations/${d.id}`, tok.hnH));
    });

    it("another province's officers and site staff get 404 on every route naming a Hà Nội dose, person or reaction", async () => {
      const p = await newPerson();
      const d = await given(tok.hnSite, { personId: p, siteId: site.hk, lotId: lot.az, givenOn: addDays(today, -1) });
      const ev = await ok(
        await t.request("POST", `/api/vaccinations/${d.id}/adverse-events`, {
          token: tok.hnSite,
          body: { onsetAt: earlierToday(t.deps.now(), 1), severity: "mild", symptoms: ["đau chỗ tiêm"] },
        }),
        201,
      );
      for (const token of [tok.hcmP, tok.hcmC, tok.hcmSite]) {
        await fails(await get(`/api/vaccinations/${d.id}`, token), 404, "not_found");
        await fails(await t.request("PATCH", `/api/vaccinations/${d.id}`, { token, body: { vaccinator: "Hijacked" } }), 404, "not_found");
        await fails(await get(`/api/people/${p}/vaccinations`, token), 404, "not_found");
        await fails(
          await t.request("POST", `/api/vaccinations/${d.id}/adverse-events`, { token, body: { onsetAt: new Date().toISOString(), severity: "mild", symptoms: ["x"] } }),
          404,
          "not_found",
        );
        await fails(await get(`/api/adverse-events/${ev.id}`, token), 404, "not_found");
        await fails(await t.request("PATCH", `/api/adverse-events/${ev.id}`, { token, body: { status: "resolved" } }), 404, "not_found");
        await fails(await t.request("POST", `/api/adverse-events/${ev.id}/notes`, { token, body: { note: "Hijacked" } }), 404, "not_found");
        const list = await ok(await get("/api/vaccinations?limit=500", token));
        expect(list.items.length).toBeGreaterThan(0);
        expect(list.items.every((i: any) => i.provinceCode === "79")).toBe(true);
        const events = await ok(await get("/api/adverse-events?limit=500", token));
        expect(events.items.every((i: any) => i.provinceCode === "79")).toBe(true);
      }
      const [row] = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.id, d.id));
      expect(row!.vaccinator).toBeNull();
      // citizens and venue staff have no business here at all
      for (const path of ["/api/vaccinations", `/api/vaccinations/${d.id}`, `/api/people/${p}/vaccinations`, "/api/adverse-events", `/api/adverse-events/${ev.id}`])
        await fails(await get(path, tok.hnVenue), 403, "forbidden");
    });

    it("site staff list only the doses of their sites; filters and keyset pages", async () => {
      const mine = await ok(await get("/api/vaccinations?limit=500", tok.hnSite));
      expect(mine.items.length).toBeGreaterThan(24);
      expect(mine.items.every((i: any) => i.siteId === site.hk)).toBe(true);

      const all: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: any = await ok(await get(`/api/vaccinations?limit=7${cursor ? `&cursor=${cursor}` : ""}`, tok.hnP));
        all.push(...res.items);
        cursor = res.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      const inDb = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.provinceCode, "01"));
      expect(all.length).toBe(inDb.length);
      expect(new Set(all.map((i) => i.id)).size).toBe(inDb.length);
      const keys = all.map((i) => i.givenOn);
      expect([...keys].sort().reverse()).toEqual(keys); // newest first
      expect(pages).toBe(Math.ceil(inDb.length / 7));

      const azOnes = await ok(await get("/api/vaccinations?doseNumber=1&productCode=az&limit=500", tok.hnP));
      expect(azOnes.items.length).toBe(inDb.filter((r) => r.doseNumber === 1 && r.productCode === "AZ").length);
      const old = await ok(await get(`/api/vaccinations?from=${addDays(today, -60)}&to=${addDays(today, -60)}&communeCode=00070&limit=500`, tok.hnP));
      expect(old.items).toHaveLength(12);
      const atCuaNam = await ok(await get(`/api/vaccinations?siteId=${site.cuaNam}&limit=500`, tok.hnP));
      expect(atCuaNam.items.every((i: any) => i.siteName === "Trung tâm Y tế Cửa Nam")).toBe(true);
      const [someone] = inDb;
      const [person] = await t.deps.db.select().from(people).where(eq(people.id, someone!.personId));
      const byName = await ok(await get(`/api/vaccinations?q=${encodeURIComponent(person!.fullName.split(" ").at(-1)!)}&limit=500`, tok.hnP));
      expect(byName.items.some((i: any) => i.personId === person!.id)).toBe(true);
      const byPhone = await ok(await get(`/api/vaccinations?q=${person!.phone!.slice(0, 7)}&limit=500`, tok.hnP));
      expect(byPhone.items.every((i: any) => i.personName)).toBe(true);
      expect(byPhone.items.some((i: any) => i.personId === person!.id)).toBe(true);
      await fails(await get(`/api/vaccinations?from=${today}&to=${addDays(today, -1)}`, tok.hnP), 400, "validation_failed");
      await fails(await get("/api/vaccinations?cursor=bm90LWEtY3Vyc29y", tok.hnP), 400, "validation_failed");
      expect((await auditRows("vaccination.list")).length).toBeGreaterThan(5);
    });

    it("a person's record: officers of the person's area or of a site that vaccinated them, site staff of such a site or of an appointment", async () => {
      // a demo person: AZ 60 days ago, PF 20 days ago, at Hoàn Kiếm
      const [demo] = await t.deps.db.select().from(vaccinations).where(and(eq(vaccinations.provinceCode, "01"), eq(vaccinations.doseNumber, 1), eq(vaccinations.givenOn, addDays(today, -60))));
      const r = await ok(await get(`/api/people/${demo!.personId}/vaccinations`, tok.hnC));
      expect(r.person.id).toBe(demo!.personId);
      expect(r.doses.map((d: any) => [d.doseNumber, d.productCode, d.givenOn])).toEqual([
        [1, "AZ", addDays(today, -60)],
        [2, "PF", addDays(today, -20)],
      ]);
      expect(r.nextDose).toEqual({ doseNumber: 3, earliestOn: addDays(today, 1), allowedProducts: ["AZ", "MO", "PF"] });
      const audit = await auditRows("vaccination.person.read", demo!.personId);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_username: "hn.commune" });

      // someone living in Hồ Chí Minh City, vaccinated at Hoàn Kiếm
      const visitor = await newPerson("79", "26737", "Khách Từ Sài Gòn");
      await given(tok.hnSite, { personId: visitor, siteId: site.hk, lotId: lot.mo });
      for (const token of [tok.hcmP, tok.hnP, tok.hnC, tok.hnH, tok.hnSite, tok.admin]) await ok(await get(`/api/people/${visitor}/vaccinations`, token));
      await fails(await get(`/api/people/${visitor}/vaccinations`, tok.hcmC), 404, "not_found"); // lives in Tân Định, not Sài Gòn
      await fails(await get(`/api/people/${visitor}/vaccinations`, tok.hcmSite), 404, "not_found");

      // a person vaccinated only at Cửa Nam: Hoàn Kiếm staff see them once they have an appointment there
      const p = await newPerson("01", "00082");
      await given(tok.hnP, { personId: p, siteId: site.cuaNam, lotId: lot.az });
      await fails(await get(`/api/people/${p}/vaccinations`, tok.hnSite), 404, "not_found");
      await fails(await get(`/api/people/${p}/vaccinations`, tok.hnC), 404, "not_found");
      await t.deps.db.insert(appointments).values({ provinceCode: "01", communeCode: "00070", personId: p, doseNumber: 2, siteId: site.hk, status: "booked", code: randomUUID() });
      const seen = await ok(await get(`/api/people/${p}/vaccinations`, tok.hnSite));
      expect(seen.doses).toHaveLength(1);
      await fails(await get(`/api/people/${randomUUID()}/vaccinations`, tok.admin), 404, "not_found");
    });
  });

  describe("corrections", () => {
    it("corrects the day, the lot or the vaccinator with the rules checked against the other doses; audited with before and after", async () => {
      const p = await newPerson();
      const d1 = await given(tok.hnSite, { personId: p, siteId: site.hk, lotId: lot.az, givenOn: addDays(today, -60) });
      const d2 = await given(tok.hnSite, { personId: p, siteId: site.hk, lotId: lot.pf, givenOn: addDays(today, -30) });
      const patch = (id: string, body: unknown, token = tok.hnSite) => t.request("PATCH", `/api/vaccinations/${id}`, { token, body });

      // dose 1 moved after dose 2 would leave dose 2 too soon
      const later = await fails(await patch(d1.id, { givenOn: addDays(today, -10) }), 422, "interval_too_short");
      expect(later.details!.map((x) => x.path)).toEqual(["givenOn", "doseNumber"]);
      await fails(await patch(d2.id, { givenOn: addDays(today, -35) }), 422, "interval_too_short");
      await fails(await patch(d2.id, { lotId: lot.vc }), 422, "product_mix_not_allowed");
      await fails(await patch(d2.id, { givenOn: addDays(today, 1) }), 422, "dose_in_future");
      await fails(await patch(d1.id, { lotId: lot.azExpired, givenOn: addDays(today, -29) }), 422, "lot_expired");
      await fails(await patch(d1.id, { lotId: lot.vc }), 422, "product_mix_not_allowed"); // PF may not follow VC
      await fails(await patch(d1.id, {}), 400, "validation_failed");
      await fails(await patch(d1.id, { vaccinator: "x" }, tok.hnH), 403, "forbidden");
      const unchanged = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.personId, p));
      expect(unchanged.map((r) => [r.doseNumber, r.productCode, r.givenOn]).sort()).toEqual([
        [1, "AZ", addDays(today, -60)],
        [2, "PF", addDays(today, -30)],
      ]);

      const fixed = await ok(await patch(d2.id, { lotId: lot.mo, givenOn: addDays(today, -31) }, tok.hnC));
      expect(fixed).toMatchObject({ id: d2.id, doseNumber: 2, productCode: "MO", lotNumber: "MO-2026-001", givenOn: addDays(today, -31) });
      const audit = await auditRows("vaccination.update", d2.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.details).toMatchObject({
        personId: p,
        before: { lotId: lot.pf, productCode: "PF", givenOn: addDays(today, -30), vaccinator: null },
        after: { lotId: lot.mo, productCode: "MO", givenOn: addDays(today, -31), vaccinator: null },
      });
      const named = await ok(await patch(d1.id, { vaccinator: "BS. Đỗ Minh" }));
      expect(named).toMatchObject({ vaccinator: "BS. Đỗ Minh", givenOn: addDays(today, -60) });
      expect((await auditRows("vaccination.update", d1.id))[0]!.details).toMatchObject({ before: { vaccinator: null }, after: { vaccinator: "BS. Đỗ Minh" } });
      // dose 1 may move earlier: the interval to dose 2 only grows
      await ok(await patch(d1.id, { givenOn: addDays(today, -70) }));
    });
  });

  describe("reactions (adverse events)", () => {
    let doseId = "";
    let personId = "";
    let eventId = "";
    const onset = () => earlierToday(t.deps.now(), 2);

    it("site staff record a reaction on a dose of their site; the onset must fall between the dose's day and now", async () => {
      personId = await newPerson("01", "00070", "Phan Thị Phản Ứng");
      doseId = (await given(tok.hnSite, { personId, siteId: site.hk, lotId: lot.az })).id;
      const post = (body: unknown, token = tok.hnSite) => t.request("POST", `/api/vaccinations/${doseId}/adverse-events`, { token, body });
      const ev = await ok(await post({ onsetAt: onset(), severity: "moderate", symptoms: ["sốt", "đau đầu"], description: "Sốt 38,5 độ sau tiêm 4 giờ" }), 201);
      expect(ev).toMatchObject({
        vaccinationId: doseId,
        personId,
        personName: "Phan Thị Phản Ứng",
        provinceCode: "01",
        communeCode: "00070",
        doseNumber: 1,
        productCode: "AZ",
        givenOn: today,
        siteName: "Trạm Y tế phường Hoàn Kiếm",
        severity: "moderate",
        symptoms: ["sốt", "đau đầu"],
        hospitalised: false,
        status: "open",
        outcome: null,
        reportedByCitizen: false,
      });
      eventId = ev.id;
      expect(await auditRows("adverse_event.create", ev.id)).toHaveLength(1);

      const before = await fails(await post({ onsetAt: `${addDays(today, -1)}T12:00:00+07:00`, severity: "mild", symptoms: ["x"] }), 400, "validation_failed");
      expect(before.details).toEqual([{ path: "onsetAt", message: "Khởi phát trước ngày tiêm / The onset is before the day of the dose" }]);
      await fails(await post({ onsetAt: new Date(t.deps.now().getTime() + 3600_000).toISOString(), severity: "mild", symptoms: ["x"] }), 400, "validation_failed");
      const bad = await fails(await post({ onsetAt: "yesterday", severity: "awful", symptoms: [] }), 400, "validation_failed");
      expect(bad.details!.map((x) => x.path).sort()).toEqual(["onsetAt", "severity", "symptoms"]);
      await fails(await post({ onsetAt: onset(), severity: "mild", symptoms: ["x"] }, tok.hnH), 403, "forbidden");
      await fails(await t.request("POST", `/api/vaccinations/${randomUUID()}/adverse-events`, { token: tok.hnSite, body: { onsetAt: onset(), severity: "mild", symptoms: ["x"] } }), 404, "not_found");
    });

    it("officers list, read, move on and annotate it; health officers read only; every step audited", async () => {
      const list = await ok(await get("/api/adverse-events?status=open&severity=moderate&communeCode=00070", tok.hnP));
      expect(list.items.map((i: any) => i.id)).toContain(eventId);
      const none = await ok(await get("/api/adverse-events?status=resolved", tok.hnP));
      expect(none.items.map((i: any) => i.id)).not.toContain(eventId);
      expect((await ok(await get("/api/adverse-events", tok.hnSite))).items.map((i: any) => i.id)).toContain(eventId);

      const detail = await ok(await get(`/api/adverse-events/${eventId}`, tok.hnH));
      expect(detail).toMatchObject({ id: eventId, dose: { id: doseId, lotNumber: "AZ-2026-001" }, person: { id: personId, fullName: "Phan Thị Phản Ứng" }, notes: [] });
      expect(await auditRows("adverse_event.read", eventId)).toHaveLength(1);
      await fails(await t.request("PATCH", `/api/adverse-events/${eventId}`, { token: tok.hnH, body: { status: "resolved" } }), 403, "forbidden");
      await fails(await t.request("POST", `/api/adverse-events/${eventId}/notes`, { token: tok.hnH, body: { note: "x" } }), 403, "forbidden");

      const moved = await ok(await t.request("PATCH", `/api/adverse-events/${eventId}`, { token: tok.hnC, body: { status: "following_up", severity: "severe", outcome: "Theo dõi tại nhà" } }));
      expect(moved).toMatchObject({ status: "following_up", severity: "severe", outcome: "Theo dõi tại nhà" });
      const audit = await auditRows("adverse_event.update", eventId);
      expect(audit[0]!.details).toEqual({
        before: { status: "open", severity: "moderate", outcome: null },
        after: { status: "following_up", severity: "severe", outcome: "Theo dõi tại nhà" },
      });
      await fails(await t.request("PATCH", `/api/adverse-events/${eventId}`, { token: tok.hnC, body: {} }), 400, "validation_failed");

      const noted = await ok(await t.request("POST", `/api/adverse-events/${eventId}/notes`, { token: tok.hnSite, body: { note: "Đã gọi điện, hết sốt" } }), 201);
      expect(noted.notes).toHaveLength(1);
      expect(noted.notes[0]).toMatchObject({ note: "Đã gọi điện, hết sốt", authorName: "Trạm Y tế phường Hoàn Kiếm — bàn tiêm" });
      expect(await auditRows("adverse_event.note", eventId)).toHaveLength(1);
      const resolved = await ok(await t.request("PATCH", `/api/adverse-events/${eventId}`, { token: tok.hnSite, body: { status: "resolved" } }));
      expect(resolved).toMatchObject({ status: "resolved", severity: "severe", notes: [{ note: "Đã gọi điện, hết sốt" }] });

      // the dose and the person's record show it
      expect((await ok(await get(`/api/vaccinations/${doseId}`, tok.hnC))).adverseEvents.map((e: any) => e.id)).toEqual([eventId]);
      expect((await ok(await get(`/api/people/${personId}/vaccinations`, tok.hnC))).adverseEvents.map((e: any) => e.status)).toEqual(["resolved"]);
      // site staff of another site do not see it
      await fails(await get(`/api/adverse-events/${eventId}`, tok.hcmSite), 404, "not_found");
      expect((await ok(await get("/api/adverse-events", tok.hcmSite))).items).toEqual([]);
    });
  });

  describe("citizens", () => {
    async function signIn(phone = newPhone()) {
      const ip = `10.9.${randomInt(0, 256)}.${randomInt(1, 255)}`;
      expect((await t.request("POST", "/api/citizen/otp", { body: { phone }, headers: { "x-forwarded-for": ip } })).status).toBe(202);
      const code = t.deps.sms.lastCode(phone)!;
      const session = await ok(await t.request("POST", "/api/citizen/verify", { body: { phone, code }, headers: { "x-forwarded-for": ip } }));
      return { phone, token: session.accessToken as string };
    }

    it("see their own and their family's doses with the next dose, and report a reaction to one of them (404 for anyone else's)", async () => {
      const me = await signIn();
      const profile = await ok(await t.request("PUT", "/api/me/profile", { token: me.token, body: { fullName: "Vũ Thị Công Dân", birthDate: "1988-03-04", communeCode: "00070" } }));
      const child = await ok(await t.request("POST", "/api/me/family", { token: me.token, body: { relation: "child", fullName: "Vũ Minh Con", birthYear: 2012 } }), 201);
      const mine = await given(tok.hnSite, { personId: profile.personId, siteId: site.hk, lotId: lot.az, givenOn: addDays(today, -3) });
      const childs = await given(tok.hnSite, { personId: child.personId, siteId: site.hk, lotId: lot.pf, givenOn: addDays(today, -2) });
      const stranger = await given(tok.hnSite, { personId: await newPerson(), siteId: site.hk, lotId: lot.pf });

      const v = await ok(await get("/api/me/vaccination", me.token));
      expect(v.people).toHaveLength(2);
      expect(v.people[0]).toMatchObject({
        person: { id: profile.personId, fullName: "Vũ Thị Công Dân", birthYear: 1988 },
        doses: [{ id: mine.id, doseNumber: 1, productCode: "AZ", givenOn: addDays(today, -3) }],
        nextDose: { doseNumber: 2, earliestOn: addDays(today, 25), allowedProducts: ["AZ", "MO", "PF"] },
        adverseEvents: [],
      });
      expect(v.people[1]).toMatchObject({
        person: { id: child.personId, fullName: "Vũ Minh Con", birthYear: 2012 },
        doses: [{ id: childs.id, productCode: "PF" }],
        nextDose: { doseNumber: 2, earliestOn: addDays(today, 19), allowedProducts: ["MO", "PF"] },
      });
      const audit = await auditRows("me.vaccination.read", profile.personId);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.details).toMatchObject({ people: 2, doses: 2 });

      const report = (id: string) =>
        t.request("POST", `/api/me/vaccinations/${id}/adverse-events`, {
          token: me.token,
          body: { onsetAt: earlierToday(t.deps.now(), 1), severity: "mild", symptoms: ["mệt mỏi"], description: "Con mệt sau tiêm" },
        });
      const ev = await ok(await report(childs.id), 201);
      expect(ev).toMatchObject({ vaccinationId: childs.id, personId: child.personId, reportedByCitizen: true, status: "open", provinceCode: "01", communeCode: "00070" });
      const [a] = await auditRows("adverse_event.create", ev.id);
      expect(a!.details).toMatchObject({ via: "citizen" });
      await fails(await report(stranger.id), 404, "not_found");
      await fails(await report(randomUUID()), 404, "not_found");
      // the officers see the report in their list; the citizen sees it under the child
      expect((await ok(await get("/api/adverse-events?status=open", tok.hnC))).items.map((i: any) => i.id)).toContain(ev.id);
      const again = await ok(await get("/api/me/vaccination", me.token));
      expect(again.people[1].adverseEvents.map((e: any) => e.id)).toEqual([ev.id]);
      // officers may not use the citizen routes, nor citizens the officers'
      await fails(await get("/api/me/vaccination", tok.hnC), 403, "forbidden");
      await fails(await get(`/api/vaccinations/${mine.id}`, me.token), 403, "forbidden");
      await fails(await get(`/api/people/${profile.personId}/vaccinations`, me.token), 403, "forbidden");
    });

    it("a dose typed in at a site under the citizen's phone and birth year shows in their record", async () => {
      const me = await signIn();
      const profile = await ok(await t.request("PUT", "/api/me/profile", { token: me.token, body: { fullName: "Đào Văn Điện Thoại", birthDate: "1979-09-09", communeCode: "00070" } }));
      const typed = await given(tok.hnSite, { person: { fullName: "Đào Văn Điện Thoại", phone: me.phone, birthYear: 1979 }, siteId: site.hk, lotId: lot.mo });
      expect(typed.personId).not.toBe(profile.personId);
      const v = await ok(await get("/api/me/vaccination", me.token));
      expect(v.people).toHaveLength(1);
      expect(v.people[0].person.id).toBe(profile.personId);
      expect(v.people[0].doses.map((d: any) => d.id)).toEqual([typed.id]);
      expect(v.people[0].nextDose).toMatchObject({ doseNumber: 2, allowedProducts: ["MO", "PF"] });
      await ok(
        await t.request("POST", `/api/me/vaccinations/${typed.id}/adverse-events`, {
          token: me.token,
          body: { onsetAt: earlierToday(t.deps.now(), 1 / 60), severity: "mild", symptoms: ["đau tay"] },
        }),
        201,
      );
    });
  });

  it("coverage afterwards still equals a count of the rows", async () => {
    const rows = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.provinceCode, "01"));
    const c = await ok(await get("/api/vaccination/coverage", tok.hnP));
    for (const n of [1, 2, 3]) expect(c.byDose[n - 1].people).toBe(new Set(rows.filter((r) => r.doseNumber === n).map((r) => r.personId)).size);
    const hk = c.units.find((u: any) => u.code === "00070");
    expect(hk.dose1).toBe(rows.filter((r) => r.communeCode === "00070" && r.doseNumber === 1).length);
    expect(hk.dose1Pct).toBe(pct(hk.dose1, 58000));
    const cn = c.units.find((u: any) => u.code === "00082");
    expect(cn.dose1).toBe(rows.filter((r) => r.communeCode === "00082" && r.doseNumber === 1).length);
    expect(cn.dose1).toBeGreaterThan(0);
    const todays = c.daily.find((d: any) => d.day === today);
    expect(todays.dose1 + todays.dose2 + todays.dose3plus).toBe(rows.filter((r) => r.givenOn === today).length);
  });
});
