/** The dose rules (server/vaccination/doses/rules.ts): every code, the edges of each, nextDose and the day arithmetic. */
import { describe, expect, it } from "vitest";
import { addDays, allowedProducts, checkDose, daysBetween, nextDose, type DoseFact, type ProductRule, type ProposedDose } from "../../server/vaccination/doses/rules";

/** The seeded products (db/migrations/0005_vaccination.sql). */
const SEEDED: ProductRule[] = [
  { code: "AZ", primaryDoses: 2, minIntervalDays: 28, mixableWith: ["PF", "MO"], boosterAllowed: true, active: true },
  { code: "PF", primaryDoses: 2, minIntervalDays: 21, mixableWith: ["MO"], boosterAllowed: true, active: true },
  { code: "MO", primaryDoses: 2, minIntervalDays: 28, mixableWith: ["PF"], boosterAllowed: true, active: true },
  { code: "VC", primaryDoses: 2, minIntervalDays: 21, mixableWith: [], boosterAllowed: false, active: true },
  { code: "SV", primaryDoses: 2, minIntervalDays: 21, mixableWith: [], boosterAllowed: false, active: true },
  { code: "AB", primaryDoses: 3, minIntervalDays: 14, mixableWith: [], boosterAllowed: false, active: true },
  { code: "HV", primaryDoses: 2, minIntervalDays: 21, mixableWith: [], boosterAllowed: false, active: true },
];
const products = (changes: Partial<Record<string, Partial<ProductRule>>> = {}) =>
  new Map(SEEDED.map((p) => [p.code, { ...p, ...changes[p.code] }]));
const P = products();

const TODAY = "2026-11-20";
const lotOf = (productCode: string, expiresOn = "2027-06-30") => ({ productCode, expiresOn });
const dose = (doseNumber: number, productCode: string, givenOn: string, lot = lotOf(productCode)): ProposedDose => ({ doseNumber, productCode, givenOn, lot });
const given = (doseNumber: number, productCode: string, givenOn: string): DoseFact => ({ doseNumber, productCode, givenOn });
const codeOf = (history: DoseFact[], proposed: ProposedDose, p = P, today = TODAY) => checkDose(history, proposed, p, today)?.code ?? null;

describe("day arithmetic", () => {
  it("adds days across months, leap days and years", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-11-20", 0)).toBe("2026-11-20");
  });
  it("counts whole days between calendar days", () => {
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-11-20", "2026-11-20")).toBe(0);
    expect(daysBetween("2026-11-20", "2026-10-23")).toBe(-28);
    expect(daysBetween("2025-11-20", "2026-11-20")).toBe(365);
  });
});

