/**
 * The facts of a confirmed case (confirmation date and method, symptom onset, sample date,
 * isolation, where treated, notes): state, inputs and the API's field errors. Shared by
 * "New case" and a contact's "Confirm positive".
 */
import { For, createSignal } from "solid-js";
import Field, { describedBy } from "../../components/Field";
import { t } from "../../i18n";
import { todayInVietnam } from "../venues.data";
import { CONFIRMATION_METHODS, type ConfirmationMethod } from "./tracing.api";
import { fieldErrorsByPath, localInputToIso, methodLabel, shownByFields } from "./tracing.data";

export const CASE_PATHS = ["confirmedOn", "method", "symptomOnset", "sampleDate", "isolatedAt", "treatmentPlace", "notes", "communeCode"] as const;
type CasePath = (typeof CASE_PATHS)[number];

/** The case facts shared by "New case" and "Confirm positive". */
export function createCaseFacts() {
  const [confirmedOn, setConfirmedOn] = createSignal(todayInVietnam());
  const [method, setMethod] = createSignal<ConfirmationMethod | "">("");
  const [symptomOnset, setSymptomOnset] = createSignal("");
  const [sampleDate, setSampleDate] = createSignal("");
  const [isolatedAt, setIsolatedAt] = createSignal("");
  const [treatmentPlace, setTreatmentPlace] = createSignal("");
  const [notes, setNotes] = createSignal("");
  const [errors, setErrors] = createSignal<Partial<Record<CasePath, string>>>({});
  const clearError = (f: CasePath) => {
    if (errors()[f]) setErrors(({ [f]: _, ...rest }) => rest);
  };
  const validate = (): boolean => {
    const found: Partial<Record<CasePath, string>> = {};
    const today = todayInVietnam();
    if (!confirmedOn()) found.confirmedOn = t("common.required");
    else if (confirmedOn() > today) found.confirmedOn = t("tracing.case.futureDate");
    if (!method()) found.method = t("common.requiredSelect");
    if (symptomOnset() > today) found.symptomOnset = t("tracing.case.futureDate");
    if (sampleDate() > today) found.sampleDate = t("tracing.case.futureDate");
    if (isolatedAt() && !localInputToIso(isolatedAt())) found.isolatedAt = t("tracing.case.timeInvalid");
    setErrors(found);
    return Object.keys(found).length === 0;
  };
  const values = () => ({
    confirmedOn: confirmedOn(),
    method: method() as ConfirmationMethod,
    symptomOnset: symptomOnset() || null,
    sampleDate: sampleDate() || null,
    isolatedAt: isolatedAt() ? localInputToIso(isolatedAt()) : null,
    treatmentPlace: treatmentPlace().trim() || null,
    notes: notes().trim() || null,
  });
  return {
    confirmedOn,
    setConfirmedOn,
    method,
    setMethod,
    symptomOnset,
    setSymptomOnset,
    sampleDate,
    setSampleDate,
    isolatedAt,
    setIsolatedAt,
    treatmentPlace,
    setTreatmentPlace,
    notes,
    setNotes,
    errors,
    setErrors,
    clearError,
    validate,
    values,
  };
}
export type CaseFactsState = ReturnType<typeof createCaseFacts>;

