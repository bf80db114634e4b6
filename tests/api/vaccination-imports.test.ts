/**
 * Bulk import of dose records from CSV (docs/VACCINATION.md, "Bulk import"), on both engines:
 * the preview's counts and reasons row by row (duplicates, bad dates, unknown products and lots,
 * an expired lot, a dose out of order, people matched by ID number and by name + birth date +
 * phone, a dose already recorded), commit writing exactly the accepted rows, a rule broken between
 * preview and commit, concurrent commits, discard, rejected.csv with formulas neutralised, roles,
 * scope (site staff: their sites; officers: their area) and the audit trail.
 */
import { randomInt } from "node:crypto";
import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, vaccinationImports, vaccinationSites, vaccinations, vaccineLots } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { hashIdNumber } from "../../server/declarations/id-hash";
import { addDays } from "../../server/vaccination/doses/rules";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const newId = () => `0${String(randomInt(0, 100_000_000_000)).padStart(11, "0")}`;
const VI_HEADER = "ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui";
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

describe.each(engines())("vaccination imports API on %s", (engine) => {
  let t: TestPlatform;
  let today: string;
  const day = (n: number) => addDays(today, n);
  const tok = {} as Record<"admin" | "hnSite" | "hnCommune" | "hnProvince" | "hnHealth" | "hcmProvince" | "hcmCommune" | "hcmSite", string>;
  const site = { hk: "", cuaNam: "", saiGon: "" };
  const lot = { az: "", pf: "", mo: "" };

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json(res);
  };
  const upload = (token: string, siteId: string, text: string, fileName = "tiem-chung.csv", type = "text/csv") =>
    t.request("POST", `/api/vaccination-imports?siteId=${siteId}&fileName=${encodeURIComponent(fileName)}`, { token, body: text, headers: { "content-type": type } });
  const audits = async (action: string, subjectId: string) =>
    Number(
      (await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action} and subject_id = ${subjectId}`))[0]!.n,
    );
  const importDoses = (importId: string) =>
    t.deps.db
      .select({ personId: vaccinations.personId, doseNumber: vaccinations.doseNumber, productCode: vaccinations.productCode, givenOn: vaccinations.givenOn, source: vaccinations.source, siteId: vaccinations.siteId, lotId: vaccinations.lotId })
      .from(vaccinations)
      .where(eq(vaccinations.importId, importId));
  const peopleByPhone = (phone: string) => t.deps.db.select().from(people).where(eq(people.phone, phone));
  /** An existing registry record (optionally with an ID number and doses at Hoàn Kiếm). */
  async function person(p: { fullName: string; birthDate: string; phone: string; idNumber?: string }, doses: { n: number; product: "AZ" | "PF" | "MO"; on: string }[] = []) {
    const [row] = await t.deps.db
      .insert(people)
      .values({
        provinceCode: "01",
        communeCode: "00070",
        fullName: p.fullName,
        birthDate: p.birthDate,
        birthYear: Number(p.birthDate.slice(0, 4)),
        phone: p.phone,
        idNumberHash: p.idNumber ? hashIdNumber(t.deps.keys, p.idNumber) : null,
      })
      .returning({ id: people.id });
    for (const d of doses)
      await t.deps.db.insert(vaccinations).values({
        provinceCode: "01",
        communeCode: "00070",
        personId: row!.id,
        productCode: d.product,
        lotId: lot[d.product.toLowerCase() as "az" | "pf" | "mo"],
        doseNumber: d.n,
        givenOn: d.on,
        siteId: site.hk,
      });
    return row!.id;
  }

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    today = vnDay(t.deps.now());
    const names = {
      admin: "admin",
      hnSite: "hn.site",
      hnCommune: "hn.commune",
      hnProvince: "hn.province",
      hnHealth: "hn.health",
      hcmProvince: "hcm.province",
      hcmCommune: "hcm.commune",
      hcmSite: "hcm.site",
    } as const;
    for (const [k, u] of Object.entries(names)) tok[k as keyof typeof tok] = await t.login(u);
    const sites = await t.deps.db.select({ id: vaccinationSites.id, name: vaccinationSites.name }).from(vaccinationSites);
    site.hk = sites.find((s) => s.name === "Trạm Y tế phường Hoàn Kiếm")!.id;
    site.cuaNam = sites.find((s) => s.name === "Trung tâm Y tế Cửa Nam")!.id;
    site.saiGon = sites.find((s) => s.name === "Trạm Y tế phường Sài Gòn")!.id;
    const lots = await t.deps.db.select({ id: vaccineLots.id, lotNumber: vaccineLots.lotNumber }).from(vaccineLots);
    lot.az = lots.find((l) => l.lotNumber === "AZ-2026-001")!.id;
    lot.pf = lots.find((l) => l.lotNumber === "PF-2026-001")!.id;
    lot.mo = lots.find((l) => l.lotNumber === "MO-2026-001")!.id;
  });
  afterAll(() => t?.close());

  describe("a file with every kind of row", () => {
    const a = { phone: newPhone(), id: newId() };
    const b = { phone: newPhone() };
    const c = { phone: newPhone() };
    const byId = { phone: newPhone(), id: newId() };
    const byTriple = { phone: newPhone() };
    const formula = { phone: "12345" };
    let byIdPerson = "";
    let byTriplePerson = "";
    let importId = "";
    let file = "";

    beforeAll(async () => {
      byIdPerson = await person({ fullName: "Trần Thị Bình", birthDate: "1985-04-10", phone: byId.phone, idNumber: byId.id }, [{ n: 1, product: "AZ", on: day(-60) }]);
      byTriplePerson = await person({ fullName: "Lê Văn Cường", birthDate: "1970-01-02", phone: byTriple.phone });
      file = [
        VI_HEADER,
        /* 2 */ `Nguyễn Văn An,15/03/1980,${a.phone},${a.id},AZ,AZ-2026-001,${day(-60)},1`,
        /* 3 */ `Nguyễn Văn An,1980-03-15,${a.phone},${a.id},PF,PF-2026-001,${day(-20)},2`,
        /* 4 */ `Nguyễn Văn An,15/03/1980,${a.phone},${a.id},AZ,AZ-2026-001,${day(-60)},1`,
        /* 5 */ `Phạm Thị Dung,31/02/1990,${newPhone()},,AZ,AZ-2026-001,${day(-10)},1`,
        /* 6 */ `Hoàng Văn Em,1991-05-05,${newPhone()},,AZ,AZ-2026-001,2026-13-01,1`,
        /* 7 */ `Vũ Thị Giang,1992-06-06,${newPhone()},,XYZ,AZ-2026-001,${day(-10)},1`,
        /* 8 */ `Đặng Văn Hải,1993-07-07,${newPhone()},,PF,NO-SUCH-LOT,${day(-10)},1`,
        /* 9 */ `Bùi Thị Khánh,1994-08-08,${b.phone},,AZ,AZ-2025-EXP,${day(-5)},1`,
        /* 10 */ `Đỗ Văn Long,1995-09-09,${c.phone},,PF,PF-2026-001,${day(-5)},2`,
        /* 11 */ `Tran Thi Binh,1985-04-10,${newPhone()},${byId.id.slice(0, 4)} ${byId.id.slice(4)},PF,PF-2026-001,${day(-10)},2`,
        /* 12 */ `"  LÊ   văn cường ",${dmy("1970-01-02")},+84 ${byTriple.phone.slice(1, 4)} ${byTriple.phone.slice(4)},,Spikevax,MO-2026-001,${day(-3)},1`,
        /* 13 */ `Trần Thị Bình,1985-04-10,${byId.phone},${byId.id},AZ,AZ-2026-001,${day(-60)},1`,
        /* 14 */ `=cmd|' /C calc'!A0,1996-10-10,${formula.phone},,AZ,AZ-2026-001,${day(-1)},1`,
      ].join("\n");
    });

    it("previews every row with the exact counts and reasons, writing nothing to the registry", async () => {
      const peopleBefore = Number((await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from people`))[0]!.n);
      const p = await ok(await upload(tok.hnSite, site.hk, file), 201);
      importId = p.id;
      expect(p).toMatchObject({ siteId: site.hk, fileName: "tiem-chung.csv", status: "previewed", totalRows: 13, createRows: 2, mergeRows: 2, unchangedRows: 1, rejectedRows: 8, committedAt: null });
      expect(p.rejected).toEqual([
        { row: 4, errors: [{ column: "mui", message: "Trùng mũi 1 với dòng 2 / Dose 1 repeats row 2" }] },
        { row: 5, errors: [{ column: "ngay_sinh", message: 'Ngày sinh "31/02/1990" không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY / Birth date "31/02/1990" is not YYYY-MM-DD or DD/MM/YYYY' }] },
        { row: 6, errors: [{ column: "ngay_tiem", message: 'Ngày tiêm "2026-13-01" không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY / Date "2026-13-01" is not YYYY-MM-DD or DD/MM/YYYY' }] },
        { row: 7, errors: [{ column: "vac_xin", message: 'Không có vắc xin "XYZ" / Unknown product "XYZ"' }] },
        { row: 8, errors: [{ column: "so_lo", message: 'Không có lô "NO-SUCH-LOT" của vắc xin PF / No lot "NO-SUCH-LOT" of PF' }] },
        { row: 9, errors: [{ column: "so_lo", message: `Lô đã hết hạn ngày ${day(-30)} / The lot expired on ${day(-30)}` }] },
        { row: 10, errors: [{ column: "mui", message: "Mũi tiếp theo là mũi 1 / The next dose is dose 1" }] },
        {
          row: 14,
          errors: [{ column: "so_dien_thoai", message: 'Số điện thoại "12345" không hợp lệ (10 chữ số, bắt đầu bằng 0) / Phone "12345" is not valid (10 digits starting with 0)' }],
        },
      ]);
      expect(p.sample).toHaveLength(13);
      expect(p.sample.slice(0, 3)).toEqual([
        { row: 2, action: "create", fullName: "Nguyễn Văn An", doseNumber: 1, productCode: "AZ", givenOn: day(-60) },
        { row: 3, action: "create", fullName: "Nguyễn Văn An", doseNumber: 2, productCode: "PF", givenOn: day(-20) },
        { row: 4, action: "rejected", fullName: "Nguyễn Văn An", doseNumber: 1, productCode: "AZ", givenOn: day(-60) },
      ]);
      expect(p.sample.find((s: any) => s.row === 11)).toMatchObject({ action: "merge", productCode: "PF" });
      expect(p.sample.find((s: any) => s.row === 12)).toMatchObject({ action: "merge", fullName: "LÊ văn cường", productCode: "MO", givenOn: day(-3) });
      expect(p.sample.find((s: any) => s.row === 13)).toMatchObject({ action: "unchanged" });

      // Nothing in the registry yet; the file is kept on the import row.
      expect(await importDoses(importId)).toEqual([]);
      expect(Number((await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from people`))[0]!.n)).toBe(peopleBefore);
      const [row] = await t.deps.db.select().from(vaccinationImports).where(eq(vaccinationImports.id, importId));
      expect(row).toMatchObject({ provinceCode: "01", communeCode: "00070", status: "previewed", totalRows: 13, createRows: 2, mergeRows: 2, rejectedRows: 8, csv: file });
      expect(await audits("vaccination_import.upload", importId)).toBe(1);
    });

    it("the preview reads back the same for the area's officers and health officers (audited)", async () => {
      const p = await ok(await t.request("GET", `/api/vaccination-imports/${importId}`, { token: tok.hnHealth }));
      expect(p).toMatchObject({ status: "previewed", totalRows: 13, createRows: 2, mergeRows: 2, unchangedRows: 1, rejectedRows: 8 });
      expect(p.rejected.map((r: any) => r.row)).toEqual([4, 5, 6, 7, 8, 9, 10, 14]);
      await ok(await t.request("GET", `/api/vaccination-imports/${importId}`, { token: tok.hnCommune }));
      expect(await audits("vaccination_import.read", importId)).toBe(2);
    });

    it("rejected.csv has the rejected rows with dong and loi columns, formulas neutralised (audited)", async () => {
      const res = await t.request("GET", `/api/vaccination-imports/${importId}/rejected.csv`, { token: tok.hnSite });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="tiem-chung-loi\.csv"/);
      const text = await res.text();
      expect(text).toContain("\n'=cmd|' /C calc'!A0,");
      const rows = parse(text, { bom: true }) as string[][];
      expect(rows[0]).toEqual([...VI_HEADER.split(","), "dong", "loi"]);
      expect(rows.slice(1).map((r) => r[8])).toEqual(["4", "5", "6", "7", "8", "9", "10", "14"]);
      expect(rows[1]![9]).toBe("mui: Trùng mũi 1 với dòng 2 / Dose 1 repeats row 2");
      const last = rows.at(-1)!;
      expect(last[0]).toBe("'=cmd|' /C calc'!A0");
      expect(last[9]).toMatch(/^so_dien_thoai: Số điện thoại "12345"/);
      expect(await audits("vaccination_import.rejected_csv", importId)).toBe(1);
    });

    it("commit writes exactly the accepted rows and nothing of the rejected ones; a second commit is refused", async () => {
      const p = await ok(await t.request("POST", `/api/vaccination-imports/${importId}/commit`, { token: tok.hnSite }));
      expect(p).toMatchObject({ status: "committed", totalRows: 13, createRows: 2, mergeRows: 2, unchangedRows: 1, rejectedRows: 8 });
      expect(p.committedAt).toEqual(expect.any(String));
      expect(p.rejected).toHaveLength(8);

      const [newA, ...moreA] = await peopleByPhone(a.phone);
      expect(moreA).toEqual([]);
      expect(newA).toMatchObject({ provinceCode: "01", communeCode: "00070", fullName: "Nguyễn Văn An", birthDate: "1980-03-15", birthYear: 1980, idNumberHash: hashIdNumber(t.deps.keys, a.id) });
      const written = await importDoses(importId);
      const key = (d: { personId: string; doseNumber: number }) => `${d.personId}#${d.doseNumber}`;
      expect(written.map(key).sort()).toEqual([`${newA!.id}#1`, `${newA!.id}#2`, `${byIdPerson}#2`, `${byTriplePerson}#1`].sort());
      expect(written.every((d) => d.source === "import" && d.siteId === site.hk)).toBe(true);
      expect(written.find((d) => d.personId === byTriplePerson)).toMatchObject({ productCode: "MO", givenOn: day(-3), lotId: lot.mo });
      // The rejected rows' people were not created, the unchanged dose not touched.
      expect(await peopleByPhone(b.phone)).toEqual([]);
      expect(await peopleByPhone(c.phone)).toEqual([]);
      const recorded = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.personId, byIdPerson));
      expect(recorded.map((d) => [d.doseNumber, d.source]).sort()).toEqual([
        [1, "recorded"],
        [2, "import"],
      ]);
      const [row] = await t.deps.db.select().from(vaccinationImports).where(eq(vaccinationImports.id, importId));
      expect(row).toMatchObject({ status: "committed", csv: null });
      expect(await audits("vaccination_import.commit", importId)).toBe(1);

      for (const action of ["commit", "discard"]) {
        const again = await t.request("POST", `/api/vaccination-imports/${importId}/${action}`, { token: tok.hnSite });
        expect(again.status).toBe(409);
        expect((await json(again)).error.code).toBe("import_closed");
      }
      const csv = await t.request("GET", `/api/vaccination-imports/${importId}/rejected.csv`, { token: tok.hnSite });
      expect(csv.status).toBe(409);
      expect(await importDoses(importId)).toHaveLength(4);
      // The committed import keeps its counts; the file is gone.
      const read = await ok(await t.request("GET", `/api/vaccination-imports/${importId}`, { token: tok.hnProvince }));
      expect(read).toMatchObject({ status: "committed", createRows: 2, mergeRows: 2, unchangedRows: 1, rejectedRows: 8, rejected: [], sample: [] });
    });

    it("the same file again is all unchanged or rejected: nothing is written twice", async () => {
      const p = await ok(await upload(tok.hnCommune, site.hk, file, "lan-2.csv"), 201);
      expect(p).toMatchObject({ totalRows: 13, createRows: 0, mergeRows: 0, unchangedRows: 5, rejectedRows: 8 });
      await ok(await t.request("POST", `/api/vaccination-imports/${p.id}/commit`, { token: tok.hnCommune }));
      expect(await importDoses(p.id)).toEqual([]);
      expect(await peopleByPhone(a.phone)).toHaveLength(1);
    });
  });

  it("a rule broken between preview and commit is caught at commit, and nothing of it is written", async () => {
    const q = { phone: newPhone(), id: newId() };
    const d = { phone: newPhone() };
    const qPerson = await person({ fullName: "Ngô Thị Quỳnh", birthDate: "1960-12-12", phone: q.phone, idNumber: q.id });
    const file = [
      VI_HEADER,
      `Ngô Thị Quỳnh,1960-12-12,${q.phone},${q.id},AZ,AZ-2026-001,${day(-40)},1`,
      `Ngô Thị Quỳnh,1960-12-12,${q.phone},${q.id},PF,PF-2026-001,${day(-10)},2`,
      `Mai Văn Đức,2001-01-01,${d.phone},,VC,VC-2026-001,${day(-2)},1`,
    ].join("\n");
    const p = await ok(await upload(tok.hnProvince, site.hk, file), 201);
    expect(p).toMatchObject({ createRows: 1, mergeRows: 2, rejectedRows: 0 });

    // Meanwhile the site records a different first dose (MO, 35 days ago) for the same person.
    await t.deps.db.insert(vaccinations).values({ provinceCode: "01", communeCode: "00070", personId: qPerson, productCode: "MO", lotId: lot.mo, doseNumber: 1, givenOn: day(-35), siteId: site.hk });

    const done = await ok(await t.request("POST", `/api/vaccination-imports/${p.id}/commit`, { token: tok.hnProvince }));
    expect(done).toMatchObject({ status: "committed", createRows: 1, mergeRows: 0, rejectedRows: 2 });
    expect(done.rejected).toEqual([
      { row: 2, errors: [{ column: "mui", message: `Đã ghi nhận mũi 1 khác (MO, ${day(-35)}) / A different dose 1 is already recorded (MO, ${day(-35)})` }] },
      {
        row: 3,
        errors: [
          {
            column: "ngay_tiem",
            message: `Cách mũi trước 25 ngày, cần ít nhất 28 ngày (từ ${day(-7)}) / 25 days after the previous dose; at least 28 are needed (from ${day(-7)})`,
          },
        ],
      },
    ]);
    const qDoses = await t.deps.db.select().from(vaccinations).where(eq(vaccinations.personId, qPerson));
    expect(qDoses.map((x) => [x.doseNumber, x.productCode, x.importId])).toEqual([[1, "MO", null]]);
    const written = await importDoses(p.id);
    expect(written).toHaveLength(1);
    const [newD] = await peopleByPhone(d.phone);
    expect(written[0]).toMatchObject({ personId: newD!.id, productCode: "VC", doseNumber: 1 });
    const [row] = await t.deps.db.select().from(vaccinationImports).where(eq(vaccinationImports.id, p.id));
    expect(row).toMatchObject({ createRows: 1, mergeRows: 0, rejectedRows: 2, csv: null });
  });

  it("two commits of the same import at once: exactly one wins", async () => {
    const phone = newPhone();
    const file = [VI_HEADER, `Tạ Văn Song,1999-09-09,${phone},,PF,PF-2026-001,${day(-1)},1`].join("\n");
    const p = await ok(await upload(tok.hnSite, site.hk, file), 201);
    const results = await Promise.all([1, 2].map(() => t.request("POST", `/api/vaccination-imports/${p.id}/commit`, { token: tok.hnSite })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await peopleByPhone(phone)).toHaveLength(1);
    expect(await importDoses(p.id)).toHaveLength(1);
    expect(await audits("vaccination_import.commit", p.id)).toBe(1);
  });

  it("English headers, a BOM, `;` separators, product names and DD/MM/YYYY; discard writes nothing", async () => {
    const phone = newPhone();
    const text = `\uFEFFName;Birth_Date;PHONE;ID_Number;Product;Lot;Date;Dose\r\nHồ Thị Xuân;01/02/1988;${phone};;Comirnaty;pf-2026-001;${dmy(day(-3))};1\r\n`;
    const p = await ok(await upload(tok.hnCommune, site.hk, text, "english.csv"), 201);
    expect(p).toMatchObject({ totalRows: 1, createRows: 1, rejectedRows: 0 });
    expect(p.sample).toEqual([{ row: 2, action: "create", fullName: "Hồ Thị Xuân", doseNumber: 1, productCode: "PF", givenOn: day(-3) }]);
    const gone = await ok(await t.request("POST", `/api/vaccination-imports/${p.id}/discard`, { token: tok.hnCommune }));
    expect(gone).toMatchObject({ status: "discarded", totalRows: 1 });
    const [row] = await t.deps.db.select().from(vaccinationImports).where(eq(vaccinationImports.id, p.id));
    expect(row).toMatchObject({ status: "discarded", csv: null, committedAt: null });
    expect(await audits("vaccination_import.discard", p.id)).toBe(1);
    const commit = await t.request("POST", `/api/vaccination-imports/${p.id}/commit`, { token: tok.hnCommune });
    expect(commit.status).toBe(409);
    expect((await json(commit)).error.code).toBe("import_closed");
    expect(await peopleByPhone(phone)).toEqual([]);
    expect(await importDoses(p.id)).toEqual([]);
  });

  it("refuses unreadable files with a 400 that names the missing columns, and non-CSV bodies with 415", async () => {
    const missing = await upload(tok.hnSite, site.hk, "ho_ten,ngay_sinh,so_dien_thoai\nA,1990-01-01,0912345678");
    expect(missing.status).toBe(400);
    const err = (await json(missing)).error;
    expect(err.code).toBe("validation_failed");
    expect(err.message).toContain("Thiếu cột: vac_xin (product), so_lo (lot), ngay_tiem (date), mui (dose) / Missing column(s)");
    expect((await upload(tok.hnSite, site.hk, VI_HEADER)).status).toBe(400);
    expect((await upload(tok.hnSite, site.hk, `${VI_HEADER}\n"unclosed,1`)).status).toBe(400);
    expect((await upload(tok.hnSite, site.hk, "{}", "x.csv", "application/json")).status).toBe(415);
    const noSite = await t.request("POST", `/api/vaccination-imports?fileName=x.csv`, { token: tok.hnSite, body: VI_HEADER, headers: { "content-type": "text/csv" } });
    expect(noSite.status).toBe(400);
    expect((await json(noSite)).error.details.map((d: any) => d.path)).toEqual(["siteId"]);
    expect(await t.deps.db.select({ id: vaccinationImports.id }).from(vaccinationImports).where(eq(vaccinationImports.fileName, "x.csv"))).toEqual([]);
  });

  describe("roles and scope", () => {
    const row = () => `Lý Thị Mai,1990-01-01,${newPhone()},,AZ,AZ-2026-001,${day(-1)},1`;
    let hnImport = "";
    let cuaNamImport = "";
    let hcmImport = "";

    beforeAll(async () => {
      hnImport = (await ok(await upload(tok.hnSite, site.hk, `${VI_HEADER}\n${row()}`, "hk.csv"), 201)).id;
      cuaNamImport = (await ok(await upload(tok.hnProvince, site.cuaNam, `${VI_HEADER}\n${row()}`, "cua-nam.csv"), 201)).id;
      hcmImport = (await ok(await upload(tok.hcmSite, site.saiGon, `${VI_HEADER}\n${row()}`, "sai-gon.csv"), 201)).id;
    });

    it("site staff import only for their own sites; officers only for the sites of their area", async () => {
      expect((await upload(tok.hnSite, site.cuaNam, `${VI_HEADER}\n${row()}`)).status).toBe(404);
      expect((await upload(tok.hnSite, site.saiGon, `${VI_HEADER}\n${row()}`)).status).toBe(404);
      expect((await upload(tok.hnCommune, site.cuaNam, `${VI_HEADER}\n${row()}`)).status).toBe(404);
      expect((await upload(tok.hcmProvince, site.hk, `${VI_HEADER}\n${row()}`)).status).toBe(404);
      expect((await upload(tok.hcmCommune, site.hk, `${VI_HEADER}\n${row()}`)).status).toBe(404);
      expect((await upload(tok.hnProvince, "00000000-0000-4000-8000-000000000000", `${VI_HEADER}\n${row()}`)).status).toBe(404);
      expect((await upload(tok.hnHealth, site.hk, `${VI_HEADER}\n${row()}`)).status).toBe(403);
      expect((await upload(tok.admin, site.saiGon, `${VI_HEADER}\n${row()}`, "admin.csv")).status).toBe(201);
    });

    it("another province's (or another site's) imports answer 404 on every route, and lists leave them out", async () => {
      const outsiders: [string, string][] = [
        [tok.hcmProvince, hnImport],
        [tok.hcmCommune, hnImport],
        [tok.hcmSite, hnImport],
        [tok.hnSite, cuaNamImport],
        [tok.hnCommune, cuaNamImport],
        [tok.hnProvince, hcmImport],
        [tok.hnHealth, hcmImport],
      ];
      for (const [token, id] of outsiders) {
        for (const [method, suffix] of [
          ["GET", ""],
          ["GET", "/rejected.csv"],
          ["POST", "/commit"],
          ["POST", "/discard"],
        ] as const) {
          const res = await t.request(method, `/api/vaccination-imports/${id}${suffix}`, { token });
          // Health officers may not commit or discard at all (403); everything else is outside the caller's scope.
          expect(res.status, `${method} ${suffix} of ${id}`).toBe(token === tok.hnHealth && method === "POST" ? 403 : 404);
        }
      }
      const ids = async (token: string) => ((await ok(await t.request("GET", "/api/vaccination-imports?limit=500", { token }))).items as any[]).map((i) => i.id);
      expect(await ids(tok.hcmProvince)).not.toContain(hnImport);
      expect(await ids(tok.hcmProvince)).toContain(hcmImport);
      expect(await ids(tok.hnSite)).toContain(hnImport);
      expect(await ids(tok.hnSite)).not.toContain(cuaNamImport);
      expect(await ids(tok.hnCommune)).not.toContain(cuaNamImport);
      expect(await ids(tok.hnHealth)).toEqual(expect.arrayContaining([hnImport, cuaNamImport]));
      expect(await ids(tok.hnHealth)).not.toContain(hcmImport);
      expect(await ids(tok.admin)).toEqual(expect.arrayContaining([hnImport, cuaNamImport, hcmImport]));
      // Nothing of the refused commits was written.
      expect(await importDoses(hnImport)).toEqual([]);
      const [h] = await t.deps.db.select().from(vaccinationImports).where(eq(vaccinationImports.id, hnImport));
      expect(h!.status).toBe("previewed");
    });

    it("health officers read but do not commit; the list pages by keyset with filters", async () => {
      const health = await t.request("POST", `/api/vaccination-imports/${hnImport}/commit`, { token: tok.hnHealth });
      expect(health.status).toBe(403);
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${cursor}` : "";
        const pageOf: any = await ok(await t.request("GET", `/api/vaccination-imports?limit=2&siteId=${site.hk}${q}`, { token: tok.hnProvince }));
        expect(pageOf.items.length).toBeLessThanOrEqual(2);
        for (const i of pageOf.items) expect(i).toMatchObject({ siteId: site.hk, siteName: "Trạm Y tế phường Hoàn Kiếm" });
        all.push(...pageOf.items.map((i: any) => i.id));
        cursor = pageOf.nextCursor;
      } while (cursor);
      const expected = await t.deps.db
        .select({ id: vaccinationImports.id })
        .from(vaccinationImports)
        .where(and(eq(vaccinationImports.siteId, site.hk)));
      expect(all.sort()).toEqual(expected.map((e) => e.id).sort());
      expect(new Set(all).size).toBe(all.length);
      const previewed = await ok(await t.request("GET", `/api/vaccination-imports?status=previewed&siteId=${site.hk}`, { token: tok.hnSite }));
      expect(previewed.items.every((i: any) => i.status === "previewed")).toBe(true);
      expect(previewed.items.map((i: any) => i.id)).toContain(hnImport);
      const bad = await t.request("GET", "/api/vaccination-imports?cursor=nonsense", { token: tok.hnSite });
      expect(bad.status).toBe(400);
      const unsigned = await t.request("GET", "/api/vaccination-imports");
      expect(unsigned.status).toBe(401);
      // Audit rows carry the import's area.
      const rows = await t.deps.database.query<{ province_code: string; commune_code: string; actor_username: string }>(
        sql`select province_code, commune_code, actor_username from audit_log where action = 'vaccination_import.upload' and subject_id = ${hcmImport}`,
      );
      expect(rows).toEqual([{ province_code: "79", commune_code: "26734", actor_username: "hcm.site" }]);
    });
  });
});
