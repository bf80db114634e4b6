/** The declaration risk rule (docs/CITIZENS.md, "Risk"): pure, every branch and the listed reasons. */
import { describe, expect, it } from "vitest";
import { classify, RISK_RANK, type RiskInput } from "../../server/declarations/risk";

const base: RiskInput = { kind: "domestic", symptoms: [], contactWithCase: false, fromOutbreakArea: false, contactWithSymptomatic: false };
const none = { openContact: false };

describe("declaration risk", () => {
  it("is none with nothing to report", () => {
    expect(classify(base, none)).toEqual({ risk: "none", reasons: [] });
    expect(classify({ ...base, kind: "venue" }, none)).toEqual({ risk: "none", reasons: [] });
  });

  it("is follow_up for any symptom", () => {
    for (const s of ["fever", "cough", "breathless", "sore_throat", "taste_smell_loss", "fatigue"])
      expect(classify({ ...base, symptoms: [s] }, none)).toEqual({ risk: "follow_up", reasons: ["symptoms"] });
  });

  it("is follow_up for contact with an F0", () => {
    expect(classify({ ...base, contactWithCase: true }, none)).toEqual({ risk: "follow_up", reasons: ["contact_f0"] });
  });

  it("is follow_up for an open F1 contact, whatever was declared", () => {
    expect(classify(base, { openContact: true })).toEqual({ risk: "follow_up", reasons: ["open_contact"] });
  });

  it("is watch from an outbreak area, after contact with someone with symptoms, or on entry", () => {
    expect(classify({ ...base, fromOutbreakArea: true }, none)).toEqual({ risk: "watch", reasons: ["outbreak_area"] });
    expect(classify({ ...base, contactWithSymptomatic: true }, none)).toEqual({ risk: "watch", reasons: ["contact_symptomatic"] });
    expect(classify({ ...base, kind: "entry" }, none)).toEqual({ risk: "watch", reasons: ["entry"] });
  });

  it("follow_up wins over watch, and every reason is listed, follow-up ones first", () => {
    const all = classify(
      { kind: "entry", symptoms: ["fever", "cough"], contactWithCase: true, fromOutbreakArea: true, contactWithSymptomatic: true },
      { openContact: true },
    );
    expect(all).toEqual({ risk: "follow_up", reasons: ["symptoms", "contact_f0", "open_contact", "outbreak_area", "contact_symptomatic", "entry"] });
    expect(classify({ ...base, kind: "entry", fromOutbreakArea: true }, none)).toEqual({ risk: "watch", reasons: ["outbreak_area", "entry"] });
  });

  it("ranks the risky first", () => {
    expect(RISK_RANK.follow_up).toBeLessThan(RISK_RANK.watch);
    expect(RISK_RANK.watch).toBeLessThan(RISK_RANK.none);
  });
});