/** The inputs of the case facts (confirmation date and method, onset, sample, isolation, place, notes). */
export function CaseFactsFields(props: { facts: CaseFactsState; idPrefix: string }) {
  const f = () => props.facts;
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const err = (name: CasePath) => f().errors()[name];
  const today = () => todayInVietnam();
  const dateInput = (name: "confirmedOn" | "symptomOnset" | "sampleDate", value: () => string, set: (v: string) => void) => (
    <input
      id={id(name)}
      type="date"
      max={today()}
      value={value()}
      onInput={(e) => {
        set(e.currentTarget.value);
        f().clearError(name);
      }}
      aria-invalid={err(name) ? "true" : undefined}
      aria-describedby={describedBy(id(name), err(name))}
      data-testid={id(name)}
    />
  );
  return (
    <>
      <Field id={id("confirmedOn")} label={t("tracing.case.confirmedOn")} error={err("confirmedOn")} required>
        {dateInput("confirmedOn", f().confirmedOn, f().setConfirmedOn)}
      </Field>
      <Field id={id("method")} label={t("tracing.case.method")} error={err("method")} required>
        <select
          id={id("method")}
          value={f().method()}
          onChange={(e) => {
            f().setMethod(e.currentTarget.value as ConfirmationMethod);
            f().clearError("method");
          }}
          aria-invalid={err("method") ? "true" : undefined}
          aria-describedby={describedBy(id("method"), err("method"))}
          data-testid={id("method")}
        >
          <option value="" selected={f().method() === ""}>
            {t("tracing.case.chooseMethod")}
          </option>
          <For each={CONFIRMATION_METHODS}>
            {(m) => (
              <option value={m} selected={f().method() === m}>
                {methodLabel(m)}
              </option>
            )}
          </For>
        </select>
      </Field>
      <Field id={id("symptomOnset")} label={t("tracing.case.symptomOnset")} error={err("symptomOnset")} hint={t("tracing.case.symptomOnsetHint")}>
        {dateInput("symptomOnset", f().symptomOnset, f().setSymptomOnset)}
      </Field>
      <Field id={id("sampleDate")} label={t("tracing.case.sampleDate")} error={err("sampleDate")}>
        {dateInput("sampleDate", f().sampleDate, f().setSampleDate)}
      </Field>
      <Field id={id("isolatedAt")} label={t("tracing.case.isolatedAt")} error={err("isolatedAt")} hint={t("tracing.case.isolatedAtHint")}>
        <input
          id={id("isolatedAt")}
          type="datetime-local"
          value={f().isolatedAt()}
          onInput={(e) => {
            f().setIsolatedAt(e.currentTarget.value);
            f().clearError("isolatedAt");
          }}
          aria-invalid={err("isolatedAt") ? "true" : undefined}
          aria-describedby={describedBy(id("isolatedAt"), err("isolatedAt"), true)}
          data-testid={id("isolatedAt")}
        />
      </Field>
      <Field id={id("treatmentPlace")} label={t("tracing.case.treatmentPlace")} error={err("treatmentPlace")}>
        <input
          id={id("treatmentPlace")}
          value={f().treatmentPlace()}
          maxLength={200}
          onInput={(e) => {
            f().setTreatmentPlace(e.currentTarget.value);
            f().clearError("treatmentPlace");
          }}
          aria-invalid={err("treatmentPlace") ? "true" : undefined}
          aria-describedby={describedBy(id("treatmentPlace"), err("treatmentPlace"))}
          data-testid={id("treatmentPlace")}
        />
      </Field>
      <Field id={id("notes")} label={t("tracing.case.notes")} error={err("notes")} class="span-2">
        <textarea
          id={id("notes")}
          rows="3"
          maxLength={2000}
          value={f().notes()}
          onInput={(e) => {
            f().setNotes(e.currentTarget.value);
            f().clearError("notes");
          }}
          aria-invalid={err("notes") ? "true" : undefined}
          aria-describedby={describedBy(id("notes"), err("notes"))}
          data-testid={id("notes")}
        />
      </Field>
    </>
  );
}

/** Splits a 400's details over the case facts and the rest; answers whether fields show them all. */
export function applyCaseErrors(error: unknown, facts: CaseFactsState, extraPaths: readonly string[] = []): boolean {
  const byPath = fieldErrorsByPath(error);
  const mine: Partial<Record<CasePath, string>> = {};
  for (const p of CASE_PATHS) if (byPath[p]) mine[p] = byPath[p];
  facts.setErrors(mine);
  return shownByFields(error, [...CASE_PATHS, ...extraPaths]);
}
