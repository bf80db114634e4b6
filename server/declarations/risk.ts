/**
 * The risk of a health declaration (docs/CITIZENS.md, "Risk"), pure so it is unit-tested alone:
 * - follow_up: any symptom, contact with an F0, or the person is an open F1 contact;
 * - watch: from an outbreak area, contact with someone with symptoms, or an entry declaration;
 * - none otherwise.
 * Every reason that applies is listed, follow-up reasons first.
 */
import type { RISK_LEVELS } from "../../db/schema";
import type { RiskReason } from "./schemas";

export type Risk = (typeof RISK_LEVELS)[number];

export interface RiskInput {
  kind: "domestic" | "entry" | "venue";
  symptoms: readonly string[];
  contactWithCase: boolean;
  fromOutbreakArea: boolean;
  contactWithSymptomatic: boolean;
}

export interface RiskFacts {
  /** The person is an open F1 contact (still followed up, quarantine not over). */
  openContact: boolean;
}

export function classify(input: RiskInput, facts: RiskFacts): { risk: Risk; reasons: RiskReason[] } {
  const followUp: RiskReason[] = [];
  if (input.symptoms.length > 0) followUp.push("symptoms");
  if (input.contactWithCase) followUp.push("contact_f0");
  if (facts.openContact) followUp.push("open_contact");
  const watch: RiskReason[] = [];
  if (input.fromOutbreakArea) watch.push("outbreak_area");
  if (input.contactWithSymptomatic) watch.push("contact_symptomatic");
  if (input.kind === "entry") watch.push("entry");
  const reasons = [...followUp, ...watch];
  return { risk: followUp.length ? "follow_up" : watch.length ? "watch" : "none", reasons };
}

/** Sort rank of a risk in the officers' list: the risky first. */
export const RISK_RANK: Record<Risk, number> = { follow_up: 0, watch: 1, none: 2 };
