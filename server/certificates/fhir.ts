/**
 * The FHIR R4 bundle a health card carries, minimised for a QR as the SMART Health Cards spec asks:
 * a `collection` whose first entry is the Patient (name and birth date only), then one resource per
 * fact; `resource:N` fullUrls and references; no Resource.id, meta, text, CodeableConcept.text or
 * Coding.display. Pure and generic: vaccination cards add Immunizations; test-result cards
 * (issue 7) add Observations with `observationResource` through the same `fhirBundle`.
 */
import {
  COVID19_CARD_TYPE,
  CVX_SYSTEM,
  HEALTH_CARD_TYPE,
  LABORATORY_CARD_TYPE,
  RESULT_SNOMED,
  TEST_LOINC,
  type CardTestResult,
  type CardTestType,
  type FhirBundle,
  type FhirResource,
  type HealthCardPayload,
} from "./shc";

export const FHIR_VERSION = "4.0.1";
export const LOINC_SYSTEM = "http://loinc.org";
export const SNOMED_SYSTEM = "http://snomed.info/sct";

export interface CardPatient {
  fullName: string;
  /** YYYY-MM-DD, or YYYY when only the year is known (FHIR allows partial dates). */
  birthDate: string | null;
}

/** A resource about the patient, given the patient's reference ("resource:0"). */
export type PatientFact = (patientRef: string) => FhirResource;

/**
 * HumanName with `text` (the name as written: Vietnamese puts the family name first, so
 * given + family would reorder it) and family/given for software that reads only those.
 */
export function patientResource(p: CardPatient): FhirResource {
  const words = p.fullName.trim().split(/\s+/).filter(Boolean);
  const name: Record<string, unknown> = { text: words.join(" ") };
  if (words.length > 1) {
    name.family = words[0];
    name.given = [words.slice(1).join(" ")];
  } else if (words.length === 1) name.family = words[0];
  return { resourceType: "Patient", name: [name], ...(p.birthDate ? { birthDate: p.birthDate } : {}) };
}

export interface ImmunizationFact {
  cvx: string;
  /** YYYY-MM-DD */
  date: string;
  lotNumber: string | null;
  /** Who gave it (the vaccination site). */
  performer: string | null;
}

export function immunizationResource(d: ImmunizationFact): PatientFact {
  return (patientRef) => ({
    resourceType: "Immunization",
    status: "completed",
    vaccineCode: { coding: [{ system: CVX_SYSTEM, code: d.cvx }] },
    patient: { reference: patientRef },
    occurrenceDateTime: d.date,
    ...(d.performer ? { performer: [{ actor: { display: d.performer } }] } : {}),
    ...(d.lotNumber ? { lotNumber: d.lotNumber } : {}),
  });
}

export interface ObservationFact {
  /** The test (LOINC code by default). */
  code: string;
  system?: string;
  /** When the sample was taken: YYYY-MM-DD or an ISO instant. */
  effective: string;
  /** The qualitative result (SNOMED code by default). */
  result: string;
  resultSystem?: string;
  performer: string | null;
}

/** A laboratory result, per the SMART Health Cards vaccination & testing IG's minimal Observation. */
export function observationResource(o: ObservationFact): PatientFact {
  return (patientRef) => ({
    resourceType: "Observation",
    status: "final",
    code: { coding: [{ system: o.system ?? LOINC_SYSTEM, code: o.code }] },
    subject: { reference: patientRef },
    effectiveDateTime: o.effective,
    ...(o.performer ? { performer: [{ display: o.performer }] } : {}),
    valueCodeableConcept: { coding: [{ system: o.resultSystem ?? SNOMED_SYSTEM, code: o.result }] },
  });
}

/** vc.type of a COVID-19 laboratory-result card (docs/TESTING.md "Test certificates"). */
export const TEST_CARD_TYPES = [HEALTH_CARD_TYPE, LABORATORY_CARD_TYPE, COVID19_CARD_TYPE];

/**
 * An instant as a FHIR dateTime in Vietnam's time (UTC+7 all year, no DST), to the second:
 * 2026-10-18T02:30:00.000Z → "2026-10-18T09:30:00+07:00", so the day read off the card is the
 * local one.
 */
export function vnDateTime(at: Date): string {
  return `${new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

export interface TestFact {
  testType: CardTestType;
  takenAt: Date;
  result: CardTestResult;
  /** The lab that ran it, or the testing site (a rapid test). */
  performer: string | null;
}

/** A COVID-19 test result: LOINC 94309-2 (PCR) or 94558-4 (antigen), SNOMED result, taken at. */
export function testObservation(t: TestFact): PatientFact {
  return observationResource({ code: TEST_LOINC[t.testType], effective: vnDateTime(t.takenAt), result: RESULT_SNOMED[t.result], performer: t.performer });
}

export function fhirBundle(patient: CardPatient, facts: PatientFact[]): FhirBundle {
  const ref = "resource:0";
  return {
    resourceType: "Bundle",
    type: "collection",
    entry: [{ fullUrl: ref, resource: patientResource(patient) }, ...facts.map((f, i) => ({ fullUrl: `resource:${i + 1}`, resource: f(ref) }))],
  };
}

/** The JWT claims of a card: `iss` (no trailing slash), `nbf` in seconds, the VC with its `rid`. */
export function healthCardPayload(input: { iss: string; nbf: number; bundle: FhirBundle; rid?: string; types?: string[] }): HealthCardPayload {
  return {
    iss: input.iss.replace(/\/+$/, ""),
    nbf: input.nbf,
    vc: {
      type: input.types ?? [HEALTH_CARD_TYPE],
      credentialSubject: { fhirVersion: FHIR_VERSION, fhirBundle: input.bundle },
      ...(input.rid ? { rid: input.rid } : {}),
    },
  };
}
