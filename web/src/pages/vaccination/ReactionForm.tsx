/**
 * Record a reaction after a dose (adverse event following immunization): when it started, how
 * severe, the symptoms (common ones ticked, others typed), what happened, whether the person was
 * taken to hospital.
 */
import { For, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { t } from "../../i18n";
import { isoToLocalInput, localInputToIso } from "../tracing/tracing.data";
import { Select, Submit, createErrors, serverFieldErrors } from "./form";
import { REACTION_SYMPTOMS, SEVERITIES, reportReaction, type AdverseEvent, type Dose, type Severity } from "./vaccination.api";
import { localised, severityLabel, symptomLabel } from "./vaccination.data";

const FIELDS = ["onsetAt", "severity", "symptoms", "description", "hospitalised"] as const;
type F = (typeof FIELDS)[number];

export default function ReactionForm(props: { dose: Dose; onSaved: (event: AdverseEvent) => void; onCancel: () => void }) {
  const [onsetAt, setOnsetAt] = createSignal(isoToLocalInput(new Date().toISOString()));
  const [severity, setSeverity] = createSignal<Severity | "">("");
  const [ticked, setTicked] = createSignal<string[]>([]);
  const [other, setOther] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [hospitalised, setHospitalised] = createSignal(false);
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const symptoms = () => [
    ...ticked(),
    ...other()
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
  ];

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: Partial<Record<F, string>> = {};
    const iso = localInputToIso(onsetAt());
    if (!iso) found.onsetAt = t("common.required");
    else if (Date.parse(iso) > Date.now() + 60_000) found.onsetAt = t("vacc.reaction.onsetFuture");
    if (!severity()) found.severity = t("common.requiredSelect");
    if (symptoms().length === 0) found.symptoms = t("vacc.reaction.symptomsRequired");
    errors.set(found);
    if (errors.any()) return errors.focusFirst("vacc-reaction");
    setSaving(true);
    try {
      const saved = await reportReaction(props.dose.id, {
        onsetAt: iso!,
        severity: severity() as Severity,
        symptoms: symptoms(),
        description: description().trim() || null,
        hospitalised: hospitalised(),
      });
      props.onSaved(saved);
    } catch (error) {
      const { byField, rest } = serverFieldErrors(error, FIELDS);
      errors.set(byField);
      setFailure(rest ? localised(error) : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="vacc-reaction-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="vacc-reaction-error" />
      <div class="form-grid">
        <Field id="vacc-reaction-onsetAt" label={t("vacc.reaction.onsetAt")} error={errors.get("onsetAt")} required>
          <input
            id="vacc-reaction-onsetAt"
            type="datetime-local"
            value={onsetAt()}
            onInput={(e) => {
              setOnsetAt(e.currentTarget.value);
              errors.clear("onsetAt");
            }}
            aria-invalid={errors.get("onsetAt") ? "true" : undefined}
            aria-describedby={describedBy("vacc-reaction-onsetAt", errors.get("onsetAt"))}
            data-testid="vacc-reaction-onset"
          />
        </Field>
        <Select
          id="vacc-reaction-severity"
          label={t("vacc.reaction.severity")}
          value={severity()}
          required
          emptyLabel={t("vacc.reaction.chooseSeverity")}
          choices={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
          error={errors.get("severity")}
          testId="vacc-reaction-severity"
          onInput={(v) => {
            setSeverity(v as Severity);
            errors.clear("severity");
          }}
        />
      </div>
      <fieldset class="fieldset" id="vacc-reaction-symptoms" tabindex="-1" aria-invalid={errors.get("symptoms") ? "true" : undefined} data-testid="vacc-reaction-symptoms">
        <legend>{t("vacc.reaction.symptoms")}</legend>
        <div class="vacc-checks">
          <For each={REACTION_SYMPTOMS}>
            {(s) => (
              <label class="check-row">
                <input
                  type="checkbox"
                  value={s}
                  checked={ticked().includes(s)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setTicked((list) => (on ? [...list, s] : list.filter((x) => x !== s)));
                    errors.clear("symptoms");
                  }}
                  data-testid={`vacc-reaction-symptom-${s}`}
                />
                {symptomLabel(s)}
              </label>
            )}
          </For>
        </div>
        <Field id="vacc-reaction-other" label={t("vacc.reaction.other")} hint={t("vacc.reaction.otherHint")} error={errors.get("symptoms")}>
          <input
            id="vacc-reaction-other"
            value={other()}
            maxLength={400}
            onInput={(e) => {
              setOther(e.currentTarget.value);
              errors.clear("symptoms");
            }}
            aria-describedby={describedBy("vacc-reaction-other", errors.get("symptoms"), true)}
            data-testid="vacc-reaction-other"
          />
        </Field>
      </fieldset>
      <Field id="vacc-reaction-description" label={t("vacc.reaction.description")} error={errors.get("description")}>
        <textarea
          id="vacc-reaction-description"
          rows="3"
          maxLength={4000}
          value={description()}
          onInput={(e) => setDescription(e.currentTarget.value)}
          data-testid="vacc-reaction-description"
        />
      </Field>
      <label class="check-row">
        <input type="checkbox" checked={hospitalised()} onChange={(e) => setHospitalised(e.currentTarget.checked)} data-testid="vacc-reaction-hospitalised" />
        {t("vacc.reaction.hospitalised")}
      </label>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <Submit busy={saving()} label={t("vacc.reaction.submit")} busyLabel={t("common.saving")} testId="vacc-reaction-submit" />
      </div>
    </form>
  );
}