describe("checkDose", () => {
  it("accepts a first dose of any active product", () => {
    for (const p of SEEDED) expect(codeOf([], dose(1, p.code, TODAY))).toBeNull();
  });

  it("interval: exactly the minimum passes, one day less fails (AZ 28, PF 21, AB 14)", () => {
    expect(codeOf([given(1, "AZ", "2026-10-23")], dose(2, "AZ", "2026-11-20"))).toBeNull();
    expect(codeOf([given(1, "AZ", "2026-10-24")], dose(2, "AZ", "2026-11-20"))).toBe("interval_too_short");
    expect(codeOf([given(1, "PF", "2026-10-30")], dose(2, "PF", "2026-11-20"))).toBeNull();
    expect(codeOf([given(1, "PF", "2026-10-31")], dose(2, "PF", "2026-11-20"))).toBe("interval_too_short");
    expect(codeOf([given(1, "AB", "2026-10-23"), given(2, "AB", "2026-11-06")], dose(3, "AB", "2026-11-20"))).toBeNull();
    expect(codeOf([given(1, "AB", "2026-10-23"), given(2, "AB", "2026-11-07")], dose(3, "AB", "2026-11-20"))).toBe("interval_too_short");
  });

  it("interval counts from the previous dose's product minimum, not the new one's", () => {
    // AZ then PF: AZ's 28 days apply, though PF's own minimum is 21.
    expect(codeOf([given(1, "AZ", "2026-10-30")], dose(2, "PF", "2026-11-20"))).toBe("interval_too_short");
    expect(codeOf([given(1, "AZ", "2026-10-23")], dose(2, "PF", "2026-11-20"))).toBeNull();
  });

  it("names the earliest day in the interval message, in Vietnamese then English, on givenOn", () => {
    const v = checkDose([given(1, "PF", "2026-11-10")], dose(2, "PF", TODAY), P, TODAY)!;
    expect(v).toMatchObject({ code: "interval_too_short", status: 422, path: "givenOn" });
    expect(v.message).toContain("2026-12-01");
    expect(v.message).toMatch(/cần ít nhất 21 ngày .* \/ .*at least 21/);
  });

  it("mixes in the primary series only as each product allows", () => {
    expect(codeOf([given(1, "AZ", "2026-09-01")], dose(2, "PF", TODAY))).toBeNull(); // AZ → PF allowed
    expect(codeOf([given(1, "AZ", "2026-09-01")], dose(2, "MO", TODAY))).toBeNull(); // AZ → MO allowed
    expect(codeOf([given(1, "PF", "2026-09-01")], dose(2, "MO", TODAY))).toBeNull();
    expect(codeOf([given(1, "MO", "2026-09-01")], dose(2, "PF", TODAY))).toBeNull();
    const vc = checkDose([given(1, "AZ", "2026-09-01")], dose(2, "VC", TODAY), P, TODAY)!;
    expect(vc).toMatchObject({ code: "product_mix_not_allowed", status: 422, path: "productCode" });
    expect(codeOf([given(1, "PF", "2026-09-01")], dose(2, "AZ", TODAY))).toBe("product_mix_not_allowed"); // not symmetric
    expect(codeOf([given(1, "VC", "2026-09-01")], dose(2, "SV", TODAY))).toBe("product_mix_not_allowed");
    // AB has three primary doses: its third dose is still primary, so PF may not give it.
    expect(codeOf([given(1, "AB", "2026-08-01"), given(2, "AB", "2026-09-01")], dose(3, "PF", TODAY))).toBe("product_mix_not_allowed");
  });

  it("a booster after the primary series takes any boosterAllowed product", () => {
    const azAz = [given(1, "AZ", "2026-05-01"), given(2, "AZ", "2026-06-01")];
    expect(codeOf(azAz, dose(3, "PF", TODAY))).toBeNull();
    expect(codeOf(azAz, dose(3, "MO", TODAY))).toBeNull();
    expect(codeOf(azAz, dose(3, "AZ", TODAY))).toBeNull();
    expect(codeOf(azAz, dose(3, "VC", TODAY))).toBe("product_mix_not_allowed");
    // VC's own series, then an mRNA booster: the booster rule looks at the new product.
    const vcVc = [given(1, "VC", "2026-05-01"), given(2, "VC", "2026-06-01")];
    expect(codeOf(vcVc, dose(3, "PF", TODAY))).toBeNull();
    expect(codeOf(vcVc, dose(3, "VC", TODAY))).toBe("product_mix_not_allowed");
    // A fourth dose is a booster too, after a booster of another product.
    expect(codeOf([...azAz, given(3, "PF", "2026-09-01")], dose(4, "MO", TODAY))).toBeNull();
    // The booster still waits for the previous dose's minimum interval.
    expect(codeOf(azAz.map((d, i) => (i === 1 ? { ...d, givenOn: "2026-11-01" } : d)), dose(3, "PF", TODAY))).toBe("interval_too_short");
  });

  it("refuses a dose out of order, whatever order the history came in", () => {
    expect(codeOf([given(1, "AZ", "2026-08-01")], dose(3, "AZ", TODAY))).toBe("dose_out_of_order");
    expect(codeOf([], dose(2, "AZ", TODAY))).toBe("dose_out_of_order");
    const v = checkDose([], dose(2, "AZ", TODAY), P, TODAY)!;
    expect(v).toMatchObject({ status: 422, path: "doseNumber" });
    expect(v.message).toContain("mũi 1");
    const shuffled = [given(2, "PF", "2026-09-01"), given(1, "AZ", "2026-08-01")];
    expect(codeOf(shuffled, dose(3, "PF", TODAY))).toBeNull();
  });

  it("refuses a dose already recorded with 409", () => {
    const v = checkDose([given(1, "AZ", "2026-08-01"), given(2, "PF", "2026-09-01")], dose(2, "PF", TODAY), P, TODAY)!;
    expect(v).toMatchObject({ code: "dose_exists", status: 409, path: "doseNumber" });
  });

  it("refuses a day after today; today itself passes", () => {
    expect(codeOf([], dose(1, "AZ", "2026-11-21"))).toBe("dose_in_future");
    expect(codeOf([], dose(1, "AZ", TODAY))).toBeNull();
    expect(checkDose([], dose(1, "AZ", "2026-11-21"), P, TODAY)).toMatchObject({ status: 422, path: "givenOn" });
  });

  it("a lot expiring on the day given passes; one expired the day before fails", () => {
    expect(codeOf([], dose(1, "AZ", TODAY, lotOf("AZ", TODAY)))).toBeNull();
    const v = checkDose([], dose(1, "AZ", TODAY, lotOf("AZ", "2026-11-19")), P, TODAY)!;
    expect(v).toMatchObject({ code: "lot_expired", status: 422, path: "lotId" });
    expect(v.message).toContain("2026-11-19");
    // A dose given in the past from a lot valid then is fine though the lot has expired since.
    expect(codeOf([], dose(1, "AZ", "2026-06-01", lotOf("AZ", "2026-07-01")))).toBeNull();
  });

  it("refuses a lot of another product", () => {
    expect(checkDose([], dose(1, "AZ", TODAY, lotOf("PF")), P, TODAY)).toMatchObject({ code: "lot_product_mismatch", status: 422, path: "lotId" });
  });

  it("refuses a withdrawn or unknown product", () => {
    const withdrawn = products({ VC: { active: false } });
    expect(checkDose([], dose(1, "VC", TODAY), withdrawn, TODAY)).toMatchObject({ code: "product_inactive", status: 422, path: "productCode" });
    expect(codeOf([], dose(1, "XX", TODAY))).toBe("product_inactive");
  });

  it("answers the first rule a vaccinator would fix", () => {
    // future and expired lot: the day first
    expect(codeOf([], dose(1, "AZ", "2026-12-01", lotOf("AZ", "2026-01-01")))).toBe("dose_in_future");
    // expired lot and out of order: the lot first
    expect(codeOf([], dose(2, "AZ", TODAY, lotOf("AZ", "2026-01-01")))).toBe("lot_expired");
    // too soon and a product that may not follow: the interval first
    expect(codeOf([given(1, "AZ", "2026-11-10")], dose(2, "VC", TODAY))).toBe("interval_too_short");
  });

  it("every message is bilingual (Vietnamese / English)", () => {
    const cases: [DoseFact[], ProposedDose, Map<string, ProductRule>][] = [
      [[], dose(1, "XX", TODAY), P],
      [[], dose(1, "AZ", TODAY, lotOf("PF")), P],
      [[], dose(1, "AZ", "2026-12-01"), P],
      [[], dose(1, "AZ", TODAY, lotOf("AZ", "2026-01-01")), P],
      [[given(1, "AZ", "2026-01-01")], dose(1, "AZ", TODAY), P],
      [[], dose(2, "AZ", TODAY), P],
      [[given(1, "AZ", "2026-11-10")], dose(2, "AZ", TODAY), P],
      [[given(1, "AZ", "2026-01-01")], dose(2, "VC", TODAY), P],
    ];
    const codes = cases.map(([h, d, p]) => {
      const v = checkDose(h, d, p, TODAY)!;
      expect(v.message.split(" / ")).toHaveLength(2);
      return v.code;
    });
    expect(new Set(codes).size).toBe(8);
  });
});

describe("nextDose and allowedProducts", () => {
  it("a person with no dose may start with any active product, any day", () => {
    expect(nextDose([], P)).toEqual({ doseNumber: 1, earliestOn: null, allowedProducts: SEEDED.map((p) => p.code) });
    expect(nextDose([], products({ SV: { active: false } })).allowedProducts).not.toContain("SV");
  });

  it("after one AZ: dose 2 from day 28, AZ or what AZ allows", () => {
    expect(nextDose([given(1, "AZ", "2026-10-01")], P)).toEqual({ doseNumber: 2, earliestOn: "2026-10-29", allowedProducts: ["AZ", "PF", "MO"] });
  });

  it("after AZ then PF (the demo people): a booster from day 21 after PF, boosterAllowed products only", () => {
    const next = nextDose([given(2, "PF", "2026-10-31"), given(1, "AZ", "2026-09-21")], P);
    expect(next).toEqual({ doseNumber: 3, earliestOn: "2026-11-21", allowedProducts: ["AZ", "PF", "MO"] });
  });

  it("an AB series stays on AB until its third dose", () => {
    expect(allowedProducts([given(1, "AB", "2026-08-01"), given(2, "AB", "2026-08-15")], 3, P)).toEqual(["AB"]);
    expect(allowedProducts([given(1, "AB", "2026-08-01"), given(2, "AB", "2026-08-15"), given(3, "AB", "2026-09-01")], 4, P)).toEqual(["AZ", "PF", "MO"]);
  });

  it("a withdrawn product is never offered, even as the same product", () => {
    expect(allowedProducts([given(1, "AZ", "2026-08-01")], 2, products({ AZ: { active: false } }))).toEqual(["PF", "MO"]);
  });

  it("what nextDose offers, checkDose accepts on the earliest day (and refuses the day before)", () => {
    const histories: DoseFact[][] = [
      [given(1, "AZ", "2026-09-01")],
      [given(1, "PF", "2026-09-01")],
      [given(1, "VC", "2026-09-01")],
      [given(1, "AB", "2026-08-01"), given(2, "AB", "2026-08-20")],
      [given(1, "MO", "2026-06-01"), given(2, "PF", "2026-07-01")],
    ];
    for (const h of histories) {
      const next = nextDose(h, P);
      for (const code of next.allowedProducts) {
        expect(codeOf(h, dose(next.doseNumber, code, next.earliestOn!))).toBeNull();
        expect(codeOf(h, dose(next.doseNumber, code, addDays(next.earliestOn!, -1)))).toBe("interval_too_short");
      }
      for (const code of SEEDED.map((p) => p.code).filter((c) => !next.allowedProducts.includes(c)))
        expect(codeOf(h, dose(next.doseNumber, code, next.earliestOn!))).toBe("product_mix_not_allowed");
    }
  });
});
